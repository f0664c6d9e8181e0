// vitte/loader/impl/wasm_module.ipp - .wasm files as modules (vitte/loader/wasm_module.hpp):
// the vitte.module section and the module model read from a file.
#ifndef VITTE_LOADER_IMPL_WASM_MODULE_IPP
#define VITTE_LOADER_IMPL_WASM_MODULE_IPP

#include <vitte/base.hpp>
#include <vitte/base/detail/hash.hpp>  // content_hash, fnv1a
#include <vitte/loader/diagnostics.hpp>
#include <vitte/loader/module.hpp>
#include <vitte/loader/operations.hpp>
#include <vitte/loader/vitmod.hpp>  // payload_kind
#include <vitte/loader/wasm_module.hpp>

#include <cstddef>
#include <cstdint>
#include <utility>  // std::pair

namespace vitte::loader {

namespace detail {

struct wasm_reader {
  span<const std::byte> b;
  std::size_t at = 0;
  std::size_t end = 0;
  vitte::diagnostic* why = nullptr;
  bool ok = true;
  errc kind = errc::ok;  // the first failure's

  bool fail(const char* what, errc k = errc::malformed) {
    if (ok) (void)refuse(why, k, at, what);
    if (ok) kind = k;
    ok = false;
    return false;
  }
  std::uint8_t byte() {
    if (!ok) return 0;
    if (at >= end) return fail("unexpected end"), 0;
    return static_cast<std::uint8_t>(b[at++]);
  }
  std::uint32_t u32() {
    std::uint32_t v = 0;
    for (unsigned shift = 0; ok; shift += 7) {
      std::uint8_t c = byte();
      if (shift == 28 && (c & 0x70) != 0) return fail("integer too large"), 0;
      v |= std::uint32_t{c & 0x7fu} << shift;
      if ((c & 0x80) == 0) return v;
      if (shift == 28) return fail("integer too long"), 0;
    }
    return 0;
  }
  text_view name() {
    std::uint32_t n = u32();
    if (!ok) return {};
    if (n > end - at) return fail("name runs past its section"), text_view();
    text_view s(reinterpret_cast<const char*>(b.data() + at), n);
    at += n;
    return s;
  }
  void skip(std::size_t n) {
    if (ok && n > end - at) fail("runs past its section");
    if (ok) at += n;
  }
};

// The wasm value type's spelling in signature texts; empty when C++ has no
// type for it (v128, references).
VITTE_DECL text_view wasm_type_text(std::uint8_t t) noexcept {
  switch (t) {
    case 0x7f:
      return "I4";
    case 0x7e:
      return "I8";
    case 0x7d:
      return "D4";
    case 0x7c:
      return "D8";
  }
  return {};
}

// "FI4I4E" for (i32) -> i32; empty when untyped.
VITTE_DECL text wasm_signature_text(const wasm_func_type& t) {
  if (t.results.size() > 1) return {};
  text s = "F";
  if (t.results.empty()) {
    s += "v";
  } else {
    text_view r = wasm_type_text(t.results[0]);
    if (r.empty()) return {};
    s += r;
  }
  for (std::uint8_t p : t.params) {
    text_view x = wasm_type_text(p);
    if (x.empty()) return {};
    s += x;
  }
  return s + "E";
}

// The shape of a signature text: each type as the wasm type that carries it
// ("FU4bD8E" -> "I4I4D8" with result "I4"); false when the text is not a
// function of cell types.
VITTE_DECL bool signature_shape(text_view sig, text& shape) {
  if (sig.size() < 3 || sig.front() != 'F' || sig.back() != 'E') return false;
  shape.clear();
  for (std::size_t i = 1; i + 1 < sig.size();) {
    const char c = sig[i];
    if (c == 'v' && i == 1) {
      shape += "v";
      ++i;
    } else if (c == 'b' || c == 'c') {
      shape += "I4";
      ++i;
    } else if ((c == 'I' || c == 'U') && i + 2 < sig.size()) {
      const char n = sig[i + 1];
      if (n != '1' && n != '2' && n != '4' && n != '8') return false;
      shape += n == '8' ? "I8" : "I4";
      i += 2;
    } else if (c == 'D' && i + 2 < sig.size() && (sig[i + 1] == '4' || sig[i + 1] == '8')) {
      shape += sig[i + 1] == '4' ? "D4" : "D8";
      i += 2;
    } else {
      return false;
    }
  }
  return true;
}

// The fields of the vitte.module section's payload.
VITTE_DECL bool decode_fields(wasm_reader& r, wasm_module_section& out) {
  if (r.byte() != 1) return r.ok && r.fail("unknown section version");
  out.name = text(r.name());
  out.version = text(r.name());
  std::uint32_t n = r.u32();
  for (std::uint32_t i = 0; r.ok && i < n; ++i) {
    dependency_info d;
    d.name = text(r.name());
    d.range = text(r.name());
    std::uint8_t f = r.byte();
    if (f > 3) return r.fail("unknown dependency flags");
    d.flags = static_cast<dependency_flags>(f);
    out.dependencies.push_back(static_cast<dependency_info&&>(d));
  }
  n = r.u32();
  for (std::uint32_t i = 0; r.ok && i < n; ++i) {
    wasm_module_section::typed e;
    e.name = text(r.name());
    e.signature = text(r.name());
    out.exports.push_back(static_cast<wasm_module_section::typed&&>(e));
  }
  n = r.u32();
  for (std::uint32_t i = 0; r.ok && i < n; ++i) {
    wasm_module_section::typed_import e;
    e.module = text(r.name());
    e.name = text(r.name());
    e.signature = text(r.name());
    out.imports.push_back(static_cast<wasm_module_section::typed_import&&>(e));
  }
  if (r.ok && r.at != r.end) r.fail("bytes after the last field");
  if (r.ok && out.name.empty()) r.fail("empty module name");
  return r.ok;
}

}  // namespace detail

VITTE_DECL bool decode_wasm_module_section(span<const std::byte> payload, wasm_module_section& out,
                                           vitte::diagnostic* why) {
  detail::wasm_reader r{payload, 0, payload.size(), why};
  const bool ok = detail::decode_fields(r, out);
  if (!ok && why != nullptr) why->about(wasm_module_section_name);
  return ok;
}

VITTE_DECL buffer<std::byte> encode_wasm_module_section(const wasm_module_section& s) {
  buffer<std::byte> p;
  auto u32 = [](buffer<std::byte>& out, std::uint64_t v) {
    do {
      std::uint8_t c = v & 0x7f;
      v >>= 7;
      out.push_back(static_cast<std::byte>(c | (v != 0 ? 0x80 : 0)));
    } while (v != 0);
  };
  auto name = [&](buffer<std::byte>& out, text_view t) {
    u32(out, t.size());
    for (char c : t) out.push_back(static_cast<std::byte>(c));
  };
  p.push_back(std::byte{1});
  name(p, s.name);
  name(p, s.version);
  u32(p, s.dependencies.size());
  for (const dependency_info& d : s.dependencies) {
    name(p, d.name);
    name(p, d.range.empty() ? "*" : d.range);
    p.push_back(static_cast<std::byte>(static_cast<std::uint32_t>(d.flags)));
  }
  u32(p, s.exports.size());
  for (const auto& e : s.exports) {
    name(p, e.name);
    name(p, e.signature);
  }
  u32(p, s.imports.size());
  for (const auto& e : s.imports) {
    name(p, e.module);
    name(p, e.name);
    name(p, e.signature);
  }
  buffer<std::byte> body;
  name(body, wasm_module_section_name);
  body.append(p.data(), p.size());
  buffer<std::byte> out{std::byte{0}};
  u32(out, body.size());
  out.append(body.data(), body.size());
  return out;
}

VITTE_DECL result<module_info> read_wasm_module(span<const std::byte> file, text_view file_name,
                                                vitte::diagnostic* why) {
  detail::wasm_reader r{file, 0, file.size(), why};
  auto fail = [&](errc k, const char* what) -> error {
    r.fail(what, k);
    return error{k, ops::module_read};
  };
  // A fault in an export or import names it.
  auto about = [&](error e, text_view subject) {
    if (why != nullptr) why->about(subject);
    return e;
  };
  static constexpr unsigned char magic[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  if (file.size() < 8) return fail(errc::unexpected_eof, "too short for a wasm module");
  for (std::size_t i = 0; i < 4; ++i)
    if (file[i] != static_cast<std::byte>(magic[i])) return fail(errc::malformed, "not a wasm module (magic)");
  for (std::size_t i = 4; i < 8; ++i)
    if (file[i] != static_cast<std::byte>(magic[i])) return fail(errc::version_mismatch, "wasm version is not 1");
  r.at = 8;
  buffer<detail::wasm_func_type> types;
  buffer<std::uint32_t> funcs;  // type index of every function, imports first
  struct wasm_import {
    text_view module, name;
    std::uint32_t type;
  };
  buffer<wasm_import> imports;
  buffer<std::pair<text_view, std::uint32_t>> exports;  // name, function index
  wasm_module_section meta;
  bool has_meta = false;
  while (r.ok && r.at < file.size()) {
    const std::uint8_t id = r.byte();
    const std::uint32_t size = r.u32();
    if (!r.ok) break;
    if (size > file.size() - r.at) return fail(errc::unexpected_eof, "section runs past the end of the file");
    const std::size_t start = r.at, stop = r.at + size;
    r.end = stop;
    if (id == 0) {
      text_view n = r.name();
      if (r.ok && n == wasm_module_section_name) {
        if (has_meta) return fail(errc::malformed, "two vitte.module sections");
        if (!decode_wasm_module_section(file.subspan(r.at, stop - r.at), meta, why)) {
          if (why != nullptr) why->at(r.at + why->offset());  // in the file, not the payload
          return error{errc::malformed, ops::module_read};
        }
        has_meta = true;
      }
      r.at = stop;
    } else if (id == 1) {  // types
      const std::uint32_t n = r.u32();
      for (std::uint32_t i = 0; r.ok && i < n; ++i) {
        if (r.byte() != 0x60) return fail(errc::malformed, "type is not a function type");
        detail::wasm_func_type t;
        for (int list = 0; list < 2 && r.ok; ++list) {
          const std::uint32_t k = r.u32();
          if (r.ok && k > stop - r.at) return fail(errc::malformed, "type list runs past its section");
          for (std::uint32_t j = 0; r.ok && j < k; ++j) (list == 0 ? t.params : t.results).push_back(r.byte());
        }
        types.push_back(static_cast<detail::wasm_func_type&&>(t));
      }
    } else if (id == 2) {  // imports
      const std::uint32_t n = r.u32();
      for (std::uint32_t i = 0; r.ok && i < n; ++i) {
        wasm_import imp{r.name(), r.name(), 0};
        const std::size_t kind_at = r.at;
        const std::uint8_t kind = r.byte();
        if (!r.ok) break;
        if (kind == 0) {
          imp.type = r.u32();
          if (r.ok && imp.type >= types.size()) return fail(errc::malformed, "import of an unknown type");
          funcs.push_back(imp.type);
          imports.push_back(imp);
          continue;
        }
        if (!is_wasi_module(imp.module)) {
          r.at = kind_at;
          return fail(errc::not_supported, "imports a memory, table or global from another module");
        }
        if (kind == 1) {  // table: reftype, limits
          r.byte();
          if (r.byte() & 1) r.u32();
          r.u32();
        } else if (kind == 2) {  // memory: limits
          const std::uint8_t f = r.byte();
          r.u32();
          if (f & 1) r.u32();
        } else if (kind == 3) {  // global: valtype, mutability
          r.byte();
          r.byte();
        } else {
          return fail(errc::malformed, "unknown import kind");
        }
      }
    } else if (id == 3) {  // functions
      const std::uint32_t n = r.u32();
      if (r.ok && n > stop - r.at) return fail(errc::malformed, "function count runs past its section");
      for (std::uint32_t i = 0; r.ok && i < n; ++i) {
        const std::uint32_t t = r.u32();
        if (r.ok && t >= types.size()) return fail(errc::malformed, "function of an unknown type");
        funcs.push_back(t);
      }
    } else if (id == 7) {  // exports
      const std::uint32_t n = r.u32();
      for (std::uint32_t i = 0; r.ok && i < n; ++i) {
        text_view name = r.name();
        const std::uint8_t kind = r.byte();
        const std::uint32_t index = r.u32();
        if (r.ok && kind > 3) return fail(errc::malformed, "unknown export kind");
        if (r.ok && kind == 0) {
          if (index >= funcs.size()) return fail(errc::malformed, "export of an unknown function");
          exports.push_back({name, index});
        }
      }
    } else {
      r.at = stop;  // the rest is the executor's to decode
    }
    if (r.ok && r.at != stop) return fail(errc::malformed, "section size does not match its contents");
    (void)start;
    r.end = file.size();
  }
  if (!r.ok) return error{r.kind, ops::module_read};

  module_info info;
  info.source.format = module_format::wasm;
  info.source.payload_kind = static_cast<std::uint32_t>(payload_kind::wasm);
  info.id.content_hash = vitte::detail::content_hash(file);
  info.id.abi_major = VITTE_PLUGIN_ABI_MAJOR;
  info.id.abi_minor = VITTE_PLUGIN_ABI_MINOR;
  info.id.unload_safe = true;  // nothing of it is native code
  if (has_meta) {
    info.id.name = meta.name;
    info.id.version = meta.version;
    info.dependencies = meta.dependencies;
  } else {
    text_view stem = file_name.substr(file_name.find_last_of("/\\") + 1);
    if (stem.size() > 5 && stem.substr(stem.size() - 5) == ".wasm") stem.remove_suffix(5);
    if (stem.empty()) return fail(errc::malformed, "no vitte.module section and no file name to name it");
    info.id.name = text(stem);
    info.id.version = "0.0.0";
  }
  text shape, declared;
  auto typed = [&](text_view want, const detail::wasm_func_type& t, std::uint64_t& sig) -> bool {
    const text own = detail::wasm_signature_text(t);
    if (want.empty()) {
      sig = own.empty() ? 0 : vitte::detail::fnv1a(own);
      return true;
    }
    // The declared text must have the shape of the wasm type.
    if (own.empty() || !detail::signature_shape(want, declared) || !detail::signature_shape(own, shape) ||
        declared != shape)
      return false;
    sig = vitte::detail::fnv1a(want);
    return true;
  };
  for (const auto& e : exports) {
    text_view want;
    for (const auto& d : meta.exports)
      if (d.name == e.first) want = d.signature;
    export_info x{text(e.first), export_kind::function, 1, 0};
    if (!typed(want, types[funcs[e.second]], x.signature))
      return about(fail(errc::malformed, "its vitte.module signature does not match its wasm type"), e.first);
    info.exports.push_back(static_cast<export_info&&>(x));
  }
  for (const wasm_import& i : imports) {
    if (is_wasi_module(i.module)) continue;
    text_view want;
    for (const auto& d : meta.imports)
      if (d.module == i.module && d.name == i.name) want = d.signature;
    import_info x{text(i.module), text(i.name), export_kind::function, 0, 0};
    if (!typed(want, types[i.type], x.signature)) {
      const error bad = fail(errc::malformed, "its vitte.module signature does not match its wasm type");
      return about(bad, text(i.module) + "." + text(i.name));
    }
    info.imports.push_back(static_cast<import_info&&>(x));
    if (has_meta || i.module == "host") continue;
    bool known = false;
    for (const dependency_info& d : info.dependencies) known |= d.name == i.module;
    if (!known) info.dependencies.push_back(dependency_info{text(i.module), "*", dependency_flags::none});
  }
  return info;
}

}  // namespace vitte::loader

#endif  // VITTE_LOADER_IMPL_WASM_MODULE_IPP
