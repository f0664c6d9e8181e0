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
#include <vitte/sys/fs_types.hpp>      // fs: handles, open modes, metadata, entries
#include <vitte/sys/memory_types.hpp>  // memory: protection, advice, commit_options
#include <vitte/sys/net_types.hpp>     // net: addresses, options
#include <vitte/sys/operations.hpp>
#include <vitte/sys/poller_types.hpp>  // poller: io_events, trigger, poll_event
#include <vitte/sys/process_types.hpp>
#include <vitte/text_view.hpp>

#include <cstddef>
#include <cstdint>

#if !VITTE_OS_WINDOWS
#error "vitte: the Win32 policy needs a Windows target"
#endif

namespace vitte::sys {

/// Windows policy. Every member is a static function of vitte types.
/// Thread safety: every member may be called concurrently.
struct win32_platform {
  static constexpr text_view name = "win32";

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

  // Ranges are whole pages inside one reservation; the facility checks input.

  /// GetLargePageMinimum, when the processor has large pages.
  static VITTE_DECL std::size_t huge_page_sizes(std::size_t* out, std::size_t n) noexcept;
  /// VirtualAlloc(MEM_RESERVE), with MEM_COMMIT unless `prot` is none; the
  /// address is a multiple of allocation_granularity(). `populate` touches
  /// each page; `huge_pages` is ignored (large pages need a privilege).
  /// A size beyond the address space (ERROR_INVALID_PARAMETER) is no_memory.
  static VITTE_DECL result<void*> memory_reserve(std::size_t size, protection prot, commit_options options) noexcept;
  /// VirtualAlloc(MEM_COMMIT); `populate` touches each page.
  static VITTE_DECL error memory_commit(void* p, std::size_t size, protection prot, commit_options options) noexcept;
  /// VirtualFree(MEM_DECOMMIT): the pages are reserved again, and read as
  /// zeros once committed again.
  static VITTE_DECL error memory_decommit(void* p, std::size_t size) noexcept;
  /// VirtualProtect; the pages must be committed.
  static VITTE_DECL error memory_protect(void* p, std::size_t size, protection prot) noexcept;
  /// VirtualFree(MEM_RELEASE) of the whole reservation at p.
  static VITTE_DECL error memory_release(void* p, std::size_t size) noexcept;
  /// will_need: PrefetchVirtualMemory; dont_need: VirtualAlloc(MEM_RESET).
  static VITTE_DECL error memory_advise(void* p, std::size_t size, advice a) noexcept;
  /// VirtualLock, VirtualUnlock (bounded by the working-set size: no_memory).
  static VITTE_DECL error memory_lock(void* p, std::size_t size) noexcept;
  static VITTE_DECL error memory_unlock(void* p, std::size_t size) noexcept;
  /// FlushInstructionCache on this process.
  static VITTE_DECL error flush_instruction_cache(const void* p, std::size_t size) noexcept;

  // shared memory: a pagefile-backed section (CreateFileMappingW), created
  // with PAGE_EXECUTE_READWRITE so that views may be executable.
  /// The section's HANDLE (not inheritable), of `size` zeroed bytes.
  static VITTE_DECL result<std::intptr_t> shared_memory_create(std::size_t size) noexcept;
  /// MapViewOfFile of the whole section; `prot` none is invalid_argument.
  static VITTE_DECL result<void*> shared_memory_map(std::intptr_t handle, std::size_t size, protection prot) noexcept;
  /// UnmapViewOfFile.
  static VITTE_DECL error shared_memory_unmap(void* p, std::size_t size) noexcept;
  /// CloseHandle; the views keep the section alive.
  static VITTE_DECL void shared_memory_close(std::intptr_t handle) noexcept;

  // aligned allocation: _aligned_malloc, _aligned_free.
  static VITTE_DECL result<void*> aligned_allocate(std::size_t size, std::size_t alignment) noexcept;
  static VITTE_DECL void aligned_free(void* p) noexcept;

