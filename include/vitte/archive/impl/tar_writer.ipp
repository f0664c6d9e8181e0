// vitte/archive/impl/tar_writer.ipp - the deterministic tar writer (vitte/archive/tar.hpp).
#ifndef VITTE_ARCHIVE_IMPL_TAR_WRITER_IPP
#define VITTE_ARCHIVE_IMPL_TAR_WRITER_IPP

#include <vitte/archive/tar.hpp>      // and impl/tar_reader.hpp: the header's fields
#include <vitte/sys/environment.hpp>  // SOURCE_DATE_EPOCH

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace vitte::archive {
namespace detail {

// Writes `v` in octal into the field: digits, then a NUL. False when it
// does not fit.
VITTE_DECL bool put_octal(std::byte* h, field f, std::uint64_t v) {
  const std::size_t digits = f.size - 1;
  if (digits < 22 && v >> (3 * digits) != 0) return false;
  for (std::size_t i = digits; i-- > 0; v >>= 3) h[f.at + i] = std::byte('0' + (v & 7));
  h[f.at + digits] = std::byte{0};
  return true;
}

VITTE_DECL void put_string(std::byte* h, field f, text_view s) {
  if (!s.empty()) std::memcpy(h + f.at, s.data(), s.size());
}

VITTE_DECL void append_decimal(text& out, std::uint64_t v) {
  char digits[20];
  std::size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n > 0) out += digits[--n];
}

// One pax record: "LEN key=value\n", LEN counting itself.
VITTE_DECL void append_pax_record(text& out, text_view key, text_view value) {
  const std::size_t body = 1 + key.size() + 1 + value.size() + 1;  // " key=value\n"
  std::size_t len = body + 1;
  for (std::size_t digits = 1;; ++digits) {  // the length includes its own digits
    std::size_t p = 1;
    for (std::size_t i = 1; i < digits; ++i) p *= 10;
    len = body + digits;
    if (len >= p && len < p * 10) break;
  }
  append_decimal(out, len);
  out += ' ';
  out += key;
  out += '=';
  out += value;
  out += '\n';
}

VITTE_DECL bool valid_member_path(text_view p) {
  if (p.empty() || p.front() == '/' || p.contains('\0')) return false;
  while (!p.empty()) {
    const std::size_t slash = p.find('/');
    const text_view part = p.substr(0, slash);
    if (part.empty() || part == "." || part == "..") return false;
    if (slash == text_view::npos) break;
    p.remove_prefix(slash + 1);
  }
  return true;
}

// Splits `p` into ustar's prefix (<= 155) and name (<= 100) at a '/'.
VITTE_DECL bool ustar_split(text_view p, text_view& prefix, text_view& name) {
  if (p.size() <= f_name.size) {
    prefix = {};
    name = p;
    return true;
  }
  for (std::size_t i = p.size(); i-- > 0;) {
    if (p[i] != '/') continue;
    if (i > f_prefix.size) continue;
    if (p.size() - i - 1 > f_name.size || i == 0 || i + 1 == p.size()) return false;
    prefix = p.substr(0, i);
    name = p.substr(i + 1);
    return true;
  }
  return false;
}

}  // namespace detail

VITTE_DECL write_options write_options::from_environment() {
  // Through sys, not std::getenv: on Windows the C runtime's copy of the
  // environment misses what SetEnvironmentVariable set.
  write_options o;
  result<text> s = vitte::sys::get_env("SOURCE_DATE_EPOCH");
  std::uint64_t v = 0;
  if (s && detail::decimal(*s, v) && v <= static_cast<std::uint64_t>(INT64_MAX)) o.mtime = static_cast<std::int64_t>(v);
  return o;
}

VITTE_DECL status tar_writer::add_directory(text_view path, std::uint32_t mode) {
  return add(path, entry_type::directory, mode, 0, {}, {});
}
VITTE_DECL status tar_writer::add_file(text_view path, span<const std::byte> data, std::uint32_t mode) {
  return add(path, entry_type::file, mode, data.size(), data, {});
}
VITTE_DECL status tar_writer::add_symlink(text_view path, text_view target) {
  return add(path, entry_type::symlink, 0777, 0, {}, target);
}
VITTE_DECL status tar_writer::add_hard_link(text_view path, text_view target, std::uint32_t mode) {
  if (!detail::valid_member_path(target)) return vitte::error{errc::invalid_argument, ops::tar_write};
  return add(path, entry_type::hard_link, mode, 0, {}, target);
}
VITTE_DECL status tar_writer::begin_file(text_view path, std::uint64_t size, std::uint32_t mode) {
  return add(path, entry_type::file, mode, size, {}, {});
}

VITTE_DECL status tar_writer::append(span<const std::byte> data) {
  if (data.size() > pending_) return vitte::error{errc::invalid_argument, ops::tar_write};
  put(data);
  return {};
}

VITTE_DECL void tar_writer::put(span<const std::byte> data) {
  const std::size_t at = out_.size();
  const std::size_t pad = data.size() == pending_ ? detail::padded(entry_size_) - entry_size_ : 0;
  const std::size_t need = at + data.size() + pad;
  // buffer::resize reserves exactly: grow geometrically, or writing n
  // entries copies n^2 blocks.
  if (need > out_.capacity()) out_.reserve(need > 2 * out_.capacity() ? need : 2 * out_.capacity());
  if (!out_.try_resize_for_overwrite(need)) vitte::detail::allocation_failed();
  if (!data.empty()) std::memcpy(out_.data() + at, data.data(), data.size());
  std::memset(out_.data() + at + data.size(), 0, pad);
  pending_ -= data.size();
}

