// vitte/loader/signature.hpp - who signed a container, and whether the host
// accepts it: key ids, a trust store of public keys, and the loader's
// verification policy (off, warn, require).
//
//   vitte::loader::trust_store trusted;
//   trusted.add(release_key, "release");
//   auto c = vitte::loader::vitmod_view::parse(bytes).value();
//   vitte::loader::signature_check check = vitte::loader::verify_signature(c, trusted);
//   if (!check) std::puts(check.why.format().c_str());   // "signature block: at offset 0x2a0: unknown key id"
//
// What is verified: the Ed25519 signature in the block at the end of the
// file, over the context string and the SHA-256 of every byte before the
// block (header, table, sections, padding), with the key the block's key id
// names. It is computed over exactly the bytes the view was parsed from, so
// there is no gap between checking and using: map the file once, parse and
// verify that mapping, and use it (open_vitmod in vitte/loader/vitmod_file.hpp
// does exactly this).
//
// Each failure has its own reason: "container is not signed", "unknown key
// id", "signed by another key" (verifying against one given key),
// "signature does not match"; a cut signature block is already refused by
// parse() ("signature block truncated").
#ifndef VITTE_LOADER_SIGNATURE_HPP
#define VITTE_LOADER_SIGNATURE_HPP

#include <vitte/base.hpp>
#include <vitte/crypto/ed25519.hpp>
#include <vitte/loader/vitmod.hpp>

#include <array>    // key ids
#include <cstdint>  // fixed-width fields
#include <cstring>  // std::memcmp

namespace vitte::loader {

using key_id = std::array<std::uint8_t, vitmod::key_id_size>;

/// What the loader does with signatures.
enum class verify_policy : std::uint8_t {
  off,      ///< Do not check (development builds).
  warn,     ///< Check; a failure is reported but the module loads.
  require,  ///< Check; a failure refuses the module.
};

/// The public keys a host trusts, looked up by key id. Not thread-safe for
/// writes; concurrent lookups are fine.
class trust_store {
 public:
  struct entry {
    loader::key_id id{};
    crypto::ed25519::public_key key{};
    text name;  ///< For messages ("release", "ci").
  };

  /// Adds a key (again: replaces its name). Returns its id.
  loader::key_id add(const crypto::ed25519::public_key& key, text name = {});
  /// The key with this id, or nullptr.
  const entry* find(span<const std::uint8_t> id) const noexcept;
  std::size_t size() const noexcept { return entries_.size(); }
  bool empty() const noexcept { return entries_.empty(); }

 private:
  buffer<entry> entries_;
};

/// The outcome of a signature check: who signed (when verified) or why not.
struct signature_check {
  /// Why not (kind verification_failed, the offset in the signature block,
  /// which is the subject, the reason); nothing recorded when verified.
  vitte::diagnostic why;
  const trust_store::entry* signer = nullptr;  ///< The trusted key that verified it.
  bool verified = false;
  /// True when the signature was verified.
  explicit operator bool() const noexcept { return verified; }
};

/// Verifies against one key: "container is not signed", "signed by another
/// key" (the key ids differ), "signature does not match".
VITTE_DECL signature_check verify_signature(const vitmod_view& c, const crypto::ed25519::public_key& key) noexcept;

/// Verifies against the store: "container is not signed", "unknown key id",
/// "signature does not match".
VITTE_DECL signature_check verify_signature(const vitmod_view& c, const trust_store& store) noexcept;

/// Applies a policy: off checks nothing and accepts; warn checks and
/// accepts, leaving any failure in `check.why` for the caller to report;
/// require refuses (returns the error, module_read verification_failed,
/// described in `check.why`) unless verified.
VITTE_DECL error apply_policy(const vitmod_view& c, const trust_store& store, verify_policy policy,
                              signature_check& check) noexcept;

}  // namespace vitte::loader

#if VITTE_HEADER_ONLY
#include <vitte/loader/impl/signature.ipp>
#endif

#endif  // VITTE_LOADER_SIGNATURE_HPP
