// vitte/crypto/key_file.hpp - vitte's key files: an Ed25519 seed or public
// key as 64 lower-case hexadecimal digits and a newline.
//
//   vitte::crypto::ed25519::seed s;
//   vitte::diagnostic why;
//   if (!vitte::crypto::read_key_file("release.key", s, &why))
//     std::puts(why.format().c_str());   // "release.key: expected 64 hexadecimal digits"
//   vitte::crypto::write_key_file("release.pub", kp.public_key, vitte::crypto::key_kind::public_key);
//
// What `vitte keygen` writes and `vitte pack`, `sign` and `verify` read (a
// signify key is another format: vitte/release/signify.hpp). Reading ignores
// whitespace around and between the digits; writing a secret key creates the
// file with mode 0600 and never replaces one. The text of a secret key is
// wiped from memory once written or read.
#ifndef VITTE_CRYPTO_KEY_FILE_HPP
#define VITTE_CRYPTO_KEY_FILE_HPP

#include <vitte/base/config.hpp>      // VITTE_DECL
#include <vitte/base/diagnostic.hpp>  // what was wrong, about which file
#include <vitte/base/result.hpp>      // status
#include <vitte/base/span.hpp>        // the key's bytes
#include <vitte/base/text.hpp>        // the file's text
#include <vitte/base/text_view.hpp>   // paths and contents

#include <cstdint>  // std::uint8_t

namespace vitte::crypto {

/// What a key file holds: a secret seed (written 0600, exclusive) or a public key.
enum class key_kind : std::uint8_t { secret_seed, public_key };

/// The text of a key file: the bytes of `key` in hex, then a newline.
VITTE_DECL text key_file_text(span<const std::uint8_t> key);

/// Reads the key in `contents` into `out` (its size is the key's); false
/// when it is not exactly 2 * out.size() hexadecimal digits with whitespace
/// around. `why` (when not null) says what was wrong (errc::malformed).
VITTE_DECL bool parse_key_file(text_view contents, span<std::uint8_t> out, diagnostic* why = nullptr) noexcept;

/// Reads the key file at `path` into `out`. Errors: those of reading the
/// file (not_found, permission_denied, ...), malformed; `why` names `path`.
VITTE_DECL status read_key_file(text_view path, span<std::uint8_t> out, diagnostic* why = nullptr);

/// Writes `key` to `path`: a secret seed with mode 0600 and never over an
/// existing file (already_exists), a public key replacing what is there.
/// Errors: those of writing the file; `why` names `path`.
VITTE_DECL status write_key_file(text_view path, span<const std::uint8_t> key, key_kind kind,
                                 diagnostic* why = nullptr);

}  // namespace vitte::crypto

#if VITTE_HEADER_ONLY
#include <vitte/crypto/impl/key_file.ipp>
#endif

#endif  // VITTE_CRYPTO_KEY_FILE_HPP
