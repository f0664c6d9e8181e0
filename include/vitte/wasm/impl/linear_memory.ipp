// vitte/wasm/impl/linear_memory.ipp - linear memories (impl/linear_memory.hpp):
// the spare guarded reservations, memory_object's reservation, growth and
// release, and the fault filter of a store's runs.
#ifndef VITTE_WASM_IMPL_LINEAR_MEMORY_IPP
#define VITTE_WASM_IMPL_LINEAR_MEMORY_IPP

#include <vitte/base/config.hpp>
#include <vitte/base/detail/atomic.hpp>  // the spare reservations
#include <vitte/sys/access_fault.hpp>
#include <vitte/sys/memory.hpp>  // the policy's memory_reserve, memory_commit, memory_release
#include <vitte/sys/platform.hpp>
#include <vitte/wasm/impl/linear_memory.hpp>
#include <vitte/wasm/impl/objects.hpp>

#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace vitte::wasm::detail {

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

VITTE_DECL memory_object::~memory_object() {
  if (reserved == 0) {
    std::free(data);
    return;
  }
  // Back to the spares with no page committed, or back to the OS.
  bool clean = size == 0 || !sys::platform::memory_decommit(data, static_cast<std::size_t>(size));
  if (clean && spare_reservations::give(data)) return;
  (void)sys::platform::memory_release(data, static_cast<std::size_t>(reserved));
}

VITTE_DECL bool memory_object::reserve_guarded() noexcept {
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

VITTE_DECL std::int64_t memory_object::grow(std::uint64_t delta) noexcept {
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

VITTE_DECL bool guard_pages_available() noexcept {
  if (!faults::ready()) return false;
  memory_object probe;
  if (!probe.reserve_guarded()) return false;
  return true;  // the probe's destructor gives its reservation to the spares
}

VITTE_DECL bool claims_memory_fault(void* context, const void* address) noexcept {
  const exec_state* x = static_cast<const exec_state*>(context);
  if (x->host_depth != 0) return false;
  const memory_object* m = x->mem;
  std::uintptr_t at = reinterpret_cast<std::uintptr_t>(address), base = reinterpret_cast<std::uintptr_t>(m->data);
  return m->reserved != 0 && at - base >= m->size && at - base < m->reserved;
}

}  // namespace vitte::wasm::detail

#endif  // VITTE_WASM_IMPL_LINEAR_MEMORY_IPP
