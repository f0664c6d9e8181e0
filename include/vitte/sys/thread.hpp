// vitte/sys/thread.hpp - threads: spawn, join, names, stack size, affinity.
//
//   auto t = vitte::sys::thread::spawn([&] { work(); });
//   if (!t) return t.error();              // errc::limit_exceeded, no_memory, ...
//   t->join().value();                      // or let the destructor join
//
//   vitte::sys::thread_options o;
//   o.name = "decoder";                     // shown by top -H, gdb, /proc/<pid>/task
//   o.stack_size = 256 * 1024;
//   o.affinity.add(2);                      // run on CPU 2 only
//   auto d = vitte::sys::thread::spawn(o, [] { decode(); });
//
//   vitte::sys::this_thread::set_name("main-loop").value();
//
// A thread joins when destroyed unless detach() was called: leaving a scope
// waits for the work started in it. spawn() reports failure as a
// vitte::error instead of throwing. The callable is moved into the new
// thread and destroyed there; an exception escaping it ends the program,
// as with std::thread.
//
// Names are a debugging aid: they are truncated to what the OS keeps
// (15 bytes on Linux) and dropped where the OS has none (the generic POSIX
// policy). Affinity is a request the caller depends on: spawn fails when
// the OS refuses it or has none (errc::not_supported). Both are applied by
// the new thread before the callable runs.
//
// Backends: pthreads on POSIX (prctl(PR_SET_NAME) and sched_setaffinity on
// Linux), _beginthreadex on Windows (SetThreadDescription, looked up at run
// time, and SetThreadAffinityMask).
//
// With VITTE_HAS_THREADS=0 (freestanding builds) there are no threads: using
// vitte::sys::thread fails to compile with a message saying so.
#ifndef VITTE_SYS_THREAD_HPP
#define VITTE_SYS_THREAD_HPP

#include <vitte/base.hpp>
#include <vitte/base/text_view.hpp>  // names
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/info.hpp>  // short_text, cpu_count
#include <vitte/sys/operations.hpp>
#include <vitte/sys/platform.hpp>

#include <compare>      // thread_id ordering
#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint64_t, std::uintptr_t
#include <type_traits>  // std::decay_t

namespace vitte::sys {

/// A set of CPUs (numbers 0 to max_cpus - 1), for thread affinity.
/// Thread safety: a value type.
class cpu_set {
 public:
  static constexpr std::size_t max_cpus = 1024;
  static constexpr std::size_t word_count = max_cpus / 64;

  /// The empty set.
  constexpr cpu_set() noexcept = default;

  /// Adds CPU `cpu`; false (and no change) when cpu >= max_cpus.
  constexpr bool add(unsigned cpu) noexcept {
    if (cpu >= max_cpus) return false;
    words_[cpu / 64] |= std::uint64_t{1} << (cpu % 64);
    return true;
  }
  /// Removes CPU `cpu`.
  constexpr void remove(unsigned cpu) noexcept {
    if (cpu < max_cpus) words_[cpu / 64] &= ~(std::uint64_t{1} << (cpu % 64));
  }
  /// True when `cpu` is in the set.
  constexpr bool contains(unsigned cpu) const noexcept {
    return cpu < max_cpus && (words_[cpu / 64] >> (cpu % 64) & 1) != 0;
  }
  /// True when no CPU is in the set.
  constexpr bool empty() const noexcept {
    for (std::uint64_t w : words_)
      if (w != 0) return false;
    return true;
  }
  /// The set as word_count 64-bit words, CPU n at bit n % 64 of word n / 64.
  constexpr const std::uint64_t* words() const noexcept { return words_; }

  friend constexpr bool operator==(const cpu_set&, const cpu_set&) noexcept = default;

