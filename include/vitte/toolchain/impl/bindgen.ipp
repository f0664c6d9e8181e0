// vitte/toolchain/impl/bindgen.ipp - the bodies of vitte/toolchain/bindgen.hpp:
// running the preprocessor and the layout probe, the signature spelling,
// the writer of bindings, and the regular expressions of --allow/--block.
#ifndef VITTE_TOOLCHAIN_IMPL_BINDGEN_IPP
#define VITTE_TOOLCHAIN_IMPL_BINDGEN_IPP

#include <vitte/base/config.hpp>
#include <vitte/base/detail/decimal.hpp>  // the probe's numbers
#include <vitte/base/detail/hash.hpp>     // fnv1a: a long spelling's hash
#include <vitte/base/detail/hex.hpp>      // that hash in hexadecimal
#include <vitte/sys/metadata.hpp>         // exists
#include <vitte/sys/path.hpp>             // path_join
#include <vitte/sys/path_ops.hpp>         // canonical
#include <vitte/sys/process.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/whole_file.hpp>
#include <vitte/toolchain/bindgen.hpp>
#include <vitte/toolchain/impl/c_reader.ipp>  // parse_c_declarations
#include <vitte/toolchain/operations.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace vitte::toolchain {
namespace detail {

inline std::string_view sv(text_view t) noexcept { return {t.data(), t.size()}; }

// --- regular expressions ------------------------------------------------------

/// A backtracking matcher over the pattern's text (names are short).
class bindgen_regex {
 public:
  bindgen_regex(std::string_view p, std::string_view s) : p_(p), s_(s) {}
  bool bad = false;

  bool whole() {
    std::size_t a = 0, e = p_.size();
    if (a < e && p_[a] == '^') ++a;
    if (e > a && p_[e - 1] == '$' && (e < 2 || p_[e - 2] != '\\')) --e;
    if (!valid(a, e)) return bad = true, false;
    steps_ = 0;
    const cont done{[](const cont*, std::size_t i, bindgen_regex* r) { return i == r->s_.size(); }, nullptr};
    return alt(a, e, 0, done);
  }

 private:
  struct cont {
    bool (*fn)(const cont*, std::size_t, bindgen_regex*);
    const void* data;
    std::size_t x = 0, y = 0, z = 0;
    const cont* next = nullptr;
    bool operator()(std::size_t i, bindgen_regex* r) const { return fn(this, i, r); }
  };

  /// The end of the atom at `a` (past its closing bracket or escape).
  std::size_t atom_end(std::size_t a, std::size_t e) const {
    if (p_[a] == '\\') return a + 2 <= e ? a + 2 : e + 1;
    if (p_[a] == '[') {
      std::size_t k = a + 1;
      if (k < e && p_[k] == '^') ++k;
      if (k < e && p_[k] == ']') ++k;
      while (k < e && p_[k] != ']') k += p_[k] == '\\' ? 2 : 1;
      return k < e ? k + 1 : e + 1;
    }
    if (p_[a] == '(') {
      int depth = 0;
      for (std::size_t k = a; k < e; ++k) {
        if (p_[k] == '\\') {
          ++k;
          continue;
        }
        if (p_[k] == '[') {
          k = atom_end(k, e) - 1;
          if (k >= e) return e + 1;
          continue;
        }
        if (p_[k] == '(') ++depth;
        if (p_[k] == ')' && --depth == 0) return k + 1;
      }
      return e + 1;
    }
    return a + 1;
  }
  bool valid(std::size_t a, std::size_t e) const {
    bool atom = false;
    for (std::size_t k = a; k < e;) {
      const char c = p_[k];
      if (c == '|') {
        atom = false;
        ++k;
        continue;
      }
      if (c == '*' || c == '+' || c == '?') {
        if (!atom) return false;
        atom = false;
        ++k;
        continue;
      }
      if (c == ')') return false;
      const std::size_t n = atom_end(k, e);
      if (n > e) return false;
      if (c == '(' && !valid(k + 1, n - 1)) return false;
      atom = true;
      k = n;
    }
    return true;
  }
  bool alt(std::size_t a, std::size_t e, std::size_t i, const cont& k) {
    std::size_t b = a;
    for (std::size_t j = a; j <= e; ++j) {
      if (j < e && p_[j] != '|') {
        if (p_[j] == '\\' || p_[j] == '[' || p_[j] == '(') j = atom_end(j, e) - 1;
        continue;
      }
      if (seq(b, j, i, k)) return true;
      b = j + 1;
    }
    return false;
  }
  bool seq(std::size_t a, std::size_t e, std::size_t i, const cont& k) {
    if (++steps_ > 1000000) return false;  // pathological patterns give up
    if (a == e) return k(i, this);
    const std::size_t ae = atom_end(a, e);
    std::size_t min = 1, max = 1, qe = ae;
    if (ae < e && (p_[ae] == '*' || p_[ae] == '+' || p_[ae] == '?')) {
      min = p_[ae] == '+' ? 1 : 0;
      max = p_[ae] == '?' ? 1 : ~std::size_t{0};
      qe = ae + 1;
    }
    return rep(a, ae, qe, e, min, max, 0, i, k);
  }
  bool rep(std::size_t a, std::size_t ae, std::size_t qe, std::size_t e, std::size_t min, std::size_t max,
           std::size_t count, std::size_t i, const cont& k) {
    if (count < max) {
      cont again{[](const cont* c, std::size_t j, bindgen_regex* r) {
                   const cont& k2 = *c->next;
                   const std::size_t* v = static_cast<const std::size_t*>(c->data);
                   if (j == c->z && c->y >= v[4]) return false;  // an empty match repeated
                   return r->rep(v[0], v[1], v[2], v[3], v[4], v[5], c->y + 1, j, k2);
                 },
                 nullptr};
      const std::size_t v[6] = {a, ae, qe, e, min, max};
      again.data = v;
      again.y = count;
      again.z = i;
      again.next = &k;
      if (atom(a, ae, i, again)) return true;
    }
    return count >= min && seq(qe, e, i, k);
  }
  bool atom(std::size_t a, std::size_t ae, std::size_t i, const cont& k) {
    const char c = p_[a];
    if (c == '(') return alt(a + 1, ae - 1, i, k);
    if (i >= s_.size()) return false;
    const char ch = s_[i];
    if (c == '.') return k(i + 1, this);
    if (c == '\\') return ch == p_[a + 1] && k(i + 1, this);
    if (c == '[') {
      std::size_t q = a + 1;
      const bool negated = p_[q] == '^';
      if (negated) ++q;
      bool in = false;
      for (std::size_t first = q; q < ae - 1; ++q) {
        char lo = p_[q];
        if (lo == '\\')
          lo = p_[++q];
        else if (lo == ']' && q != first)
          break;
        char hi = lo;
        if (q + 2 < ae - 1 && p_[q + 1] == '-') {
          hi = p_[q + 2];
          q += 2;
        }
        if (ch >= lo && ch <= hi) in = true;
      }
      return in != negated && k(i + 1, this);
    }
    return ch == c && k(i + 1, this);
  }