VITTE_DECL buffer<std::byte> tar_writer::take() {
  buffer<std::byte> done;
  done.swap(out_);
  return done;
}

VITTE_DECL status tar_writer::add(text_view path, entry_type type, std::uint32_t mode, std::uint64_t size,
                                  span<const std::byte> data, text_view link) {
  namespace d = detail;
  if (pending_ != 0 || !d::valid_member_path(path) || link.contains('\0') ||
      ((type == entry_type::symlink || type == entry_type::hard_link) && link.empty()))
    return vitte::error{errc::invalid_argument, ops::tar_write};
  text stored(path);
  if (type == entry_type::directory) stored += '/';
  text pax;
  text_view prefix, name;
  if (!d::ustar_split(stored, prefix, name)) {
    d::append_pax_record(pax, "path", stored);
    prefix = {};
    name = text_view(stored).substr(0, d::f_name.size);
  }
  if (link.size() > d::f_link.size) d::append_pax_record(pax, "linkpath", link);
  const bool big = size >> 33 != 0;  // beyond 11 octal digits
  if (big) {
    text n;
    d::append_decimal(n, size);
    d::append_pax_record(pax, "size", n);
  }
  // ustar holds 0 to 8^11 - 1 seconds; other times go in the pax header.
  const bool time_in_pax = options_.mtime < 0 || (static_cast<std::uint64_t>(options_.mtime) >> 33) != 0;
  if (time_in_pax) {
    text t;
    if (options_.mtime < 0) t += '-';
    d::append_decimal(t, options_.mtime < 0 ? 0 - static_cast<std::uint64_t>(options_.mtime)
                                            : static_cast<std::uint64_t>(options_.mtime));
    d::append_pax_record(pax, "mtime", t);
  }

  // buffer::resize reserves exactly: grow geometrically, or writing n
  // entries copies n^2 blocks.
  // Zero-filled room for `more` bytes at the end (buffer::resize would
  // construct them one by one).
  auto grow = [&](std::size_t more) {
    const std::size_t at = out_.size(), need = at + more;
    if (need > out_.capacity()) out_.reserve(need > 2 * out_.capacity() ? need : 2 * out_.capacity());
    if (!out_.try_resize_for_overwrite(need)) vitte::detail::allocation_failed();
    std::memset(out_.data() + at, 0, more);
  };
  auto header = [&](text_view hname, text_view hprefix, char flag, std::uint32_t hmode, std::uint64_t hsize,
                    text_view hlink) {
    const std::size_t at = out_.size();
    grow(d::block);
    std::byte* h = out_.data() + at;
    d::put_string(h, d::f_name, hname);
    d::put_octal(h, d::f_mode, hmode & 07777);
    d::put_octal(h, d::f_uid, 0);
    d::put_octal(h, d::f_gid, 0);
    d::put_octal(h, d::f_size, hsize >> 33 != 0 ? 0 : hsize);
    d::put_octal(h, d::f_mtime, time_in_pax ? 0 : static_cast<std::uint64_t>(options_.mtime));
    h[d::f_type.at] = std::byte(flag);
    d::put_string(h, d::f_link, hlink.substr(0, d::f_link.size));
    d::put_string(h, d::f_magic, text_view("ustar\0", 6));
    d::put_string(h, d::f_version, "00");
    d::put_octal(h, d::field{329, 8}, 0);  // device major
    d::put_octal(h, d::field{337, 8}, 0);  // device minor
    d::put_string(h, d::f_prefix, hprefix);
    const std::uint32_t sum = d::header_sum(h);
    d::put_octal(h, d::field{d::f_checksum.at, 7}, sum);  // six digits, a NUL, and the space left
  };
  auto body = [&](const void* p, std::size_t n) {
    const std::size_t at = out_.size();
    grow(d::padded(n));
    if (n != 0) std::memcpy(out_.data() + at, p, n);
  };

  if (!pax.empty()) {
    // A fixed name, so the bytes depend on nothing but the entry.
    text pax_name("PaxHeaders/");
    const text_view base = name.substr(0, d::f_name.size - pax_name.size());
    pax_name += base;
    header(pax_name, {}, 'x', 0644, pax.size(), {});
    body(pax.data(), pax.size());
  }
  char flag = '0';
  switch (type) {
    case entry_type::directory:
      flag = '5';
      break;
    case entry_type::symlink:
      flag = '2';
      break;
    case entry_type::hard_link:
      flag = '1';
      break;
    default:
      break;
  }
  header(name, prefix, flag, mode, size, link);
  entry_size_ = pending_ = size;
  put(data.first(data.size() < size ? data.size() : static_cast<std::size_t>(size)));
  return {};
}

VITTE_DECL buffer<std::byte> tar_writer::finish() {
  while (pending_ != 0) {  // a file begun and not given all its bytes
    static constexpr std::byte zeros[detail::block] = {};
    put(span<const std::byte>(zeros, pending_ < detail::block ? static_cast<std::size_t>(pending_) : detail::block));
  }
  const std::size_t at = out_.size();
  if (!out_.try_resize_for_overwrite(at + 2 * detail::block)) vitte::detail::allocation_failed();
  std::memset(out_.data() + at, 0, 2 * detail::block);
  buffer<std::byte> done;
  done.swap(out_);
  return done;
}

}  // namespace vitte::archive

#endif  // VITTE_ARCHIVE_IMPL_TAR_WRITER_IPP
