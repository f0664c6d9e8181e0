// Template bodies for vitte/sys/update_file.hpp. Included by it; do not include.
#ifndef VITTE_SYS_IMPL_UPDATE_FILE_HPP
#define VITTE_SYS_IMPL_UPDATE_FILE_HPP

#include <cstring>  // std::memcmp

namespace vitte::sys {

namespace detail {

// True when `f`, of `data.size()` bytes, holds `data`: compared a piece at a time.
template <class P>
result<bool> holds(basic_file<P>& f, span<const std::byte> data) noexcept {
  std::byte piece[4096];
  for (std::size_t at = 0; at < data.size();) {
    const std::size_t want = data.size() - at < sizeof piece ? data.size() - at : sizeof piece;
    result<std::size_t> n = f.read_at(span<std::byte>(piece, want), at);
    if (!n) return n.error();
    if (*n == 0) return false;  // shorter than it said: it changed under us
    if (std::memcmp(piece, data.data() + at, *n) != 0) return false;
    at += *n;
  }
  return true;
}

}  // namespace detail

template <class P>
result<bool> update_file(const path_arg& path, span<const std::byte> data, std::uint32_t permissions) noexcept {
  result<basic_file<P>> f =
      basic_file<P>::open(path, open_mode::read | open_mode::write | open_mode::create, permissions);
  if (!f) return f.error();
  result<std::uint64_t> size = f->size();
  if (!size) return size.error();
  if (*size == data.size()) {
    result<bool> same = detail::holds(*f, data);
    if (!same) return same.error();
    if (*same) {
      if (status c = f->close(); !c) return c.error();
      return false;
    }
  }
  if (status s = f->write_at(data, 0); !s) return s.error();
  if (*size > data.size())
    if (status s = f->truncate(data.size()); !s) return s.error();
  if (status c = f->close(); !c) return c.error();
  return true;
}

template <class P>
result<bool> update_file(const path_arg& path, text_view text, std::uint32_t permissions) noexcept {
  return update_file<P>(path, vitte::as_bytes(vitte::span<const char>(text.data(), text.size())), permissions);
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_IMPL_UPDATE_FILE_HPP
