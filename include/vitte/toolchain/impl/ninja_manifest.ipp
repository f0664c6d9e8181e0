// vitte/toolchain/impl/ninja_manifest.ipp - the bodies of
// vitte/toolchain/ninja_manifest.hpp: ninja's lexer, its parser and its
// variable scopes (lexer.in.cc, manifest_parser.cc and eval_env.cc of ninja
// 1.11 are the reference for what is accepted and what each step's
// variables expand to).
#ifndef VITTE_TOOLCHAIN_IMPL_NINJA_MANIFEST_IPP
#define VITTE_TOOLCHAIN_IMPL_NINJA_MANIFEST_IPP

#include <vitte/base/config.hpp>
#include <vitte/base/detail/decimal.hpp>  // pool depths, ninja_required_version
#include <vitte/sys/whole_file.hpp>       // read_file_string for include and subninja
#include <vitte/toolchain/detail/text_position.hpp>
#include <vitte/toolchain/ninja_manifest.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace vitte::toolchain {
namespace detail {

/// A value as written: literal text and variable references, in order.
struct ninja_eval {
  struct part {
    std::string value;
    bool variable = false;
  };
  std::vector<part> parts;
  bool empty() const noexcept { return parts.empty(); }
  void add_text(std::string_view s) {
    if (!parts.empty() && !parts.back().variable)
      parts.back().value.append(s);
    else
      parts.push_back({std::string(s), false});
  }
  void add_variable(std::string_view name) { parts.push_back({std::string(name), true}); }
};

struct ninja_rule {
  std::string name;
  std::unordered_map<std::string, ninja_eval> bindings;
  const ninja_eval* find(const std::string& key) const {
    const auto it = bindings.find(key);
    return it == bindings.end() ? nullptr : &it->second;
  }
};

/// A scope of variables and rules: a file (the top one, or a subninja's) or
/// a build statement with bindings.
struct ninja_scope {
  std::unordered_map<std::string, std::string> vars;
  std::unordered_map<std::string, const ninja_rule*> rules;
  const ninja_scope* parent = nullptr;

  std::string lookup(const std::string& name) const {
    for (const ninja_scope* s = this; s != nullptr; s = s->parent) {
      const auto it = s->vars.find(name);
      if (it != s->vars.end()) return it->second;
    }
    return {};
  }
  const ninja_rule* rule(const std::string& name) const {
    for (const ninja_scope* s = this; s != nullptr; s = s->parent) {
      const auto it = s->rules.find(name);
      if (it != s->rules.end()) return it->second;
    }
    return nullptr;
  }
};

/// What the parser keeps of a step until the whole manifest is read.
struct ninja_pending {
  const ninja_rule* rule = nullptr;
  const ninja_scope* scope = nullptr;  // its own bindings, or its file's scope
};

enum class ninja_token : std::uint8_t {
  error,
  build,
  colon,
  default_,
  equals,
  ident,
  include,
  indent,
  newline,
  pipe2,
  pipe,
  pipeat,
  pool,
  rule,
  subninja,
  eof
};

inline const char* ninja_token_name(ninja_token t) noexcept {
  switch (t) {
    case ninja_token::error:
      return "lexing error";
    case ninja_token::build:
      return "'build'";
    case ninja_token::colon:
      return "':'";
    case ninja_token::default_:
      return "'default'";
    case ninja_token::equals:
      return "'='";
    case ninja_token::ident:
      return "identifier";
    case ninja_token::include:
      return "'include'";
    case ninja_token::indent:
      return "indent";
    case ninja_token::newline:
      return "newline";
    case ninja_token::pipe2:
      return "'||'";
    case ninja_token::pipe:
      return "'|'";
    case ninja_token::pipeat:
      return "'|@'";
    case ninja_token::pool:
      return "'pool'";
    case ninja_token::rule:
      return "'rule'";
    case ninja_token::subninja:
      return "'subninja'";
    case ninja_token::eof:
      return "eof";
  }
  return "";
}

constexpr bool ninja_varname_char(char c, bool simple) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         (!simple && c == '.');
}

/// ninja's lexer over one file. A NUL byte ends the input, as in ninja.
class ninja_lexer {
 public:
  explicit ninja_lexer(std::string_view input) : in_(input.substr(0, input.find('\0'))) {}

  std::size_t last() const noexcept { return last_; }
  std::size_t position() const noexcept { return pos_; }
  std::string_view input() const noexcept { return in_; }

  /// The line (1-based) of byte `at`, counted on from the last call (the
  /// parser asks in increasing order; once per build statement).
  std::uint32_t line_at(std::size_t at) noexcept {
    if (at < counted_) {
      counted_ = 0;
      lines_ = 1;
    }
    for (; counted_ < at && counted_ < in_.size(); ++counted_) lines_ += in_[counted_] == '\n';
    return lines_;
  }

  ninja_token read_token() {
    std::size_t p = pos_;
    ninja_token t = ninja_token::error;
    for (;;) {
      const std::size_t start = p;
      std::size_t spaces = p;
      while (spaces < in_.size() && in_[spaces] == ' ') ++spaces;
      if (spaces < in_.size() && in_[spaces] == '#') {  // a comment line, with its newline
        const std::size_t nl = in_.find('\n', spaces);
        if (nl != std::string_view::npos) {
          p = nl + 1;
          continue;
        }
      }
      last_ = start;
      if (spaces < in_.size() && in_[spaces] == '\n') {
        p = spaces + 1;
        t = ninja_token::newline;
      } else if (spaces + 1 < in_.size() && in_[spaces] == '\r' && in_[spaces + 1] == '\n') {
        p = spaces + 2;
        t = ninja_token::newline;
      } else if (spaces > start) {
        p = spaces;
        t = ninja_token::indent;
      } else if (p == in_.size()) {
        t = ninja_token::eof;
      } else {
        t = punctuation_or_word(p);
      }
      break;
    }
    pos_ = p;
    if (t != ninja_token::newline && t != ninja_token::eof) eat_whitespace();
    return t;
  }

