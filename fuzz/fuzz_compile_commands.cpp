// libFuzzer target: compile_commands.json (toolchain::parse_compile_commands)
// and the shell-like split of its "command" (toolchain::split_command_line).
// The first byte picks:
//   0: the database: on success every entry has a directory, a file and a
//      compiler; on failure the diagnostic is malformed, says what, and its
//      line and column lie inside the input.
//   1: a round trip: the rest, cut at NUL bytes, is a list of arguments;
//      each quoted as a shell quotes it ('...' with ' written '\''), joined
//      with blanks, must split back into exactly that list.
//   else: any text splits or says why not (malformed, at a line and
//      column inside it), never anything else.
// Build and run with fuzz/run.sh.
#include <vitte/toolchain/compile_commands.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace toolchain = vitte::toolchain;
  if (size == 0) return 0;
  const vitte::text_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 3) {
    case 0: {
      vitte::diagnostic problem;
      auto db = toolchain::parse_compile_commands(rest, &problem);
      if (db) {
        if (problem) __builtin_trap();
        for (const toolchain::compile_command& c : *db)
          if (c.directory.empty() || c.file.empty() || c.arguments.empty() || c.arguments[0].empty() ||
              c.source().empty())
            __builtin_trap();
      } else if (db.error() != vitte::errc::malformed || problem.kind() != vitte::errc::malformed ||
                 problem.message().empty() || problem.line() > rest.size() + 1 || problem.column() > rest.size() + 1) {
        __builtin_trap();
      }
      break;
    }
    case 1: {
      std::vector<std::string> args;
      std::string line;
      std::size_t from = 0;
      for (;;) {
        const std::size_t nul = rest.find('\0', from);
        args.emplace_back(rest.data() + from, (nul == vitte::text_view::npos ? rest.size() : nul) - from);
        if (nul == vitte::text_view::npos) break;
        from = nul + 1;
      }
      for (const std::string& a : args) {
        if (!line.empty()) line += ' ';
        line += '\'';
        for (char c : a) line += c == '\'' ? std::string("'\\''") : std::string(1, c);
        line += '\'';
      }
      vitte::buffer<vitte::text> back;
      if (!toolchain::split_command_line(line, back) || back.size() != args.size()) __builtin_trap();
      for (std::size_t i = 0; i < args.size(); ++i)
        if (vitte::text_view(back[i]) != vitte::text_view(args[i].data(), args[i].size())) __builtin_trap();
      break;
    }
    default: {
      vitte::buffer<vitte::text> words;
      vitte::diagnostic why;
      // A refusal says what, where (inside the command), with its kind.
      if (!toolchain::split_command_line(rest, words, &why) &&
          (why.kind() != vitte::errc::malformed || why.message().empty() || why.line() == 0 || why.column() == 0 ||
           why.column() > rest.size()))
        __builtin_trap();
      break;
    }
  }
  return 0;
}
