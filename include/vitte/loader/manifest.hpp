// vitte/loader/manifest.hpp - a module's manifest in the compact binary
// encoding of .vitmod files (docs/formats/vitmod.md, "Manifest"), decoded
// without copying and encoded deterministically.
//
//   vitte::loader::manifest m;                       // what a compiler writes
//   m.name = "net";
//   m.version = "1.4.0";
//   m.dependencies.push_back({"log", "^2.1", false});
//   m.exports.push_back({"connect", vitte::loader::symbol_kind::function, 1});
//   vitte::loader::string_table_builder strings;
//   vitte::buffer<std::byte> bytes = m.encode(strings);
//
//   auto v = vitte::loader::manifest_view::parse(bytes, strings.bytes()).value();   // what a loader reads
//   for (const auto& d : v.dependencies()) std::printf("%.*s %.*s\n", ...);
//
// Strings live in the container's string table; the manifest refers to them
// by offset and length, and every one is checked to lie inside the table and
// to be valid UTF-8 before parse() returns. Counts are limited
// (manifest_limits), so a hostile file cannot make a reader loop or
// allocate without bound; the decoder never allocates at all.
#ifndef VITTE_LOADER_MANIFEST_HPP
#define VITTE_LOADER_MANIFEST_HPP

#include <vitte/base.hpp>
#include <vitte/base/detail/utf8.hpp>    // valid_utf8
#include <vitte/loader/diagnostics.hpp>  // refuse
#include <vitte/loader/semver.hpp>

#include <cstddef>      // std::byte
#include <cstdint>      // fixed-width fields
#include <type_traits>  // owned_bytes_temporary

namespace vitte::loader {

namespace detail {
/// A temporary that owns bytes (a vitte::buffer or a std::vector): a view
/// into it would dangle, so the parsers refuse it at compile time.
template <class C>
concept owned_bytes_temporary =
    !std::is_lvalue_reference_v<C> && (std::is_same_v<std::remove_cv_t<C>, buffer<std::byte>> ||
                                       vitte::detail::std_owning_container<std::remove_cv_t<C>, std::byte>);
}  // namespace detail

/// What an exported or imported symbol is.
enum class symbol_kind : std::uint8_t { function = 0, data = 1, type = 2 };

/// Upper bounds a reader enforces. The defaults fit any real module.
struct manifest_limits {
  std::uint32_t max_dependencies = 1024;
  std::uint32_t max_exports = 65536;
  std::uint32_t max_imports = 65536;
  std::uint32_t max_string = 4096;  ///< Bytes in one name, version or range.
};

// --- encoding (writers) --------------------------------------------------

/// Collects the strings of a container, each stored once, in order of first
/// use (so the same input always gives the same table).
class string_table_builder {
 public:
  /// The offset of `s` in the table, adding it when new.
  std::uint32_t add(text_view s);
  /// The table's bytes.
  span<const std::byte> bytes() const noexcept { return bytes_; }

 private:
  buffer<std::byte> bytes_;
  buffer<std::pair<std::uint32_t, std::uint32_t>> entries_;  // offset, length
};

/// A dependency: a module name and a semver range it must satisfy.
struct dependency {
  text module;
  text range;
  bool optional = false;
};
/// A symbol the module provides, with the version of its interface.
struct export_entry {
  text name;
  symbol_kind kind = symbol_kind::function;
  std::uint32_t version = 1;
};
/// A symbol the module needs from another module.
struct import_entry {
  text module;
  text name;
  symbol_kind kind = symbol_kind::function;
};

/// A manifest as a writer builds it.
struct manifest {
  text name;
  text version;  ///< Semver text, e.g. "1.4.0-beta.1".
  buffer<dependency> dependencies;
  buffer<export_entry> exports;
  buffer<import_entry> imports;

  /// The encoded section; strings go to `strings`. Does not validate: a
  /// manifest with an invalid version or range encodes, and readers refuse it.
  buffer<std::byte> encode(string_table_builder& strings) const;
};

// --- decoding (readers) --------------------------------------------------

/// A decoded dependency (views into the string table).
struct dependency_view {
  text_view module;
  text_view range;
  bool optional = false;
};
struct export_view {
  text_view name;
  symbol_kind kind = symbol_kind::function;
  std::uint32_t version = 0;
};
struct import_view {
  text_view module;
  text_view name;
  symbol_kind kind = symbol_kind::function;
};

namespace detail {
/// Reads the encoding: LEB128 varints (minimal, below 2^32) and string
/// references. Records where it failed, in `why` when not null.
struct manifest_cursor {
  const std::uint8_t* data = nullptr;
  std::size_t size = 0, pos = 0;
  span<const std::byte> strings;
  std::uint64_t base = 0;  // file offset of data[0]
  std::uint32_t max_string = 4096;
  errc failed = errc::ok;            // the first failure's kind
  vitte::diagnostic* why = nullptr;  // while validating only: the lists keep cursors without it

