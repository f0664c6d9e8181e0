// vitte/archive/impl/tar_reader.hpp - the strict tar reader: what its
// templates (tar_core::next, the stream source) need; the other bodies are
// in impl/tar_reader.ipp. Included by vitte/archive/tar.hpp after its
// declarations.
#ifndef VITTE_ARCHIVE_IMPL_TAR_READER_HPP
#define VITTE_ARCHIVE_IMPL_TAR_READER_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/detail/decimal.hpp>  // pax and GNU numbers

#include <cstddef>
#include <cstdint>

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
VITTE_DECL text_view string_field(const std::byte* h, field f);

// A numeric field: octal (spaces and NULs around it), or GNU base-256 when
// the first byte has its high bit set. False when it is neither.
VITTE_DECL bool number_field(const std::byte* h, field f, std::uint64_t& out, bool& negative);

VITTE_DECL bool zero_block(const std::byte* h);

// The sum of a header's bytes, its checksum field read as spaces; `high`
// counts the bytes above 127 (the signed sum is 256 less for each). 32-bit
// sums: 512 bytes cannot overflow them, and the loop vectorises.
VITTE_DECL std::uint32_t header_sum(const std::byte* h, std::uint32_t* high = nullptr);

// The stored checksum matches the unsigned (POSIX) or signed (old Sun,
// some GNU versions) sum of the header with its checksum field as spaces.
VITTE_DECL bool checksum_ok(const std::byte* h);

inline std::size_t padded(std::uint64_t n) { return static_cast<std::size_t>((n + block - 1) / block * block); }

inline bool decimal(text_view s, std::uint64_t& out) {
  return s.size() <= 19 && vitte::detail::parse_decimal(s, UINT64_MAX, out);
}

// A pax time: [-]seconds[.fraction]; the fraction is dropped.
VITTE_DECL bool pax_time(text_view s, std::int64_t& out);

// Pending overrides from pax 'x' and GNU 'L'/'K' headers.
struct overrides {
  text path, link, sparse_name;
  bool has_path = false, has_link = false, has_sparse_name = false;
  bool has_size = false, has_mtime = false, has_uid = false, has_gid = false, has_user = false, has_group = false;
  std::uint64_t size = 0, uid = 0, gid = 0;
  std::int64_t mtime = 0;
  text user, group;
  // GNU sparse keys (the map itself goes to tar_core::runs_).
  bool sparse = false, has_major = false, has_minor = false, has_real_size = false, has_numblocks = false;
  bool sparse_0_x = false;      // GNU.sparse.offset/numbytes or GNU.sparse.map seen
  bool sparse_map_key = false;  // GNU.sparse.map (0.1)
  bool pending_offset = false;
  std::uint64_t major = 0, minor = 0, real_size = 0, numblocks = 0, offset = 0;
};

// "offset,size,offset,size,..." (GNU.sparse.map, pax sparse 0.1).
VITTE_DECL bool sparse_map_value(text_view v, buffer<sparse_run>& runs, std::size_t max, bool& too_many);

inline bool sparse_type(char type) { return type == '0' || type == '\0' || type == '7'; }

// Sets the subject of `d` to `name` escaped as escaped_name() escapes it
// (cut at vitte::diagnostic::subject_capacity), without allocating.
VITTE_DECL void name_subject(vitte::diagnostic& d, text_view name) noexcept;
// Appends `name` to the message of `d`, escaped so.
VITTE_DECL void append_name(vitte::diagnostic& d, text_view name) noexcept;

template <class Source>
result<span<const std::byte>> stream_source<Source>::take(std::size_t n, int slot) {
  buffer<std::byte>& b = slots[slot];
  if (b.size() < n) b.resize(n);
  result<std::size_t> got = source->read(span<std::byte>(b.data(), n));
  if (!got) return got.error();
  at += *got;
  return span<const std::byte>(b.data(), *got);
}

template <class Source>
status stream_source<Source>::begin_data(std::uint64_t size) noexcept {
  remaining = size;
  padding = (block - size % block) % block;
  return {};
}

