// Template bodies for vitte/sys/temp.hpp. Included by it; do not include.
#ifndef VITTE_SYS_IMPL_TEMP_HPP
#define VITTE_SYS_IMPL_TEMP_HPP

#include <vitte/sys/detail/unique_name.hpp>

#include <utility>  // std::move

namespace vitte::sys {

namespace detail {

// Calls make(path) -> result<T> on fresh random names inside `parent` until
// one is free (a few tries at most).
template <class P, class T, class Make>
result<T> create_unique(text_view parent, text_view prefix, Make&& make) {
  text base(parent);
  if (base.empty()) {
    result<text> tmp = temp_directory_path<P>();
    if (!tmp) return vitte::error{errc::not_found, ops::temp_create, tmp.error().native(), tmp.error().domain()};
    base = std::move(*tmp);
  }
  constexpr int attempts = 16;
  for (int i = 0;; ++i) {
    text path = path_join(base, text(prefix) + unique_suffix<P>());
    result<T> r = make(path);
    if (r || r.error() != errc::already_exists || i + 1 == attempts) return r;
  }
}

}  // namespace detail

template <class P>
basic_temp_directory<P>& basic_temp_directory<P>::operator=(basic_temp_directory&& other) noexcept {
  if (this != &other) {
    (void)remove();
    path_ = std::move(other.path_);
    other.path_.clear();
  }
  return *this;
}

template <class P>
result<basic_temp_directory<P>> basic_temp_directory<P>::create(text_view parent, text_view prefix) {
  return detail::create_unique<P, basic_temp_directory>(parent, prefix,
                                                        [](const text& path) -> result<basic_temp_directory> {
                                                          if (status s = create_directory<P>(path, 0700); !s)
                                                            return s.error();
                                                          basic_temp_directory d;
                                                          d.path_ = path;
                                                          return d;
                                                        });
}

template <class P>
result<std::uint64_t> basic_temp_directory<P>::remove() {
  if (path_.empty()) return std::uint64_t{0};
  result<std::uint64_t> n = remove_all<P>(path_);
  if (n) path_.clear();
  return n;
}

template <class P>
basic_temp_file<P>& basic_temp_file<P>::operator=(basic_temp_file&& other) noexcept {
  if (this != &other) {
    (void)remove();
    file_ = std::move(other.file_);
    path_ = std::move(other.path_);
    other.path_.clear();
  }
  return *this;
}

template <class P>
result<basic_temp_file<P>> basic_temp_file<P>::create(text_view parent, text_view prefix) {
  return detail::create_unique<P, basic_temp_file>(parent, prefix, [](const text& path) -> result<basic_temp_file> {
    constexpr open_mode mode = open_mode::read | open_mode::write | open_mode::exclusive | open_mode::no_follow;
    result<basic_file<P>> f = basic_file<P>::open(path, mode, 0600);
    if (!f) return f.error();
    basic_temp_file t;
    t.file_ = std::move(*f);
    t.path_ = path;
    return t;
  });
}

template <class P>
status basic_temp_file<P>::remove() noexcept {
  if (file_.is_open()) (void)file_.close();
  if (path_.empty()) return {};
  status s = detail::retry_interrupted([&] { return P::path_remove(cwd_handle, path_.c_str(), false); });
  path_.clear();
  return s;
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_IMPL_TEMP_HPP