 private:
  std::uint64_t words_[word_count] = {};
};

/// How to start a thread. The defaults give an unnamed thread with the OS's
/// default stack, allowed on every CPU the creator may use.
struct thread_options {
  /// The name the OS shows (copied; at most 63 bytes are kept, fewer where
  /// the OS keeps fewer). Empty: unnamed.
  text_view name;
  /// Bytes of stack; 0 is the OS default. Rounded up to the OS minimum and
  /// to whole pages.
  std::size_t stack_size = 0;
  /// The CPUs the thread may run on; empty inherits the creator's.
  cpu_set affinity;
};

/// Identifies a thread while it runs: equal ids, same thread. {} is no thread.
struct thread_id {
  std::uint64_t value = 0;
  friend constexpr auto operator<=>(const thread_id&, const thread_id&) noexcept = default;
};

/// A thread of policy P that joins on destruction unless detached.
/// Move-only. Thread safety: one thread at a time may use a basic_thread
/// object; the thread it runs is independent of it.
template <class P>
class basic_thread {
  static_assert(VITTE_HAS_THREADS || !std::is_same_v<P, P>,
                "vitte: threads are disabled in this build (VITTE_HAS_THREADS=0); locks there are null_mutex");
  VITTE_REQUIRE_CAPABILITY(P, thread);
  VITTE_REQUIRE_CAPABILITY(P, wait);

 public:
  /// No thread (not joinable).
  constexpr basic_thread() noexcept = default;
  basic_thread(basic_thread&& other) noexcept;
  /// Joins the thread this object runs, if any, then takes `other`'s.
  basic_thread& operator=(basic_thread&& other) noexcept;
  /// Joins the thread unless it was detached or joined.
  ~basic_thread();

  /// Starts f() on a new thread with default options.
  /// Errors (ops::thread_create): limit_exceeded (too many threads),
  /// no_memory, what the OS reports.
  template <class F>
  static result<basic_thread> spawn(F&& f) noexcept(std::is_nothrow_constructible_v<std::decay_t<F>, F>);

  /// Starts f() on a new thread with `options` (see thread_options).
  /// Errors: as spawn(f); for affinity, not_supported where the OS has
  /// none, invalid_argument for CPUs the system lacks, what the OS reports
  /// (ops::thread_set_affinity).
  template <class F>
  static result<basic_thread> spawn(const thread_options& options,
                                    F&& f) noexcept(std::is_nothrow_constructible_v<std::decay_t<F>, F>);

  /// True while the object runs a thread that was neither joined nor detached.
  bool joinable() const noexcept { return joinable_; }
  /// Waits for the thread to finish. Errors: invalid_argument when not
  /// joinable; what the OS reports (joining itself: a deadlock error).
  status join() noexcept;
  /// Lets the thread run on its own; its resources go when it ends.
  /// Errors: invalid_argument when not joinable.
  status detach() noexcept;

  /// The thread's id; {} when not joinable.
  thread_id id() const noexcept;
  /// The OS handle: pthread_t or HANDLE, as an integer.
  std::uintptr_t native_handle() const noexcept { return handle_; }

  /// CPUs this process may run on (at least 1).
  static unsigned hardware_concurrency() noexcept;

 private:
  explicit basic_thread(std::uintptr_t handle) noexcept : handle_(handle), joinable_(true) {}

  std::uintptr_t handle_ = 0;
  bool joinable_ = false;
};

/// A thread of the default platform.
using thread = basic_thread<platform>;

/// The calling thread.
namespace this_thread {

/// The calling thread's id.
template <class P = platform>
thread_id id() noexcept;

/// Lets another thread run (sched_yield, SwitchToThread).
template <class P = platform>
void yield() noexcept;

/// Names the calling thread for the OS (truncated as thread_options::name).
/// Errors: not_supported where the OS has no thread names.
template <class P = platform>
status set_name(text_view name) noexcept;

/// The calling thread's name as the OS keeps it.
/// Errors: not_supported where the OS has no thread names.
template <class P = platform>
result<short_text> name() noexcept;

/// Restricts the calling thread to `cpus`. Errors: not_supported where the
/// OS has no affinity, invalid_argument for an empty set or CPUs it lacks.
template <class P = platform>
status set_affinity(const cpu_set& cpus) noexcept;

/// The CPU the calling thread runs on now (it may move at any time);
/// -1 where the OS cannot tell.
template <class P = platform>
int current_cpu() noexcept;

}  // namespace this_thread

}  // namespace vitte::sys

#include <vitte/sys/impl/thread.hpp>

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/thread.ipp>  // the backend's definitions
#endif

#endif  // VITTE_SYS_THREAD_HPP
