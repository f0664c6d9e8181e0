// vitte/loader/impl/description.ipp - parse_description (vitte/loader/description.hpp).
#ifndef VITTE_LOADER_IMPL_DESCRIPTION_IPP
#define VITTE_LOADER_IMPL_DESCRIPTION_IPP

#include <vitte/base.hpp>
#include <vitte/base/detail/decimal.hpp>  // numbers
#include <vitte/base/detail/utf8.hpp>     // names as containers hold them
#include <vitte/loader/description.hpp>
#include <vitte/loader/diagnostics.hpp>
#include <vitte/loader/semver.hpp>  // versions and ranges
#include <vitte/loader/vitmod.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::loader {

namespace detail::description {

constexpr bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\r'; }

constexpr text_view trim(text_view s) noexcept {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// The words of a value, at most `max` (the last holds the rest of the line).
struct words {
  static constexpr std::size_t max = 4;
  text_view w[max];
  std::size_t n = 0;
  std::size_t more = 0;  // words beyond `max`
};

constexpr words split(text_view s) noexcept {
  words out;
  for (s = trim(s); !s.empty(); s = trim(s)) {
    std::size_t end = 0;
    while (end < s.size() && !is_space(s[end])) ++end;
    if (out.n < words::max)
      out.w[out.n++] = s.substr(0, end);
    else
      ++out.more;
    s.remove_prefix(end);
  }
  return out;
}

constexpr bool symbol_kind_of(text_view k, symbol_kind& out) noexcept {
  if (k == "function") return out = symbol_kind::function, true;
  if (k == "data") return out = symbol_kind::data, true;
  if (k == "type") return out = symbol_kind::type, true;
  return false;
}

template <class T>
bool number(text_view v, T& out) noexcept {
  std::uint64_t n = 0;
  if (!vitte::detail::parse_decimal(text_view(v.data(), v.size()), static_cast<T>(~T{}), n)) return false;
  out = static_cast<T>(n);
  return true;
}

// One line's key and value; nullptr, or the problem.
VITTE_DECL const char* apply(text_view key, text_view value, vitmod_builder& b, buffer<custom_file>& files,
                             vitte::diagnostic& scratch) {
  const words w = split(value);
  if (key == "name") return (b.manifest.name = text(value), nullptr);
  if (key == "version") return (b.manifest.version = text(value), nullptr);
  if (key == "kind") {
    if (value == "bytecode") return (b.payload_kind = payload_kind::bytecode, nullptr);
    if (value == "native") return (b.payload_kind = payload_kind::native, nullptr);
    if (value == "wasm") return (b.payload_kind = payload_kind::wasm, nullptr);
    return "kind is bytecode, native or wasm";
  }
  if (key == "target") {
    if (w.n != 2 || w.more != 0) return "target = <arch> <os>";
    if (!number(w.w[0], b.target.arch) || !number(w.w[1], b.target.os))
      return "target: <arch> and <os> are numbers from 0 to 65535";
    return nullptr;
  }
  if (key == "depends" || key == "depends-optional") {
    if (w.n < 2) return "depends = <module> <range>";
    const text_view range = value.substr(static_cast<std::size_t>(w.w[1].data() - value.data()));
    if (!semver_range::validate(range, &scratch)) return scratch.message().data();  // NUL-terminated, in scratch
    b.manifest.dependencies.push_back({text(w.w[0]), text(range), key == "depends-optional"});
    return nullptr;
  }
  if (key == "export") {
    if (w.n > 3 || w.more != 0) return "export = <name> [function|data|type] [version]";
    loader::export_entry e{text(w.w[0]), symbol_kind::function, 1};  // not detail::export_entry (symbol.hpp)
    if (w.n > 1 && !symbol_kind_of(w.w[1], e.kind)) return "kind is function, data or type";
    if (w.n > 2 && !number(w.w[2], e.version)) return "export: the version is a number from 0 to 4294967295";
    b.manifest.exports.push_back(e);
    return nullptr;
  }
  if (key == "import") {
    if (w.n < 2 || w.n > 3 || w.more != 0) return "import = <module> <name> [kind]";
    import_entry i{text(w.w[0]), text(w.w[1]), symbol_kind::function};
    if (w.n > 2 && !symbol_kind_of(w.w[2], i.kind)) return "kind is function, data or type";
    b.manifest.imports.push_back(i);
    return nullptr;
  }
  if (key == "custom") {
    if (w.n < 2 || w.n > 3 || w.more != 0) return "custom = <name> <file> [required]";
    if (w.n > 2 && w.w[2] != "required") return "custom: the third word can only be \"required\"";
    files.push_back({text(w.w[0]), text(w.w[1]), w.n > 2});
    return nullptr;
  }
  return "unknown key";
}

}  // namespace detail::description

VITTE_DECL status parse_description(text_view text, vitmod_builder& b, buffer<custom_file>& files,
                                    vitte::diagnostic* why) {
  namespace d = detail::description;
  const auto bad = [&](std::uint32_t line, const char* what) -> status {
    if (why != nullptr) why->of(errc::malformed).at_line(line).say(what);
    return error{errc::malformed, ops::module_read};
  };
  const text_view all(text.data(), text.size());
  std::uint32_t line_no = 0;
  vitte::diagnostic scratch;  // a range's reason, kept while bad() copies it
  for (std::size_t at = 0; at < all.size();) {
    const std::size_t nl = all.find('\n', at);
    const std::size_t end = nl == text_view::npos ? all.size() : nl;
    text_view line = all.substr(at, end - at);
    at = end + 1;
    ++line_no;
    if (const std::size_t hash = line.find('#'); hash != text_view::npos) line = line.substr(0, hash);
    line = d::trim(line);
    if (line.empty()) continue;
    if (!vitte::detail::valid_utf8(line)) return bad(line_no, "not valid UTF-8 (containers hold UTF-8 names)");
    const std::size_t eq = line.find('=');
    if (eq == text_view::npos) return bad(line_no, "expected key = value");
    const text_view key = d::trim(line.substr(0, eq)), value = d::trim(line.substr(eq + 1));
    if (key.empty() || d::split(key).n != 1 || value.empty()) return bad(line_no, "expected key = value");
    if (const char* e = d::apply(key, value, b, files, scratch)) return bad(line_no, e);
  }
  if (b.manifest.name.empty() || b.manifest.version.empty())
    return detail::refuse(why, errc::malformed, vitte::diagnostic::no_offset, "name and version are required");
  semver v;
  vitte::diagnostic version_why;
  if (!semver::parse(b.manifest.version, v, &version_why)) {
    const error bad_version = detail::refuse(why, errc::malformed, vitte::diagnostic::no_offset, "version: ");
    if (why != nullptr) why->append(version_why.message());
    return bad_version;
  }
  return {};
}

}  // namespace vitte::loader

#endif  // VITTE_LOADER_IMPL_DESCRIPTION_IPP