  /// Reads the last token again (ninja's UnreadToken).
  void unread() noexcept { pos_ = last_; }

  bool peek_token(ninja_token want) {
    const std::size_t save = pos_, save_last = last_;
    if (read_token() == want) return true;
    pos_ = save;
    last_ = save_last;
    return false;
  }

  /// A variable or rule name ([a-zA-Z0-9_.-]+), then blanks.
  bool read_ident(std::string& out) {
    std::size_t p = pos_;
    while (p < in_.size() && ninja_varname_char(in_[p], false)) ++p;
    if (p == pos_) return false;
    last_ = pos_;
    out.assign(in_.substr(pos_, p - pos_));
    pos_ = p;
    eat_whitespace();
    return true;
  }

  /// A path (ends at a blank, ':', '|' or a newline, which stay unread) or
  /// a value (ends at the newline, which is read). Null on success, else
  /// what was wrong, at last().
  const char* read_eval(ninja_eval& out, bool path) {
    std::size_t p = pos_;
    for (;;) {
      const std::size_t start = p;
      if (p == in_.size()) {
        last_ = start;
        return "unexpected EOF";
      }
      const char c = in_[p];
      if (c == '$') {
        if (p + 1 == in_.size()) {
          last_ = start;
          return "bad $-escape (literal $ must be written as $$)";
        }
        const char n = in_[p + 1];
        if (n == '$' || n == ' ' || n == ':') {
          out.add_text(std::string_view(&in_[p + 1], 1));
          p += 2;
        } else if (n == '\n' || (n == '\r' && p + 2 < in_.size() && in_[p + 2] == '\n')) {
          p += n == '\n' ? 2 : 3;
          while (p < in_.size() && in_[p] == ' ') ++p;
        } else if (n == '{') {
          std::size_t e = p + 2;
          while (e < in_.size() && ninja_varname_char(in_[e], false)) ++e;
          if (e == p + 2 || e == in_.size() || in_[e] != '}') {
            last_ = start;
            return "bad $-escape (literal $ must be written as $$)";
          }
          out.add_variable(in_.substr(p + 2, e - p - 2));
          p = e + 1;
        } else if (ninja_varname_char(n, true)) {
          std::size_t e = p + 1;
          while (e < in_.size() && ninja_varname_char(in_[e], true)) ++e;
          out.add_variable(in_.substr(p + 1, e - p - 1));
          p = e;
        } else {
          last_ = start;
          return "bad $-escape (literal $ must be written as $$)";
        }
        continue;
      }
      if (c == '\r' && p + 1 < in_.size() && in_[p + 1] == '\n') {
        if (!path) p += 2;
        break;
      }
      if (c == ' ' || c == ':' || c == '|' || c == '\n') {
        if (path) break;
        ++p;
        if (c == '\n') break;
        out.add_text(std::string_view(&in_[start], 1));
        continue;
      }
      if (c == '\r') {
        last_ = start;
        return "lexing error";
      }
      std::size_t e = p;
      while (e < in_.size() && in_[e] != '$' && in_[e] != ' ' && in_[e] != ':' && in_[e] != '|' && in_[e] != '\n' &&
             in_[e] != '\r')
        ++e;
      out.add_text(in_.substr(p, e - p));
      p = e;
    }
    last_ = pos_;
    pos_ = p;
    if (path) eat_whitespace();
    return nullptr;
  }

 private:
  ninja_token punctuation_or_word(std::size_t& p) {
    const char c = in_[p];
    const auto next = [&](char x) { return p + 1 < in_.size() && in_[p + 1] == x; };
    if (c == '=') return ++p, ninja_token::equals;
    if (c == ':') return ++p, ninja_token::colon;
    if (c == '|') {
      if (next('|')) return p += 2, ninja_token::pipe2;
      if (next('@')) return p += 2, ninja_token::pipeat;
      return ++p, ninja_token::pipe;
    }
    std::size_t e = p;
    while (e < in_.size() && ninja_varname_char(in_[e], false)) ++e;
    if (e == p) return ninja_token::error;
    const std::string_view word = in_.substr(p, e - p);
    p = e;
    if (word == "build") return ninja_token::build;
    if (word == "rule") return ninja_token::rule;
    if (word == "pool") return ninja_token::pool;
    if (word == "default") return ninja_token::default_;
    if (word == "include") return ninja_token::include;
    if (word == "subninja") return ninja_token::subninja;
    return ninja_token::ident;
  }

  void eat_whitespace() {
    for (;;) {
      if (pos_ < in_.size() && in_[pos_] == ' ') {
        ++pos_;
      } else if (pos_ + 1 < in_.size() && in_[pos_] == '$' && in_[pos_ + 1] == '\n') {
        pos_ += 2;
      } else if (pos_ + 2 < in_.size() && in_[pos_] == '$' && in_[pos_ + 1] == '\r' && in_[pos_ + 2] == '\n') {
        pos_ += 3;
      } else {
        return;
      }
    }
  }

  std::string_view in_;
  std::size_t pos_ = 0;
  std::size_t last_ = 0;
  std::size_t counted_ = 0;  // line_at(): bytes counted so far
  std::uint32_t lines_ = 1;  // and the line they end on
};

inline text ninja_text(const std::string& s) { return text(text_view(s.data(), s.size())); }

