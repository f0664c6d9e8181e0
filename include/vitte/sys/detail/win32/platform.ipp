// Definitions of win32_platform (see vitte/sys/policy/win32.hpp). Header-only
// mode includes this from the policy header; compiled mode compiles it in
// src/vitte.cpp.
#ifndef VITTE_SYS_DETAIL_WIN32_PLATFORM_IPP
#define VITTE_SYS_DETAIL_WIN32_PLATFORM_IPP

#include <vitte/base/detail/text.hpp>
#include <vitte/base/detail/win32/windows.hpp>
#include <vitte/sys/detail/win32/last_error.hpp>
#include <vitte/sys/policy/win32.hpp>

#include <bit>  // std::popcount for affinity masks

#if defined(_WIN32_WINNT) && _WIN32_WINNT < 0x0602
#error "vitte: the Win32 policy needs Windows 8 or later (_WIN32_WINNT >= 0x0602)"
#endif

namespace vitte::sys {

namespace detail::win32 {

using detail::last_error;  // brought in by the `using namespace` of the platform functions

constexpr std::int64_t ns_per_second = 1'000'000'000;
constexpr std::int64_t ns_per_filetime_tick = 100;
// FILETIME ticks (100 ns) from 1601-01-01, FILETIME's epoch, to 1970-01-01.
constexpr std::int64_t unix_epoch_filetime = 116'444'736'000'000'000;
// CreateWaitableTimerExW flag of Windows 10 1803; older SDKs lack the macro.
constexpr DWORD create_timer_high_resolution = 0x00000002;

// GetProcAddress's result as the function type the caller knows it has,
// or nullptr. The detour through void(*)() is the cast GCC's
// -Wcast-function-type accepts for "any function".
template <class Fn>
Fn proc_address(const wchar_t* module, const char* name) noexcept {
  HMODULE m = ::GetModuleHandleW(module);
  if (m == nullptr) return nullptr;
  return reinterpret_cast<Fn>(reinterpret_cast<void (*)()>(::GetProcAddress(m, name)));
}

inline std::int64_t filetime_ticks(const FILETIME& ft) noexcept {
  return static_cast<std::int64_t>((static_cast<std::uint64_t>(ft.dwHighDateTime) << 32) | ft.dwLowDateTime);
}

// The wall clock through GetSystemTime[Precise]AsFileTime, from the Unix epoch.
inline std::int64_t system_time_ns(void(WINAPI* read)(LPFILETIME)) noexcept {
  FILETIME ft;
  read(&ft);
  return (filetime_ticks(ft) - unix_epoch_filetime) * ns_per_filetime_tick;
}

// Unix-epoch nanoseconds as a FILETIME tick count, rounded up so that a
// timer set to it never fires before `ns`.
inline std::int64_t unix_ns_to_filetime_ceil(std::int64_t ns) noexcept {
  return ns / ns_per_filetime_tick + (ns % ns_per_filetime_tick > 0) + unix_epoch_filetime;
}

inline std::int64_t qpc_frequency() noexcept {
  static const std::int64_t frequency = [] {
    LARGE_INTEGER f;
    ::QueryPerformanceFrequency(&f);  // cannot fail since Windows XP
    return static_cast<std::int64_t>(f.QuadPart);
  }();
  return frequency;
}

inline std::int64_t qpc_now_ns() noexcept {
  LARGE_INTEGER counter;
  ::QueryPerformanceCounter(&counter);
  std::int64_t c = counter.QuadPart;
  std::int64_t f = qpc_frequency();
  // c * 1e9 would overflow after 15 minutes at 10 MHz: whole seconds first,
  // then the remainder, which is below f.
  return c / f * ns_per_second + c % f * ns_per_second / f;
}

// Milliseconds until the monotonic deadline `deadline_ns`, rounded up so
// that a wait never ends before it: -1 for never (INT64_MAX), 0 once passed
// (INT64_MIN included). The timeouts of every wait on a deadline (threads,
// processes, sockets, pollers, watchers, signals) come from here.
inline std::int64_t ms_until(std::int64_t deadline_ns) noexcept {
  if (deadline_ns == INT64_MAX) return -1;
  std::int64_t now = qpc_now_ns();
  if (deadline_ns <= now) return 0;
  std::int64_t left = deadline_ns - now;
  return left / 1'000'000 + (left % 1'000'000 != 0);
}

// ms_until() as a Win32 wait timeout: INFINITE for never, else below it.
inline DWORD wait_ms(std::int64_t deadline_ns) noexcept {
  std::int64_t ms = ms_until(deadline_ns);
  if (ms < 0) return INFINITE;
  return ms < static_cast<std::int64_t>(INFINITE) ? static_cast<DWORD>(ms) : INFINITE - 1;
}

inline std::int64_t qpc_resolution_ns() noexcept {
  std::int64_t f = qpc_frequency();
  return (ns_per_second + f - 1) / f;
}

// GetTickCount64: milliseconds since boot, advancing once a tick.
inline std::int64_t tick_count_ns() noexcept { return static_cast<std::int64_t>(::GetTickCount64()) * 1'000'000; }

// The system clock tick: the step of the coarse clocks and of CPU times.
inline std::int64_t tick_ns() noexcept {
  static const std::int64_t tick = [] {
    DWORD adjustment = 0;
    DWORD increment = 0;
    BOOL disabled = FALSE;
    if (::GetSystemTimeAdjustment(&adjustment, &increment, &disabled) && increment != 0)
      return static_cast<std::int64_t>(increment) * ns_per_filetime_tick;
    return std::int64_t{15'625'000};  // the default tick, 1/64 s
  }();
  return tick;
}

// QueryInterruptTimePrecise exists from Windows 10 on, exported by
// KernelBase.dll only and listed in no import library: looked up once.
using query_interrupt_time_fn = void(WINAPI*)(PULONGLONG);
inline query_interrupt_time_fn interrupt_time_precise() noexcept {
  static const query_interrupt_time_fn fn =
      proc_address<query_interrupt_time_fn>(L"kernelbase.dll", "QueryInterruptTimePrecise");
  return fn;
}

// Interrupt time (unlike the "unbiased" one) and the tick count both keep
// counting while the system sleeps or hibernates.
inline std::int64_t boottime_ns() noexcept {
  query_interrupt_time_fn precise = interrupt_time_precise();
  if (precise == nullptr) return tick_count_ns();
  ULONGLONG t = 0;
  precise(&t);
  return static_cast<std::int64_t>(t) * ns_per_filetime_tick;
}

inline std::int64_t process_cpu_ns() noexcept {
  FILETIME creation{}, exit{}, kernel{}, user{};
  ::GetProcessTimes(::GetCurrentProcess(), &creation, &exit, &kernel, &user);  // cannot fail on the pseudo handle
  return (filetime_ticks(kernel) + filetime_ticks(user)) * ns_per_filetime_tick;
}

inline std::int64_t thread_cpu_ns() noexcept {
  FILETIME creation{}, exit{}, kernel{}, user{};
  ::GetThreadTimes(::GetCurrentThread(), &creation, &exit, &kernel, &user);  // cannot fail on the pseudo handle
  return (filetime_ticks(kernel) + filetime_ticks(user)) * ns_per_filetime_tick;
}

// Arms a one-shot waitable timer for `due` (SetWaitableTimer's convention:
// negative is relative, positive an absolute FILETIME) and waits for it.
// Prefers a high-resolution timer; Windows before 10 1803 refuses the flag
// when creating the timer, some 10 1809 builds when arming it, and then a
// normal timer (tick resolution) does. Sleep() is the last resort.
inline error wait_timer(std::int64_t due, DWORD fallback_ms) noexcept {
  constexpr DWORD access = TIMER_MODIFY_STATE | SYNCHRONIZE;
  for (DWORD flags : {create_timer_high_resolution, DWORD{0}}) {
    HANDLE timer = ::CreateWaitableTimerExW(nullptr, nullptr, flags, access);
    if (timer == nullptr) continue;
    LARGE_INTEGER when;
    when.QuadPart = due;
    if (!::SetWaitableTimer(timer, &when, 0, nullptr, nullptr, FALSE)) {
      ::CloseHandle(timer);
      continue;
    }
    DWORD rc = ::WaitForSingleObject(timer, INFINITE);
    error e = rc == WAIT_OBJECT_0 ? error{} : last_error(ops::sleep);
    ::CloseHandle(timer);
    return e;
  }
  ::Sleep(fallback_ms);
  return {};
}

inline const SYSTEM_INFO& system_info() noexcept {
  static const SYSTEM_INFO info = [] {
    SYSTEM_INFO si;
    ::GetSystemInfo(&si);
    return si;
  }();
  return info;
}

// The machine name uname() would print for a processor architecture.
inline text_view machine_name(WORD architecture) noexcept {
  switch (architecture) {
    case PROCESSOR_ARCHITECTURE_AMD64:
      return "x86_64";
    case PROCESSOR_ARCHITECTURE_INTEL:
      return "x86";
    case PROCESSOR_ARCHITECTURE_ARM64:
      return "aarch64";
    case PROCESSOR_ARCHITECTURE_ARM:
      return "arm";
    case PROCESSOR_ARCHITECTURE_IA64:
      return "ia64";
    default:
      return {};
  }
}

}  // namespace detail::win32

// Classifies a GetLastError() or WSAGetLastError() value.
VITTE_DECL errc os_platform_base::classify(int native) noexcept { return vitte::detail::classify_native(native); }

// An error of `kind` with the Win32 code Windows uses for it; kinds
// Windows has no code for (no_such_process, ...) carry none.
VITTE_DECL error os_platform_base::make_error(errc kind, operation op) noexcept {
  DWORD native = 0;
  switch (kind) {
    case errc::ok:
      return {};
    case errc::interrupted:
      native = WSAEINTR;
      break;
    case errc::would_block:
      native = WSAEWOULDBLOCK;
      break;
    case errc::timed_out:
      native = WSAETIMEDOUT;
      break;
    case errc::not_found:
      native = ERROR_FILE_NOT_FOUND;
      break;
    case errc::already_exists:
      native = ERROR_FILE_EXISTS;
      break;
    case errc::permission_denied:
      native = ERROR_ACCESS_DENIED;
      break;
    case errc::invalid_argument:
      native = ERROR_INVALID_PARAMETER;
      break;
    case errc::bad_descriptor:
      native = ERROR_INVALID_HANDLE;
      break;
    case errc::too_many_open_files:
      native = ERROR_TOO_MANY_OPEN_FILES;
      break;
    case errc::no_space:
      native = ERROR_DISK_FULL;
      break;
    case errc::no_memory:
      native = ERROR_NOT_ENOUGH_MEMORY;
      break;
    case errc::busy:
      native = ERROR_BUSY;
      break;
    case errc::not_supported:
      native = ERROR_NOT_SUPPORTED;
      break;
    case errc::not_a_directory:
      native = ERROR_DIRECTORY;
      break;
    case errc::is_a_directory:
      native = vitte::detail::win32::error_directory_not_supported;
      break;
    case errc::directory_not_empty:
      native = ERROR_DIR_NOT_EMPTY;
      break;
    case errc::name_too_long:
      native = ERROR_FILENAME_EXCED_RANGE;
      break;
    case errc::too_many_links:
      native = ERROR_CANT_RESOLVE_FILENAME;
      break;
    case errc::cross_device:
      native = ERROR_NOT_SAME_DEVICE;
      break;
    case errc::read_only:
      native = ERROR_WRITE_PROTECT;
      break;
    case errc::broken_pipe:
      native = ERROR_BROKEN_PIPE;
      break;
    case errc::connection_refused:
      native = WSAECONNREFUSED;
      break;
    case errc::connection_reset:
      native = WSAECONNRESET;
      break;
    case errc::connection_aborted:
      native = WSAECONNABORTED;
      break;
    case errc::not_connected:
      native = WSAENOTCONN;
      break;
    case errc::address_in_use:
      native = WSAEADDRINUSE;
      break;
    case errc::address_unavailable:
      native = WSAEADDRNOTAVAIL;
      break;
    case errc::network_unreachable:
      native = WSAENETUNREACH;
      break;
    case errc::host_unreachable:
      native = WSAEHOSTUNREACH;
      break;
    case errc::in_progress:
      native = ERROR_IO_PENDING;
      break;
    case errc::message_too_long:
      native = WSAEMSGSIZE;
      break;
    case errc::io_error:
      native = ERROR_IO_DEVICE;
      break;
    case errc::exec_format:
      native = ERROR_BAD_EXE_FORMAT;
      break;
    case errc::no_such_process:  // Windows reports a gone process as ERROR_INVALID_PARAMETER
    case errc::unexpected_eof:
    case errc::malformed:
    case errc::limit_exceeded:
    case errc::version_mismatch:
    case errc::verification_failed:
    case errc::unknown:
      return error{kind, op};  // no Win32 code of its own
  }
  return error{kind, op, static_cast<std::int32_t>(native), error_domain::win32};
}

// Reads clock `id`; cannot fail.
VITTE_DECL std::int64_t os_platform_base::clock_now_ns(clock_id id) noexcept {
  switch (id) {
    case clock_id::monotonic:
      return detail::win32::qpc_now_ns();
    case clock_id::realtime:
      return detail::win32::system_time_ns(::GetSystemTimePreciseAsFileTime);
    case clock_id::monotonic_coarse:
      return detail::win32::tick_count_ns();
    case clock_id::realtime_coarse:
      return detail::win32::system_time_ns(::GetSystemTimeAsFileTime);
    case clock_id::boottime:
      return detail::win32::boottime_ns();
    case clock_id::process_cpu:
      return detail::win32::process_cpu_ns();
    case clock_id::thread_cpu:
      return detail::win32::thread_cpu_ns();
  }
  return detail::win32::qpc_now_ns();
}

// The step of clock `id`: 1e9 / QPC frequency (rounded up) for the
// precise clocks, the system tick for the coarse and CPU-time ones.
VITTE_DECL std::int64_t os_platform_base::clock_resolution_ns(clock_id id) noexcept {
  // The precise realtime clock and interrupt time count 100 ns ticks,
  // interpolated with the performance counter.
  std::int64_t qpc = detail::win32::qpc_resolution_ns();
  std::int64_t filetime_step = qpc > detail::win32::ns_per_filetime_tick ? qpc : detail::win32::ns_per_filetime_tick;
  switch (id) {
    case clock_id::monotonic:
      return qpc;
    case clock_id::realtime:
      return filetime_step;
    case clock_id::boottime:
      if (detail::win32::interrupt_time_precise() != nullptr) return filetime_step;
      return detail::win32::tick_ns();
    case clock_id::monotonic_coarse:
    case clock_id::realtime_coarse:
    case clock_id::process_cpu:
    case clock_id::thread_cpu:
      return detail::win32::tick_ns();
  }
  return qpc;
}

// Waits on a waitable timer (high-resolution where Windows has it) until
// clock `id` reads at least `t`: relative waits for the monotonic clocks,
// an absolute FILETIME deadline for the realtime ones, so that a change
// of the wall clock moves the wake-up. Relative waits do not count time
// spent suspended, so a sleep across a suspend may end late, never early.
// Errors: not_supported for the CPU-time clocks; what WaitForSingleObject reports.
VITTE_DECL error os_platform_base::sleep_until_ns(clock_id id, std::int64_t t) noexcept {
  bool absolute = false;
  switch (id) {
    case clock_id::process_cpu:
    case clock_id::thread_cpu:
      return error{errc::not_supported, ops::sleep};
    case clock_id::realtime:
    case clock_id::realtime_coarse:
      absolute = true;
      break;
    case clock_id::monotonic:
    case clock_id::monotonic_coarse:
    case clock_id::boottime:
      break;
  }
  // Timers may fire a little before the clock we were asked about reads t
  // (another clock, another rounding): wait again until it does.
  for (;;) {
    std::int64_t left = t - clock_now_ns(id);
    if (left <= 0) return {};
    std::int64_t ticks = left / detail::win32::ns_per_filetime_tick + (left % detail::win32::ns_per_filetime_tick != 0);
    std::int64_t due = absolute ? detail::win32::unix_ns_to_filetime_ceil(t) : -ticks;
    std::int64_t ms = left / 1'000'000 + (left % 1'000'000 != 0);
    DWORD fallback_ms = ms < INFINITE ? static_cast<DWORD>(ms) : INFINITE - 1;
    error e = detail::win32::wait_timer(due, fallback_ms);
    if (e) return e;
  }
}

// dwPageSize (4 KiB on x86 and x64).
VITTE_DECL std::size_t os_platform_base::page_size() noexcept { return detail::win32::system_info().dwPageSize; }

// dwAllocationGranularity: the alignment of VirtualAlloc and
// MapViewOfFile addresses (64 KiB).
VITTE_DECL std::size_t os_platform_base::allocation_granularity() noexcept {
  return detail::win32::system_info().dwAllocationGranularity;
}

// Processors in the process's affinity mask; every active processor
// when the process spans several processor groups.
VITTE_DECL unsigned os_platform_base::cpu_count() noexcept {
  DWORD_PTR process_mask = 0;
  DWORD_PTR system_mask = 0;
  if (::GetProcessAffinityMask(::GetCurrentProcess(), &process_mask, &system_mask) && process_mask != 0)
    return static_cast<unsigned>(std::popcount(static_cast<std::uint64_t>(process_mask)));
  // A process whose threads span several processor groups has no single
  // mask: Windows reports 0, and every active processor is available.
  DWORD n = ::GetActiveProcessorCount(ALL_PROCESSOR_GROUPS);
  return n > 0 ? static_cast<unsigned>(n) : 1u;
}

// "Windows 10.0.19045 x86_64", from RtlGetVersion (GetVersionEx reports
// the version the executable's manifest claims, not the real one).
VITTE_DECL std::size_t os_platform_base::os_description(char* buf, std::size_t n) noexcept {
  if (n == 0) return 0;
  vitte::detail::text_writer w{buf, n};
  w.append("Windows");
  using rtl_get_version_fn = LONG(WINAPI*)(PRTL_OSVERSIONINFOW);
  auto get_version = detail::win32::proc_address<rtl_get_version_fn>(L"ntdll.dll", "RtlGetVersion");
  RTL_OSVERSIONINFOW v{};
  v.dwOSVersionInfoSize = sizeof v;
  if (get_version != nullptr && get_version(&v) == 0) {  // 0 is STATUS_SUCCESS
    w.append(" ");
    w.append_int(v.dwMajorVersion);
    w.append(".");
    w.append_int(v.dwMinorVersion);
    w.append(".");
    w.append_int(v.dwBuildNumber);
  }
  SYSTEM_INFO native;
  ::GetNativeSystemInfo(&native);
  text_view machine = detail::win32::machine_name(native.wProcessorArchitecture);
  if (!machine.empty()) {
    w.append(" ");
    w.append(machine);
  }
  return w.len;
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_WIN32_PLATFORM_IPP
