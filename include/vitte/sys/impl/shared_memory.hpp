// Template bodies for vitte/sys/shared_memory.hpp. Included by it; do not include.
#ifndef VITTE_SYS_IMPL_SHARED_MEMORY_HPP
#define VITTE_SYS_IMPL_SHARED_MEMORY_HPP

#include <vitte/sys/detail/pages.hpp>

#include <utility>  // std::exchange

namespace vitte::sys {

template <class P>
basic_shared_memory<P>::basic_shared_memory(basic_shared_memory&& other) noexcept
    : handle_(std::exchange(other.handle_, 0)), size_(std::exchange(other.size_, 0)) {}

template <class P>
basic_shared_memory<P>& basic_shared_memory<P>::operator=(basic_shared_memory&& other) noexcept {
  if (this == &other) return *this;
  close();
  handle_ = std::exchange(other.handle_, 0);
  size_ = std::exchange(other.size_, 0);
  return *this;
}

template <class P>
basic_shared_memory<P>::~basic_shared_memory() {
  close();
}

template <class P>
void basic_shared_memory<P>::close() noexcept {
  if (size_ == 0) return;
  P::shared_memory_close(handle_);
  handle_ = 0;
  size_ = 0;
}

template <class P>
result<basic_shared_memory<P>> basic_shared_memory<P>::create(std::size_t size) noexcept {
  std::size_t rounded = 0;
  if (size == 0 || !detail::round_up(size, P::page_size(), rounded))
    return error{errc::invalid_argument, ops::shared_memory_create};
  result<std::intptr_t> handle = P::shared_memory_create(rounded);
  if (!handle) return handle.error();
  return basic_shared_memory{*handle, rounded};
}

template <class P>
result<basic_region<P>> basic_shared_memory<P>::map(protection prot) const noexcept {
  if (size_ == 0) return error{errc::bad_descriptor, ops::shared_memory_map};
  if (!is_valid(prot) || prot == protection::none) return error{errc::invalid_argument, ops::shared_memory_map};
  result<void*> p = P::shared_memory_map(handle_, size_, prot);
  if (!p) return p.error();
  return basic_region<P>{static_cast<std::byte*>(*p), size_, true};
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_IMPL_SHARED_MEMORY_HPP