/// A pool's `depth` as ninja reads it (atol): blanks, a sign, the leading
/// digits, anything after ignored; nothing is 0 (no limit). -1: negative.
inline std::int64_t ninja_pool_depth(const std::string& v) noexcept {
  std::size_t i = 0;
  while (i < v.size() && (v[i] == ' ' || (v[i] >= '\t' && v[i] <= '\r'))) ++i;
  const bool negative = i < v.size() && v[i] == '-';
  if (i < v.size() && (v[i] == '-' || v[i] == '+')) ++i;
  const text_view digits = text_view(v.data() + i, v.size() - i);
  const text_view number = digits.substr(0, vitte::detail::decimal_digits(digits));
  std::uint64_t n = 0;
  if (!number.empty() && !vitte::detail::parse_decimal(number, 0x7fffffff, n)) n = 0x7fffffff;  // too big: clamped
  return negative && n != 0 ? -1 : static_cast<std::int64_t>(n);
}

inline bool ninja_reserved(const std::string& key) noexcept {
  return key == "command" || key == "depfile" || key == "dyndep" || key == "description" || key == "deps" ||
         key == "generator" || key == "pool" || key == "restat" || key == "rspfile" || key == "rspfile_content" ||
         key == "msvc_deps_prefix";
}

/// The parser: ninja's ManifestParser, one instance for the manifest and
/// everything it includes.
class ninja_parser {
 public:
  ninja_parser(ninja_files files, const ninja_limits& limits, diagnostic* why)
      : files_(files), limits_(limits), why_(why) {}

  status parse(std::string_view source, text_view name, ninja_scope* scope, std::uint32_t depth) {
    ninja_lexer lx(source);
    file_ = name;
    for (;;) {
      const ninja_token t = lx.read_token();
      status st;
      switch (t) {
        case ninja_token::pool:
          st = parse_pool(lx, *scope, lx.last());
          break;
        case ninja_token::build:
          st = parse_step(lx, *scope, lx.last());
          break;
        case ninja_token::rule:
          st = parse_rule(lx, *scope, lx.last());
          break;
        case ninja_token::default_:
          st = parse_default(lx, *scope);
          break;
        case ninja_token::ident:
          lx.unread();
          st = parse_variable(lx, *scope);
          break;
        case ninja_token::include:
        case ninja_token::subninja:
          st = parse_include(lx, *scope, t == ninja_token::subninja, depth, name);
          break;
        case ninja_token::newline:
          break;
        case ninja_token::eof:
          return {};
        case ninja_token::error:
          return fail(lx, lexing_error(lx));
        default:
          return fail(lx, std::string("unexpected ") + ninja_token_name(t));
      }
      if (!st) return st;
    }
  }

  /// A dyndep file (ninja's DyndepParser): the version first, then
  /// `build` statements; `steps` says which step makes an output.
  status parse_dyndep(std::string_view source, text_view name, ninja_dyndep_steps steps, ninja_dyndep_file& out) {
    ninja_lexer lx(source);
    file_ = name;
    const ninja_scope none;                 // variables expand to nothing
    std::unordered_set<std::string> named;  // each statement's step (its output without `steps`)
    bool versioned = false;
    for (;;) {
      const ninja_token t = lx.read_token();
      status st;
      switch (t) {
        case ninja_token::build:
          if (!versioned) return fail(lx, "expected 'ninja_dyndep_version = ...'");
          st = parse_dyndep_step(lx, none, steps, named, out);
          break;
        case ninja_token::ident:
          if (versioned) return fail(lx, "unexpected identifier");
          lx.unread();
          st = parse_dyndep_version(lx, none);
          versioned = true;
          break;
        case ninja_token::newline:
          break;
        case ninja_token::eof:
          if (!versioned) return fail(lx, "expected 'ninja_dyndep_version = ...'");
          return {};
        case ninja_token::error:
          return fail(lx, lexing_error(lx));
        default:
          return fail(lx, std::string("unexpected ") + ninja_token_name(t));
      }
      if (!st) return st;
    }
  }

  /// Every step's rule variables, expanded once everything is read.
  status finish(ninja_manifest& m, const ninja_scope& top) {
    m.builddir = ninja_text(top.lookup("builddir"));
    for (std::size_t i = 0; i < m.steps.size(); ++i) {
      ninja_step& s = m.steps[i];
      const ninja_pending& p = pending_[i];
      if (p.rule->name == "phony") continue;
      step_env env{s, p, *this};
      s.command = env.get("command", true);
      s.description = env.get("description", true);
      s.depfile = env.get("depfile", false);
      s.deps = env.get("deps", true);
      s.msvc_deps_prefix = env.get("msvc_deps_prefix", true);
      s.rspfile = env.get("rspfile", false);
      s.rspfile_content = env.get("rspfile_content", true);
      s.restat = !env.get("restat", true).empty();
      s.generator = !env.get("generator", true).empty();
      stored_ += s.command.size() + s.description.size() + s.rspfile_content.size();
      if (failure_.empty() && stored_ > limits_.expanded_bytes) {
        failure_ = "variables expand to more than the limit";
        failure_kind_ = errc::limit_exceeded;
      }
      if (!failure_.empty()) {
        if (why_ != nullptr) {
          why_->clear();
          why_->of(failure_kind_).about(s.file).at_line(s.line).say(failure_);
        }
        return error{failure_kind_};
      }
    }
    return {};
  }

  ninja_manifest manifest;

 private:
  /// A step's scope for its rule's variables: ninja's EdgeEnv.
  struct step_env {
    step_env(ninja_step& s, const ninja_pending& p, ninja_parser& owner) : step(s), pending(p), parser(owner) {}

