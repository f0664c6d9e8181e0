// vitte/loader/vitmod.hpp - the .vitmod / .vitbc module container: a
// zero-copy, fully checking reader and a deterministic writer.
//
// The format is specified in docs/formats/vitmod.md: a 64-byte header, a
// table of 64-byte section entries, the sections (string table, manifest,
// custom sections, payload), and, when signed, an 88-byte signature block
// that ends the file. A .vitbc file is a container whose payload is Vitte
// bytecode.
//
//   // Writing
//   vitte::loader::vitmod_builder b;
//   b.manifest.name = "greeter";
//   b.manifest.version = "1.0.0";
//   b.payload_kind = vitte::loader::payload_kind::bytecode;
//   b.payload = bytecode;
//   vitte::buffer<std::byte> file = b.build(&key_pair);          // signed; nullptr: unsigned
//
//   // Reading (bytes: a vitte::span<const std::byte>, e.g. a file_map)
//   vitte::diagnostic why;
//   auto c = vitte::loader::vitmod_view::parse(bytes, {}, &why);
//   if (!c) std::puts(why.format().c_str());   // "section 2: at offset 0x1a4: sections overlap or are out of order"
//   c->manifest().name();  c->payload();  c->payload_kind();
//
// parse() checks everything before returning: magic, version (an unknown
// major version is refused), header fields, the table's bounds, every
// section's offset, size, alignment and checksum (SHA-256), that sections
// neither overlap nor leave gaps (padding between them is shorter than the
// next section's alignment and all zero), that the file ends exactly where
// the header says (nothing after the signature block), the manifest and all
// its strings (UTF-8), and the limits on counts. Unknown optional sections
// are skipped; unknown required sections are refused. Signatures are
// checked by vitte/loader/signature.hpp over the same bytes.
//
// The reader never allocates and needs no OS: it runs on freestanding
// targets. The view refers to the caller's bytes, which must outlive it.
#ifndef VITTE_LOADER_VITMOD_HPP
#define VITTE_LOADER_VITMOD_HPP

#include <vitte/base.hpp>
#include <vitte/crypto/ed25519.hpp>
#include <vitte/crypto/sha256.hpp>
#include <vitte/loader/diagnostics.hpp>  // refuse, about_section
#include <vitte/loader/manifest.hpp>

#include <array>    // key ids, checksums
#include <cstddef>  // std::byte
#include <cstdint>  // fixed-width fields

namespace vitte::loader {

/// Format constants (docs/formats/vitmod.md).
namespace vitmod {
inline constexpr std::uint8_t magic[8] = {0x89, 'V', 'I', 'T', 0x0D, 0x0A, 0x1A, 0x0A};
inline constexpr std::uint16_t version_major = 1;
inline constexpr std::uint16_t version_minor = 0;
inline constexpr std::size_t header_size = 64;
inline constexpr std::size_t entry_size = 64;
inline constexpr std::uint8_t signature_magic[4] = {'V', 'S', 'I', 'G'};
inline constexpr std::size_t signature_block_size = 88;
inline constexpr std::size_t key_id_size = 16;
/// Header flags: bit 0 signed; bits 1-15 reserved (readers refuse them);
/// bits 16-31 optional hints (readers ignore those they do not know).
inline constexpr std::uint32_t flag_signed = 1u << 0;
inline constexpr std::uint32_t required_flag_mask = 0x0000FFFFu;
/// Section flags: bit 0 required (a reader that does not know the kind must
/// refuse the file); every other bit is reserved.
inline constexpr std::uint32_t section_required = 1u << 0;
inline constexpr std::uint32_t no_name = 0xFFFFFFFFu;
/// Ed25519 signs this prefix followed by the SHA-256 of the signed bytes.
inline constexpr char signature_context[20] = "vitmod signature v1";  // 19 characters and the NUL
}  // namespace vitmod

/// Section kinds. Kinds from 0x1000 up are custom (named in the string table).
enum class section_kind : std::uint32_t {
  string_table = 1,
  manifest = 2,
  payload = 3,
  custom_first = 0x1000,
};

/// What the payload is, and who executes it.
enum class payload_kind : std::uint32_t {
  bytecode = 1,  ///< Vitte bytecode (.vitbc).
  native = 2,    ///< Machine code for `target`.
  wasm = 3,      ///< A WebAssembly module.
};

/// Architecture and OS the payload is for; 0 means any (bytecode, wasm).
struct vitmod_target {
  std::uint16_t arch = 0;
  std::uint16_t os = 0;
};

/// Bounds a reader enforces.
struct vitmod_limits {
  std::uint32_t max_sections = 256;
  std::uint32_t max_alignment = 65536;
  manifest_limits manifest;
  bool verify_checksums = true;  ///< SHA-256 of every section (turn off only for trusted, signed files).
  /// Names of the required custom sections the caller understands; a
  /// required custom section not listed here makes parse() refuse the file.
  span<const text_view> known_custom;
};

/// One entry of the section table, with its bytes.
struct section_view {
  std::uint32_t index = 0;
  std::uint32_t kind = 0;
  std::uint32_t flags = 0;
  std::uint32_t alignment = 1;
  std::uint32_t name = vitmod::no_name;  ///< Offset in the string table (custom sections).
  std::uint64_t offset = 0;
  span<const std::byte> bytes;
  const std::uint8_t* checksum = nullptr;  ///< The 32-byte SHA-256 recorded in the table.

