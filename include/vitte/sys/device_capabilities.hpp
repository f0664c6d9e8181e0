// vitte/sys/device_capabilities.hpp - what a device policy must provide.
//
// Serial ports, pseudo-terminals and terminal modes reach the OS through a
// device policy: the platform policy (vitte/sys/capabilities.hpp) plus the
// static functions named here. vitte/sys/policy/devices.hpp picks the
// default (vitte::sys::device_platform); tests derive from it to inject
// faults, and a board adds its UART (vitte/sys/policy/board_devices.hpp).
// A policy that lacks a capability fails to compile with a message naming it.
#ifndef VITTE_SYS_DEVICE_CAPABILITIES_HPP
#define VITTE_SYS_DEVICE_CAPABILITIES_HPP

#include <vitte/base.hpp>
#include <vitte/sys/device_types.hpp>
#include <vitte/sys/fs_types.hpp>       // native_handle
#include <vitte/sys/process_types.hpp>  // spawn_request, native_process

#include <concepts>
#include <cstddef>
#include <cstdint>

namespace vitte::sys {

/// Device handles: `platform_policy` names the platform policy whose clock
/// gives deadlines; `device_open(name, out)` opens a device by name for
/// reading and writing (non-blocking, close-on-exec, never the caller's
/// controlling terminal); `device_close(h)`; `device_read`/`device_write`
/// move at most n bytes without blocking (errc::would_block when none can
/// move; a read of 0 bytes is the end: the other side hung up);
/// `device_wait(h, for_write, deadline_ns)` blocks until `h` is readable
/// (writable) or the monotonic clock reaches the deadline (errc::timed_out).
template <class P>
concept device_io_capability = requires(const char* name, native_handle& out, native_handle h, void* p, const void* cp,
                                        std::size_t n, std::size_t& moved, bool w, std::int64_t t) {
  typename P::platform_policy;
  { P::device_open(name, out) } noexcept -> std::same_as<error>;
  { P::device_close(h) } noexcept;
  { P::device_read(h, p, n, moved) } noexcept -> std::same_as<error>;
  { P::device_write(h, cp, n, moved) } noexcept -> std::same_as<error>;
  { P::device_wait(h, w, t) } noexcept -> std::same_as<error>;
};

/// Serial lines: settings read and written (`serial_set(h, s, why)` puts
/// the line in raw mode too; when it fails and `why` is not null, it fills
/// `why` with the error's kind and names the field the driver refused, with
/// its value: detail::serial_refused, detail::serial_not_kept), modem lines
/// read and changed, a break of `ms`
/// milliseconds, queues flushed, output drained, and the ports present
/// listed (`each(ctx, name, description)` once per port). What a device
/// cannot do is errc::not_supported.
template <class P>
concept serial_capability =
    device_io_capability<P> && requires(native_handle h, serial_settings& s, const serial_settings& cs, diagnostic* why,
                                        modem_lines& m, modem_lines cm, bool on, std::uint32_t ms, serial_queue q,
                                        void (*each)(void*, const char*, const char*), void* ctx) {
      { P::serial_get(h, s) } noexcept -> std::same_as<error>;
      { P::serial_set(h, cs, why) } noexcept -> std::same_as<error>;
      { P::serial_modem_get(h, m) } noexcept -> std::same_as<error>;
      { P::serial_modem_set(h, cm, on) } noexcept -> std::same_as<error>;
      { P::serial_break(h, ms) } noexcept -> std::same_as<error>;
      { P::serial_flush(h, q) } noexcept -> std::same_as<error>;
      { P::serial_drain(h) } noexcept -> std::same_as<error>;
      { P::serial_list(each, ctx) } noexcept -> std::same_as<error>;
    };

/// The two ends of a pseudo-terminal as the OS gives them. POSIX: `input`
/// and `output` are the one master descriptor, `terminal` the slave.
/// Windows: pipes into and out of a pseudo console, `terminal` its HPCON.
struct native_pty {
  native_handle input = invalid_handle;     ///< What is written here, the program reads.
  native_handle output = invalid_handle;    ///< What the program writes, read here.
  native_handle terminal = invalid_handle;  ///< The program's side.
};

/// Terminals and pseudo-terminals: a pair opened with a window size (its
/// terminal's name written to `name`, NUL-terminated), closed; window
/// sizes read and set; a child spawned as a new session whose controlling
/// terminal is `terminal`; modes saved, made raw (`terminal_mode_raw(h,
/// saved)` records `saved` for restoring at exit and on fatal signals, and
/// may write its bookkeeping into it) and restored; a
/// readable handle that a window size change makes readable
/// (`resize_watch_take` reads the pending changes: true when there were).
template <class P>
concept terminal_control_capability =
    device_io_capability<P> &&
    requires(native_pty& pty, const native_pty& cpty, char* name, std::size_t n, native_handle h, terminal_size& ts,
             const terminal_size& cts, const spawn_request& req, native_process& np, saved_terminal_mode& sm,
             const saved_terminal_mode& csm, native_handle& out) {
      { P::pty_open(pty, cts, name, n) } noexcept -> std::same_as<error>;
      { P::pty_close(cpty) } noexcept;
      { P::terminal_size_get(h, ts) } noexcept -> std::same_as<error>;
      { P::terminal_size_set(cpty, cts) } noexcept -> std::same_as<error>;
      { P::session_spawn(req, h, np) } noexcept -> std::same_as<error>;
      { P::terminal_mode_save(h, sm) } noexcept -> std::same_as<error>;
      { P::terminal_mode_raw(h, sm) } noexcept -> std::same_as<error>;
      { P::terminal_mode_restore(h, csm) } noexcept -> std::same_as<error>;
      { P::resize_watch_open(out) } noexcept -> std::same_as<error>;
      { P::resize_watch_close(h) } noexcept;
      { P::resize_watch_take(h) } noexcept -> std::same_as<bool>;
    };

}  // namespace vitte::sys

/// Fails to compile, naming the capability, when the device policy `P`
/// lacks it: VITTE_REQUIRE_DEVICE_CAPABILITY(P, serial).
#define VITTE_REQUIRE_DEVICE_CAPABILITY(P, cap)                                               \
  static_assert(::vitte::sys::cap##_capability<P>,                                            \
                "vitte: the device policy lacks the '" #cap "' capability (vitte::sys::" #cap \
                "_capability in vitte/sys/device_capabilities.hpp lists what it must provide)")

#endif  // VITTE_SYS_DEVICE_CAPABILITIES_HPP