  std::string_view p_, s_;
  std::size_t steps_ = 0;
};

// --- C++ spelling -------------------------------------------------------------

inline bool cxx_keyword(std::string_view w) {
  static constexpr std::string_view words[] = {"alignas",
                                               "alignof",
                                               "and",
                                               "and_eq",
                                               "asm",
                                               "bitand",
                                               "bitor",
                                               "bool",
                                               "catch",
                                               "char8_t",
                                               "char16_t",
                                               "char32_t",
                                               "class",
                                               "compl",
                                               "concept",
                                               "consteval",
                                               "constexpr",
                                               "constinit",
                                               "const_cast",
                                               "co_await",
                                               "co_return",
                                               "co_yield",
                                               "decltype",
                                               "delete",
                                               "dynamic_cast",
                                               "explicit",
                                               "export",
                                               "false",
                                               "friend",
                                               "mutable",
                                               "namespace",
                                               "new",
                                               "noexcept",
                                               "not",
                                               "not_eq",
                                               "nullptr",
                                               "operator",
                                               "or",
                                               "or_eq",
                                               "private",
                                               "protected",
                                               "public",
                                               "reinterpret_cast",
                                               "requires",
                                               "static_assert",
                                               "static_cast",
                                               "template",
                                               "this",
                                               "thread_local",
                                               "throw",
                                               "true",
                                               "try",
                                               "typeid",
                                               "typename",
                                               "using",
                                               "virtual",
                                               "wchar_t",
                                               "xor",
                                               "xor_eq",
                                               "api",
                                               "sym"};
  for (std::string_view x : words)
    if (x == w) return true;
  return false;
}
/// A C name as the C++ header spells it: C++ keywords (and the header's own
/// `api` and `sym`) get a trailing underscore.
inline std::string cxx_name(std::string_view n) { return cxx_keyword(n) ? std::string(n) + "_" : std::string(n); }

/// What the writer knows while writing.
struct bindgen_writer {
  const c_declarations& d;
  std::string module;  // the namespace
  std::unordered_map<std::string, std::uint32_t> typedefs;

  bindgen_writer(const c_declarations& decls, std::string m) : d(decls), module(std::move(m)) {
    for (std::uint32_t k = 0; k < d.decls.size(); ++k)
      if (d.decls[k].kind == c_kind::type_alias) typedefs.emplace(std::string(sv(d.decls[k].name)), k);
  }

  const c_type& type(std::uint32_t t) const { return d.types[t]; }

  /// A typedef whose name C++ reserves (wchar_t, bool): read through.
  bool transparent(const c_declaration& a) const { return cxx_keyword(sv(a.name)) && sv(a.name) != "api"; }

  std::uint32_t alias_of(const c_type& t) const {
    auto f = typedefs.find(std::string(sv(t.name)));
    return f == typedefs.end() ? c_type::none : f->second;
  }

  static std::string cxx_builtin(std::string_view n) {
    if (n == "_Bool") return "bool";
    if (n == "unsigned __int128") return "unsigned __int128";
    return std::string(n);
  }

  std::string record_body(const c_declaration& r, const std::string& indent) const {
    std::string s = " {\n";
    for (const c_field& f : r.fields) {
      s += indent + "  ";
      const c_type& ft = type(f.type);
      if (f.name.empty() && (ft.kind == c_type_kind::record)) {
        s += std::string(ft.is_union ? "union" : "__extension__ struct") +
             record_body(d.decls[ft.record], indent + "  ") + ";\n";
        continue;
      }
      s += render(f.type, cxx_name(sv(f.name)), indent + "  ");
      if (f.bitfield) s += " : " + std::to_string(f.bits);
      s += ";\n";
    }
    return s + indent + "}";
  }

  std::string qualified(std::string_view name) const { return "::" + module + "::" + cxx_name(name); }

  /// `t` declaring `inner` (a name, or "" for an abstract type).
  std::string render(std::uint32_t ti, const std::string& inner, const std::string& indent = "") const {
    const c_type& t = type(ti);
    std::string cv = std::string(t.is_const ? "const " : "") + (t.is_volatile ? "volatile " : "");
    auto join = [&](std::string base) { return inner.empty() ? base : base + " " + inner; };
    switch (t.kind) {
      case c_type_kind::builtin:
        return join(cv + cxx_builtin(sv(t.name)));
      case c_type_kind::typedef_name: {
        const std::uint32_t a = alias_of(t);
        if (a != c_type::none && transparent(d.decls[a])) {
          // read through, keeping this use's qualifiers
          std::string base = render(d.decls[a].type, "", indent);
          return join(cv + base);
        }
        return join(cv + qualified(sv(t.name)));
      }
      case c_type_kind::record: {
        if (t.record != c_type::none && d.decls[t.record].anonymous)
          return join(cv + (t.is_union ? "union" : "struct") + record_body(d.decls[t.record], indent));
        if (t.record != c_type::none && d.decls[t.record].tagless) return join(cv + qualified(sv(t.name)));
        return join(cv + (t.is_union ? "union " : "struct ") + qualified(sv(t.name)));
      }
      case c_type_kind::enumeration:
        if (t.record != c_type::none && d.decls[t.record].anonymous) return join(cv + "int");
        return join(cv + qualified(sv(t.name)));
      case c_type_kind::pointer: {
        std::string p = "*";
        if (t.is_const) p += " const";
        if (t.is_volatile) p += " volatile";
        if (!inner.empty()) p += (t.is_const || t.is_volatile ? " " : "") + inner;
        return render(t.of, p, indent);
      }
      case c_type_kind::array: {
        std::string in = !inner.empty() && inner[0] == '*' ? "(" + inner + ")" : inner;
        std::string bound = t.unbounded                 ? ""
                            : sv(t.extent_text).empty() ? std::to_string(t.extent)
                                                        : std::string(sv(t.extent_text));
        return render(t.of, in + "[" + bound + "]", indent);
      }
      case c_type_kind::function: {
        std::string in = !inner.empty() && inner[0] == '*' ? "(" + inner + ")" : inner;
        std::string ps;
        for (std::size_t k = 0; k < t.params.size(); ++k) {
          if (k > 0) ps += ", ";
          ps += render(t.params[k], "", indent);
        }
        if (t.variadic) ps += t.params.empty() ? "..." : ", ...";
        return render(unqualified_result(t.of), in + "(" + ps + ")", indent);
      }
    }
    return inner;
  }

