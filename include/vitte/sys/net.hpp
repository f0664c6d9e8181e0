// vitte/sys/net.hpp - sockets: TCP, UDP, Unix domain, socket pairs, name resolution.
//
// A socket owns an OS socket and closes it when destroyed. Every socket is
// close-on-exec (not inheritable on Windows), interruptions (EINTR) are
// retried, and writing to a closed peer reports errc::broken_pipe or
// connection_reset: it never raises SIGPIPE.
//
//   namespace sys = vitte::sys;
//   using namespace std::chrono_literals;
//   auto listener = sys::socket::listen(sys::socket_address::parse("127.0.0.1:0").value()).value();
//   auto where = listener.local_address().value();            // the port the OS chose
//   auto client = sys::socket::connect_to(where, sys::deadline::after(2s)).value();
//   auto server = listener.accept().value();
//   client.send_all("ping").value();
//   char buf[4];
//   server.receive_exact(std::as_writable_bytes(std::span(buf))).value();
//
//   for (const sys::socket_address& a : sys::resolve("localhost", "80").value()) ...
//
// Sockets are blocking unless opened or set non-blocking; in non-blocking
// mode send/receive report errc::would_block and a poller
// (vitte/sys/poller.hpp) says when to retry. The *_all/*_exact calls take a
// deadline and wait themselves, on blocking and non-blocking sockets alike.
//
// Datagram truncation: receive_from reports a datagram longer than the
// buffer with datagram::truncated (the head is in the buffer, the rest is
// lost), rather than failing, so the caller sees both. Sending a datagram
// larger than the protocol allows fails with errc::message_too_long.
//
// At the descriptor limit, accept fails with errc::too_many_open_files and
// the connection stays queued, so a level-triggered poller would report the
// listener again at once, forever: basic_acceptor sheds such connections
// with a spare descriptor (see below) instead.
//
// Errors carry the operation (socket_connect, socket_send, ...) and the OS code.
#ifndef VITTE_SYS_NET_HPP
#define VITTE_SYS_NET_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>     // resolve's list
#include <vitte/base/span.hpp>       // buffers
#include <vitte/base/text_view.hpp>  // send_all(text_view), resolve
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/detail/owned_handle.hpp>  // move-only ownership
#include <vitte/sys/fs_types.hpp>             // native_handle, buffers
#include <vitte/sys/net_types.hpp>
#include <vitte/sys/operations.hpp>
#include <vitte/sys/platform.hpp>
#include <vitte/sys/poller_types.hpp>  // io_events for wait()
#include <vitte/sys/time.hpp>          // deadlines

#include <cstddef>
#include <cstdint>
#include <utility>  // std::pair

namespace vitte::sys {

namespace detail {
template <class P>
struct close_socket {
  static void close(native_handle h) noexcept { (void)P::socket_close(h); }
};
}  // namespace detail

/// Options of socket::listen.
struct listen_options {
  int backlog = 511;          ///< Pending connections the OS queues (SOMAXCONN caps it).
  bool reuse_address = true;  ///< SO_REUSEADDR, so a restarted server binds through TIME_WAIT.
  bool reuse_port = false;    ///< SO_REUSEPORT: several listeners share the port.
  bool nonblocking = false;   ///< The listener's accept reports would_block instead of waiting.
  int v6_only = -1;           ///< IPV6_V6ONLY for an IPv6 listener: -1 leaves the OS default.
};

/// An open socket: a move-only owner of a native socket.
///
/// Thread safety: a value type. One thread may send while another receives
/// on a stream socket; other concurrent calls need the caller's serialisation.
template <class P>
class basic_socket : private detail::owned_handle<detail::close_socket<P>> {
  VITTE_REQUIRE_CAPABILITY(P, socket);
  using handle = detail::owned_handle<detail::close_socket<P>>;
  using handle::h_;

 public:
  using policy = P;
  using deadline_type = basic_deadline<P>;

  /// A closed socket. Destroying a socket closes it (errors ignored).
  constexpr basic_socket() noexcept = default;
  /// Adopts `h`, which the socket now closes.
  constexpr explicit basic_socket(native_handle h) noexcept : handle(h) {}