    ninja_step& step;
    const ninja_pending& pending;
    ninja_parser& parser;
    bool escape = true;
    bool recursive = false;
    std::vector<std::string> lookups;
    std::uint32_t depth = 0;

    text get(const char* key, bool shell_escape) {
      escape = shell_escape;
      recursive = false;
      lookups.clear();
      return ninja_text(lookup(key));
    }

    std::string lookup(const std::string& var) {
      if (!parser.failure_.empty()) return {};
      if (var == "in" || var == "in_newline")
        return paths(step.inputs, step.explicit_inputs(), var == "in" ? ' ' : '\n');
      if (var == "out") return paths(step.outputs, step.explicit_outputs(), ' ');
      if (recursive) {
        for (std::size_t i = 0; i < lookups.size(); ++i)
          if (lookups[i] == var) {
            std::string cycle = "cycle in rule variables: ";
            for (std::size_t j = i; j < lookups.size(); ++j) cycle += lookups[j] + " -> ";
            parser.failure_ = cycle + var;
            return {};
          }
      }
      const ninja_eval* eval = pending.rule->find(var);
      const bool record = recursive && eval != nullptr;
      if (record) lookups.push_back(var);
      recursive = true;
      std::string out;
      const ninja_scope& s = *pending.scope;
      const auto it = s.vars.find(var);
      if (it != s.vars.end())
        out = it->second;
      else if (eval != nullptr)
        out = evaluate(*eval);
      else if (s.parent != nullptr)
        out = s.parent->lookup(var);
      if (record) lookups.pop_back();
      return out;
    }

    std::string evaluate(const ninja_eval& e) {
      if (depth >= parser.limits_.variable_depth) {
        parser.failure_ = "variables nested deeper than the limit";
        parser.failure_kind_ = errc::limit_exceeded;
        return {};
      }
      ++depth;
      std::string out;
      for (const ninja_eval::part& p : e.parts) {
        out += p.variable ? lookup(p.value) : p.value;
        if (out.size() > parser.limits_.value_bytes) {
          parser.failure_ = "a variable expands to more than the limit";
          parser.failure_kind_ = errc::limit_exceeded;
          break;
        }
      }
      --depth;
      return out;
    }

    std::string paths(const buffer<text>& list, std::size_t n, char sep) const {
      text out;
      for (std::size_t i = 0; i < n; ++i) {
        if (!out.empty()) out.push_back(sep);
        if (escape)
          ninja_shell_quote(list[i], out);
        else
          out.append(list[i]);
      }
      return std::string(out.view());
    }
  };

  status fail(const ninja_lexer& lx, const std::string& what, errc kind = errc::malformed) {
    return fail_at(lx, lx.last(), what, kind);
  }

  /// What was wrong at byte `at` of the file `lx` reads.
  status fail_at(const ninja_lexer& lx, std::size_t at, const std::string& what, errc kind = errc::malformed) {
    if (why_ != nullptr) {
      why_->clear();
      at_text_position(why_->of(kind), text_view(lx.input().data(), lx.input().size()), at).about(file_).say(what);
    }
    return error{kind};
  }

  static std::string lexing_error(const ninja_lexer& lx) {
    const std::size_t at = lx.last();
    if (at < lx.input().size() && lx.input()[at] == '\t') return "tabs are not allowed, use spaces";
    return "lexing error";
  }

  status expect(ninja_lexer& lx, ninja_token want) {
    const ninja_token t = lx.read_token();
    if (t == want) return {};
    std::string what = std::string("expected ") + ninja_token_name(want) + ", got " + ninja_token_name(t);
    if (want == ninja_token::colon) what += " ($ also escapes ':')";
    return fail(lx, what);
  }

  status read_eval(ninja_lexer& lx, ninja_eval& out, bool path) {
    const char* what = lx.read_eval(out, path);
    return what == nullptr ? status{} : fail(lx, what);
  }

  status parse_let(ninja_lexer& lx, std::string& key, ninja_eval& value) {
    if (!lx.read_ident(key)) return fail(lx, "expected variable name");
    if (status st = expect(lx, ninja_token::equals); !st) return st;
    return read_eval(lx, value, false);
  }

  /// `e` in `scope`, bounded.
  status evaluate(const ninja_lexer& lx, const ninja_eval& e, const ninja_scope& scope, std::string& out) {
    out.clear();
    for (const ninja_eval::part& p : e.parts) {
      out += p.variable ? scope.lookup(p.value) : p.value;
      if (out.size() > limits_.value_bytes)
        return fail(lx, "a variable expands to more than the limit", errc::limit_exceeded);
    }
    return {};
  }

  status parse_variable(ninja_lexer& lx, ninja_scope& scope) {
    std::string name;
    ninja_eval value;
    if (status st = parse_let(lx, name, value); !st) return st;
    std::string v;
    if (status st = evaluate(lx, value, scope, v); !st) return st;
    if (name == "ninja_required_version") {
      if (!version_supported(v))
        return fail(lx,
                    "ninja version (1.11.1) incompatible with build file ninja_required_version version (" + v + ")");
      if (&scope == top_) manifest.required_version = text_view(v.data(), v.size());
    }
    if (status st = keep(lx, v.size()); !st) return st;
    scope.vars[name] = static_cast<std::string&&>(v);
    return {};
  }

