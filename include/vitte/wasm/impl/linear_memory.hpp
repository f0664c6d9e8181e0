// vitte/wasm/impl/linear_memory.hpp - where a linear memory's bytes live, how
// it grows, and how an access past its end becomes a trap.
//
// Two kinds of memory_object:
//   guard pages  (store_limits::guard_pages, on 64-bit hosts whose policy
//                turns access faults into returns, with a dispatcher that
//                calls handlers through addresses) 8 GiB + 64 KiB of address
//                space, of which only the memory's pages are committed. Every
//                address a load or store forms (a 32-bit index plus a 32-bit
//                offset, plus its width) lands in the memory or in pages that
//                fault, so the translated loads check nothing (and the stores,
//                on x86-64: stores_fault_whole below); the
//                fault is claimed by the run the store started (the filter
//                below) and becomes trap_memory_out_of_bounds. Growth commits
//                pages in place: the bytes never move.
//   a heap block (elsewhere, or with guard_pages off) every access is
//                checked; growth reallocates (in place or by remapping where
//                the allocator can) and zeroes only the pages added.
// Either way growing costs the pages added, not the memory's size.
#ifndef VITTE_WASM_IMPL_LINEAR_MEMORY_HPP
#define VITTE_WASM_IMPL_LINEAR_MEMORY_HPP

#include <vitte/base/detail/atomic.hpp>  // the spare reservations
#include <vitte/sys/access_fault.hpp>
#include <vitte/sys/memory.hpp>  // the policy's memory_reserve, memory_commit, memory_release
#include <vitte/sys/platform.hpp>
#include <vitte/wasm/impl/objects.hpp>

#include <cstdint>
#include <cstdlib>
#include <cstring>

#ifndef VITTE_WASM_DISPATCH
#error "vitte: include vitte/wasm/impl/exec.hpp, which chooses the dispatcher"
#endif

namespace vitte::wasm::detail {

/// Address space a guarded memory holds: 2^33 covers every index + offset,
/// the rest the widest access (16 bytes) starting below 2^33.
constexpr std::uint64_t guarded_reservation = (std::uint64_t{1} << 33) + 65536;

/// Whether a store that straddles the end of the committed pages faults
/// before writing any byte. x86-64 guarantees it (the instruction does not
/// retire); Arm and RISC-V may write the first bytes (RISC-V splits a
/// misaligned store; Arm leaves it unpredictable), so their stores keep
/// the explicit check and only their loads check nothing.
#if defined(__x86_64__) || defined(_M_X64)
constexpr bool stores_fault_whole = true;
#else
constexpr bool stores_fault_whole = false;
#endif

/// Whether guard pages can work at all with policy P (the switch loop's
/// table holds op numbers, not handlers, so it cannot swap in the loads
/// that check nothing).
template <class P>
constexpr bool guard_pages_possible = sizeof(void*) == 8 && VITTE_WASM_DISPATCH != 1 && sys::access_fault_capability<P>;

/// The faults of a run: off where guard pages cannot work.
template <class P, bool = guard_pages_possible<P>>
struct fault_backend {
  static bool ready() noexcept { return false; }
  static bool run(void (*fn)(void*), void* arg, sys::fault_filter, void*) {
    fn(arg);
    return false;
  }
};

template <class P>
struct fault_backend<P, true> {
  /// Installs the process's handler (the first call); false when it cannot.
  static bool ready() noexcept { return sys::install_access_fault_handler<P>(); }
  /// Runs fn(arg); true when a fault `claims` accepts stopped it.
  static bool run(void (*fn)(void*), void* arg, sys::fault_filter claims, void* context) {
    return static_cast<bool>(sys::run_catching_access_faults<P>(fn, arg, claims, context));
  }
};

using faults = fault_backend<sys::access_fault_platform>;

/// Guarded reservations a store gave back, decommitted, for the next memory
/// to take: reserving and releasing 8 GiB costs little natively, but an
/// emulator tracks every page of it (about 0.15 s a reservation under
/// qemu-user), and a test suite makes hundreds. Lock-free: a slot is taken
/// by exchanging it with null, filled by a compare-and-swap from null.
class spare_reservations {
 public:
  static void* take() noexcept {
    for (auto& slot : slots())
      if (slot.load(vitte::detail::relaxed) != nullptr)
        if (void* p = slot.exchange(nullptr, vitte::detail::acq_rel)) return p;
    return nullptr;
  }
  static bool give(void* p) noexcept {
    for (auto& slot : slots()) {
      void* expected = nullptr;
      if (slot.compare_exchange(expected, p, vitte::detail::acq_rel)) return true;
    }
    return false;
  }