  /// A new socket of family `f` and type `t`.
  /// Errors (socket_create): not_supported (no such family here),
  /// too_many_open_files, no_memory.
  static result<basic_socket> open(address_family f, socket_type t, bool nonblocking = false) noexcept;
  /// A TCP (or Unix stream) socket listening on `a`: open, options, bind, listen.
  /// Errors: those of open, set_option, bind (address_in_use,
  /// address_unavailable, permission_denied), listen.
  static result<basic_socket> listen(const socket_address& a, const listen_options& o = {}) noexcept;
  /// A stream socket connected to `a`, waiting until `d` at most; the socket
  /// is blocking afterwards unless `nonblocking`.
  /// Errors (socket_connect): connection_refused, timed_out, network_unreachable, ...
  static result<basic_socket> connect_to(const socket_address& a, deadline_type d = deadline_type::never(),
                                         bool nonblocking = false) noexcept;
  /// A non-blocking stream socket whose connection to `a` has started: wait
  /// for it to be writable (a poller, or wait()), then call finish_connect().
  /// Errors (socket_connect): as connect, for failures known at once.
  static result<basic_socket> connect_start(const socket_address& a) noexcept;
  /// A datagram socket bound to `a` (port 0: the OS picks one).
  static result<basic_socket> open_datagram(const socket_address& a, bool nonblocking = false) noexcept;
  /// Two connected Unix-domain sockets (Windows: loopback TCP or UDP).
  /// Errors (socket_pair).
  static result<std::pair<basic_socket, basic_socket>> pair(socket_type t, bool nonblocking = false) noexcept;

  /// native(), is_open(), operator bool, release(): as for files.
  using handle::is_open;
  using handle::native;
  using handle::operator bool;
  using handle::release;
  /// Closes the socket and reports what the OS says; closed either way.
  status close() noexcept;

  /// Errors (socket_bind): address_in_use, address_unavailable, invalid_argument.
  status bind(const socket_address& a) noexcept;
  /// Errors (socket_listen).
  status listen(int backlog = 511) noexcept;
  /// Takes a pending connection; `peer` (may be null) gets its address.
  /// Errors (socket_accept): would_block (non-blocking, none pending),
  /// too_many_open_files (see basic_acceptor), connection_aborted, ...
  result<basic_socket> accept(socket_address* peer = nullptr, bool nonblocking = false) noexcept;
  /// Connects, waiting until `d` at most. With a deadline other than
  /// never(), the socket is non-blocking during the wait and blocking
  /// afterwards; a non-blocking socket with never() reports the connection
  /// as it completes. Errors (socket_connect): connection_refused, timed_out, ...
  status connect(const socket_address& a, deadline_type d = deadline_type::never()) noexcept;
  /// The outcome of a connection started by connect_start (SO_ERROR).
  /// Errors (socket_connect): connection_refused, timed_out, ...
  status finish_connect() noexcept;

  /// One send: some of `data` (a stream may take less than all).
  /// Errors (socket_send): would_block, broken_pipe, connection_reset, message_too_long.
  result<std::size_t> send(span<const std::byte> data) noexcept;
  /// One receive: at most buf.size() bytes, 0 at the end of a stream.
  /// Errors (socket_receive): would_block, connection_reset, ...
  result<std::size_t> receive(span<std::byte> buf) noexcept;
  /// Gathering send of several buffers in one call (sendmsg, WSASend).
  result<std::size_t> send_vec(span<const const_buffer> bufs) noexcept;
  /// Scattering receive into several buffers in one call (recvmsg, WSARecv).
  result<std::size_t> receive_vec(span<const mutable_buffer> bufs) noexcept;
  /// Sends all of `data`, waiting for room until `d`. The deadline bounds
  /// the waits: on a blocking socket one send() the peer never drains
  /// blocks in the OS, so use a non-blocking socket when every byte must
  /// keep the deadline (vitte's HTTP client does).
  /// Errors (socket_send): timed_out, broken_pipe, connection_reset, ...
  status send_all(span<const std::byte> data, deadline_type d = deadline_type::never()) noexcept;
  status send_all(text_view text, deadline_type d = deadline_type::never()) noexcept {
    return send_all(vitte::as_bytes(vitte::span<const char>(text.data(), text.size())), d);
  }
  /// Receives exactly buf.size() bytes, waiting until `d`.
  /// Errors (socket_receive): unexpected_eof when the stream ends first, timed_out, ...
  status receive_exact(span<std::byte> buf, deadline_type d = deadline_type::never()) noexcept;

