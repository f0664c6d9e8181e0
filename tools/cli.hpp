// The conventions every vitte subcommand follows, written once:
//
//   - one table of commands (name, operands, summary, options); --help, the
//     man page (docs/vitte.1) and the shell completions are all printed
//     from it, so they cannot drift apart;
//   - the arguments read against the command's option table once
//     (parse_args): options by name with their values, operands, what
//     follows `--`; `--help`/`-h` anywhere among a command's options,
//     `vitte help CMD`, `vitte --version`; `--name=value` is the same as
//     `--name value`;
//   - errors on stderr as "vitte CMD: error: what", bad usage with a hint;
//     a problem a library layer reports prints as its vitte::diagnostic's
//     line ("vitte CMD: error: FILE: at offset 0x1a4: what");
//   - exit status 0 ok, 1 the check or the operation failed, 2 bad usage;
//   - colour only where vitte::log would use it (a terminal with TERM set,
//     no NO_COLOR; CLICOLOR_FORCE forces it): vitte/log/color.hpp;
//   - `--json` on the commands that report: one JSON object on stdout,
//     {"schema": "vitte.CMD", "schema_version": 1, ...}, whose schema is
//     docs/schemas/vitte.CMD.json.
#ifndef VITTE_TOOLS_CLI_HPP
#define VITTE_TOOLS_CLI_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/detail/hex.hpp>   // keys
#include <vitte/base/diagnostic.hpp>   // fail(): the one model of a problem
#include <vitte/base/json_writer.hpp>  // cli::json
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/log/color.hpp>
#include <vitte/sys/terminal.hpp>
#include <vitte/sys/whole_file.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cli {

using args = std::vector<std::string_view>;

/// An option of a command: `value` names its argument (nullptr: a flag).
struct option {
  const char* name;
  const char* value;
  const char* help;
};

/// What a command sees besides its arguments.
struct context {
  bool json = false;       ///< --json was given
  bool color_out = false;  ///< colour on stdout
  bool color_err = false;  ///< colour on stderr
};

struct parsed;

/// One subcommand. Options stop at the first operand when
/// `options_end_at_operand` (run: what follows belongs to the program).
struct command {
  const char* name;
  const char* operands;
  const char* summary;
  std::span<const option> options;
  int (*run)(const parsed&, const context&);
  bool options_end_at_operand = false;
  bool passes_dashes = false;  ///< what follows `--` goes to another program (after_dashes)
};

inline constexpr option json_option{"--json", nullptr, "print one JSON object (docs/schemas/vitte.CMD.json)"};

inline std::string version_text() {
  return std::to_string(VITTE_VERSION_MAJOR) + "." + std::to_string(VITTE_VERSION_MINOR) + "." +
         std::to_string(VITTE_VERSION_PATCH);
}

// --- colour -----------------------------------------------------------------

inline bool color_for(vitte::sys::standard_stream s) {
  return vitte::log::use_color(vitte::log::color_mode::automatic, vitte::sys::standard_handle(s));
}
/// `s` between the SGR sequence `sgr` ("1;31": bold red) and a reset when `on`.
inline std::string paint(bool on, std::string_view s, const char* sgr) {
  if (!on) return std::string(s);
  return std::string("\x1b[") + sgr + "m" + std::string(s) + "\x1b[0m";
}

// --- errors -----------------------------------------------------------------

/// "vitte CMD: error: what" on stderr; returns 1 (the operation failed).
inline int fail(const context& c, std::string_view cmd, std::string_view what) {
  std::fprintf(stderr, "vitte %.*s: %s %.*s\n", static_cast<int>(cmd.size()), cmd.data(),
               paint(c.color_err, "error:", "1;31").c_str(), static_cast<int>(what.size()), what.data());
  return 1;
}
/// "vitte CMD: error: <d's line>": every problem a layer reports (its
/// vitte::diagnostic, vitte/base/diagnostic.hpp) prints through here, so they all
/// read "SUBJECT: at offset 0x1a4: MESSAGE" or "SUBJECT:LINE:COL: MESSAGE".
inline int fail(const context& c, std::string_view cmd, const vitte::diagnostic& d) {
  const vitte::diagnostic_line line = d.format();
  return fail(c, cmd, std::string_view(line.text, line.length));
}
/// The model of an error that comes without a description: its kind and
/// message, about `subject` (a file, a key, a triple; empty: none).
inline vitte::diagnostic described(std::string_view subject, vitte::error e) {
  vitte::diagnostic d;
  d.of(e).about(vitte::text_view(subject.data(), subject.size()));
  return d;
}
/// "vitte CMD: error: SUBJECT: <e's message>".
inline int fail(const context& c, std::string_view cmd, std::string_view subject, vitte::error e) {
  return fail(c, cmd, described(subject, e));
}
/// Bad usage: the reason, then a hint; returns 2.
inline int usage_error(const context& c, std::string_view cmd, std::string_view what,
                       std::string_view suggestion = {}) {
  fail(c, cmd, what);
  if (!suggestion.empty())
    std::fprintf(stderr, "hint: did you mean %.*s?\n", static_cast<int>(suggestion.size()), suggestion.data());
  std::fprintf(stderr, "hint: vitte %.*s --help shows its usage\n", static_cast<int>(cmd.size()), cmd.data());
  return 2;
}

