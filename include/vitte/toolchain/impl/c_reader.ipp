// vitte/toolchain/impl/c_reader.ipp - parse_c_declarations: the C
// declarations of a preprocessor's output (`cc -E -dD`), read by a
// recursive-descent parser of C's declaration grammar (C17 6.7, with the GNU
// extensions system headers use: __attribute__, __asm__ labels,
// __extension__, __restrict, __inline, __typeof__ refused).
#ifndef VITTE_TOOLCHAIN_IMPL_C_READER_IPP
#define VITTE_TOOLCHAIN_IMPL_C_READER_IPP

#include <vitte/base/config.hpp>
#include <vitte/base/detail/decimal.hpp>  // line markers' numbers
#include <vitte/base/detail/hex.hpp>      // integer literals' digits
#include <vitte/toolchain/bindgen.hpp>
#include <vitte/toolchain/operations.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>  // nested declarators
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace vitte::toolchain {
namespace detail {

/// One token of the preprocessed text, with where the header had it.
struct c_token {
  enum kind_t : std::uint8_t { end, identifier, number, string, character, punct, define, undef, pack } kind = end;
  std::string_view text;  // define: the whole line after "#define "; pack: the value (empty: pop/reset)
  std::uint32_t file = 0;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

inline bool c_ident_start(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
}
inline bool c_ident_char(char c) noexcept { return c_ident_start(c) || (c >= '0' && c <= '9'); }

/// The lexer: tokens, with the line markers followed and the -dD lines
/// (#define, #undef, #pragma pack) kept as tokens of their own.
struct c_lexer {
  std::string_view src;
  std::vector<std::string> files;  // as the line markers name them
  std::vector<c_token> tokens;
  /// #define, #undef and #pragma pack, each with the index of the token it precedes.
  std::vector<std::pair<std::size_t, c_token>> directives;
  std::string error;
  std::size_t error_at = 0;
  std::uint32_t error_file = 0, error_line = 0, error_column = 0;

  bool run() {
    std::size_t i = 0;
    std::uint32_t file = 0, line = 1;
    files.emplace_back("<input>");
    std::size_t line_start = 0;
    bool at_line_start = true;
    while (i < src.size()) {
      const char c = src[i];
      if (c == '\n') {
        ++i;
        ++line;
        line_start = i;
        at_line_start = true;
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
        ++i;
        continue;
      }
      const std::uint32_t column = static_cast<std::uint32_t>(i - line_start + 1);
      if (c == '#' && at_line_start) {
        std::size_t e = src.find('\n', i);
        if (e == std::string_view::npos) e = src.size();
        if (!directive(src.substr(i + 1, e - i - 1), file, line, column)) return false;
        i = e;
        continue;
      }
      at_line_start = false;
      c_token t;
      t.file = file;
      t.line = line;
      t.column = column;
      std::size_t j = i + 1;
      if (c_ident_start(c)) {
        while (j < src.size() && c_ident_char(src[j])) ++j;
        // L"...", u8"...": a prefixed literal
        if (j < src.size() && (src[j] == '"' || src[j] == '\'') &&
            (src.substr(i, j - i) == "L" || src.substr(i, j - i) == "u" || src.substr(i, j - i) == "U" ||
             src.substr(i, j - i) == "u8")) {
          if (!quoted(j, src[j], t, file, line, column)) return false;
          t.text = src.substr(i, j - i);
          tokens.push_back(t);
          i = j;
          continue;
        }
        t.kind = c_token::identifier;
      } else if ((c >= '0' && c <= '9') || (c == '.' && j < src.size() && src[j] >= '0' && src[j] <= '9')) {
        while (j < src.size() && (c_ident_char(src[j]) || src[j] == '.' ||
                                  ((src[j] == '+' || src[j] == '-') &&
                                   (src[j - 1] == 'e' || src[j - 1] == 'E' || src[j - 1] == 'p' || src[j - 1] == 'P'))))
          ++j;
        t.kind = c_token::number;
      } else if (c == '"' || c == '\'') {
        j = i;
        if (!quoted(j, c, t, file, line, column)) return false;
      } else {
        static constexpr std::string_view three[] = {"...", "<<=", ">>="};
        static constexpr std::string_view two[] = {"->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&",
                                                   "||", "*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=", "::"};
        std::size_t n = 1;
        for (std::string_view p : three)
          if (src.substr(i, 3) == p) n = 3;
        if (n == 1)
          for (std::string_view p : two)
            if (src.substr(i, 2) == p) n = 2;
        j = i + n;
        t.kind = c_token::punct;
      }
      t.text = src.substr(i, j - i);
      tokens.push_back(t);
      i = j;
    }
    c_token e;
    e.file = file;
    e.line = line;
    tokens.push_back(e);
    return true;
  }

  bool fail(std::string why, std::uint32_t file, std::uint32_t line, std::uint32_t column) {
    error = std::move(why);
    error_file = file;
    error_line = line;
    error_column = column;
    return false;
  }

  bool quoted(std::size_t& j, char q, c_token& t, std::uint32_t file, std::uint32_t line, std::uint32_t column) {
    t.kind = q == '"' ? c_token::string : c_token::character;
    for (++j; j < src.size() && src[j] != q; ++j) {
      if (src[j] == '\n') break;
      if (src[j] == '\\') ++j;
    }
    if (j >= src.size() || src[j] != q)
      return fail(q == '"' ? "string not closed on its line" : "character constant not closed on its line", file, line,
                  column);
    ++j;
    return true;
  }

  /// A line that starts with '#': a line marker (# N "file" flags), or a
  /// #define, #undef, #pragma pack kept by -dD; the rest is ignored.
  bool directive(std::string_view d, std::uint32_t& file, std::uint32_t& line, std::uint32_t column) {
    std::size_t k = 0;
    while (k < d.size() && (d[k] == ' ' || d[k] == '\t')) ++k;
    d.remove_prefix(k);
    if (d.starts_with("line")) d.remove_prefix(4);
    k = 0;
    while (k < d.size() && (d[k] == ' ' || d[k] == '\t')) ++k;
    if (k < d.size() && d[k] >= '0' && d[k] <= '9') {
      std::uint64_t n = 0;
      for (; k < d.size() && d[k] >= '0' && d[k] <= '9'; ++k)
        if (!vitte::detail::push_decimal_digit(n, d[k], 0xFFFFFFFFu))
          return fail("line marker's line number too large", file, line, column);
      while (k < d.size() && d[k] == ' ') ++k;
      if (k < d.size() && d[k] == '"') {
        std::string name;
        for (++k; k < d.size() && d[k] != '"'; ++k) {
          if (d[k] == '\\' && k + 1 < d.size()) ++k;
          name += d[k];
        }
        if (k >= d.size()) return fail("line marker's file name not closed", file, line, column);
        if (name.empty()) name = "<input>";  // a marker without a name: the input's own
        std::uint32_t f = 0;
        while (f < files.size() && files[f] != name) ++f;
        if (f == files.size()) files.push_back(name);
        file = f;
      }
      // the marker's own newline moves to the next line: the next is line n
      line = n > 0 ? static_cast<std::uint32_t>(n) - 1 : 0;  // "# 0" counts from 1 too
      return true;
    }
    c_token t;
    t.file = file;
    t.line = line;
    t.column = column;
    if (d.starts_with("define ")) {
      t.kind = c_token::define;
      t.text = d.substr(7);
      directives.emplace_back(tokens.size(), t);
    } else if (d.starts_with("undef ")) {
      t.kind = c_token::undef;
      t.text = d.substr(6);
      while (!t.text.empty() && (t.text.back() == ' ' || t.text.back() == '\r')) t.text.remove_suffix(1);
      directives.emplace_back(tokens.size(), t);
    } else if (d.starts_with("pragma pack")) {
      // pack(push, N), pack(N), pack(pop), pack(): the value in force after it
      std::string_view a = d.substr(11);
      t.kind = c_token::pack;
      std::size_t digits = a.find_first_of("0123456789");
      if (a.find("pop") != std::string_view::npos) {
        t.text = "pop";
      } else if (digits != std::string_view::npos) {
        std::size_t e = digits;
        while (e < a.size() && a[e] >= '0' && a[e] <= '9') ++e;
        t.text = a.substr(digits, e - digits);
        if (a.find("push") != std::string_view::npos) t.kind = c_token::pack, t.column = 1;  // column 1: a push
      } else {
        t.text = a.find("push") != std::string_view::npos ? std::string_view("push") : std::string_view();
      }
      directives.emplace_back(tokens.size(), t);
    }
    return true;
  }
};

/// Integer constant expressions of literals and operators (array bounds,
/// bitfield widths): nullopt-like `ok` false for anything else.
struct c_const_eval {
  const std::vector<c_token>* toks;
  std::size_t i, e;
  bool ok = true;

  static bool literal(std::string_view s, std::uint64_t& v) {
    while (!s.empty() && (s.back() == 'u' || s.back() == 'U' || s.back() == 'l' || s.back() == 'L')) s.remove_suffix(1);
    if (s.empty()) return false;
    unsigned base = 10;
    std::size_t k = 0;
    if (s.size() > 1 && s[0] == '0') {
      if (s[1] == 'x' || s[1] == 'X') {
        base = 16;
        k = 2;
      } else if (s[1] == 'b' || s[1] == 'B') {
        base = 2;
        k = 2;
      } else {
        base = 8;
        k = 1;
      }
    }
    if (k >= s.size() && base != 8) return false;
    v = 0;
    for (; k < s.size(); ++k) {
      if (s[k] == '\'') continue;  // a digit separator
      const int digit = vitte::detail::hex_value(s[k]);
      if (digit < 0) return false;
      const auto d = static_cast<unsigned>(digit);
      if (d >= base) return false;
      v = v * base + d;
    }
    return true;
  }
  std::string_view peek() const { return i < e ? (*toks)[i].text : std::string_view(); }
  std::int64_t primary() {
    if (i >= e) return ok = false, 0;
    const c_token& t = (*toks)[i++];
    if (t.kind == c_token::number) {
      std::uint64_t v = 0;
      if (!literal(t.text, v)) ok = false;
      return static_cast<std::int64_t>(v);
    }
    if (t.text == "(") {
      const std::int64_t v = ternary();
      if (peek() != ")") ok = false;
      ++i;
      return v;
    }
    if (t.text == "-") return -unary_tail();
    if (t.text == "+") return unary_tail();
    if (t.text == "~") return ~unary_tail();
    if (t.text == "!") return !unary_tail();
    return ok = false, 0;
  }
  std::int64_t unary_tail() { return primary(); }
  std::int64_t binary(int level) {
    static constexpr std::string_view ops[][4] = {
        {"||"},       {"&&"},     {"|"},          {"^"}, {"&"}, {"==", "!="}, {"<", ">", "<=", ">="},
        {"<<", ">>"}, {"+", "-"}, {"*", "/", "%"}};
    if (level == 10) return primary();
    std::int64_t l = binary(level + 1);
    for (;;) {
      std::string_view op = peek();
      bool found = false;
      for (std::string_view o : ops[level])
        if (!o.empty() && o == op) found = true;
      if (!found || !ok) return l;
      ++i;
      const std::int64_t r = binary(level + 1);
      const auto ul = static_cast<std::uint64_t>(l), ur = static_cast<std::uint64_t>(r);
      if (op == "||")
        l = l || r;
      else if (op == "&&")
        l = l && r;
      else if (op == "|")
        l = static_cast<std::int64_t>(ul | ur);
      else if (op == "^")
        l = static_cast<std::int64_t>(ul ^ ur);
      else if (op == "&")
        l = static_cast<std::int64_t>(ul & ur);
      else if (op == "==")
        l = l == r;
      else if (op == "!=")
        l = l != r;
      else if (op == "<")
        l = l < r;
      else if (op == ">")
        l = l > r;
      else if (op == "<=")
        l = l <= r;
      else if (op == ">=")
        l = l >= r;
      else if (op == "<<")
        l = r < 0 || r > 63 ? (ok = false, 0) : static_cast<std::int64_t>(ul << r);
      else if (op == ">>")
        l = r < 0 || r > 63 ? (ok = false, 0) : l >> r;
      else if (op == "+")
        l = static_cast<std::int64_t>(ul + ur);
      else if (op == "-")
        l = static_cast<std::int64_t>(ul - ur);
      else if (op == "*")
        l = static_cast<std::int64_t>(ul * ur);
      else if (r == 0 || (l == INT64_MIN && r == -1))
        ok = false;
      else
        l = op == "/" ? l / r : l % r;
    }
  }
  std::int64_t ternary() {
    const std::int64_t c = binary(0);
    if (peek() != "?") return c;
    ++i;
    const std::int64_t a = ternary();
    if (peek() != ":") return ok = false, 0;
    ++i;
    const std::int64_t b = ternary();
    return c ? a : b;
  }
  static bool eval(const std::vector<c_token>& t, std::size_t b, std::size_t e, std::int64_t& out) {
    c_const_eval x{&t, b, e};
    out = x.ternary();
    return x.ok && x.i == e;
  }
};

/// The parser: declarations into a c_declarations.
class c_parser {
 public:
  c_parser(const std::vector<c_token>& t, const std::vector<std::pair<std::size_t, c_token>>& directives,
           c_declarations& out)
      : t_(t), directives_(directives), out_(out) {}

  std::string error;
  const c_token* error_at = nullptr;

  bool run() {
    while (t_[i_].kind != c_token::end) {
      directives_before(i_);
      if (!external()) return false;
    }
    directives_before(t_.size());
    resolve();
    return true;
  }

 private:
  static constexpr std::uint32_t none = c_type::none;

  // --- tokens -------------------------------------------------------------
  const c_token& tok(std::size_t k = 0) const { return t_[i_ + k < t_.size() ? i_ + k : t_.size() - 1]; }
  bool is(std::string_view s, std::size_t k = 0) const {
    const c_token& x = tok(k);
    return (x.kind == c_token::punct || x.kind == c_token::identifier) && x.text == s;
  }
  bool accept(std::string_view s) {
    if (!is(s)) return false;
    ++i_;
    return true;
  }
  bool fail(std::string why) {
    if (error.empty()) {
      error = std::move(why);
      error_at = &tok();
    }
    return false;
  }
  bool expect(std::string_view s) {
    if (accept(s)) return true;
    const c_token& x = tok();
    return fail(
        "expected '" + std::string(s) + "'" +
        (x.kind == c_token::end ? std::string(" at the end of the input") : " before '" + std::string(x.text) + "'"));
  }
  /// Skips a balanced (), [] or {} group starting at the current token.
  bool skip_group() {
    const std::string_view open = tok().text;
    const std::string_view close = open == "(" ? ")" : open == "[" ? "]" : "}";
    std::size_t depth = 0;
    const c_token* start = &tok();
    for (;; ++i_) {
      const c_token& x = tok();
      if (x.kind == c_token::end) {
        error_at = start;
        error = "'" + std::string(open) + "' never closed";
        return false;
      }
      if (x.kind != c_token::punct) continue;
      if (x.text == open) ++depth;
      if (x.text == close && --depth == 0) {
        ++i_;
        return true;
      }
    }
  }

  // --- the model ---------------------------------------------------------
  std::uint32_t add_type(c_type t) {
    out_.types.push_back(std::move(t));
    return static_cast<std::uint32_t>(out_.types.size() - 1);
  }
  std::uint32_t qualified(std::uint32_t t, bool c, bool v) {
    if (!c && !v) return t;
    c_type q = out_.types[t];
    q.is_const = q.is_const || c;
    q.is_volatile = q.is_volatile || v;
    return add_type(std::move(q));
  }
  c_declaration& place(c_declaration& d, const c_token& at) {
    d.file = text(files_[at.file]);
    d.line = at.line;
    d.column = at.column;
    return d;
  }

  // --- specifiers --------------------------------------------------------
  struct specifiers {
    bool is_typedef = false, is_extern = false, is_static = false, is_inline = false;
    bool is_const = false, is_volatile = false;
    bool packed = false;
    std::uint32_t aligned = 0;
    std::uint32_t type = none;
    std::string refused;  // a type we do not bind (with why)
    // builtin words
    int longs = 0, shorts = 0;
    bool is_signed = false, is_unsigned = false, is_char = false, is_int = false, is_float = false, is_double = false,
         is_void = false, is_bool = false, is_int128 = false, is_complex = false;
    std::string other;  // another builtin (__builtin_va_list, _Float128, ...)
    bool any_word = false;
  };

  /// __attribute__((...)): packed and aligned(N) kept, the rest skipped.
  bool attribute(specifiers* s) {
    const std::size_t start = i_ + 1;
    if (!is("(")) return fail("expected '(' after __attribute__");
    if (!skip_group()) return false;
    if (s == nullptr) return true;
    for (std::size_t k = start; k < i_; ++k) {
      const std::string_view w = t_[k].text;
      if (w == "packed" || w == "__packed__") s->packed = true;
      if ((w == "aligned" || w == "__aligned__") && t_[k + 1].text == "(") {
        std::int64_t v = 0;
        std::size_t e = k + 2;
        int depth = 1;
        while (e < i_ && depth > 0) {
          if (t_[e].text == "(") ++depth;
          if (t_[e].text == ")") --depth;
          if (depth > 0) ++e;
        }
        if (c_const_eval::eval(t_, k + 2, e, v) && v > 0) s->aligned = static_cast<std::uint32_t>(v);
      }
    }
    return true;
  }

  static bool attribute_word(std::string_view w) {
    return w == "__attribute__" || w == "__attribute" || w == "__declspec";
  }
  static bool qualifier_word(std::string_view w) {
    return w == "restrict" || w == "__restrict" || w == "__restrict__" || w == "_Nonnull" || w == "_Nullable" ||
           w == "__nonnull" || w == "_Null_unspecified" || w == "__ptr32" || w == "__ptr64";
  }
  bool is_type_word(std::string_view w) const {
    static constexpr std::string_view words[] = {"void",
                                                 "char",
                                                 "short",
                                                 "int",
                                                 "long",
                                                 "float",
                                                 "double",
                                                 "signed",
                                                 "unsigned",
                                                 "_Bool",
                                                 "bool",
                                                 "__signed__",
                                                 "__signed",
                                                 "__int128",
                                                 "_Complex",
                                                 "__complex__",
                                                 "_Float128",
                                                 "__float128",
                                                 "_Float16",
                                                 "_Float32",
                                                 "_Float64",
                                                 "_Float32x",
                                                 "_Float64x",
                                                 "struct",
                                                 "union",
                                                 "enum",
                                                 "const",
                                                 "volatile",
                                                 "__const",
                                                 "__volatile__",
                                                 "__builtin_va_list",
                                                 "_Atomic",
                                                 "__typeof__",
                                                 "typeof",
                                                 "__typeof",
                                                 "__int128_t",
                                                 "__uint128_t",
                                                 "_Decimal32",
                                                 "_Decimal64",
                                                 "_Decimal128",
                                                 "__auto_type"};
    for (std::string_view x : words)
      if (x == w) return true;
    return typedefs_.count(std::string(w)) != 0 || qualifier_word(w);
  }

  bool decl_specifiers(specifiers& s) {
    for (;;) {
      const c_token& x = tok();
      if (x.kind != c_token::identifier) break;
      const std::string_view w = x.text;
      if (w == "typedef")
        s.is_typedef = true;
      else if (w == "extern")
        s.is_extern = true;
      else if (w == "static")
        s.is_static = true;
      else if (w == "inline" || w == "__inline" || w == "__inline__")
        s.is_inline = true;
      else if (w == "_Noreturn" || w == "__extension__" || w == "register" || w == "auto" || w == "__thread" ||
               w == "_Thread_local" || qualifier_word(w))
        ;
      else if (w == "const" || w == "__const")
        s.is_const = true;
      else if (w == "volatile" || w == "__volatile__" || w == "__volatile")
        s.is_volatile = true;
      else if (attribute_word(w)) {
        ++i_;
        if (!attribute(&s)) return false;
        continue;
      } else if (w == "_Alignas" || w == "alignas") {
        ++i_;
        if (!is("(")) return fail("expected '(' after _Alignas");
        if (!skip_group()) return false;
        continue;
      } else if (w == "_Atomic") {
        s.refused = "an _Atomic type";
        if (is("(", 1)) {
          ++i_;
          if (!skip_group()) return false;
          s.any_word = true;
          continue;
        }
      } else if (w == "__typeof__" || w == "typeof" || w == "__typeof") {
        ++i_;
        if (!is("(")) return fail("expected '(' after typeof");
        if (!skip_group()) return false;
        s.refused = "a typeof type";
        s.any_word = true;
        s.other = "int";
        continue;
      } else if (w == "struct" || w == "union") {
        ++i_;
        if (!record_specifier(s, w == "union")) return false;
        continue;
      } else if (w == "enum") {
        ++i_;
        if (!enum_specifier(s)) return false;
        continue;
      } else if (w == "void")
        s.is_void = s.any_word = true;
      else if (w == "char")
        s.is_char = s.any_word = true;
      else if (w == "short")
        ++s.shorts, s.any_word = true;
      else if (w == "int")
        s.is_int = s.any_word = true;
      else if (w == "long")
        ++s.longs, s.any_word = true;
      else if (w == "float")
        s.is_float = s.any_word = true;
      else if (w == "double")
        s.is_double = s.any_word = true;
      else if (w == "signed" || w == "__signed__" || w == "__signed")
        s.is_signed = s.any_word = true;
      else if (w == "unsigned")
        s.is_unsigned = s.any_word = true;
      else if (w == "_Bool" || w == "bool")
        s.is_bool = s.any_word = true;
      else if (w == "__int128")
        s.is_int128 = s.any_word = true;
      else if (w == "__int128_t" || w == "__uint128_t") {
        s.is_int128 = s.any_word = true;
        s.is_unsigned = w == "__uint128_t";
      } else if (w == "_Complex" || w == "__complex__")
        s.is_complex = s.any_word = true;
      else if (w == "__builtin_va_list" || w == "_Float128" || w == "__float128" || w == "_Float16" ||
               w == "_Float32" || w == "_Float64" || w == "_Float32x" || w == "_Float64x" || w == "_Decimal32" ||
               w == "_Decimal64" || w == "_Decimal128") {
        s.other = std::string(w);
        s.any_word = true;
      } else if (!s.any_word && s.type == none && typedefs_.count(std::string(w)) != 0) {
        auto tl = tagless_types_.find(std::string(w));
        if (tl != tagless_types_.end()) {  // the struct or enum a typedef named
          s.type = tl->second;
        } else {
          c_type t;
          t.kind = c_type_kind::typedef_name;
          t.name = text(w);
          s.type = add_type(std::move(t));
        }
      } else
        break;
      ++i_;
    }
    return true;
  }

  /// The type the specifiers name (with their const and volatile).
  bool base_type(specifiers& s, std::uint32_t& out) {
    std::uint32_t t = s.type;
    if (t == none) {
      c_type b;
      b.kind = c_type_kind::builtin;
      std::string n;
      if (!s.other.empty())
        n = s.other;
      else if (s.is_void)
        n = "void";
      else if (s.is_bool)
        n = "_Bool";
      else if (s.is_float)
        n = "float";
      else if (s.is_double)
        n = s.longs > 0 ? "long double" : "double";
      else if (s.is_int128)
        n = s.is_unsigned ? "unsigned __int128" : "__int128";
      else if (s.is_char)
        n = s.is_unsigned ? "unsigned char" : s.is_signed ? "signed char" : "char";
      else if (s.shorts > 0)
        n = s.is_unsigned ? "unsigned short" : "short";
      else if (s.longs >= 2)
        n = s.is_unsigned ? "unsigned long long" : "long long";
      else if (s.longs == 1)
        n = s.is_unsigned ? "unsigned long" : "long";
      else if (s.is_int || s.is_signed || s.is_unsigned)
        n = s.is_unsigned ? "unsigned int" : "int";
      else
        return fail("expected a type before '" + std::string(tok().text) + "'");
      if (s.is_complex) {
        n = "_Complex " + n;
        s.refused = "a _Complex type";
      }
      if (n == "__builtin_va_list")
        s.refused = "a va_list";
      else if (n.find("128") != std::string::npos || n.find("_Float") != std::string::npos ||
               n.find("_Decimal") != std::string::npos)
        s.refused = "type " + n;
      b.name = text(n);
      t = add_type(std::move(b));
    }
    out = qualified(t, s.is_const, s.is_volatile);
    return true;
  }

  // --- struct, union, enum -----------------------------------------------
  std::string tag_key(std::string_view kind, std::string_view name) const {
    return std::string(kind) + " " + std::string(name);
  }

  /// The declaration of a tag that is only named here (forward).
  void forward(std::string_view kind, std::string_view name, const c_token& at) {
    const std::string key = tag_key(kind, name);
    if (tags_.count(key) != 0) return;
    c_declaration d;
    d.kind = kind == "enum" ? c_kind::enumeration : c_kind::record;
    d.is_union = kind == "union";
    d.name = text(name);
    place(d, at);
    out_.decls.push_back(std::move(d));
    tags_[key] = static_cast<std::uint32_t>(out_.decls.size() - 1);
  }

  bool record_specifier(specifiers& s, bool is_union) {
    const c_token& at = tok();
    specifiers attrs;
    while (tok().kind == c_token::identifier && attribute_word(tok().text)) {
      ++i_;
      if (!attribute(&attrs)) return false;
    }
    std::string_view tag;
    if (tok().kind == c_token::identifier && !is_type_word(tok().text))
      tag = tok().text, ++i_;
    else if (tok().kind == c_token::identifier && typedefs_.count(std::string(tok().text)) != 0 && !is("{"))
      tag = tok().text, ++i_;  // a tag may share a typedef's name
    const std::string_view kind = is_union ? "union" : "struct";
    c_type t;
    t.kind = c_type_kind::record;
    t.is_union = is_union;
    t.name = text(tag);
    s.any_word = true;
    if (!is("{")) {
      if (tag.empty()) return fail("expected a tag or '{' after " + std::string(kind));
      forward(kind, tag, at);
      s.type = add_type(std::move(t));
      return true;
    }
    directives_before(i_);
    ++i_;
    c_declaration d;
    d.kind = c_kind::record;
    d.is_union = is_union;
    d.defined = true;
    d.name = text(tag);
    d.anonymous = tag.empty();
    d.pack = pack_;
    place(d, at);
    while (!accept("}")) {
      if (tok().kind == c_token::end) {
        fail("'{' of " + std::string(kind) + " never closed");
        error_at = &at;
        return false;
      }
      if (!member(d)) return false;
    }
    while (tok().kind == c_token::identifier && attribute_word(tok().text)) {
      ++i_;
      if (!attribute(&attrs)) return false;
    }
    d.packed = attrs.packed;
    d.aligned = attrs.aligned;
    out_.decls.push_back(std::move(d));
    const std::uint32_t index = static_cast<std::uint32_t>(out_.decls.size() - 1);
    if (!tag.empty()) tags_[tag_key(kind, tag)] = index;
    t.record = index;
    s.type = add_type(std::move(t));
    return true;
  }

  bool member(c_declaration& d) {
    if (accept(";")) return true;
    if (is("_Static_assert") || is("static_assert")) {
      ++i_;
      if (!skip_group()) return false;
      return expect(";");
    }
    specifiers s;
    const c_token& at = tok();
    if (!decl_specifiers(s)) return false;
    std::uint32_t base = none;
    if (!base_type(s, base)) return false;
    if (accept(";")) {  // an anonymous member (struct { ... };) or a lone tag
      const c_type& bt = out_.types[base];
      if (bt.kind == c_type_kind::record && bt.record != none && out_.decls[bt.record].anonymous) {
        c_field f;
        f.type = base;
        d.fields.push_back(std::move(f));
      }
      return true;
    }
    for (;;) {
      c_field f;
      std::string name;
      std::uint32_t type = base;
      if (!is(":")) {
        if (!declarator(base, type, name, nullptr)) return false;
      }
      f.name = text(name);
      f.type = type;
      if (accept(":")) {
        const std::size_t b = i_;
        while (!is(",") && !is(";") && tok().kind != c_token::end && !attribute_word(tok().text)) {
          if (is("(")) {
            if (!skip_group()) return false;
          } else {
            ++i_;
          }
        }
        std::int64_t w = 0;
        if (!c_const_eval::eval(t_, b, i_, w) || w < 0 || w > 128)
          return error_at = &t_[b], error = "bitfield width is not a constant this reader evaluates", false;
        f.bitfield = true;
        f.bits = static_cast<std::uint32_t>(w);
      }
      while (tok().kind == c_token::identifier && attribute_word(tok().text)) {
        ++i_;
        if (!attribute(nullptr)) return false;
      }
      if (!s.refused.empty() && d.refused.empty()) d.refused = text("a member of " + s.refused);
      (void)at;
      d.fields.push_back(std::move(f));
      if (accept(",")) continue;
      return expect(";");
    }
  }

  bool enum_specifier(specifiers& s) {
    const c_token& at = tok();
    specifiers attrs;
    while (tok().kind == c_token::identifier && attribute_word(tok().text)) {
      ++i_;
      if (!attribute(&attrs)) return false;
    }
    std::string_view tag;
    if (tok().kind == c_token::identifier && !is("{")) tag = tok().text, ++i_;
    c_type t;
    t.kind = c_type_kind::enumeration;
    t.name = text(tag);
    s.any_word = true;
    if (accept(":")) {  // C23 fixed underlying type: the probe reports it anyway
      specifiers u;
      if (!decl_specifiers(u)) return false;
    }
    if (!is("{")) {
      if (tag.empty()) return fail("expected a tag or '{' after enum");
      forward("enum", tag, at);
      s.type = add_type(std::move(t));
      return true;
    }
    ++i_;
    c_declaration d;
    d.kind = c_kind::enumeration;
    d.defined = true;
    d.name = text(tag);
    d.anonymous = tag.empty();
    place(d, at);
    while (!accept("}")) {
      if (tok().kind != c_token::identifier) return fail("expected an enumerator name");
      c_enumerator e;
      e.name = text(tok().text);
      ++i_;
      while (tok().kind == c_token::identifier && attribute_word(tok().text)) {
        ++i_;
        if (!attribute(nullptr)) return false;
      }
      if (accept("=")) {
        while (!is(",") && !is("}")) {
          if (tok().kind == c_token::end) return fail("enum never closed");
          if (is("(")) {
            if (!skip_group()) return false;
          } else {
            ++i_;
          }
        }
      }
      enumerators_.emplace(std::string(e.name.view()), true);
      d.enumerators.push_back(std::move(e));
      if (!accept(",") && !is("}")) return expect("}");
    }
    while (tok().kind == c_token::identifier && attribute_word(tok().text)) {
      ++i_;
      if (!attribute(&attrs)) return false;
    }
    d.packed = attrs.packed;
    out_.decls.push_back(std::move(d));
    const std::uint32_t index = static_cast<std::uint32_t>(out_.decls.size() - 1);
    if (!tag.empty()) tags_[tag_key("enum", tag)] = index;
    t.record = index;
    s.type = add_type(std::move(t));
    return true;
  }

  // --- declarators --------------------------------------------------------
  struct suffix {
    bool is_array = false;
    std::uint32_t fn = none;  // function: a function type with `of` to fill in
    bool unbounded = false;
    std::uint64_t extent = 0;
    std::string extent_text;
  };
  struct declarator_parts {
    std::vector<std::pair<bool, bool>> pointers;  // const, volatile of each '*'
    std::vector<suffix> suffixes;
    std::unique_ptr<declarator_parts> inner;
    std::string name;
    std::string asm_label;
  };

  /// Whether '(' here opens a nested declarator rather than parameters.
  bool nested_declarator() const {
    const c_token& n = tok(1);
    if (n.kind == c_token::punct) return n.text == "*" || n.text == "(" || n.text == "^" || n.text == "[";
    if (n.kind != c_token::identifier) return false;
    if (attribute_word(n.text)) return true;
    return !is_type_word(n.text) && n.text != "typedef" && n.text != "extern" && n.text != "static" &&
           n.text != "register";
  }

  bool parse_declarator(declarator_parts& p) {
    for (;;) {
      if (tok().kind == c_token::identifier && attribute_word(tok().text)) {
        ++i_;
        if (!attribute(nullptr)) return false;
        continue;
      }
      if (!accept("*")) break;
      bool c = false, v = false;
      while (tok().kind == c_token::identifier) {
        const std::string_view w = tok().text;
        if (w == "const" || w == "__const")
          c = true;
        else if (w == "volatile" || w == "__volatile__" || w == "__volatile")
          v = true;
        else if (qualifier_word(w) || w == "_Atomic")
          ;
        else if (attribute_word(w)) {
          ++i_;
          if (!attribute(nullptr)) return false;
          continue;
        } else
          break;
        ++i_;
      }
      p.pointers.emplace_back(c, v);
    }
    if (is("(") && nested_declarator()) {
      ++i_;
      p.inner = std::make_unique<declarator_parts>();
      if (!parse_declarator(*p.inner)) return false;
      if (!expect(")")) return false;
    } else if (tok().kind == c_token::identifier && !is_type_word(tok().text) && !attribute_word(tok().text) &&
               tok().text != "__asm__" && tok().text != "__asm" && tok().text != "asm") {
      p.name = std::string(tok().text);
      ++i_;
    }
    for (;;) {
      if (is("[")) {
        ++i_;
        suffix sfx;
        sfx.is_array = true;
        while (is("static") || is("const") || is("volatile") || is("restrict") || is("__restrict")) ++i_;
        const std::size_t b = i_;
        while (!is("]")) {
          if (tok().kind == c_token::end) return fail("'[' never closed");
          if (is("(") || is("[")) {
            if (!skip_group()) return false;
          } else {
            ++i_;
          }
        }
        for (std::size_t k = b; k < i_; ++k) {
          if (k > b) sfx.extent_text += ' ';
          sfx.extent_text += t_[k].text;
        }
        std::int64_t v = 0;
        if (b == i_)
          sfx.unbounded = true;
        else if (c_const_eval::eval(t_, b, i_, v) && v >= 0)
          sfx.extent = static_cast<std::uint64_t>(v);
        ++i_;
        p.suffixes.push_back(std::move(sfx));
      } else if (is("(")) {
        ++i_;
        c_type f;
        f.kind = c_type_kind::function;
        if (!parameters(f)) return false;
        suffix sfx;
        sfx.fn = add_type(std::move(f));
        p.suffixes.push_back(std::move(sfx));
      } else {
        break;
      }
    }
    for (;;) {
      if (tok().kind == c_token::identifier && attribute_word(tok().text)) {
        ++i_;
        if (!attribute(nullptr)) return false;
      } else if (is("__asm__") || is("__asm") || is("asm")) {
        ++i_;
        const std::size_t b = i_;
        if (!is("(")) return fail("expected '(' after __asm__");
        if (!skip_group()) return false;
        for (std::size_t k = b; k < i_; ++k)
          if (t_[k].kind == c_token::string) {
            std::string_view s = t_[k].text;
            p.asm_label += std::string(s.substr(1, s.size() - 2));
          }
      } else {
        break;
      }
    }
    return true;
  }

  /// The type and name a declarator gives `base` (C's inside-out rule).
  std::uint32_t apply(const declarator_parts& p, std::uint32_t t) {
    for (const auto& q : p.pointers) {
      c_type ptr;
      ptr.kind = c_type_kind::pointer;
      ptr.of = t;
      ptr.is_const = q.first;
      ptr.is_volatile = q.second;
      t = add_type(std::move(ptr));
    }
    for (std::size_t k = p.suffixes.size(); k-- > 0;) {
      const suffix& s = p.suffixes[k];
      if (s.is_array) {
        c_type a;
        a.kind = c_type_kind::array;
        a.of = t;
        a.unbounded = s.unbounded;
        a.extent = s.extent;
        a.extent_text = text(s.extent_text);
        t = add_type(std::move(a));
      } else {
        c_type f = out_.types[s.fn];
        f.of = t;
        t = add_type(std::move(f));
      }
    }
    return p.inner ? apply(*p.inner, t) : t;
  }
  static const declarator_parts& innermost(const declarator_parts& p) { return p.inner ? innermost(*p.inner) : p; }
  static std::string name_of(const declarator_parts& p) {
    if (!p.name.empty()) return p.name;
    return p.inner ? name_of(*p.inner) : std::string();
  }
  static std::string label_of(const declarator_parts& p) {
    if (!p.asm_label.empty()) return p.asm_label;
    return p.inner ? label_of(*p.inner) : std::string();
  }

  bool declarator(std::uint32_t base, std::uint32_t& type, std::string& name, std::string* label) {
    declarator_parts p;
    if (!parse_declarator(p)) return false;
    type = apply(p, base);
    name = name_of(p);
    if (label != nullptr) *label = label_of(p);
    (void)innermost;
    return true;
  }

  bool parameters(c_type& f) {
    if (accept(")")) return true;  // (): no prototype; read as (void)
    if (is("void") && is(")", 1)) {
      i_ += 2;
      return true;
    }
    for (;;) {
      if (accept("...")) {
        f.variadic = true;
        return expect(")");
      }
      specifiers s;
      if (!decl_specifiers(s)) return false;
      std::uint32_t base = none;
      if (!base_type(s, base)) return false;
      std::uint32_t t = base;
      std::string name;
      if (!declarator(base, t, name, nullptr)) return false;
      if (!s.refused.empty() && refused_.empty()) refused_ = "takes " + s.refused;
      f.params.push_back(t);
      if (accept(",")) continue;
      return expect(")");
    }
  }

  // --- directives -------------------------------------------------------
  /// Reads the directives that came before token `upto`, in order.
  void directives_before(std::size_t upto) {
    for (; d_ < directives_.size() && directives_[d_].first <= upto; ++d_) {
      const c_token& at = directives_[d_].second;
      if (at.kind == c_token::define) {
        define(at);
      } else if (at.kind == c_token::undef) {
        auto m = macros_.find(std::string(at.text));
        if (m != macros_.end()) {
          out_.decls[m->second].refused = text("#undef later");
          macros_.erase(m);
        }
      } else if (at.text == "pop") {
        pack_ = packs_.empty() ? 0 : packs_.back();
        if (!packs_.empty()) packs_.pop_back();
      } else if (at.text == "push") {
        packs_.push_back(pack_);
      } else {
        if (at.column == 1) packs_.push_back(pack_);
        std::uint64_t v = 0;
        pack_ = c_const_eval::literal(at.text, v) ? static_cast<std::uint32_t>(v) : 0;
      }
    }
  }

  // --- external declarations ---------------------------------------------
  bool external() {
    if (accept(";")) return true;
    if (is("_Static_assert") || is("static_assert")) {
      ++i_;
      if (!skip_group()) return false;
      return expect(";");
    }
    if (is("__asm__") || is("__asm") || is("asm")) {
      ++i_;
      while (tok().kind == c_token::identifier) ++i_;  // volatile, goto
      if (!is("(")) return fail("expected '(' after __asm__");
      if (!skip_group()) return false;
      return expect(";");
    }
    specifiers s;
    if (!decl_specifiers(s)) return false;
    if (tok().kind == c_token::identifier && s.type == none && !s.any_word)
      return fail("unknown type name '" + std::string(tok().text) + "'");
    std::uint32_t base = none;
    if (!base_type(s, base)) return false;
    if (accept(";")) return true;  // struct x { ... }; or enum { ... };
    bool first = true;
    for (;;) {
      const c_token& where = tok();
      refused_.clear();
      std::uint32_t type = base;
      std::string name, label;
      if (!declarator(base, type, name, &label)) return false;
      if (name.empty()) return fail("expected a name in this declaration");
      const bool is_function = out_.types[type].kind == c_type_kind::function;
      std::string refused = !s.refused.empty() ? (is_function ? "returns " : "is ") + s.refused : refused_;
      bool body = false;
      if (accept("=")) {  // an initializer: skip it
        while (!is(",") && !is(";")) {
          if (tok().kind == c_token::end) return fail("expected ';' after the initializer");
          if (is("(") || is("{") || is("[")) {
            if (!skip_group()) return false;
          } else {
            ++i_;
          }
        }
        if (refused.empty()) refused = "defined in the header";
      } else if (is("{")) {
        if (!is_function || !first) return fail("a body where no function is declared");
        if (!skip_group()) return false;
        body = true;
      }
      if (s.is_typedef) {
        typedef_(name, type, where);
      } else if (is_function) {
        if (body && refused.empty())
          refused = s.is_static ? "static inline: defined in the header" : "defined in the header";
        if (s.is_static && refused.empty()) refused = "static";
        ordinary(c_kind::function, name, label, type, refused, where);
      } else {
        if (s.is_static && refused.empty()) refused = "static";
        ordinary(c_kind::variable, name, label, type, refused, where);
      }
      if (body) return true;
      first = false;
      if (accept(",")) continue;
      return expect(";");
    }
  }

  void ordinary(c_kind k, const std::string& name, const std::string& label, std::uint32_t type,
                const std::string& refused, const c_token& at) {
    auto have = ordinary_.find(name);
    if (have != ordinary_.end()) {  // declared again: the first stays, a definition refuses it
      c_declaration& d = out_.decls[have->second];
      if (!refused.empty() && d.refused.empty()) d.refused = text(refused);
      return;
    }
    c_declaration d;
    d.kind = k;
    d.name = text(name);
    d.symbol = text(label.empty() ? name : label);
    d.type = type;
    d.refused = text(refused);
    place(d, at);
    out_.decls.push_back(std::move(d));
    ordinary_[name] = static_cast<std::uint32_t>(out_.decls.size() - 1);
  }

  void typedef_(const std::string& name, std::uint32_t type, const c_token& at) {
    c_type& t = out_.types[type];
    typedefs_[name] = true;
    // typedef struct { ... } name;: the struct takes the name
    if ((t.kind == c_type_kind::record || t.kind == c_type_kind::enumeration) && t.name.empty() && t.record != none &&
        out_.decls[t.record].anonymous && !t.is_const && !t.is_volatile) {
      c_declaration& r = out_.decls[t.record];
      r.anonymous = false;
      r.tagless = true;
      r.name = text(name);
      t.name = text(name);
      tagless_[name] = t.record;
      tagless_types_[name] = type;
      return;
    }
    c_declaration d;
    d.kind = c_kind::type_alias;
    d.name = text(name);
    d.type = type;
    place(d, at);
    out_.decls.push_back(std::move(d));
  }

  /// `#define NAME body` from -dD: an integer constant when the body is
  /// made of integer literals, operators, integer type casts and names of
  /// other such constants or of enumerators.
  void define(const c_token& at) {
    std::string_view line = at.text;
    std::size_t k = 0;
    while (k < line.size() && c_ident_char(line[k])) ++k;
    const std::string_view name = line.substr(0, k);
    if (name.empty() || (k < line.size() && line[k] == '(')) return;  // function-like
    if (files_[at.file] == "<built-in>" || files_[at.file] == "<command-line>") return;
    std::string_view body = line.substr(k);
    while (!body.empty() && (body.front() == ' ' || body.front() == '\t')) body.remove_prefix(1);
    while (!body.empty() && (body.back() == ' ' || body.back() == '\t' || body.back() == '\r')) body.remove_suffix(1);
    if (body.empty()) return;
    c_lexer lx;
    lx.src = body;
    if (!lx.run()) return;  // not a constant: nothing to read
    bool constant = true;
    bool any_value = false;
    static constexpr std::string_view type_words[] = {"int", "unsigned", "signed", "long", "short", "char"};
    for (const c_token& x : lx.tokens) {
      if (x.kind == c_token::end) break;
      if (x.kind == c_token::number) {
        if (x.text.find('.') != std::string_view::npos || ((x.text.find_first_of("eEpP") != std::string_view::npos) &&
                                                           !x.text.starts_with("0x") && !x.text.starts_with("0X")))
          constant = false;
        std::uint64_t v = 0;
        if (!c_const_eval::literal(x.text, v)) constant = false;
        any_value = true;
      } else if (x.kind == c_token::character) {
        any_value = true;
      } else if (x.kind == c_token::identifier) {
        bool type_word = false;
        for (std::string_view w : type_words)
          if (x.text == w) type_word = true;
        const std::string id(x.text);
        if (!type_word && macros_.count(id) == 0 && enumerators_.count(id) == 0) constant = false;
        any_value = any_value || !type_word;
      } else if (x.kind == c_token::punct) {
        static constexpr std::string_view ok[] = {"(", ")", "+", "-", "*",  "/",  "%",  "<<", ">>", "&",  "|", "^",
                                                  "~", "!", "<", ">", "<=", ">=", "==", "!=", "&&", "||", "?", ":"};
        bool found = false;
        for (std::string_view o : ok)
          if (x.text == o) found = true;
        if (!found) constant = false;
      } else {
        constant = false;
      }
      if (!constant) break;
    }
    if (!constant || !any_value) return;
    auto have = macros_.find(std::string(name));
    if (have != macros_.end()) {  // redefined: the last definition counts
      out_.decls[have->second].expression = text(body);
      return;
    }
    c_declaration d;
    d.kind = c_kind::constant;
    d.name = text(name);
    d.expression = text(body);
    place(d, at);
    out_.decls.push_back(std::move(d));
    macros_[std::string(name)] = static_cast<std::uint32_t>(out_.decls.size() - 1);
  }

  /// Points every record and enum type at its tag's (last) declaration.
  void resolve() {
    for (c_type& t : out_.types) {
      if (t.kind != c_type_kind::record && t.kind != c_type_kind::enumeration) continue;
      if (t.name.empty()) continue;
      auto tl = tagless_.find(std::string(t.name.view()));
      if (t.record != none && out_.decls[t.record].tagless) continue;
      const std::string key = tag_key(t.kind == c_type_kind::enumeration ? "enum"
                                      : t.is_union                       ? "union"
                                                                         : "struct",
                                      t.name.view());
      auto f = tags_.find(key);
      if (f != tags_.end())
        t.record = f->second;
      else if (tl != tagless_.end())
        t.record = tl->second;
    }
  }

 public:
  std::vector<std::string> files_;

 private:
  const std::vector<c_token>& t_;
  const std::vector<std::pair<std::size_t, c_token>>& directives_;
  c_declarations& out_;
  std::size_t i_ = 0;
  std::size_t d_ = 0;
  std::unordered_map<std::string, bool> typedefs_;
  std::unordered_map<std::string, bool> enumerators_;
  std::unordered_map<std::string, std::uint32_t> tags_;
  std::unordered_map<std::string, std::uint32_t> tagless_;
  std::unordered_map<std::string, std::uint32_t> tagless_types_;
  std::unordered_map<std::string, std::uint32_t> ordinary_;
  std::unordered_map<std::string, std::uint32_t> macros_;
  std::string refused_;
  std::uint32_t pack_ = 0;
  std::vector<std::uint32_t> packs_;
};

}  // namespace detail

VITTE_DECL result<c_declarations> parse_c_declarations(text_view source, diagnostic* why) {
  detail::c_lexer lx;
  lx.src = std::string_view(source.data(), source.size());
  const bool lexed = lx.run();
  auto report = [&](std::uint32_t file, std::uint32_t line, std::uint32_t column, const std::string& message) {
    if (why != nullptr)
      why->of(errc::malformed)
          .about(text_view(lx.files[file].data(), lx.files[file].size()))
          .at_line(line == 0 ? 1 : line, column)  // the end of a marker's line that has no newline
          .say(text_view(message.data(), message.size()));
    return error{errc::malformed, ops::bindgen};
  };
  if (!lexed) return report(lx.error_file, lx.error_line, lx.error_column, lx.error);
  c_declarations out;
  detail::c_parser p(lx.tokens, lx.directives, out);
  p.files_ = lx.files;
  if (!p.run()) {
    const detail::c_token* at = p.error_at != nullptr ? p.error_at : &lx.tokens.back();
    return report(at->file, at->line, at->column, p.error);
  }
  return out;
}

}  // namespace vitte::toolchain

#endif  // VITTE_TOOLCHAIN_IMPL_C_READER_IPP
