// Template bodies for vitte/sys/virtual_arena.hpp. Included by it; do not include.
#ifndef VITTE_SYS_IMPL_VIRTUAL_ARENA_HPP
#define VITTE_SYS_IMPL_VIRTUAL_ARENA_HPP

#include <vitte/sys/detail/pages.hpp>

#include <cassert>  // the grown arena holds the allocation

namespace vitte::sys {

template <class P>
result<basic_virtual_arena<P>> basic_virtual_arena<P>::reserve(std::size_t max_size, std::size_t commit_step) noexcept {
  std::size_t step = 0;
  if (commit_step == 0 || !detail::round_up(commit_step, P::page_size(), step))
    return error{errc::invalid_argument, ops::memory_reserve};
  result<basic_region<P>> r = basic_region<P>::reserve(max_size);
  if (!r) return r.error();
  return basic_virtual_arena{std::move(*r), step};
}

template <class P>
result<void*> basic_virtual_arena<P>::grow_and_allocate(std::size_t size, std::size_t alignment) noexcept {
  if (size == 0 || !detail::is_power_of_two(alignment)) return error{errc::invalid_argument, ops::allocate};
  std::size_t used = bump_.used();
  std::size_t room = region_.size() - used;
  std::size_t pad = detail::padding(region_.data() + used, alignment);
  if (pad > room || size > room - pad) return error{errc::no_memory, ops::allocate};
  // Commit whole steps up to the end of the allocation, or to the end of the region.
  std::size_t target = 0;
  if (!detail::round_up(used + pad + size, step_, target) || target > region_.size()) target = region_.size();
  std::size_t committed = bump_.capacity();
  if (status s = region_.commit(committed, target - committed); !s) return s.error();
  bump_.resize(target);
  void* p = bump_.try_allocate(size, alignment);
  assert(p != nullptr && "vitte: the pages just committed hold the allocation");
  return p;
}

template <class P>
status basic_virtual_arena<P>::trim() noexcept {
  std::size_t keep = 0;
  if (!detail::round_up(bump_.used(), P::page_size(), keep) || keep >= bump_.capacity()) return {};
  if (status s = region_.decommit(keep, bump_.capacity() - keep); !s) return s;
  bump_.resize(keep);
  return {};
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_IMPL_VIRTUAL_ARENA_HPP
