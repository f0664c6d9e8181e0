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
#include <vitte/base/text_view.hpp>
#include <vitte/sys/clock_id.hpp>
#include <vitte/sys/fs_types.hpp>      // fs: handles, open modes, metadata, entries
#include <vitte/sys/memory_types.hpp>  // memory: protection, advice, commit_options
#include <vitte/sys/net_types.hpp>     // net: addresses, options
#include <vitte/sys/operations.hpp>
#include <vitte/sys/policy/os_base.hpp>  // the functions every OS policy declares
#include <vitte/sys/poller_types.hpp>    // poller: io_events, trigger, poll_event
#include <vitte/sys/process_types.hpp>

#include <cstddef>
#include <cstdint>

#if !VITTE_OS_WINDOWS
#error "vitte: the Win32 policy needs a Windows target"
#endif

namespace vitte::sys {

/// Windows policy: the functions of os_platform_base (policy/os_base.hpp),
/// defined in vitte/sys/detail/win32/*.ipp, and what Windows adds. Every
/// member may be called concurrently. How each facility is done:
///
///   clock      every clock_id (see the table above)
///   memory     whole pages inside one reservation (the facility checks
///              input); shared memory is a pagefile-backed section
///              (CreateFileMappingW), created with PAGE_EXECUTE_READWRITE so
///              that views may be executable; aligned allocation is
///              _aligned_malloc, _aligned_free
///   process    CreateProcessW (detail/win32/process.ipp). The command line
///              is quoted so that CommandLineToArgvW gives back each argument
///              exactly; a .bat or .cmd program with an argument cmd.exe
///              would re-parse is refused (invalid_argument). The child
///              starts suspended, joins a job object of its own
///              (JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE, lifted by keep_running),
///              then runs; only its three standard handles are inherited
///              (PROC_THREAD_ATTRIBUTE_HANDLE_LIST). Environment blocks are
///              UTF-16
///   dynlib     LoadLibraryExW with LOAD_LIBRARY_SEARCH_DEFAULT_DIRS (and
///              LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR for paths with a directory,
///              made absolute): never the current directory. GetProcAddress,
///              FreeLibrary; pin: GetModuleHandleExW
///              (GET_MODULE_HANDLE_EX_FLAG_PIN). Error texts come from
///              FormatMessageW of this thread's GetLastError: no race
///   signal     console control events (SetConsoleCtrlHandler) recorded in a
///              pending mask and signalled on a manual-reset event, the
///              native handle. signal_kind::child is not_supported; blocking
///              is not_supported
///   thread     _beginthreadex (so the C runtime knows the thread)
///   wait       WaitOnAddress (looked up at run time in KernelBase.dll), else
///              a hashed table of SRWLOCK + CONDITION_VARIABLE parking slots
///   locks      SRWLOCK (exclusive for mutexes, both modes for shared
///              mutexes) and CONDITION_VARIABLE; pointer-sized, nothing to
///              destroy
///   files      paths are UTF-8, converted to UTF-16 (on the stack up to
///              MAX_PATH) and, from 248 characters on, made absolute with the
///              \\?\ prefix so that long paths work. Files are opened sharing
///              read, write and delete (POSIX-like: an open file can be
///              renamed or removed), never inheritable. A directory handle is
///              a vitte object holding the HANDLE and the directory's full
///              path; calls relative to it compose that path with the name
///              (Windows has no documented *at() calls), so they are not
///              immune to renames of the directory the way POSIX *at() calls
///              are
///   random     BCryptGenRandom with the system-preferred RNG (bcrypt.dll,
///              looked up at run time so programs need no import library),
///              else RtlGenRandom (advapi32's SystemFunction036)
///   terminal   GetStdHandle; a console is a terminal (GetConsoleMode), and
///              colours need ENABLE_VIRTUAL_TERMINAL_PROCESSING (Windows 10
///              1511 and later), which enable_terminal_colors switches on
///              (detail/win32/terminal.ipp)
///   net        Winsock 2 (started once, on first use). Sockets are not
///              inheritable (WSA_FLAG_NO_HANDLE_INHERIT); Windows has no
///              SIGPIPE. Unix-domain stream sockets need Windows 10 1803
///              (AF_UNIX); socket pairs are two loopback TCP (or UDP) sockets
///              connected to each other. Errors carry WSAGetLastError() codes
///   poller     WSAPoll over an array of WSAPOLLFD with an index map (O(1)
///              add, modify, remove), woken by a UDP socket connected to
///              itself on loopback. Sockets only (WSAPoll cannot watch pipes
///              or files); level triggered only (edge: errc::not_supported)
///
/// Errors carry GetLastError() codes unless said otherwise.
struct win32_platform : os_platform_base {
  static constexpr text_view name = "win32";

  static constexpr bool has_clock(clock_id) noexcept { return true; }
  static constexpr bool env_case_insensitive = true;

  static constexpr std::size_t mutex_size = sizeof(void*);
  static constexpr std::size_t mutex_align = alignof(void*);
  static constexpr std::size_t condition_size = sizeof(void*);
  static constexpr std::size_t condition_align = alignof(void*);
  static constexpr std::size_t shared_mutex_size = sizeof(void*);
  static constexpr std::size_t shared_mutex_align = alignof(void*);

  /// ReadDirectoryChangesW (overlapped, one directory handle per watch,
  /// file names, directory names, size, last write and creation changes).
  /// A watched file is its parent directory filtered to its name. At most 64
  /// watches per watcher (WaitForMultipleObjects): errc::limit_exceeded past
  /// that. A lost buffer (too many changes at once) reports `overflow`.
  static VITTE_DECL result<native_handle> watch_open() noexcept;
  static VITTE_DECL result<int> watch_add(native_handle w, const char* path) noexcept;
  static VITTE_DECL error watch_remove(native_handle w, int id) noexcept;
  static VITTE_DECL error watch_next(native_handle w, watch_event& out, std::int64_t deadline_ns) noexcept;
  static VITTE_DECL void watch_close(native_handle w) noexcept;
};

}  // namespace vitte::sys

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/win32/platform.ipp>
#endif

#endif  // VITTE_SYS_POLICY_WIN32_HPP
