// vitte/loader/impl/bind.ipp - a row's name split at its symbol version,
// and the refusal of a row whose signature is not the module's
// (vitte/loader/bind.hpp).
#ifndef VITTE_LOADER_IMPL_BIND_IPP
#define VITTE_LOADER_IMPL_BIND_IPP

#include <vitte/base.hpp>
#include <vitte/base/diagnostic_list.hpp>
#include <vitte/loader/bind.hpp>

namespace vitte::loader::detail {

VITTE_DECL symbol_name split_version(text_view row) noexcept {
  const std::size_t at = row.find('@');
  if (at == text_view::npos) return {row, {}};
  const std::size_t version = at + 1 < row.size() && row[at + 1] == '@' ? at + 2 : at + 1;
  return {row.substr(0, at), row.substr(version)};
}

VITTE_DECL void mismatch(diagnostic_list& why, const binding& b, const bound_symbol& s) {
  diagnostic d;
  d.of(errc::verification_failed).about(b.name);
  if (s.kind != b.kind) {
    d.say("the header declares a ")
        .append(to_string(b.kind))
        .append(", the module exports a ")
        .append(to_string(s.kind));
  } else {
    d.say("the header's signature ")
        .append(b.spelling)
        .append(" (")
        .append(b.signature, true)
        .append(") is not the module's (")
        .append(s.signature, true)
        .append(")");
  }
  why.add(d);
}

}  // namespace vitte::loader::detail

#endif  // VITTE_LOADER_IMPL_BIND_IPP
