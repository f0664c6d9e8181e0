// vitte/sys/policy/linux.hpp - the Linux platform policy (default on Linux).
//
// The POSIX policy plus what Linux does better: coarse clocks
// (CLOCK_*_COARSE), CLOCK_BOOTTIME, and CPU counts that honour the
// process's affinity mask; futex waits, epoll, inotify, signalfd and
// memfd in the facilities' Linux backends (sys/detail/linux/).
#ifndef VITTE_SYS_POLICY_LINUX_HPP
#define VITTE_SYS_POLICY_LINUX_HPP

#include <vitte/sys/policy/posix.hpp>

#if !VITTE_OS_LINUX
#error "vitte: the Linux policy needs a Linux target"
#endif

namespace vitte::sys {

/// Linux policy: a delta over posix_platform.
struct linux_platform : posix_platform {
  static constexpr text_view name = "linux";

  // clock: every clock_id, coarse ones from the kernel's tick.
  static constexpr bool has_clock(clock_id) noexcept { return true; }
  static VITTE_DECL std::int64_t clock_now_ns(clock_id id) noexcept;
  static VITTE_DECL std::int64_t clock_resolution_ns(clock_id id) noexcept;
  static VITTE_DECL error sleep_until_ns(clock_id id, std::int64_t t) noexcept;

  // system_info: CPUs this process may run on (sched_getaffinity).
  static VITTE_DECL unsigned cpu_count() noexcept;

  /// The sizes of /sys/kernel/mm/hugepages, else /proc/meminfo's Hugepagesize.
  static VITTE_DECL std::size_t huge_page_sizes(std::size_t* out, std::size_t n) noexcept;
  /// mmap, with MAP_POPULATE for `populate` and MADV_HUGEPAGE for `huge_pages`
  /// (both: MADV_HUGEPAGE, then MADV_POPULATE_WRITE).
  static VITTE_DECL result<void*> memory_reserve(std::size_t size, protection prot, commit_options options) noexcept;
  /// mprotect, then MADV_HUGEPAGE and MADV_POPULATE_WRITE (or _READ) as asked;
  /// kernels before 5.14 populate by touching.
  static VITTE_DECL error memory_commit(void* p, std::size_t size, protection prot, commit_options options) noexcept;
  /// madvise: MADV_WILLNEED; MADV_DONTNEED, after which private pages read as zeros.
  static VITTE_DECL error memory_advise(void* p, std::size_t size, advice a) noexcept;
  /// memfd_create (close-on-exec, no name in any file system); the POSIX
  /// shm_open way when VITTE_HAS_MEMFD is 0 or the kernel lacks memfd.
  static VITTE_DECL result<std::intptr_t> shared_memory_create(std::size_t size) noexcept;

  // thread: names (prctl PR_SET_NAME, 15 bytes), affinity
  // (sched_setaffinity) and the current CPU (sched_getcpu).
  static VITTE_DECL error thread_set_name(const char* name) noexcept;
  static VITTE_DECL error thread_get_name(char* buf, std::size_t n) noexcept;
  static VITTE_DECL error thread_set_affinity(const std::uint64_t* mask, std::size_t words) noexcept;
  static VITTE_DECL int thread_current_cpu() noexcept;

  // wait: the futex (FUTEX_WAIT_BITSET with an absolute CLOCK_MONOTONIC
  // deadline, private to the process); mutexes, condition variables and
  // shared mutexes are built on it.
  static constexpr bool futex_locks = true;
  static VITTE_DECL error wait_on_address(const void* addr, std::uint32_t expected, std::int64_t deadline_ns) noexcept;
  static VITTE_DECL void wake_on_address(const void* addr, bool all) noexcept;
  /// True while the process has a single thread (glibc's
  /// __libc_single_threaded): the futex mutex then locks with plain loads
  /// and stores, as glibc's own mutex does. False where libc cannot tell.
  static VITTE_DECL bool single_threaded() noexcept;

  // process: pidfd_open (Linux 5.3), so that a wait with a deadline polls
  // the pidfd instead of sleeping; the POSIX way on older kernels.
  static VITTE_DECL error process_spawn(const spawn_request& req, native_process& out) noexcept;
  static VITTE_DECL error process_wait(native_process& p, std::int64_t deadline_ns, exit_status& out) noexcept;
  static VITTE_DECL void process_release(native_process& p, bool keep_running) noexcept;