  bool fail(errc kind, const char* what) noexcept;
  bool varint(std::uint32_t& out) noexcept;
  bool string(text_view& out) noexcept;
  bool kind(symbol_kind& out) noexcept;
};

template <class View>
bool decode_item(manifest_cursor& c, View& out) noexcept;

/// True when `s` is well-formed UTF-8 (vitte/base/detail/utf8.hpp).
using ::vitte::detail::valid_utf8;
}  // namespace detail

/// A list of decoded items, read lazily from the already validated bytes.
template <class View>
class manifest_list {
 public:
  class iterator {
   public:
    using value_type = View;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    const View& operator*() const noexcept { return item_; }
    const View* operator->() const noexcept { return &item_; }
    iterator& operator++() noexcept {
      if (--left_ != 0) (void)detail::decode_item(cursor_, item_);
      return *this;
    }
    iterator operator++(int) noexcept {
      iterator old = *this;
      ++*this;
      return old;
    }
    friend bool operator==(const iterator& a, const iterator& b) noexcept { return a.left_ == b.left_; }

   private:
    friend class manifest_list;
    detail::manifest_cursor cursor_;
    std::uint32_t left_ = 0;
    View item_{};
  };

  manifest_list() = default;
  manifest_list(const detail::manifest_cursor& at, std::uint32_t count) noexcept : at_(at), count_(count) {}

  std::uint32_t size() const noexcept { return count_; }
  bool empty() const noexcept { return count_ == 0; }
  iterator begin() const noexcept {
    iterator it;
    it.cursor_ = at_;
    it.left_ = count_;
    if (count_ != 0) (void)detail::decode_item(it.cursor_, it.item_);
    return it;
  }
  iterator end() const noexcept { return {}; }

 private:
  detail::manifest_cursor at_;
  std::uint32_t count_ = 0;
};

/// A validated manifest, viewing the container's bytes (which must outlive it).
class manifest_view {
 public:
  /// Decodes and validates `bytes` against `strings` (the string table):
  /// every string inside the table and UTF-8, the version a semver, every
  /// range valid, the counts within `limits`, and nothing left over.
  /// Errors (module_read): malformed, unexpected_eof, version_mismatch,
  /// limit_exceeded; `why` gets the kind, the offset (from `file_offset`,
  /// the manifest's offset in its file) and the problem.
  static result<manifest_view> parse(span<const std::byte> bytes, span<const std::byte> strings,
                                     const manifest_limits& limits = {}, std::uint64_t file_offset = 0,
                                     vitte::diagnostic* why = nullptr) noexcept;
  /// Refused: the view would point into temporaries (keep the bytes in variables).
  template <class C>
    requires detail::owned_bytes_temporary<C>
  static result<manifest_view> parse(C&& bytes, span<const std::byte> strings, const manifest_limits& limits = {},
                                     std::uint64_t file_offset = 0, vitte::diagnostic* why = nullptr) = delete;

  text_view name() const noexcept { return name_; }
  text_view version_text() const noexcept { return version_text_; }
  const loader::semver& version() const noexcept { return version_; }
  const manifest_list<dependency_view>& dependencies() const noexcept { return dependencies_; }
  const manifest_list<export_view>& exports() const noexcept { return exports_; }
  const manifest_list<import_view>& imports() const noexcept { return imports_; }

 private:
  text_view name_, version_text_;
  loader::semver version_;
  manifest_list<dependency_view> dependencies_;
  manifest_list<export_view> exports_;
  manifest_list<import_view> imports_;
};

/// The version of the manifest encoding this header reads and writes.
inline constexpr std::uint8_t manifest_encoding_version = 1;

namespace detail {
// One list entry, as manifest_list's iterator decodes it: kept inline, a
// step of every loop over a manifest's lists (the cursor's reads are
// compiled once).
template <>
inline bool decode_item(manifest_cursor& c, dependency_view& out) noexcept {
  std::uint32_t flags = 0;
  if (!c.string(out.module) || !c.string(out.range)) return false;
  const std::size_t at = c.pos;
  if (!c.varint(flags)) return false;
  if (flags > 1) return c.pos = at, c.fail(errc::malformed, "unknown dependency flags");
  out.optional = flags == 1;
  return true;
}
template <>
inline bool decode_item(manifest_cursor& c, export_view& out) noexcept {
  return c.string(out.name) && c.kind(out.kind) && c.varint(out.version);
}
template <>
inline bool decode_item(manifest_cursor& c, import_view& out) noexcept {
  return c.string(out.module) && c.string(out.name) && c.kind(out.kind);
}
}  // namespace detail

}  // namespace vitte::loader

#if VITTE_HEADER_ONLY
#include <vitte/loader/impl/manifest.ipp>
#endif

#endif  // VITTE_LOADER_MANIFEST_HPP
