// libFuzzer target: the declaration reader of vitte bindgen
// (toolchain::parse_c_declarations) on preprocessor output, then the
// writer and the signature spelling on what it read, and the regular
// expressions of --allow/--block on pieces of the input.
// Invariants:
//   - failure: malformed, the diagnostic of that kind with a message, about
//     a file (one the line markers named, or "<input>"), at a line >= 1; with
//     no line marker in the input, a line of the input;
//   - success: every type index (of, params, a field's, a declaration's) is
//     in range; a record or enum type that names its declaration names one
//     of its kind; a function is of a function type; a constant keeps its
//     #define body; every function and variable is spelled or says why
//     not, never both; write_bindings succeeds and writes the namespace;
//   - regex_match: a name escaped as a pattern matches itself whole and
//     nothing longer.
// Build and run with fuzz/run.sh.
#include <vitte/toolchain/bindgen.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace toolchain = vitte::toolchain;
  const std::string input(reinterpret_cast<const char*>(data), size);

  // regular expressions: the first line as a name, escaped
  const std::string name = input.substr(0, std::min<std::size_t>(input.find('\n'), 40));
  std::string escaped;
  for (char c : name) {
    if (c == '\0') break;
    escaped += '\\';
    escaped += c;
  }
  const std::string literal = name.substr(0, escaped.size() / 2);
  bool bad = true;
  if (!toolchain::regex_match(escaped, literal, &bad) || bad) __builtin_trap();
  if (toolchain::regex_match(escaped, literal + "x")) __builtin_trap();
  (void)toolchain::regex_match(name, input.substr(0, 64), &bad);

  vitte::diagnostic why;
  auto d = toolchain::parse_c_declarations(input, &why);
  if (!d) {
    if (d.error() != vitte::errc::malformed || why.kind() != vitte::errc::malformed || why.message().empty() ||
        why.subject().empty() || why.line() == 0)
      __builtin_trap();
    if (input.find('#') == std::string::npos) {
      std::size_t lines = 1;
      for (char c : input) lines += c == '\n';
      if (why.line() > lines) __builtin_trap();
    }
    return 0;
  }
  const std::size_t n = d->types.size();
  auto in_range = [&](std::uint32_t t) { return t == toolchain::c_type::none || t < n; };
  for (const auto& t : d->types) {
    if (!in_range(t.of) || (t.record != toolchain::c_type::none && t.record >= d->decls.size())) __builtin_trap();
    for (std::uint32_t p : t.params)
      if (p >= n) __builtin_trap();
    if (t.record != toolchain::c_type::none) {
      const auto& r = d->decls[t.record];
      const bool record = t.kind == toolchain::c_type_kind::record;
      if (record != (r.kind == toolchain::c_kind::record) ||
          (t.kind == toolchain::c_type_kind::enumeration) != (r.kind == toolchain::c_kind::enumeration))
        __builtin_trap();
    }
  }
  for (const auto& x : d->decls) {
    if (!in_range(x.type) || x.file.empty()) __builtin_trap();
    for (const auto& f : x.fields)
      if (f.type >= n) __builtin_trap();
    if (x.kind == toolchain::c_kind::function && d->types[x.type].kind != toolchain::c_type_kind::function)
      __builtin_trap();
    if (x.kind == toolchain::c_kind::constant && x.expression.empty()) __builtin_trap();
    if (x.kind == toolchain::c_kind::function || x.kind == toolchain::c_kind::variable) {
      vitte::diagnostic reason;
      const vitte::text s = toolchain::signature_spelling(*d, x.type, "f", &reason);
      if (s.empty() == reason.message().empty()) __builtin_trap();
    }
  }
  toolchain::bindgen_options o;
  o.module = "f";
  o.allow.push_back(".*");
  auto out = toolchain::write_bindings(*d, o, &why);
  if (!out || out->view().find("namespace f {") == vitte::text_view::npos) __builtin_trap();
  return 0;
}
