// vitte/loader/impl/manifest.ipp - the manifest's decoder and encoder (vitte/loader/manifest.hpp).
#ifndef VITTE_LOADER_IMPL_MANIFEST_IPP
#define VITTE_LOADER_IMPL_MANIFEST_IPP

#include <vitte/base.hpp>
#include <vitte/loader/diagnostics.hpp>
#include <vitte/loader/manifest.hpp>
#include <vitte/loader/semver.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>  // std::memcmp

namespace vitte::loader {

namespace detail {

VITTE_DECL bool manifest_cursor::fail(errc k, const char* what) noexcept {
  if (failed != errc::ok) return false;
  failed = k;
  (void)refuse(why, k, base + pos, what);
  return false;
}

VITTE_DECL bool manifest_cursor::varint(std::uint32_t& out) noexcept {
  std::uint64_t v = 0;
  for (unsigned shift = 0; shift < 35; shift += 7) {
    if (pos >= size) return fail(errc::unexpected_eof, "manifest ends inside a number");
    const std::uint8_t b = data[pos++];
    v |= std::uint64_t{b & 0x7Fu} << shift;
    if ((b & 0x80) == 0) {
      if (b == 0 && shift != 0) return fail(errc::malformed, "number not in its shortest encoding");
      if (v > 0xFFFFFFFFu) return fail(errc::malformed, "number above 2^32 - 1");
      out = static_cast<std::uint32_t>(v);
      return true;
    }
  }
  return fail(errc::malformed, "number longer than 5 bytes");
}

VITTE_DECL bool manifest_cursor::string(text_view& out) noexcept {
  const std::size_t at = pos;
  std::uint32_t offset = 0, length = 0;
  if (!varint(offset) || !varint(length)) return false;
  if (length > max_string) return pos = at, fail(errc::limit_exceeded, "string longer than the limit");
  if (offset > strings.size() || length > strings.size() - offset)
    return pos = at, fail(errc::malformed, "string runs past the string table");
  out = {reinterpret_cast<const char*>(strings.data()) + offset, length};
  if (!valid_utf8(out)) return pos = at, fail(errc::malformed, "string is not valid UTF-8");
  return true;
}

VITTE_DECL bool manifest_cursor::kind(symbol_kind& out) noexcept {
  const std::size_t at = pos;
  std::uint32_t k = 0;
  if (!varint(k)) return false;
  if (k > 2) return pos = at, fail(errc::malformed, "unknown symbol kind");
  out = static_cast<symbol_kind>(k);
  return true;
}

// Validates `count` items after the cursor, checking each with `check`.
template <class View, class Check>
bool validate_list(manifest_cursor& c, std::uint32_t limit, std::uint32_t& count, detail::manifest_cursor& start,
                   Check check) noexcept {
  const std::size_t at = c.pos;
  if (!c.varint(count)) return false;
  if (count > limit) return c.pos = at, c.fail(errc::limit_exceeded, "more list entries than the limit");
  // Each entry takes at least 3 bytes: a count that cannot fit is refused before looping.
  if (count > (c.size - c.pos) / 3 + 1)
    return c.pos = at, c.fail(errc::unexpected_eof, "list count exceeds the bytes left");
  start = c;
  start.why = nullptr;  // kept by the list, used after parse() returned
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::size_t item_at = c.pos;
    View v{};
    if (!decode_item(c, v)) return false;
    if (const char* why = check(v)) return c.pos = item_at, c.fail(errc::malformed, why);
  }
  return true;
}

}  // namespace detail

