// Template bodies for vitte/sys/thread.hpp. Included by it; do not include.
#ifndef VITTE_SYS_IMPL_THREAD_HPP
#define VITTE_SYS_IMPL_THREAD_HPP

#include <vitte/sys/impl/sync.hpp>

#include <new>      // std::nothrow
#include <utility>  // std::exchange, std::forward

namespace vitte::sys::detail {

/// Names are copied into a NUL-terminated buffer of this size.
inline constexpr std::size_t thread_name_capacity = 64;

/// Copies `name` into `buf`, truncated to thread_name_capacity - 1 bytes.
constexpr void copy_thread_name(char (&buf)[thread_name_capacity], text_view name) noexcept {
  std::size_t n = name.size() < thread_name_capacity - 1 ? name.size() : thread_name_capacity - 1;
  for (std::size_t i = 0; i < n; ++i) buf[i] = name[i];
  buf[n] = '\0';
}

/// What a new thread needs before it runs the callable. `run` comes first:
/// the policy calls (*start)(start) with start == &run, which is also the
/// address of this standard-layout object.
struct thread_start_base {
  static constexpr std::uint32_t setup_pending = 0;
  static constexpr std::uint32_t setup_done = 1;
  static constexpr std::uint32_t setup_failed = 2;

  void (*run)(void*) = nullptr;
  char name[thread_name_capacity] = {};
  // Set when the creator waits for the affinity to be applied; they point
  // into the creator's frame, alive until `setup` leaves setup_pending.
  const cpu_set* affinity = nullptr;
  vitte::detail::atomic<std::uint32_t>* setup = nullptr;
  error* setup_error = nullptr;
};

/// The heap block a thread starts from: the base and the callable. The new
/// thread owns and deletes it.
template <class P, class F>
struct thread_start : thread_start_base {
  template <class G>
  explicit thread_start(G&& g) : fn(std::forward<G>(g)) {
    run = &start;
  }

  static void start(void* block) noexcept {
    auto* self = static_cast<thread_start*>(reinterpret_cast<thread_start_base*>(block));
    if (self->name[0] != '\0') (void)P::thread_set_name(self->name);  // best effort (see thread.hpp)
    if (self->setup != nullptr && !self->apply_affinity()) return;
    self->fn();
    delete self;
  }

  // Applies the affinity and tells the creator; false (and the block is
  // gone) when that failed and the callable must not run.
  bool apply_affinity() noexcept {
    error e = P::thread_set_affinity(affinity->words(), cpu_set::word_count);
    vitte::detail::atomic<std::uint32_t>* to_creator = setup;
    if (e) {
      *setup_error = e;
      delete this;
    }
    to_creator->store(e ? setup_failed : setup_done, vitte::detail::release);
    // The creator may have seen the store and gone: waking a stale address
    // at worst wakes another waiter spuriously, which every wait tolerates.
    P::wake_on_address(to_creator, false);
    return !e;
  }

  F fn;
};

}  // namespace vitte::sys::detail

namespace vitte::sys {

template <class P>
basic_thread<P>::basic_thread(basic_thread&& other) noexcept
    : handle_(other.handle_), joinable_(std::exchange(other.joinable_, false)) {}

template <class P>
basic_thread<P>& basic_thread<P>::operator=(basic_thread&& other) noexcept {
  if (this == &other) return *this;
  if (joinable_) (void)join();
  handle_ = other.handle_;
  joinable_ = std::exchange(other.joinable_, false);
  return *this;
}

template <class P>
basic_thread<P>::~basic_thread() {
  if (joinable_) (void)join();
}

template <class P>
template <class F>
result<basic_thread<P>> basic_thread<P>::spawn(F&& f) noexcept(std::is_nothrow_constructible_v<std::decay_t<F>, F>) {
  return spawn(thread_options{}, std::forward<F>(f));
}

template <class P>
template <class F>
result<basic_thread<P>> basic_thread<P>::spawn(const thread_options& options,
                                               F&& f) noexcept(std::is_nothrow_constructible_v<std::decay_t<F>, F>) {
  using start_type = detail::thread_start<P, std::decay_t<F>>;
  auto* start = new (std::nothrow) start_type(std::forward<F>(f));
  if (start == nullptr) return error{errc::no_memory, ops::thread_create};
  detail::copy_thread_name(start->name, options.name);

  vitte::detail::atomic<std::uint32_t> setup{detail::thread_start_base::setup_pending};
  error setup_error;
  bool wait_for_setup = !options.affinity.empty();
  if (wait_for_setup) {
    start->affinity = &options.affinity;
    start->setup = &setup;
    start->setup_error = &setup_error;
  }
  std::uintptr_t handle = 0;
  if (error e = P::thread_create(handle, &start->run, options.stack_size)) {
    delete start;
    return e;
  }
  basic_thread t{handle};
  if (!wait_for_setup) return t;
  while (setup.load(vitte::detail::acquire) == detail::thread_start_base::setup_pending)
    detail::park<P>(setup, detail::thread_start_base::setup_pending, INT64_MAX);
  if (setup.load(vitte::detail::acquire) == detail::thread_start_base::setup_done) return t;
  (void)t.join();
  return setup_error;
}

template <class P>
status basic_thread<P>::join() noexcept {
  if (!joinable_) return error{errc::invalid_argument, ops::thread_join};
  joinable_ = false;
  return P::thread_join(handle_);
}

template <class P>
status basic_thread<P>::detach() noexcept {
  if (!joinable_) return error{errc::invalid_argument, ops::thread_join};
  joinable_ = false;
  return P::thread_detach(handle_);
}

template <class P>
thread_id basic_thread<P>::id() const noexcept {
  if (!joinable_) return {};
  return thread_id{P::thread_id_of(handle_)};
}

template <class P>
unsigned basic_thread<P>::hardware_concurrency() noexcept {
  VITTE_REQUIRE_CAPABILITY(P, system_info);
  return P::cpu_count();
}

namespace this_thread {

template <class P>
thread_id id() noexcept {
  VITTE_REQUIRE_CAPABILITY(P, thread);
  return thread_id{P::thread_current_id()};
}

template <class P>
void yield() noexcept {
  VITTE_REQUIRE_CAPABILITY(P, thread);
  P::thread_yield();
}

template <class P>
status set_name(text_view name) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, thread);
  char buf[detail::thread_name_capacity] = {};
  detail::copy_thread_name(buf, name);
  return P::thread_set_name(buf);
}

template <class P>
result<short_text> name() noexcept {
  VITTE_REQUIRE_CAPABILITY(P, thread);
  short_text t;
  if (error e = P::thread_get_name(t.text, short_text::capacity)) return e;
  while (t.length < short_text::capacity && t.text[t.length] != '\0') ++t.length;
  return t;
}

template <class P>
status set_affinity(const cpu_set& cpus) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, thread);
  if (cpus.empty()) return error{errc::invalid_argument, ops::thread_set_affinity};
  return P::thread_set_affinity(cpus.words(), cpu_set::word_count);
}

template <class P>
int current_cpu() noexcept {
  VITTE_REQUIRE_CAPABILITY(P, thread);
  return P::thread_current_cpu();
}

}  // namespace this_thread

}  // namespace vitte::sys

#endif  // VITTE_SYS_IMPL_THREAD_HPP
