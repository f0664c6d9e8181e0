// The vitte tool against the API, both ways: files signed by `vitte sign`
// and `vitte pack --sign` verify with the API, and files the API signed pass
// `vitte verify` (and fail it with another key). The tool's path is the
// first argument after "--" (tests/meson.build passes the built one).
#include <vitte/crypto/ed25519.hpp>
#include <vitte/loader/elf_image/image.hpp>
#include <vitte/loader/signature.hpp>
#include <vitte/loader/vitmod.hpp>
#include <vitte/loader/vitmod_file.hpp>
#include <vitte/sys/path.hpp>
#include <vitte/sys/path_ops.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/whole_file.hpp>

#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/test/unit_test.hpp>

#if VITTE_OS_LINUX
#include <dirent.h>
#include <sys/resource.h>  // RLIMIT_CORE
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace loader = vitte::loader;
namespace ed = vitte::crypto::ed25519;
namespace sys = vitte::sys;

namespace {

std::string tool() {
  const auto& suite = boost::unit_test::framework::master_test_suite();
  return suite.argc > 1 ? suite.argv[suite.argc - 1] : "";
}

// Runs the tool with `args`; returns its exit status. With `output`, what
// it printed (stdout and stderr) goes there.
int run(const std::string& args, std::string* output = nullptr, const std::string& capture = {},
        const std::string& cwd = {}) {
  const std::string to = output != nullptr ? "\"" + capture + "\"" : std::string("/dev/null");
  const std::string cd = cwd.empty() ? std::string() : "cd \"" + cwd + "\" && ";
  const std::string cmd = cd + "\"" + tool() + "\" " + args + " >" + to + " 2>&1";
  const int rc = std::system(cmd.c_str());
  if (output != nullptr) *output = std::string(sys::read_file_string(capture).value());
  return rc < 0 ? rc : (rc >> 8) & 0xff;  // POSIX wait status
}

std::string hex(std::span<const std::uint8_t> b) {
  std::string s;
  for (std::uint8_t x : b) {
    s += "0123456789abcdef"[x >> 4];
    s += "0123456789abcdef"[x & 15];
  }
  return s;
}

ed::public_key read_public_key(const std::string& path) {
  const std::string text = sys::read_file_string(path).value();
  ed::public_key k{};
  for (std::size_t i = 0; i < k.size(); ++i)
    k[i] = static_cast<std::uint8_t>(std::stoul(text.substr(2 * i, 2), nullptr, 16));
  return k;
}

struct fixture {
  sys::temp_directory dir = sys::temp_directory::create().value();
  std::string path(const char* name) const { return sys::path_join(dir.path(), name); }
  bool usable() const {
#if VITTE_OS_POSIX
    if (!tool().empty()) return true;
    BOOST_TEST_MESSAGE("skipped: no path to the vitte tool was given (tests/meson.build passes it)");
#else
    BOOST_TEST_MESSAGE("skipped: the tool is run through a POSIX shell, which this target lacks");
#endif
    return false;
  }
};

loader::vitmod_builder sample() {
  loader::vitmod_builder b;
  b.manifest.name = "greeter";
  b.manifest.version = "1.2.0";
  b.manifest.dependencies = {{"log", "^2.1", false}};
  b.payload = {std::byte{'B'}, std::byte{'C'}};
  return b;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(vitte_cli, fixture)

BOOST_AUTO_TEST_CASE(cli_signs_api_verifies) {
  if (!usable()) return;
  BOOST_REQUIRE_EQUAL(run("keygen \"" + path("rel.key") + "\" \"" + path("rel.pub") + "\""), 0);
  const ed::public_key pk = read_public_key(path("rel.pub"));
  loader::trust_store store;
  store.add(pk, "rel");
  // vitte sign on a container the API wrote.
  BOOST_REQUIRE(sys::write_file(path("a.vitbc"), sample().build()));
  BOOST_REQUIRE_EQUAL(run("sign \"" + path("a.vitbc") + "\" \"" + path("rel.key") + "\""), 0);
  auto a = loader::open_vitmod(path("a.vitbc"), store, loader::verify_policy::require);
  BOOST_REQUIRE_MESSAGE(a.has_value(), a.error().message().c_str());
  BOOST_TEST(a->view.manifest().name() == "greeter");
  // vitte pack --sign from a manifest description.
  BOOST_REQUIRE(sys::write_file(path("m.txt"), std::string_view{"name = packed\nversion = 0.3.1\nkind = wasm\n"
                                                                "depends = log >=1.0.0 <2\nexport = run\n"}));
  BOOST_REQUIRE(sys::write_file(path("p.bin"), std::string_view{"\0asm", 4}));
  BOOST_REQUIRE_EQUAL(run("pack \"" + path("m.txt") + "\" \"" + path("p.bin") + "\" -o \"" + path("b.vitmod") +
                          "\" --sign \"" + path("rel.key") + "\""),
                      0);
  auto b = loader::open_vitmod(path("b.vitmod"), store, loader::verify_policy::require);
  BOOST_REQUIRE_MESSAGE(b.has_value(), b.error().message().c_str());
  BOOST_TEST(b->view.manifest().name() == "packed");
  BOOST_TEST((b->view.payload_kind() == loader::payload_kind::wasm));
  BOOST_TEST(b->view.manifest().dependencies().size() == 1u);
  BOOST_TEST(run("inspect \"" + path("b.vitmod") + "\"") == 0);
}

BOOST_AUTO_TEST_CASE(api_signs_cli_verifies) {
  if (!usable()) return;
  ed::seed seed{};
  seed.fill(0x5a);
  const ed::key_pair kp = ed::key_pair_from_seed(seed);
  BOOST_REQUIRE(sys::write_file(path("api.pub"), hex(kp.public_key) + "\n"));
  BOOST_REQUIRE(sys::write_file(path("signed.vitbc"), sample().build(&kp)));
  BOOST_TEST(run("verify \"" + path("signed.vitbc") + "\" \"" + path("api.pub") + "\"") == 0);
  // Another key, an unsigned file, a damaged file: refused.
  seed.fill(0x33);
  BOOST_REQUIRE(sys::write_file(path("other.pub"), hex(ed::key_pair_from_seed(seed).public_key) + "\n"));
  BOOST_TEST(run("verify \"" + path("signed.vitbc") + "\" \"" + path("other.pub") + "\"") == 1);
  BOOST_REQUIRE(sys::write_file(path("unsigned.vitbc"), sample().build()));
  BOOST_TEST(run("verify \"" + path("unsigned.vitbc") + "\" \"" + path("api.pub") + "\"") == 1);
  std::vector<std::byte> damaged = sample().build(&kp);
  damaged[100] ^= std::byte{1};
  BOOST_REQUIRE(sys::write_file(path("damaged.vitbc"), damaged));
  BOOST_TEST(run("verify \"" + path("damaged.vitbc") + "\" \"" + path("api.pub") + "\"") == 1);
  BOOST_TEST(run("no-such-command") == 2);
}

BOOST_AUTO_TEST_CASE(load_a_wasm_module) {
  if (!usable()) return;
  // (module (func (export "answer") (result i32) (i32.const 42)))
  static const unsigned char wasm[] = {0,   'a',  's', 'm', 1, 0,  0, 0,  1, 5, 1,    0x60, 0,
                                       1,   0x7f, 3,   2,   1, 0,  7, 10, 1, 6, 'a',  'n',  's',
                                       'w', 'e',  'r', 0,   0, 10, 6, 1,  4, 0, 0x41, 42,   0x0b};
  BOOST_REQUIRE(sys::write_file(path("answer.wasm"),
                                std::span<const std::byte>(reinterpret_cast<const std::byte*>(wasm), sizeof wasm)));
  std::string out;
  BOOST_TEST(run("load \"" + path("answer.wasm") + "\"", &out, path("out.txt")) == 0);
  BOOST_TEST(out.find("loaded      answer 0.0.0") != std::string::npos, out);
  BOOST_TEST(out.find("payload   wasm") != std::string::npos, out);
}

BOOST_AUTO_TEST_CASE(load_a_container) {
  if (!usable()) return;
  // A bytecode container, signed by the API: the tool has no executor, and
  // says so only once the signature passed.
  ed::seed seed{};
  seed.fill(0x21);
  const ed::key_pair kp = ed::key_pair_from_seed(seed);
  BOOST_REQUIRE(sys::write_file(path("k.pub"), hex(kp.public_key) + "\n"));
  loader::vitmod_builder b = sample();
  b.manifest.dependencies.clear();
  BOOST_REQUIRE(sys::write_file(path("greeter.vitbc"), b.build(&kp)));
  BOOST_REQUIRE(sys::write_file(path("plain.vitbc"), b.build()));
  std::string out;
  const std::string capture = path("out.txt");
  BOOST_TEST(run("load \"" + path("greeter.vitbc") + "\" --trust \"" + path("k.pub") + "\"", &out, capture) == 1);
  BOOST_TEST_MESSAGE(out);
  BOOST_TEST(out.find("no executor registered for the payload of greeter 1.2.0") != std::string::npos, out);
  BOOST_TEST(out.find("payload kind bytecode") != std::string::npos, out);
  // Unsigned: refused under the default policy, before any executor is asked.
  BOOST_TEST(run("load \"" + path("plain.vitbc") + "\" --trust \"" + path("k.pub") + "\"", &out, capture) == 1);
  BOOST_TEST(out.find("no executor") != std::string::npos, out);  // planning comes first
  BOOST_TEST(run("load \"" + path("plain.vitbc") + "\" --policy bogus") == 2);
  // inspect still reads it.
  BOOST_TEST(run("inspect \"" + path("greeter.vitbc") + "\"", &out, capture) == 0);
  BOOST_TEST(out.find("module      greeter 1.2.0") != std::string::npos, out);
}

// The sample plugins (tests/loader/plugins) as in-memory images: loaded
// with their dependencies, bound, as the OS loader would (in a static build
// of the tool, images are the default).
BOOST_FIXTURE_TEST_CASE(load_plugins_as_images, fixture) {
  if (!usable()) return;
  const auto& suite = boost::unit_test::framework::master_test_suite();
  std::string self = suite.argv[0];
  std::string plugins = sys::path_join(sys::path_join(std::string(sys::parent_path(self)), "loader"), "plugins");
  const std::string capture = path("out.txt");
  std::string out;
  const int rc = run("load --backend image -p \"" + plugins + "\" chain_a", &out, capture);
  if (!loader::elf_image::images_supported()) {
    BOOST_TEST(rc == 1);
    BOOST_TEST(out.find("in-memory ELF images on this host") != std::string::npos, out);
    return;
  }
  BOOST_TEST(rc == 0, out);
  BOOST_TEST(out.find("loaded      chain_c") < out.find("loaded      chain_a"), out);
  BOOST_TEST(out.find("bind      host.add v1") != std::string::npos, out);
  BOOST_TEST(run("load --backend bogus chain_a") == 2);
}

// vitte load --isolate: the test plugin in a sandboxed plugin host, its
// exports printed; a plugin that crashes while it loads gives a clear
// error and exit status 1, the tool runs on, and no core is left in the
// working directory (core dumps allowed as far as this process may).
BOOST_FIXTURE_TEST_CASE(load_a_plugin_isolated, fixture) {
  if (!usable()) return;
#if !VITTE_OS_LINUX
  BOOST_TEST_MESSAGE("skipped: isolated plugins run on Linux only");
#else
  const auto& suite = boost::unit_test::framework::master_test_suite();
  const std::string plugins =
      sys::path_join(sys::path_join(std::string(sys::parent_path(suite.argv[0])), "loader"), "plugins");
  const std::string host = sys::path_join(std::string(sys::parent_path(tool())), "vitte-plugin-host");
  if (::access(sys::path_join(plugins, "libisolated.so").c_str(), R_OK) != 0 || ::access(host.c_str(), X_OK) != 0) {
    BOOST_TEST_MESSAGE("skipped: the isolated test plugin or the plugin host is not built");
    return;
  }
  struct rlimit was{};
  ::getrlimit(RLIMIT_CORE, &was);
  struct rlimit dumps = was;
  dumps.rlim_cur = was.rlim_max;
  ::setrlimit(RLIMIT_CORE, &dumps);
  const std::string work = path("cwd");
  BOOST_REQUIRE(::mkdir(work.c_str(), 0755) == 0);
  const std::string capture = path("out.txt");
  std::string out;
  // In `work`: "cd" before the tool.
  const auto in_work = [&](const std::string& args, std::string* o) {
    return run("load --isolate " + args, o, capture, work);
  };
  const std::string good = "\"" + sys::path_join(plugins, "libisolated.so") + "\"";
  BOOST_TEST(in_work(good, &out) == 0, out);
  BOOST_TEST(out.find("loaded      isolated 1.0.0") != std::string::npos, out);
  BOOST_TEST(out.find("  host      " + host + ", pid ") != std::string::npos, out);
  BOOST_TEST(out.find("  export    add v1 function, cells, signature ") != std::string::npos, out);
  BOOST_TEST(out.find("  export    upper v1 function, text, signature ") != std::string::npos, out);
  BOOST_TEST(out.find("  export    counter v1 object, not callable here") != std::string::npos, out);
  // By module name from -p, the host named, as JSON with the protections.
  BOOST_TEST(in_work("--json --host \"" + host + "\" -p \"" + plugins + "\" isolated", &out) == 0, out);
  BOOST_TEST(out.find("\"loaded\":[{\"name\":\"isolated\",\"version\":\"1.0.0\"") != std::string::npos, out);
  BOOST_TEST(out.find("\"isolated\":{\"host\":\"" + host + "\",\"exports\":[{\"name\":\"add\"") != std::string::npos,
             out);
  BOOST_TEST(out.find("\"report\":{\"landlock_abi\":") != std::string::npos, out);
  BOOST_TEST(out.find("\"no_new_privs\":{\"state\":\"applied\"") != std::string::npos, out);
  // A host that is not there.
  BOOST_TEST(in_work("--host /nonexistent/host " + good, &out) == 1, out);
  BOOST_TEST(out.find("vitte load: error: ") != std::string::npos, out);
  // The hostile plugin.
  const std::string bad = sys::path_join(plugins, "libcrash_on_load.so");
  BOOST_TEST(in_work("\"" + bad + "\"", &out) == 1, out);
  BOOST_TEST(out ==
             "vitte load: error: " + bad + ": the plugin host died of signal 11 (SIGSEGV) while loading the plugin\n");
  BOOST_TEST(in_work("--json \"" + bad + "\"", &out) == 1, out);
  BOOST_TEST(out.find("died of signal 11 (SIGSEGV)") != std::string::npos, out);
  std::vector<std::string> left;
  if (DIR* d = ::opendir(work.c_str())) {
    while (dirent* e = ::readdir(d))
      if (std::string_view(e->d_name) != "." && std::string_view(e->d_name) != "..") left.emplace_back(e->d_name);
    ::closedir(d);
  }
  BOOST_TEST(left.empty(), "left in the working directory: " << (left.empty() ? "" : left[0]));
  ::setrlimit(RLIMIT_CORE, &was);
#endif
}

#if VITTE_OS_POSIX
BOOST_AUTO_TEST_CASE(vitte_build_speaks_as_ninja) {
  // -C and attached -j, the status lines, "no work to do", FAILED with the
  // command and its output, exit 1 and ninja's stop line; -t tools.
  auto dir = sys::temp_directory::create().value();
  const std::string d(dir.path().view()), capture = d + "/out.txt";
  sys::write_file(sys::path_join(dir.path(), "in.txt"), "x\n").value();
  sys::write_file(sys::path_join(dir.path(), "build.ninja"),
                  "rule copy\n  command = cp $in $out\n  description = COPY $out\n"
                  "rule fail\n  command = echo oops; exit 3\n"
                  "build a.txt: copy in.txt\nbuild b.txt: copy a.txt\nbuild bad: fail\ndefault b.txt\n")
      .value();
  std::string out;
  BOOST_TEST(run("build -C \"" + d + "\" -j2", &out, capture) == 0, out);
  BOOST_TEST(out.find("[1/2] COPY a.txt\n[2/2] COPY b.txt\n") != std::string::npos, out);
  BOOST_TEST(run("build -C \"" + d + "\"", &out, capture) == 0, out);
  BOOST_TEST(out.find("vitte build: no work to do.") != std::string::npos, out);
  BOOST_TEST(run("build -C \"" + d + "\" bad", &out, capture) == 1, out);
  BOOST_TEST(out.find("FAILED: bad\necho oops; exit 3\noops\n") != std::string::npos, out);
  BOOST_TEST(out.find("vitte build: build stopped: subcommand failed.") != std::string::npos, out);
  BOOST_TEST(run("build -C \"" + d + "\" -t commands b.txt", &out, capture) == 0, out);
  BOOST_TEST(out.find("cp in.txt a.txt\ncp a.txt b.txt\n") != std::string::npos, out);
  BOOST_TEST(run("build -C \"" + d + "\" -t targets all", &out, capture) == 0, out);
  BOOST_TEST(out.find("a.txt: copy\nb.txt: copy\nbad: fail\n") != std::string::npos, out);
  BOOST_TEST(run("build -C \"" + d + "\" -t nothing", &out, capture) == 2, out);
  BOOST_TEST(run("build -C \"" + d + "\" -j x", &out, capture) == 2, out);
}
#endif

BOOST_AUTO_TEST_SUITE_END()