  // signal: signalfd (SFD_CLOEXEC | SFD_NONBLOCK). The signals are blocked
  // in the calling thread, and threads created later inherit that: open the
  // watch in main() before starting threads, or block the signals in every
  // thread (signal_block), or another thread takes them.
  static VITTE_DECL result<native_handle> signal_open(std::uint32_t mask) noexcept;
  static VITTE_DECL result<signal_kind> signal_read(native_handle h) noexcept;
  static VITTE_DECL void signal_close(native_handle h, std::uint32_t mask) noexcept;

  /// Directory streams read with getdents64 into a 32 KiB buffer, d_type
  /// and d_ino from the kernel, no per-entry call.
  static VITTE_DECL result<std::intptr_t> dir_stream_open(native_handle dir) noexcept;
  static VITTE_DECL error dir_stream_next(std::intptr_t stream, dir_entry& out) noexcept;
  static VITTE_DECL void dir_stream_close(std::intptr_t stream) noexcept;
  /// Open file description locks (F_OFD_SETLK, Linux 3.15): owned by the
  /// handle, like flock, so two handles conflict even in one process and
  /// closing another handle of the file keeps the lock. flock on older kernels.
  static VITTE_DECL error file_lock(native_handle h, lock_kind kind, bool wait) noexcept;
  static VITTE_DECL error file_unlock(native_handle h) noexcept;
  /// copy_file_range (in-kernel, reflinks where the file system can), then
  /// sendfile; errc::not_supported when neither copies between these files.
  static VITTE_DECL result<std::size_t> file_copy_chunk(native_handle in, native_handle out, std::size_t n) noexcept;
  /// inotify (IN_CLOEXEC): create, modify, delete, move and self events.
  static VITTE_DECL result<native_handle> watch_open() noexcept;
  static VITTE_DECL result<int> watch_add(native_handle w, const char* path) noexcept;
  static VITTE_DECL error watch_remove(native_handle w, int id) noexcept;
  static VITTE_DECL error watch_next(native_handle w, watch_event& out, std::int64_t deadline_ns) noexcept;
  static VITTE_DECL void watch_close(native_handle w) noexcept;

  // random: getrandom(2) (blocks until the pool is initialised, never
  // returns fewer than 256 bytes unless interrupted); /dev/urandom through
  // the POSIX policy on kernels before 3.17 (ENOSYS).
  static VITTE_DECL result<std::size_t> random_fill(void* buf, std::size_t n) noexcept;

  // net: atomic close-on-exec and non-blocking flags (SOCK_CLOEXEC,
  // SOCK_NONBLOCK, accept4), so no fork in another thread leaks a socket.
  static VITTE_DECL result<native_handle> socket_open(address_family f, socket_type t, bool nonblocking) noexcept;
  static VITTE_DECL result<native_handle> socket_accept(native_handle h, socket_address* peer,
                                                        bool nonblocking) noexcept;
  static VITTE_DECL error socket_pair(socket_type t, bool nonblocking, native_handle* out) noexcept;

  // poller: epoll (EPOLL_CLOEXEC), level or edge triggered (EPOLLET), woken
  // by an eventfd. -DVITTE_DISABLE_EPOLL (or VITTE_HAS_EPOLL=0) keeps the
  // POSIX poll(2) backend; poll_platform<linux_platform> forces it per use.
#if VITTE_HAS_EPOLL
  static VITTE_DECL result<std::intptr_t> poller_open() noexcept;
  static VITTE_DECL void poller_close(std::intptr_t p) noexcept;
  static VITTE_DECL error poller_add(std::intptr_t p, native_handle h, io_events interest, trigger t,
                                     std::uint64_t data) noexcept;
  static VITTE_DECL error poller_modify(std::intptr_t p, native_handle h, io_events interest, trigger t,
                                        std::uint64_t data) noexcept;
  static VITTE_DECL error poller_remove(std::intptr_t p, native_handle h) noexcept;
  /// epoll_wait into at most 256 events a call.
  static VITTE_DECL result<std::size_t> poller_wait(std::intptr_t p, poll_event* out, std::size_t n,
                                                    std::int64_t deadline_ns) noexcept;
  static VITTE_DECL error poller_wake(std::intptr_t p) noexcept;
#endif
};

}  // namespace vitte::sys

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/linux/platform.ipp>
#endif

#endif  // VITTE_SYS_POLICY_LINUX_HPP
