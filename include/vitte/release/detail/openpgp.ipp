// vitte/release/detail/openpgp.ipp - OpenPGP keys, signatures and armor (openpgp.hpp).
#ifndef VITTE_RELEASE_DETAIL_OPENPGP_IPP
#define VITTE_RELEASE_DETAIL_OPENPGP_IPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/detail/base64.hpp>  // the armor
#include <vitte/base/detail/endian.hpp>  // big-endian lengths and times
#include <vitte/base/result.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/crypto/ed25519.hpp>
#include <vitte/crypto/sha1.hpp>  // v4 fingerprints
#include <vitte/crypto/sha256.hpp>
#include <vitte/crypto/sha512.hpp>
#include <vitte/release/detail/failure.hpp>  // refuse
#include <vitte/release/detail/openpgp.hpp>
#include <vitte/release/operations.hpp>  // ops::signify

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace vitte::release::detail {

namespace openpgp_detail {

inline constexpr std::uint32_t crc24_init = 0xb704ce, crc24_poly = 0x1864cfb;

VITTE_DECL bool time_ok(std::int64_t t) { return t >= 0 && t <= 0xffffffffLL; }

VITTE_DECL void put8(std::string& s, std::uint8_t v) { s.push_back(static_cast<char>(v)); }
VITTE_DECL void put16(std::string& s, std::uint16_t v) {
  char b[2];
  vitte::detail::store_be<std::uint16_t>(b, v);
  s.append(b, 2);
}
VITTE_DECL void put32(std::string& s, std::uint32_t v) {
  char b[4];
  vitte::detail::store_be<std::uint32_t>(b, v);
  s.append(b, 4);
}
VITTE_DECL void put_bytes(std::string& s, const std::uint8_t* p, std::size_t n) {
  s.append(reinterpret_cast<const char*>(p), n);
}

// An old-format packet: tag byte, the shortest of the 1-, 2- and 4-byte lengths, body.
VITTE_DECL void put_packet(std::string& out, std::uint8_t tag, const std::string& body) {
  const std::size_t n = body.size();
  const std::uint8_t type = n < 0x100 ? 0 : n < 0x10000 ? 1 : 2;
  put8(out, static_cast<std::uint8_t>(0x80 | tag << 2 | type));
  if (type == 0) put8(out, static_cast<std::uint8_t>(n));
  if (type == 1) put16(out, static_cast<std::uint16_t>(n));
  if (type == 2) put32(out, static_cast<std::uint32_t>(n));
  out += body;
}

// An MPI: the bit count, then the bytes without leading zeros.
VITTE_DECL void put_mpi(std::string& out, const std::uint8_t* p, std::size_t n) {
  while (n > 0 && p[0] == 0) {
    ++p;
    --n;
  }
  std::uint16_t bits = static_cast<std::uint16_t>(8 * n);
  for (std::uint8_t top = n > 0 ? p[0] : 0x80; (top & 0x80) == 0; top = static_cast<std::uint8_t>(top << 1)) --bits;
  put16(out, bits);
  put_bytes(out, p, n);
}

// A subpacket shorter than 192 bytes: length (type included), type, data.
VITTE_DECL void put_subpacket(std::string& out, std::uint8_t type, const std::uint8_t* p, std::size_t n) {
  put8(out, static_cast<std::uint8_t>(n + 1));
  put8(out, type);
  put_bytes(out, p, n);
}

// The public-key packet's body.
VITTE_DECL std::string key_body(const crypto::ed25519::public_key& pk, std::uint32_t created) {
  std::string b;
  put8(b, 4);
  put32(b, created);
  put8(b, openpgp::algo_eddsa);
  put8(b, sizeof openpgp::ed25519_oid);
  put_bytes(b, openpgp::ed25519_oid, sizeof openpgp::ed25519_oid);
  put16(b, 263);  // 0x40 then 32 bytes
  put8(b, 0x40);
  put_bytes(b, pk.data(), pk.size());
  return b;
}

// The key as a signature hashes it: 0x99, a 2-byte length, the body.
VITTE_DECL void hash_key(crypto::sha256& h, const std::string& body) {
  std::string head;
  put8(head, 0x99);
  put16(head, static_cast<std::uint16_t>(body.size()));
  h.update(head.data(), head.size());
  h.update(body.data(), body.size());
}

// The signature packet of `type` whose digest starts from `h` (the data
// signed already in it): hashed subpackets creation time and issuer
// fingerprint (and `extra`), the key ID unhashed.
VITTE_DECL std::string sign_packet(const crypto::ed25519::key_pair& kp, crypto::sha256& h, std::uint8_t type,
                                   std::uint32_t created, std::uint32_t key_created, const std::string& extra) {
  const openpgp_fingerprint_bytes fpr = openpgp_fingerprint(kp.public_key, key_created);
  std::string sub;
  std::uint8_t issuer_fpr[21] = {4};
  for (std::size_t i = 0; i < fpr.size(); ++i) issuer_fpr[1 + i] = fpr[i];
  put_subpacket(sub, openpgp::sub_issuer_fingerprint, issuer_fpr, sizeof issuer_fpr);
  std::uint8_t when[4];
  vitte::detail::store_be<std::uint32_t>(when, created);
  put_subpacket(sub, openpgp::sub_created, when, 4);
  sub += extra;
  std::string body;
  put8(body, 4);
  put8(body, type);
  put8(body, openpgp::algo_eddsa);
  put8(body, openpgp::hash_sha256);
  put16(body, static_cast<std::uint16_t>(sub.size()));
  body += sub;
  std::string trailer;
  put8(trailer, 4);
  put8(trailer, 0xff);
  put32(trailer, static_cast<std::uint32_t>(body.size()));
  h.update(body.data(), body.size());
  h.update(trailer.data(), trailer.size());
  const crypto::sha256::digest_type digest = h.finish();
  const crypto::ed25519::signature rs = crypto::ed25519::sign(kp, digest.data(), digest.size());
  std::string unhashed;
  put_subpacket(unhashed, openpgp::sub_issuer, fpr.data() + 12, 8);
  put16(body, static_cast<std::uint16_t>(unhashed.size()));
  body += unhashed;
  put_bytes(body, digest.data(), 2);
  put_mpi(body, rs.data(), 32);
  put_mpi(body, rs.data() + 32, 32);
  std::string packet;
  put_packet(packet, openpgp::tag_signature, body);
  return packet;
}

// A bounded cursor over a packet.
struct reader {
  const std::byte* p;
  std::size_t size, at = 0;
  bool has(std::size_t n) const { return size - at >= n; }
  std::uint8_t u8() { return std::to_integer<std::uint8_t>(p[at++]); }
  std::uint16_t u16() {
    at += 2;
    return vitte::detail::load_be<std::uint16_t>(p + at - 2);
  }
  std::uint32_t u32() {
    at += 4;
    return vitte::detail::load_be<std::uint32_t>(p + at - 4);
  }
};

// One area of subpackets, [r.at, end): what it says goes to `out`.
struct subpacket_state {
  bool created = false, issuer = false;
};
VITTE_DECL bool read_subpackets(reader r, std::size_t end, bool hashed, openpgp_signature& out, subpacket_state& st,
                                vitte::diagnostic* why) {
  const auto fail = [&](const char* w, std::size_t where) { return refuse(why, errc::malformed, where, {}, w); };
  r.size = end;
  while (r.at < end) {
    const std::size_t start = r.at;
    const std::uint8_t b0 = r.u8();
    std::uint32_t len = b0;
    if (b0 >= 192 && b0 < 255) {
      if (!r.has(1)) return fail("an OpenPGP subpacket length cut short", start);
      len = ((b0 - 192u) << 8) + r.u8() + 192u;
    } else if (b0 == 255) {
      if (!r.has(4)) return fail("an OpenPGP subpacket length cut short", start);
      len = r.u32();
    }
    if (len == 0) return fail("an OpenPGP subpacket without its type", start);
    if (!r.has(len)) return fail("an OpenPGP subpacket past the end of its area", start);
    const std::size_t type_at = r.at;
    const std::uint8_t type_byte = r.u8();
    const std::uint8_t type = type_byte & 0x7f;
    const std::size_t n = len - 1;
    const std::byte* d = r.p + r.at;
    r.at += n;
    if ((type_byte & openpgp::sub_critical) != 0 && !hashed)
      return fail("a critical OpenPGP subpacket outside the hashed area", type_at);
    if (type == openpgp::sub_created && hashed) {
      if (st.created) return fail("an OpenPGP signature with two creation times", type_at);
      if (n != 4) return fail("an OpenPGP creation time that is not 4 bytes", type_at);
      out.created = vitte::detail::load_be<std::uint32_t>(d);
      st.created = true;
    } else if (type == openpgp::sub_issuer) {
      if (n != 8) return fail("an OpenPGP issuer key ID that is not 8 bytes", type_at);
      openpgp_key_id_bytes id;
      for (std::size_t i = 0; i < 8; ++i) id[i] = std::to_integer<std::uint8_t>(d[i]);
      if (st.issuer && id != out.key_id) return fail("an OpenPGP signature naming two issuer key IDs", type_at);
      out.key_id = id;
      st.issuer = true;
    } else if (type == openpgp::sub_issuer_fingerprint && n == 21 && d[0] == std::byte{4}) {
      openpgp_fingerprint_bytes f;
      for (std::size_t i = 0; i < 20; ++i) f[i] = std::to_integer<std::uint8_t>(d[1 + i]);
      if (out.has_fingerprint && f != out.fingerprint)
        return fail("an OpenPGP signature naming two issuer fingerprints", type_at);
      out.fingerprint = f;
      out.has_fingerprint = true;
    } else if ((type_byte & openpgp::sub_critical) != 0 && type != openpgp::sub_key_flags) {
      return fail("a critical OpenPGP subpacket this reader does not know", type_at);
    }
  }
  return true;
}

// An MPI of at most 256 bits, canonical (its bit count is its value's),
// zero-extended into the 32 bytes at `out`.
VITTE_DECL bool read_mpi(reader& r, std::uint8_t* out, vitte::diagnostic* why) {
  const auto fail = [&](const char* w, std::size_t where) { return refuse(why, errc::malformed, where, {}, w); };
  const std::size_t start = r.at;
  if (!r.has(2)) return fail("an OpenPGP signature cut short before its MPIs", start);
  const std::uint16_t bits = r.u16();
  if (bits == 0 || bits > 256) return fail("an Ed25519 signature MPI of 0 or more than 256 bits", start);
  const std::size_t n = (bits + 7u) / 8u;
  if (!r.has(n)) return fail("an OpenPGP signature MPI cut short", start);
  const auto top = std::to_integer<std::uint8_t>(r.p[r.at]);
  if ((top >> ((bits - 1u) % 8u)) != 1u) return fail("an OpenPGP MPI whose bit count is not its value's", start);
  for (std::size_t i = 0; i < 32; ++i) out[i] = 0;
  for (std::size_t i = 0; i < n; ++i) out[32 - n + i] = std::to_integer<std::uint8_t>(r.p[r.at + i]);
  r.at += n;
  return true;
}

}  // namespace openpgp_detail

VITTE_DECL openpgp_fingerprint_bytes openpgp_fingerprint(const crypto::ed25519::public_key& pk,
                                                         std::uint32_t created) noexcept {
  // key_body() allocates a few dozen bytes; the packet laid out here instead.
  std::uint8_t b[3 + 51] = {0x99, 0, 51, 4};
  vitte::detail::store_be<std::uint32_t>(b + 4, created);
  b[8] = openpgp::algo_eddsa;
  b[9] = sizeof openpgp::ed25519_oid;
  for (std::size_t i = 0; i < sizeof openpgp::ed25519_oid; ++i) b[10 + i] = openpgp::ed25519_oid[i];
  vitte::detail::store_be<std::uint16_t>(b + 19, 263);
  b[21] = 0x40;
  for (std::size_t i = 0; i < pk.size(); ++i) b[22 + i] = pk[i];
  return crypto::sha1::hash(b, sizeof b);
}

VITTE_DECL openpgp_key_id_bytes openpgp_key_id(const crypto::ed25519::public_key& pk, std::uint32_t created) noexcept {
  const openpgp_fingerprint_bytes f = openpgp_fingerprint(pk, created);
  openpgp_key_id_bytes id;
  for (std::size_t i = 0; i < id.size(); ++i) id[i] = f[12 + i];
  return id;
}

VITTE_DECL std::uint32_t openpgp_crc24(span<const std::byte> data) noexcept {
  std::uint32_t crc = openpgp_detail::crc24_init;
  for (const std::byte b : data) {
    const std::uint32_t v = std::to_integer<std::uint8_t>(b);
    crc ^= v << 16;
    for (int i = 0; i < 8; ++i) {
      crc <<= 1;
      if ((crc & 0x1000000) != 0) crc ^= openpgp_detail::crc24_poly;
    }
  }
  return crc & 0xffffff;
}

VITTE_DECL result<text> openpgp_public_key_block(const crypto::ed25519::key_pair& kp, text_view user_id,
                                                 std::int64_t created) {
  namespace d = openpgp_detail;
  if (!d::time_ok(created)) return vitte::error{errc::invalid_argument, ops::signify};
  for (const char c : user_id)
    if (c == '\0' || c == '\n' || c == '\r') return vitte::error{errc::invalid_argument, ops::signify};
  if (user_id.size() > 0xffff) return vitte::error{errc::invalid_argument, ops::signify};
  const auto when = static_cast<std::uint32_t>(created);
  const std::string key = d::key_body(kp.public_key, when);
  std::string packets;
  d::put_packet(packets, openpgp::tag_public_key, key);
  d::put_packet(packets, openpgp::tag_user_id, std::string(user_id));
  // The certification hashes the key, then the user ID as 0xb4, a 4-byte length, the text.
  crypto::sha256 h;
  d::hash_key(h, key);
  std::string uid;
  d::put8(uid, 0xb4);
  d::put32(uid, static_cast<std::uint32_t>(user_id.size()));
  uid += std::string(user_id);
  h.update(uid.data(), uid.size());
  std::string flags;
  const std::uint8_t f = openpgp::key_flag_certify | openpgp::key_flag_sign;
  d::put_subpacket(flags, openpgp::sub_key_flags, &f, 1);
  packets += d::sign_packet(kp, h, openpgp::sig_positive_certification, when, when, flags);

  const auto* bytes = reinterpret_cast<const std::uint8_t*>(packets.data());
  const text b64 = vitte::detail::base64_encode(bytes, packets.size());
  text out("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n");
  for (std::size_t i = 0; i < b64.size(); i += 64) {
    out.append(b64.view().substr(i, 64));
    out.push_back('\n');
  }
  const std::uint32_t crc =
      openpgp_crc24(span<const std::byte>(reinterpret_cast<const std::byte*>(bytes), packets.size()));
  std::uint8_t c[4];
  vitte::detail::store_be<std::uint32_t>(c, crc);
  out.push_back('=');
  out.append(vitte::detail::base64_encode(c + 1, 3).view());
  out.append("\n-----END PGP PUBLIC KEY BLOCK-----\n");
  return out;
}

VITTE_DECL result<buffer<std::byte>> openpgp_sign(const crypto::ed25519::key_pair& kp, span<const std::byte> data,
                                                  std::int64_t created, std::int64_t key_created) {
  namespace d = openpgp_detail;
  if (!d::time_ok(created) || !d::time_ok(key_created)) return vitte::error{errc::invalid_argument, ops::signify};
  crypto::sha256 h;
  h.update(data.data(), data.size());
  const std::string packet = d::sign_packet(kp, h, openpgp::sig_binary, static_cast<std::uint32_t>(created),
                                            static_cast<std::uint32_t>(key_created), std::string());
  buffer<std::byte> out;
  out.append(reinterpret_cast<const std::byte*>(packet.data()), packet.size());
  return out;
}

VITTE_DECL bool openpgp_read_signature(span<const std::byte> packet, openpgp_signature& out,
                                       vitte::diagnostic* why) noexcept {
  namespace d = openpgp_detail;
  const auto fail = [&](const char* w, std::size_t where) {
    return refuse(why, errc::malformed, where > packet.size() ? packet.size() : where, {}, w);
  };
  out = openpgp_signature{};
  d::reader r{packet.data(), packet.size()};
  if (!r.has(2)) return fail("an OpenPGP signature cut short (no packet header)", packet.size());
  const std::uint8_t ctb = r.u8();
  if ((ctb & 0x80) == 0) return fail("not an OpenPGP packet (bit 7 of its first byte clear)", 0);
  std::uint8_t tag = 0;
  std::uint32_t length = 0;
  if ((ctb & 0x40) != 0) {
    tag = ctb & 0x3f;
    const std::uint8_t b0 = r.u8();
    length = b0;
    if (b0 >= 192 && b0 < 224) {
      if (!r.has(1)) return fail("an OpenPGP packet length cut short", 1);
      length = ((b0 - 192u) << 8) + r.u8() + 192u;
    } else if (b0 == 255) {
      if (!r.has(4)) return fail("an OpenPGP packet length cut short", 1);
      length = r.u32();
    } else if (b0 >= 224) {
      return fail("an OpenPGP packet with partial body lengths", 1);
    }
  } else {
    tag = (ctb >> 2) & 0x0f;
    const std::uint8_t type = ctb & 3;
    if (type == 3) return fail("an OpenPGP packet of indeterminate length", 0);
    const std::size_t n = std::size_t{1} << type;
    if (!r.has(n)) return fail("an OpenPGP packet length cut short", 1);
    length = type == 0 ? r.u8() : type == 1 ? r.u16() : r.u32();
  }
  if (tag != openpgp::tag_signature) return fail("an OpenPGP packet that is not a signature", 0);
  if (length < r.size - r.at) return fail("bytes after the OpenPGP signature packet", r.at + length);
  if (length > r.size - r.at) return fail("an OpenPGP signature packet cut short", packet.size());

  const std::size_t body = r.at;
  if (!r.has(6)) return fail("an OpenPGP signature cut short", packet.size());
  if (r.u8() != 4) return fail("an OpenPGP signature that is not version 4", body);
  out.type = r.u8();
  if (r.u8() != openpgp::algo_eddsa) return fail("an OpenPGP signature that is not EdDSA (algorithm 22)", body + 2);
  out.hash = r.u8();
  if (out.hash != openpgp::hash_sha256 && out.hash != openpgp::hash_sha512)
    return fail("an OpenPGP signature whose hash is neither SHA-256 nor SHA-512", body + 3);
  const std::uint16_t hashed_size = r.u16();
  if (!r.has(hashed_size)) return fail("an OpenPGP signature's hashed subpackets cut short", body + 4);
  d::subpacket_state st;
  if (!d::read_subpackets(r, r.at + hashed_size, true, out, st, why)) return false;
  r.at += hashed_size;
  out.hashed = span<const std::byte>(packet.data() + body, r.at - body);
  if (!st.created) return fail("an OpenPGP signature without a hashed creation time", body + 4);
  if (!r.has(2)) return fail("an OpenPGP signature cut short before its unhashed subpackets", r.at);
  const std::size_t unhashed_at = r.at;
  const std::uint16_t unhashed_size = r.u16();
  if (!r.has(unhashed_size)) return fail("an OpenPGP signature's unhashed subpackets cut short", unhashed_at);
  if (!d::read_subpackets(r, r.at + unhashed_size, false, out, st, why)) return false;
  r.at += unhashed_size;
  if (!st.issuer) return fail("an OpenPGP signature without its issuer key ID", unhashed_at);
  if (out.has_fingerprint)
    for (std::size_t i = 0; i < out.key_id.size(); ++i)
      if (out.fingerprint[12 + i] != out.key_id[i])
        return fail("an OpenPGP signature whose issuer key ID and fingerprint differ", unhashed_at);
  if (!r.has(2)) return fail("an OpenPGP signature cut short before its digest prefix", r.at);
  out.digest_prefix[0] = r.u8();
  out.digest_prefix[1] = r.u8();
  if (!d::read_mpi(r, out.rs.data(), why) || !d::read_mpi(r, out.rs.data() + 32, why)) return false;
  if (r.at != r.size) return fail("bytes after an OpenPGP signature's two MPIs", r.at);
  return true;
}

VITTE_DECL bool openpgp_verify(const openpgp_signature& s, const crypto::ed25519::public_key& pk,
                               std::uint32_t key_created, span<const std::byte> data, vitte::diagnostic* why) noexcept {
  const auto fail = [&](const char* w) {
    return refuse(why, errc::verification_failed, vitte::diagnostic::no_offset, {}, w);
  };
  if (s.key_id != openpgp_key_id(pk, key_created)) return fail("signed by another key (the OpenPGP key IDs differ)");
  std::uint8_t trailer[6] = {4, 0xff};
  vitte::detail::store_be<std::uint32_t>(trailer + 2, static_cast<std::uint32_t>(s.hashed.size()));
  std::uint8_t digest[64];
  std::size_t n = 0;
  if (s.hash == openpgp::hash_sha256) {
    crypto::sha256 h;
    h.update(data.data(), data.size());
    h.update(s.hashed.data(), s.hashed.size());
    h.update(trailer, sizeof trailer);
    const crypto::sha256::digest_type d = h.finish();
    for (; n < d.size(); ++n) digest[n] = d[n];
  } else if (s.hash == openpgp::hash_sha512) {
    crypto::sha512 h;
    h.update(data.data(), data.size());
    h.update(s.hashed.data(), s.hashed.size());
    h.update(trailer, sizeof trailer);
    const crypto::sha512::digest_type d = h.finish();
    for (; n < d.size(); ++n) digest[n] = d[n];
  } else {
    return fail("an OpenPGP signature whose hash is neither SHA-256 nor SHA-512");
  }
  if (digest[0] != s.digest_prefix[0] || digest[1] != s.digest_prefix[1])
    return fail("an OpenPGP signature of other data (the digest's first two bytes differ)");
  if (!crypto::ed25519::verify(pk, digest, n, s.rs)) return fail("an OpenPGP signature that does not verify (Ed25519)");
  return true;
}

VITTE_DECL bool openpgp_dearmor(text_view armored, text_view label, buffer<std::byte>& out, vitte::diagnostic* why) {
  const auto fail = [&](const char* w, std::size_t where) {
    return refuse(why, errc::malformed, where > armored.size() ? armored.size() : where, label, w);
  };
  // The lines, "\r\n" or "\n" ended; `pos` the start of the next.
  std::size_t pos = 0;
  const auto next_line = [&](text_view& line) {
    if (pos >= armored.size()) return false;
    std::size_t end = armored.find('\n', pos);
    if (end == text_view::npos) end = armored.size();
    line = armored.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = end + 1;
    return true;
  };
  const auto is_marker = [&](text_view line, text_view kind) {
    return line.size() == 10 + kind.size() + label.size() && line.starts_with("-----") &&
           line.substr(5, kind.size()) == kind && line.substr(5 + kind.size(), label.size()) == label &&
           line.ends_with("-----");
  };
  text_view line;
  bool begun = false;
  while (!begun && next_line(line)) begun = is_marker(line, "BEGIN ");
  if (!begun) return fail("no OpenPGP armor BEGIN line of that kind", armored.size());
  // Header lines ("Key: value") up to an empty line.
  for (;;) {
    if (!next_line(line)) return fail("an OpenPGP armor cut short in its headers", armored.size());
    if (line.empty()) break;
    if (line.find(": ") == text_view::npos) return fail("an OpenPGP armor header line without \": \"", pos);
  }
  std::string b64;
  text_view crc_line;
  const std::size_t body_at = pos;
  for (;;) {
    const std::size_t line_at = pos;
    if (!next_line(line)) return fail("an OpenPGP armor without its END line", armored.size());
    if (is_marker(line, "END ")) break;
    if (!crc_line.empty()) return fail("an OpenPGP armor with lines after its checksum", line_at);
    if (line.starts_with("=")) {
      crc_line = line.substr(1);
      if (crc_line.empty()) return fail("an OpenPGP armor checksum line without a checksum", line_at);
      continue;
    }
    b64.append(line.data(), line.size());
  }
  if (b64.size() % 4 != 0) return fail("an OpenPGP armor whose base64 is not a multiple of 4 digits", body_at);
  std::size_t pad = 0;
  while (pad < 2 && pad < b64.size() && b64[b64.size() - 1 - pad] == '=') ++pad;
  const std::size_t n = b64.size() / 4 * 3 - pad;
  buffer<std::byte> bytes(n);
  if (!vitte::detail::base64_decode(b64, reinterpret_cast<std::uint8_t*>(bytes.data()), n))
    return fail("an OpenPGP armor whose base64 does not decode", body_at);
  if (crc_line.empty()) return fail("an OpenPGP armor without its CRC-24 checksum", pos);
  std::uint8_t crc[4] = {};
  if (!vitte::detail::base64_decode(crc_line, crc + 1, 3))
    return fail("an OpenPGP armor checksum that is not 4 base64 digits", body_at);
  if (vitte::detail::load_be<std::uint32_t>(crc) != openpgp_crc24(bytes.span()))
    return fail("an OpenPGP armor whose CRC-24 differs from its data's", body_at);
  out = static_cast<buffer<std::byte>&&>(bytes);
  return true;
}

}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_OPENPGP_IPP
