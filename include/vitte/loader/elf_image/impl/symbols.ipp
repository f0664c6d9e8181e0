// Symbol lookup in a loaded in-memory ELF image: DT_GNU_HASH (or DT_HASH,
// its chains bounded), the symbol's name and version matched. Part of
// impl/image.ipp.
#ifndef VITTE_LOADER_ELF_IMAGE_IMPL_SYMBOLS_IPP
#define VITTE_LOADER_ELF_IMAGE_IMPL_SYMBOLS_IPP

#include <vitte/loader/elf_image/impl/state.ipp>

#include <cstdint>
#include <cstring>
#include <string_view>

#if VITTE_IMAGE_HOST
namespace vitte::loader::elf_image::detail {

VITTE_DECL std::uint32_t gnu_hash_of(std::string_view s) noexcept {
  std::uint32_t h = 5381;
  for (char c : s) h = h * 33 + static_cast<unsigned char>(c);
  return h;
}
VITTE_DECL std::uint32_t sysv_hash_of(std::string_view s) noexcept {
  std::uint32_t h = 0;
  for (char c : s) {
    h = (h << 4) + static_cast<unsigned char>(c);
    std::uint32_t g = h & 0xf0000000u;
    if (g != 0) h ^= g >> 24;
    h &= ~g;
  }
  return h;
}

/// A name looked up in several images (an image_set's scope): hashed once,
/// not once per image. The DT_HASH hash is made on first use (objects
/// without DT_GNU_HASH).
struct symbol_key {
  std::string_view name;
  std::uint32_t gnu;
  std::uint32_t sysv = 0;
  bool has_sysv = false;

  explicit symbol_key(std::string_view n) noexcept : name(n), gnu(gnu_hash_of(n)) {}
  std::uint32_t sysv_hash() noexcept {
    if (!has_sysv) sysv = sysv_hash_of(name), has_sysv = true;
    return sysv;
  }
};

/// Symbol `i` of a loaded image matches `name` (and `version`)?
VITTE_DECL bool symbol_matches(const image_state& st, std::size_t i, std::string_view name, std::string_view version,
                               std::uint64_t& value, unsigned char& type) noexcept {
  const std::byte* s = st.symtab + i * sym_size;
  std::uint32_t n = load_le<std::uint32_t>(s);
  std::uint16_t shndx = load_le<std::uint16_t>(s + (host_rules::is64 ? 6 : 14));
  // The name and its NUL inside the string table (the image's copy may lack its final NUL).
  if (shndx == elf::shn_undef || n >= st.strsz || st.strsz - n <= name.size()) return false;
  const char* sn = st.strtab + n;
  if (std::strncmp(sn, name.data(), name.size()) != 0 || sn[name.size()] != '\0') return false;
  if (st.versym != nullptr) {
    std::uint16_t v = load_le<std::uint16_t>(reinterpret_cast<const std::byte*>(st.versym + i));
    if (version.empty()) {
      if ((v & elf::versym_hidden) != 0) return false;  // not the default version
    } else if ((v & elf::versym_index_mask) >= st.versions.size() ||
               st.versions[v & elf::versym_index_mask] != version) {
      return false;
    }
  }
  unsigned char info = static_cast<unsigned char>(s[host_rules::is64 ? 4 : 12]);
  type = info & 0xf;
  value = host_rules::is64 ? load_le<std::uint64_t>(s + 8) : load_le<std::uint32_t>(s + 4);
  return true;
}

/// Finds `key` through DT_GNU_HASH (or DT_HASH, its chains bounded).
VITTE_DECL bool find_symbol(const image_state& st, symbol_key& key, std::string_view version, std::uint64_t& value,
                            unsigned char& type) noexcept {
  const std::string_view name = key.name;
  if (st.gnu_hash != nullptr) {
    // The sizes as checked at load (image_state), the tables read from the image.
    const std::byte* h = st.gnu_hash;
    const std::uint32_t nbucket = st.gnu_nbucket, symoffset = st.gnu_symoffset;
    const std::uint32_t bloom_size = st.gnu_bloom, shift = st.gnu_shift;
    const std::size_t end = st.gnu_nsyms < st.nsyms ? st.gnu_nsyms : st.nsyms;  // the chains' checked extent
    if (nbucket == 0) return false;
    std::uint32_t hash = key.gnu;
    if (bloom_size != 0) {
      constexpr unsigned bits = 8 * word_size;
      word w = load_le<word>(h + 16 + word_size * ((hash / bits) % bloom_size));
      if (((w >> (hash % bits)) & (w >> ((hash >> (shift & 31)) % bits)) & 1) == 0) return false;
    }
    const std::byte* buckets = h + 16 + word_size * std::size_t{bloom_size};
    std::uint32_t i = load_le<std::uint32_t>(buckets + 4 * std::size_t{hash % nbucket});
    if (i < symoffset) return false;
    const std::byte* chain = buckets + 4 * std::size_t{nbucket};
    for (; i < end; ++i) {
      std::uint32_t c = load_le<std::uint32_t>(chain + 4 * std::size_t{i - symoffset});
      if ((c | 1) == (hash | 1) && symbol_matches(st, i, name, version, value, type)) return true;
      if ((c & 1) != 0) break;
    }
    return false;
  }
  if (st.sysv_hash != nullptr) {
    const std::byte* h = st.sysv_hash;
    const std::uint32_t nbucket = st.sysv_nbucket, nchain = st.sysv_nchain;
    if (nbucket == 0) return false;
    std::uint32_t i = load_le<std::uint32_t>(h + 8 + 4 * std::size_t{key.sysv_hash() % nbucket});
    for (std::uint32_t steps = 0; i != 0 && i < nchain && steps <= nchain; ++steps) {  // a looping chain ends
      if (symbol_matches(st, i, name, version, value, type)) return true;
      i = load_le<std::uint32_t>(h + 8 + 4 * (std::size_t{nbucket} + i));
    }
  }
  return false;
}

}  // namespace vitte::loader::elf_image::detail
#endif  // VITTE_IMAGE_HOST

#endif  // VITTE_LOADER_ELF_IMAGE_IMPL_SYMBOLS_IPP
