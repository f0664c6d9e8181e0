// Out-of-line part of vitte/sys/poller.hpp: the poller's timers, a binary
// heap with slots that outlive cancellation (no OS).
#ifndef VITTE_SYS_DETAIL_TIMER_HEAP_IPP
#define VITTE_SYS_DETAIL_TIMER_HEAP_IPP

#include <vitte/sys/poller.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::sys {

namespace detail {

VITTE_DECL timer_id timer_heap::add(std::int64_t when, std::uint64_t data) {
  std::uint32_t slot;
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.push_back(slot_state{});
  }
  slots_[slot].data = data;
  heap_.push_back(node{when, order_++, slot});
  slots_[slot].position = static_cast<std::uint32_t>(heap_.size() - 1);
  sift_up(heap_.size() - 1);
  return timer_id{slot, slots_[slot].generation};
}

VITTE_DECL bool timer_heap::cancel(timer_id id) noexcept {
  if (id.slot >= slots_.size()) return false;
  const slot_state& s = slots_[id.slot];
  if (s.generation != id.generation || s.position == ~std::uint32_t{0}) return false;
  erase_at(s.position);
  return true;
}

VITTE_DECL std::size_t timer_heap::pop_due(std::int64_t now, span<poll_event> out) noexcept {
  std::size_t n = 0;
  while (n < out.size() && !heap_.empty() && heap_[0].when <= now) {
    out[n++] = poll_event{slots_[heap_[0].slot].data, io_events::timer};
    erase_at(0);
  }
  return n;
}

VITTE_DECL void timer_heap::sift_up(std::size_t i) noexcept {
  node n = heap_[i];
  while (i > 0) {
    std::size_t parent = (i - 1) / 2;
    if (!before(n, heap_[parent])) break;
    place(i, heap_[parent]);
    i = parent;
  }
  place(i, n);
}

VITTE_DECL void timer_heap::sift_down(std::size_t i) noexcept {
  node n = heap_[i];
  std::size_t size = heap_.size();
  for (;;) {
    std::size_t child = 2 * i + 1;
    if (child >= size) break;
    if (child + 1 < size && before(heap_[child + 1], heap_[child])) ++child;
    if (!before(heap_[child], n)) break;
    place(i, heap_[child]);
    i = child;
  }
  place(i, n);
}

// Frees the slot of the node at heap position i and restores the heap.
VITTE_DECL void timer_heap::erase_at(std::size_t i) noexcept {
  std::uint32_t slot = heap_[i].slot;
  slots_[slot].position = ~std::uint32_t{0};
  ++slots_[slot].generation;
  free_.push_back(slot);
  std::size_t last = heap_.size() - 1;
  if (i != last) {
    place(i, heap_[last]);
    heap_.pop_back();
    sift_down(i);
    sift_up(i);
    return;
  }
  heap_.pop_back();
}

}  // namespace detail

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_TIMER_HEAP_IPP
