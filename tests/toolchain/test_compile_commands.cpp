// compile_commands.json: what CMake, Meson and Bear write is read into
// commands; "command" is split as /bin/sh splits it (checked against the
// real shell when there is one); every damaged entry says which and what.
#include <vitte/sys/path.hpp>
#include <vitte/sys/process.hpp>
#include <vitte/toolchain/compile_commands.hpp>

#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

namespace toolchain = vitte::toolchain;
using vitte::text_view;

namespace {

std::vector<std::string> words(const vitte::buffer<vitte::text>& b) {
  std::vector<std::string> out;
  for (const vitte::text& t : b) out.emplace_back(t.data(), t.size());
  return out;
}

std::string problem_of(text_view json) {
  vitte::diagnostic p;
  auto r = toolchain::parse_compile_commands(json, &p);
  BOOST_TEST(!r.has_value());
  BOOST_TEST((r.error() == vitte::errc::malformed));
  BOOST_TEST((p.kind() == vitte::errc::malformed));
  const vitte::diagnostic_line line = p.format();
  return std::string(line.view());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(compile_commands)

BOOST_AUTO_TEST_CASE(reads_arguments_commands_and_outputs) {
  // As CMake writes it (command), as Meson and Bear write it (arguments, output).
  const char* json = R"([
    {"directory": "/src/build", "command": "/usr/bin/cc -DNAME=\"a b\" -I../inc -o CMakeFiles/a.dir/a.c.o -c /src/a.c",
     "file": "/src/a.c"},
    {"directory": "/src/build", "arguments": ["cc", "-c", "../b.c", "-o", "ignored.o"], "file": "../b.c", "output": "b.o"},
    {"directory": "/src/build", "arguments": ["cc", "-c", "c.c"], "command": "not used", "file": "c.c"}
  ])";
  vitte::diagnostic p;
  auto db = toolchain::parse_compile_commands(json, &p);
  BOOST_REQUIRE(db.has_value());
  BOOST_TEST(!p);
  BOOST_REQUIRE(db->size() == 3u);
  const toolchain::compile_command& a = (*db)[0];
  BOOST_TEST(words(a.arguments) == (std::vector<std::string>{"/usr/bin/cc", "-DNAME=a b", "-I../inc", "-o",
                                                             "CMakeFiles/a.dir/a.c.o", "-c", "/src/a.c"}),
             boost::test_tools::per_element());
  BOOST_TEST(std::string(a.source().view()) == "/src/a.c");
  // Joined with this system's separator (Windows writes a backslash).
  BOOST_TEST(std::string(a.object().view()) ==
             std::string(vitte::sys::path_join("/src/build", "CMakeFiles/a.dir/a.c.o").view()));
  const toolchain::compile_command& b = (*db)[1];
  BOOST_TEST(std::string(b.output.view()) == "b.o");  // "output" wins over -o
  BOOST_TEST(std::string(b.source().view()) == std::string(vitte::sys::path_join("/src/build", "../b.c").view()));
  const toolchain::compile_command& c = (*db)[2];
  BOOST_TEST(words(c.arguments) == (std::vector<std::string>{"cc", "-c", "c.c"}), boost::test_tools::per_element());
  BOOST_TEST(c.object().empty());  // no output, no -o: unknown
  BOOST_TEST(toolchain::parse_compile_commands("[]", &p).value().empty());
  BOOST_TEST(toolchain::parse_compile_commands("[]").value().empty());  // no diagnostic asked for
  // -oFILE as gcc takes it; a UTF-8 byte-order mark before the JSON.
  auto joined = toolchain::parse_compile_commands(
      "\xEF\xBB\xBF[{\"directory\": \"/b\", \"arguments\": [\"cc\", \"-c\", \"x.c\", \"-ox.o\"], \"file\": \"x.c\"}]",
      &p);
  BOOST_REQUIRE(joined.has_value());
  BOOST_TEST(std::string(joined->front().output.view()) == "x.o");
}

BOOST_AUTO_TEST_CASE(a_command_is_split_as_the_shell_splits_it) {
  const char* lines[] = {
      R"(cc -c a.c)",
      "cc\t -c   a.c  ",
      R"(cc '-DA=it is' "-DB=\"q\" \$HOME \`x\` \\ \n" -DC=a\ b\'c 'x'"y"z -DE= "" '')",
      "cc a\\\nb \"c\\\nd\"",
      "cc a \\\n b \\\n",  // a backslash-newline between blanks is no argument at all
      R"(cc "-DM=a'b" '-DN=a"b' -DP=\\)",
  };
#if VITTE_OS_POSIX
  const auto sh = vitte::sys::find_program("sh");
#else
  const vitte::result<vitte::text> sh = vitte::errc::not_supported;  // no POSIX shell to compare with
#endif
  for (const char* line : lines) {
    vitte::buffer<vitte::text> got;
    vitte::diagnostic why;
    BOOST_REQUIRE_MESSAGE(toolchain::split_command_line(line, got, &why), line << ": " << why.format().c_str());
    if (!sh) continue;
    // The shell's own split: printf prints each argument it is given (cc
    // included) on a line of its own.
    auto out =
        vitte::sys::command(*sh).args({"-c", (std::string("set -f; printf '%s\\n' ") + line).c_str()}).output().value();
    BOOST_REQUIRE(out.status.success());
    std::vector<std::string> shell;
    std::string all(out.out.data(), out.out.size());
    for (std::size_t at = 0; at < all.size();) {
      const std::size_t nl = all.find('\n', at);
      shell.push_back(all.substr(at, nl - at));
      at = nl + 1;
    }
    BOOST_TEST(words(got) == shell, line);
  }
}

