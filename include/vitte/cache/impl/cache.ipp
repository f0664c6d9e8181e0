// vitte/cache/impl/cache.ipp - the manifests and results of the build
// cache (vitte/cache/cache.hpp): seals, manifests read and written, and the
// dependency sets a server sends checked and merged (impl/remote_tier.hpp).
#ifndef VITTE_CACHE_IMPL_CACHE_IPP
#define VITTE_CACHE_IMPL_CACHE_IPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/detail/endian.hpp>
#include <vitte/base/span.hpp>
#include <vitte/cache/cache.hpp>
#include <vitte/cache/detail/record.hpp>
#include <vitte/cache/fingerprint.hpp>
#include <vitte/crypto/sha256.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace vitte::cache::detail {

// Appends the SHA-256 of everything before it.
VITTE_DECL void seal(buffer<std::byte>& b) {
  const auto d = crypto::sha256::hash(b.data(), b.size());
  b.append(reinterpret_cast<const std::byte*>(d.data()), d.size());
}

// The sealed bytes without their digest, when the digest matches and the
// magic and version are the expected ones; an empty span otherwise.
VITTE_DECL span<const std::byte> unseal(span<const std::byte> b, const char (&magic)[8]) {
  if (b.size() < 8 + 4 + 32) return {};
  const span<const std::byte> body = b.first(b.size() - 32);
  const auto d = crypto::sha256::hash(body.data(), body.size());
  if (std::memcmp(d.data(), b.data() + body.size(), 32) != 0) return {};
  if (std::memcmp(body.data(), magic, 8) != 0) return {};
  if (vitte::detail::load_le<std::uint32_t>(body.data() + 8) != cache_format_version) return {};
  return body.subspan(12);
}

// A manifest's candidates, oldest first; false when it does not parse.
VITTE_DECL bool parse_manifest(span<const std::byte> body, buffer<candidate>& out) {
  record_reader r(body);
  const std::uint32_t n = r.get_count(32 + 4);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    candidate c;
    c.result = r.get_digest();
    const std::uint32_t k = r.get_count(4 + 32);
    c.dependencies.reserve(k);
    for (std::uint32_t j = 0; j < k && r.ok(); ++j) {
      file_record f;
      f.path = text(r.get_text());
      f.version.content = r.get_digest();
      c.dependencies.push_back(std::move(f));
    }
    out.push_back(std::move(c));
  }
  return r.at_end();
}

VITTE_DECL buffer<std::byte> write_manifest(const buffer<candidate>& list) {
  buffer<std::byte> b;
  record_writer w(b);
  w.put_bytes(manifest_magic, 8);
  w.put(cache_format_version);
  w.put(static_cast<std::uint32_t>(list.size()));
  for (const candidate& c : list) {
    w.put_digest(c.result);
    w.put(static_cast<std::uint32_t>(c.dependencies.size()));
    for (const file_record& f : c.dependencies) {
      w.put_text(f.path);
      w.put_digest(f.version.content);
    }
  }
  seal(b);
  return b;
}

// A manifest's candidates whose result keys are what their dependency sets
// make them (a server cannot point a set at another result).
VITTE_DECL bool consistent(const fingerprint& mkey, const candidate& c) {
  hasher rh;
  rh.add("vitte.cache.result").add(mkey).add(std::uint64_t{c.dependencies.size()});
  for (const file_record& f : c.dependencies) rh.add(f.path).add(f.version.content);
  return rh.finish() == c.result;
}

// `theirs` then `ours` (newest last), each result once, at most `max` kept.
VITTE_DECL buffer<candidate> merge_candidates(buffer<candidate> theirs, buffer<candidate> ours, std::size_t max) {
  buffer<candidate> all;
  for (auto* list : {&theirs, &ours})
    for (candidate& c : *list) {
      for (std::size_t i = 0; i < all.size(); ++i)
        if (all[i].result == c.result) {
          all.erase(all.data() + i);
          break;
        }
      all.push_back(std::move(c));
    }
  if (max == 0) max = 1;
  if (all.size() <= max) return all;
  buffer<candidate> kept;
  for (std::size_t i = all.size() - max; i < all.size(); ++i) kept.push_back(std::move(all[i]));
  return kept;
}

}  // namespace vitte::cache::detail

#endif  // VITTE_CACHE_IMPL_CACHE_IPP