 private:
  using slot_array = vitte::detail::atomic<void*>[32];
  static slot_array& slots() noexcept {
    static slot_array s;
    return s;
  }
};

inline memory_object::~memory_object() {
  if (reserved == 0) {
    std::free(data);
    return;
  }
  // Back to the spares with no page committed, or back to the OS.
  bool clean = size == 0 || !sys::platform::memory_decommit(data, static_cast<std::size_t>(size));
  if (clean && spare_reservations::give(data)) return;
  (void)sys::platform::memory_release(data, static_cast<std::size_t>(reserved));
}

inline bool memory_object::reserve_guarded() noexcept {
  if constexpr (guard_pages_possible<sys::access_fault_platform>) {
    void* p = spare_reservations::take();
    if (p == nullptr) {
      auto r = sys::platform::memory_reserve(static_cast<std::size_t>(guarded_reservation), sys::protection::none, {});
      if (!r) return false;
      p = *r;
    }
    data = static_cast<std::uint8_t*>(p);
    reserved = guarded_reservation;
    return true;
  } else {
    return false;
  }
}

inline std::int64_t memory_object::grow(std::uint64_t delta) noexcept {
  std::uint64_t old = pages();
  if (delta == 0) return static_cast<std::int64_t>(old);
  if (delta > max_pages || old + delta > max_pages) return -1;
  std::uint64_t bytes = (old + delta) * page_size;
  if (bytes > static_cast<std::uint64_t>(static_cast<std::size_t>(-1))) return -1;
  if (reserved != 0) {  // guard pages: commit in place
    if (bytes > reserved) return -1;
    if (sys::platform::memory_commit(data + size, static_cast<std::size_t>(bytes - size), sys::protection::read_write,
                                     {}))
      return -1;
  } else if (size == 0) {  // calloc: large blocks are fresh zero pages, committed when touched
    void* p = std::calloc(static_cast<std::size_t>(bytes), 1);
    if (p == nullptr) return -1;
    std::free(data);
    data = static_cast<std::uint8_t*>(p);
  } else {
    void* p = std::realloc(data, static_cast<std::size_t>(bytes));
    if (p == nullptr) return -1;
    data = static_cast<std::uint8_t*>(p);
    std::memset(data + size, 0, static_cast<std::size_t>(bytes - size));
  }
  size = bytes;
  return static_cast<std::int64_t>(old);
}

/// Whether a store can have guard pages now: the handler installed (again,
/// if another took its place) and 8 GiB of address space to be had (not
/// under a tight RLIMIT_AS); the reservation tried goes to the spares.
inline bool guard_pages_available() noexcept {
  if (!faults::ready()) return false;
  memory_object probe;
  if (!probe.reserve_guarded()) return false;
  return true;  // the probe's destructor gives its reservation to the spares
}

/// The filter of a store's runs: an address in the reservation of the
/// memory the running code uses (exec_state::mem), past its committed bytes,
/// while wasm runs (not a host function it called). Called in the fault
/// handler: it reads, nothing more.
inline bool claims_memory_fault(void* context, const void* address) noexcept {
  const exec_state* x = static_cast<const exec_state*>(context);
  if (x->host_depth != 0) return false;
  const memory_object* m = x->mem;
  std::uintptr_t at = reinterpret_cast<std::uintptr_t>(address), base = reinterpret_cast<std::uintptr_t>(m->data);
  return m->reserved != 0 && at - base >= m->size && at - base < m->reserved;
}

}  // namespace vitte::wasm::detail

#endif  // VITTE_WASM_IMPL_LINEAR_MEMORY_HPP
