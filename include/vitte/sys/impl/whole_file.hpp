// Template bodies for vitte/sys/whole_file.hpp. Included by it; do not include.
#ifndef VITTE_SYS_IMPL_WHOLE_FILE_HPP
#define VITTE_SYS_IMPL_WHOLE_FILE_HPP

#include <vitte/sys/detail/unique_name.hpp>

#include <cstring>  // std::memcpy

namespace vitte::sys {

namespace detail {

// Resizes `out` to `n`, reporting an allocation failure as no_memory.
template <class Container>
status resize_or_fail(Container& out, std::size_t n) {
  // The read overwrites the new bytes: a buffer does not zero them first
  // (a pass over memory that cost 0.2x of a 256 MiB read).
  if constexpr (requires { out.try_resize_for_overwrite(n); }) {
    if (!out.try_resize_for_overwrite(n)) return error{errc::no_memory, ops::read};
  } else {
    if (!out.try_reserve(n)) return error{errc::no_memory, ops::read};
    out.resize(n);
  }
  return {};
}

// Reads an open file to its end into `out`. `expected` is the size the file
// reported (0: unknown): the buffer starts at that size and, once full, one
// small read tells the end from a file that grew.
template <class P, class Container>
status read_to_end(basic_file<P>& f, std::uint64_t expected, Container& out) {
  if (expected > SIZE_MAX / 2) return error{errc::no_memory, ops::read};
  if (status s = resize_or_fail(out, expected > 0 ? static_cast<std::size_t>(expected) : std::size_t{4096}); !s)
    return s;
  std::size_t have = 0;
  for (;;) {
    auto* base = reinterpret_cast<std::byte*>(out.data());
    result<std::size_t> n = f.read({base + have, out.size() - have});
    if (!n) return n.error();
    have += *n;
    if (have < out.size()) break;
    if (have == expected) {
      std::byte probe[512];
      result<std::size_t> m = f.read_some(probe);
      if (!m) return m.error();
      if (*m == 0) break;
      if (status s = resize_or_fail(out, have + *m); !s) return s;
      std::memcpy(reinterpret_cast<std::byte*>(out.data()) + have, probe, *m);
      have += *m;
    }
    if (status s = resize_or_fail(out, out.size() * 2); !s) return s;
  }
  out.resize(have);
  return {};
}

// `e` about `path` in `why` (when not null); `e`.
inline error named(error e, const path_arg& path, diagnostic* why) noexcept {
  if (why == nullptr) return e;
  why->clear();  // nothing of an earlier problem (its position) stays
  why->of(e).about(path.given());
  return e;
}

template <class P, class Container>
result<Container> read_whole(const path_arg& path) {
  result<basic_file<P>> f = basic_file<P>::open(path, open_mode::read);
  if (!f) return f.error();
  result<file_status> st = f->stat();
  if (!st) return st.error();
  if (st->type == file_type::directory) return error{errc::is_a_directory, ops::read};
  Container out;
  if (status s = read_to_end(*f, st->type == file_type::regular ? st->size : 0, out); !s) return s.error();
  return out;
}

}  // namespace detail

template <class P>
result<buffer<std::byte>> read_file(const path_arg& path, diagnostic* why) {
  result<buffer<std::byte>> r = detail::read_whole<P, buffer<std::byte>>(path);
  if (!r) return detail::named(r.error(), path, why);
  return r;
}

template <class P>
result<text> read_file_string(const path_arg& path, diagnostic* why) {
  result<text> r = detail::read_whole<P, text>(path);
  if (!r) return detail::named(r.error(), path, why);
  return r;
}

template <class P>
status write_file(const path_arg& path, span<const std::byte> data, write_options options, diagnostic* why) noexcept {
  open_mode mode =
      open_mode::write | (options.exclusive ? open_mode::exclusive : open_mode::create | open_mode::truncate);
  result<basic_file<P>> f = basic_file<P>::open(path, mode, options.permissions);
  if (!f) return detail::named(f.error(), path, why);
  status s = f->write(data);
  if (s && options.sync) s = f->sync();
  status c = f->close();
  if (s) s = c;
  if (s) return {};
  // An exclusive write created the file: a half-written one would block the
  // next try (already_exists) and may hold half of a secret.
  if (options.exclusive) (void)P::path_remove(cwd_handle, path.c_str(), false);
  return detail::named(s.error(), path, why);
}

template <class P>
status write_file(const path_arg& path, text_view text, write_options options, diagnostic* why) noexcept {
  return write_file<P>(path, vitte::as_bytes(vitte::span<const char>(text.data(), text.size())), options, why);
}

namespace detail {

// Creates ".<name>.tmp-<random>" in `dir`, exclusively; retries on a name
// clash. `tmp` receives the name.
template <class P>
result<basic_file<P>> create_sibling(const basic_directory<P>& dir, text_view name, std::uint32_t permissions,
                                     text& tmp) {
  constexpr int attempts = 16;
  for (int i = 0;; ++i) {
    tmp.clear();
    tmp.append(".").append(name).append(".tmp-").append(unique_suffix<P>());
    result<basic_file<P>> f =
        dir.open_file(tmp, open_mode::write | open_mode::exclusive | open_mode::no_follow, permissions & 0777);
    if (f || f.error() != errc::already_exists || i + 1 == attempts) return f;
  }
}

}  // namespace detail

namespace detail {

// atomic_replace_with's steps; the error of the first that failed.
template <class P, class Writer>
status replace_with(const path_arg& path, Writer& write, replace_options options) {
  VITTE_REQUIRE_CAPABILITY(P, clock);  // random names
  if (error e = path.check(ops::atomic_replace)) return e;
  text name(file_name(path.view()));
  if (name.empty() || name == "." || name == "..") return error{errc::invalid_argument, ops::atomic_replace};
  text_view parent = parent_path(path.view());
  result<basic_directory<P>> dir = basic_directory<P>::open(parent.empty() ? text_view(".") : parent);
  if (!dir) return dir.error();
  // A device, a named pipe or a socket (-o /dev/null), or a link to one
  // (-o /dev/stdout), is written through: a rename would put a regular file
  // in its place.
  result<file_status> at = dir->stat(name, false);
  if (at && at->type == file_type::symlink) {
    result<file_status> target = dir->stat(name, true);
    if (target && target->type != file_type::regular && target->type != file_type::directory) at = target;
  }
  if (at && at->type != file_type::regular && at->type != file_type::symlink && at->type != file_type::directory) {
    result<basic_file<P>> f = dir->open_file(name, open_mode::write);
    if (!f) return f.error();
    status s = write(*f);
    status closed = f->close();
    return s ? closed : s;
  }

  bool keep = options.permissions == keep_permissions;
  std::uint32_t permissions = keep ? default_file_permissions : options.permissions;
  result<file_status> old = keep ? dir->stat(name, true) : result<file_status>(errc::not_found);
  if (old) permissions = old->permissions;

  text tmp;
  result<basic_file<P>> f = detail::create_sibling(*dir, name, permissions, tmp);
  if (!f) return f.error();
  status s = write(*f);
  // The umask trimmed the permissions of the new file; an existing file's are kept exactly.
  if (s && old) s = P::path_set_permissions(dir->native(), tmp.c_str(), permissions, true);
  if (s && options.sync) s = f->sync();
  status closed = f->close();
  if (s) s = closed;
  if (s) s = dir->rename(tmp, *dir, name);
  if (!s) {
    (void)P::path_remove(dir->native(), tmp.c_str(), false);
    return s;
  }
  if (options.sync) return dir->sync();
  return {};
}

}  // namespace detail

template <class P, class Writer>
  requires std::is_invocable_r_v<status, Writer&, basic_file<P>&>
status atomic_replace_with(const path_arg& path, Writer&& write, replace_options options, diagnostic* why) {
  status s = detail::replace_with<P>(path, write, options);
  if (!s) return detail::named(s.error(), path, why);
  return s;
}

template <class P>
status atomic_replace(const path_arg& path, span<const std::byte> data, replace_options options, diagnostic* why) {
  return atomic_replace_with<P>(path, [data](basic_file<P>& f) { return f.write(data); }, options, why);
}

template <class P>
status atomic_replace(const path_arg& path, text_view text, replace_options options, diagnostic* why) {
  return atomic_replace<P>(path, vitte::as_bytes(vitte::span<const char>(text.data(), text.size())), options, why);
}
}  // namespace vitte::sys

#endif  // VITTE_SYS_IMPL_WHOLE_FILE_HPP
