// vitte/release/detail/package_fields.ipp - field rules, relations, Debian
// descriptions and version order (package_fields.hpp).
#ifndef VITTE_RELEASE_DETAIL_PACKAGE_FIELDS_IPP
#define VITTE_RELEASE_DETAIL_PACKAGE_FIELDS_IPP

#include <vitte/base/detail/decimal.hpp>  // parse_decimal: an epoch
#include <vitte/base/text_view.hpp>
#include <vitte/release/detail/package_fields.hpp>
#include <vitte/release/detail/package_name.hpp>  // name_ok

#include <cstddef>
#include <cstdint>
#include <string>

namespace vitte::release::detail {

VITTE_DECL bool one_line(text_view s) {
  for (const char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  return true;
}

VITTE_DECL bool text_lines(text_view s) {
  for (std::size_t at = 0; at <= s.size();) {
    std::size_t nl = s.find('\n', at);
    if (nl == text_view::npos) nl = s.size();
    if (!one_line(s.substr(at, nl - at))) return false;
    at = nl + 1;
  }
  return true;
}

VITTE_DECL bool parse_relation(text_view s, relation& out) {
  const auto trim = [](text_view t) {
    while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
    while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
    return t;
  };
  if (!one_line(s)) return false;
  s = trim(s);
  text_view name = s, rest;
  if (const std::size_t open = s.find(" ("); open != text_view::npos && s.ends_with(')')) {  // Debian's form
    name = s.substr(0, open);
    rest = trim(s.substr(open + 2, s.size() - open - 3));
  } else if (const std::size_t space = s.find(' '); space != text_view::npos) {  // rpm's form
    name = s.substr(0, space);
    rest = trim(s.substr(space + 1));
  }
  if (name.empty() || name.find_first_of(" ,|") != text_view::npos) return false;
  out = relation{std::string(name), {}, {}};
  if (rest.empty()) return true;
  std::size_t op_end = 0;
  while (op_end < rest.size() && (rest[op_end] == '<' || rest[op_end] == '>' || rest[op_end] == '=')) ++op_end;
  const text_view op = rest.substr(0, op_end);
  const text_view version = trim(rest.substr(op_end));
  if (op == "<<" || op == "<")
    out.op = "<";
  else if (op == ">>" || op == ">")
    out.op = ">";
  else if (op == "<=" || op == "=" || op == ">=")
    out.op = std::string(op);
  else
    return false;
  if (!name_ok(version, ".+~:_^-", false)) return false;
  out.version = std::string(version);
  return true;
}

VITTE_DECL std::string deb_relation(const relation& r) {
  if (r.op.empty()) return r.name;
  const std::string op = r.op == "<" ? "<<" : r.op == ">" ? ">>" : r.op;
  return r.name + " (" + op + " " + r.version + ")";
}

VITTE_DECL std::string deb_description(text_view description, text_view fallback) {
  if (description.empty()) return std::string(fallback);
  const std::size_t nl = description.find('\n');
  std::string out(description.substr(0, nl));
  if (nl == text_view::npos) return out;
  text_view body = description.substr(nl + 1);
  while (body.ends_with('\n')) body.remove_suffix(1);
  for (std::size_t at = 0; at <= body.size() && !body.empty();) {
    std::size_t end = body.find('\n', at);
    if (end == text_view::npos) end = body.size();
    const text_view line = body.substr(at, end - at);
    bool blank = true;
    for (const char c : line) blank = blank && c == ' ';
    out += blank ? std::string("\n .") : "\n " + std::string(line);
    at = end + 1;
  }
  return out;
}

namespace fields_detail {

// dpkg's order of a character in a non-digit run: '~' first, then the end,
// letters, then everything else.
VITTE_DECL int order(char c) {
  if (c >= '0' && c <= '9') return 0;
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return c;
  if (c == '~') return -1;
  return c != 0 ? c + 256 : 0;
}

// dpkg's verrevcmp().
VITTE_DECL int compare_part(text_view a, text_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    int first_diff = 0;
    while ((i < a.size() && !(a[i] >= '0' && a[i] <= '9')) || (j < b.size() && !(b[j] >= '0' && b[j] <= '9'))) {
      const int ac = i < a.size() ? order(a[i]) : 0;
      const int bc = j < b.size() ? order(b[j]) : 0;
      if (ac != bc) return ac - bc;
      ++i;
      ++j;
    }
    while (i < a.size() && a[i] == '0') ++i;
    while (j < b.size() && b[j] == '0') ++j;
    while (i < a.size() && j < b.size() && a[i] >= '0' && a[i] <= '9' && b[j] >= '0' && b[j] <= '9') {
      if (first_diff == 0) first_diff = a[i] - b[j];
      ++i;
      ++j;
    }
    if (i < a.size() && a[i] >= '0' && a[i] <= '9') return 1;
    if (j < b.size() && b[j] >= '0' && b[j] <= '9') return -1;
    if (first_diff != 0) return first_diff;
  }
  return 0;
}

}  // namespace fields_detail

VITTE_DECL int deb_version_compare(text_view a, text_view b) {
  const auto split = [](text_view v, std::uint64_t& epoch, text_view& upstream, text_view& revision) {
    epoch = 0;
    if (const std::size_t colon = v.find(':'); colon != text_view::npos) {
      if (!vitte::detail::parse_decimal(v.substr(0, colon), 0xffffffffu, epoch)) epoch = 0;
      v.remove_prefix(colon + 1);
    }
    const std::size_t dash = v.rfind('-');
    upstream = dash == text_view::npos ? v : v.substr(0, dash);
    revision = dash == text_view::npos ? text_view() : v.substr(dash + 1);
  };
  std::uint64_t ea = 0, eb = 0;
  text_view ua, ra, ub, rb;
  split(a, ea, ua, ra);
  split(b, eb, ub, rb);
  if (ea != eb) return ea < eb ? -1 : 1;
  if (const int c = fields_detail::compare_part(ua, ub); c != 0) return c;
  return fields_detail::compare_part(ra, rb);
}

}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_PACKAGE_FIELDS_IPP