  // process: CreateProcessW (detail/win32/process.ipp). The command line is
  // quoted so that CommandLineToArgvW gives back each argument exactly; a
  // .bat or .cmd program with an argument cmd.exe would re-parse is refused
  // (invalid_argument). The child starts suspended, joins a job object of
  // its own (JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE, lifted by keep_running),
  // then runs; only its three standard handles are inherited
  // (PROC_THREAD_ATTRIBUTE_HANDLE_LIST). Environment blocks are UTF-16.
  static VITTE_DECL error process_spawn(const spawn_request& req, native_process& out) noexcept;
  /// WaitForSingleObject on the process, GetExitCodeProcess.
  static VITTE_DECL error process_wait(native_process& p, std::int64_t deadline_ns, exit_status& out) noexcept;
  /// kill: TerminateJobObject (the child and everything it started);
  /// terminate and interrupt: CTRL_BREAK_EVENT to the child's console
  /// process group (only children sharing our console receive it).
  static VITTE_DECL error process_signal(const native_process& p, process_signal_kind kind) noexcept;
  /// Closes the process and job handles.
  static VITTE_DECL void process_release(native_process& p, bool keep_running) noexcept;
  static VITTE_DECL std::int64_t process_current_id() noexcept;
  /// CreatePipe, or a named pipe whose read end is overlapped (for
  /// pipe_drain); neither end inheritable.
  static VITTE_DECL error pipe_create(native_handle (&ends)[2], bool overlapped_read) noexcept;
  /// NUL.
  static VITTE_DECL result<native_handle> null_device_open(bool write) noexcept;
  /// GetStdHandle.
  static VITTE_DECL native_handle std_handle(int which) noexcept;
  /// Overlapped reads on every pipe, WaitForMultipleObjects.
  static VITTE_DECL error pipe_drain(const native_handle* handles, std::size_t count, drain_sink& sink,
                                     std::int64_t deadline_ns) noexcept;
  /// Success for an existing file that is not a directory; else not_found,
  /// is_a_directory (operation find_program).
  static VITTE_DECL error program_check(const char* path) noexcept;

  /// GetEnvironmentVariableW, SetEnvironmentVariableW, GetEnvironmentStringsW,
  /// converted from and to UTF-8. The C runtime's copy (getenv) is not updated.
  static VITTE_DECL result<std::size_t> env_get(const char* name, char* buf, std::size_t n) noexcept;
  static VITTE_DECL error env_set(const char* name, const char* value) noexcept;
  static VITTE_DECL error env_unset(const char* name) noexcept;
  static VITTE_DECL void env_list(void (*each)(void* ctx, const char* entry, std::size_t length), void* ctx) noexcept;
  static constexpr bool env_case_insensitive = true;
  /// GetModuleFileNameW.
  static VITTE_DECL result<std::size_t> executable_path(char* buf, std::size_t n) noexcept;
  /// GetComputerNameExW(ComputerNameDnsHostname).
  static VITTE_DECL result<std::size_t> host_name(char* buf, std::size_t n) noexcept;
  /// GlobalMemoryStatusEx.
  static VITTE_DECL std::uint64_t physical_memory() noexcept;
  /// "Windows" and RtlGetVersion's "major.minor.build".
  static VITTE_DECL std::size_t os_name(char* buf, std::size_t n) noexcept;
  static VITTE_DECL std::size_t os_version(char* buf, std::size_t n) noexcept;

  // dynlib: LoadLibraryExW with LOAD_LIBRARY_SEARCH_DEFAULT_DIRS (and
  // LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR for paths with a directory, made
  // absolute): never the current directory. GetProcAddress, FreeLibrary;
  // pin: GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_PIN). Error texts come
  // from FormatMessageW of this thread's GetLastError: no race.
  static VITTE_DECL result<native_handle> library_open(const char* path, library_flags flags,
                                                       library_diagnostic* diag) noexcept;
  static VITTE_DECL result<void*> library_symbol(native_handle h, const char* name, library_diagnostic* diag) noexcept;
  static VITTE_DECL error library_close(native_handle h, library_diagnostic* diag) noexcept;
  static VITTE_DECL error library_pin(native_handle h) noexcept;

