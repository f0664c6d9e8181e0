// Crypto benchmarks: vitte's SHA-256 and SHA-512 against OpenSSL's
// libcrypto on 1 MiB buffers, and Ed25519 signing and verification against
// libsodium, in the same run. Prints JSON lines (docs/BENCHMARKS.md).
// Baselines that were not found at build time are left out (the vitte
// figure is still printed, against itself, so the run shows it).
//
//   crypto.sha256.1MiB   one-shot digest of 1 MiB (SHA-NI / ARMv8 SHA2 when present)
//   crypto.sha512.1MiB   one-shot digest of 1 MiB
//   crypto.ed25519.sign  a 64-byte message
//   crypto.ed25519.verify
//   loader.vitmod.open_verify.10MiB   map, parse (every checksum) and verify a
//                                     signed 10 MiB container, against one
//                                     SHA-256 pass over the same bytes; also
//                                     printed as MB/s (a "#" line)
#include <vitte/crypto/ed25519.hpp>
#include <vitte/crypto/sha256.hpp>
#include <vitte/crypto/sha512.hpp>
#include <vitte/loader/vitmod_file.hpp>
#include <vitte/sys/directory.hpp>
#include <vitte/sys/path.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/whole_file.hpp>

#include "harness.hpp"

#if VITTE_BENCH_HAS_OPENSSL
#include <openssl/evp.h>
#endif
#if VITTE_BENCH_HAS_SODIUM
#include <sodium.h>
#endif

#include <cstdint>
#include <cstdio>
#include <vector>

namespace crypto = vitte::crypto;
namespace ed = vitte::crypto::ed25519;

int main() {
  std::vector<std::uint8_t> buf(1 << 20);
  for (std::size_t i = 0; i < buf.size(); ++i) buf[i] = static_cast<std::uint8_t>(i * 31 + (i >> 9));

  {
    bench::suite s{"crypto.sha256.1MiB"};
    s.add("vitte", [&] { return crypto::sha256::hash(buf.data(), buf.size())[0]; });
#if VITTE_BENCH_HAS_OPENSSL
    s.add("openssl", [&] {
      unsigned char md[32];
      unsigned len = 0;
      EVP_Digest(buf.data(), buf.size(), md, &len, EVP_sha256(), nullptr);
      return md[0];
    });
#else
    s.add("vitte-again", [&] { return crypto::sha256::hash(buf.data(), buf.size())[0]; });
#endif
    s.run();
  }
  {
    bench::suite s{"crypto.sha512.1MiB"};
    s.add("vitte", [&] { return crypto::sha512::hash(buf.data(), buf.size())[0]; });
#if VITTE_BENCH_HAS_OPENSSL
    s.add("openssl", [&] {
      unsigned char md[64];
      unsigned len = 0;
      EVP_Digest(buf.data(), buf.size(), md, &len, EVP_sha512(), nullptr);
      return md[0];
    });
#else
    s.add("vitte-again", [&] { return crypto::sha512::hash(buf.data(), buf.size())[0]; });
#endif
    s.run();
  }

  ed::seed seed{};
  for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<std::uint8_t>(i * 7 + 1);
  const ed::key_pair kp = ed::key_pair_from_seed(seed);
  std::uint8_t msg[64];
  for (std::size_t i = 0; i < sizeof msg; ++i) msg[i] = static_cast<std::uint8_t>(i);
  const ed::signature sig = ed::sign(kp, msg, sizeof msg);
#if VITTE_BENCH_HAS_SODIUM
  if (sodium_init() < 0) return 1;
  unsigned char sodium_pk[32], sodium_sk[64], sodium_sig[64];
  crypto_sign_seed_keypair(sodium_pk, sodium_sk, seed.data());
  crypto_sign_detached(sodium_sig, nullptr, msg, sizeof msg, sodium_sk);
#endif
  {
    bench::suite s{"crypto.ed25519.sign"};
    s.add("vitte", [&] { return ed::sign(kp, msg, sizeof msg)[0]; });
#if VITTE_BENCH_HAS_SODIUM
    s.add("libsodium", [&] {
      unsigned char out[64];
      crypto_sign_detached(out, nullptr, msg, sizeof msg, sodium_sk);
      return out[0];
    });
#else
    s.add("vitte-again", [&] { return ed::sign(kp, msg, sizeof msg)[0]; });
#endif
    s.run();
  }
  {
    bench::suite s{"crypto.ed25519.verify"};
    s.add("vitte", [&] { return ed::verify(kp.public_key, msg, sizeof msg, sig); });
#if VITTE_BENCH_HAS_SODIUM
    s.add("libsodium", [&] { return crypto_sign_verify_detached(sodium_sig, msg, sizeof msg, sodium_pk) == 0; });
#else
    s.add("vitte-again", [&] { return ed::verify(kp.public_key, msg, sizeof msg, sig); });
#endif
    s.run();
  }
  {
    // A signed 10 MiB container in a temporary directory.
    auto dir = vitte::sys::temp_directory::create().value();
    const std::string path = vitte::sys::path_join(dir.path(), "big.vitbc");
    vitte::loader::vitmod_builder b;
    b.manifest.name = "big";
    b.manifest.version = "1.0.0";
    b.payload.resize(10 << 20);
    for (std::size_t i = 0; i < b.payload.size(); ++i) b.payload[i] = static_cast<std::byte>(i * 13 + (i >> 11));
    const std::vector<std::byte> file = b.build(&kp);
    vitte::sys::write_file(path, file).value();
    vitte::loader::trust_store store;
    store.add(kp.public_key);
    bench::suite s{"loader.vitmod.open_verify.10MiB"};
    s.add("vitte", [&] {
      auto f = vitte::loader::open_vitmod(path, store, vitte::loader::verify_policy::require);
      return f.has_value() && f->signature.verified;
    });
    s.add("sha256-one-pass", [&] { return crypto::sha256::hash(file.data(), file.size())[0]; });
    const auto stats = s.run();
    std::printf("# loader.vitmod.open_verify.10MiB: %.0f MB/s (one SHA-256 pass: %.0f MB/s)\n",
                static_cast<double>(file.size()) / stats[0].median_ns * 1e3,
                static_cast<double>(file.size()) / stats[1].median_ns * 1e3);
  }
  return 0;
}
