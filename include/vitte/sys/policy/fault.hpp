// vitte/sys/policy/fault.hpp - a policy that makes chosen calls fail.
//
// fault_platform<Base> behaves exactly like Base except where a fault_plan
// rule says otherwise. Tests use it to prove that the library copes with
// what real systems do rarely: EINTR, EAGAIN, short reads and writes,
// ENOSPC, EMFILE.
//
//   using P = vitte::sys::fault_platform<vitte::sys::platform>;
//   vitte::sys::fault_plan::clear();
//   vitte::sys::fault_plan::fail(vitte::operation::sleep, vitte::errc::interrupted, 3);
//   vitte::sys::sleep_for<P>(1ms).value();   // retried 3 times, then sleeps
//   assert(vitte::sys::fault_plan::calls(vitte::operation::sleep) == 4);
//
// The plan is process-wide. Thread safety: rules and counters are guarded
// by a spin lock, so faulty calls may race; set rules up before starting
// the threads that should see them.
#ifndef VITTE_SYS_POLICY_FAULT_HPP
#define VITTE_SYS_POLICY_FAULT_HPP

#include <vitte/base.hpp>
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/clock_id.hpp>

#include <atomic>   // the plan's lock
#include <cstddef>  // std::size_t
#include <cstdint>

namespace vitte::sys {

/// What a fault rule does to a call it matches.
struct fault {
  enum class action : std::uint8_t {
    pass,            ///< Call through to the base policy.
    fail,            ///< Return an error of kind `kind`.
    short_transfer,  ///< Transfer at most `max_bytes` (reads and writes).
  };
  action what = action::pass;
  errc kind = errc::ok;
  std::size_t max_bytes = 0;

  constexpr explicit operator bool() const noexcept { return what != action::pass; }
};

/// The process-wide set of fault rules and per-operation call counters.
class fault_plan {
 public:
  static constexpr std::size_t max_rules = 32;
  static constexpr std::size_t max_operations = 256;

  /// Makes the next `times` calls of `op` (after skipping `skip` calls)
  /// fail with `kind`. Returns false when the plan is full.
  static bool fail(operation op, errc kind, std::uint32_t times = 1, std::uint32_t skip = 0) noexcept {
    return add({op, fault{fault::action::fail, kind, 0}, times, skip});
  }
  /// Makes the next `times` calls of `op` (after `skip`) transfer at most
  /// `max_bytes` bytes. Returns false when the plan is full.
  static bool shorten(operation op, std::size_t max_bytes, std::uint32_t times = 1, std::uint32_t skip = 0) noexcept {
    return add({op, fault{fault::action::short_transfer, errc::ok, max_bytes}, times, skip});
  }
  /// Removes every rule and zeroes every counter.
  static void clear() noexcept {
    lock_guard g;
    for (rule& r : state().rules) r = rule{};
    for (std::uint64_t& c : state().calls) c = 0;
  }
  /// How many calls of `op` went through a fault policy since clear().
  static std::uint64_t calls(operation op) noexcept {
    lock_guard g;
    return state().calls[index(op)];
  }
  /// How many faults remain to be injected for `op`.
  static std::uint64_t pending(operation op) noexcept {
    lock_guard g;
    std::uint64_t n = 0;
    for (const rule& r : state().rules)
      if (r.times != 0 && r.op == op) n += r.times;
    return n;
  }

  /// Counts one call of `op` and returns the fault to apply to it.
  /// Called by fault_platform; rules for the same operation apply in the
  /// order they were added.
  static fault next(operation op) noexcept {
    lock_guard g;
    ++state().calls[index(op)];
    for (rule& r : state().rules) {
      if (r.times == 0 || r.op != op) continue;
      if (r.skip != 0) {
        --r.skip;
        return {};
      }
      --r.times;
      return r.effect;
    }
    return {};
  }

 private:
  struct rule {
    operation op = operation::none;
    fault effect;
    std::uint32_t times = 0;  // 0: slot free
    std::uint32_t skip = 0;
  };
  struct plan_state {
    std::atomic_flag lock = ATOMIC_FLAG_INIT;
    rule rules[max_rules];
    std::uint64_t calls[max_operations] = {};
  };
  static plan_state& state() noexcept {
    static plan_state s;
    return s;
  }
  struct lock_guard {
    lock_guard() noexcept {
      while (state().lock.test_and_set(std::memory_order_acquire)) {
      }
    }
    ~lock_guard() { state().lock.clear(std::memory_order_release); }
  };
  static std::size_t index(operation op) noexcept {
    std::size_t i = static_cast<std::size_t>(op);
    return i < max_operations ? i : 0;
  }
  static bool add(rule r) noexcept {
    if (r.times == 0) return true;
    lock_guard g;
    for (rule& slot : state().rules) {
      if (slot.times != 0) continue;
      slot = r;
      return true;
    }
    return false;
  }
};

/// Base, with calls routed through fault_plan. Capabilities are those of
/// Base; every syscall-level function consults the plan first.
template <class Base>
struct fault_platform : Base {
  static constexpr std::string_view name = "fault";
  using base = Base;

  static std::int64_t clock_now_ns(clock_id id) noexcept requires clock_capability<Base> {
    (void)fault_plan::next(operation::clock_now);  // clocks cannot fail: count only
    return Base::clock_now_ns(id);
  }

  static error sleep_until_ns(clock_id id, std::int64_t t) noexcept requires sleep_capability<Base> {
    if (fault f = fault_plan::next(operation::sleep); f.what == fault::action::fail)
      return Base::make_error(f.kind, operation::sleep);
    return Base::sleep_until_ns(id, t);
  }

  // == memory (vitte/sys/memory.hpp) ==
  // == end memory ==

  // == thread (vitte/sys/thread.hpp) ==
  // == end thread ==
};

}  // namespace vitte::sys

#endif  // VITTE_SYS_POLICY_FAULT_HPP