  /// A result type without its top-level const and volatile (C++ ignores
  /// them on a non-class result, and -Wignored-qualifiers says so).
  std::uint32_t unqualified_result(std::uint32_t r) const {
    const c_type& t = type(r);
    if (!t.is_const && !t.is_volatile) return r;
    if (t.kind == c_type_kind::record) return r;
    for (std::uint32_t k = 0; k < d.types.size(); ++k) {
      const c_type& u = d.types[k];
      if (u.kind == t.kind && !u.is_const && !u.is_volatile && u.name == t.name && u.of == t.of &&
          u.record == t.record && u.kind != c_type_kind::function && u.kind != c_type_kind::array)
        return k;
    }
    return r;  // kept (a warning at worst)
  }

  // --- signatures ---------------------------------------------------------

  /// The type behind typedefs, with the qualifiers gathered on the way.
  std::uint32_t resolve(std::uint32_t ti, bool& c, bool& v) const {
    for (int guard = 0; guard < 64; ++guard) {
      const c_type& t = type(ti);
      c = c || t.is_const;
      v = v || t.is_volatile;
      if (t.kind != c_type_kind::typedef_name) return ti;
      const std::uint32_t a = alias_of(t);
      if (a == c_type::none) return ti;
      ti = d.decls[a].type;
    }
    return ti;
  }

  bool integer(std::string_view n, std::string& out) const {
    struct row {
      std::string_view name;
      char sign;
      int size;  // index into int_sizes
    };
    static constexpr row rows[] = {
        {"signed char", 'I', 0}, {"unsigned char", 'U', 0},     {"short", 'I', 1}, {"unsigned short", 'U', 1},
        {"int", 'I', 2},         {"unsigned int", 'U', 2},      {"long", 'I', 3},  {"unsigned long", 'U', 3},
        {"long long", 'I', 4},   {"unsigned long long", 'U', 4}};
    for (const row& r : rows)
      if (r.name == n) {
        out += r.sign;
        out += static_cast<char>('0' + d.int_sizes[r.size]);
        return true;
      }
    return false;
  }

