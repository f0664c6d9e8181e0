// vitte/release/detail/openpgp.hpp - the least of OpenPGP (RFC 4880, with
// EdDSA as RFC 4880bis and gpg 2.2 write it) that rpm needs to check a
// package signed with the project's Ed25519 keys: a public key block for
// `rpm --import` (and `gpg --import`), a v4 signature packet over some data
// (what rpm stores in a package's tag 267, and a detached .sig gpg
// verifies), and a bounded reader of such packets.
//
//   namespace ed = vitte::crypto::ed25519;
//   ed::key_pair kp = ed::key_pair_from_seed(seed);
//   auto key = openpgp_public_key_block(kp, "Vitte releases <release@example.org>", 0);  // key.asc
//   auto sig = openpgp_sign(kp, data, 1700000000, 0);   // binary signature packet, SHA-256
//   openpgp_signature s;
//   vitte::diagnostic why;
//   if (openpgp_read_signature(sig->span(), s, &why) &&
//       openpgp_verify(s, kp.public_key, 0, data, &why)) ...
//
// A key is an Ed25519 public key and the time it was created: both go into
// its v4 fingerprint (the SHA-1 of the public-key packet), whose last 8
// bytes are the key ID that signatures name. Fix the creation time (rpm
// uses rpm_key_created, 0) and a key pair always has the same fingerprint.
//
// Packets use the old format (as gpg writes them): a tag byte 0x80 |
// tag << 2 | length type, then a 1-, 2- or 4-byte length. The public key is
// version 4, algorithm 22 (EdDSA), the curve OID 1.3.6.1.4.1.11591.15.1
// and the point as an MPI 0x40 || 32 bytes. A signature is version 4,
// algorithm 22, hash SHA-256 (8), with hashed subpackets issuer fingerprint
// (33) and creation time (2) (key flags (27) in a self-signature), the
// issuer key ID (16) unhashed, the first two bytes of the digest, then the
// Ed25519 signature of the digest as two MPIs, R and S. Signing is
// deterministic: the same key, data and times give the same bytes.
//
// Reading is bounded: every length is checked against what remains before
// it is used, and a signature is refused unless it is exactly one v4 EdDSA
// packet with SHA-256 or SHA-512, a hashed creation time, an issuer key ID
// (rpm 4.18 finds the key by it; a fingerprint, when present, must end with
// it), no critical subpacket this reader does not know and none unhashed,
// and two canonical MPIs of at most 256 bits. No allocation while reading.
#ifndef VITTE_RELEASE_DETAIL_OPENPGP_HPP
#define VITTE_RELEASE_DETAIL_OPENPGP_HPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic.hpp>
#include <vitte/base/result.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/crypto/ed25519.hpp>

#include <array>
#include <cstddef>
#include <cstdint>

