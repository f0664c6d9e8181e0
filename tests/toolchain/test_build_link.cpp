// vitte/toolchain/link.hpp: each flavour's syntax and response files, then real
// links of freestanding programs: ELF x86_64 (run), ELF aarch64 (run under
// qemu-aarch64), PE through lld-link and through MinGW's ld.lld (run under
// wine), Mach-O (read back with vitte's Mach-O reader), wasm32 (run by
// node); each linked twice must give the same bytes. A case whose compiler,
// linker or runner is missing says so and skips (scripts/test installs them).
#include <vitte/loader/macho.hpp>
#include <vitte/log.hpp>
#include <vitte/sys/fs.hpp>
#include <vitte/sys/info.hpp>
#include <vitte/sys/process.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/whole_file.hpp>
#include <vitte/toolchain/link.hpp>
#include <vitte/toolchain/run.hpp>

#include <chrono>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "print.hpp"

namespace toolchain = vitte::toolchain;
namespace sys = vitte::sys;
namespace lg = vitte::log;
using vitte::text;

namespace {

std::vector<std::string> strings(const vitte::buffer<text>& b) { return {b.begin(), b.end()}; }

struct workdir {
  sys::temp_directory dir = sys::temp_directory::create({}, "vitte-link-").value();
  std::vector<std::string> lines;
  lg::callback_sink sink{[](void* self, lg::level, vitte::text_view line, vitte::text_view,
                            vitte::span<const lg::field>) { static_cast<workdir*>(self)->lines.emplace_back(line); },
                         this};
  lg::logger log{lg::level::debug};
  workdir() { BOOST_REQUIRE(log.add(sink)); }
  text at(std::string_view n) const { return sys::path_join(dir.path(), n); }
  // Compiles `source` with `compiler` and `flags`; false (with a message) when the compiler is missing.
  bool compile(std::string_view compiler, std::vector<std::string> flags, std::string_view source,
               std::string_view object) {
    if (!sys::find_program(compiler)) {
      BOOST_TEST_MESSAGE("skipped: " << compiler << " is not installed");
      return false;
    }
    text src = at(std::string(object) + ".c");
    BOOST_REQUIRE(sys::write_file(src.c_str(), source));
    flags.insert(flags.end(), {"-c", "-O1", "-ffreestanding", std::string(src), "-o", std::string(at(object))});
    auto r = toolchain::run(sys::command(text(compiler)).args(flags), {}, &log).value();
    BOOST_REQUIRE_MESSAGE(r.status.success(), std::string_view(r.err));
    return true;
  }
  // Links twice, the second time to the same file name in another
  // directory (Mach-O linkers hash the output's name into LC_UUID, as
  // ld64 does); the two outputs must be byte-identical. Returns the bytes.
  vitte::buffer<std::byte> link_twice(toolchain::linker_flavor f, toolchain::link_job job) {
    auto ld = toolchain::find_linker(f);
    BOOST_REQUIRE_MESSAGE(ld, "no linker for this flavour");
    const text first = job.output;
    auto r1 = toolchain::link(*ld, job, {}, &log).value();
    BOOST_REQUIRE_MESSAGE(r1.status.success(), std::string_view(r1.command_line) << ": " << std::string_view(r1.err));
    auto a = sys::read_file(first.c_str()).value();
    const text again = at("again");
    BOOST_REQUIRE(sys::create_directories(again.c_str()).has_value());
    job.output = sys::path_join(again, sys::file_name(first));
    auto r2 = toolchain::link(*ld, job, {}, &log).value();
    BOOST_REQUIRE(r2.status.success());
    auto b = sys::read_file(job.output.c_str()).value();
    BOOST_TEST((a == b), "the second link differs: " << std::string_view(r1.command_line));
    return a;
  }
  int run_exit(std::string_view runner, std::vector<std::string> args) {
    if (!sys::find_program(runner)) {
      BOOST_TEST_MESSAGE("not run: " << runner << " is not installed");
      return -1000;
    }
    auto cmd = sys::command(text(runner)).args(args).env("WINEDEBUG", "-all");
    auto r = toolchain::run(cmd, {}, &log).value();
    return r.status.code();
  }
};

bool have_linker(toolchain::linker_flavor f) {
  if (toolchain::find_linker(f)) return true;
  BOOST_TEST_MESSAGE("skipped: no " << toolchain::default_linker_name(f));
  return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(link_syntax)

BOOST_AUTO_TEST_CASE(each_flavour_speaks_its_own_syntax) {
  toolchain::link_job job;
  job.output = "out/app";
  job.inputs = {"a.o", "b.o"};
  job.libraries = {"m"};
  job.search_paths = {"lib"};
  job.entry = "start";
  using F = toolchain::linker_flavor;
  BOOST_TEST((strings(toolchain::link_arguments(F::elf, job)) ==
              std::vector<std::string>{"-e", "start", "-o", "out/app", "-Llib", "a.o", "b.o", "-lm"}));
  BOOST_TEST((strings(toolchain::link_arguments(F::cc, job)) ==
              std::vector<std::string>{"-Wl,-e,start", "-o", "out/app", "-Llib", "a.o", "b.o", "-lm"}));
  BOOST_TEST((strings(toolchain::link_arguments(F::coff, job)) ==
              std::vector<std::string>{"/nologo", "/Brepro", "/subsystem:console", "/entry:start", "/out:out/app",
                                       "/libpath:lib", "a.o", "b.o", "m.lib"}));
  BOOST_TEST((strings(toolchain::link_arguments(F::mingw, job)) ==
              std::vector<std::string>{"-m", "i386pep", "--no-insert-timestamp", "--subsystem", "console", "-e",
                                       "start", "-o", "out/app", "-Llib", "a.o", "b.o", "-lm"}));
  BOOST_TEST((strings(toolchain::link_arguments(F::macho, job)) ==
              std::vector<std::string>{"-arch", "x86_64", "-platform_version", "macos", "11.0", "11.0", "-execute",
                                       "-e", "start", "-o", "out/app", "-Llib", "a.o", "b.o", "-lm"}));
  job.entry.clear();
  job.kind = toolchain::link_output::shared;
  BOOST_TEST((strings(toolchain::link_arguments(F::wasm, job)) ==
              std::vector<std::string>{"--shared", "--no-entry", "-o", "out/app", "-Llib", "a.o", "b.o", "-lm"}));
  job.kind = toolchain::link_output::pie;
  BOOST_TEST(strings(toolchain::link_arguments(F::elf, job))[0] == "-pie");
}

BOOST_AUTO_TEST_CASE(response_files_quote_as_each_tokenizer_reads) {
  vitte::buffer<text> args = {text("a b.o"), text("say \"hi\"\\")};
  BOOST_TEST(std::string_view(toolchain::response_file_content(toolchain::linker_flavor::elf, args)) ==
             "\"a b.o\"\n\"say \\\"hi\\\"\\\\\"\n");
  BOOST_TEST(std::string_view(toolchain::response_file_content(toolchain::linker_flavor::coff, args)) ==
             "\"a b.o\"\n\"say \\\"hi\\\"\\\\\"\n");
}

BOOST_AUTO_TEST_CASE(dry_run_prints_the_exact_command_and_runs_nothing) {
  workdir w;
  toolchain::linker ld{toolchain::linker_flavor::elf, {text("/usr/bin/ld.lld"), {}, {}}};
  toolchain::link_job job;
  job.output = w.at("never");
  job.inputs = {text("x y.o")};
  toolchain::link_options o;
  o.dry_run = true;
  auto r = toolchain::link(ld, job, o, &w.log);
  if (!r) {
    BOOST_TEST_MESSAGE("skipped: " << r.error());  // no /usr/bin/ld.lld
    return;
  }
  BOOST_TEST(r->dry_run);
  const char* quoted = VITTE_OS_WINDOWS ? " \"x y.o\"" : " 'x y.o'";  // the host's quoting (sys::command::dry_run)
  BOOST_TEST(std::string_view(r->command_line) == "/usr/bin/ld.lld -o " + std::string(w.at("never")) + quoted);
  BOOST_TEST(!sys::exists(w.at("never").c_str()).value());
  BOOST_REQUIRE(!w.lines.empty());
  BOOST_TEST(w.lines.back().find("would run") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(real_links)

BOOST_AUTO_TEST_CASE(elf_x86_64_runs) {
#if defined(__x86_64__) && defined(__linux__)
  workdir w;
  if (!have_linker(toolchain::linker_flavor::elf) ||
      !w.compile("cc", {"-fno-pic"},
                 "void _start(void) { __asm__ volatile(\"mov $60, %eax\\n mov $42, %edi\\n syscall\"); }", "elf.o"))
    return;
  toolchain::link_job job;
  job.output = w.at("elf");
  job.inputs = {w.at("elf.o")};
  job.entry = "_start";
  (void)w.link_twice(toolchain::linker_flavor::elf, job);
  auto r = toolchain::run(sys::command(w.at("elf")), {}, &w.log).value();
  BOOST_TEST(r.status.code() == 42);
#else
  BOOST_TEST_MESSAGE("skipped: an x86_64 Linux host runs this program");
#endif
}

BOOST_AUTO_TEST_CASE(a_long_command_line_goes_through_a_response_file) {
#if defined(__x86_64__) && defined(__linux__)
  workdir w;
  if (!have_linker(toolchain::linker_flavor::elf) ||
      !w.compile("cc", {"-fno-pic"},
                 "void _start(void) { __asm__ volatile(\"mov $60, %eax\\n mov $7, %edi\\n syscall\"); }", "e 1.o"))
    return;
  toolchain::link_job job;
  job.output = w.at("rsp");
  job.inputs = {w.at("e 1.o")};
  job.entry = "_start";
  for (int i = 0; i < 2000; ++i) job.search_paths.push_back(w.at("no such dir " + std::to_string(i)));
  auto ld = toolchain::find_linker(toolchain::linker_flavor::elf).value();
  auto r = toolchain::link(ld, job, {}, &w.log).value();
  BOOST_TEST(r.status.success(), std::string_view(r.err));
  BOOST_TEST(std::string_view(r.command_line).find("@") != std::string_view::npos);
  BOOST_TEST(sys::exists((std::string(w.at("rsp")) + ".rsp").c_str()).value());
  BOOST_TEST(toolchain::run(sys::command(w.at("rsp"))).value().status.code() == 7);
#endif
}

BOOST_AUTO_TEST_CASE(elf_aarch64_runs_under_qemu) {
  workdir w;
  if (!have_linker(toolchain::linker_flavor::elf) ||
      !w.compile("aarch64-linux-gnu-gcc", {},
                 "void _start(void) { register long x8 __asm__(\"x8\") = 93; register long x0 __asm__(\"x0\") = 42;"
                 " __asm__ volatile(\"svc 0\" :: \"r\"(x8), \"r\"(x0)); }",
                 "a64.o"))
    return;
  toolchain::link_job job;
  job.output = w.at("a64");
  job.inputs = {w.at("a64.o")};
  job.entry = "_start";
  job.machine = "aarch64linux";
  (void)w.link_twice(toolchain::linker_flavor::elf, job);
  const int code = w.run_exit("qemu-aarch64", {std::string(w.at("a64"))});
  if (code != -1000) BOOST_TEST(code == 42);
}

BOOST_AUTO_TEST_CASE(pe_through_lld_link_and_mingw_runs_under_wine) {
  workdir w;
  const char* kernel32 = "/usr/x86_64-w64-mingw32/lib/libkernel32.a";
  if (!sys::exists(kernel32).value()) {
    BOOST_TEST_MESSAGE("skipped: MinGW's libkernel32.a is not installed");
    return;
  }
  if (!w.compile("x86_64-w64-mingw32-gcc", {},
                 "__declspec(dllimport) void __stdcall ExitProcess(unsigned);\nvoid start(void) { ExitProcess(42); }",
                 "pe.o"))
    return;
  toolchain::link_job job;
  job.inputs = {w.at("pe.o")};
  job.entry = "start";
  if (have_linker(toolchain::linker_flavor::coff)) {
    job.output = w.at("coff.exe");
    job.libraries = {text(kernel32)};
    auto bytes = w.link_twice(toolchain::linker_flavor::coff, job);
    BOOST_TEST((bytes.size() > 2 && bytes[0] == std::byte{'M'} && bytes[1] == std::byte{'Z'}));
    const int code = w.run_exit("wine", {std::string(w.at("coff.exe"))});
    if (code != -1000) BOOST_TEST(code == 42);
  }
  if (have_linker(toolchain::linker_flavor::mingw)) {
    job.output = w.at("mingw.exe");
    job.libraries = {text("kernel32")};
    job.search_paths = {text("/usr/x86_64-w64-mingw32/lib")};
    (void)w.link_twice(toolchain::linker_flavor::mingw, job);
    const int code = w.run_exit("wine", {std::string(w.at("mingw.exe"))});
    if (code != -1000) BOOST_TEST(code == 42);
  }
}

BOOST_AUTO_TEST_CASE(macho_reads_back_as_an_x86_64_executable) {
  workdir w;
  if (!have_linker(toolchain::linker_flavor::macho) ||
      !w.compile("clang", {"--target=x86_64-apple-macos11"}, "int start(void) { return 42; }", "mo.o"))
    return;
  toolchain::link_job job;
  job.output = w.at("mo");
  job.inputs = {w.at("mo.o")};
  job.entry = "_start";
  auto bytes = w.link_twice(toolchain::linker_flavor::macho, job);
  namespace loader = vitte::loader;
  auto m = loader::macho::reader::parse({bytes.data(), bytes.size()}, loader::architecture::x86_64);
  BOOST_REQUIRE(m);
  BOOST_TEST(m->file_type() == 2u);  // MH_EXECUTE
  BOOST_TEST(m->is_64());
  BOOST_TEST(m->find_section("__TEXT", "__text").has_value());
}

BOOST_AUTO_TEST_CASE(wasm32_runs_under_node) {
  workdir w;
  if (!have_linker(toolchain::linker_flavor::wasm) ||
      !w.compile("clang", {"--target=wasm32", "-nostdlib"},
                 "__attribute__((export_name(\"answer\"))) int answer(void) { return 42; }", "w.o"))
    return;
  toolchain::link_job job;
  job.output = w.at("w.wasm");
  job.inputs = {w.at("w.o")};
  auto bytes = w.link_twice(toolchain::linker_flavor::wasm, job);
  BOOST_TEST((bytes.size() > 8 && bytes[0] == std::byte{0} && bytes[1] == std::byte{'a'}));
  if (!sys::find_program("node")) {
    BOOST_TEST_MESSAGE("not run: node is not installed");
    return;
  }
  auto r = toolchain::run(
               sys::command("node").args({"-e",
                                          "const fs=require('fs');WebAssembly.instantiate(fs.readFileSync(process."
                                          "argv[1])).then(r=>process.exit(r.instance.exports.answer()))",
                                          std::string(w.at("w.wasm"))}))
               .value();
  BOOST_TEST(r.status.code() == 42);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(running)

namespace {
std::string helper() {
  std::string self = sys::executable_path().value();
  return sys::path_join(sys::parent_path(self), VITTE_OS_WINDOWS ? "helper_child.exe" : "helper_child");
}
bool logged(const workdir& w, std::string_view a, std::string_view b) {
  for (const std::string& l : w.lines)
    if (l.find(a) != std::string::npos && l.find(b) != std::string::npos) return true;
  return false;
}
}  // namespace

BOOST_AUTO_TEST_CASE(run_reports_status_output_environment_and_deadlines_through_the_log) {
  workdir w;
  auto failed = toolchain::run(sys::command(helper()).args({"exit", "3"}), {}, &w.log).value();
  BOOST_TEST(failed.status.code() == 3);
  BOOST_TEST(logged(w, "error", "exit=3"));

  auto env = toolchain::run(sys::command(helper()).arg("env").env("VITTE_RUN_TEST", "yes"), {}, &w.log).value();
  BOOST_TEST(env.status.success());
  BOOST_TEST(std::string_view(env.out).find("VITTE_RUN_TEST=yes") != std::string_view::npos);
  BOOST_TEST(logged(w, "stdout", "VITTE_RUN_TEST=yes"));  // captured lines go to the log (debug)

  auto cwd = toolchain::run(sys::command(helper()).arg("cwd").cwd(w.dir.path())).value();
  BOOST_TEST(std::string_view(cwd.out).find(sys::file_name(w.dir.path())) != std::string_view::npos);

  toolchain::run_options slow;
  slow.deadline = sys::deadline::after(std::chrono::milliseconds(200));
  auto late = toolchain::run(sys::command(helper()).args({"sleep", "20000"}), slow, &w.log).value();
  BOOST_TEST(late.timed_out);
  BOOST_TEST(logged(w, "timed out", "sleep"));

  toolchain::run_options dry;
  dry.dry_run = true;
  auto none = toolchain::run(sys::command(helper()).args({"exit", "9"}), dry, &w.log).value();
  BOOST_TEST(none.dry_run);
  BOOST_TEST(std::string_view(none.command_line).find("exit 9") != std::string_view::npos);
  BOOST_TEST(logged(w, "would run", "exit 9"));

  BOOST_TEST(toolchain::run(sys::command("vitte-no-such-program-anywhere")).error() == vitte::errc::not_found);
}

BOOST_AUTO_TEST_SUITE_END()