  /// Sends one datagram to `to`. Errors (socket_send): message_too_long, ...
  result<std::size_t> send_to(span<const std::byte> data, const socket_address& to) noexcept;
  /// Receives one datagram; `from` (may be null) gets the sender.
  /// A datagram longer than `buf` is reported with truncated = true.
  result<datagram> receive_from(span<std::byte> buf, socket_address* from = nullptr) noexcept;

  /// Errors (socket_shutdown): not_connected.
  status shutdown(shutdown_how how) noexcept;
  /// Sets an option (see socket_option for the values).
  /// Errors (socket_option): not_supported, invalid_argument.
  status set_option(socket_option o, int value) noexcept;
  /// Reads an option. Errors (socket_option).
  result<int> option(socket_option o) const noexcept;
  /// Switches non-blocking mode. Errors (socket_option).
  status set_nonblocking(bool on) noexcept;
  /// The address the socket is bound to (getsockname). Errors (socket_bind).
  result<socket_address> local_address() const noexcept;
  /// The address of the peer (getpeername). Errors (socket_connect): not_connected.
  result<socket_address> peer_address() const noexcept;
  /// Waits until the socket is ready for `interest` or `d`; returns what is
  /// ready. Errors (poller_wait): timed_out.
  result<io_events> wait(io_events interest, deadline_type d = deadline_type::never()) const noexcept;
};

/// Accepts connections and survives the descriptor limit: it keeps a spare
/// descriptor, and when accept fails with too_many_open_files it closes the
/// spare, accepts the pending connection and closes it at once (the client
/// sees the connection closed), then reopens the spare. The listener stays
/// open and is not reported ready again for that connection, so a loop
/// neither spins nor stops serving; accept() reports the shed connection as
/// errc::too_many_open_files (shed_count() counts them).
/// Thread safety: one thread at a time.
template <class P>
class basic_acceptor {
 public:
  using socket = basic_socket<P>;

  basic_acceptor() noexcept = default;
  /// Takes the listener and opens the spare. Errors (socket_create): of the spare.
  static result<basic_acceptor> create(socket listener) noexcept;

  /// accept(), with the spare-descriptor technique at the limit.
  /// Errors (socket_accept): would_block (nothing pending, also at the
  /// limit), too_many_open_files (one connection was shed, or none could
  /// be: the spare was lost; accept again), ...
  result<socket> accept(socket_address* peer = nullptr, bool nonblocking = false) noexcept;

  socket& listener() noexcept { return listener_; }
  /// Connections closed at the limit since creation.
  std::uint64_t shed_count() const noexcept { return shed_; }

 private:
  socket listener_;
  socket spare_;
  std::uint64_t shed_ = 0;
};

/// Resolves `host` and `service` (a port number or a name like "http") to
/// addresses, IPv4 and IPv6 in the resolver's order (getaddrinfo,
/// GetAddrInfoW). Blocks; at most 64 addresses.
/// Errors (resolve): not_found (no such name), would_block (temporary
/// failure: try again), invalid_argument (empty or over-long names),
/// what the resolver reports.
template <class P = platform>
result<buffer<socket_address>> resolve(text_view host, text_view service, const resolve_hints& hints = {});

/// Sockets of the default platform.
using socket = basic_socket<platform>;
using acceptor = basic_acceptor<platform>;

}  // namespace vitte::sys

#include <vitte/sys/impl/net.hpp>

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/net.ipp>
#endif

#endif  // VITTE_SYS_NET_HPP
