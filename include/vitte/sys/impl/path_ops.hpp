// Template bodies for vitte/sys/path_ops.hpp. Included by it; do not include.
#ifndef VITTE_SYS_IMPL_PATH_OPS_HPP
#define VITTE_SYS_IMPL_PATH_OPS_HPP

#include <vitte/sys/detail/grow_text.hpp>
#include <vitte/sys/detail/retry.hpp>

#include <cstddef>  // std::byte
#include <new>      // std::nothrow

namespace vitte::sys {

namespace detail {

// Copies what is left of `in` to `out`: in the kernel while the platform
// can, then with a read/write loop. A first in-kernel chunk of 0 bytes falls
// back too: files of /proc report size 0 and copy nothing in the kernel.
template <class P>
status copy_contents(basic_file<P>& in, basic_file<P>& out) noexcept {
  constexpr std::size_t kernel_chunk = std::size_t{1} << 30;
  for (std::uint64_t copied = 0;;) {
    result<std::size_t> r =
        retry_interrupted([&] { return P::file_copy_chunk(in.native(), out.native(), kernel_chunk); });
    if (!r && r.error() != errc::not_supported) return r.error();
    if (!r || (*r == 0 && copied == 0)) break;
    if (*r == 0) return {};
    copied += *r;
  }
  constexpr std::size_t buffer_size = 256 * 1024;
  struct heap_buffer {
    std::byte* p = new (std::nothrow) std::byte[buffer_size];
    ~heap_buffer() { delete[] p; }
  } buf;
  if (buf.p == nullptr) return error{errc::no_memory, ops::copy_file};
  for (;;) {
    result<std::size_t> n = in.read_some({buf.p, buffer_size});
    if (!n) return n.error();
    if (*n == 0) return {};
    if (status w = out.write({buf.p, *n}); !w) return w;
  }
}

}  // namespace detail

template <class P>
status rename(const path_arg& from, const path_arg& to) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, directory);
  if (error e = from.check(ops::rename)) return e;
  if (error e = to.check(ops::rename)) return e;
  return detail::retry_interrupted([&] { return P::path_rename(cwd_handle, from.c_str(), cwd_handle, to.c_str()); });
}

template <class P>
status create_hard_link(const path_arg& existing, const path_arg& link) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, directory);
  if (error e = existing.check(ops::link)) return e;
  if (error e = link.check(ops::link)) return e;
  return detail::retry_interrupted(
      [&] { return P::path_link(cwd_handle, existing.c_str(), cwd_handle, link.c_str()); });
}

template <class P>
status create_symlink(const path_arg& target, const path_arg& link) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, directory);
  if (error e = target.check(ops::symlink)) return e;
  if (error e = link.check(ops::symlink)) return e;
  return detail::retry_interrupted([&] { return P::path_symlink(target.c_str(), cwd_handle, link.c_str()); });
}

template <class P>
result<text> read_symlink(const path_arg& path) {
  VITTE_REQUIRE_CAPABILITY(P, directory);
  if (error e = path.check(ops::read_link)) return e;
  return detail::grow_text(
      [&](char* buf, std::size_t n) { return P::path_read_link(cwd_handle, path.c_str(), buf, n); });
}

template <class P>
status copy_file(const path_arg& from, const path_arg& to, copy_options options) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, directory);
  if (error e = from.check(ops::copy_file)) return e;
  if (error e = to.check(ops::copy_file)) return e;
  error native = P::path_copy(from.c_str(), to.c_str(), options.overwrite);
  if (native != errc::not_supported) return native;

  result<basic_file<P>> in = basic_file<P>::open(from, open_mode::read);
  if (!in) return in.error();
  result<file_status> src = in->stat();
  if (!src) return src.error();
  if (src->type == file_type::directory) return error{errc::is_a_directory, ops::copy_file};
  file_status dst;
  bool exists = !P::path_stat(cwd_handle, to.c_str(), true, dst);
  if (exists && dst.same_file(*src)) return error{errc::invalid_argument, ops::copy_file};
  if (exists && !options.overwrite) return error{errc::already_exists, ops::copy_file};

  open_mode mode =
      open_mode::write | (options.overwrite ? open_mode::create | open_mode::truncate : open_mode::exclusive);
  result<basic_file<P>> out = basic_file<P>::open(to, mode, src->permissions & 0777);
  if (!out) return out.error();
  status s = detail::copy_contents(*in, *out);
  status c = out->close();
  if (s && c) return {};
  (void)P::path_remove(cwd_handle, to.c_str(), false);
  return s ? c : s;
}

template <class P>
result<text> current_directory() {
  VITTE_REQUIRE_CAPABILITY(P, directory);
  return detail::grow_text([](char* buf, std::size_t n) { return P::current_directory(buf, n); });
}

template <class P>
status set_current_directory(const path_arg& path) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, directory);
  if (error e = path.check(ops::current_directory)) return e;
  return P::set_current_directory(path.c_str());
}

template <class P>
result<text> canonical(const path_arg& path) {
  VITTE_REQUIRE_CAPABILITY(P, directory);
  if (error e = path.check(ops::canonical)) return e;
  return detail::grow_text([&](char* buf, std::size_t n) { return P::canonical_path(path.c_str(), buf, n); });
}

template <class P>
result<text> temp_directory_path() {
  VITTE_REQUIRE_CAPABILITY(P, directory);
  return detail::grow_text([](char* buf, std::size_t n) { return P::temp_directory(buf, n); });
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_IMPL_PATH_OPS_HPP
