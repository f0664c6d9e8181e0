// vitte/sys/policy/win32.hpp - the Windows platform policy (default on Windows).
//
// Written against the documented Win32 API of Windows 8 and later; newer
// facilities (QueryInterruptTimePrecise, high-resolution waitable timers)
// are looked up or probed at run time, with a fallback on older systems.
// Errors carry GetLastError() / WSAGetLastError() codes (error_domain::win32).
//
// Clocks (nanoseconds):
//   monotonic          QueryPerformanceCounter
//   realtime           GetSystemTimePreciseAsFileTime, from the Unix epoch
//   monotonic_coarse   GetTickCount64 (a tick, about 15.6 ms)
//   realtime_coarse    GetSystemTimeAsFileTime
//   boottime           interrupt time, which counts suspend
//                      (QueryInterruptTimePrecise; GetTickCount64 before Windows 10)
//   process_cpu        GetProcessTimes, kernel + user
//   thread_cpu         GetThreadTimes, kernel + user
//
// This header includes no Windows header; the definitions in
// vitte/sys/detail/win32/platform.ipp do.
#ifndef VITTE_SYS_POLICY_WIN32_HPP
#define VITTE_SYS_POLICY_WIN32_HPP

#include <vitte/base.hpp>
#include <vitte/sys/clock_id.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

#if !VITTE_OS_WINDOWS
#error "vitte: the Win32 policy needs a Windows target"
#endif

namespace vitte::sys {

/// Windows policy. Every member is a static function of vitte types.
/// Thread safety: every member may be called concurrently.
struct win32_platform {
  static constexpr std::string_view name = "win32";

  // error
  /// An error of `kind` with the Win32 code Windows uses for it; kinds
  /// Windows has no code for (no_such_process, ...) carry none.
  static VITTE_DECL error make_error(errc kind, operation op) noexcept;
  /// Classifies a GetLastError() or WSAGetLastError() value.
  static VITTE_DECL errc classify(int native) noexcept;

  // clock: every clock_id (see the table above).
  static constexpr bool has_clock(clock_id) noexcept { return true; }
  /// Reads clock `id`; cannot fail.
  static VITTE_DECL std::int64_t clock_now_ns(clock_id id) noexcept;
  /// The step of clock `id`: 1e9 / QPC frequency (rounded up) for the
  /// precise clocks, the system tick for the coarse and CPU-time ones.
  static VITTE_DECL std::int64_t clock_resolution_ns(clock_id id) noexcept;

  // sleep
  /// Waits on a waitable timer (high-resolution where Windows has it) until
  /// clock `id` reads at least `t`: relative waits for the monotonic clocks,
  /// an absolute FILETIME deadline for the realtime ones, so that a change
  /// of the wall clock moves the wake-up. Relative waits do not count time
  /// spent suspended, so a sleep across a suspend may end late, never early.
  /// Errors: not_supported for the CPU-time clocks; what WaitForSingleObject reports.
  static VITTE_DECL error sleep_until_ns(clock_id id, std::int64_t t) noexcept;

  // system_info
  /// dwPageSize (4 KiB on x86 and x64).
  static VITTE_DECL std::size_t page_size() noexcept;
  /// dwAllocationGranularity: the alignment of VirtualAlloc and
  /// MapViewOfFile addresses (64 KiB).
  static VITTE_DECL std::size_t allocation_granularity() noexcept;
  /// Processors in the process's affinity mask; every active processor
  /// when the process spans several processor groups.
  static VITTE_DECL unsigned cpu_count() noexcept;
  /// "Windows 10.0.19045 x86_64", from RtlGetVersion (GetVersionEx reports
  /// the version the executable's manifest claims, not the real one).
  static VITTE_DECL std::size_t os_description(char* buf, std::size_t n) noexcept;

  // == memory (vitte/sys/memory.hpp) ==
  // == end memory ==

  // == thread (vitte/sys/thread.hpp) ==
  // == end thread ==
};

}  // namespace vitte::sys

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/win32/platform.ipp>
// == memory .ipp ==
// == thread .ipp ==
#endif

#endif  // VITTE_SYS_POLICY_WIN32_HPP
