// vitte/loader/isolated.hpp - an untrusted plugin in a sandboxed process of
// its own, called through a typed channel.
//
//   namespace vl = vitte::loader;
//   auto p = vl::isolated_plugin::open("plugins/libcalc.so").value();  // default sandbox
//   auto twice = p.find<int(int)>("twice_square").value();              // checked as find<> is
//   vitte::result<int> y = twice(21);                                   // a round trip to the host
//   if (!y) std::fprintf(stderr, "%s\n", p.failure().message().c_str());
//   // "the plugin host died of signal 11 (SIGSEGV) during the call to 'twice_square'"
//   if (!p.alive()) p.restart().value();                                // a new host, same plugin
//
// The plugin runs in a plugin host (tools/vitte-plugin-host.cpp): a small
// program started under a sys::sandbox (vitte/sys/sandbox.hpp) that loads
// the plugin with the ordinary loader and serves calls on a socket pair,
// its standard input, in the frames of vitte/loader/isolated_protocol.hpp.
// The sandbox given to open() gets what the host needs added: execute the
// host program, read the plugin file and the search directories; nothing
// else. The default sandbox (default_plugin_sandbox) is the system's
// runtime, no network, the standard syscall filter, a cleared environment.
//
// What crosses (call_form): any signature the loader's cell calls carry
// (integers, enums, bool, float, double: detail::cell_callable), and two
// buffer shapes, the plugin's export written as
//   std::size_t f(const char* in, std::size_t n, char* out, std::size_t capacity)                    text
//   std::size_t f(const unsigned char* in, std::size_t n, unsigned char* out, std::size_t capacity)  bytes
// which the caller calls with the same type: `in` is copied to the host,
// at most `capacity` bytes are copied back into `out`, and the export's
// return value (the size it wrote) comes back; a value above `capacity`
// is refused (limit_exceeded, failure() naming the export), never passed
// on as a size.
//
// Guarantees:
//   - Nothing the plugin does reaches the caller's memory: a crash, an
//     abort, an exit, a call past call_timeout or bytes on the channel that
//     are not a frame end the host (its whole process group, and with the
//     pid namespace everything it started) and make that call fail with
//     an error and failure() saying what happened; the caller runs on.
//   - Each call carries a sequence number its reply must carry back: a
//     reply out of sequence (a frame the plugin forged on the channel)
//     ends the host as a protocol failure; restart() it.
//   - Frames are bounded by max_frame (the header is checked before
//     anything is read or allocated): a hostile host cannot make the caller
//     allocate more.
//   - Each call is bounded by call_timeout, start-up by start_timeout.
// Errors: errc::no_such_process (the host died or is gone), timed_out,
// malformed or limit_exceeded (the channel), unexpected_eof (the channel
// closed mid-frame), the refusal the host sent (not_found, ...), those of
// spawning it; all with loader::ops::module_load, lookups module_link.
// Thread safety: one thread at a time per isolated plugin.
#ifndef VITTE_LOADER_ISOLATED_HPP
#define VITTE_LOADER_ISOLATED_HPP

#include <vitte/base.hpp>
#include <vitte/loader/detail/cell_call.hpp>       // cells
#include <vitte/loader/detail/type_signature.hpp>  // signature_hash
#include <vitte/loader/isolated_protocol.hpp>
#include <vitte/loader/operations.hpp>
#include <vitte/sys/net.hpp>  // the socket pair
#include <vitte/sys/sandbox.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace vitte::loader {

/// How open() starts the plugin host.
struct isolated_options {
  /// The plugin host program; empty: $VITTE_PLUGIN_HOST, else
  /// vitte-plugin-host beside this process's executable, else on PATH.
  text host;
  /// Directories the host searches for the plugin's dependencies (read-only in the sandbox).
  buffer<text> search;
  std::chrono::milliseconds call_timeout{10000};
  std::chrono::milliseconds start_timeout{10000};
  /// Largest frame either way (a call's input, a reply's output).
  std::uint32_t max_frame = wire::default_max_frame;
  /// The host's stderr is this process's (else the null device). Its stdout is always the null device.
  bool inherit_stderr = true;
};

/// What ended a call or a start.
enum class isolated_outcome : std::uint8_t {
  none,          ///< No failure.
  refused,       ///< The host refused the call (no such export, ...); it runs on.
  spawn_failed,  ///< The host could not be started.
  load_failed,   ///< The host could not load the plugin.
  signaled,      ///< The host died of a signal.
  exited,        ///< The host exited.
  timed_out,     ///< The call passed its deadline; the host was killed.
  protocol,      ///< The host sent something that is not a frame; it was killed.
  gone,          ///< The host had already ended (call restart()).
};

/// Why the last call (or the start) failed.
struct isolated_failure {
  isolated_outcome what = isolated_outcome::none;
  sys::exit_status status;  ///< signaled, exited: how the host ended.
  text call;                ///< The export being called; empty while starting.
  text detail;              ///< The loader's text, the refusal, what was wrong with the frame.
  /// One sentence: "the plugin host died of signal 11 (SIGSEGV) during the call to 'crash'".
  text message() const;
};

/// "SIGSEGV", "SIGABRT", ...; "" for a number it does not know.
VITTE_DECL text_view signal_name(int signal) noexcept;

/// The form a call of function type F travels in (call_form::none: F crosses in neither).
template <class F>
constexpr wire::call_form call_form_of() noexcept;