namespace vitte::release::detail {

/// A v4 fingerprint (SHA-1 of the public-key packet) and a key ID (its last 8 bytes).
using openpgp_fingerprint_bytes = std::array<std::uint8_t, 20>;
using openpgp_key_id_bytes = std::array<std::uint8_t, 8>;

/// The numbers of RFC 4880 this header uses.
namespace openpgp {
inline constexpr std::uint8_t tag_signature = 2, tag_public_key = 6, tag_user_id = 13;
inline constexpr std::uint8_t sig_binary = 0x00, sig_positive_certification = 0x13;
inline constexpr std::uint8_t algo_eddsa = 22, hash_sha256 = 8, hash_sha512 = 10;
inline constexpr std::uint8_t sub_created = 2, sub_issuer = 16, sub_key_flags = 27, sub_issuer_fingerprint = 33;
inline constexpr std::uint8_t sub_critical = 0x80;
inline constexpr std::uint8_t key_flag_certify = 0x01, key_flag_sign = 0x02;
/// The curve OID 1.3.6.1.4.1.11591.15.1 (Ed25519), DER without tag and length.
inline constexpr std::uint8_t ed25519_oid[] = {0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x0f, 0x01};
}  // namespace openpgp

/// The fingerprint of the Ed25519 key `pk` created at `created` (seconds
/// since 1970, as the key block says).
VITTE_DECL openpgp_fingerprint_bytes openpgp_fingerprint(const crypto::ed25519::public_key& pk,
                                                         std::uint32_t created) noexcept;
/// Its key ID: the fingerprint's last 8 bytes.
VITTE_DECL openpgp_key_id_bytes openpgp_key_id(const crypto::ed25519::public_key& pk, std::uint32_t created) noexcept;

/// The ASCII-armored "PGP PUBLIC KEY BLOCK" of `kp` created at `created`:
/// the public-key packet, a user ID packet (`user_id`, "Name <mail>"), and
/// a positive certification of both made at `created` (key flags certify
/// and sign), with the armor's CRC-24. `rpm --import` and `gpg --import`
/// take it. Errors (ops::signify): invalid_argument for a time outside 0 to
/// 2^32 - 1 or a user ID with a NUL or a line break. Thread safety: pure.
VITTE_DECL result<text> openpgp_public_key_block(const crypto::ed25519::key_pair& kp, text_view user_id,
                                                 std::int64_t created);

/// A binary v4 signature packet (type 0x00, SHA-256) of `data` by `kp`,
/// made at `created`, naming the key created at `key_created`: what rpm
/// stores in tag 267 and gpg reads as a detached .sig. Deterministic.
/// Errors (ops::signify): invalid_argument for a time outside 0 to 2^32 - 1.
VITTE_DECL result<buffer<std::byte>> openpgp_sign(const crypto::ed25519::key_pair& kp, span<const std::byte> data,
                                                  std::int64_t created, std::int64_t key_created = 0);

/// What openpgp_read_signature() found; spans point into its input.
struct openpgp_signature {
  std::uint8_t type = 0;  ///< 0x00 binary document, 0x01 text, 0x13 positive certification...
  std::uint8_t hash = 0;  ///< openpgp::hash_sha256 or hash_sha512
  std::uint32_t created = 0;
  openpgp_key_id_bytes key_id{};
  bool has_fingerprint = false;
  openpgp_fingerprint_bytes fingerprint{};  ///< when has_fingerprint
  std::uint8_t digest_prefix[2] = {};
  crypto::ed25519::signature rs{};  ///< R || S, each MPI zero-extended to 32 bytes
  span<const std::byte> hashed;     ///< version to the end of the hashed subpackets: what the digest covers
};

/// Reads `packet`, which must be exactly one signature packet as the header
/// comment says. False with `why` filled otherwise (errc::malformed, an
/// offset in `packet`, at most its size, and a static message); `out` may
/// then hold part of it.
VITTE_DECL bool openpgp_read_signature(span<const std::byte> packet, openpgp_signature& out,
                                       vitte::diagnostic* why = nullptr) noexcept;

/// Checks `s` as a signature of `data` by the Ed25519 key `pk` created at
/// `key_created`: the key IDs agree, the digest's first two bytes match,
/// and the Ed25519 signature of the digest verifies (strictly). False with
/// `why` filled otherwise (errc::verification_failed, no position, a
/// static message).
VITTE_DECL bool openpgp_verify(const openpgp_signature& s, const crypto::ed25519::public_key& pk,
                               std::uint32_t key_created, span<const std::byte> data,
                               vitte::diagnostic* why = nullptr) noexcept;

/// Reads an ASCII armor (RFC 4880 6.2) of the kind `label` names ("PGP
/// PUBLIC KEY BLOCK", "PGP SIGNATURE"): the BEGIN line, header lines up to
/// an empty line, base64 lines, "=" and the CRC-24, the END line; "\r\n"
/// taken as "\n", text around the armor ignored. The packets go to `out`.
/// False with `why` filled (errc::malformed, an offset in `armored`, the
/// label as its subject, a static message) when there is no such armor, its
/// base64 does not decode or its CRC differs.
VITTE_DECL bool openpgp_dearmor(text_view armored, text_view label, buffer<std::byte>& out,
                                vitte::diagnostic* why = nullptr);

/// The CRC-24 of RFC 4880 6.1, as the armor carries it.
VITTE_DECL std::uint32_t openpgp_crc24(span<const std::byte> data) noexcept;

}  // namespace vitte::release::detail

#if VITTE_HEADER_ONLY
#include <vitte/release/detail/openpgp.ipp>
#endif

#endif  // VITTE_RELEASE_DETAIL_OPENPGP_HPP