  /// Appends the spelling of `ti` (see signature_spelling); false with
  /// `why` when it has none.
  bool spell(std::uint32_t ti, std::string& out, std::string& why, bool drop_cv = false) const {
    bool c = false, v = false;
    ti = resolve(ti, c, v);
    const c_type& t = type(ti);
    if (t.kind == c_type_kind::array) {
      // C++ has no const array, only arrays of const: std::is_const sees the
      // elements' qualifiers, so they come first, then the extents
      for (std::uint32_t e = t.of;;) {
        const std::uint32_t r = resolve(e, c, v);
        if (type(r).kind != c_type_kind::array) break;
        e = type(r).of;
      }
    }
    if (drop_cv) c = v = false;
    if (c) out += 'K';
    if (v) out += 'V';
    switch (t.kind) {
      case c_type_kind::builtin: {
        const std::string_view n = sv(t.name);
        if (n == "void") return out += 'v', true;
        if (n == "_Bool") return out += 'b', true;
        if (n == "char") return out += 'c', true;
        if (n == "float") return out += "D4", true;
        if (n == "double") return out += "D8", true;
        if (n == "long double") return out += 'D', out += static_cast<char>('0' + d.long_double_size), true;
        if (integer(n, out)) return true;
        why = n == "__builtin_va_list" ? "a va_list" : "type " + std::string(n);
        return false;
      }
      case c_type_kind::typedef_name:
        why = "type " + std::string(sv(t.name)) + " is not declared";
        return false;
      case c_type_kind::record:
        if (t.record != c_type::none && d.decls[t.record].anonymous) return why = "an unnamed struct", false;
        out += 'N';
        out += module + "::" + cxx_name(sv(t.name));
        return true;
      case c_type_kind::enumeration: {
        if (t.record == c_type::none || d.decls[t.record].anonymous || sv(d.decls[t.record].underlying).empty())
          return why = "enum " + std::string(sv(t.name)) + " of unknown size", false;
        out += 'N';
        out += module + "::" + cxx_name(sv(t.name));
        out += ':';
        return integer(sv(d.decls[t.record].underlying), out) || (why = "enum underlying type", false);
      }
      case c_type_kind::pointer:
        out += 'P';
        return spell(t.of, out, why);
      case c_type_kind::array: {
        out += 'A';
        if (!t.unbounded) {
          if (sv(t.extent_text).empty() || t.extent == 0) return why = "an array of unknown extent", false;
          for (std::uint64_t n = t.extent; n != 0; n /= 10) out += static_cast<char>('0' + n % 10);
        }
        out += '_';
        return spell(t.of, out, why, true);
      }
      case c_type_kind::function: {
        out += 'F';
        if (!spell(unqualified_result(t.of), out, why, true)) return false;
        for (std::uint32_t p : t.params) {
          // parameters as C++ adjusts them: arrays and functions to pointers, no top-level cv
          bool pc = false, pv = false;
          const std::uint32_t r = resolve(p, pc, pv);
          const c_type& pt = type(r);
          if (pt.kind == c_type_kind::array) {
            out += 'P';
            if (pc) out += 'K';
            if (pv) out += 'V';
            if (!spell(pt.of, out, why)) return false;
          } else if (pt.kind == c_type_kind::function) {
            out += 'P';
            if (!spell(r, out, why)) return false;
          } else if (!spell(p, out, why, true)) {
            return false;
          }
        }
        out += t.variadic ? "zE" : "E";
        return true;
      }
    }
    return false;
  }
};

/// The probe's C program: one printf per fact, one line each, so that a
/// compile error names the fact it is about (line -> what).
struct probe_line {
  char what;  // R record, F field, E enum, N enumerator, M macro
  std::uint32_t decl, item;
};

inline std::string c_spelling(const c_declaration& r) {
  if (r.tagless) return std::string(sv(r.name));
  return std::string(r.kind == c_kind::enumeration ? "enum "
                     : r.is_union                  ? "union "
                                                   : "struct ") +
         std::string(sv(r.name));
}

inline void probe_fields(const c_declarations& d, const c_declaration& r, const std::string& outer, std::uint32_t ri,
                         std::string& src, std::vector<probe_line>& lines, std::vector<bool>& dropped) {
  for (std::uint32_t f = 0; f < r.fields.size(); ++f) {
    const c_field& x = r.fields[f];
    const c_type& ft = d.types[x.type];
    if (x.name.empty() && ft.kind == c_type_kind::record && ft.record != c_type::none) {
      probe_fields(d, d.decls[ft.record], outer, ft.record, src, lines, dropped);
      continue;
    }
    if (x.bitfield || x.name.empty()) continue;
    lines.push_back({'F', ri, f});
    if (dropped[lines.size() - 1]) {
      src += "\n";
      continue;
    }
    src += "  printf(\"F %u %u %zu\\n\", " + std::to_string(ri) + "u, " + std::to_string(f) + "u, offsetof(" + outer +
           ", " + std::string(sv(x.name)) + "));\n";
  }
}

inline std::string probe_source(const c_declarations& d, const std::vector<std::string>& headers,
                                std::vector<probe_line>& lines, std::vector<bool>& dropped) {
  std::string src = "#include <stdio.h>\n#include <stddef.h>\n";
  for (const std::string& h : headers) src += "#include \"" + h + "\"\n";
  src += "int main(void) {\n";
  src +=
      "  printf(\"B %u %u %u %u %u %u\\n\", (unsigned)sizeof(char), (unsigned)sizeof(short), "
      "(unsigned)sizeof(int), (unsigned)sizeof(long), (unsigned)sizeof(long long), (unsigned)sizeof(long double));\n";
  const std::size_t first = 4 + headers.size();  // the line of the first fact
  (void)first;
  lines.clear();
  auto emit = [&](probe_line l, const std::string& code) {
    lines.push_back(l);
    src += dropped[lines.size() - 1] ? std::string("\n") : code;
  };
  for (std::uint32_t k = 0; k < d.decls.size(); ++k) {
    const c_declaration& x = d.decls[k];
    if (!x.defined || x.anonymous) continue;
    const std::string c = c_spelling(x);
    const std::string ks = std::to_string(k) + "u";
    if (x.kind == c_kind::record) {
      emit({'R', k, 0}, "  printf(\"R %u %zu %zu\\n\", " + ks + ", sizeof(" + c + "), _Alignof(" + c + "));\n");
      probe_fields(d, x, c, k, src, lines, dropped);
    } else if (x.kind == c_kind::enumeration) {
      emit({'E', k, 0}, "  printf(\"E %u %zu %d\\n\", " + ks + ", sizeof(" + c + "), (int)((" + c + ")-1 < 0));\n");
    }
  }
  for (std::uint32_t k = 0; k < d.decls.size(); ++k) {
    const c_declaration& x = d.decls[k];
    if (x.kind == c_kind::enumeration && x.defined)
      for (std::uint32_t e = 0; e < x.enumerators.size(); ++e) {
        const std::string n(sv(x.enumerators[e].name));
        emit({'N', k, e}, "  printf(\"N %u %u %d %llu\\n\", " + std::to_string(k) + "u, " + std::to_string(e) +
                              "u, (int)((" + n + ") < 0), (unsigned long long)(" + n + "));\n");
      }
    if (x.kind == c_kind::constant && x.refused.empty()) {
      const std::string n(sv(x.name));
      emit({'M', k, 0},
           "  printf(\"M %u %c %d %llu\\n\", " + std::to_string(k) + "u, _Generic((" + n +
               "), char: 'c', signed char: 'a', unsigned char: 'h', short: 's', unsigned short: 't', int: 'i', "
               "unsigned int: 'j', long: 'l', unsigned long: 'm', long long: 'x', unsigned long long: 'y', default: "
               "'?'), (int)((" +
               n + ") < 0), (unsigned long long)(" + n + "));\n");
    }
  }
  src += "  return 0;\n}\n";
  return src;
}

inline std::string_view underlying_name(std::uint64_t size, bool is_signed) {
  switch (size) {
    case 1:
      return is_signed ? "signed char" : "unsigned char";
    case 2:
      return is_signed ? "short" : "unsigned short";
    case 4:
      return is_signed ? "int" : "unsigned int";
    default:
      return is_signed ? "long long" : "unsigned long long";
  }
}

inline std::string_view generic_type(char c) {
  switch (c) {
    case 'c':
      return "char";
    case 'a':
      return "signed char";
    case 'h':
      return "unsigned char";
    case 's':
      return "short";
    case 't':
      return "unsigned short";
    case 'i':
      return "int";
    case 'j':
      return "unsigned int";
    case 'l':
      return "long";
    case 'm':
      return "unsigned long";
    case 'x':
      return "long long";
    case 'y':
      return "unsigned long long";
    default:
      return {};
  }
}

/// Reads the probe's output into `d`.
inline void read_probe(c_declarations& d, std::string_view out) {
  while (!out.empty()) {
    std::size_t nl = out.find('\n');
    std::string_view line = out.substr(0, nl);
    out = nl == std::string_view::npos ? std::string_view() : out.substr(nl + 1);
    std::vector<std::string_view> w;
    for (std::size_t k = 0; k < line.size();) {
      std::size_t e = line.find(' ', k);
      if (e == std::string_view::npos) e = line.size();
      w.push_back(line.substr(k, e - k));
      k = e + 1;
    }
    auto num = [&](std::size_t k) {
      std::uint64_t v = 0;
      if (k >= w.size() || !vitte::detail::parse_decimal(text_view(w[k].data(), w[k].size()), ~std::uint64_t{0}, v))
        return std::uint64_t{0};
      return v;
    };
    if (w.empty() || w[0].size() != 1) continue;
    const char what = w[0][0];
    if (what == 'B' && w.size() == 7) {
      for (int k = 0; k < 5; ++k) d.int_sizes[k] = static_cast<std::uint32_t>(num(static_cast<std::size_t>(k) + 1));
      d.long_double_size = static_cast<std::uint32_t>(num(6));
      continue;
    }
    const std::uint64_t k = num(1);
    if (k >= d.decls.size()) continue;
    c_declaration& x = d.decls[k];
    if (what == 'R' && w.size() == 4) {
      x.size = num(2);
      x.align = num(3);
      x.laid_out = true;
    } else if (what == 'E' && w.size() == 4) {
      x.size = num(2);
      x.underlying = text(underlying_name(x.size, num(3) != 0));
    } else if (what == 'F' && w.size() == 4) {
      // a field of x, or of an anonymous member of it: find the declaration holding field index num(2)
      // (anonymous members report their fields under their own declaration index)
      if (num(2) < x.fields.size()) x.fields[num(2)].offset = num(3);
    } else if (what == 'N' && w.size() == 5 && num(2) < x.enumerators.size()) {
      c_enumerator& e = x.enumerators[num(2)];
      e.negative = num(3) != 0;
      e.value = num(4);
      e.known = true;
    } else if (what == 'M' && w.size() == 5 && w[2].size() == 1) {
      const std::string_view t = generic_type(w[2][0]);
      if (t.empty()) {
        x.refused = text("not an integer constant");
        continue;
      }
      x.underlying = text(t);
      x.negative = num(3) != 0;
      x.value = num(4);
    }
  }
}

/// The C++ literal of a value of type `t`.
inline std::string value_literal(std::string_view t, std::uint64_t v, bool negative) {
  std::string s = "static_cast<" + std::string(t) + ">(";
  if (!negative) return s + std::to_string(v) + "ULL)";
  const std::uint64_t m = ~v + 1;
  if (m == (std::uint64_t{1} << 63)) return s + "-9223372036854775807LL - 1)";
  return s + "-" + std::to_string(m) + "LL)";
}

}  // namespace detail