template <class Source>
status stream_source<Source>::end_data() {
  std::uint64_t left = remaining + padding;
  remaining = padding = 0;
  while (left != 0) {
    const std::size_t chunk = left < 65536 ? static_cast<std::size_t>(left) : 65536;
    result<span<const std::byte>> got = take(chunk, 1);
    if (!got) return got.error();
    if (got->size() != chunk) return vitte::error{errc::unexpected_eof, ops::tar_read};
    left -= chunk;
  }
  return {};
}

template <class Source>
result<std::size_t> stream_source<Source>::read_data(span<std::byte> into) {
  const std::size_t n = into.size() < remaining ? into.size() : static_cast<std::size_t>(remaining);
  if (n == 0) return std::size_t(0);
  result<std::size_t> got = source->read(into.first(n));
  if (!got) return got.error();
  at += *got;
  remaining -= *got;
  if (*got != n) return vitte::error{errc::unexpected_eof, ops::tar_read};
  return *got;
}

// Pax sparse 1.0: the map opens the entry's data, decimal numbers one a
// line ("count\noffset\nsize\n..."), padded to a block.
template <class Source>
vitte::error tar_core::read_sparse_1_0(Source& source, std::uint64_t& data_size, std::uint64_t here) {
  namespace d = detail;
  std::uint64_t count = 0, numbers = 0, value = 0, first = 0;
  std::size_t digits = 0;
  bool have_count = false;
  std::uint64_t used = 0;
  while (!have_count || numbers < 2 * count) {
    if (data_size - used < d::block) return fail(errc::malformed, "GNU sparse 1.0 map longer than the entry", here);
    result<span<const std::byte>> got = source.take(d::block, 1);
    if (!got) return fail(got.error().kind(), "cannot read the archive", source.position());
    if (got->size() != d::block)
      return fail(errc::unexpected_eof, "entry data runs past the end of the archive", source.position());
    used += d::block;
    for (std::size_t i = 0; i < d::block && (!have_count || numbers < 2 * count); ++i) {
      const char c = static_cast<char>((*got)[i]);
      if (c >= '0' && c <= '9') {
        if (++digits > 19 || !vitte::detail::push_decimal_digit(value, c, UINT64_MAX))
          return fail(errc::malformed, "bad GNU sparse 1.0 map", here);
        continue;
      }
      if (c != '\n' || digits == 0) return fail(errc::malformed, "bad GNU sparse 1.0 map", here);
      digits = 0;
      if (!have_count) {
        if (value > limits_.max_sparse_runs)
          return fail(errc::limit_exceeded, "GNU sparse map longer than the limit", here);
        count = value;
        have_count = true;
      } else if (numbers++ % 2 == 0) {
        first = value;
      } else {
        runs_.push_back(sparse_run{first, value});
      }
      value = 0;
    }
  }
  data_size -= used;
  return {};
}