VITTE_DECL result<manifest_view> manifest_view::parse(span<const std::byte> bytes, span<const std::byte> strings,
                                                      const manifest_limits& limits, std::uint64_t file_offset,
                                                      vitte::diagnostic* why) noexcept {
  detail::manifest_cursor c;
  c.data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  c.size = bytes.size();
  c.strings = strings;
  c.base = file_offset;
  c.max_string = limits.max_string;
  c.why = why;
  const auto fail = [&](errc k, std::uint64_t at, const char* what) { return detail::refuse(why, k, at, what); };
  const auto failed = [&c] { return error{c.failed, ops::module_read}; };
  manifest_view m;
  if (c.size == 0) return fail(errc::unexpected_eof, file_offset, "empty manifest");
  if (c.data[0] != manifest_encoding_version)
    return fail(errc::version_mismatch, file_offset, "unknown manifest encoding version");
  c.pos = 1;
  if (!c.string(m.name_)) return failed();
  if (m.name_.empty()) return fail(errc::malformed, file_offset + 1, "empty module name");
  const std::size_t version_at = c.pos;
  if (!c.string(m.version_text_)) return failed();
  if (!semver::parse(m.version_text_, m.version_))
    return fail(errc::malformed, file_offset + version_at, "module version is not a semantic version");
  std::uint32_t n = 0;
  detail::manifest_cursor start;
  if (!detail::validate_list<dependency_view>(c, limits.max_dependencies, n, start, [](const dependency_view& d) {
        if (d.module.empty()) return "empty dependency name";
        return semver_range::validate(d.range) ? static_cast<const char*>(nullptr)
                                               : "dependency range is not a valid semver range";
      }))
    return failed();
  m.dependencies_ = {start, n};
  if (!detail::validate_list<export_view>(c, limits.max_exports, n, start, [](const export_view& e) {
        return e.name.empty() ? "empty export name" : nullptr;
      }))
    return failed();
  m.exports_ = {start, n};
  if (!detail::validate_list<import_view>(c, limits.max_imports, n, start, [](const import_view& i) {
        return i.module.empty() || i.name.empty() ? "empty import module or name" : nullptr;
      }))
    return failed();
  m.imports_ = {start, n};
  if (c.pos != c.size) return fail(errc::malformed, file_offset + c.pos, "bytes after the manifest");
  return m;
}

VITTE_DECL std::uint32_t string_table_builder::add(text_view s) {
  for (const auto& [offset, length] : entries_)
    if (length == s.size() && std::memcmp(bytes_.data() + offset, s.data(), s.size()) == 0) return offset;
  const auto offset = static_cast<std::uint32_t>(bytes_.size());
  entries_.emplace_back(offset, static_cast<std::uint32_t>(s.size()));
  for (char ch : s) bytes_.push_back(static_cast<std::byte>(ch));
  return offset;
}

namespace detail {
VITTE_DECL void put_varint(buffer<std::byte>& out, std::uint32_t v) {
  do {
    const auto b = static_cast<std::uint8_t>(v & 0x7F);
    v >>= 7;
    out.push_back(static_cast<std::byte>(v != 0 ? b | 0x80 : b));
  } while (v != 0);
}
VITTE_DECL void put_string(buffer<std::byte>& out, string_table_builder& strings, text_view s) {
  put_varint(out, strings.add(s));
  put_varint(out, static_cast<std::uint32_t>(s.size()));
}
}  // namespace detail

VITTE_DECL buffer<std::byte> manifest::encode(string_table_builder& strings) const {
  buffer<std::byte> out;
  out.push_back(static_cast<std::byte>(manifest_encoding_version));
  detail::put_string(out, strings, name);
  detail::put_string(out, strings, version);
  detail::put_varint(out, static_cast<std::uint32_t>(dependencies.size()));
  for (const dependency& d : dependencies) {
    detail::put_string(out, strings, d.module);
    detail::put_string(out, strings, d.range);
    detail::put_varint(out, d.optional ? 1 : 0);
  }
  detail::put_varint(out, static_cast<std::uint32_t>(exports.size()));
  for (const export_entry& e : exports) {
    detail::put_string(out, strings, e.name);
    detail::put_varint(out, static_cast<std::uint32_t>(e.kind));
    detail::put_varint(out, e.version);
  }
  detail::put_varint(out, static_cast<std::uint32_t>(imports.size()));
  for (const import_entry& i : imports) {
    detail::put_string(out, strings, i.module);
    detail::put_string(out, strings, i.name);
    detail::put_varint(out, static_cast<std::uint32_t>(i.kind));
  }
  return out;
}

}  // namespace vitte::loader

#endif  // VITTE_LOADER_IMPL_MANIFEST_IPP
