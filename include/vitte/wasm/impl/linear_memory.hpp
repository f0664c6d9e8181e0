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

#include <vitte/base/config.hpp>
#include <vitte/sys/access_fault.hpp>
#include <vitte/wasm/impl/dispatch.hpp>  // guard pages need a dispatcher that calls handlers through addresses

#include <cstdint>

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

/// Whether a store can have guard pages now: the handler installed (again,
/// if another took its place) and 8 GiB of address space to be had (not
/// under a tight RLIMIT_AS); the reservation tried goes to the spares.
VITTE_DECL bool guard_pages_available() noexcept;

/// The filter of a store's runs: an address in the reservation of the
/// memory the running code uses (exec_state::mem), past its committed bytes,
/// while wasm runs (not a host function it called). Called in the fault
/// handler: it reads, nothing more.
VITTE_DECL bool claims_memory_fault(void* context, const void* address) noexcept;

}  // namespace vitte::wasm::detail

#if VITTE_HEADER_ONLY
#include <vitte/wasm/impl/linear_memory.ipp>
#endif

#endif  // VITTE_WASM_IMPL_LINEAR_MEMORY_HPP
