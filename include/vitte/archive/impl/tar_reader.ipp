// vitte/archive/impl/tar_reader.ipp - the strict tar reader's bodies
// (vitte/archive/tar.hpp): header fields, checksums, pax values, names as
// they may be printed, the memory source, tar_reader::next(), list().
#ifndef VITTE_ARCHIVE_IMPL_TAR_READER_IPP
#define VITTE_ARCHIVE_IMPL_TAR_READER_IPP

#include <vitte/archive/tar.hpp>          // and impl/tar_reader.hpp: the header's fields
#include <vitte/base/detail/decimal.hpp>  // pax and GNU numbers
#include <vitte/base/detail/hex.hpp>      // hex_byte (escaped_name)
#include <vitte/base/detail/text.hpp>     // text_writer (name_subject)
#include <vitte/base/detail/utf8.hpp>     // utf8_sequence (escaped_name)

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace vitte::archive {
namespace detail {

// A NUL-terminated string field (all of it when no NUL).
VITTE_DECL text_view string_field(const std::byte* h, field f) {
  const char* s = reinterpret_cast<const char*>(h + f.at);
  std::size_t n = 0;
  while (n < f.size && s[n] != '\0') ++n;
  return {s, n};
}

// A numeric field: octal (spaces and NULs around it), or GNU base-256 when
// the first byte has its high bit set. False when it is neither.
VITTE_DECL bool number_field(const std::byte* h, field f, std::uint64_t& out, bool& negative) {
  const unsigned char* p = bytes_of(h + f.at);
  negative = false;
  out = 0;
  if (p[0] & 0x80) {  // base-256, two's complement
    negative = (p[0] & 0x40) != 0;
    std::uint64_t v = negative ? ~std::uint64_t(0) : 0;
    for (std::size_t i = 0; i < f.size; ++i) {
      unsigned byte = i == 0 ? (p[0] & 0x7f) | (negative ? 0x80 : 0) : p[i];
      if (i + 8 < f.size && byte != (negative ? 0xffu : 0u)) return false;  // beyond 64 bits
      v = (v << 8) | byte;
    }
    out = negative ? ~v + 1 : v;  // magnitude
    return true;
  }
  std::size_t i = 0;
  while (i < f.size && p[i] == ' ') ++i;
  bool digits = false;
  for (; i < f.size && p[i] >= '0' && p[i] <= '7'; ++i) {
    if (out >> 61) return false;  // overflow
    out = out * 8 + (p[i] - '0');
    digits = true;
  }
  for (; i < f.size; ++i)
    if (p[i] != ' ' && p[i] != '\0') return false;
  return digits || p[0] == '\0' || p[0] == ' ';  // an empty field reads as 0
}

VITTE_DECL bool zero_block(const std::byte* h) {
  std::uint64_t any = 0;
  for (std::size_t i = 0; i < block; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, h + i, 8);
    any |= w;
  }
  return any == 0;
}

// The sum of a header's bytes, its checksum field read as spaces; `high`
// counts the bytes above 127 (the signed sum is 256 less for each). 32-bit
// sums: 512 bytes cannot overflow them, and the loop vectorises.
VITTE_DECL std::uint32_t header_sum(const std::byte* h, std::uint32_t* high) {
  std::uint32_t sum = 0, above = 0;
  for (std::size_t i = 0; i < block; ++i) {
    const std::uint32_t c = static_cast<unsigned char>(h[i]);
    sum += c;
    above += c >> 7;
  }
  for (std::size_t i = f_checksum.at; i < f_checksum.at + f_checksum.size; ++i) {
    const std::uint32_t c = static_cast<unsigned char>(h[i]);
    sum += ' ' - c;
    above -= c >> 7;
  }
  if (high != nullptr) *high = above;
  return sum;
}

// The stored checksum matches the unsigned (POSIX) or signed (old Sun,
// some GNU versions) sum of the header with its checksum field as spaces.
VITTE_DECL bool checksum_ok(const std::byte* h) {
  std::uint64_t stored = 0;
  bool negative = false;
  if (!number_field(h, f_checksum, stored, negative) || negative) return false;
  std::uint32_t high = 0;
  const std::uint32_t unsigned_sum = header_sum(h, &high);
  const std::int64_t signed_sum = static_cast<std::int64_t>(unsigned_sum) - 256 * static_cast<std::int64_t>(high);
  return stored == unsigned_sum || static_cast<std::int64_t>(stored) == signed_sum;
}

// A pax time: [-]seconds[.fraction]; the fraction is dropped.
VITTE_DECL bool pax_time(text_view s, std::int64_t& out) {
  const bool negative = s.starts_with('-');
  if (negative) s.remove_prefix(1);
  const std::size_t dot = s.find('.');
  if (dot != text_view::npos) {
    for (char c : s.substr(dot + 1))
      if (c < '0' || c > '9') return false;
    s = s.substr(0, dot);
  }
  std::uint64_t v = 0;
  if (!decimal(s, v) || v > static_cast<std::uint64_t>(INT64_MAX)) return false;
  out = negative ? -static_cast<std::int64_t>(v) : static_cast<std::int64_t>(v);
  return true;
}

// "offset,size,offset,size,..." (GNU.sparse.map, pax sparse 0.1).
VITTE_DECL bool sparse_map_value(text_view v, buffer<sparse_run>& runs, std::size_t max, bool& too_many) {
  too_many = false;
  if (v.empty()) return true;
  std::uint64_t numbers[2] = {};
  std::size_t k = 0;
  for (;;) {
    const std::size_t comma = v.find(',');
    if (!decimal(v.substr(0, comma), numbers[k])) return false;
    if (++k == 2) {
      if (runs.size() >= max) {
        too_many = true;
        return false;
      }
      runs.push_back(sparse_run{numbers[0], numbers[1]});
      k = 0;
    }
    if (comma == text_view::npos) break;
    v.remove_prefix(comma + 1);
  }
  return k == 0;
}

// Hands `s` to `put` in pieces, escaped as escaped_name() says.
template <class Put>
void escape_name(text_view s, Put&& put) {
  auto byte = [&](unsigned char c) {
    char x[4] = {'\\', 'x'};
    vitte::detail::hex_byte(c, x + 2);
    put(text_view(x, 4));
  };
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      std::uint32_t code = 0;
      const std::size_t n = vitte::detail::utf8_sequence(s, i, code);
      // Not UTF-8, a C1 control (0x9b is CSI), or a bidirectional control
      // that reorders what follows on the line: each byte, visibly.
      const bool hidden = n == 0 || code <= 0x9f || code == 0x200e || code == 0x200f ||
                          (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
      if (hidden) {
        for (std::size_t k = 0; k < (n == 0 ? 1 : n); ++k) byte(static_cast<unsigned char>(s[i + k]));
      } else {
        put(s.substr(i, n));
      }
      i += n == 0 ? 1 : n;
      continue;
    }
    ++i;
    if (c == '\n') {
      put("\\n");
    } else if (c == '\t') {
      put("\\t");
    } else if (c == '\r') {
      put("\\r");
    } else if (c == '\\') {
      put("\\\\");
    } else if (c < 0x20 || c == 0x7f) {
      byte(c);
    } else {
      put(s.substr(i - 1, 1));
    }
  }
}
}  // namespace detail