  // signal: console control events (SetConsoleCtrlHandler) recorded in a
  // pending mask and signalled on a manual-reset event, the native handle.
  // signal_kind::child is not_supported; blocking is not_supported.
  static VITTE_DECL result<native_handle> signal_open(std::uint32_t mask) noexcept;
  static VITTE_DECL result<signal_kind> signal_read(native_handle h) noexcept;
  static VITTE_DECL error signal_wait(native_handle h, std::int64_t deadline_ns) noexcept;
  static VITTE_DECL void signal_close(native_handle h, std::uint32_t mask) noexcept;
  static VITTE_DECL error signal_block(std::uint32_t mask, bool block) noexcept;
  /// GenerateConsoleCtrlEvent would reach every process on the console:
  /// interrupt and terminate are delivered to this process's own handler
  /// list only (the watch sees them as from the console).
  static VITTE_DECL error signal_raise(signal_kind kind) noexcept;

  // thread: _beginthreadex (so the C runtime knows the thread).
  /// Runs (*start)(start) on a new thread; stack_size 0 is the default.
  /// Errors: limit_exceeded, no_memory, what _beginthreadex reports.
  static VITTE_DECL error thread_create(std::uintptr_t& handle, void (**start)(void*), std::size_t stack_size) noexcept;
  static VITTE_DECL error thread_join(std::uintptr_t handle) noexcept;
  static VITTE_DECL error thread_detach(std::uintptr_t handle) noexcept;
  /// GetThreadId / GetCurrentThreadId.
  static VITTE_DECL std::uint64_t thread_id_of(std::uintptr_t handle) noexcept;
  static VITTE_DECL std::uint64_t thread_current_id() noexcept;
  static VITTE_DECL void thread_yield() noexcept;
  /// SetThreadDescription / GetThreadDescription (Windows 10 1607), looked
  /// up at run time: errc::not_supported where they are missing.
  static VITTE_DECL error thread_set_name(const char* name) noexcept;
  static VITTE_DECL error thread_get_name(char* buf, std::size_t n) noexcept;
  /// SetThreadAffinityMask: CPUs of the calling thread's processor group
  /// (the first 64); a mask beyond them is errc::invalid_argument.
  static VITTE_DECL error thread_set_affinity(const std::uint64_t* mask, std::size_t words) noexcept;
  static VITTE_DECL int thread_current_cpu() noexcept;

  // wait: WaitOnAddress (looked up at run time in KernelBase.dll), else a
  // hashed table of SRWLOCK + CONDITION_VARIABLE parking slots.
  static VITTE_DECL error wait_on_address(const void* addr, std::uint32_t expected, std::int64_t deadline_ns) noexcept;
  static VITTE_DECL void wake_on_address(const void* addr, bool all) noexcept;

  // native locks: SRWLOCK (exclusive for mutexes, both modes for shared
  // mutexes) and CONDITION_VARIABLE; pointer-sized, nothing to destroy.
  static constexpr std::size_t mutex_size = sizeof(void*);
  static constexpr std::size_t mutex_align = alignof(void*);
  static VITTE_DECL void mutex_init(void* m) noexcept;
  static VITTE_DECL void mutex_destroy(void* m) noexcept;
  static VITTE_DECL void mutex_lock(void* m) noexcept;
  static VITTE_DECL bool mutex_try_lock(void* m) noexcept;
  static VITTE_DECL void mutex_unlock(void* m) noexcept;
  static constexpr std::size_t condition_size = sizeof(void*);
  static constexpr std::size_t condition_align = alignof(void*);
  static VITTE_DECL void condition_init(void* c) noexcept;
  static VITTE_DECL void condition_destroy(void* c) noexcept;
  /// SleepConditionVariableSRW; errc::timed_out once the monotonic clock
  /// reaches deadline_ns. May wake spuriously.
  static VITTE_DECL error condition_wait(void* c, void* m, std::int64_t deadline_ns) noexcept;
  static VITTE_DECL void condition_notify(void* c, bool all) noexcept;
  static constexpr std::size_t shared_mutex_size = sizeof(void*);
  static constexpr std::size_t shared_mutex_align = alignof(void*);
  static VITTE_DECL void shared_mutex_init(void* m) noexcept;
  static VITTE_DECL void shared_mutex_destroy(void* m) noexcept;
  static VITTE_DECL void shared_mutex_lock(void* m) noexcept;
  static VITTE_DECL bool shared_mutex_try_lock(void* m) noexcept;
  static VITTE_DECL void shared_mutex_unlock(void* m) noexcept;
  static VITTE_DECL void shared_mutex_lock_shared(void* m) noexcept;
  static VITTE_DECL bool shared_mutex_try_lock_shared(void* m) noexcept;
  static VITTE_DECL void shared_mutex_unlock_shared(void* m) noexcept;