/// The default sandbox of an isolated plugin.
template <class P = sys::platform>
sys::basic_sandbox<P> default_plugin_sandbox();

template <class P>
class basic_isolated_plugin;

/// A typed export of an isolated plugin: calling it is a round trip to the
/// host. Valid while its plugin object lives at the same address (it
/// borrows it); it outlives restart().
template <class F, class P>
class isolated_function;
template <class R, class... A, class P>
class isolated_function<R(A...), P> {
  static_assert(call_form_of<R(A...)>() != wire::call_form::none,
                "isolated calls carry cell types (integers, enums, bool, float, double) or the text and bytes shapes");

 public:
  using result_type = std::conditional_t<std::is_void_v<R>, status, result<R>>;
  isolated_function() noexcept = default;
  /// Calls the export in the host.
  result_type operator()(A... a) const;
  explicit operator bool() const noexcept { return plugin_ != nullptr; }

 private:
  friend class basic_isolated_plugin<P>;
  isolated_function(basic_isolated_plugin<P>* p, wire::export_desc e) : plugin_(p), export_(std::move(e)) {}
  basic_isolated_plugin<P>* plugin_ = nullptr;
  wire::export_desc export_;  // a copy: restart() renews the plugin's list
};

/// A plugin loaded in a sandboxed plugin host. Move-only; destroying it
/// ends the host (close()).
template <class P = sys::platform>
class basic_isolated_plugin {
 public:
  basic_isolated_plugin() = default;
  basic_isolated_plugin(basic_isolated_plugin&&) noexcept = default;
  basic_isolated_plugin& operator=(basic_isolated_plugin&& o) noexcept;
  basic_isolated_plugin(const basic_isolated_plugin&) = delete;
  basic_isolated_plugin& operator=(const basic_isolated_plugin&) = delete;
  ~basic_isolated_plugin() { (void)close(); }

  /// Starts a host under `box` (plus what the host needs) and loads the
  /// plugin at `path` there. `why` (may be null) says what failed.
  /// Errors (module_load): those of spawning (not_found: no host program),
  /// the plugin's load (not_found, verification_failed, ... as the host's
  /// loader said; failure detail has its text), timed_out, and those of calls.
  static result<basic_isolated_plugin> open(text path, sys::basic_sandbox<P> box = default_plugin_sandbox<P>(),
                                            isolated_options options = {}, isolated_failure* why = nullptr);

  /// The module's name, version and exports, as the host announced them.
  const wire::ready& info() const noexcept { return info_; }
  /// What the sandbox applied to the current host.
  const sys::sandbox_report& report() const noexcept { return report_; }
  /// The host program that runs the plugin.
  const text& host_program() const noexcept { return host_; }
  /// The host's process id; -1 when it is gone.
  std::int64_t host_id() const noexcept { return child_.id(); }
  /// True while the host runs and the channel is sound.
  bool alive() const noexcept { return channel_.is_open(); }
  /// Why the last failed call failed (what == none after a success).
  const isolated_failure& failure() const noexcept { return failure_; }

  /// The function export `name` (version 0: the highest) as F. Errors
  /// (module_link): not_found; verification_failed (kind or signature is
  /// not F's); not_supported (F crosses in no call_form).
  template <class F>
  result<isolated_function<F, P>> find(text_view name, std::uint32_t version = 0);

  /// A call in cell form: cells in, one cell out (for the typed wrappers).
  result<std::uint64_t> call_cells(const wire::export_desc& e, buffer<std::uint64_t> cells);
  /// A call in bytes or text form: `in` to the host, at most `capacity`
  /// bytes of output into `out`; returns what the export returned.
  result<std::uint64_t> call_buffer(const wire::export_desc& e, text_view in, char* out, std::size_t capacity);

  /// Ends the current host (if any) and starts a new one with the same
  /// plugin, sandbox and options.
  status restart();
  /// Closes the channel (the host exits when it reads its end), waits up
  /// to one second, then kills the host's group. Returns how it ended.
  result<sys::exit_status> close();

 private:
  status start();
  result<wire::reply> round_trip(const wire::call& c);
  error fail(isolated_outcome what, errc kind, text detail);
  error host_ended(errc kind, const char* during);
  result<text> receive_frame(sys::basic_deadline<P> d);

  text path_;
  text host_;
  sys::basic_sandbox<P> box_;
  isolated_options options_;
  sys::basic_child<sys::sandboxed<P>> child_;
  sys::basic_socket<P> channel_;
  sys::sandbox_report report_;
  wire::ready info_;
  isolated_failure failure_;
  std::uint32_t sequence_ = 0;  // the last call's sequence number
};

using isolated_plugin = basic_isolated_plugin<sys::platform>;

/// The plugin host's work (tools/vitte-plugin-host.cpp): loads the plugin
/// at `path` (dependencies from `search`), announces it on `channel` and
/// serves calls until the channel ends. Returns the exit code: 0 when the
/// channel ended cleanly, 1 when the load failed, 2 on a malformed frame.
template <class P = sys::platform>
int serve_plugin_host(sys::basic_socket<P>& channel, const text& path, const buffer<text>& search,
                      std::uint32_t max_frame = wire::default_max_frame);

}  // namespace vitte::loader

#include <vitte/loader/impl/isolated.hpp>
#include <vitte/loader/impl/isolated_host.hpp>

#if VITTE_HEADER_ONLY
#include <vitte/loader/impl/isolated.ipp>
#endif

#endif  // VITTE_LOADER_ISOLATED_HPP