VITTE_DECL text_view to_string(entry_type t) noexcept {
  switch (t) {
    case entry_type::file:
      return "file";
    case entry_type::directory:
      return "directory";
    case entry_type::symlink:
      return "symlink";
    case entry_type::hard_link:
      return "hard link";
    case entry_type::char_device:
      return "character device";
    case entry_type::block_device:
      return "block device";
    case entry_type::fifo:
      return "fifo";
  }
  return "unknown";
}

VITTE_DECL text escaped_name(text_view name) {
  text out;
  out.reserve(name.size());
  detail::escape_name(name, [&](text_view piece) { out += piece; });
  return out;
}

namespace detail {

VITTE_DECL result<span<const std::byte>> memory_source::take(std::size_t n, int) noexcept {
  const std::size_t k = n < archive.size() - at ? n : archive.size() - at;
  const span<const std::byte> out(archive.data() + at, k);
  at += k;
  return out;
}

VITTE_DECL status memory_source::begin_data(std::uint64_t size) noexcept {
  const std::size_t left = archive.size() - at;
  if (size > left || padded(size) > left) return vitte::error{errc::unexpected_eof, ops::tar_read};
  current = span<const std::byte>(archive.data() + at, static_cast<std::size_t>(size));
  at += padded(size);
  return {};
}

VITTE_DECL void name_subject(vitte::diagnostic& d, text_view name) noexcept {
  char subject[vitte::diagnostic::subject_capacity + 1];
  vitte::detail::text_writer w{subject, sizeof subject};
  escape_name(name, [&](text_view piece) { w.append(piece); });
  d.about(text_view(subject, w.len));
}

VITTE_DECL void append_name(vitte::diagnostic& d, text_view name) noexcept {
  escape_name(name, [&](text_view piece) { d.append(piece); });
}

VITTE_DECL vitte::error tar_core::fail(errc kind, const char* what, std::uint64_t at) {
  failure_.clear();
  failure_.of(kind).at(at).say(what);
  name_subject(failure_, entry_.path);
  error_ = vitte::error{kind, ops::tar_read};
  done_ = true;
  return error_;
}

// The runs must be sorted, apart, inside the real size (entry_.size), and
// hold the bytes stored. Two more rules keep every reader on one file: GNU
// tar reads each run from a fresh 512-byte block and ends the file where the
// last run ends, where libarchive and Python read the runs end to end and
// give the file its real size. So a run with data after it is a multiple of
// 512 bytes, and the last run ends at the real size, as GNU tar writes them.
VITTE_DECL vitte::error tar_core::check_sparse(std::uint64_t data_size, std::uint64_t here) {
  std::uint64_t end = 0, stored = 0;
  bool unaligned = false;
  for (const sparse_run& r : runs_) {
    if (r.offset < end) return fail(errc::malformed, "GNU sparse map not sorted or overlapping", here);
    if (r.size > entry_.size || r.offset > entry_.size - r.size)
      return fail(errc::malformed, "GNU sparse run beyond the file's real size", here);
    if (r.size != 0 && unaligned)
      return fail(errc::malformed, "GNU sparse run not a multiple of 512 bytes before another (readers disagree)",
                  here);
    if (r.size % block != 0) unaligned = true;
    end = r.offset + r.size;
    stored += r.size;
  }
  if (end != entry_.size)
    return fail(errc::malformed, "GNU sparse map that does not end at the real size (readers disagree)", here);
  if (stored != data_size) return fail(errc::malformed, "GNU sparse map disagrees with the data stored", here);
  return {};
}

}  // namespace detail

VITTE_DECL result<const entry*> tar_reader::next() { return core_.next(source_); }

VITTE_DECL result<buffer<entry>> list(span<const std::byte> archive, const read_limits& limits,
                                      vitte::diagnostic* why) {
  tar_reader r(archive, limits);
  buffer<entry> out;
  for (;;) {
    result<const entry*> e = r.next();
    if (!e) {
      if (why != nullptr) *why = r.failure();
      return e.error();
    }
    if (*e == nullptr) return out;
    out.push_back(**e);
  }
}

}  // namespace vitte::archive

#endif  // VITTE_ARCHIVE_IMPL_TAR_READER_IPP