  // Paths are UTF-8, converted to UTF-16 (on the stack up to MAX_PATH) and,
  // from 248 characters on, made absolute with the \\?\ prefix so that long
  // paths work. Files are opened sharing read, write and delete (POSIX-like:
  // an open file can be renamed or removed), never inheritable. A directory
  // handle is a vitte object holding the HANDLE and the directory's full
  // path; calls relative to it compose that path with the name (Windows has
  // no documented *at() calls), so they are not immune to renames of the
  // directory the way POSIX *at() calls are. Errors carry GetLastError().

  /// CreateFileW (CREATE_NEW for exclusive, OPEN_ALWAYS, CREATE_ALWAYS,
  /// TRUNCATE_EXISTING; FILE_APPEND_DATA for append; no_follow refuses a
  /// reparse point). A file created without write permission bits is read-only.
  static VITTE_DECL result<native_handle> file_open(native_handle dir, const char* path, open_mode mode,
                                                    std::uint32_t perms) noexcept;
  /// CloseHandle.
  static VITTE_DECL error file_close(native_handle h) noexcept;
  /// ReadFile, WriteFile (at most 1 GiB a call); with an OVERLAPPED offset
  /// for the positional forms, which also move the file position.
  static VITTE_DECL result<std::size_t> file_read(native_handle h, void* buf, std::size_t n) noexcept;
  static VITTE_DECL result<std::size_t> file_write(native_handle h, const void* buf, std::size_t n) noexcept;
  static VITTE_DECL result<std::size_t> file_read_at(native_handle h, void* buf, std::size_t n,
                                                     std::uint64_t offset) noexcept;
  static VITTE_DECL result<std::size_t> file_write_at(native_handle h, const void* buf, std::size_t n,
                                                      std::uint64_t offset) noexcept;
  /// One ReadFile / WriteFile per buffer until one transfers less (scatter
  /// I/O on Windows needs unbuffered, page-aligned files).
  static VITTE_DECL result<std::size_t> file_read_vec(native_handle h, const mutable_buffer* bufs,
                                                      std::size_t count) noexcept;
  static VITTE_DECL result<std::size_t> file_write_vec(native_handle h, const const_buffer* bufs,
                                                       std::size_t count) noexcept;
  /// SetFilePointerEx.
  static VITTE_DECL result<std::uint64_t> file_seek(native_handle h, std::int64_t offset, seek_origin origin) noexcept;
  /// GetFileInformationByHandle: volume serial number and file index as identity.
  static VITTE_DECL error file_stat(native_handle h, file_status& out) noexcept;
  /// SetFileInformationByHandle(FileEndOfFileInfo).
  static VITTE_DECL error file_truncate(native_handle h, std::uint64_t size) noexcept;
  /// SetFileTime (keep_time: left as is, now_time: the current time).
  static VITTE_DECL error file_set_times(native_handle h, std::int64_t atime_ns, std::int64_t mtime_ns) noexcept;
  /// FileAllocationInfo, then FileEndOfFileInfo to grow the size.
  static VITTE_DECL error file_allocate(native_handle h, std::uint64_t offset, std::uint64_t length) noexcept;
  /// FlushFileBuffers (data_only too).
  static VITTE_DECL error file_sync(native_handle h, bool data_only) noexcept;
  /// LockFileEx / UnlockFileEx on every byte; per handle, and mandatory.
  static VITTE_DECL error file_lock(native_handle h, lock_kind kind, bool wait) noexcept;
  static VITTE_DECL error file_unlock(native_handle h) noexcept;

