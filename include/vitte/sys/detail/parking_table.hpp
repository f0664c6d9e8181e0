// Waiting on addresses without a futex: a fixed table of parking slots,
// each a native mutex and condition variable, chosen by hashing the address.
// The generic POSIX policy uses it with pthreads, the Win32 policy with
// SRWLOCK + CONDITION_VARIABLE when WaitOnAddress is missing. Internal: only
// .ipp files include this.
//
// A waiter checks the word under its slot's mutex before sleeping; a waker
// takes the same mutex before waking. Since the waker stores the new value
// before calling wake, a waiter either sees it or is already asleep when the
// wake comes: no wake-up is lost. Addresses share slots, so a wake wakes the
// whole slot (waiters re-check their own word; spurious wake-ups are part
// of the contract).
#ifndef VITTE_SYS_DETAIL_PARKING_TABLE_HPP
#define VITTE_SYS_DETAIL_PARKING_TABLE_HPP

#include <vitte/base.hpp>
#include <vitte/sys/operations.hpp>

#include <cstddef>
#include <cstdint>
#include <new>  // placement new

namespace vitte::sys::detail {

// Native provides:
//   using mutex_type, cond_type;
//   static void init(mutex_type&, cond_type&) noexcept;
//   static void lock(mutex_type&) noexcept, unlock(mutex_type&) noexcept;
//   static bool wait(cond_type&, mutex_type&, std::int64_t deadline_ns) noexcept;  // false: deadline passed
//   static void wake_all(cond_type&) noexcept;
template <class Native>
class parking_table {
 public:
  // The process's table, built on first use and never destroyed (threads
  // may still be parked while static destructors run).
  static parking_table& instance() noexcept {
    static parking_table* table = new (storage()) parking_table;
    return *table;
  }

  // Sleeps while 32-bit atomic word at `addr` holds `expected`,
  // until a wake of that slot or the deadline.
  error wait(const void* addr, std::uint32_t expected, std::int64_t deadline_ns) noexcept {
    slot& s = slot_for(addr);
    Native::lock(s.mutex);
    if (__atomic_load_n(static_cast<const std::uint32_t*>(addr), __ATOMIC_SEQ_CST) != expected) {
      Native::unlock(s.mutex);
      return {};
    }
    ++s.waiters;
    bool woken = Native::wait(s.cond, s.mutex, deadline_ns);
    --s.waiters;
    Native::unlock(s.mutex);
    if (woken) return {};
    return error{errc::timed_out, ops::wait_on_address};
  }

  // Wakes every thread parked in the slot of `addr`.
  void wake(const void* addr) noexcept {
    slot& s = slot_for(addr);
    Native::lock(s.mutex);
    if (s.waiters != 0) Native::wake_all(s.cond);
    Native::unlock(s.mutex);
  }

 private:
  static constexpr std::size_t slot_count = 64;  // a power of two
  static constexpr unsigned slot_bits = 6;
  static_assert(std::size_t{1} << slot_bits == slot_count);

  struct alignas(64) slot {  // one per cache line: slots do not contend
    typename Native::mutex_type mutex;
    typename Native::cond_type cond;
    std::uint32_t waiters = 0;  // guarded by mutex
  };

  parking_table() noexcept {
    for (slot& s : slots_) Native::init(s.mutex, s.cond);
  }

  static void* storage() noexcept {
    alignas(parking_table) static unsigned char bytes[sizeof(parking_table)];
    return bytes;
  }

  slot& slot_for(const void* addr) noexcept {
    // Fibonacci hashing: the top bits of the product mix every address bit.
    auto a = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(addr));
    return slots_[(a * 0x9E37'79B9'7F4A'7C15u) >> (64 - slot_bits)];
  }

  slot slots_[slot_count];
};

}  // namespace vitte::sys::detail

#endif  // VITTE_SYS_DETAIL_PARKING_TABLE_HPP