BOOST_AUTO_TEST_CASE(each_damaged_entry_says_which_and_what) {
  BOOST_TEST(problem_of(R"({"directory": "/"})").find("not an array of commands") != std::string::npos);
  BOOST_TEST(problem_of(R"([{"directory": "/b", "command": "cc", "file": "a.c"}, 3])").find("entry 1: not an object") !=
             std::string::npos);
  BOOST_TEST(problem_of(R"([{"directory": "/b", "command": "cc"}])").find("entry 0: no \"file\"") != std::string::npos);
  BOOST_TEST(problem_of(R"([{"file": "a.c", "command": "cc"}])").find("entry 0: no \"directory\"") !=
             std::string::npos);
  BOOST_TEST(
      problem_of(R"([{"directory": "/b", "file": "a.c"}])").find("entry 0: neither \"arguments\" nor \"command\"") !=
      std::string::npos);
  BOOST_TEST(problem_of(R"([{"directory": "/b", "file": "a.c", "command": "cc \"-DX"}])")
                 .find("entry 0: \"command\": a quote not closed (column 4 of the command)") != std::string::npos);
  BOOST_TEST(problem_of(R"([{"directory": "/b", "file": "a.c", "command": "cc x\\"}])")
                 .find("entry 0: \"command\": a backslash at the end (column 5 of the command)") != std::string::npos);
  BOOST_TEST(problem_of(R"([{"directory": "/b", "file": "a.c", "arguments": ["cc", 1]}])")
                 .find("entry 0: \"arguments\" holds something other than a string") != std::string::npos);
  BOOST_TEST(
      problem_of(R"([{"directory": "/b", "file": "a.c", "command": "   "}])").find("entry 0: an empty command") !=
      std::string::npos);
  BOOST_TEST(problem_of(R"([{"directory": "build", "file": "a.c", "command": "cc"}])")
                 .find("entry 0: \"directory\" is not an absolute path") != std::string::npos);
  BOOST_TEST(problem_of(R"([{"directory": "/b", "file": "a.c", "arguments": ["cc", "-DX=a\u0000b"]}])")
                 .find("entry 0: a NUL byte in a path or an argument") != std::string::npos);
  BOOST_TEST(problem_of(R"([{"directory": 7, "file": "a.c", "command": "cc"}])")
                 .find("entry 0: \"directory\" is not a string") != std::string::npos);
  // JSON that does not parse: its line and column (a text), where an
  // editor shows them (a byte-order mark before it is no column).
  const std::string cut = problem_of(R"([{"directory": "/b",)");
  BOOST_TEST(cut.rfind("line 1, column 21: ", 0) == 0u, cut);  // the end (byte 0x14), where a name was due
  const std::string lines = problem_of("\xEF\xBB\xBF[\n  {\"directory\": \"/b\",\n   \"file\" \"a.c\"}]");
  BOOST_TEST(lines.rfind("line 3, column 11: ", 0) == 0u, lines);  // the ':' that is missing
}

// The diagnostic has no name of a file: the caller that read the file adds
// it, and nothing else (the kind and the position are the parser's).
BOOST_AUTO_TEST_CASE(the_caller_names_the_file) {
  vitte::diagnostic why;
  auto r = toolchain::parse_compile_commands("[\n  {\"directory\": 7}\n", &why);
  BOOST_REQUIRE(!r);
  BOOST_TEST(why.subject().empty());
  BOOST_TEST(
      std::string(why.about("build/compile_commands.json").format().c_str()).rfind("build/compile_commands.json:", 0) ==
          0u,
      why.format().c_str());
}

// A command that does not split says where, in the command.
BOOST_AUTO_TEST_CASE(a_command_that_does_not_split_says_where) {
  vitte::buffer<vitte::text> out;
  vitte::diagnostic why;
  auto r = toolchain::split_command_line("cc 'a b", out, &why);
  BOOST_REQUIRE(!r);
  BOOST_TEST((r.error() == vitte::errc::malformed));
  BOOST_TEST((why.kind() == vitte::errc::malformed));
  BOOST_TEST(std::string(why.format().c_str()) == "line 1, column 4: a quote not closed");
  BOOST_TEST(!toolchain::split_command_line("cc \\\n \"x", out, &why));
  BOOST_TEST(std::string(why.format().c_str()) == "line 2, column 2: a quote not closed");
  BOOST_TEST(!toolchain::split_command_line("cc x\\", out, &why));
  BOOST_TEST(std::string(why.format().c_str()) == "line 1, column 5: a backslash at the end");
  BOOST_TEST(!toolchain::split_command_line("cc x\\", out));  // no diagnostic asked for
}

BOOST_AUTO_TEST_SUITE_END()
