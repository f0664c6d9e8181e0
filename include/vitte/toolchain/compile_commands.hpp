// vitte/toolchain/compile_commands.hpp - a JSON compilation database
// (compile_commands.json, as CMake, Meson, Bear and ninja -t compdb write it)
// read into commands a driver can run.
//
//   namespace toolchain = vitte::toolchain;
//   vitte::diagnostic why;
//   auto db = toolchain::parse_compile_commands(json_text, &why);
//   if (!db) std::fprintf(stderr, "%s\n", why.about("compile_commands.json").format().c_str());
//   // "compile_commands.json:3:7: expected ':' after a member's name", "compile_commands.json: entry 3: no \"file\""
//   for (const toolchain::compile_command& c : *db)
//     ... sys::command(c.arguments[0]).args(rest).cwd(c.directory) ...
//
// The file is an array of objects, each with "directory", "file", and either
// "arguments" (an array of strings) or "command" (one string split as a POSIX
// shell would split it, without expansion: blanks separate arguments,
// '...' keeps everything, "..." keeps everything but \\ \" \$ \` and
// \newline, and a backslash outside quotes keeps the next character); an
// optional "output" (else the argument after -o, or -oFILE). When both are
// given, "arguments" is used. "directory" must be absolute; file and output
// are kept as written, relative to directory unless absolute
// (compile_command::source() and object() join them). A UTF-8 byte-order
// mark before the JSON is skipped. Not shell: a '#' is an ordinary
// character, and a backslash at the very end is refused.
//
// Errors: malformed, with `why` (when given) saying what and where: the
// line and column for JSON that does not parse, the entry (counted from 0)
// for an entry that is not a command ("entry 3: no \"file\"", "entry 0:
// \"command\": a quote not closed"). The text has no name here: a caller
// that read it from a file adds the file's (`why.about(path)`). Limits: the
// JSON reader's depth limit (64).
#ifndef VITTE_TOOLCHAIN_COMPILE_COMMANDS_HPP
#define VITTE_TOOLCHAIN_COMPILE_COMMANDS_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>

namespace vitte::toolchain {

/// One entry of a compilation database.
struct compile_command {
  text directory;          ///< Where the command runs.
  buffer<text> arguments;  ///< The command line, the compiler first.
  text file;               ///< The main source, as written.
  text output;             ///< "output", else the argument after -o (or -oFILE), else empty.

  /// `file` joined to `directory` when it is relative.
  text source() const;
  /// `output` joined to `directory` when it is relative (empty when unknown).
  text object() const;
};

/// The entries of the compilation database `json` (see the header). `why`,
/// when given, is filled on failure.
VITTE_DECL result<buffer<compile_command>> parse_compile_commands(text_view json, diagnostic* why = nullptr);

/// `command` split into arguments appended to `out`, as a POSIX shell
/// splits it, without expansion (see the header). Errors: malformed for a
/// quote not closed or a backslash at the end, with `why` (when given) at
/// its line and column in `command` ("a quote not closed").
VITTE_DECL status split_command_line(text_view command, buffer<text>& out, diagnostic* why = nullptr);

}  // namespace vitte::toolchain

#if VITTE_HEADER_ONLY
#include <vitte/toolchain/impl/compile_commands.ipp>
#endif

#endif  // VITTE_TOOLCHAIN_COMPILE_COMMANDS_HPP
