// vitte/loader/vitmod_file.hpp - open a .vitmod/.vitbc file: map it once,
// parse and verify that mapping, and hand out views into it.
//
//   vitte::loader::trust_store trusted;  trusted.add(key);
//   vitte::diagnostic why;
//   auto m = vitte::loader::open_vitmod("greeter.vitbc", trusted, vitte::loader::verify_policy::require, {}, &why);
//   if (!m) return report(why);   // "greeter.vitbc: at offset 0x2a8: signature block: unknown key id"
//   run(m->view.payload());                  // the very bytes that were verified
//
// Under verify_policy::require, section checksums are checked only when the
// signature fails (the signature covers them): one hashing pass.
//
// The file is mapped read-only once (vitte::sys::file_map); the checks and
// the use read the same pages, so nothing can swap the file between the
// check and the use (no check-then-reopen race). A writer that changes the
// file in place while it is mapped is the caller's to exclude (as for any
// mapped file); copying it first is the alternative for hostile writers.
#ifndef VITTE_LOADER_VITMOD_FILE_HPP
#define VITTE_LOADER_VITMOD_FILE_HPP

#include <vitte/base.hpp>
#include <vitte/loader/diagnostics.hpp>  // name_file, refuse
#include <vitte/loader/signature.hpp>
#include <vitte/loader/vitmod.hpp>
#include <vitte/sys/file_map.hpp>
#include <vitte/sys/platform.hpp>

#include <utility>  // std::move

namespace vitte::loader {

/// A mapped, parsed and (per policy) verified container.
template <class P = sys::platform>
struct basic_vitmod_file {
  sys::basic_file_map<P> map;  ///< Owns the bytes the view refers to.
  vitmod_view view;
  signature_check signature;  ///< Under warn: what went wrong, if anything.
};
using vitmod_file = basic_vitmod_file<>;

/// Maps `path`, parses the mapping and verifies its signature per `policy`.
/// Errors: mapping failures (the OS error), then those of parse() and
/// apply_policy(); `why` names the file (its subject) and says what was
/// wrong, where, and in which section.
template <class P = sys::platform>
result<basic_vitmod_file<P>> open_vitmod(const sys::path_arg& path, const trust_store& store, verify_policy policy,
                                         const vitmod_limits& limits = {}, vitte::diagnostic* why = nullptr) noexcept {
  const text_view name(path.c_str());
  auto named = [&](error e) {
    if (why != nullptr) detail::name_file(*why, name);
    return e;
  };
  auto map = sys::basic_file_map<P>::open(path);
  if (!map) {
    const error e = map.error();
    if (detail::refuse(why, e.kind(), vitte::diagnostic::no_offset, "cannot open or map the file: ") && why != nullptr)
      why->append(e.message().view());
    return named(e);
  }
  basic_vitmod_file<P> f;
  f.map = std::move(*map);
  const span<const std::byte> bytes{f.map.data(), f.map.size()};
  // Under `require` the signature covers every byte, section checksums
  // included, so they are only recomputed when it fails (to name the
  // damaged section): one SHA-256 pass over the file instead of two.
  vitmod_limits first = limits;
  if (policy == verify_policy::require) first.verify_checksums = false;
  result<vitmod_view> v = vitmod_view::parse(bytes, first, why);
  if (!v) return named(v.error());
  f.view = *v;
  if (error e = apply_policy(f.view, store, policy, f.signature)) {
    if (why != nullptr) *why = f.signature.why;
    if (!limits.verify_checksums) return named(e);
    // A damaged section is the better reason: name it.
    result<vitmod_view> again = vitmod_view::parse(bytes, limits, why);
    return named(again ? e : again.error());
  }
  return f;
}

}  // namespace vitte::loader

#endif  // VITTE_LOADER_VITMOD_FILE_HPP
