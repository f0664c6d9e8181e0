// vitte/release/signify.hpp - OpenBSD signify's key and signature files:
// Ed25519, in the format `signify` (Debian's signify-openbsd) reads and writes.
//
//   namespace sg = vitte::release::signify;
//   sg::secret_key k = sg::from_key_pair(kp);                      // or read_secret_key(file)
//   vitte::text sig = sg::sign(k, sums_bytes, "verify with release.pub", true);  // SHA256SUMS.sig
//   vitte::diagnostic why;                                      // kind and message
//   auto list = sg::verify_embedded(sg::public_of(k), sig, &why);  // the signed SHA256SUMS
//
// A file is two lines: "untrusted comment: ..." and the base64 of a
// binary record ("Ed", an 8-byte key number, then the key or the
// signature); an embedded signature (`signify -S -e`, what `signify -C`
// checks) is followed by the message itself. The key number tells which
// key signed: verification says "signed by another key" when it differs,
// before it checks the signature itself.
//
// Secret keys are written unencrypted, as `signify -G -n` writes them
// (mode 0600 is the caller's business); a passphrase-protected key is
// refused on reading with a message that says so.
#ifndef VITTE_RELEASE_SIGNIFY_HPP
#define VITTE_RELEASE_SIGNIFY_HPP

#include <vitte/base.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/crypto/ed25519.hpp>
#include <vitte/release/operations.hpp>

#include <array>
#include <cstdint>

namespace vitte::release::signify {

/// The 8 bytes signify stamps on a key and on what it signs.
using key_number = std::array<std::uint8_t, 8>;

struct public_key {
  key_number number{};
  crypto::ed25519::public_key key{};
};

/// Wipe with wipe() when done.
struct secret_key {
  key_number number{};
  crypto::ed25519::key_pair pair{};
};

/// A signify key for an Ed25519 key pair; its number is the first 8 bytes of
/// the SHA-256 of the public key, so the same pair always has the same one.
VITTE_DECL secret_key from_key_pair(const crypto::ed25519::key_pair& kp) noexcept;
VITTE_DECL public_key public_of(const secret_key& k) noexcept;
/// The signify key for an Ed25519 public key (the same number as above).
VITTE_DECL public_key from_public_key(const crypto::ed25519::public_key& k) noexcept;
VITTE_DECL void wipe(secret_key& k) noexcept;

/// The key files, with "untrusted comment: `comment`" as their first line.
VITTE_DECL text public_key_file(const public_key& k, text_view comment);
VITTE_DECL text secret_key_file(const secret_key& k, text_view comment);

/// Errors (ops::signify): malformed (`why` says what), not_supported for a
/// passphrase-protected secret key, verification_failed for a secret key
/// whose checksum is wrong. `file` is the file's text, not its path: `why`
/// has the kind and the message, and the caller names the file with
/// `why.about(path)`.
VITTE_DECL result<public_key> read_public_key(text_view file, vitte::diagnostic* why = nullptr);
VITTE_DECL result<secret_key> read_secret_key(text_view file, vitte::diagnostic* why = nullptr);

/// A signature file for `message`; with `embed`, the message follows it
/// (what `signify -C` reads).
VITTE_DECL text sign(const secret_key& k, span<const std::byte> message, text_view comment, bool embed);

/// Checks a detached signature file against `message`. Errors
/// (ops::signify): malformed; verification_failed, with `why` "signed by
/// another key (its key number differs): signed by key 0123456789abcdef,
/// the key given is fedcba9876543210" or "the signature does not match".
VITTE_DECL status verify(const public_key& k, text_view signature_file, span<const std::byte> message,
                         vitte::diagnostic* why = nullptr);
/// Checks an embedded signature file and returns its message (a view into
/// `signature_file`). Errors: verify()'s.
VITTE_DECL result<text_view> verify_embedded(const public_key& k, text_view signature_file,
                                             vitte::diagnostic* why = nullptr);

/// The key number as 16 hex digits, for messages.
VITTE_DECL text to_hex(const key_number& n);

}  // namespace vitte::release::signify

#if VITTE_HEADER_ONLY
#include <vitte/release/impl/signify.ipp>
#endif

#endif  // VITTE_RELEASE_SIGNIFY_HPP
