// Template bodies for vitte/sys/file_map.hpp. Included by it; do not include.
#ifndef VITTE_SYS_IMPL_FILE_MAP_HPP
#define VITTE_SYS_IMPL_FILE_MAP_HPP

#include <utility>  // std::exchange

namespace vitte::sys {

template <class P>
basic_file_map<P>::basic_file_map(basic_file_map&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      base_(std::exchange(other.base_, nullptr)),
      length_(std::exchange(other.length_, 0)) {}

template <class P>
basic_file_map<P>& basic_file_map<P>::operator=(basic_file_map&& other) noexcept {
  if (this != &other) {
    (void)unmap();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    base_ = std::exchange(other.base_, nullptr);
    length_ = std::exchange(other.length_, 0);
  }
  return *this;
}

template <class P>
result<basic_file_map<P>> basic_file_map<P>::map(const basic_file<P>& f, map_mode mode, std::uint64_t offset,
                                                 std::size_t size) noexcept {
  result<std::uint64_t> file_size = f.size();
  if (!file_size) return file_size.error();
  if (offset > *file_size || (size != 0 && size > *file_size - offset))
    return error{errc::invalid_argument, ops::map_file};
  std::uint64_t want = size != 0 ? size : *file_size - offset;
  if (want > SIZE_MAX) return error{errc::no_memory, ops::map_file};
  basic_file_map m;
  if (want == 0) return m;
  std::uint64_t granule = P::allocation_granularity();
  std::uint64_t start = offset - offset % granule;
  std::size_t length = static_cast<std::size_t>(want + (offset - start));
  result<void*> p = P::file_map(f.native(), start, length, mode);
  if (!p) return p.error();
  m.base_ = *p;
  m.length_ = length;
  m.data_ = static_cast<std::byte*>(*p) + (offset - start);
  m.size_ = static_cast<std::size_t>(want);
  return m;
}

template <class P>
result<basic_file_map<P>> basic_file_map<P>::open(const path_arg& path, map_mode mode) noexcept {
  open_mode how = mode == map_mode::read_write ? open_mode::read | open_mode::write : open_mode::read;
  result<basic_file<P>> f = basic_file<P>::open(path, how);
  if (!f) return f.error();
  return map(*f, mode);
}

template <class P>
status basic_file_map<P>::sync() noexcept {
  if (base_ == nullptr) return {};
  return P::file_map_sync(base_, length_);
}

template <class P>
status basic_file_map<P>::unmap() noexcept {
  if (base_ == nullptr) return {};
  error e = P::file_unmap(base_, length_);
  data_ = nullptr;
  size_ = 0;
  base_ = nullptr;
  length_ = 0;
  return e;
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_IMPL_FILE_MAP_HPP
