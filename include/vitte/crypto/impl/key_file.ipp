// vitte/crypto/impl/key_file.ipp - vitte's key files read and written.
#ifndef VITTE_CRYPTO_IMPL_KEY_FILE_IPP
#define VITTE_CRYPTO_IMPL_KEY_FILE_IPP

#include <vitte/base/detail/hex.hpp>  // hex_encode, hex_value
#include <vitte/crypto/ed25519.hpp>   // wipe
#include <vitte/crypto/key_file.hpp>
#include <vitte/sys/whole_file.hpp>  // read_file_string, write_file

namespace vitte::crypto {

VITTE_DECL text key_file_text(span<const std::uint8_t> key) {
  text out(2 * key.size() + 1, '\n');
  ::vitte::detail::hex_encode(key.data(), key.size(), out.data());
  return out;
}

VITTE_DECL bool parse_key_file(text_view contents, span<std::uint8_t> out, diagnostic* why) noexcept {
  const auto bad = [&](const char* what, std::size_t at) {
    ed25519::wipe(out.data(), out.size());  // no half of a secret left behind
    if (why != nullptr) {
      why->clear();
      why->of(errc::malformed).at(at).say(what);
    }
    return false;
  };
  std::size_t digits = 0;
  int high = -1;
  for (std::size_t i = 0; i < contents.size(); ++i) {
    const char c = contents[i];
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    const int v = ::vitte::detail::hex_value(c);
    if (v < 0) return bad("not a hexadecimal digit", i);
    if (digits / 2 >= out.size()) return bad("more than the key's hexadecimal digits", i);
    if (high < 0) {
      high = v;
    } else {
      out[digits / 2] = static_cast<std::uint8_t>(high << 4 | v);
      high = -1;
    }
    ++digits;
  }
  if (digits != 2 * out.size()) {
    ed25519::wipe(out.data(), out.size());
    if (why != nullptr) {
      why->clear();
      why->of(errc::malformed).say("expected ").append(2 * out.size());
      why->append(" hexadecimal digits, found ").append(digits);
    }
    return false;
  }
  return true;
}

VITTE_DECL status read_key_file(text_view path, span<std::uint8_t> out, diagnostic* why) {
  // A key file is a line: read at most `limit` bytes, so /dev/zero or a
  // huge file is refused without reading it all.
  constexpr std::size_t limit = 4096;
  const auto failed = [&](vitte::error e) {
    if (why != nullptr) {
      why->clear();
      why->of(e).about(path);
    }
    return e;
  };
  result<sys::file> f = sys::file::open(path, sys::open_mode::read);
  if (!f) return failed(f.error());
  char contents[limit + 1];
  std::size_t n = 0;
  while (n <= limit) {
    result<std::size_t> got = f->read(as_writable_bytes(span<char>(contents + n, limit + 1 - n)));
    if (!got && got.error() == errc::interrupted) continue;
    if (!got) {
      ed25519::wipe(contents, n);
      return failed(got.error());
    }
    if (*got == 0) break;
    n += *got;
  }
  if (n > limit) {
    ed25519::wipe(contents, n);
    if (why != nullptr) {
      why->clear();
      why->of(errc::malformed).about(path).say("longer than a key file (").append(limit).append(" bytes at most)");
    }
    return error{errc::malformed};
  }
  const bool ok = parse_key_file(text_view(contents, n), out, why);
  ed25519::wipe(contents, n);
  if (ok) return {};
  if (why != nullptr) why->about(path);
  return error{errc::malformed};
}

VITTE_DECL status write_key_file(text_view path, span<const std::uint8_t> key, key_kind kind, diagnostic* why) {
  text contents = key_file_text(key);
  sys::write_options o;
  if (kind == key_kind::secret_seed) {
    o.permissions = 0600;
    o.exclusive = true;  // never replace a key
  }
  const status written = sys::write_file(path, contents.view(), o, why);
  ed25519::wipe(contents.data(), contents.size());
  return written;
}

}  // namespace vitte::crypto

#endif  // VITTE_CRYPTO_IMPL_KEY_FILE_IPP