  /// CreateFileW with FILE_FLAG_BACKUP_SEMANTICS, into a vitte directory object.
  static VITTE_DECL result<native_handle> dir_open(native_handle dir, const char* path, bool no_follow) noexcept;
  static VITTE_DECL void dir_close(native_handle h) noexcept;
  /// Nothing: renames are written through (MOVEFILE_WRITE_THROUGH).
  static VITTE_DECL error dir_sync(native_handle h) noexcept;
  /// FindFirstFileExW(FindExInfoBasic, FIND_FIRST_EX_LARGE_FETCH), FindNextFileW.
  static VITTE_DECL result<std::intptr_t> dir_stream_open(native_handle dir) noexcept;
  static VITTE_DECL error dir_stream_next(std::intptr_t stream, dir_entry& out) noexcept;
  static VITTE_DECL void dir_stream_close(std::intptr_t stream) noexcept;
  /// CreateFileW (FILE_READ_ATTRIBUTES; FILE_FLAG_OPEN_REPARSE_POINT unless
  /// `follow`) and GetFileInformationByHandle.
  static VITTE_DECL error path_stat(native_handle dir, const char* path, bool follow, file_status& out) noexcept;
  /// CreateDirectoryW.
  static VITTE_DECL error dir_create(native_handle dir, const char* path, std::uint32_t perms) noexcept;
  /// DeleteFileW (clearing the read-only attribute, as POSIX unlinks
  /// read-only files; RemoveDirectoryW for directory links), RemoveDirectoryW.
  static VITTE_DECL error path_remove(native_handle dir, const char* path, bool directory) noexcept;
  /// MoveFileExW(MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH).
  static VITTE_DECL error path_rename(native_handle from_dir, const char* from, native_handle to_dir,
                                      const char* to) noexcept;
  /// CreateHardLinkW.
  static VITTE_DECL error path_link(native_handle from_dir, const char* from, native_handle to_dir,
                                    const char* to) noexcept;
  /// CreateSymbolicLinkW (unprivileged in developer mode; a directory link
  /// when the target is a directory).
  static VITTE_DECL error path_symlink(const char* target, native_handle dir, const char* path) noexcept;
  /// FSCTL_GET_REPARSE_POINT: the print name of a symbolic link or junction.
  static VITTE_DECL result<std::size_t> path_read_link(native_handle dir, const char* path, char* buf,
                                                       std::size_t n) noexcept;
  /// SetFileTime (100 ns resolution).
  static VITTE_DECL error path_set_times(native_handle dir, const char* path, std::int64_t atime_ns,
                                         std::int64_t mtime_ns, bool follow) noexcept;
  /// The read-only attribute: set when `perms` has no write bit.
  static VITTE_DECL error path_set_permissions(native_handle dir, const char* path, std::uint32_t perms,
                                               bool follow) noexcept;
  /// CopyFileExW (COPY_FILE_FAIL_IF_EXISTS unless `overwrite`).
  static VITTE_DECL error path_copy(const char* from, const char* to, bool overwrite) noexcept;
  /// errc::not_supported (path_copy does the job).
  static VITTE_DECL result<std::size_t> file_copy_chunk(native_handle in, native_handle out, std::size_t n) noexcept;
  /// GetCurrentDirectoryW, SetCurrentDirectoryW.
  static VITTE_DECL result<std::size_t> current_directory(char* buf, std::size_t n) noexcept;
  static VITTE_DECL error set_current_directory(const char* path) noexcept;
  /// GetFinalPathNameByHandleW, without the \\?\ prefix.
  static VITTE_DECL result<std::size_t> canonical_path(const char* path, char* buf, std::size_t n) noexcept;
  /// GetTempPathW, without the trailing separator.
  static VITTE_DECL result<std::size_t> temp_directory(char* buf, std::size_t n) noexcept;

  /// CreateFileMappingW + MapViewOfFile (FILE_MAP_COPY for map_mode::copy);
  /// the mapping handle is closed at once (the view keeps it alive).
  static VITTE_DECL result<void*> file_map(native_handle h, std::uint64_t offset, std::size_t size,
                                           map_mode mode) noexcept;
  /// UnmapViewOfFile, FlushViewOfFile.
  static VITTE_DECL error file_unmap(void* p, std::size_t size) noexcept;
  static VITTE_DECL error file_map_sync(void* p, std::size_t size) noexcept;

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

  // random: BCryptGenRandom with the system-preferred RNG (bcrypt.dll,
  // looked up at run time so programs need no import library), else
  // RtlGenRandom (advapi32's SystemFunction036).
  static VITTE_DECL result<std::size_t> random_fill(void* buf, std::size_t n) noexcept;

  // terminal: GetStdHandle; a console is a terminal (GetConsoleMode), and
  // colours need ENABLE_VIRTUAL_TERMINAL_PROCESSING (Windows 10 1511 and
  // later), which enable_terminal_colors switches on (detail/win32/terminal.ipp).
  static VITTE_DECL native_handle standard_handle(int which) noexcept;
  static VITTE_DECL bool is_terminal(native_handle h) noexcept;
  static VITTE_DECL bool enable_terminal_colors(native_handle h) noexcept;