  bool required() const noexcept { return (flags & vitmod::section_required) != 0; }
};

/// A parsed, validated container. Cheap to copy; refers to the file's bytes.
class vitmod_view {
 public:
  /// Parses and checks `file` entirely (see the header comment). Errors
  /// (module_read): see the header; `why` gets the kind, the file offset,
  /// the problem and, for a fault in a section, the section as its subject
  /// ("section 2").
  static result<vitmod_view> parse(span<const std::byte> file, const vitmod_limits& limits = {},
                                   vitte::diagnostic* why = nullptr) noexcept;
  /// Refused: the view would point into a temporary that dies at the end of
  /// the statement (`parse(builder.build())`). Keep the bytes in a variable.
  template <class C>
    requires detail::owned_bytes_temporary<C>
  static result<vitmod_view> parse(C&& file, const vitmod_limits& limits = {},
                                   vitte::diagnostic* why = nullptr) = delete;

  std::uint16_t version_major() const noexcept { return major_; }
  std::uint16_t version_minor() const noexcept { return minor_; }
  std::uint32_t flags() const noexcept { return flags_; }
  vitmod_target target() const noexcept { return target_; }

  /// Every section, in file order.
  std::uint32_t section_count() const noexcept { return count_; }
  section_view section(std::uint32_t i) const noexcept;
  /// The custom section called `name`; empty bytes and index == count when absent.
  section_view find_custom(text_view name) const noexcept;
  /// A custom section's name.
  text_view section_name(const section_view& s) const noexcept;

  const manifest_view& manifest() const noexcept { return manifest_; }
  loader::payload_kind payload_kind() const noexcept { return payload_kind_; }
  span<const std::byte> payload() const noexcept { return payload_; }
  span<const std::byte> strings() const noexcept { return strings_; }

  /// True when the header says signed (the block was then found complete).
  bool is_signed() const noexcept { return (flags_ & vitmod::flag_signed) != 0; }
  /// The bytes the signature covers: the file up to the signature block.
  span<const std::byte> signed_bytes() const noexcept { return file_.first(data_end_); }
  /// The signature block's key id and signature (empty when unsigned).
  span<const std::uint8_t> key_id() const noexcept;
  span<const std::uint8_t> signature() const noexcept;
  /// File offset of the signature block (== size when unsigned).
  std::uint64_t signature_offset() const noexcept { return data_end_; }
  /// The whole file.
  span<const std::byte> bytes() const noexcept { return file_; }

 private:
  span<const std::byte> file_;
  std::uint16_t major_ = 0, minor_ = 0;
  std::uint32_t flags_ = 0;
  vitmod_target target_;
  std::uint32_t count_ = 0;
  std::size_t data_end_ = 0;
  manifest_view manifest_;
  loader::payload_kind payload_kind_ = loader::payload_kind::bytecode;
  span<const std::byte> payload_, strings_;
};

/// A custom section for the builder.
struct custom_section {
  text name;
  buffer<std::byte> bytes;
  bool required = false;
  std::uint32_t alignment = 8;
  std::uint32_t kind = static_cast<std::uint32_t>(section_kind::custom_first);
};

/// Writes containers. Deterministic: the same fields give the same bytes
/// (sections in a fixed order, strings in order of first use, zero padding,
/// no time stamps; Ed25519 signatures are deterministic too).
struct vitmod_builder {
  loader::manifest manifest;
  vitmod_target target;
  loader::payload_kind payload_kind = loader::payload_kind::bytecode;
  buffer<std::byte> payload;
  std::uint32_t payload_alignment = 16;
  buffer<custom_section> custom;

  /// The file: header, table, string table, manifest, custom sections (in
  /// order), payload, then the signature block when `signer` is given.
  buffer<std::byte> build(const crypto::ed25519::key_pair* signer = nullptr) const;
};

/// The key id of a public key: the first 16 bytes of its SHA-256.
VITTE_DECL std::array<std::uint8_t, vitmod::key_id_size> key_id_of(const crypto::ed25519::public_key& key) noexcept;

/// The 52-byte message Ed25519 signs for a file whose signed part is `bytes`:
/// the context string (with its NUL) and the SHA-256 of `bytes`.
VITTE_DECL std::array<std::uint8_t, 52> signed_message(span<const std::byte> bytes) noexcept;

/// A copy of a valid container (signed or not) signed by `signer`: any old
/// signature block is dropped, the header's flags and size are updated, and
/// the new block appended. Errors: those of parse(), described in `why`.
VITTE_DECL result<buffer<std::byte>> sign_vitmod(span<const std::byte> file, const crypto::ed25519::key_pair& signer,
                                                 const vitmod_limits& limits = {}, vitte::diagnostic* why = nullptr);

}  // namespace vitte::loader

#if VITTE_HEADER_ONLY
#include <vitte/loader/impl/vitmod.ipp>
#endif

#endif  // VITTE_LOADER_VITMOD_HPP