  /// ninja's reading of a version: major, '.', minor, anything after.
  static bool version_supported(const std::string& v) {
    const text_view t(v.data(), v.size());
    const std::size_t major_digits = vitte::detail::decimal_digits(t);
    const text_view rest = t.substr(major_digits);
    const text_view minor_text =
        rest.starts_with(".") ? rest.substr(1, vitte::detail::decimal_digits(rest.substr(1))) : text_view();
    std::uint64_t major = 0, minor = 0;
    if (major_digits != 0 && !vitte::detail::parse_decimal(t.substr(0, major_digits), UINT64_MAX, major)) return false;
    if (!minor_text.empty() && !vitte::detail::parse_decimal(minor_text, UINT64_MAX, minor)) return false;
    return major < 1 || (major == 1 && minor <= 11);
  }

  /// Counts `n` more bytes of expanded values against the limit.
  status keep(const ninja_lexer& lx, std::size_t n) {
    stored_ += n;
    return stored_ > limits_.expanded_bytes ? fail(lx, "variables expand to more than the limit", errc::limit_exceeded)
                                            : status{};
  }

  status parse_pool(ninja_lexer& lx, ninja_scope& scope, std::size_t at) {
    std::string name;
    if (!lx.read_ident(name)) return fail(lx, "expected pool name");
    if (status st = expect(lx, ninja_token::newline); !st) return st;
    if (name == "console" || pools_.count(name) != 0) return fail(lx, "duplicate pool '" + name + "'");
    std::int64_t depth = -1;
    while (lx.peek_token(ninja_token::indent)) {
      std::string key;
      ninja_eval value;
      if (status st = parse_let(lx, key, value); !st) return st;
      if (key != "depth") return fail(lx, "unexpected variable '" + key + "'");
      std::string d;
      if (status st = evaluate(lx, value, scope, d); !st) return st;
      depth = ninja_pool_depth(d);
      if (depth < 0) return fail(lx, "invalid pool depth");
    }
    if (depth < 0) return fail_at(lx, at, "expected 'depth =' line");
    pools_.insert(name);
    manifest.pools.push_back(ninja_pool{text_view(name.data(), name.size()), static_cast<std::uint32_t>(depth)});
    return {};
  }

  status parse_rule(ninja_lexer& lx, ninja_scope& scope, std::size_t at) {
    std::string name;
    if (!lx.read_ident(name)) return fail(lx, "expected rule name");
    if (status st = expect(lx, ninja_token::newline); !st) return st;
    if (scope.rules.count(name) != 0 || (scope.parent == nullptr && name == "phony"))
      return fail(lx, "duplicate rule '" + name + "'");
    auto rule = std::make_unique<ninja_rule>();
    rule->name = name;
    while (lx.peek_token(ninja_token::indent)) {
      std::string key;
      ninja_eval value;
      if (status st = parse_let(lx, key, value); !st) return st;
      if (!ninja_reserved(key)) return fail(lx, "unexpected variable '" + key + "'");
      rule->bindings[key] = static_cast<ninja_eval&&>(value);
    }
    const ninja_eval* rsp = rule->find("rspfile");
    const ninja_eval* content = rule->find("rspfile_content");
    if ((rsp == nullptr || rsp->empty()) != (content == nullptr || content->empty()))
      return fail_at(lx, at, "rspfile and rspfile_content need to be both specified");
    const ninja_eval* command = rule->find("command");
    if (command == nullptr || command->empty()) return fail_at(lx, at, "expected 'command =' line");
    scope.rules[name] = rule.get();
    rules_.push_back(static_cast<std::unique_ptr<ninja_rule>&&>(rule));
    return {};
  }

  /// Paths up to a ':', '|' or the newline; `at` gets where each starts.
  status read_paths(ninja_lexer& lx, std::vector<ninja_eval>& out, std::vector<std::size_t>& at, std::uint32_t* count) {
    for (;;) {
      ninja_eval e;
      if (status st = read_eval(lx, e, true); !st) return st;
      if (e.empty()) return {};
      at.push_back(lx.last());
      out.push_back(static_cast<ninja_eval&&>(e));
      if (count != nullptr) ++*count;
    }
  }

  status canonical(const ninja_lexer& lx, const ninja_eval& e, std::size_t at, const ninja_scope& scope, text& out) {
    std::string path;
    if (status st = evaluate(lx, e, scope, path); !st) return st;
    if (path.empty()) return fail_at(lx, at, "empty path");
    out = ninja_canonical_path(text_view(path.data(), path.size()));
    return keep(lx, out.size());
  }

  status parse_default(ninja_lexer& lx, ninja_scope& scope) {
    std::vector<ninja_eval> paths;
    std::vector<std::size_t> at;
    if (status st = read_paths(lx, paths, at, nullptr); !st) return st;
    if (paths.empty()) return fail(lx, "expected target name");
    for (std::size_t i = 0; i < paths.size(); ++i) {
      text path;
      if (status st = canonical(lx, paths[i], at[i], scope, path); !st) return st;
      if (nodes_.count(std::string(path.view())) == 0)
        return fail_at(lx, at[i], "unknown target '" + std::string(path.view()) + "'");
      manifest.defaults.push_back(static_cast<text&&>(path));
    }
    return expect(lx, ninja_token::newline);
  }

