// vitte/archive/impl/tar_reader.hpp - the strict tar reader.
#ifndef VITTE_ARCHIVE_IMPL_TAR_READER_HPP
#define VITTE_ARCHIVE_IMPL_TAR_READER_HPP

#include <cstring>

namespace vitte::archive {
namespace detail {

inline constexpr std::size_t block = 512;

// Header fields: offset, length.
struct field {
  std::size_t at, size;
};
inline constexpr field f_name{0, 100}, f_mode{100, 8}, f_uid{108, 8}, f_gid{116, 8}, f_size{124, 12}, f_mtime{136, 12},
    f_checksum{148, 8}, f_type{156, 1}, f_link{157, 100}, f_magic{257, 6}, f_version{263, 2}, f_user{265, 32},
    f_group{297, 32}, f_prefix{345, 155};

inline const unsigned char* bytes_of(const std::byte* p) { return reinterpret_cast<const unsigned char*>(p); }

// A NUL-terminated string field (all of it when no NUL).
inline text_view string_field(const std::byte* h, field f) {
  const char* s = reinterpret_cast<const char*>(h + f.at);
  std::size_t n = 0;
  while (n < f.size && s[n] != '\0') ++n;
  return {s, n};
}

// A numeric field: octal (spaces and NULs around it), or GNU base-256 when
// the first byte has its high bit set. False when it is neither.
inline bool number_field(const std::byte* h, field f, std::uint64_t& out, bool& negative) {
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

inline bool zero_block(const std::byte* h) {
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
inline std::uint32_t header_sum(const std::byte* h, std::uint32_t* high = nullptr) {
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
inline bool checksum_ok(const std::byte* h) {
  std::uint64_t stored = 0;
  bool negative = false;
  if (!number_field(h, f_checksum, stored, negative) || negative) return false;
  std::uint32_t high = 0;
  const std::uint32_t unsigned_sum = header_sum(h, &high);
  const std::int64_t signed_sum = static_cast<std::int64_t>(unsigned_sum) - 256 * static_cast<std::int64_t>(high);
  return stored == unsigned_sum || static_cast<std::int64_t>(stored) == signed_sum;
}

inline std::size_t padded(std::uint64_t n) { return static_cast<std::size_t>((n + block - 1) / block * block); }

// Pending overrides from pax 'x' and GNU 'L'/'K' headers.
struct overrides {
  text path, link;
  bool has_path = false, has_link = false;
  bool has_size = false, has_mtime = false, has_uid = false, has_gid = false, has_user = false, has_group = false;
  std::uint64_t size = 0, uid = 0, gid = 0;
  std::int64_t mtime = 0;
  text user, group;
};

inline bool decimal(text_view s, std::uint64_t& out) {
  if (s.empty() || s.size() > 19) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<unsigned>(c - '0');
  }
  return true;
}

// A pax time: [-]seconds[.fraction]; the fraction is dropped.
inline bool pax_time(text_view s, std::int64_t& out) {
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

}  // namespace detail

inline text_view to_string(entry_type t) noexcept {
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

inline vitte::error tar_reader::fail(errc kind, const char* what, std::uint64_t at) {
  failure_.what = what;
  failure_.path = entry_.path;
  failure_.offset = at;
  error_ = vitte::error{kind, ops::tar_read};
  done_ = true;
  return error_;
}

inline result<const entry*> tar_reader::next() {
  namespace d = detail;
  if (error_) return error_;
  if (done_) return static_cast<const entry*>(nullptr);
  d::overrides o;
  // Reset, keeping the texts' memory.
  entry_.path.clear();
  entry_.link.clear();
  entry_.user.clear();
  entry_.group.clear();
  entry_.type = entry_type::file;
  entry_.mode = 0644;
  entry_.size = 0;
  entry_.mtime = 0;
  entry_.uid = entry_.gid = 0;
  current_data_ = {};
  const std::size_t first = at_;
  for (;;) {
    const std::size_t here = at_;
    if (data_.size() - at_ < d::block)
      return fail(errc::unexpected_eof,
                  at_ == data_.size() ? "no end-of-archive blocks (truncated archive)" : "truncated header", here);
    const std::byte* h = data_.data() + at_;
    if (d::zero_block(h)) {
      if (data_.size() - at_ < 2 * d::block || !d::zero_block(h + d::block))
        return fail(errc::unexpected_eof, "only one end-of-archive block (truncated archive)", here);
      if (here != first) return fail(errc::malformed, "extended header without an entry after it", first);
      done_ = true;
      return static_cast<const entry*>(nullptr);
    }
    entry_.offset = first;
    if (!d::checksum_ok(h)) return fail(errc::malformed, "bad header checksum", here);
    std::uint64_t size = 0, mode = 0, uid = 0, gid = 0, mtime = 0;
    bool neg_size = false, neg = false, neg_mtime = false;
    if (!d::number_field(h, d::f_size, size, neg_size) || neg_size)
      return fail(errc::malformed, "bad size field", here + d::f_size.at);
    if (!d::number_field(h, d::f_mode, mode, neg) || neg)
      return fail(errc::malformed, "bad mode field", here + d::f_mode.at);
    if (!d::number_field(h, d::f_uid, uid, neg) || neg)
      return fail(errc::malformed, "bad uid field", here + d::f_uid.at);
    if (!d::number_field(h, d::f_gid, gid, neg) || neg)
      return fail(errc::malformed, "bad gid field", here + d::f_gid.at);
    if (!d::number_field(h, d::f_mtime, mtime, neg_mtime))
      return fail(errc::malformed, "bad mtime field", here + d::f_mtime.at);
    const char type = static_cast<char>(h[d::f_type.at]);
    const bool extension = type == 'x' || type == 'g' || type == 'L' || type == 'K';
    // The data of this header: an extension's is its own size field; an
    // entry's is the pax size when one was given.
    std::uint64_t data_size = size;
    if (!extension && o.has_size) {
      if (size != 0 && size != o.size)
        return fail(errc::malformed, "pax size disagrees with the header's size", here + d::f_size.at);
      data_size = o.size;
    }
    const std::size_t body = here + d::block;
    if (data_size > data_.size() - body || d::padded(data_size) > data_.size() - body)
      return fail(errc::unexpected_eof, "entry data runs past the end of the archive", body);
    const span<const std::byte> payload(data_.data() + body, static_cast<std::size_t>(data_size));
    at_ = body + d::padded(data_size);

    if (extension) {
      if (data_size > limits_.max_pax_bytes)
        return fail(errc::limit_exceeded, "extended header larger than the limit", here);
      const text_view all(reinterpret_cast<const char*>(payload.data()), payload.size());
      if (type == 'L' || type == 'K') {  // GNU long name or link: a NUL-terminated string
        text_view s = all.substr(0, all.find('\0'));
        if (s.empty()) return fail(errc::malformed, "empty GNU long name", here);
        (type == 'L' ? o.path : o.link) = s;
        (type == 'L' ? o.has_path : o.has_link) = true;
        continue;
      }
      // pax records: "LEN key=value\n", LEN counting the whole record.
      const bool global = type == 'g';
      text_view rest = all;
      while (!rest.empty()) {
        const std::size_t space = rest.find(' ');
        std::uint64_t len = 0;
        if (space == text_view::npos || !d::decimal(rest.substr(0, space), len) || len <= space + 1 ||
            len > rest.size() || rest[static_cast<std::size_t>(len) - 1] != '\n')
          return fail(errc::malformed, "bad pax record", body + (all.size() - rest.size()));
        const text_view record = rest.substr(space + 1, static_cast<std::size_t>(len) - space - 2);
        rest.remove_prefix(static_cast<std::size_t>(len));
        const std::size_t eq = record.find('=');
        if (eq == text_view::npos || eq == 0) return fail(errc::malformed, "pax record without a key", here);
        const text_view key = record.substr(0, eq), value = record.substr(eq + 1);
        std::uint64_t n = 0;
        std::int64_t t = 0;
        if (key == "path" || key == "linkpath") {
          if (global) continue;  // a path for every entry makes no sense: ignored
          if (value.contains('\0')) return fail(errc::malformed, "NUL in a pax path", here);
          (key == "path" ? o.path : o.link) = value;
          (key == "path" ? o.has_path : o.has_link) = true;
        } else if (key == "size") {
          if (global) continue;  // sizes are per entry
          if (!d::decimal(value, n)) return fail(errc::malformed, "bad pax size", here);
          o.size = n;
          o.has_size = true;
        } else if (key == "uid" || key == "gid") {
          if (!d::decimal(value, n)) return fail(errc::malformed, "bad pax uid or gid", here);
          if (global) {
            (key == "uid" ? global_uid_ : global_gid_) = n;
            (key == "uid" ? global_uid_set_ : global_gid_set_) = true;
          } else {
            (key == "uid" ? o.uid : o.gid) = n;
            (key == "uid" ? o.has_uid : o.has_gid) = true;
          }
        } else if (key == "mtime") {
          if (!d::pax_time(value, t)) return fail(errc::malformed, "bad pax mtime", here);
          if (global) {
            global_mtime_ = t;
            global_mtime_set_ = true;
          } else {
            o.mtime = t;
            o.has_mtime = true;
          }
        } else if (key == "uname" || key == "gname") {
          text& slot = global ? (key == "uname" ? global_user_ : global_group_) : (key == "uname" ? o.user : o.group);
          slot = value;
          if (!global) (key == "uname" ? o.has_user : o.has_group) = true;
        }  // other keys (atime, ctime, SCHILY.*, LIBARCHIVE.*, ...) change nothing here
      }
      continue;
    }

    // An entry.
    if (++count_ > limits_.max_entries) return fail(errc::limit_exceeded, "more entries than the limit", here);
    switch (type) {
      case '0':
      case '\0':
      case '7':
        entry_.type = entry_type::file;
        break;
      case '1':
        entry_.type = entry_type::hard_link;
        break;
      case '2':
        entry_.type = entry_type::symlink;
        break;
      case '3':
        entry_.type = entry_type::char_device;
        break;
      case '4':
        entry_.type = entry_type::block_device;
        break;
      case '5':
        entry_.type = entry_type::directory;
        break;
      case '6':
        entry_.type = entry_type::fifo;
        break;
      default:
        return fail(errc::not_supported, "unsupported entry type (GNU sparse, volume label, ...)", here + d::f_type.at);
    }
    if (o.has_path) {
      entry_.path = o.path;
    } else {
      const text_view magic = d::string_field(h, d::f_magic);
      const text_view prefix = magic == "ustar" ? d::string_field(h, d::f_prefix) : text_view();
      entry_.path = prefix;
      if (!prefix.empty()) entry_.path += '/';
      entry_.path += d::string_field(h, d::f_name);
    }
    if (entry_.type == entry_type::directory || entry_.type == entry_type::file)
      while (entry_.path.size() > 1 && text_view(entry_.path).ends_with('/'))
        entry_.path.resize(entry_.path.size() - 1);
    if (text_view(entry_.path).ends_with('/') && entry_.type != entry_type::directory)
      return fail(errc::malformed, "a name ending in '/' for an entry that is not a directory", here);
    entry_.link = o.has_link ? text_view(o.link) : d::string_field(h, d::f_link);
    if (entry_.path.empty()) return fail(errc::malformed, "empty name", here);
    if (entry_.path.size() > limits_.max_path || entry_.link.size() > limits_.max_path)
      return fail(errc::limit_exceeded, "name longer than the limit", here);
    if ((entry_.type == entry_type::symlink || entry_.type == entry_type::hard_link) && entry_.link.empty())
      return fail(errc::malformed, "link without a target", here);
    if (data_size != 0 && entry_.type != entry_type::file && entry_.type != entry_type::hard_link)
      return fail(errc::malformed, "a directory, link, device or fifo with data", here + d::f_size.at);
    entry_.size = data_size;
    entry_.mode = static_cast<std::uint32_t>(mode & 07777);
    entry_.uid = o.has_uid ? o.uid : global_uid_set_ ? global_uid_ : uid;
    entry_.gid = o.has_gid ? o.gid : global_gid_set_ ? global_gid_ : gid;
    entry_.mtime = o.has_mtime         ? o.mtime
                   : global_mtime_set_ ? global_mtime_
                   : neg_mtime         ? -static_cast<std::int64_t>(mtime)
                                       : static_cast<std::int64_t>(mtime);
    entry_.user = o.has_user             ? text_view(o.user)
                  : global_user_.empty() ? d::string_field(h, d::f_user)
                                         : text_view(global_user_);
    entry_.group = o.has_group             ? text_view(o.group)
                   : global_group_.empty() ? d::string_field(h, d::f_group)
                                           : text_view(global_group_);
    current_data_ = payload;
    return static_cast<const entry*>(&entry_);
  }
}

inline result<buffer<entry>> list(span<const std::byte> archive, const read_limits& limits, problem* why) {
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

#endif  // VITTE_ARCHIVE_IMPL_TAR_READER_HPP
