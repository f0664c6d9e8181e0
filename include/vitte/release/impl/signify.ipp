// vitte/release/impl/signify.ipp - signify's files (vitte/release/signify.hpp).
#ifndef VITTE_RELEASE_IMPL_SIGNIFY_IPP
#define VITTE_RELEASE_IMPL_SIGNIFY_IPP

#include <vitte/base/detail/base64.hpp>
#include <vitte/base/detail/hex.hpp>  // to_hex: key numbers
#include <vitte/crypto/sha256.hpp>
#include <vitte/crypto/sha512.hpp>
#include <vitte/release/signify.hpp>

#include <cstring>

namespace vitte::release::signify {

namespace detail {

inline constexpr text_view comment_prefix = "untrusted comment: ";
inline constexpr std::size_t public_size = 2 + 8 + 32;
inline constexpr std::size_t signature_size = 2 + 8 + 64;
inline constexpr std::size_t secret_size = 2 + 2 + 4 + 16 + 8 + 8 + 64;

VITTE_DECL text file_of(text_view comment, const std::uint8_t* record, std::size_t n) {
  text f(comment_prefix);
  f += comment;
  f += '\n';
  f += vitte::detail::base64_encode(record, n);
  f += '\n';
  return f;
}

/// Reads the two lines of `file` into `record` (exactly `n` bytes); the
/// rest of the file (an embedded message) goes to `rest`.
VITTE_DECL status read_record(text_view file, std::uint8_t* record, std::size_t n, text_view* rest,
                              vitte::diagnostic* why) {
  const auto bad = [&](const char* what) -> vitte::error {
    if (why != nullptr) why->clear(), why->of(errc::malformed).say(what);
    return vitte::error{errc::malformed, ops::signify};
  };
  const std::size_t first = file.find('\n');
  if (first == text_view::npos || !file.starts_with(comment_prefix))
    return bad("the first line is not \"untrusted comment: ...\"");
  if (first > 1024) return bad("the comment line is longer than 1024 bytes");
  const std::size_t second = file.find('\n', first + 1);
  if (second == text_view::npos) return bad("the base64 line does not end with a newline");
  if (!vitte::detail::base64_decode(file.substr(first + 1, second - first - 1), record, n))
    return bad("the second line is not the base64 of a record of the expected size");
  if (record[0] != 'E' || record[1] != 'd') return bad("not an Ed25519 record (\"Ed\")");
  if (rest != nullptr)
    *rest = file.substr(second + 1);
  else if (second + 1 != file.size())
    return bad("bytes after the base64 line");
  return {};
}

VITTE_DECL void put_number(std::uint8_t* p, const key_number& n) { std::memcpy(p, n.data(), n.size()); }

}  // namespace detail

VITTE_DECL secret_key from_key_pair(const crypto::ed25519::key_pair& kp) noexcept {
  secret_key k;
  k.pair = kp;
  k.number = from_public_key(kp.public_key).number;
  return k;
}

VITTE_DECL public_key public_of(const secret_key& k) noexcept { return {k.number, k.pair.public_key}; }

VITTE_DECL public_key from_public_key(const crypto::ed25519::public_key& k) noexcept {
  public_key p;
  p.key = k;
  const auto d = crypto::sha256::hash(k.data(), k.size());
  std::memcpy(p.number.data(), d.data(), p.number.size());
  return p;
}

VITTE_DECL void wipe(secret_key& k) noexcept { crypto::ed25519::wipe(&k.pair, sizeof k.pair); }

VITTE_DECL text to_hex(const key_number& n) {
  char digits[2 * sizeof n];
  vitte::detail::hex_encode(n.data(), n.size(), digits);
  return text(text_view(digits, sizeof digits));
}

VITTE_DECL text public_key_file(const public_key& k, text_view comment) {
  std::uint8_t r[detail::public_size] = {'E', 'd'};
  detail::put_number(r + 2, k.number);
  std::memcpy(r + 10, k.key.data(), k.key.size());
  return detail::file_of(comment, r, sizeof r);
}

VITTE_DECL text secret_key_file(const secret_key& k, text_view comment) {
  std::uint8_t r[detail::secret_size] = {'E', 'd', 'B', 'K'};  // rounds 0 and a zero salt: no passphrase
  std::uint8_t* secret = r + 40;
  std::memcpy(secret, k.pair.seed.data(), 32);
  std::memcpy(secret + 32, k.pair.public_key.data(), 32);
  const auto sum = crypto::sha512::hash(secret, 64);
  std::memcpy(r + 24, sum.data(), 8);
  detail::put_number(r + 32, k.number);
  text f = detail::file_of(comment, r, sizeof r);
  crypto::ed25519::wipe(r, sizeof r);
  return f;
}

VITTE_DECL result<public_key> read_public_key(text_view file, vitte::diagnostic* why) {
  std::uint8_t r[detail::public_size];
  if (status s = detail::read_record(file, r, sizeof r, nullptr, why); !s) return s.error();
  public_key k;
  std::memcpy(k.number.data(), r + 2, 8);
  std::memcpy(k.key.data(), r + 10, 32);
  return k;
}

VITTE_DECL result<secret_key> read_secret_key(text_view file, vitte::diagnostic* why) {
  std::uint8_t r[detail::secret_size];
  if (status s = detail::read_record(file, r, sizeof r, nullptr, why); !s) return s.error();
  const auto fail = [&](errc kind, const char* what) -> vitte::error {
    crypto::ed25519::wipe(r, sizeof r);
    if (why != nullptr) why->clear(), why->of(kind).say(what);
    return vitte::error{kind, ops::signify};
  };
  if (r[2] != 'B' || r[3] != 'K') return fail(errc::malformed, "not a bcrypt-pbkdf key record (\"BK\")");
  if ((r[4] | r[5] | r[6] | r[7]) != 0)
    return fail(errc::not_supported, "the key is protected by a passphrase (make one with signify -G -n)");
  const std::uint8_t* secret = r + 40;
  const auto sum = crypto::sha512::hash(secret, 64);
  if (std::memcmp(sum.data(), r + 24, 8) != 0) return fail(errc::verification_failed, "the key's checksum is wrong");
  secret_key k;
  std::memcpy(k.number.data(), r + 32, 8);
  std::memcpy(k.pair.seed.data(), secret, 32);
  k.pair = crypto::ed25519::key_pair_from_seed(k.pair.seed);
  if (std::memcmp(k.pair.public_key.data(), secret + 32, 32) != 0) {
    wipe(k);
    return fail(errc::verification_failed, "the key's public half does not match its secret");
  }
  crypto::ed25519::wipe(r, sizeof r);
  return k;
}

VITTE_DECL text sign(const secret_key& k, span<const std::byte> message, text_view comment, bool embed) {
  const crypto::ed25519::signature sig = crypto::ed25519::sign(k.pair, message);
  std::uint8_t r[detail::signature_size] = {'E', 'd'};
  detail::put_number(r + 2, k.number);
  std::memcpy(r + 10, sig.data(), sig.size());
  text f = detail::file_of(comment, r, sizeof r);
  if (embed) f.append(reinterpret_cast<const char*>(message.data()), message.size());
  return f;
}

namespace detail {
VITTE_DECL status check(const public_key& k, const std::uint8_t* r, span<const std::byte> message,
                        vitte::diagnostic* why) {
  const auto bad = [&](const char* what) -> vitte::error {
    if (why != nullptr) why->clear(), why->of(errc::verification_failed).say(what);
    return vitte::error{errc::verification_failed, ops::signify};
  };
  if (std::memcmp(r + 2, k.number.data(), 8) != 0) {
    const vitte::error e = bad("signed by another key (its key number differs): signed by key ");
    if (why != nullptr) {
      char digits[2 * sizeof k.number];
      vitte::detail::hex_encode(r + 2, sizeof digits / 2, digits);
      why->append(text_view(digits, sizeof digits)).append(", the key given is ");
      vitte::detail::hex_encode(k.number.data(), k.number.size(), digits);
      why->append(text_view(digits, sizeof digits));
    }
    return e;
  }
  crypto::ed25519::signature sig;
  std::memcpy(sig.data(), r + 10, sig.size());
  if (!crypto::ed25519::verify(k.key, message, sig)) return bad("the signature does not match");
  return {};
}
}  // namespace detail

VITTE_DECL status verify(const public_key& k, text_view signature_file, span<const std::byte> message,
                         vitte::diagnostic* why) {
  std::uint8_t r[detail::signature_size];
  if (status s = detail::read_record(signature_file, r, sizeof r, nullptr, why); !s) return s;
  return detail::check(k, r, message, why);
}

VITTE_DECL result<text_view> verify_embedded(const public_key& k, text_view signature_file, vitte::diagnostic* why) {
  std::uint8_t r[detail::signature_size];
  text_view message;
  if (status s = detail::read_record(signature_file, r, sizeof r, &message, why); !s) return s.error();
  const span<const std::byte> bytes(reinterpret_cast<const std::byte*>(message.data()), message.size());
  if (status s = detail::check(k, r, bytes, why); !s) return s.error();
  return message;
}

}  // namespace vitte::release::signify

#endif  // VITTE_RELEASE_IMPL_SIGNIFY_IPP
