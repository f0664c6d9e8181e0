// vitte/loader/impl/signature.ipp - the trust store and signature checks (vitte/loader/signature.hpp).
#ifndef VITTE_LOADER_IMPL_SIGNATURE_IPP
#define VITTE_LOADER_IMPL_SIGNATURE_IPP

#include <vitte/base.hpp>
#include <vitte/crypto/ed25519.hpp>
#include <vitte/loader/diagnostics.hpp>
#include <vitte/loader/signature.hpp>
#include <vitte/loader/vitmod.hpp>

#include <cstdint>
#include <cstring>  // std::memcmp, std::memcpy
#include <span>     // the signed message
#include <utility>  // std::move

namespace vitte::loader {

VITTE_DECL loader::key_id trust_store::add(const crypto::ed25519::public_key& key, text name) {
  const loader::key_id id = key_id_of(key);
  for (entry& e : entries_)
    if (e.id == id) return e.name = std::move(name), id;
  entries_.push_back({id, key, std::move(name)});
  return id;
}

VITTE_DECL const trust_store::entry* trust_store::find(span<const std::uint8_t> id) const noexcept {
  if (id.size() != vitmod::key_id_size) return nullptr;
  for (const entry& e : entries_)
    if (std::memcmp(e.id.data(), id.data(), id.size()) == 0) return &e;
  return nullptr;
}

namespace detail {
// A refusal at `field` of the signature block, which it names.
VITTE_DECL void signature_error(vitte::diagnostic& why, const vitmod_view& c, std::uint64_t field,
                                const char* what) noexcept {
  (void)refuse(&why, errc::verification_failed, c.signature_offset() + field, what);
  why.about("signature block");
}
VITTE_DECL void verify_with(vitte::diagnostic& why, const vitmod_view& c,
                            const crypto::ed25519::public_key& key) noexcept {
  const auto msg = signed_message(c.signed_bytes());
  const auto status = crypto::ed25519::verify_detailed(key, std::as_bytes(std::span{msg}), [&] {
    crypto::ed25519::signature s{};
    std::memcpy(s.data(), c.signature().data(), s.size());
    return s;
  }());
  if (status == crypto::ed25519::verify_status::ok) return;
  if (status == crypto::ed25519::verify_status::bad_public_key) {
    (void)refuse(&why, errc::verification_failed, vitte::diagnostic::no_offset, "trusted key is not a valid point");
    return;
  }
  signature_error(why, c, 24, "signature does not match");
}
}  // namespace detail

VITTE_DECL signature_check verify_signature(const vitmod_view& c, const crypto::ed25519::public_key& key) noexcept {
  signature_check r;
  if (!c.is_signed()) {
    (void)detail::refuse(&r.why, errc::verification_failed, c.signature_offset(), "container is not signed");
    return r;
  }
  const loader::key_id id = key_id_of(key);
  if (std::memcmp(id.data(), c.key_id().data(), id.size()) != 0)
    return detail::signature_error(r.why, c, 8, "signed by another key"), r;
  detail::verify_with(r.why, c, key);
  r.verified = !r.why;
  return r;
}

VITTE_DECL signature_check verify_signature(const vitmod_view& c, const trust_store& store) noexcept {
  signature_check r;
  if (!c.is_signed()) {
    (void)detail::refuse(&r.why, errc::verification_failed, c.signature_offset(), "container is not signed");
    return r;
  }
  const trust_store::entry* e = store.find(c.key_id());
  if (e == nullptr) return detail::signature_error(r.why, c, 8, "unknown key id"), r;
  detail::verify_with(r.why, c, e->key);
  r.verified = !r.why;
  r.signer = r.verified ? e : nullptr;
  return r;
}

VITTE_DECL error apply_policy(const vitmod_view& c, const trust_store& store, verify_policy policy,
                              signature_check& check) noexcept {
  check = {};
  if (policy == verify_policy::off) return {};
  check = verify_signature(c, store);
  if (policy == verify_policy::warn || check.verified) return {};
  return error{check.why.kind(), ops::module_read};
}

}  // namespace vitte::loader

#endif  // VITTE_LOADER_IMPL_SIGNATURE_IPP