template <class Source>
result<const entry*> tar_core::next(Source& source) {
  namespace d = detail;
  if (error_) return error_;
  if (done_) return static_cast<const entry*>(nullptr);
  if (status skipped = source.end_data(); !skipped) {
    if (skipped.error() == errc::unexpected_eof)
      return fail(errc::unexpected_eof, "entry data runs past the end of the archive", source.position());
    return fail(skipped.error().kind(), "cannot read the archive", source.position());
  }
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
  entry_.sparse = false;
  runs_.clear();
  const std::uint64_t first = source.position();
  for (;;) {
    const std::uint64_t here = source.position();
    result<span<const std::byte>> block = source.take(d::block, 0);
    if (!block) return fail(block.error().kind(), "cannot read the archive", here);
    if (block->size() < d::block)
      return fail(errc::unexpected_eof,
                  block->empty() ? "no end-of-archive blocks (truncated archive)" : "truncated header", here);
    const std::byte* h = block->data();
    if (d::zero_block(h)) {
      result<span<const std::byte>> second = source.take(d::block, 1);
      if (!second) return fail(second.error().kind(), "cannot read the archive", here);
      if (second->size() < d::block || !d::zero_block(second->data()))
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
    const std::uint64_t body = here + d::block;

    if (extension) {
      if (data_size > limits_.max_pax_bytes)
        return fail(errc::limit_exceeded, "extended header larger than the limit", here);
      result<span<const std::byte>> got = source.take(d::padded(data_size), 1);
      if (!got) return fail(got.error().kind(), "cannot read the archive", body);
      if (got->size() != d::padded(data_size))
        return fail(errc::unexpected_eof, "entry data runs past the end of the archive", body);
      const text_view all(reinterpret_cast<const char*>(got->data()), static_cast<std::size_t>(data_size));
      if (type == 'L' || type == 'K') {  // GNU long name or link: a string, NUL-terminated
        const std::size_t nul = all.find('\0');
        const text_view s = all.substr(0, nul);
        if (s.empty()) return fail(errc::malformed, "empty GNU long name", here);
        if (nul != text_view::npos && all.find_first_not_of(text_view("\0", 1), nul) != text_view::npos) {
          entry_.path = all.substr(0, all.find_last_not_of(text_view("\0", 1)) + 1);  // named whole, NUL and all
          return fail(errc::malformed, "NUL in a GNU long name", here);
        }
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
        if (key.starts_with("GNU.sparse.")) {
          if (global) return fail(errc::not_supported, "GNU sparse keys in a global pax header", here);
          const text_view k = key.substr(11);
          if (k == "name") {
            if (value.contains('\0')) {
              entry_.path = value;
              return fail(errc::malformed, "NUL in a pax path", here);
            }
            o.sparse_name = value;
            o.has_sparse_name = true;
            continue;
          }
          o.sparse = true;
          if (k == "map") {
            bool too_many = false;
            if (!d::sparse_map_value(value, runs_, limits_.max_sparse_runs, too_many))
              return too_many ? fail(errc::limit_exceeded, "GNU sparse map longer than the limit", here)
                              : fail(errc::malformed, "bad GNU.sparse.map", here);
            o.sparse_0_x = o.sparse_map_key = true;
            continue;
          }
          if (!d::decimal(value, n)) return fail(errc::malformed, "bad GNU sparse number", here);
          if (k == "major") {
            o.major = n;
            o.has_major = true;
          } else if (k == "minor") {
            o.minor = n;
            o.has_minor = true;
          } else if (k == "size" || k == "realsize") {
            o.real_size = n;
            o.has_real_size = true;
          } else if (k == "numblocks") {
            o.numblocks = n;
            o.has_numblocks = true;
          } else if (k == "offset") {  // 0.0: offset, numbytes, offset, ...
            if (o.pending_offset) return fail(errc::malformed, "GNU.sparse.offset without its numbytes", here);
            o.offset = n;
            o.pending_offset = o.sparse_0_x = true;
          } else if (k == "numbytes") {
            if (!o.pending_offset) return fail(errc::malformed, "GNU.sparse.numbytes without its offset", here);
            if (runs_.size() >= limits_.max_sparse_runs)
              return fail(errc::limit_exceeded, "GNU sparse map longer than the limit", here);
            runs_.push_back(sparse_run{o.offset, n});
            o.pending_offset = false;
          } else {
            return fail(errc::not_supported, "unknown GNU sparse key", here);
          }
        } else if (key == "path" || key == "linkpath") {
          if (global) continue;  // a path for every entry makes no sense: ignored
          if (value.contains('\0')) {
            entry_.path = value;
            return fail(errc::malformed, key == "path" ? "NUL in a pax path" : "NUL in a pax linkpath", here);
          }
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
      if (o.pending_offset) return fail(errc::malformed, "GNU.sparse.offset without its numbytes", here);
      continue;
    }

    // An entry.
    if (++count_ > limits_.max_entries) return fail(errc::limit_exceeded, "more entries than the limit", here);
    switch (type) {
      case '0':
      case '\0':
      case '7':
      case 'S':
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
        return fail(errc::not_supported, "unsupported entry type (volume label, multi-volume part, ...)",
                    here + d::f_type.at);
    }
    if (o.has_sparse_name) {
      entry_.path = o.sparse_name;
    } else if (o.has_path) {
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

    // GNU sparse files: the map, then the real size in entry_.size.
    if (type == 'S') {  // old GNU: 4 runs in the header, 21 in each extension block
      if (o.sparse) return fail(errc::malformed, "GNU sparse keys on an old GNU sparse entry", here);
      std::uint64_t real = 0;
      bool negative = false;
      if (!d::number_field(h, d::field{483, 12}, real, negative) || negative)
        return fail(errc::malformed, "bad GNU sparse real size", here + 483);
      if (d::string_field(h, d::f_magic) != "ustar " || h[d::f_version.at] != std::byte{' '})
        return fail(errc::malformed, "old GNU sparse entry without the GNU magic", here + d::f_magic.at);
      // The header's runs first: `h` is not read after the first extension block.
      bool extended = h[482] != std::byte{0};
      bool ended = false;
      const std::byte* runs = h + 386;
      std::size_t in_block = 4;
      std::uint64_t at = here;
      for (;;) {
        for (std::size_t i = 0; i < in_block && !ended; ++i) {
          const std::byte* p = runs + i * 24;
          if (p[12] == std::byte{0}) {  // no numbytes: the map ends (GNU tar's rule)
            ended = true;
            break;
          }
          std::uint64_t off = 0, len = 0;
          if (!d::number_field(p, d::field{0, 12}, off, negative) || negative ||
              !d::number_field(p, d::field{12, 12}, len, negative) || negative)
            return fail(errc::malformed, "bad GNU sparse map", at);
          if (runs_.size() >= limits_.max_sparse_runs)
            return fail(errc::limit_exceeded, "GNU sparse map longer than the limit", at);
          runs_.push_back(sparse_run{off, len});
        }
        if (!extended) break;
        // GNU tar stops at the map's end and reads no more extension blocks:
        // which blocks are headers would depend on the reader.
        if (ended) return fail(errc::malformed, "GNU sparse map ends before its extension blocks", at);
        at = source.position();
        result<span<const std::byte>> ext = source.take(d::block, 1);
        if (!ext) return fail(ext.error().kind(), "cannot read the archive", at);
        if (ext->size() != d::block) return fail(errc::unexpected_eof, "truncated GNU sparse header", at);
        runs = ext->data();
        in_block = 21;
        extended = ext->data()[504] != std::byte{0};
      }
      entry_.size = real;
      entry_.sparse = true;
      if (vitte::error e = check_sparse(data_size, here)) return e;
    } else if (o.sparse) {
      if (!d::sparse_type(type)) return fail(errc::malformed, "GNU sparse keys on an entry that is not a file", here);
      if (!o.has_real_size) return fail(errc::malformed, "GNU sparse file without its real size", here);
      const bool v1 = o.has_major || o.has_minor;
      if (v1 && (o.major != 1 || o.minor != 0 || o.sparse_0_x))
        return fail(errc::not_supported, "GNU sparse format other than 0.0, 0.1 and 1.0", here);
      if (!v1 && !o.sparse_0_x) return fail(errc::malformed, "GNU sparse file without a map", here);
      // 0.1 and 1.0 store the entry under a made-up name (GNUSparseFile.N/):
      // the real one must be there.
      if ((v1 || o.sparse_map_key) && !o.has_sparse_name && !o.has_path)
        return fail(errc::malformed, "GNU sparse file without GNU.sparse.name", here);
      entry_.size = o.real_size;
      entry_.sparse = true;
      if (v1) {
        if (vitte::error e = read_sparse_1_0(source, data_size, here)) return e;
      } else if (o.has_numblocks && o.numblocks != runs_.size()) {
        return fail(errc::malformed, "GNU.sparse.numblocks disagrees with the map", here);
      }
      if (vitte::error e = check_sparse(data_size, here)) return e;
    }
    if (status s = source.begin_data(data_size); !s)
      return fail(errc::unexpected_eof, "entry data runs past the end of the archive", body);
    return static_cast<const entry*>(&entry_);
  }
}

}  // namespace detail

template <byte_source Source>
result<std::size_t> tar_stream_reader<Source>::read_data(span<std::byte> into) {
  if (core_.last_error()) return core_.last_error();  // an error stays
  const std::uint64_t at = source_.position();
  result<std::size_t> got = source_.read_data(into);
  if (!got)
    return core_.fail(
        got.error().kind(),
        got.error() == errc::unexpected_eof ? "entry data runs past the end of the archive" : "cannot read the archive",
        at);
  return got;
}

}  // namespace vitte::archive

#endif  // VITTE_ARCHIVE_IMPL_TAR_READER_HPP
