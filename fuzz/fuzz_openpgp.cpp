// libFuzzer target: OpenPGP signature packets and ASCII armor
// (release/detail/openpgp.hpp), hostile bytes. The first byte picks the
// reader (mod 3):
// 0 openpgp_read_signature() on the rest, then openpgp_verify() of what it
//   read against a fixed key and the empty data;
// 1 openpgp_dearmor() on the rest as text, for a public key block and for a
//   signature;
// 2 the writers: openpgp_sign() of the rest (time from its first 4 bytes)
//   and openpgp_public_key_block() with the rest as user ID, read back.
// None may crash, hang or read out of bounds, and what they promise is
// checked: a signature read has its hashed part inside the input (from its
// version byte), a key ID that ends its fingerprint when it has one, R and S
// zero-extended from at most 32 bytes; an armor read gives no more bytes
// than its base64 holds, with the CRC-24 it carries; a reader's failure is
// errc::malformed with a message and an offset inside the input
// (release_refusal.hpp), a verification's errc::verification_failed with a
// message; what the writers make reads back and verifies. Build and run like fuzz/run.sh does; seeds:
// fuzz/corpus/openpgp (our signatures and key block, gpg's, cut ones).
#include <vitte/release/detail/openpgp.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "release_refusal.hpp"  // check_refusal

namespace bd = vitte::release::detail;

namespace {

const vitte::crypto::ed25519::key_pair& fixed_key() {
  static const vitte::crypto::ed25519::key_pair kp = vitte::crypto::ed25519::key_pair_from_seed({});
  return kp;
}

void read_signature(vitte::span<const std::byte> in) {
  bd::openpgp_signature s;
  vitte::diagnostic why;
  if (!bd::openpgp_read_signature(in, s, &why)) return release_fuzz::check_refusal(why, in.size());
  if (s.hashed.size() < 6 || s.hashed.data() < in.data() || s.hashed.data() + s.hashed.size() > in.data() + in.size())
    std::abort();
  if (s.hashed[0] != std::byte{4} || std::to_integer<std::uint8_t>(s.hashed[1]) != s.type) std::abort();
  if (s.hash != bd::openpgp::hash_sha256 && s.hash != bd::openpgp::hash_sha512) std::abort();
  if (s.has_fingerprint)
    for (std::size_t i = 0; i < 8; ++i)
      if (s.fingerprint[12 + i] != s.key_id[i]) std::abort();
  if (!bd::openpgp_verify(s, fixed_key().public_key, 0, {}, &why) &&
      (why.kind() != vitte::errc::verification_failed || why.message().empty()))
    std::abort();
}

void dearmor(vitte::span<const std::byte> in) {
  const vitte::text_view text(reinterpret_cast<const char*>(in.data()), in.size());
  for (const char* label : {"PGP PUBLIC KEY BLOCK", "PGP SIGNATURE"}) {
    vitte::buffer<std::byte> out;
    vitte::diagnostic why;
    if (!bd::openpgp_dearmor(text, label, out, &why)) {
      release_fuzz::check_refusal(why, in.size());
      continue;
    }
    if (out.size() > in.size() / 4 * 3) std::abort();
  }
}

void write_and_read(vitte::span<const std::byte> in) {
  if (in.size() < 4) return;
  const std::uint32_t when = vitte::detail::load_be<std::uint32_t>(in.data());
  const vitte::span<const std::byte> data(in.data() + 4, in.size() - 4);
  const auto& kp = fixed_key();
  auto packet = bd::openpgp_sign(kp, data, when, when / 2);
  if (!packet) std::abort();
  bd::openpgp_signature s;
  if (!bd::openpgp_read_signature(packet->span(), s)) std::abort();
  if (s.created != when || s.type != bd::openpgp::sig_binary || s.hash != bd::openpgp::hash_sha256) std::abort();
  if (!bd::openpgp_verify(s, kp.public_key, when / 2, data)) std::abort();
  const vitte::text_view user_id(reinterpret_cast<const char*>(data.data()), data.size());
  auto block = bd::openpgp_public_key_block(kp, user_id, when);
  if (!block) {
    if (user_id.find('\0') == vitte::text_view::npos && user_id.find('\n') == vitte::text_view::npos &&
        user_id.find('\r') == vitte::text_view::npos)
      std::abort();
    return;
  }
  vitte::buffer<std::byte> packets;
  if (!bd::openpgp_dearmor(block->view(), "PGP PUBLIC KEY BLOCK", packets)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > (1u << 16)) return 0;
  const vitte::span<const std::byte> in(reinterpret_cast<const std::byte*>(data + 1), size - 1);
  switch (data[0] % 3) {
    case 0:
      read_signature(in);
      break;
    case 1:
      dearmor(in);
      break;
    default:
      write_and_read(in);
      break;
  }
  return 0;
}