VITTE_DECL bool regex_match(text_view pattern, text_view name, bool* bad) noexcept {
  detail::bindgen_regex r(detail::sv(pattern), detail::sv(name));
  const bool m = r.whole();
  if (bad != nullptr) *bad = r.bad;
  return m;
}

VITTE_DECL text signature_spelling(const c_declarations& d, std::uint32_t type, text_view module, diagnostic* why) {
  detail::bindgen_writer w(d, std::string(detail::sv(module)));
  std::string out, reason;
  if (type >= d.types.size())
    reason = "no such type";
  else if (w.spell(type, out, reason, true))
    return text(std::string_view(out));
  if (why != nullptr) why->of(errc::not_supported).say(text_view(reason.data(), reason.size()));
  return text();
}

VITTE_DECL result<c_declarations> read_c_declarations(const bindgen_options& o, diagnostic* why) {
  namespace s = vitte::sys;
  auto dir = s::temp_directory::create({}, "vitte-bindgen-");
  if (!dir) return dir.error();
  std::vector<std::string> headers;
  std::string input;
  for (const text& h : o.headers) {
    std::string p(detail::sv(h));
    auto there = s::exists(h);
    if (there && *there) {
      auto full = s::canonical(h);
      if (full) p = std::string(detail::sv(*full));
      headers.push_back(p);
      input += "#include \"" + p + "\"\n";
    } else if (p.find('/') != std::string::npos && (p[0] == '/' || p[0] == '.')) {
      if (why != nullptr) why->of(errc::not_found).about(h).say("no such header");
      return error{errc::not_found, ops::bindgen};
    } else {
      headers.push_back(p);  // a name the include path finds: <curl/curl.h>
      input += "#include <" + p + ">\n";
    }
  }
  const text in_path = s::path_join(dir->path(), "bindgen_input.c");
  if (auto st = s::write_file(in_path, text_view(input.data(), input.size())); !st) return st.error();
  auto flags = [&](s::command& c) {
    for (const text& i : o.include_dirs) c.arg(text("-I") + i);
    for (const text& dd : o.defines) c.arg(text("-D") + dd);
  };
  s::command pre(o.compiler);
  pre.args({"-E", "-dD", "-x", "c"});
  flags(pre);
  pre.arg(in_path);
  auto pp = pre.output();
  if (!pp) {
    if (why != nullptr) why->of(pp.error()).about(o.compiler);
    return pp.error();
  }
  auto compiler_failed = [&](const text& err) {
    std::string_view e = detail::sv(err);
    std::size_t at = e.find("error");
    std::size_t b = at == std::string_view::npos ? 0 : e.rfind('\n', at);
    b = b == std::string_view::npos || at == std::string_view::npos ? 0 : b + 1;
    std::string_view line = e.substr(b, e.find('\n', b) - b);
    if (why != nullptr) why->of(errc::malformed).about(o.compiler).say(text_view(line.data(), line.size()));
    return error{errc::malformed, ops::bindgen};
  };
  if (!pp->status.success()) return compiler_failed(pp->err);
  auto parsed = parse_c_declarations(pp->out, why);
  if (!parsed) return parsed.error();
  c_declarations d = std::move(*parsed);
  for (const std::string& h : headers) d.files.push_back(text(std::string_view(h)));
  // The includes named with <...>: their files are those the line markers name under a search path.
  for (const c_declaration& x : d.decls) {
    bool have = false;
    for (const text& f : d.files) have = have || f == x.file;
    if (have) continue;
    for (const std::string& h : headers)
      if (h.find('/') == std::string::npos || h[0] != '/') {
        const std::string_view f = detail::sv(x.file);
        if (f.size() > h.size() && f.ends_with(h) && f[f.size() - h.size() - 1] == '/') {
          d.files.push_back(x.file);
          break;
        }
      }
  }
  // The probe: compile, drop the facts the compiler refuses, run.
  std::vector<bool> dropped(1 << 20, false);
  std::vector<detail::probe_line> lines;
  const text probe_c = s::path_join(dir->path(), "bindgen_probe.c");
  const text probe_exe = s::path_join(dir->path(), "bindgen_probe");
  for (int attempt = 0;; ++attempt) {
    const std::string src = detail::probe_source(d, headers, lines, dropped);
    if (auto st = s::write_file(probe_c, text_view(src.data(), src.size())); !st) return st.error();
    s::command cc(o.compiler);
    cc.args({"-w", "-std=gnu11", "-o"});
    cc.arg(probe_exe);
    flags(cc);
    cc.arg(probe_c);
    auto built = cc.output();
    if (!built) return built.error();
    if (built->status.success()) break;
    // each error line "…bindgen_probe.c:LINE:…" drops the fact written on LINE
    const std::size_t first_line = 4 + headers.size();
    std::string_view err = detail::sv(built->err);
    bool any = false;
    for (std::size_t p = err.find("bindgen_probe.c:"); p != std::string_view::npos;
         p = err.find("bindgen_probe.c:", p + 1)) {
      std::size_t k = p + 16;
      std::uint64_t n = 0;
      while (k < err.size() && vitte::detail::push_decimal_digit(n, err[k], 0xFFFFFFFFu)) ++k;
      if (n >= first_line + 1 && n - first_line - 1 < lines.size() && !dropped[n - first_line - 1]) {
        dropped[n - first_line - 1] = true;
        any = true;
      }
    }
    if (!any || attempt > 8) return compiler_failed(built->err);
  }
  for (std::size_t k = 0; k < lines.size(); ++k)
    if (dropped[k] && lines[k].what == 'M') d.decls[lines[k].decl].refused = text("not an integer constant");
  s::command run(probe_exe);
  auto ran = run.output();
  if (!ran) return ran.error();
  if (!ran->status.success()) return compiler_failed(ran->err);
  detail::read_probe(d, detail::sv(ran->out));
  for (c_declaration& x : d.decls)
    if (x.kind == c_kind::constant && x.refused.empty() && x.underlying.empty())
      x.refused = text("not an integer constant");
  return d;
}

