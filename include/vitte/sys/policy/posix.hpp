// vitte/sys/policy/posix.hpp - the generic POSIX platform policy.
//
// Written against POSIX.1-2008 only, so that it is the code Linux, Darwin and
// the BSDs share: those policies derive from it and replace what they do
// better. On Linux it is selectable (meson -Dplatform=posix, or
// -DVITTE_POLICY=VITTE_POLICY_POSIX) so the shared code runs in CI.
#ifndef VITTE_SYS_POLICY_POSIX_HPP
#define VITTE_SYS_POLICY_POSIX_HPP

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

#if !VITTE_OS_POSIX
#error "vitte: the POSIX policy needs a POSIX target"
#endif

namespace vitte::sys {

/// Generic POSIX policy: the functions of os_platform_base
/// (policy/os_base.hpp), defined in vitte/sys/detail/posix/*.ipp, and what
/// POSIX adds. How each facility is done:
///
///   error      errno values (error_domain::posix)
///   clock      monotonic, realtime, process and thread CPU time; the coarse
///              clocks read the precise ones (POSIX has no coarse clock)
///   sleep      clock_nanosleep(TIMER_ABSTIME) on the clock itself
///   memory     whole pages inside one mapping (the facility checks input);
///              EAGAIN (a locked-memory limit) counts as no_memory; shared
///              memory is shm_open under a unique name, unlinked at once;
///              aligned allocation is posix_memalign
///   process    processes, pipes, environment and host information
///              (detail/posix/process.ipp, environment.ipp)
///   dynlib     dlopen, dlsym, dlclose (detail/posix/dynlib.ipp). dlerror is
///              read at once after the failing call, under a library-wide
///              lock unless the C library keeps it per thread (glibc, musl,
///              Darwin, the BSDs), and copied into the caller's
///              vitte::diagnostic. With VITTE_HAS_DYNAMIC_LIBRARIES 0
///              (static builds) every call reports errc::not_supported
///   signal     a self-pipe per watch, written by a sigaction handler
///              (detail/posix/signal.ipp); pthread_sigmask per thread
///   thread     pthreads. POSIX has no thread names or affinity: those
///              report errc::not_supported (the Linux policy has them)
///   wait       a hashed table of pthread mutex + condition variable
///              (monotonic clock) parking slots
///   locks      pthread_mutex_t, pthread_cond_t (CLOCK_MONOTONIC),
///              pthread_rwlock_t, in storage the .ipp checks is large enough
///   files      the *at() calls of POSIX.1-2008, relative to a directory
///              descriptor or cwd_handle (AT_FDCWD). Paths are UTF-8 and
///              NUL-terminated. Every descriptor is O_CLOEXEC. EINTR is
///              reported as errc::interrupted: the generic code retries
///   random     the OS's cryptographic source (vitte/sys/random.hpp)
///   terminal   descriptors 0, 1, 2; isatty (detail/posix/terminal.ipp)
///   net        BSD sockets. Every socket is close-on-exec; sends never
///              raise SIGPIPE (MSG_NOSIGNAL; SO_NOSIGPIPE on Darwin). EINTR
///              is reported as errc::interrupted (the facility retries).
///              Name resolution failures carry the EAI_ code with
///              error_domain::none
///   poller     poll(2) over an array of pollfd with an index map (O(1) add,
///              modify, remove), woken by a self-pipe. Any descriptor works
///              (sockets, pipes, terminals); only level triggering (edge:
///              errc::not_supported). The handle is the backend's object.
///              Darwin and the BSDs use kqueue
///
/// Errors carry errno unless said otherwise.
struct posix_platform : os_platform_base {
  static constexpr text_view name = "posix";

  static constexpr bool has_clock(clock_id id) noexcept { return id != clock_id::boottime; }
  static constexpr bool env_case_insensitive = false;

  static constexpr std::size_t mutex_size = 64;
  static constexpr std::size_t mutex_align = 8;
  static constexpr std::size_t condition_size = 64;
  static constexpr std::size_t condition_align = 8;
  static constexpr std::size_t shared_mutex_size = VITTE_OS_DARWIN ? 200 : 64;
  static constexpr std::size_t shared_mutex_align = 8;

  /// The fork/exec path of process_spawn on its own: async-signal-safe
  /// child code, the child's exec errno sent back through a close-on-exec
  /// pipe.
  static VITTE_DECL error process_spawn_fork_exec(const spawn_request& req, native_process& out) noexcept;

#if VITTE_OS_DARWIN || VITTE_OS_BSD
  /// Change hints for the snapshot watcher: a kqueue, and per path a
  /// descriptor (O_EVTONLY on Darwin, else O_RDONLY; close-on-exec) with
  /// EVFILT_VNODE for writes, extension, attributes, links, deletion, rename
  /// and revocation, EV_CLEAR. Closing the kqueue handle closes every path
  /// descriptor it handed out. Unverified (no CI runner): from kqueue(2).
  static VITTE_DECL result<native_handle> watch_hint_open() noexcept;
  static VITTE_DECL result<native_handle> watch_hint_add(native_handle h, const char* path) noexcept;
  static VITTE_DECL void watch_hint_remove(native_handle h, native_handle token) noexcept;
  static VITTE_DECL error watch_hint_wait(native_handle h, std::int64_t deadline_ns) noexcept;
  static VITTE_DECL void watch_hint_close(native_handle h) noexcept;
#endif
};

}  // namespace vitte::sys

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/posix/platform.ipp>
#endif

#endif  // VITTE_SYS_POLICY_POSIX_HPP