  status parse_step(ninja_lexer& lx, ninja_scope& scope, std::size_t at) {
    const std::uint32_t line = line_of(lx);
    std::vector<ninja_eval> outs, ins, validations;
    std::vector<std::size_t> out_at, in_at, validation_at;
    std::uint32_t implicit_outs = 0, implicit = 0, order_only = 0;
    if (status st = read_paths(lx, outs, out_at, nullptr); !st) return st;
    if (lx.peek_token(ninja_token::pipe))
      if (status st = read_paths(lx, outs, out_at, &implicit_outs); !st) return st;
    if (outs.empty()) return fail(lx, "expected path");
    if (status st = expect(lx, ninja_token::colon); !st) return st;
    std::string rule_name;
    if (!lx.read_ident(rule_name)) return fail(lx, "expected build command name");
    const ninja_rule* rule = scope.rule(rule_name);  // a subninja may shadow phony
    if (rule == nullptr && rule_name == "phony") rule = &phony_;
    if (rule == nullptr) return fail(lx, "unknown build rule '" + rule_name + "'");
    if (status st = read_paths(lx, ins, in_at, nullptr); !st) return st;
    if (lx.peek_token(ninja_token::pipe))
      if (status st = read_paths(lx, ins, in_at, &implicit); !st) return st;
    if (lx.peek_token(ninja_token::pipe2))
      if (status st = read_paths(lx, ins, in_at, &order_only); !st) return st;
    if (lx.peek_token(ninja_token::pipeat))
      if (status st = read_paths(lx, validations, validation_at, nullptr); !st) return st;
    if (status st = expect(lx, ninja_token::newline); !st) return st;

    const ninja_scope* env = &scope;
    if (lx.peek_token(ninja_token::indent)) {
      auto own = std::make_unique<ninja_scope>();
      own->parent = &scope;
      do {
        std::string key;
        ninja_eval value;
        if (status st = parse_let(lx, key, value); !st) return st;
        std::string v;
        if (status st = evaluate(lx, value, scope, v); !st) return st;
        if (status st = keep(lx, v.size()); !st) return st;
        own->vars[key] = static_cast<std::string&&>(v);
      } while (lx.peek_token(ninja_token::indent));
      env = own.get();
      scopes_.push_back(static_cast<std::unique_ptr<ninja_scope>&&>(own));
    }
    if (manifest.steps.size() >= limits_.steps)
      return fail_at(lx, at, "more build statements than the limit", errc::limit_exceeded);

    ninja_step step;
    step.rule = text_view(rule->name.data(), rule->name.size());
    step.file = file_;
    step.line = line;
    const ninja_pending pending{rule, env};
    if (rule != &phony_) {  // the pool is looked up now, before the step has paths (as ninja)
      step_env e{step, pending, *this};
      const text pool = e.get("pool", true);
      if (!failure_.empty()) return fail_at(lx, at, failure_, failure_kind_);
      const std::string name(pool.view());
      if (!name.empty() && name != "console" && pools_.count(name) == 0)
        return fail_at(lx, at, "unknown pool name '" + name + "'");
      step.pool = pool;
    }
    for (std::size_t i = 0; i < outs.size(); ++i) {
      text path;
      if (status st = canonical(lx, outs[i], out_at[i], *env, path); !st) return st;
      if (!outputs_.insert(std::string(path.view())).second)
        return fail_at(lx, out_at[i], "multiple rules generate " + std::string(path.view()));
      nodes_.insert(std::string(path.view()));
      step.outputs.push_back(static_cast<text&&>(path));
    }
    step.implicit_outputs = implicit_outs;
    for (std::size_t i = 0; i < ins.size(); ++i) {
      text path;
      if (status st = canonical(lx, ins[i], in_at[i], *env, path); !st) return st;
      nodes_.insert(std::string(path.view()));
      step.inputs.push_back(static_cast<text&&>(path));
    }
    step.implicit_inputs = implicit;
    step.order_only_inputs = order_only;
    for (std::size_t i = 0; i < validations.size(); ++i) {
      text path;
      if (status st = canonical(lx, validations[i], validation_at[i], *env, path); !st) return st;
      nodes_.insert(std::string(path.view()));
      step.validations.push_back(static_cast<text&&>(path));
    }
    if (rule == &phony_ && step.outputs.size() == 1 && implicit_outs == 0 && implicit == 0) drop_phony_cycle(lx, step);
    {
      // Phony steps too: ninja reads a `dyndep` binding on any statement,
      // and it must name one of the inputs (any kind), never an output.
      step_env e{step, pending, *this};
      const text dyndep = e.get("dyndep", false);
      if (!failure_.empty()) return fail_at(lx, at, failure_, failure_kind_);
      if (!dyndep.empty()) {
        step.dyndep = ninja_canonical_path(dyndep);
        if (!contains(step.inputs, step.dyndep))
          return fail_at(lx, at, "dyndep '" + std::string(step.dyndep.view()) + "' is not an input");
      }
    }
    manifest.steps.push_back(static_cast<ninja_step&&>(step));
    pending_.push_back(pending);
    return {};
  }

  static bool contains(const buffer<text>& list, const text& path) {
    for (const text& p : list)
      if (p == path) return true;
    return false;
  }

  void drop_phony_cycle(const ninja_lexer& lx, ninja_step& step) {
    buffer<text> kept;
    std::uint32_t dropped_explicit = 0;
    for (std::size_t i = 0; i < step.inputs.size(); ++i) {
      if (step.inputs[i] == step.outputs[0]) {
        if (i < step.explicit_inputs()) ++dropped_explicit;
        continue;
      }
      kept.push_back(step.inputs[i]);
    }
    if (kept.size() == step.inputs.size()) return;
    // Only explicit inputs and order-only ones remain possible here.
    step.order_only_inputs -= static_cast<std::uint32_t>(step.inputs.size() - kept.size()) - dropped_explicit;
    step.inputs = static_cast<buffer<text>&&>(kept);
    diagnostic d;
    at_text_position(d.of(errc::ok), text_view(lx.input().data(), lx.input().size()), lx.last()).about(file_);
    d.say("phony target '").append(step.outputs[0]).append("' names itself as an input; ignoring [-w phonycycle=warn]");
    manifest.warnings.add(d);
  }

