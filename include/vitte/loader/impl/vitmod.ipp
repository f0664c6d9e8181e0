// vitte/loader/impl/vitmod.ipp - the container reader, writer and signer (vitte/loader/vitmod.hpp).
#ifndef VITTE_LOADER_IMPL_VITMOD_IPP
#define VITTE_LOADER_IMPL_VITMOD_IPP

#include <vitte/base.hpp>
#include <vitte/base/detail/endian.hpp>  // the fields
#include <vitte/crypto/ed25519.hpp>
#include <vitte/crypto/sha256.hpp>
#include <vitte/loader/manifest.hpp>
#include <vitte/loader/vitmod.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>  // std::memcmp, std::memcpy

namespace vitte::loader {

namespace detail::vitmod_io {

// Fields are little-endian (docs/formats/vitmod.md).
using vitte::detail::load_le;
using vitte::detail::store_le;

// Field offsets (docs/formats/vitmod.md).
inline constexpr std::size_t h_major = 8, h_minor = 10, h_flags = 12, h_arch = 16, h_os = 18, h_count = 20,
                             h_file_size = 24, h_header_size = 32, h_entry_size = 36, h_payload_kind = 40,
                             h_reserved = 44;
inline constexpr std::size_t e_kind = 0, e_flags = 4, e_offset = 8, e_size = 16, e_alignment = 24, e_name = 28,
                             e_checksum = 32;
inline constexpr std::size_t s_version = 4, s_algorithm = 6, s_key_id = 8, s_signature = 24;

VITTE_DECL bool all_zero(span<const std::byte> b) noexcept {
  for (std::byte x : b)
    if (x != std::byte{0}) return false;
  return true;
}

}  // namespace detail::vitmod_io

VITTE_DECL section_view vitmod_view::section(std::uint32_t i) const noexcept {
  using namespace detail::vitmod_io;
  const std::byte* e = file_.data() + vitmod::header_size + std::size_t{i} * vitmod::entry_size;
  section_view s{i,
                 load_le<std::uint32_t>(e + e_kind),
                 load_le<std::uint32_t>(e + e_flags),
                 load_le<std::uint32_t>(e + e_alignment),
                 load_le<std::uint32_t>(e + e_name),
                 load_le<std::uint64_t>(e + e_offset),
                 {},
                 reinterpret_cast<const std::uint8_t*>(e + e_checksum)};
  s.bytes =
      file_.subspan(static_cast<std::size_t>(s.offset), static_cast<std::size_t>(load_le<std::uint64_t>(e + e_size)));
  return s;
}

VITTE_DECL text_view vitmod_view::section_name(const section_view& s) const noexcept {
  if (s.name == vitmod::no_name || s.name >= strings_.size()) return {};
  // Names are NUL-terminated in the string table (checked by parse).
  const char* p = reinterpret_cast<const char*>(strings_.data()) + s.name;
  std::size_t n = 0;
  while (s.name + n < strings_.size() && p[n] != '\0') ++n;
  return {p, n};
}

VITTE_DECL section_view vitmod_view::find_custom(text_view name) const noexcept {
  for (std::uint32_t i = 0; i < count_; ++i) {
    const section_view s = section(i);
    if (s.kind >= static_cast<std::uint32_t>(section_kind::custom_first) && section_name(s) == name) return s;
  }
  section_view none;
  none.index = count_;
  return none;
}

VITTE_DECL span<const std::uint8_t> vitmod_view::key_id() const noexcept {
  if (!is_signed()) return {};
  return {reinterpret_cast<const std::uint8_t*>(file_.data()) + data_end_ + detail::vitmod_io::s_key_id,
          vitmod::key_id_size};
}

VITTE_DECL span<const std::uint8_t> vitmod_view::signature() const noexcept {
  if (!is_signed()) return {};
  return {reinterpret_cast<const std::uint8_t*>(file_.data()) + data_end_ + detail::vitmod_io::s_signature,
          crypto::ed25519::signature_size};
}

VITTE_DECL result<vitmod_view> vitmod_view::parse(span<const std::byte> file, const vitmod_limits& limits,
                                                  vitte::diagnostic* why) noexcept {
  using namespace detail::vitmod_io;
  constexpr std::uint32_t none = 0xFFFFFFFFu;  // no section: the header, the table or the signature block
  // A fault in a section names it ("section 2").
  const auto fail = [why](errc k, std::uint32_t sec, std::uint64_t off, const char* what) {
    const error e = detail::refuse(why, k, off, what);
    if (why != nullptr && sec != none) detail::about_section(*why, sec);
    return e;
  };
  const std::byte* h = file.data();
  if (file.size() < vitmod::header_size)
    return fail(errc::unexpected_eof, none, file.size(), "file shorter than the header");
  if (std::memcmp(h, vitmod::magic, sizeof vitmod::magic) != 0)
    return fail(errc::malformed, none, 0, "not a vitmod container (bad magic)");
  vitmod_view v;
  v.file_ = file;
  v.major_ = load_le<std::uint16_t>(h + h_major);
  v.minor_ = load_le<std::uint16_t>(h + h_minor);
  if (v.major_ != vitmod::version_major) return fail(errc::version_mismatch, none, h_major, "unknown major version");
  v.flags_ = load_le<std::uint32_t>(h + h_flags);
  if ((v.flags_ & vitmod::required_flag_mask & ~vitmod::flag_signed) != 0)
    return fail(errc::malformed, none, h_flags, "unknown required header flag");
  v.target_ = {load_le<std::uint16_t>(h + h_arch), load_le<std::uint16_t>(h + h_os)};
  v.count_ = load_le<std::uint32_t>(h + h_count);
  const std::uint64_t file_size = load_le<std::uint64_t>(h + h_file_size);
  if (load_le<std::uint32_t>(h + h_header_size) != vitmod::header_size)
    return fail(errc::malformed, none, h_header_size, "header size is not 64");
  if (load_le<std::uint32_t>(h + h_entry_size) != vitmod::entry_size)
    return fail(errc::malformed, none, h_entry_size, "section entry size is not 64");
  const std::uint32_t pk = load_le<std::uint32_t>(h + h_payload_kind);
  if (pk < 1 || pk > 3) {
    const error e = fail(errc::not_supported, none, h_payload_kind, "unknown payload kind ");
    if (why != nullptr) why->append(std::uint64_t{pk});
    return e;
  }
  v.payload_kind_ = static_cast<loader::payload_kind>(pk);
  if (!all_zero(file.subspan(h_reserved, vitmod::header_size - h_reserved)))
    return fail(errc::malformed, none, h_reserved, "reserved header bytes are not zero");

  // The file ends exactly where the header says: nothing is appended, nothing cut.
  const bool is_signed = (v.flags_ & vitmod::flag_signed) != 0;
  const std::uint64_t trailer = is_signed ? vitmod::signature_block_size : 0;
  if (file.size() < file_size) {
    if (is_signed && file_size >= trailer && file.size() >= file_size - trailer)
      return fail(errc::unexpected_eof, none, file.size(), "signature block truncated");
    return fail(errc::unexpected_eof, none, file.size(), "file truncated (shorter than the size in the header)");
  }
  if (file.size() > file_size)
    return fail(errc::malformed, none, file_size,
                is_signed ? "bytes after the signature block" : "bytes after the end recorded in the header");
  if (file_size < vitmod::header_size + trailer) return fail(errc::malformed, none, h_file_size, "file size too small");
  v.data_end_ = static_cast<std::size_t>(file_size - trailer);

  // The section table.
  if (v.count_ > limits.max_sections) return fail(errc::limit_exceeded, none, h_count, "more sections than the limit");
  const std::uint64_t table_end = vitmod::header_size + std::uint64_t{v.count_} * vitmod::entry_size;
  if (table_end > v.data_end_) return fail(errc::unexpected_eof, none, h_count, "section table runs past the end");

  // Sections: in file order, aligned, inside the data, no overlap, no slack.
  std::uint64_t prev_end = table_end;
  std::uint32_t manifest_index = none, payload_index = none, strings_index = none;
  for (std::uint32_t i = 0; i < v.count_; ++i) {
    const std::uint64_t at = vitmod::header_size + std::uint64_t{i} * vitmod::entry_size;
    const std::byte* e = h + at;
    const std::uint32_t kind = load_le<std::uint32_t>(e + e_kind), flags = load_le<std::uint32_t>(e + e_flags),
                        align = load_le<std::uint32_t>(e + e_alignment);
    const std::uint64_t offset = load_le<std::uint64_t>(e + e_offset), size = load_le<std::uint64_t>(e + e_size);
    if ((flags & ~vitmod::section_required) != 0) return fail(errc::malformed, i, at + e_flags, "unknown section flag");
    if (load_le<std::uint32_t>(e + e_name) != vitmod::no_name &&
        kind < static_cast<std::uint32_t>(section_kind::custom_first))
      return fail(errc::malformed, i, at + e_name, "only custom sections have names");
    if (align == 0 || (align & (align - 1)) != 0)
      return fail(errc::malformed, i, at + e_alignment, "alignment is not a power of two");
    if (align > limits.max_alignment)
      return fail(errc::limit_exceeded, i, at + e_alignment, "alignment above the limit");
    if (offset > v.data_end_) return fail(errc::malformed, i, at + e_offset, "section offset past the end of the data");
    if (size > v.data_end_ - offset)
      return fail(errc::malformed, i, at + e_size, "section runs past the end of the data");
    if (offset % align != 0) return fail(errc::malformed, i, at + e_offset, "section offset not aligned");
    if (offset < prev_end)
      return fail(errc::malformed, i, at + e_offset,
                  i == 0 ? "section overlaps the section table" : "sections overlap or are out of order");
    if (offset - prev_end >= align) return fail(errc::malformed, i, prev_end, "gap before the section");
    if (!all_zero(file.subspan(static_cast<std::size_t>(prev_end), static_cast<std::size_t>(offset - prev_end))))
      return fail(errc::malformed, i, prev_end, "padding before the section is not zero");
    prev_end = offset + size;
    switch (kind) {
      case static_cast<std::uint32_t>(section_kind::string_table):
        if (strings_index != none) return fail(errc::malformed, i, at + e_kind, "second string table");
        strings_index = i;
        break;
      case static_cast<std::uint32_t>(section_kind::manifest):
        if (manifest_index != none) return fail(errc::malformed, i, at + e_kind, "second manifest");
        manifest_index = i;
        break;
      case static_cast<std::uint32_t>(section_kind::payload):
        if (payload_index != none) return fail(errc::malformed, i, at + e_kind, "second payload");
        payload_index = i;
        break;
      default:
        if (kind < static_cast<std::uint32_t>(section_kind::custom_first) && (flags & vitmod::section_required) != 0)
          return fail(errc::not_supported, i, at + e_kind, "unknown required section kind");
        break;  // an unknown optional section, or a custom one: checked below
    }
  }
  if (prev_end != v.data_end_) return fail(errc::malformed, none, prev_end, "bytes after the last section");
  if (manifest_index == none) return fail(errc::malformed, none, h_count, "no manifest section");
  if (payload_index == none) return fail(errc::malformed, none, h_count, "no payload section");

  if (limits.verify_checksums) {
    for (std::uint32_t i = 0; i < v.count_; ++i) {
      const section_view s = v.section(i);
      const auto digest = crypto::sha256::hash(s.bytes);
      if (std::memcmp(digest.data(), s.checksum, 32) != 0)
        return fail(errc::verification_failed, i,
                    vitmod::header_size + std::uint64_t{i} * vitmod::entry_size + e_checksum,
                    "section checksum mismatch");
    }
  }
  if (strings_index != none) v.strings_ = v.section(strings_index).bytes;

  // Custom sections: named by a NUL-terminated UTF-8 string of the table;
  // required ones must be known to the caller.
  for (std::uint32_t i = 0; i < v.count_; ++i) {
    const section_view s = v.section(i);
    if (s.kind < static_cast<std::uint32_t>(section_kind::custom_first)) continue;
    const std::uint64_t at = vitmod::header_size + std::uint64_t{i} * vitmod::entry_size + e_name;
    if (s.name == vitmod::no_name || s.name >= v.strings_.size())
      return fail(errc::malformed, i, at, "custom section name outside the string table");
    const text_view name = v.section_name(s);
    if (s.name + name.size() >= v.strings_.size())
      return fail(errc::malformed, i, at, "custom section name not terminated");
    if (!detail::valid_utf8(name)) return fail(errc::malformed, i, at, "custom section name is not valid UTF-8");
    if (s.required()) {
      bool known = false;
      for (text_view k : limits.known_custom) known = known || k == name;
      if (!known) return fail(errc::not_supported, i, at, "unknown required custom section");
    }
  }

  const section_view m = v.section(manifest_index);
  result<manifest_view> mv = manifest_view::parse(m.bytes, v.strings_, limits.manifest, m.offset, why);
  if (!mv) {
    if (why != nullptr) detail::about_section(*why, manifest_index);
    return mv.error();
  }
  v.manifest_ = *mv;
  v.payload_ = v.section(payload_index).bytes;

  if (is_signed) {
    const std::byte* sb = h + v.data_end_;
    if (std::memcmp(sb, vitmod::signature_magic, 4) != 0)
      return fail(errc::malformed, none, v.data_end_, "bad signature block magic");
    if (load_le<std::uint16_t>(sb + s_version) != 1)
      return fail(errc::version_mismatch, none, v.data_end_ + s_version, "unknown signature block version");
    if (load_le<std::uint16_t>(sb + s_algorithm) != 1)
      return fail(errc::not_supported, none, v.data_end_ + s_algorithm, "unknown signature algorithm");
  }
  return v;
}

VITTE_DECL std::array<std::uint8_t, vitmod::key_id_size> key_id_of(const crypto::ed25519::public_key& key) noexcept {
  const auto d = crypto::sha256::hash(key.data(), key.size());
  std::array<std::uint8_t, vitmod::key_id_size> id{};
  std::memcpy(id.data(), d.data(), id.size());
  return id;
}

VITTE_DECL std::array<std::uint8_t, 52> signed_message(span<const std::byte> bytes) noexcept {
  std::array<std::uint8_t, 52> m{};
  std::memcpy(m.data(), vitmod::signature_context, sizeof vitmod::signature_context);
  const auto d = crypto::sha256::hash(bytes);
  std::memcpy(m.data() + sizeof vitmod::signature_context, d.data(), d.size());
  return m;
}

namespace detail::vitmod_io {

// Appends the signature block over out[0, size) (whose header already says
// signed, with the final file size).
VITTE_DECL void append_signature(buffer<std::byte>& out, const crypto::ed25519::key_pair& signer) {
  const auto msg = signed_message(out);
  const auto sig = crypto::ed25519::sign(signer, msg.data(), msg.size());
  const auto id = key_id_of(signer.public_key);
  const std::size_t at = out.size();
  out.resize(at + vitmod::signature_block_size);
  std::byte* b = out.data() + at;
  std::memcpy(b, vitmod::signature_magic, 4);
  store_le<std::uint16_t>(b + s_version, 1);
  store_le<std::uint16_t>(b + s_algorithm, 1);
  std::memcpy(b + s_key_id, id.data(), id.size());
  std::memcpy(b + s_signature, sig.data(), sig.size());
}

}  // namespace detail::vitmod_io

VITTE_DECL buffer<std::byte> vitmod_builder::build(const crypto::ed25519::key_pair* signer) const {
  using namespace detail::vitmod_io;
  struct planned {
    std::uint32_t kind, flags, alignment, name;
    span<const std::byte> bytes;
  };
  string_table_builder strings;
  const buffer<std::byte> manifest_bytes = manifest.encode(strings);
  buffer<std::uint32_t> names;
  for (const custom_section& c : custom) {
    // Names are NUL-terminated: stored with their NUL, so never shared with a
    // manifest string. Kinds below custom_first (reserved for future
    // standard sections) have no name.
    text with_nul = c.name;
    with_nul.push_back('\0');
    names.push_back(c.kind >= static_cast<std::uint32_t>(section_kind::custom_first) ? strings.add(with_nul)
                                                                                     : vitmod::no_name);
  }
  buffer<planned> plan;
  plan.push_back({static_cast<std::uint32_t>(section_kind::string_table), 0, 1, vitmod::no_name, strings.bytes()});
  plan.push_back({static_cast<std::uint32_t>(section_kind::manifest), vitmod::section_required, 1, vitmod::no_name,
                  manifest_bytes});
  for (std::size_t i = 0; i < custom.size(); ++i)
    plan.push_back({custom[i].kind, custom[i].required ? vitmod::section_required : 0u, custom[i].alignment, names[i],
                    custom[i].bytes});
  plan.push_back({static_cast<std::uint32_t>(section_kind::payload), vitmod::section_required, payload_alignment,
                  vitmod::no_name, payload});

  std::size_t end = vitmod::header_size + plan.size() * vitmod::entry_size;
  buffer<std::uint64_t> offsets;
  for (const planned& p : plan) {
    end = (end + p.alignment - 1) / p.alignment * p.alignment;
    offsets.push_back(end);
    end += p.bytes.size();
  }
  const std::size_t data_end = end;
  buffer<std::byte> out(data_end);
  std::byte* h = out.data();
  std::memcpy(h, vitmod::magic, sizeof vitmod::magic);
  store_le<std::uint16_t>(h + h_major, vitmod::version_major);
  store_le<std::uint16_t>(h + h_minor, vitmod::version_minor);
  store_le<std::uint32_t>(h + h_flags, signer != nullptr ? vitmod::flag_signed : 0u);
  store_le<std::uint16_t>(h + h_arch, target.arch);
  store_le<std::uint16_t>(h + h_os, target.os);
  store_le<std::uint32_t>(h + h_count, static_cast<std::uint32_t>(plan.size()));
  store_le<std::uint64_t>(h + h_file_size, data_end + (signer != nullptr ? vitmod::signature_block_size : 0));
  store_le<std::uint32_t>(h + h_header_size, vitmod::header_size);
  store_le<std::uint32_t>(h + h_entry_size, vitmod::entry_size);
  store_le<std::uint32_t>(h + h_payload_kind, static_cast<std::uint32_t>(payload_kind));
  for (std::size_t i = 0; i < plan.size(); ++i) {
    std::byte* e = h + vitmod::header_size + i * vitmod::entry_size;
    store_le<std::uint32_t>(e + e_kind, plan[i].kind);
    store_le<std::uint32_t>(e + e_flags, plan[i].flags);
    store_le<std::uint64_t>(e + e_offset, offsets[i]);
    store_le<std::uint64_t>(e + e_size, plan[i].bytes.size());
    store_le<std::uint32_t>(e + e_alignment, plan[i].alignment);
    store_le<std::uint32_t>(e + e_name, plan[i].name);
    const auto d = crypto::sha256::hash(plan[i].bytes);
    std::memcpy(e + e_checksum, d.data(), d.size());
    if (!plan[i].bytes.empty()) std::memcpy(out.data() + offsets[i], plan[i].bytes.data(), plan[i].bytes.size());
  }
  if (signer != nullptr) append_signature(out, *signer);
  return out;
}

VITTE_DECL result<buffer<std::byte>> sign_vitmod(span<const std::byte> file, const crypto::ed25519::key_pair& signer,
                                                 const vitmod_limits& limits, vitte::diagnostic* why) {
  using namespace detail::vitmod_io;
  result<vitmod_view> v = vitmod_view::parse(file, limits, why);
  if (!v) return v.error();
  const span<const std::byte> data = v->signed_bytes();
  buffer<std::byte> out(data.begin(), data.end());
  store_le<std::uint32_t>(out.data() + h_flags, v->flags() | vitmod::flag_signed);
  store_le<std::uint64_t>(out.data() + h_file_size, data.size() + vitmod::signature_block_size);
  append_signature(out, signer);
  return out;
}

}  // namespace vitte::loader

#endif  // VITTE_LOADER_IMPL_VITMOD_IPP