/// How many single-letter edits (insert, delete, replace, swap two
/// neighbours) make `a` into `b`; stops counting past `limit`.
inline std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
  if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > limit) return limit + 1;
  std::vector<std::size_t> before(b.size() + 1), prev(b.size() + 1), row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t change = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      std::size_t best = std::min(change, std::min(prev[j], row[j - 1]) + 1);
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) best = std::min(best, before[j - 2] + 1);
      row[j] = best;
    }
    before.swap(prev);
    prev.swap(row);
  }
  return prev[b.size()];
}

/// The names among `names` that `word` most likely meant: typos of it (the
/// fewest edits, at most 2 and fewer than half its letters, dashes not
/// counted; every name at that distance), or for an option `-x` the one
/// long option that starts with `--x`. Empty when none is that close.
inline std::vector<std::string_view> closest(std::string_view word, std::span<const std::string_view> names) {
  std::vector<std::string_view> best;
  std::size_t letters = word.size();
  while (letters > 0 && word[word.size() - letters] == '-') --letters;
  if (letters == 0) return best;
  std::size_t best_distance = std::min<std::size_t>(2, (letters - 1) / 2);
  for (std::string_view n : names) {
    const std::size_t d = edit_distance(word, n, best_distance);
    if (d > best_distance) continue;
    if (d < best_distance || best.empty()) best.clear();
    best_distance = d;
    best.push_back(n);
  }
  if (!best.empty() || word.size() != 2 || word[0] != '-') return best;
  for (std::string_view n : names)
    if (n.size() > 3 && n.starts_with("--") && n[2] == word[1]) best.push_back(n);
  if (best.size() > 1) best.clear();  // two of them: no guess
  return best;
}

/// "'a'", "'a' or 'b'", "'a', 'b' or 'c'".
inline std::string quoted_choices(const std::vector<std::string_view>& names) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) s += i + 1 == names.size() ? " or " : ", ";
    s += '\'';  // not "'" + std::string(...): GCC 12's -Wrestrict misfires on it at -O3
    s += names[i];
    s += '\'';
  }
  return s;
}

// --- keys -------------------------------------------------------------------

/// Lower-case hexadecimal.
inline std::string hex(std::span<const std::uint8_t> bytes) {
  std::string s(2 * bytes.size(), '0');
  vitte::detail::hex_encode(bytes.data(), bytes.size(), s.data());
  return s;
}

// --- help, man page, completions ------------------------------------------------

inline std::string synopsis(const command& c) {
  return std::string("vitte ") + c.name + (c.options.empty() ? "" : " [options]") +
         (*c.operands != '\0' ? std::string(" ") + c.operands : "");
}

/// An option's help, "CMD" replaced by the command's name.
inline std::string option_help(const command& c, const option& o) {
  std::string h = o.help;
  if (const std::size_t at = h.find("CMD"); at != std::string::npos) h.replace(at, 3, c.name);
  return h;
}

inline void print_help(std::FILE* f, const command& c) {
  std::fprintf(f, "usage: %s\n\n%s\n", synopsis(c).c_str(), c.summary);
  if (!c.options.empty()) std::fprintf(f, "\noptions:\n");
  for (const option& o : c.options) {
    const std::string left = std::string(o.name) + (o.value != nullptr ? std::string(" ") + o.value : "");
    if (left.size() > 28)
      std::fprintf(f, "  %s\n  %-28s %s\n", left.c_str(), "", option_help(c, o).c_str());
    else
      std::fprintf(f, "  %-28s %s\n", left.c_str(), option_help(c, o).c_str());
  }
  std::fprintf(f, "  %-28s %s\n", "-h, --help", "print this help");
}