  status parse_include(ninja_lexer& lx, ninja_scope& scope, bool new_scope, std::uint32_t depth, text_view name) {
    ninja_eval e;
    if (status st = read_eval(lx, e, true); !st) return st;
    std::string path;
    if (status st = evaluate(lx, e, scope, path); !st) return st;
    if (depth + 1 > limits_.include_depth)
      return fail(lx, "include and subninja nested deeper than the limit", errc::limit_exceeded);
    diagnostic read_why;
    result<text> body = read(text_view(path.data(), path.size()), &read_why);
    if (!body) {
      std::string what = "loading '" + path + "': ";
      const text_view reason = read_why.message().empty() ? to_string(body.error().kind()) : read_why.message();
      what.append(reason.data(), reason.size());
      return fail(lx, what);
    }
    total_ += body->size();
    if (body->size() > limits_.file_bytes || total_ > limits_.total_bytes)
      return fail(lx, "loading '" + path + "': more bytes than the limit", errc::limit_exceeded);
    ninja_scope* inner = &scope;
    if (new_scope) {
      auto child = std::make_unique<ninja_scope>();
      child->parent = &scope;
      inner = child.get();
      scopes_.push_back(static_cast<std::unique_ptr<ninja_scope>&&>(child));
    }
    const text file(text_view(path.data(), path.size()));
    texts_.push_back(std::make_unique<text>(static_cast<text&&>(*body)));  // outer lexers keep views of theirs
    const text& source = *texts_.back();
    if (status st = parse(std::string_view(source.data(), source.size()), file, inner, depth + 1); !st) return st;
    file_ = name;
    return expect(lx, ninja_token::newline);
  }

  /// `ninja_dyndep_version = V`: V read as ninja's ParseVersion reads it
  /// (atoi of what comes before the first '.', then after it) is 1.0.
  status parse_dyndep_version(ninja_lexer& lx, const ninja_scope& none) {
    std::string key, version;
    ninja_eval value;
    if (status st = parse_let(lx, key, value); !st) return st;
    if (key != "ninja_dyndep_version") return fail(lx, "expected 'ninja_dyndep_version = ...'");
    if (status st = evaluate(lx, value, none, version); !st) return st;
    const std::size_t dot = version.find('.');
    const std::size_t minor_end = dot == std::string::npos ? dot : version.find('.', dot + 1);
    const std::int64_t major = ninja_atoi(std::string_view(version).substr(0, dot));
    const std::int64_t minor =
        dot == std::string::npos ? 0 : ninja_atoi(std::string_view(version).substr(dot + 1, minor_end - dot - 1));
    if (major != 1 || minor != 0) return fail(lx, "unsupported 'ninja_dyndep_version = " + version + "'");
    return {};
  }

  /// C's atoi, as ninja reads version numbers (blanks, a sign, digits),
  /// with a number past 2^63 taken as -1 (not 1 or 0 either way).
  static std::int64_t ninja_atoi(std::string_view s) noexcept {
    std::size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) ++i;
    const bool negative = i < s.size() && s[i] == '-';
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    const text_view rest(s.data() + i, s.size() - i);
    const std::size_t digits = vitte::detail::decimal_digits(rest);
    std::uint64_t v = 0;
    if (digits != 0 && !vitte::detail::parse_decimal(rest.substr(0, digits), INT64_MAX, v)) return -1;
    return negative ? -static_cast<std::int64_t>(v) : static_cast<std::int64_t>(v);
  }

  /// One `build` statement of a dyndep file (ninja's DyndepParser::ParseEdge).
  status parse_dyndep_step(ninja_lexer& lx, const ninja_scope& none, ninja_dyndep_steps steps,
                           std::unordered_set<std::string>& named, ninja_dyndep_file& out) {
    ninja_dyndep d;
    {
      ninja_eval first;
      if (status st = read_eval(lx, first, true); !st) return st;
      if (first.empty()) return fail(lx, "expected path");
      std::string path;
      if (status st = evaluate(lx, first, none, path); !st) return st;
      if (path.empty()) return fail(lx, "empty path");
      d.output = ninja_canonical_path(text_view(path.data(), path.size()));
      const std::string canonical(d.output.view());
      std::string key = canonical;
      if (steps.step_of != nullptr) {
        const std::int64_t step = steps.step_of(d.output, steps.context);
        if (step < 0) return fail(lx, "no build statement exists for '" + canonical + "'");
        key = "\n" + std::to_string(step);  // no path holds a newline
      }
      if (!named.insert(key).second) return fail(lx, "multiple statements for '" + canonical + "'");
    }
    {
      ninja_eval more;
      if (status st = read_eval(lx, more, true); !st) return st;
      if (!more.empty()) return fail(lx, "explicit outputs not supported");
    }
    std::vector<ninja_eval> outs, ins;
    std::vector<std::size_t> at;
    if (lx.peek_token(ninja_token::pipe))
      if (status st = read_paths(lx, outs, at, nullptr); !st) return st;
    if (status st = expect(lx, ninja_token::colon); !st) return st;
    std::string rule;
    if (!lx.read_ident(rule) || rule != "dyndep") return fail(lx, "expected build command name 'dyndep'");
    {
      ninja_eval explicit_in;
      if (status st = read_eval(lx, explicit_in, true); !st) return st;
      if (!explicit_in.empty()) return fail(lx, "explicit inputs not supported");
    }
    if (lx.peek_token(ninja_token::pipe))
      if (status st = read_paths(lx, ins, at, nullptr); !st) return st;
    if (lx.peek_token(ninja_token::pipe2)) return fail(lx, "order-only inputs not supported");
    if (status st = expect(lx, ninja_token::newline); !st) return st;
    // An empty path is reported where ninja's lexer last stood: at the
    // `restat` value, else at the start of the next line.
    std::size_t end = lx.position();
    if (lx.peek_token(ninja_token::indent)) {
      std::string key, value;
      ninja_eval e;
      if (status st = parse_let(lx, key, e); !st) return st;
      if (key != "restat") return fail(lx, "binding is not 'restat'");
      if (status st = evaluate(lx, e, none, value); !st) return st;
      d.restat = !value.empty();
      end = lx.last();
    }
    // Inputs, then outputs, as ninja evaluates them.
    for (std::vector<ninja_eval>* list : {&ins, &outs}) {
      for (const ninja_eval& e : *list) {
        std::string path;
        if (status st = evaluate(lx, e, none, path); !st) return st;
        if (path.empty()) return fail_at(lx, end, "empty path");
        text canonical = ninja_canonical_path(text_view(path.data(), path.size()));
        if (status st = keep(lx, canonical.size()); !st) return st;
        (list == &ins ? d.implicit_inputs : d.implicit_outputs).push_back(static_cast<text&&>(canonical));
      }
    }
    out.statements.push_back(static_cast<ninja_dyndep&&>(d));
    return {};
  }

  result<text> read(text_view path, diagnostic* why) {
    if (files_.read != nullptr) return files_.read(path, files_.context, why);
    return sys::read_file_string(path, why);
  }

  static std::uint32_t line_of(ninja_lexer& lx) { return lx.line_at(lx.last()); }

 public:
  ninja_scope* top_ = nullptr;
  std::uint64_t total_ = 0;
  std::uint64_t stored_ = 0;  // bytes of expanded values kept

 private:
  ninja_files files_;
  ninja_limits limits_;
  diagnostic* why_;
  text file_;
  std::string failure_;  // what step_env found wrong
  errc failure_kind_ = errc::malformed;
  ninja_rule phony_{"phony", {}};
  std::vector<std::unique_ptr<ninja_rule>> rules_;
  std::vector<std::unique_ptr<ninja_scope>> scopes_;
  std::vector<std::unique_ptr<text>> texts_;
  std::vector<ninja_pending> pending_;
  std::unordered_set<std::string> pools_;
  std::unordered_set<std::string> outputs_;
  std::unordered_set<std::string> nodes_;
};

}  // namespace detail