  // net: Winsock 2 (started once, on first use). Sockets are not
  // inheritable (WSA_FLAG_NO_HANDLE_INHERIT); Windows has no SIGPIPE.
  // Unix-domain stream sockets need Windows 10 1803 (AF_UNIX); socket pairs
  // are two loopback TCP (or UDP) sockets connected to each other. Errors
  // carry WSAGetLastError() codes.
  static VITTE_DECL result<native_handle> socket_open(address_family f, socket_type t, bool nonblocking) noexcept;
  static VITTE_DECL error socket_close(native_handle h) noexcept;
  static VITTE_DECL error socket_bind(native_handle h, const socket_address& a) noexcept;
  static VITTE_DECL error socket_listen(native_handle h, int backlog) noexcept;
  static VITTE_DECL result<native_handle> socket_accept(native_handle h, socket_address* peer,
                                                        bool nonblocking) noexcept;
  /// connect; a non-blocking socket reports errc::in_progress (WSAEWOULDBLOCK).
  static VITTE_DECL error socket_connect(native_handle h, const socket_address& a) noexcept;
  static VITTE_DECL error socket_connect_result(native_handle h) noexcept;
  /// WSASend / WSASendTo.
  static VITTE_DECL result<std::size_t> socket_send(native_handle h, const const_buffer* bufs, std::size_t count,
                                                    const socket_address* to) noexcept;
  /// WSARecv / WSARecvFrom; WSAEMSGSIZE sets `truncated`.
  static VITTE_DECL result<std::size_t> socket_receive(native_handle h, const mutable_buffer* bufs, std::size_t count,
                                                       socket_address* from, bool* truncated) noexcept;
  static VITTE_DECL error socket_shutdown(native_handle h, shutdown_how how) noexcept;
  static VITTE_DECL error socket_set_option(native_handle h, socket_option o, int value) noexcept;
  static VITTE_DECL result<int> socket_get_option(native_handle h, socket_option o) noexcept;
  /// ioctlsocket(FIONBIO).
  static VITTE_DECL error socket_set_nonblocking(native_handle h, bool on) noexcept;
  static VITTE_DECL error socket_address_of(native_handle h, bool peer, socket_address& out) noexcept;
  static VITTE_DECL error socket_pair(socket_type t, bool nonblocking, native_handle* out) noexcept;
  /// select() on one socket (it reports failed connects, which WSAPoll did
  /// not before Windows 10 2004).
  static VITTE_DECL result<io_events> socket_wait(native_handle h, io_events interest,
                                                  std::int64_t deadline_ns) noexcept;
  /// GetAddrInfoW.
  static VITTE_DECL result<std::size_t> resolve(const char* host, const char* service, const resolve_hints& hints,
                                                socket_address* out, std::size_t n) noexcept;

  // poller: WSAPoll over an array of WSAPOLLFD with an index map (O(1) add,
  // modify, remove), woken by a UDP socket connected to itself on loopback.
  // Sockets only (WSAPoll cannot watch pipes or files); level triggered only
  // (edge: errc::not_supported). Winsock is started once, on first use.
  static VITTE_DECL result<std::intptr_t> poller_open() noexcept;
  static VITTE_DECL void poller_close(std::intptr_t p) noexcept;
  static VITTE_DECL error poller_add(std::intptr_t p, native_handle h, io_events interest, trigger t,
                                     std::uint64_t data) noexcept;
  static VITTE_DECL error poller_modify(std::intptr_t p, native_handle h, io_events interest, trigger t,
                                        std::uint64_t data) noexcept;
  static VITTE_DECL error poller_remove(std::intptr_t p, native_handle h) noexcept;
  static VITTE_DECL result<std::size_t> poller_wait(std::intptr_t p, poll_event* out, std::size_t n,
                                                    std::int64_t deadline_ns) noexcept;
  static VITTE_DECL error poller_wake(std::intptr_t p) noexcept;
};

}  // namespace vitte::sys

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/win32/platform.ipp>
#endif

#endif  // VITTE_SYS_POLICY_WIN32_HPP