inline void print_overview(std::FILE* f, std::span<const command> cmds) {
  std::fprintf(f,
               "usage: vitte <command> [options] [operands]\n"
               "       vitte help <command> | vitte <command> --help | vitte --version\n\ncommands:\n");
  int width = 0;
  for (const command& c : cmds) width = std::max(width, static_cast<int>(std::string_view(c.name).size()));
  for (const command& c : cmds) std::fprintf(f, "  %-*s  %s\n", width, c.name, c.summary);
  std::fprintf(f,
               "\nexit status: 0 success, 1 the operation or check failed, 2 bad usage.\n"
               "--json (where listed) prints one JSON object; NO_COLOR and CLICOLOR_FORCE are honoured.\n");
}

/// Text for roff: backslashes and hyphens escaped, a leading dot guarded.
inline std::string roff(std::string_view s) {
  std::string out;
  for (char ch : s) {
    if (ch == '\\')
      out += "\\e";
    else if (ch == '-')
      out += "\\-";
    else
      out += ch;
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
  return out;
}

/// docs/vitte.1, from the table.
inline std::string man_page(std::span<const command> cmds) {
  std::string m = ".TH VITTE 1 \"\" \"vitte " + version_text() + "\" \"User Commands\"\n";
  m += ".SH NAME\nvitte \\- modules, containers, WebAssembly programs and keys of the Vitte runtime\n";
  m += ".SH SYNOPSIS\n.B vitte\n.I command\n[\\fIoptions\\fR] [\\fIoperands\\fR]\n.br\n";
  m += ".B vitte help\n.I command\n.br\n.B vitte \\-\\-version\n";
  m += ".SH DESCRIPTION\nEach command below takes \\fB\\-h\\fR or \\fB\\-\\-help\\fR among its options. "
       "\\fB\\-\\-name=value\\fR is the same as \\fB\\-\\-name value\\fR.\n";
  m += ".SH COMMANDS\n";
  for (const command& c : cmds) {
    m += ".SS " + roff(synopsis(c)) + "\n" + roff(c.summary) + ".\n";
    for (const option& o : c.options) {
      m += ".TP\n.B " + roff(o.name) + (o.value != nullptr ? " \\fI" + roff(o.value) + "\\fR" : std::string()) + "\n";
      m += roff(option_help(c, o)) + "\n";
    }
  }
  m += ".SH EXIT STATUS\n.TP\n0\nsuccess\n.TP\n1\nthe operation or the check failed (the reason on stderr)\n"
       ".TP\n2\nbad usage (with a hint)\n.PP\n\\fBvitte run\\fR exits with the program's status, or 134 when it "
       "traps.\n";
  m += ".SH OUTPUT\nWith \\fB\\-\\-json\\fR a command prints one JSON object whose \\fBschema\\fR and "
       "\\fBschema_version\\fR fields name its schema (docs/schemas/vitte.\\fIcommand\\fR.json).\n";
  m += ".SH ENVIRONMENT\n.TP\nNO_COLOR\nno colour when set and not empty\n.TP\nCLICOLOR_FORCE\ncolour even "
       "into a pipe, when set and not 0\n.TP\nVITTE_PLUGIN_PATH\nmore directories to search for plugins\n";
  return m;
}

inline std::string option_words(const command& c) {
  std::string w = "-h --help";
  for (const option& o : c.options) w += std::string(" ") + o.name;
  return w;
}

/// Takes file names after the options that name a file or a directory.
inline bool takes_path(const option& o) {
  const std::string_view v = o.value != nullptr ? o.value : "";
  return v.find("file") != std::string_view::npos || v.find("dir") != std::string_view::npos;
}

/// `source <(vitte completion bash)`
inline std::string bash_completion(std::span<const command> cmds) {
  std::string s =
      "# bash completion for vitte (vitte completion bash)\n_vitte() {\n"
      "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
      "  if [ \"$COMP_CWORD\" -eq 1 ]; then\n    COMPREPLY=($(compgen -W \"";
  for (const command& c : cmds) s += std::string(c.name) + " ";
  s += "--help --version\" -- \"$cur\"))\n    return\n  fi\n  case \"${COMP_WORDS[1]}\" in\n";
  for (const command& c : cmds) {
    s += std::string("    ") + c.name + ")\n      case \"$prev\" in\n";
    for (const option& o : c.options)
      if (o.value != nullptr)
        s += std::string("        ") + o.name + ") COMPREPLY=($(compgen " + (takes_path(o) ? "-f" : "-W ''") +
             " -- \"$cur\")); return ;;\n";
    s += "      esac\n      if [[ \"$cur\" == -* ]]; then\n        COMPREPLY=($(compgen -W \"" + option_words(c) +
         "\" -- \"$cur\"))\n      else\n        COMPREPLY=($(compgen -f -- \"$cur\"))\n      fi ;;\n";
  }
  s += "  esac\n}\ncomplete -F _vitte vitte\n";
  return s;
}

/// `vitte completion zsh > ~/.zfunc/_vitte` (a directory of $fpath)
inline std::string zsh_completion(std::span<const command> cmds) {
  std::string s =
      "#compdef vitte\n# zsh completion for vitte (vitte completion zsh)\n_vitte() {\n"
      "  local -a commands\n  commands=(\n";
  for (const command& c : cmds) {
    std::string summary;
    for (const char* p = c.summary; *p != '\0'; ++p) summary += *p == '\'' ? std::string("'\\''") : std::string(1, *p);
    s += std::string("    '") + c.name + ":" + summary + "'\n";
  }
  s += "  )\n  if (( CURRENT == 2 )); then\n    _describe command commands\n    return\n  fi\n"
       "  case $words[2] in\n";
  for (const command& c : cmds) {
    s += std::string("    ") + c.name + ") _arguments '(-h --help)'{-h,--help}'[print help]'";
    for (const option& o : c.options) {
      std::string help;
      for (const char* p = o.help; *p != '\0'; ++p)
        if (*p != '\'' && *p != '[' && *p != ']' && *p != ':') help += *p;
      s += std::string(" '*") + o.name + "[" + help + "]" +
           (o.value != nullptr ? std::string(":") + o.value + (takes_path(o) ? ":_files" : ":") : "") + "'";
    }
    s += " '*:file:_files' ;;\n";
  }
  s += "  esac\n}\n_vitte \"$@\"\n";
  return s;
}

// --- options -----------------------------------------------------------------

/// What parse_args found.
enum class verdict { run, help, bad };

/// A command's arguments read against its option table: the options in the
/// order given, the operands, and what follows `--` for a command that
/// passes it on. The views point into the words parsed.
struct parsed {
  verdict outcome = verdict::run;
  std::string why;         ///< when bad: which option is unknown, takes no value, lacks its value
  std::string suggestion;  ///< when bad: the declared options an unknown one most likely meant ("'--out'")
  /// Options by name (`--name=value` split), with their values; a flag's
  /// value is empty.
  std::vector<std::pair<std::string_view, std::string_view>> options;
  args operands;
  args after_dashes;  ///< what follows `--` (command::passes_dashes)

  /// The option was given.
  bool has(std::string_view name) const {
    for (const auto& o : options)
      if (o.first == name) return true;
    return false;
  }
  /// The value of the option's last occurrence; `fallback` when absent.
  vitte::text_view get(std::string_view name, vitte::text_view fallback = {}) const {
    for (auto o = options.rbegin(); o != options.rend(); ++o)
      if (o->first == name) return vitte::text_view(o->second.data(), o->second.size());
    return fallback;
  }
  /// Every value of a repeatable option, in order.
  args all(std::string_view name) const {
    args values;
    for (const auto& o : options)
      if (o.first == name) values.push_back(o.second);
    return values;
  }
};

/// Reads `in` against `c`'s option table: splits --name=value, finds
/// -h/--help and --json (which sets `ctx.json` and is not kept), and refuses
/// an option the command does not declare, a value given to a flag, or an
/// option that lacks its value (`why` says which). A one-letter option's
/// value may be attached (-j8). Options stop at `--`, and
/// at the first operand when `c.options_end_at_operand`. A word of a `-`
/// and a digit ("-5") is an operand. What follows `--` is operands, or
/// `after_dashes` when `c.passes_dashes`.
inline parsed parse_args(const command& c, const args& in, context& ctx) {
  parsed p;
  const auto bad = [&p](std::string why) {
    p.outcome = verdict::bad;
    p.why = static_cast<std::string&&>(why);
    return p;
  };
  for (std::size_t i = 0; i < in.size(); ++i) {
    std::string_view a = in[i];
    if (a == "--") {
      args& rest = c.passes_dashes ? p.after_dashes : p.operands;
      rest.insert(rest.end(), in.begin() + static_cast<std::ptrdiff_t>(i) + 1, in.end());
      break;
    }
    if (a.size() < 2 || a[0] != '-' || (a[1] >= '0' && a[1] <= '9')) {
      p.operands.push_back(a);
      if (!c.options_end_at_operand) continue;
      p.operands.insert(p.operands.end(), in.begin() + static_cast<std::ptrdiff_t>(i) + 1, in.end());
      break;
    }
    if (a == "-h" || a == "--help") {
      p.outcome = verdict::help;
      return p;
    }
    std::string_view value;
    bool has_value = false;
    if (const std::size_t eq = a.find('='); a.starts_with("--") && eq != std::string_view::npos) {
      value = a.substr(eq + 1);
      a = a.substr(0, eq);
      has_value = true;
    }
    const option* o = nullptr;
    for (const option& k : c.options)
      if (a == k.name) o = &k;
    if (o == nullptr && !has_value && a.size() > 2 && a[1] != '-') {
      // A one-letter option with its value attached, as make and ninja take them: -j8, -Cout.
      for (const option& k : c.options)
        if (k.value != nullptr && a.substr(0, 2) == k.name) o = &k;
      if (o != nullptr) {
        value = a.substr(2);
        a = a.substr(0, 2);
        has_value = true;
      }
    }
    if (o == nullptr) {
      std::vector<std::string_view> names;
      for (const option& k : c.options) names.emplace_back(k.name);
      p.suggestion = quoted_choices(closest(a, names));
      return bad("unknown option '" + std::string(a) + "'");
    }
    if (o->value == nullptr) {
      if (has_value) return bad(std::string(o->name) + " takes no value");
      if (a == "--json")
        ctx.json = true;
      else
        p.options.emplace_back(a, std::string_view{});
      continue;
    }
    if (!has_value) {
      if (i + 1 >= in.size()) return bad(std::string(o->name) + " needs " + o->value);
      value = in[++i];
    }
    p.options.emplace_back(a, value);
  }
  return p;
}

// --- JSON ----------------------------------------------------------------------

/// The tool's JSON reports: vitte::json_writer (commas, nesting, escaping)
/// with the header every report starts with, printed on stdout.
///   cli::json j;
///   j.schema("inspect").field("name", "calc").key("exports").begin_array().end_array().end_object();
///   j.print();
class json {
 public:
  json& begin_object() { return w_.begin_object(), *this; }
  json& end_object() { return w_.end_object(), *this; }
  json& begin_array() { return w_.begin_array(), *this; }
  json& end_array() { return w_.end_array(), *this; }
  json& key(std::string_view k) { return w_.key(text(k)), *this; }
  json& value(std::string_view s) { return w_.value(text(s)), *this; }
  json& value(const char* s) { return value(std::string_view(s)); }
  json& value(const std::string& s) { return value(std::string_view(s)); }
  json& value(vitte::text_view s) { return w_.value(s), *this; }
  json& value(const vitte::text& s) { return w_.value(s.view()), *this; }
  json& value(bool b) { return w_.value(b), *this; }
  json& value(std::uint64_t n) { return w_.value(n), *this; }
  json& value(std::uint32_t n) { return w_.value(n), *this; }
  json& value(std::int64_t n) { return w_.value(n), *this; }
  json& null() { return w_.null(), *this; }
  template <class T>
  json& field(std::string_view k, const T& v) {
    return key(k).value(v);
  }
  /// The header every report starts with.
  json& schema(std::string_view command) {
    return begin_object().field("schema", "vitte." + std::string(command)).field("schema_version", std::uint64_t{1});
  }
  /// Prints the value and a newline on stdout.
  void print() const { std::printf("%.*s\n", static_cast<int>(w_.view().size()), w_.view().data()); }
  std::string str() const { return std::string(w_.view().data(), w_.view().size()); }

 private:
  static vitte::text_view text(std::string_view s) { return {s.data(), s.size()}; }
  vitte::json_writer w_;
};

}  // namespace cli

#endif  // VITTE_TOOLS_CLI_HPP
