// vitte/toolchain/impl/compile_commands.ipp - the bodies of
// vitte/toolchain/compile_commands.hpp.
#ifndef VITTE_TOOLCHAIN_IMPL_COMPILE_COMMANDS_IPP
#define VITTE_TOOLCHAIN_IMPL_COMPILE_COMMANDS_IPP

#include <vitte/base/config.hpp>
#include <vitte/base/detail/json_reader.hpp>
#include <vitte/cache/detail/base_dir.hpp>  // absolute_path
#include <vitte/sys/path.hpp>               // path_join
#include <vitte/toolchain/compile_commands.hpp>
#include <vitte/toolchain/detail/text_position.hpp>  // where the JSON or a command is wrong

#include <cstddef>
#include <cstdint>

namespace vitte::toolchain {

VITTE_DECL text compile_command::source() const { return sys::path_join(directory, file); }

VITTE_DECL text compile_command::object() const { return output.empty() ? text() : sys::path_join(directory, output); }

VITTE_DECL status split_command_line(text_view command, buffer<text>& out, diagnostic* why) {
  // A quote not closed or a backslash at the end, from byte `at`.
  const auto damaged = [&](std::size_t at, text_view what) -> status {
    if (why != nullptr) {
      why->clear();
      detail::at_text_position(why->of(errc::malformed), command, at).say(what);
    }
    return error{errc::malformed};
  };
  text word;
  bool in_word = false;
  for (std::size_t i = 0; i < command.size(); ++i) {
    const char c = command[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (in_word) out.push_back(static_cast<text&&>(word));
      word = text();
      in_word = false;
      continue;
    }
    if (c == '\\') {
      if (++i == command.size()) return damaged(i - 1, "a backslash at the end");
      if (command[i] == '\n') continue;  // \newline joins lines: nothing, not even a word
      in_word = true;
      word.push_back(command[i]);
      continue;
    }
    in_word = true;
    if (c == '\'') {
      const std::size_t end = command.find('\'', i + 1);
      if (end == text_view::npos) return damaged(i, "a quote not closed");
      word.append(command.substr(i + 1, end - i - 1));
      i = end;
      continue;
    }
    if (c != '"') {
      word.push_back(c);
      continue;
    }
    const std::size_t open = i;
    for (++i;; ++i) {
      if (i == command.size()) return damaged(open, "a quote not closed");
      const char q = command[i];
      if (q == '"') break;
      if (q == '\\' && i + 1 < command.size()) {
        const char e = command[i + 1];
        if (e == '\\' || e == '"' || e == '$' || e == '`' || e == '\n') {
          if (e != '\n') word.push_back(e);
          ++i;
          continue;
        }
      }
      word.push_back(q);
    }
  }
  if (in_word) out.push_back(static_cast<text&&>(word));
  return {};
}

namespace detail {

// "entry N: what", anew in `why` when given (the JSON reader keeps no
// offsets of values: the entry's number says where).
VITTE_DECL void compile_command_damaged(diagnostic* why, std::size_t entry, text_view what) {
  if (why == nullptr) return;
  why->clear();
  why->of(errc::malformed).say("entry ");
  why->append(static_cast<std::uint64_t>(entry)).append(": ").append(what);
}

// A string member, false when present but not a string.
VITTE_DECL bool string_member(const vitte::detail::json_value& e, text_view key, text& out, bool& present) {
  const vitte::detail::json_value* v = e.get(key);
  present = v != nullptr;
  if (v == nullptr) return true;
  if (v->type != vitte::detail::json_value::kind::string) return false;
  out = text_view(v->string);
  return true;
}

}  // namespace detail

VITTE_DECL result<buffer<compile_command>> parse_compile_commands(text_view json, diagnostic* why) {
  using vitte::detail::json_value;
  json_value root;
  const std::size_t mark = json.starts_with("\xEF\xBB\xBF") ? 3 : 0;  // a UTF-8 byte-order mark, as editors write
  const text_view body = json.substr(mark);
  vitte::detail::json_reader reader(body);
  if (!reader.parse(root)) {
    if (why != nullptr) {  // where an editor shows it: the mark is no column
      why->clear();
      detail::at_text_position(why->of(errc::malformed), body, reader.at).say(reader.what);
    }
    return error{errc::malformed};
  }
  if (root.type != json_value::kind::array) {
    if (why != nullptr) {
      why->clear();
      why->of(errc::malformed).say("not an array of commands");
    }
    return error{errc::malformed};
  }
  buffer<compile_command> out;
  out.reserve(root.items.size());
  for (std::size_t n = 0; n < root.items.size(); ++n) {
    const json_value& e = root.items[n];
    const auto damaged = [&](text_view what) -> result<buffer<compile_command>> {
      detail::compile_command_damaged(why, n, what);
      return error{errc::malformed};
    };
    if (e.type != json_value::kind::object) return damaged("not an object");
    compile_command c;
    bool has_directory = false, has_file = false, has_command = false, has_output = false;
    text command;
    if (!detail::string_member(e, "directory", c.directory, has_directory))
      return damaged("\"directory\" is not a string");
    if (!detail::string_member(e, "file", c.file, has_file)) return damaged("\"file\" is not a string");
    if (!detail::string_member(e, "command", command, has_command)) return damaged("\"command\" is not a string");
    if (!detail::string_member(e, "output", c.output, has_output)) return damaged("\"output\" is not a string");
    if (!has_directory || c.directory.empty()) return damaged("no \"directory\"");
    if (!cache::detail::absolute_path(c.directory)) return damaged("\"directory\" is not an absolute path");
    if (!has_file || c.file.empty()) return damaged("no \"file\"");
    if (const json_value* a = e.get("arguments"); a != nullptr) {
      if (a->type != json_value::kind::array) return damaged("\"arguments\" is not an array");
      for (const json_value& arg : a->items) {
        if (arg.type != json_value::kind::string) return damaged("\"arguments\" holds something other than a string");
        c.arguments.push_back(text(text_view(arg.string)));
      }
    } else if (has_command) {
      if (!split_command_line(command, c.arguments)) {
        if (why != nullptr) {  // the split again, to say where (the error path only)
          diagnostic split;
          buffer<text> ignored;
          (void)split_command_line(command, ignored, &split);
          detail::compile_command_damaged(why, n, "\"command\": ");
          why->append(split.message()).append(" (");
          if (split.line() > 1) why->append("line ").append(std::uint64_t{split.line()}).append(", ");
          why->append("column ").append(std::uint64_t{split.column()}).append(" of the command)");
        }
        return error{errc::malformed};
      }
    } else {
      return damaged("neither \"arguments\" nor \"command\"");
    }
    if (c.arguments.empty() || c.arguments[0].empty()) return damaged("an empty command");
    // A NUL byte ends a string where it goes (argv, a path): refused.
    bool nul = text_view(c.directory).find('\0') != text_view::npos ||
               text_view(c.file).find('\0') != text_view::npos || text_view(c.output).find('\0') != text_view::npos;
    for (const text& a : c.arguments) nul = nul || text_view(a).find('\0') != text_view::npos;
    if (nul) return damaged("a NUL byte in a path or an argument");
    if (c.output.empty())
      for (std::size_t i = 1; i < c.arguments.size(); ++i) {
        const text_view a = c.arguments[i];
        if (a == "-o" && i + 1 < c.arguments.size())
          c.output = c.arguments[++i];
        else if (a.size() > 2 && a.starts_with("-o"))  // -ofile, as gcc and clang take it
          c.output = a.substr(2);
      }
    out.push_back(static_cast<compile_command&&>(c));
  }
  return out;
}

}  // namespace vitte::toolchain

#endif  // VITTE_TOOLCHAIN_IMPL_COMPILE_COMMANDS_IPP
