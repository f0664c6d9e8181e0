// Template bodies for vitte/sys/memory.hpp. Included by it; do not include.
#ifndef VITTE_SYS_IMPL_MEMORY_HPP
#define VITTE_SYS_IMPL_MEMORY_HPP

#include <vitte/sys/detail/pages.hpp>

#include <cstdint>  // std::uintptr_t
#include <utility>  // std::exchange

namespace vitte::sys {

template <class P>
page_size_list huge_page_sizes() noexcept {
  VITTE_REQUIRE_CAPABILITY(P, memory);
  page_size_list list;
  list.count = P::huge_page_sizes(list.sizes, page_size_list::capacity);
  return list;
}

template <class P>
status flush_instruction_cache(const void* p, std::size_t size) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, memory_protection);
  auto begin = reinterpret_cast<std::uintptr_t>(p);
  if (p == nullptr || size == 0 || begin + size < begin) return error{errc::invalid_argument, ops::memory_flush_icache};
  return P::flush_instruction_cache(p, size);
}

template <class P>
basic_region<P>::basic_region(basic_region&& other) noexcept
    : base_(std::exchange(other.base_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      view_(std::exchange(other.view_, false)) {}

template <class P>
basic_region<P>& basic_region<P>::operator=(basic_region&& other) noexcept {
  if (this == &other) return *this;
  (void)release();
  base_ = std::exchange(other.base_, nullptr);
  size_ = std::exchange(other.size_, 0);
  view_ = std::exchange(other.view_, false);
  return *this;
}

template <class P>
basic_region<P>::~basic_region() {
  (void)release();
}

template <class P>
result<basic_region<P>> basic_region<P>::reserve(std::size_t size) noexcept {
  return allocate(size, protection::none);
}

template <class P>
result<basic_region<P>> basic_region<P>::allocate(std::size_t size, protection prot, commit_options options) noexcept {
  std::size_t rounded = 0;
  if (size == 0 || !is_valid(prot) || !detail::round_up(size, P::page_size(), rounded))
    return error{errc::invalid_argument, ops::memory_reserve};
  result<void*> p = P::memory_reserve(rounded, prot, options);
  if (!p) return p.error();
  return basic_region{static_cast<std::byte*>(*p), rounded, false};
}

template <class P>
result<span<std::byte>> basic_region<P>::pages(std::size_t offset, std::size_t size, operation op) const noexcept {
  if (base_ == nullptr) return error{errc::bad_descriptor, op};
  std::size_t rounded = 0;
  if (size == 0 || offset % P::page_size() != 0 || !detail::round_up(size, P::page_size(), rounded))
    return error{errc::invalid_argument, op};
  if (offset > size_ || rounded > size_ - offset) return error{errc::invalid_argument, op};
  return span<std::byte>{base_ + offset, rounded};
}

template <class P>
template <class F>
status basic_region<P>::on_pages(std::size_t offset, std::size_t size, operation op, F f) const noexcept {
  result<span<std::byte>> r = pages(offset, size, op);
  if (!r) return r.error();
  return f(r->data(), r->size());
}

template <class P>
status basic_region<P>::commit(std::size_t offset, std::size_t size, protection prot, commit_options options) noexcept {
  if (!is_valid(prot) || prot == protection::none) return error{errc::invalid_argument, ops::memory_commit};
  bool view = view_;
  return on_pages(offset, size, ops::memory_commit, [&](std::byte* p, std::size_t n) {
    return view ? error{errc::not_supported, ops::memory_commit} : P::memory_commit(p, n, prot, options);
  });
}

template <class P>
status basic_region<P>::decommit(std::size_t offset, std::size_t size) noexcept {
  bool view = view_;
  return on_pages(offset, size, ops::memory_decommit, [view](std::byte* p, std::size_t n) {
    return view ? error{errc::not_supported, ops::memory_decommit} : P::memory_decommit(p, n);
  });
}

template <class P>
status basic_region<P>::protect(std::size_t offset, std::size_t size, protection prot) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, memory_protection);
  if (!is_valid(prot)) return error{errc::invalid_argument, ops::memory_protect};
  return on_pages(offset, size, ops::memory_protect,
                  [prot](std::byte* p, std::size_t n) { return P::memory_protect(p, n, prot); });
}

template <class P>
status basic_region<P>::make_executable(std::size_t offset, std::size_t size) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, memory_protection);
  return on_pages(offset, size, ops::memory_protect, [](std::byte* p, std::size_t n) {
    if (error e = P::memory_protect(p, n, protection::read_execute)) return e;
    return P::flush_instruction_cache(p, n);
  });
}

template <class P>
status basic_region<P>::make_writable(std::size_t offset, std::size_t size) noexcept {
  return protect(offset, size, protection::read_write);
}

template <class P>
status basic_region<P>::guard(std::size_t offset, std::size_t size) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, memory_protection);
  return view_ ? protect(offset, size, protection::none) : decommit(offset, size);
}

template <class P>
status basic_region<P>::advise(std::size_t offset, std::size_t size, advice a) noexcept {
  if (a != advice::will_need && a != advice::dont_need) return error{errc::invalid_argument, ops::memory_advise};
  return on_pages(offset, size, ops::memory_advise,
                  [a](std::byte* p, std::size_t n) { return P::memory_advise(p, n, a); });
}

template <class P>
status basic_region<P>::lock(std::size_t offset, std::size_t size) noexcept {
  return on_pages(offset, size, ops::memory_lock, [](std::byte* p, std::size_t n) { return P::memory_lock(p, n); });
}

template <class P>
status basic_region<P>::unlock(std::size_t offset, std::size_t size) noexcept {
  return on_pages(offset, size, ops::memory_unlock, [](std::byte* p, std::size_t n) { return P::memory_unlock(p, n); });
}

template <class P>
status basic_region<P>::release() noexcept {
  if (base_ == nullptr) return {};
  if (error e = unmap()) return e;
  base_ = nullptr;
  size_ = 0;
  view_ = false;
  return {};
}

template <class P>
error basic_region<P>::unmap() noexcept {
  if constexpr (shared_memory_capability<P>) {
    if (view_) return P::shared_memory_unmap(base_, size_);
  }
  return P::memory_release(base_, size_);
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_IMPL_MEMORY_HPP
