// vitte/loader/impl/isolated_host.ipp - the plugin host's calls into the plugin
// (vitte/loader/impl/isolated_host.hpp).
#ifndef VITTE_LOADER_IMPL_ISOLATED_HOST_IPP
#define VITTE_LOADER_IMPL_ISOLATED_HOST_IPP

#include <vitte/base.hpp>
#include <vitte/loader/detail/type_signature.hpp>  // signature_hash
#include <vitte/loader/isolated.hpp>               // with impl/isolated_host.hpp, a part of it
#include <vitte/loader/isolated_protocol.hpp>
#include <vitte/loader/symbol.hpp>

#include <cstddef>
#include <cstdint>
#include <string>   // std::to_string
#include <utility>  // std::move

namespace vitte::loader {

namespace detail {

VITTE_DECL wire::call_form host_form(const export_entry& e) noexcept {
  if (e.kind != export_kind::function) return wire::call_form::none;
  if (e.call != nullptr && !e.foreign) return wire::call_form::cells;
  if (e.foreign) return wire::call_form::none;
  if (e.signature == signature_hash<std::size_t(const char*, std::size_t, char*, std::size_t)>)
    return wire::call_form::text;
  if (e.signature == signature_hash<std::size_t(const unsigned char*, std::size_t, unsigned char*, std::size_t)>)
    return wire::call_form::bytes;
  return wire::call_form::none;
}

VITTE_DECL wire::reply refused(errc why, text message) {
  wire::reply r;
  r.kind = wire::message::refused;
  r.code = static_cast<std::uint8_t>(why);
  r.text = std::move(message);
  if (r.text.size() > wire::max_name) r.text.resize(wire::max_name);
  return r;
}

VITTE_DECL wire::reply host_call(const export_entry& e, const wire::call& c) {
  wire::reply r;
  r.form = c.form;
  if (c.form == wire::call_form::cells) {
    std::uint64_t args[wire::max_cells] = {};
    for (std::size_t i = 0; i < c.cells.size(); ++i) args[i] = c.cells[i];
    std::uint64_t result = 0;
    if (int rc = e.call(e.address, args, &result); rc != 0)
      return refused(errc::unknown, "the export failed (code " + std::to_string(rc) + ")");
    r.value = result;
    return r;
  }
  text out(c.out_capacity, '\0');
  if (c.form == wire::call_form::text) {
    auto* f = reinterpret_cast<std::size_t (*)(const char*, std::size_t, char*, std::size_t)>(
        reinterpret_cast<std::uintptr_t>(e.address));
    r.value = f(c.input.data(), c.input.size(), out.data(), out.size());
  } else {
    auto* f = reinterpret_cast<std::size_t (*)(const unsigned char*, std::size_t, unsigned char*, std::size_t)>(
        reinterpret_cast<std::uintptr_t>(e.address));
    r.value = f(reinterpret_cast<const unsigned char*>(c.input.data()), c.input.size(),
                reinterpret_cast<unsigned char*>(out.data()), out.size());
  }
  out.resize(r.value < out.size() ? static_cast<std::size_t>(r.value) : out.size());
  r.output = std::move(out);
  return r;
}

}  // namespace detail

}  // namespace vitte::loader

#endif  // VITTE_LOADER_IMPL_ISOLATED_HOST_IPP