VITTE_DECL text ninja_canonical_path(text_view path) {
  const bool absolute = !path.empty() && path[0] == '/';
  buffer<text_view> parts;
  std::size_t kept_up = 0;  // leading ".." components (relative paths)
  std::size_t i = absolute ? 1 : 0;
  while (i <= path.size()) {
    std::size_t e = path.find('/', i);
    if (e == text_view::npos) e = path.size();
    const text_view c = path.substr(i, e - i);
    i = e + 1;
    if (c.empty() || c == ".") continue;
    if (c == ".." && parts.size() > kept_up) {
      parts.pop_back();
      continue;
    }
    if (c == "..") ++kept_up;
    parts.push_back(c);
  }
  text out;
  if (absolute) out.push_back('/');
  for (std::size_t k = 0; k < parts.size(); ++k) {
    if (k != 0) out.push_back('/');
    out.append(parts[k]);
  }
  if (out.empty()) out.push_back('.');
  return out;
}

VITTE_DECL void ninja_shell_quote(text_view path, text& out) {
  bool safe = true;
  for (const char c : path)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '+' ||
          c == '-' || c == '.' || c == '/'))
      safe = false;
  if (safe) {
    out.append(path);
    return;
  }
  out.push_back('\'');
  for (const char c : path) {
    if (c == '\'')
      out.append("'\\''");
    else
      out.push_back(c);
  }
  out.push_back('\'');
}

VITTE_DECL result<ninja_manifest> parse_ninja_manifest(text_view source, text_view name, ninja_files files,
                                                       ninja_limits limits, diagnostic* why) {
  if (source.size() > limits.file_bytes) {
    if (why != nullptr) why->clear(), why->of(errc::limit_exceeded).about(name).say("more bytes than the limit");
    return error{errc::limit_exceeded};
  }
  detail::ninja_scope top;
  detail::ninja_parser p(files, limits, why);
  p.top_ = &top;
  p.total_ = source.size();
  if (status st = p.parse(std::string_view(source.data(), source.size()), name, &top, 0); !st) return st.error();
  if (status st = p.finish(p.manifest, top); !st) return st.error();
  return static_cast<ninja_manifest&&>(p.manifest);
}

VITTE_DECL result<ninja_dyndep_file> parse_ninja_dyndep(text_view source, text_view name, ninja_dyndep_steps steps,
                                                        diagnostic* why) {
  const ninja_limits limits;
  if (source.size() > limits.file_bytes) {
    if (why != nullptr) why->clear(), why->of(errc::limit_exceeded).about(name).say("more bytes than the limit");
    return error{errc::limit_exceeded};
  }
  detail::ninja_parser p({}, limits, why);
  ninja_dyndep_file f;
  if (status st = p.parse_dyndep(std::string_view(source.data(), source.size()), name, steps, f); !st)
    return st.error();
  return f;
}

VITTE_DECL result<ninja_manifest> read_ninja_manifest(text_view path, ninja_limits limits, diagnostic* why) {
  result<text> body = sys::read_file_string(path, why);
  if (!body) return body.error();
  return parse_ninja_manifest(*body, path, {}, limits, why);
}

}  // namespace vitte::toolchain

#endif  // VITTE_TOOLCHAIN_IMPL_NINJA_MANIFEST_IPP