VITTE_DECL result<text> write_bindings(const c_declarations& d, const bindgen_options& o, diagnostic* why) {
  using detail::sv;
  auto bad = [&](std::string_view what) {
    if (why != nullptr) why->of(errc::invalid_argument).say(text_view(what.data(), what.size()));
    return error{errc::invalid_argument, ops::bindgen};
  };
  std::string module(sv(o.module));
  if (module.empty() && !o.headers.empty()) {
    std::string_view h = sv(o.headers[0]);
    if (std::size_t slash = h.rfind('/'); slash != std::string_view::npos) h.remove_prefix(slash + 1);
    if (std::size_t dot = h.find('.'); dot != std::string_view::npos) h = h.substr(0, dot);
    for (char c : h) module += detail::c_ident_char(c) ? c : '_';
  }
  if (module.empty() || !detail::c_ident_start(module[0])) return bad("the module name is not an identifier");
  for (std::size_t k = 0; k < module.size(); ++k)
    if (!detail::c_ident_char(module[k]) && !(module[k] == ':' && k + 1 < module.size() && module[k + 1] == ':' &&
                                              k + 2 < module.size() && detail::c_ident_start(module[k + 2])))
      if (!(module[k] == ':' && k > 0 && module[k - 1] == ':')) return bad("the module name is not an identifier");
  for (const auto* list : {&o.allow, &o.block, &o.optional})
    for (const text& p : *list) {
      bool broken = false;
      (void)regex_match(p, "", &broken);
      if (broken) return bad("malformed regular expression: " + std::string(sv(p)));
    }
  detail::bindgen_writer w(d, module);
  auto matches = [](const buffer<text>& list, text_view n) {
    for (const text& p : list)
      if (regex_match(p, n)) return true;
    return false;
  };
  auto in_headers = [&](const c_declaration& x) {
    for (const text& f : d.files)
      if (f == x.file) return true;
    return false;
  };
  // roots, then what their types need
  std::vector<bool> chosen(d.decls.size(), false);
  std::vector<std::uint32_t> work;
  std::unordered_map<std::string, std::uint32_t> defined_tags;
  for (std::uint32_t k = 0; k < d.decls.size(); ++k) {
    const c_declaration& x = d.decls[k];
    if ((x.kind == c_kind::record || x.kind == c_kind::enumeration) && x.defined && !x.anonymous)
      defined_tags[detail::c_spelling(x)] = k;
  }
  for (std::uint32_t k = 0; k < d.decls.size(); ++k) {
    const c_declaration& x = d.decls[k];
    if (x.anonymous && x.kind == c_kind::record) continue;
    if (x.name.empty() && x.kind != c_kind::enumeration) continue;
    const bool named_root = o.allow.empty() ? in_headers(x) : matches(o.allow, x.name);
    bool enum_root = false;
    if (x.kind == c_kind::enumeration && x.name.empty() && !o.allow.empty())
      for (const c_enumerator& e : x.enumerators) enum_root = enum_root || matches(o.allow, e.name);
    if (x.kind == c_kind::enumeration && x.name.empty() && o.allow.empty()) enum_root = in_headers(x);
    if (!named_root && !enum_root) continue;
    if (!x.name.empty() && matches(o.block, x.name)) continue;
    chosen[k] = true;
    work.push_back(k);
  }
  std::vector<bool> seen_type(d.types.size(), false);
  std::vector<std::uint32_t> types;
  auto need_type = [&](std::uint32_t t) {
    if (t != c_type::none && !seen_type[t]) {
      seen_type[t] = true;
      types.push_back(t);
    }
  };
  auto choose = [&](std::uint32_t k) {
    if (!chosen[k]) {
      chosen[k] = true;
      work.push_back(k);
    }
  };
  while (!work.empty() || !types.empty()) {
    if (!types.empty()) {
      const c_type& t = d.types[types.back()];
      types.pop_back();
      need_type(t.of);
      for (std::uint32_t p : t.params) need_type(p);
      if (t.kind == c_type_kind::typedef_name) {
        const std::uint32_t a = w.alias_of(t);
        if (a != c_type::none) choose(a);
      }
      if ((t.kind == c_type_kind::record || t.kind == c_type_kind::enumeration) && t.record != c_type::none)
        choose(t.record);
      continue;
    }
    const c_declaration& x = d.decls[work.back()];
    work.pop_back();
    need_type(x.type);
    for (const c_field& f : x.fields) need_type(f.type);
  }
  if (o.plugin_exports) {
    std::string upper;
    for (char c : module) upper += c == ':' ? '_' : (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
    std::string out =
        "/* Generated by vitte bindgen --plugin-exports: the export list of a C plugin whose header\n"
        " * this is, for VITTE_C_PLUGIN_DEFINE (vitte/loader/plugin.h). Do not edit. Signatures are\n"
        " * those of the C++ types `vitte bindgen --module " +
        module + "` declares. */\n";
    out += "#ifndef " + upper + "_EXPORTS\n#include <vitte/loader/plugin.h>\n\n#define " + upper + "_EXPORTS(X)";
    std::string skipped;
    for (std::uint32_t k = 0; k < d.decls.size(); ++k) {
      const c_declaration& x = d.decls[k];
      if (!chosen[k] || (x.kind != c_kind::function && x.kind != c_kind::variable) || !in_headers(x)) continue;
      std::string spelling, reason;
      if (!x.refused.empty())
        reason = std::string(sv(x.refused));
      else if (!w.spell(x.type, spelling, reason, true)) {
      }
      if (!reason.empty()) {
        skipped += "/* not exported: " + std::string(sv(x.name)) + ": " + reason + " */\n";
        continue;
      }
      out += " \\\n  X(" + std::string(x.kind == c_kind::function ? "FUNCTION" : "OBJECT") + ", " +
             std::string(sv(x.name)) + ", ";
      if (spelling.size() <= 40) {
        out += "VITTE_SIGNATURE(\"" + spelling + "\")";
      } else {
        // the hash VITTE_SIGNATURE would compute, written out
        char hex[17] = {};
        std::uint64_t h = vitte::detail::fnv1a(std::string_view(spelling));
        for (int i = 15; i >= 0; --i, h >>= 4) hex[i] = vitte::detail::hex_digit(static_cast<unsigned>(h & 15));
        out += "0x" + std::string(hex) + "ull /* " + spelling + " */";
      }
      out += ", 1)";
    }
    out += "\n" + skipped + "#endif\n";
    return text(std::string_view(out));
  }
  std::string guard = "VITTE_BINDINGS_";
  for (char c : module) guard += c == ':' ? '_' : (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
  guard += "_HPP";
  std::string out = "// Generated by vitte bindgen from";
  for (const text& h : o.headers) out += " " + std::string(sv(h));
  out +=
      ": do not edit.\n//\n"
      "// The declarations of the headers in namespace " +
      module +
      ", their layouts checked against what the C compiler\n"
      "// reported, and `" +
      module + "::api`, the table vitte::loader::bind<" + module +
      "::api>(source) fills\n"
      "// (docs/BINDGEN.md). Include it before the library's own header: that header's macros\n"
      "// would rename what is declared here.\n"
      "#ifndef " +
      guard + "\n#define " + guard + "\n\n#include <vitte/loader/bind.hpp>\n\n#include <cstddef>\n\n";
  out += "namespace " + module + " {\n\n";
  // tags first, so any order of use compiles
  for (std::uint32_t k = 0; k < d.decls.size(); ++k) {
    const c_declaration& x = d.decls[k];
    if (!chosen[k] || x.anonymous || x.name.empty()) continue;
    if (x.kind == c_kind::record) {
      const std::string spelled = detail::c_spelling(x);
      if (!x.defined && defined_tags.count(spelled) != 0 && chosen[defined_tags[spelled]]) continue;
      if (x.defined || defined_tags.count(spelled) == 0) {
        out += std::string(x.is_union ? "union " : "struct ") + detail::cxx_name(sv(x.name)) + ";\n";
      }
    }
  }
  out += "\n";
  std::string asserts;
  std::string notes;
  std::unordered_map<std::string, std::uint32_t> enumerators;  // name -> its enum
  for (std::uint32_t k = 0; k < d.decls.size(); ++k)
    if (d.decls[k].kind == c_kind::enumeration && d.decls[k].defined)
      for (const c_enumerator& e : d.decls[k].enumerators) enumerators.emplace(std::string(sv(e.name)), k);
  for (std::uint32_t k = 0; k < d.decls.size(); ++k) {
    const c_declaration& x = d.decls[k];
    if (!chosen[k]) continue;
    const std::string name = detail::cxx_name(sv(x.name));
    const std::string where = std::string(sv(x.file)) + ":" + std::to_string(x.line);
    switch (x.kind) {
      case c_kind::type_alias:
        if (w.transparent(x)) break;
        if (!x.refused.empty()) {
          notes += "// not bound: " + name + ": " + std::string(sv(x.refused)) + "\n";
          break;
        }
        {
          // a typedef naming the struct of the same tag needs no alias in C++
          const c_type& t = d.types[x.type];
          if ((t.kind == c_type_kind::record || t.kind == c_type_kind::enumeration) && t.name == x.name &&
              !t.is_const && !t.is_volatile)
            break;
        }
        out += "using " + name + " = " + w.render(x.type, "") + ";\n";
        break;
      case c_kind::record: {
        if (!x.defined || x.anonymous) break;
        if (x.pack != 0) out += "#pragma pack(push, " + std::to_string(x.pack) + ")\n";
        out += x.is_union ? "union" : "struct";
        if (x.packed) out += " __attribute__((packed))";
        if (x.aligned != 0) out += " __attribute__((aligned(" + std::to_string(x.aligned) + ")))";
        out += " " + name + w.record_body(x, "") + ";\n";
        if (x.pack != 0) out += "#pragma pack(pop)\n";
        if (x.laid_out) {
          const std::string what = "\"" + module + ": " + detail::c_spelling(x) + " (" + where + "): ";
          out += "static_assert(sizeof(" + name + ") == " + std::to_string(x.size) + " && alignof(" + name +
                 ") == " + std::to_string(x.align) + ", " + what + "size and alignment are the C compiler's\");\n";
          // field offsets, anonymous members' fields included
          std::vector<const c_declaration*> stack{&x};
          while (!stack.empty()) {
            const c_declaration* r = stack.back();
            stack.pop_back();
            for (const c_field& f : r->fields) {
              const c_type& ft = d.types[f.type];
              if (f.name.empty() && ft.kind == c_type_kind::record && ft.record != c_type::none)
                stack.push_back(&d.decls[ft.record]);
              if (f.name.empty() || f.bitfield || f.offset == c_field::unknown) continue;
              out += "static_assert(__builtin_offsetof(" + name + ", " + detail::cxx_name(sv(f.name)) +
                     ") == " + std::to_string(f.offset) + ", " + what + "field " + std::string(sv(f.name)) + "\");\n";
            }
          }
        }
        out += "\n";
        break;
      }
      case c_kind::enumeration: {
        if (!x.defined) break;
        bool known = true;
        bool neg = false;
        std::uint64_t max = 0;
        for (const c_enumerator& e : x.enumerators) {
          known = known && e.known;
          neg = neg || e.negative;
          if (!e.negative && e.value > max) max = e.value;
        }
        if (!known) {
          notes += "// not bound: enum " + std::string(sv(x.name)) + ": the probe could not read its values\n";
          break;
        }
        std::string u(sv(x.underlying));
        if (u.empty())
          u = neg                 ? (max > 0x7FFFFFFF ? "long long" : "int")
              : max > 0xFFFFFFFFu ? "unsigned long long"
                                  : "unsigned int";
        out += "enum " + (x.anonymous || x.name.empty() ? std::string() : name + " ") + ": " + u + " {\n";
        for (const c_enumerator& e : x.enumerators)
          out += "  " + detail::cxx_name(sv(e.name)) + " = " + detail::value_literal(u, e.value, e.negative) + ",\n";
        out += "};\n";
        if (!x.anonymous && !x.name.empty() && x.size != 0)
          out += "static_assert(sizeof(" + name + ") == " + std::to_string(x.size) + ", \"" + module + ": " +
                 detail::c_spelling(x) + " (" + where + "): size is the C compiler's\");\n";
        out += "\n";
        break;
      }
      case c_kind::constant: {
        if (!x.refused.empty() || x.underlying.empty()) break;
        // a macro naming an enumerator (#define CURLVERSION_NOW CURLVERSION_TENTH) keeps its enum's type
        std::string_view body = sv(x.expression);
        while (body.size() > 1 && body.front() == '(' && body.back() == ')') body = body.substr(1, body.size() - 2);
        auto e = enumerators.find(std::string(body));
        if (e != enumerators.end() && chosen[e->second] && !d.decls[e->second].anonymous &&
            !d.decls[e->second].name.empty()) {
          out += "inline constexpr " + detail::cxx_name(sv(d.decls[e->second].name)) + " " + name + " = " +
                 detail::cxx_name(body) + ";\n";
          break;
        }
        out += "inline constexpr " + std::string(sv(x.underlying)) + " " + name + " = " +
               detail::value_literal(sv(x.underlying), x.value, x.negative) + ";  // " + std::string(sv(x.expression)) +
               "\n";
        break;
      }
      case c_kind::function:
      case c_kind::variable:
        break;
    }
  }
  // the table
  std::string sym = "\n/// The type of each symbol of the table.\nnamespace sym {\n";
  std::string table = "\n/// The module's symbols: vitte::loader::bind<" + module +
                      "::api>(source) fills them all or\n"
                      "/// refuses, naming each one missing or of another signature.\nstruct api {\n";
  std::string rows;
  std::size_t count = 0;
  for (std::uint32_t k = 0; k < d.decls.size(); ++k) {
    const c_declaration& x = d.decls[k];
    if (!chosen[k] || (x.kind != c_kind::function && x.kind != c_kind::variable)) continue;
    std::string spelling, reason;
    if (!x.refused.empty())
      reason = std::string(sv(x.refused));
    else
      (void)w.spell(x.type, spelling, reason, true);
    if (!reason.empty()) {
      notes += "// not bound: " + std::string(sv(x.name)) + ": " + reason + "\n";
      continue;
    }
    const std::string name = detail::cxx_name(sv(x.name));
    sym += "using " + name + " = " + w.render(x.type, "") + ";\n";
    table += "  sym::" + name + "* " + name + " = nullptr;\n";
    const bool fn = x.kind == c_kind::function;
    rows += "    {\"" + std::string(sv(x.symbol)) + "\", __builtin_offsetof(api, " + name +
            "), vitte::loader::export_kind::" + (fn ? "function" : "object") +
            ", vitte::loader::signature_hash<std::remove_cv_t<sym::" + name + ">>, \"" + spelling + "\"" +
            (matches(o.optional, x.name) ? ", true" : "") + "},\n";
    asserts += "static_assert(vitte::loader::signature_hash<std::remove_cv_t<sym::" + name +
               ">> == vitte::loader::signature_hash_of(\"" + spelling + "\"), \"" + name +
               ": bindgen's spelling is not the compiler's\");\n";
    ++count;
  }
  sym += "}  // namespace sym\n";
  table += "};\n";
  out += sym + table;
  out += "\n/// The table's rows, for vitte::loader::bind (found by argument-dependent lookup).\n";
  if (count == 0) {
    out += "constexpr vitte::span<const vitte::loader::binding> bindings_of(const api*) noexcept { return {}; }\n";
  } else {
    out += "inline constexpr vitte::loader::binding api_bindings[] = {\n" + rows + "};\n";
    out +=
        "constexpr vitte::span<const vitte::loader::binding> bindings_of(const api*) noexcept {\n"
        "  return api_bindings;\n}\n";
  }
  out += "\n// The signature spelled by bindgen is the one the compiler hashes.\n" + asserts;
  if (!notes.empty()) out += "\n// Left out, with the reason:\n" + notes;
  out += "\n}  // namespace " + module + "\n\n#endif  // " + guard + "\n";
  return text(std::string_view(out));
}

}  // namespace vitte::toolchain

#endif  // VITTE_TOOLCHAIN_IMPL_BINDGEN_IPP
