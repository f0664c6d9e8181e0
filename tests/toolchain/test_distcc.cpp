// The distcc client (vitte/toolchain/distcc.hpp): the host list and each
// refusal with its column; the split of a compile's arguments (what
// preprocesses here, what a server gets, what stays here and why); the
// reply reader against good, wrong, cut and over-long replies; the object
// check on real objects (ELF from cc, COFF from MinGW's gcc, Mach-O from
// clang) and their truncations; the pool against scripted servers on
// threads (garbage, closed, hanging, a broken object, a failed compile,
// a good answer) and against real distccd servers, one of them killed
// while the pool is in use. What needs the host's compilers or distccd
// skips on cross targets and when they are absent, saying why.
#include <vitte/sys/directory.hpp>
#include <vitte/sys/metadata.hpp>
#include <vitte/sys/net.hpp>
#include <vitte/sys/path_ops.hpp>
#include <vitte/sys/process.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/whole_file.hpp>
#include <vitte/toolchain/distcc.hpp>
#include <vitte/toolchain/run.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "support/distccd.hpp"  // VITTE_TEST_DISTCCD on Linux hosts
#if defined(VITTE_TEST_DISTCCD)
using vitte_test::distccd;
using vitte_test::free_port;
#endif

#include <boost/test/unit_test.hpp>

#include "print.hpp"

namespace toolchain = vitte::toolchain;
namespace sys = vitte::sys;
using vitte::errc;
using vitte::text;
using vitte::text_view;
using namespace std::chrono_literals;

namespace {

// The kind of a failed status, errc::ok for a success.
errc kind_of(const vitte::status& s) { return s ? errc::ok : s.error().kind(); }

std::string str(text_view v) { return std::string(v.data(), v.size()); }
text_view tv(std::string_view s) { return text_view(s.data(), s.size()); }
bool has(text_view hay, std::string_view needle) { return str(hay).find(needle) != std::string::npos; }

// --- the host list ----------------------------------------------------------

toolchain::distcc_hosts hosts_ok(std::string_view list) {
  vitte::diagnostic why;
  auto r = toolchain::parse_distcc_hosts(tv(list), &why);
  BOOST_REQUIRE_MESSAGE(r, "\"" << list << "\" refused: " << why.format().c_str());
  return std::move(*r);
}

struct refusal {
  std::uint32_t column = 0;
  std::string entry, message;
};

refusal hosts_bad(std::string_view list) {
  vitte::diagnostic why;
  auto r = toolchain::parse_distcc_hosts(tv(list), &why);
  BOOST_TEST_REQUIRE(!r, "\"" << list << "\" accepted");
  BOOST_TEST(r.error() == errc::malformed);
  BOOST_TEST(why.kind() == errc::malformed);
  BOOST_TEST(why.line() == 1u);
  return {why.column(), str(why.subject()), str(why.message())};
}

void check_host(const toolchain::distcc_host& h, std::string_view name, unsigned port, unsigned limit) {
  BOOST_TEST(str(h.name) == name);
  BOOST_TEST(h.port == port);
  BOOST_TEST(h.limit == limit);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(distcc)

BOOST_AUTO_TEST_CASE(hosts_plain_ports_limits) {
  const auto h = hosts_ok("10.0.0.2 10.0.0.3:3700/8\t host-c/1\n  build.example:1/1000 ");
  BOOST_TEST_REQUIRE(h.servers.size() == 4u);
  check_host(h.servers[0], "10.0.0.2", 3632, 2);
  check_host(h.servers[1], "10.0.0.3", 3700, 8);
  check_host(h.servers[2], "host-c", 3632, 1);
  check_host(h.servers[3], "build.example", 1, 1000);
  BOOST_TEST(h.local_slots == 0u);

  BOOST_TEST(hosts_ok("").servers.empty());
  BOOST_TEST(hosts_ok(" \t\r\n").servers.empty());
  // A hosts file's comments: to the end of their line.
  const auto c = hosts_ok("# the build farm\n10.0.0.2/4 # fast\n#10.0.0.9\n 10.0.0.3");
  BOOST_TEST_REQUIRE(c.servers.size() == 2u);
  check_host(c.servers[0], "10.0.0.2", 3632, 4);
  check_host(c.servers[1], "10.0.0.3", 3632, 2);
  check_host(hosts_ok("h:65535").servers[0], "h", 65535, 2);
}

BOOST_AUTO_TEST_CASE(hosts_ipv6_and_localhost) {
  const auto h = hosts_ok("[::1]:3633/4 [fe80::1] [2001:db8::7]/3");
  BOOST_TEST_REQUIRE(h.servers.size() == 3u);
  check_host(h.servers[0], "::1", 3633, 4);
  check_host(h.servers[1], "fe80::1", 3632, 2);
  check_host(h.servers[2], "2001:db8::7", 3632, 3);

  const auto l = hosts_ok("localhost/3 a");
  BOOST_TEST(l.local_slots == 3u);
  BOOST_TEST_REQUIRE(l.servers.size() == 1u);
  check_host(l.servers[0], "a", 3632, 2);
  BOOST_TEST(hosts_ok("localhost").local_slots == 2u);
  BOOST_TEST(hosts_ok("localhost").servers.empty());
  // With a port, localhost is a server like any other.
  const auto p = hosts_ok("localhost:3632/5");
  BOOST_TEST(p.local_slots == 0u);
  BOOST_TEST_REQUIRE(p.servers.size() == 1u);
  check_host(p.servers[0], "localhost", 3632, 5);
}

BOOST_AUTO_TEST_CASE(hosts_refusals_name_the_entry_and_its_column) {
  struct expect {
    std::string_view list;
    std::uint32_t column;
    std::string_view entry, says;
  };
  const expect cases[] = {
      {"a b,lzo", 3, "b,lzo", "comma"},
      {"a,cpp,lzo", 1, "a,cpp,lzo", "comma"},
      {"  x y:3632,lzo", 5, "y:3632,lzo", "comma"},
      {"user@host", 1, "user@host", "ssh"},
      {"a @host", 3, "@host", "ssh"},
      {"host:", 1, "host:", "empty port"},
      {"ok host:/2", 4, "host:/2", "empty port"},
      {"[::1]:", 1, "[::1]:", "empty port"},
      {"host/0", 1, "host/0", "limit"},
      {"host/1001", 1, "host/1001", "limit"},
      {"host/abc", 1, "host/abc", "limit"},
      {"host/", 1, "host/", "limit"},
      {"host/-1", 1, "host/-1", "limit"},
      {"a\t[::1", 3, "[::1", "']'"},
      {"[::1/2", 1, "[::1/2", "']'"},
      {"[::1]x", 1, "[::1]x", "after the IPv6"},
      {"host:0", 1, "host:0", "port"},
      {"host:65536", 1, "host:65536", "port"},
      {"host:36x", 1, "host:36x", "port"},
      {":3632", 1, ":3632", "no host"},
      {"[]", 1, "[]", "no host"},
      {"/4", 1, "/4", "no host"},
      {"--randomize a", 1, "--randomize", "options"},
      {"a +zeroconf", 3, "+zeroconf", "options"},
      {"h/4/5", 1, "h/4/5", "'/'"},
  };
  for (const expect& c : cases) {
    BOOST_TEST_CONTEXT("list \"" << c.list << "\"") {
      const refusal r = hosts_bad(c.list);
      BOOST_TEST(r.column == c.column);
      BOOST_TEST(r.entry == c.entry);
      BOOST_TEST(r.message.find(c.says) != std::string::npos, r.message);
    }
  }
}

// A hosts file has lines: the entry is placed at its own line and column,
// and no caller has to add the kind.
BOOST_AUTO_TEST_CASE(hosts_refusals_in_a_hosts_file_name_its_line) {
  vitte::diagnostic why;
  auto r = toolchain::parse_distcc_hosts("# the farm\n10.0.0.2/4\n  user@host # ssh\n", &why);
  BOOST_TEST_REQUIRE(!r);
  BOOST_TEST(why.kind() == r.error().kind());
  BOOST_TEST(why.line() == 3u);
  BOOST_TEST(why.column() == 3u);
  BOOST_TEST(str(why.subject()) == "user@host");
  BOOST_TEST(std::string(why.format().c_str()) == "user@host:3:3: ssh hosts are not supported");
  BOOST_TEST(!toolchain::parse_distcc_hosts("a,lzo"));  // no diagnostic asked for
}

// --- the split --------------------------------------------------------------

namespace {

toolchain::detail::distcc_split split_of(std::initializer_list<const char*> args, bool clang = false) {
  vitte::buffer<text> a;
  for (const char* s : args) a.push_back(text(s));
  return toolchain::detail::split_for_distcc(vitte::span<const text>(a.data(), a.size()), clang);
}

std::vector<std::string> list(const vitte::buffer<text>& b) {
  std::vector<std::string> out;
  for (const text& t : b) out.push_back(str(t));
  return out;
}

using strings = std::vector<std::string>;

}  // namespace

BOOST_AUTO_TEST_CASE(split_gcc_command_line) {
  const auto s =
      split_of({"-O2", "-Iinc", "-I",  "other", "-DX=1", "-D",  "Y",     "-UZ", "-include", "pre.h",   "-isystem",
                "sys", "-MD",   "-MF", "a.d",   "-MT",   "a.o", "-Wall", "-c",  "-o",       "sub/a.o", "sub/a.c"});
  BOOST_TEST(str(s.why_local) == "");
  BOOST_TEST(str(s.source) == "sub/a.c");
  BOOST_TEST(str(s.object) == "sub/a.o");
  BOOST_TEST(list(s.preprocess) ==
                 (strings{"-O2",      "-Iinc", "-I",  "other", "-DX=1", "-D",  "Y",   "-UZ",   "-include", "pre.h",
                          "-isystem", "sys",   "-MD", "-MF",   "a.d",   "-MT", "a.o", "-Wall", "sub/a.c",  "-E"}),
             boost::test_tools::per_element());
  BOOST_TEST(list(s.server) == (strings{"-O2", "-Wall", "-c", "-o", "sub/a.o", "sub/a.c"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(split_dependencies_named_from_the_object) {
  // -MD alone: with -E the compiler would name a.d in the working
  // directory with the target a.o; the compile names sub/x.d, sub/x.o.
  const auto s = split_of({"-c", "-MD", "-o", "sub/x.o", "x.c"});
  BOOST_TEST(str(s.why_local) == "");
  BOOST_TEST(list(s.preprocess) == (strings{"-MD", "x.c", "-MQ", "sub/x.o", "-MF", "sub/x.d", "-E"}),
             boost::test_tools::per_element());
  BOOST_TEST(list(s.server) == (strings{"-c", "-o", "sub/x.o", "x.c"}), boost::test_tools::per_element());

  // -MMD with a joined -MF: only the target is added (-MQ, quoted for make
  // as the compile's own target is); an object without a suffix gets ".d"
  // appended; a dot in a directory is not a suffix, a leading dot is (GCC:
  // "sub/.b" gives "sub/.d").
  const auto m = split_of({"-MMD", "-MFdeps/x.dep", "-c", "-o", "out.dir/x", "x.cc"});
  BOOST_TEST(list(m.preprocess) == (strings{"-MMD", "-MFdeps/x.dep", "x.cc", "-MQ", "out.dir/x", "-E"}),
             boost::test_tools::per_element());
  const auto n = split_of({"-MD", "-c", "-o", "out.dir/x", "x.cc"});
  BOOST_TEST(list(n.preprocess) == (strings{"-MD", "x.cc", "-MQ", "out.dir/x", "-MF", "out.dir/x.d", "-E"}),
             boost::test_tools::per_element());
  const auto dot = split_of({"-MD", "-c", "-o", "sub/.b", "x.c"});
  BOOST_TEST(list(dot.preprocess) == (strings{"-MD", "x.c", "-MQ", "sub/.b", "-MF", "sub/.d", "-E"}),
             boost::test_tools::per_element());
  // A target given (-MQ) is kept, nothing added but the file.
  const auto q = split_of({"-MD", "-MQ", "t", "-c", "-o", "y.o", "y.c"});
  BOOST_TEST(list(q.preprocess) == (strings{"-MD", "-MQ", "t", "y.c", "-MF", "y.d", "-E"}),
             boost::test_tools::per_element());
  BOOST_TEST(list(q.server) == (strings{"-c", "-o", "y.o", "y.c"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(split_joined_object_and_clang_debug) {
  const auto j = split_of({"-c", "-oobj.o", "a.cpp"});
  BOOST_TEST(str(j.why_local) == "");
  BOOST_TEST(str(j.object) == "obj.o");
  BOOST_TEST(list(j.preprocess) == (strings{"a.cpp", "-E"}), boost::test_tools::per_element());
  BOOST_TEST(list(j.server) == (strings{"-c", "-oobj.o", "a.cpp"}), boost::test_tools::per_element());

  // GCC's preprocessor records the directory for -g; Clang's does not, and
  // a prefix map does not match the server's directory: Clang with debug
  // information stays here, prefix map or not. -g3 needs the macros the
  // preprocessor consumed, with either compiler.
  BOOST_TEST(str(split_of({"-g", "-c", "-o", "a.o", "a.c"}, false).why_local) == "");
  BOOST_TEST(has(split_of({"-g", "-c", "-o", "a.o", "a.c"}, true).why_local, "server's directory"));
  BOOST_TEST(has(split_of({"-g", "-ffile-prefix-map=/src=.", "-c", "-o", "a.o", "a.c"}, true).why_local,
                 "server's directory"));
  BOOST_TEST(has(split_of({"-g", "-fdebug-prefix-map=/src=.", "-c", "-o", "a.o", "a.c"}, true).why_local,
                 "server's directory"));
  BOOST_TEST(has(split_of({"-ggdb3", "-c", "-o", "a.o", "a.c"}, false).why_local, "macros"));
  BOOST_TEST(has(split_of({"-g3", "-c", "-o", "a.o", "a.c"}, true).why_local, "macros"));
  BOOST_TEST(str(split_of({"-g", "-g0", "-c", "-o", "a.o", "a.c"}, true).why_local) == "");
}

BOOST_AUTO_TEST_CASE(split_what_stays_local) {
  struct expect {
    std::initializer_list<const char*> args;
    std::string_view says;
  };
  const expect cases[] = {
      {{"-march=native", "-c", "-o", "a.o", "a.c"}, "native"},
      {{"-mtune=native", "-c", "-o", "a.o", "a.c"}, "native"},
      {{"-x", "c", "-c", "-o", "a.o", "a.c"}, "-x"},
      {{"-xc++", "-c", "-o", "a.o", "a.c"}, "-x"},
      {{"@args.rsp"}, "response file"},
      {{"-c", "-o", "a.o", "a.c", "@more"}, "response file"},
      {{"-save-temps", "-c", "-o", "a.o", "a.c"}, "-save-temps"},
      {{"-save-temps=obj", "-c", "-o", "a.o", "a.c"}, "-save-temps"},
      {{"--coverage", "-c", "-o", "a.o", "a.c"}, "profiling"},
      {{"-ftest-coverage", "-c", "-o", "a.o", "a.c"}, "profiling"},
      {{"-fprofile-arcs", "-c", "-o", "a.o", "a.c"}, "profiling"},
      {{"-fprofile-generate", "-c", "-o", "a.o", "a.c"}, "profiling"},
      {{"-fprofile-use=a.profdata", "-c", "-o", "a.o", "a.c"}, "profiling"},
      {{"-gsplit-dwarf", "-c", "-o", "a.o", "a.c"}, "split DWARF"},
      {{"-fplugin=x.so", "-c", "-o", "a.o", "a.c"}, "plugin"},
      {{"-o", "a.o", "a.c"}, "no -c"},
      {{"-c", "-E", "a.c"}, "does not compile to an object"},
      {{"-S", "-o", "a.s", "a.c"}, "does not compile to an object"},
      {{"-c", "-o", "a.o", "a.c", "b.c"}, "more than one source"},
      {{"-c", "-o", "a.o"}, "no source"},
      {{"-c", "a.c"}, "no -o"},
      {{"-c", "-o", "a.o", "a.s"}, "not a C, C++"},
      {{"-c", "-o", "a.o", "a.c", "-MF"}, "without its value: -MF"},
      {{"-c", "a.c", "-o"}, "without its value: -o"},
      // What the preprocessed text would not carry, or files beside the object.
      {{"-dM", "-c", "-o", "a.o", "a.c"}, "-dM"},
      {{"-dD", "-c", "-o", "a.o", "a.c"}, "-dM"},
      {{"-P", "-c", "-o", "a.o", "a.c"}, "line markers"},
      {{"-C", "-c", "-o", "a.o", "a.c"}, "line markers"},
      {{"-g3", "-c", "-o", "a.o", "a.c"}, "macros"},
      {{"-gsplit-dwarf=split", "-c", "-o", "a.o", "a.c"}, "split DWARF"},
      {{"-fstack-usage", "-c", "-o", "a.o", "a.c"}, "beside"},
      {{"-fcallgraph-info", "-c", "-o", "a.o", "a.c"}, "beside"},
      {{"-fdump-tree-all", "-c", "-o", "a.o", "a.c"}, "beside"},
      {{"-aux-info", "p.h", "-c", "-o", "a.o", "a.c"}, "beside"},
      {{"-fopt-info-vec=v.txt", "-c", "-o", "a.o", "a.c"}, "beside"},
      {{"-fsave-optimization-record", "-c", "-o", "a.o", "a.c"}, "beside"},
      {{"-ftime-trace", "-c", "-o", "a.o", "a.c"}, "beside"},
      {{"-Wa,-adhln=a.lst", "-c", "-o", "a.o", "a.c"}, "beside"},
      {{"-MJ", "a.json", "-c", "-o", "a.o", "a.c"}, "beside"},
      {{"-fauto-profile=p.afdo", "-c", "-o", "a.o", "a.c"}, "profiling"},
      {{"-c", "-o", "x.o", "-o", "y.o", "a.c"}, "more than one -o"},
  };
  for (const expect& c : cases) {
    std::string shown;
    for (const char* a : c.args) shown += std::string(a) + " ";
    BOOST_TEST_CONTEXT("args " << shown) {
      const auto s = split_of(c.args);
      BOOST_TEST(has(s.why_local, c.says), str(s.why_local));
      BOOST_TEST(s.server.empty());
      BOOST_TEST(s.preprocess.empty());
    }
  }
}

// --- the reply --------------------------------------------------------------

namespace {

std::string token(const char* name, std::uint32_t v) {
  char t[16];
  std::snprintf(t, sizeof t, "%s%08x", name, static_cast<unsigned>(v));
  return t;
}

std::string reply_bytes(std::uint32_t status, const std::string& err, const std::string& out, const std::string& obj) {
  return token("DONE", 1) + token("STAT", status) + token("SERR", static_cast<std::uint32_t>(err.size())) + err +
         token("SOUT", static_cast<std::uint32_t>(out.size())) + out +
         token("DOTO", static_cast<std::uint32_t>(obj.size())) + obj;
}

// Hands out the bytes of `in`, exactly as asked, and fails past its end.
struct byte_reader {
  std::string_view in;
  std::size_t at = 0;
  vitte::status operator()(std::byte* p, std::size_t n) {
    BOOST_TEST_REQUIRE(at <= in.size());
    if (n > in.size() - at) {
      at = in.size();
      return vitte::error{errc::unexpected_eof};
    }
    if (n != 0) std::memcpy(p, in.data() + at, n);
    at += n;
    return {};
  }
};

struct read_result {
  vitte::status st;
  toolchain::detail::distcc_reply reply;
  vitte::diagnostic why;
  std::size_t consumed = 0;
};

read_result read_reply(std::string_view bytes, const toolchain::detail::distcc_reply_limits& lim = {}) {
  read_result r;
  byte_reader in{bytes};
  r.st = toolchain::detail::read_distcc_reply(in, lim, r.reply, r.why);
  r.consumed = in.at;
  return r;
}

const std::string object_bytes =
    "\x7f"
    "ELF-pretend-object-bytes-0123456789";

}  // namespace

BOOST_AUTO_TEST_CASE(reply_good) {
  const std::string good = reply_bytes(0, "a.c:1: warning: x\n", "printed\n", object_bytes);
  const auto r = read_reply(good);
  BOOST_TEST_REQUIRE(r.st.has_value(), r.why.format().c_str());
  BOOST_TEST(r.reply.status == 0u);
  BOOST_TEST(str(r.reply.err) == "a.c:1: warning: x\n");
  BOOST_TEST(str(r.reply.out) == "printed\n");
  BOOST_TEST(std::string(reinterpret_cast<const char*>(r.reply.object.data()), r.reply.object.size()) == object_bytes);
  BOOST_TEST(!r.reply.err_truncated);
  BOOST_TEST(!r.reply.out_truncated);
  BOOST_TEST(r.consumed == good.size());

  // A failed compile: a status, its messages, no object.
  const auto f = read_reply(reply_bytes(0x100, "a.c:1: error: y\n", "", ""));
  BOOST_TEST_REQUIRE(f.st.has_value(), f.why.format().c_str());
  BOOST_TEST(f.reply.status == 0x100u);
  BOOST_TEST(str(f.reply.err) == "a.c:1: error: y\n");
  BOOST_TEST(f.reply.object.empty());
}

BOOST_AUTO_TEST_CASE(reply_wrong_tokens) {
  const std::string good = reply_bytes(0, "e", "o", object_bytes);
  // Each token's name replaced: malformed at that token's offset.
  const std::size_t serr = 24, sout = serr + 12 + 1, doto = sout + 12 + 1;
  const struct {
    std::size_t at;
    const char* name;
  } names[] = {{0, "DONE"}, {12, "STAT"}, {serr, "SERR"}, {sout, "SOUT"}, {doto, "DOTO"}};
  for (const auto& n : names) {
    BOOST_TEST_CONTEXT("token " << n.name) {
      BOOST_TEST_REQUIRE(good.compare(n.at, 4, n.name) == 0);
      std::string bad = good;
      bad.replace(n.at, 4, "HTTP");
      const auto r = read_reply(bad);
      BOOST_TEST(kind_of(r.st) == errc::malformed);
      BOOST_TEST(r.why.kind() == errc::malformed);
      BOOST_TEST(r.why.offset() == n.at);
      BOOST_TEST(has(r.why.message(), std::string("expected the token ") + n.name));
      BOOST_TEST(has(r.why.message(), "\"HTTP\""));
      // Non-hex digits in its value: malformed at the digit.
      std::string digits = good;
      digits[n.at + 9] = 'g';
      const auto d = read_reply(digits);
      BOOST_TEST(kind_of(d.st) == errc::malformed);
      BOOST_TEST(d.why.offset() == n.at + 9);
      BOOST_TEST(has(d.why.message(), "not 8 hex digits"));
    }
  }
  // A control byte in the name is shown as '?', never raw.
  std::string ctl = good;
  ctl[1] = '\x1b';
  const auto c = read_reply(ctl);
  BOOST_TEST(kind_of(c.st) == errc::malformed);
  BOOST_TEST(has(c.why.message(), "\"D?NE\""));
  // Another protocol version.
  std::string v2 = good;
  v2.replace(0, 12, token("DONE", 2));
  const auto v = read_reply(v2);
  BOOST_TEST(kind_of(v.st) == errc::version_mismatch);
  BOOST_TEST(v.why.kind() == errc::version_mismatch);
  BOOST_TEST(v.why.offset() == 4u);
  BOOST_TEST(v.consumed == 12u);  // nothing read after the DONE token
}

BOOST_AUTO_TEST_CASE(reply_truncated_anywhere_fails) {
  const std::string good = reply_bytes(0, "warn", "out", object_bytes);
  for (std::size_t n = 0; n < good.size(); ++n) {
    BOOST_TEST_CONTEXT("cut at " << n) {
      const auto r = read_reply(std::string_view(good).substr(0, n));
      BOOST_TEST(kind_of(r.st) == errc::unexpected_eof);
      BOOST_TEST(r.why.kind() == errc::unexpected_eof);
      BOOST_TEST(!r.why.message().empty());
      BOOST_TEST(r.consumed == n);
    }
  }
}

BOOST_AUTO_TEST_CASE(reply_limits) {
  toolchain::detail::distcc_reply_limits lim;
  lim.max_object = 1000;
  lim.max_text = 8;
  lim.max_skipped = 100;
  // SERR over max_skipped: refused before a byte of it is read.
  std::string big_err = token("DONE", 1) + token("STAT", 0) + token("SERR", 0xffffffffu);
  auto r = read_reply(big_err + std::string(64, 'x'), lim);
  BOOST_TEST(kind_of(r.st) == errc::limit_exceeded);
  BOOST_TEST(r.why.kind() == errc::limit_exceeded);
  BOOST_TEST(has(r.why.message(), "SERR"));
  BOOST_TEST(r.consumed == 36u);
  // SOUT likewise.
  std::string big_out = token("DONE", 1) + token("STAT", 0) + token("SERR", 0) + token("SOUT", 101);
  r = read_reply(big_out + std::string(200, 'x'), lim);
  BOOST_TEST(kind_of(r.st) == errc::limit_exceeded);
  BOOST_TEST(has(r.why.message(), "SOUT"));
  BOOST_TEST(r.consumed == 48u);
  // DOTO over max_object: refused before allocating or reading it (the
  // default limits: 4 GiB announced against 256 MiB).
  std::string big_obj =
      token("DONE", 1) + token("STAT", 0) + token("SERR", 0) + token("SOUT", 0) + token("DOTO", 0xffffffffu);
  r = read_reply(big_obj +
                     "\x7f"
                     "ELF",
                 {});
  BOOST_TEST(kind_of(r.st) == errc::limit_exceeded);
  BOOST_TEST(has(r.why.message(), "DOTO"));
  BOOST_TEST(r.consumed == 60u);
  BOOST_TEST(r.reply.object.empty());
  r = read_reply(reply_bytes(0, "", "", std::string(1001, 'o')), lim);
  BOOST_TEST(kind_of(r.st) == errc::limit_exceeded);
  r = read_reply(reply_bytes(0, "", "", std::string(1000, 'o')), lim);
  BOOST_TEST(r.st.has_value());
  BOOST_TEST(r.reply.object.size() == 1000u);
  // A failed compile that sends an object anyway.
  r = read_reply(reply_bytes(0x100, "error", "", "obj"), lim);
  BOOST_TEST(kind_of(r.st) == errc::malformed);
  BOOST_TEST(has(r.why.message(), "failed"));
  BOOST_TEST(r.reply.object.empty());
}

BOOST_AUTO_TEST_CASE(reply_text_beyond_max_text_is_cut) {
  toolchain::detail::distcc_reply_limits lim;
  lim.max_text = 8;
  lim.max_skipped = 100;
  const std::string err(20, 'e'), out = "out";
  auto r = read_reply(reply_bytes(0, "0123456789abcdefghij", out, object_bytes), lim);
  BOOST_TEST_REQUIRE(r.st.has_value(), r.why.format().c_str());
  BOOST_TEST(str(r.reply.err) == "01234567");
  BOOST_TEST(r.reply.err_truncated);
  BOOST_TEST(str(r.reply.out) == "out");  // the rest of SERR was read, then SOUT
  BOOST_TEST(!r.reply.out_truncated);
  BOOST_TEST(r.reply.object.size() == object_bytes.size());

  // Over several of the reader's 4096-byte steps.
  std::string long_err;
  for (int i = 0; long_err.size() < 10000; ++i) long_err += std::to_string(i) + ",";
  lim.max_text = 5000;
  lim.max_skipped = 1 << 20;
  r = read_reply(reply_bytes(0, long_err, std::string(9000, 's'), object_bytes), lim);
  BOOST_TEST_REQUIRE(r.st.has_value(), r.why.format().c_str());
  BOOST_TEST(str(r.reply.err) == long_err.substr(0, 5000));
  BOOST_TEST(r.reply.err_truncated);
  BOOST_TEST(str(r.reply.out) == std::string(5000, 's'));
  BOOST_TEST(r.reply.out_truncated);
}

// --- the object check -------------------------------------------------------

namespace {

// The host's C compiler as an absolute path, or empty (with the reason)
// where the test cannot run it.
std::string host_cc(std::string& why) {
#if defined(VITTE_TEST_CROSS) || defined(_WIN32)
  why = "the host's cc does not run under the emulator of a cross target";
  return {};
#else
  auto cc = sys::find_program("cc");
  if (!cc) {
    why = "no cc on PATH";
    return {};
  }
  return str(*cc);
#endif
}

// Runs `program args` in `cwd`; returns the report (REQUIREs it ran).
toolchain::run_report run_in(const std::string& program, std::initializer_list<std::string> args, text_view cwd) {
  sys::command cmd{text(tv(program))};
  for (const std::string& a : args) cmd.arg(tv(a));
  cmd.cwd(text(cwd));
  auto r = toolchain::run(cmd);
  BOOST_TEST_REQUIRE(r.has_value(), program << ": " << r.error());
  return std::move(*r);
}

std::string read_all(text_view path) {
  auto r = sys::read_file_string(path);
  BOOST_TEST_REQUIRE(r.has_value(), str(path) << ": " << r.error());
  return str(*r);
}

void write_all(text_view path, std::string_view data) {
  auto w = sys::write_file(path, tv(data));
  BOOST_TEST_REQUIRE(w.has_value(), str(path) << ": " << w.error());
}

text in_dir(const sys::temp_directory& d, std::string_view name) { return sys::path_join(d.path(), tv(name)); }

bool whole(std::string_view bytes, vitte::diagnostic& why) {
  return toolchain::object_is_whole(
      vitte::span<const std::byte>(reinterpret_cast<const std::byte*>(bytes.data()), bytes.size()), &why);
}

// Every proper prefix of a whole object is refused, with a reason.
void every_cut_refused(const std::string& obj) {
  std::size_t accepted = 0, silent = 0;
  for (std::size_t n = 0; n < obj.size(); ++n) {
    vitte::diagnostic why;
    if (whole(std::string_view(obj).substr(0, n), why))
      ++accepted;
    else if (why.message().empty() || why.kind() != errc::malformed || !why.has_offset() || why.offset() > n)
      ++silent;  // a refusal says what, malformed, at a byte of what it was given
  }
  BOOST_TEST(accepted == 0u);
  BOOST_TEST(silent == 0u);
}

const char* const small_source = "int forty_two(void) { return 42; }\nint data[4] = {1, 2, 3, 4};\nint bss[8];\n";

// The host's cc and a fresh directory holding a.c (small_source); cc
// empty, the reason said, where the test cannot run it.
struct compile_dir {
  std::string cc;
  sys::temp_directory dir;
  compile_dir() {
    std::string why;
    cc = host_cc(why);
    if (cc.empty()) {
      BOOST_TEST_MESSAGE("skipped: " << why);
      return;
    }
    dir = sys::temp_directory::create().value();
    write_all(in_dir(dir, "a.c"), small_source);
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(object_check_without_a_compiler) {
  vitte::diagnostic why;
  BOOST_TEST(!whole("", why));
  BOOST_TEST(has(why.message(), "shorter"));
  BOOST_TEST(!whole(std::string(64, 'x'), why));
  BOOST_TEST(has(why.message(), "not an ELF, Mach-O or COFF"));
  BOOST_TEST(!whole(std::string("\x7f"
                                "ELF\x03\x01",
                                6) +
                        std::string(58, '\0'),
                    why));
  BOOST_TEST(has(why.message(), "unknown class"));
  BOOST_TEST(why.offset() == 4u, "at the class byte");
  BOOST_TEST(why.kind() == errc::malformed);
  BOOST_TEST(!whole(std::string("\x7f"
                                "ELF\x02\x01",
                                6) +
                        std::string(10, '\0'),
                    why));
  BOOST_TEST(has(why.message(), "cut short"));
  // A Mach-O executable (MH_EXECUTE) and a COFF image (optional header).
  std::string macho("\xcf\xfa\xed\xfe\x07\x00\x00\x01\x03\x00\x00\x00\x02\x00\x00\x00", 16);
  macho += std::string(16, '\0');
  BOOST_TEST(!whole(macho, why));
  BOOST_TEST(has(why.message(), "MH_OBJECT"));
  BOOST_TEST(why.offset() == 12u, "at the file type");
  std::string image("\x64\x86\x01\x00", 4);
  image += std::string(12, '\0') + std::string("\xf0\x00", 2) + std::string(2, '\0');
  BOOST_TEST(!whole(image, why));
  BOOST_TEST(has(why.message(), "not an object"));
  BOOST_TEST(why.offset() == 16u, "at the size of the optional header");
  BOOST_TEST(std::string(why.format().c_str()) == "at offset 0x10: a COFF file that is not an object");
  BOOST_TEST(!toolchain::object_is_whole(vitte::span<const std::byte>()));  // no diagnostic asked for
}

BOOST_AUTO_TEST_CASE(object_check_elf_from_cc) {
  const compile_dir here;
  if (here.cc.empty()) return;
  const std::string& cc = here.cc;
  const sys::temp_directory& dir = here.dir;
  write_all(in_dir(dir, "a.c"), std::string(small_source) + "int main(void) { return forty_two() - 42; }\n");
  auto c = run_in(cc, {"-c", "-O2", "-o", "a.o", "a.c"}, dir.path());
  BOOST_TEST_REQUIRE(c.status.success(), str(c.err));
  auto l = run_in(cc, {"-o", "a.out", "a.c"}, dir.path());
  BOOST_TEST_REQUIRE(l.status.success(), str(l.err));
  const std::string obj = read_all(in_dir(dir, "a.o")), exe = read_all(in_dir(dir, "a.out"));

  vitte::diagnostic why;
  BOOST_TEST(whole(obj, why), why.format().c_str());
  BOOST_TEST(!whole(exe, why));
  BOOST_TEST(has(why.message(), "ET_REL"));
  BOOST_TEST(why.offset() == 16u, "at e_type");
  every_cut_refused(obj);
  // Garbage after a whole object is no harm (a server may pad); garbage
  // instead of one is refused.
  BOOST_TEST(whole(obj + std::string(100, '\0'), why));
  BOOST_TEST(!whole(std::string(obj.size(), 'g'), why));

  // A section placed beyond the file's end (ELF64, little-endian: the
  // section headers at e_shoff, sh_offset at +24 of each).
  if (obj.size() > 64 && obj[4] == 2 && obj[5] == 1) {
    std::uint64_t shoff = 0;
    std::memcpy(&shoff, obj.data() + 40, 8);
    std::string moved = obj;
    const std::uint64_t beyond = obj.size() + 1;
    std::memcpy(moved.data() + shoff + 64 + 24, &beyond, 8);  // section 1 (.text)
    std::uint64_t size1 = 0;
    std::memcpy(&size1, moved.data() + shoff + 64 + 32, 8);
    if (size1 == 0) {  // an empty section 1: give it a size too
      const std::uint64_t one = 1;
      std::memcpy(moved.data() + shoff + 64 + 32, &one, 8);
    }
    BOOST_TEST(!whole(moved, why));
    BOOST_TEST(has(why.message(), "section beyond the file's end"));
    // The section header table itself beyond the end.
    std::string table = obj;
    const std::uint64_t past = obj.size() - 10;
    std::memcpy(table.data() + 40, &past, 8);
    BOOST_TEST(!whole(table, why));
    BOOST_TEST(has(why.message(), "section headers beyond"));
  } else {
    BOOST_TEST_MESSAGE("the host's objects are not ELF64 little-endian: the edited cases are skipped");
  }
}

BOOST_AUTO_TEST_CASE(object_check_coff_and_macho) {
  const compile_dir here;
  if (here.cc.empty()) return;
  const sys::temp_directory& dir = here.dir;
  vitte::diagnostic why;
  if (auto mingw = sys::find_program("x86_64-w64-mingw32-gcc")) {
    auto c = run_in(str(*mingw), {"-c", "-O2", "-o", "a.obj", "a.c"}, dir.path());
    BOOST_TEST_REQUIRE(c.status.success(), str(c.err));
    const std::string obj = read_all(in_dir(dir, "a.obj"));
    BOOST_TEST(whole(obj, why), why.format().c_str());
    every_cut_refused(obj);
    // The big-object form (-Wa,-mbig-obj), as large C++ units need.
    auto b = run_in(str(*mingw), {"-c", "-Wa,-mbig-obj", "-o", "big.obj", "a.c"}, dir.path());
    BOOST_TEST_REQUIRE(b.status.success(), str(b.err));
    const std::string big = read_all(in_dir(dir, "big.obj"));
    BOOST_TEST(big.compare(0, 4, std::string("\0\0\xff\xff", 4)) == 0);
    BOOST_TEST(whole(big, why), why.format().c_str());
    every_cut_refused(big);
  } else {
    BOOST_TEST_MESSAGE("COFF skipped: x86_64-w64-mingw32-gcc is not installed");
  }
  if (auto clang = sys::find_program("clang")) {
    // Clang's integrated assembler writes Mach-O without an SDK for a
    // source that includes nothing.
    auto c = run_in(str(*clang), {"-target", "x86_64-apple-macos11", "-c", "-O2", "-o", "a.mach.o", "a.c"}, dir.path());
    if (c.status.success()) {
      const std::string obj = read_all(in_dir(dir, "a.mach.o"));
      BOOST_TEST(obj.compare(0, 4, "\xcf\xfa\xed\xfe") == 0);
      BOOST_TEST(whole(obj, why), why.format().c_str());
      every_cut_refused(obj);
    } else {
      BOOST_TEST_MESSAGE("Mach-O skipped: clang cannot target x86_64-apple-macos11: " << str(c.err));
    }
  } else {
    BOOST_TEST_MESSAGE("Mach-O skipped: clang is not installed");
  }
}

// --- the pool against scripted servers --------------------------------------

namespace {

// A server on 127.0.0.1 (a free port) that reads each request whole and
// answers as scripted, on its own thread, until destroyed.
class fake_server {
 public:
  enum class mode { garbage, close_at_once, hang, not_whole, fail_compile, good };

  explicit fake_server(mode m, std::string object = {}) : mode_(m), object_(std::move(object)) {
    listener_ = sys::socket::listen(sys::socket_address::parse("127.0.0.1:0").value()).value();
    port_ = listener_.local_address().value().port();
    thread_ = std::thread([this] { serve(); });
  }
  fake_server(const fake_server&) = delete;
  fake_server& operator=(const fake_server&) = delete;
  ~fake_server() {
    stop_ = true;
    thread_.join();
  }

  std::uint16_t port() const { return port_; }
  std::string where() const { return "127.0.0.1:" + std::to_string(port_); }
  toolchain::distcc_host host(unsigned limit = 2) const { return {text("127.0.0.1"), port_, limit}; }
  int accepted() const { return accepted_; }
  // The last request's arguments and source (read after the compile).
  std::vector<std::string> argv() const {
    std::lock_guard<std::mutex> hold(m_);
    return argv_;
  }
  std::size_t source_size() const {
    std::lock_guard<std::mutex> hold(m_);
    return source_size_;
  }

 private:
  bool read_request(sys::socket& c) {
    const auto d = sys::deadline::after(10s);
    std::uint32_t v = 0;
    const auto tok = [&](const char* name) {
      char t[12];
      if (!c.receive_exact(vitte::span<std::byte>(reinterpret_cast<std::byte*>(t), 12), d)) return false;
      if (std::memcmp(t, name, 4) != 0) return false;
      v = static_cast<std::uint32_t>(std::stoul(std::string(t + 4, 8), nullptr, 16));
      return true;
    };
    const auto bytes = [&](std::string& out) {
      out.resize(v);
      return v == 0 ||
             c.receive_exact(vitte::span<std::byte>(reinterpret_cast<std::byte*>(out.data()), v), d).has_value();
    };
    if (!tok("DIST") || v != 1 || !tok("ARGC")) return false;
    std::vector<std::string> args(v);
    for (std::string& a : args)
      if (!tok("ARGV") || !bytes(a)) return false;
    std::string source;
    if (!tok("DOTI") || !bytes(source)) return false;
    std::lock_guard<std::mutex> hold(m_);
    argv_ = std::move(args);
    source_size_ = source.size();
    return true;
  }

  void answer(sys::socket& c) {
    std::string reply;
    switch (mode_) {
      case mode::garbage:
        reply = "HTTP/1.1 400 Bad Request\r\n\r\nnot distcc at all";
        break;
      case mode::not_whole:
        reply = reply_bytes(0, "", "",
                            std::string("\x7f"
                                        "ELF\x02\x01\x01",
                                        7) +
                                "cut");
        break;
      case mode::fail_compile:
        reply = reply_bytes(0x100, "fake: error: the server's compiler failed\n", "", "");
        break;
      case mode::good:
        reply = reply_bytes(0, "", "", object_);
        break;
      case mode::close_at_once:
      case mode::hang:
        break;
    }
    (void)c.send_all(tv(reply), sys::deadline::after(10s));
  }

  void serve() {
    while (!stop_) {
      auto ready = listener_.wait(sys::io_events::readable, sys::deadline::after(50ms));
      if (!ready) continue;
      auto c = listener_.accept();
      if (!c) continue;
      ++accepted_;
      if (mode_ == mode::close_at_once) continue;  // closed at once
      if (mode_ == mode::hang) {
        while (!stop_) std::this_thread::sleep_for(20ms);  // accepts, never reads nor answers
        continue;
      }
      if (read_request(*c)) answer(*c);
    }
  }

  mode mode_;
  std::string object_;
  sys::socket listener_;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  mutable std::mutex m_;
  std::vector<std::string> argv_;
  std::size_t source_size_ = 0;
};

toolchain::compile_job job_of(const std::string& cc, std::initializer_list<const char*> args, text_view cwd) {
  toolchain::compile_job j;
  j.compiler = text(tv(cc));
  for (const char* a : args) j.args.push_back(text(a));
  j.cwd = text(cwd);
  return j;
}

[[maybe_unused]] const toolchain::compile_server_state* state_of(
    const vitte::buffer<toolchain::compile_server_state>& all, const std::string& where) {
  for (const auto& s : all)
    if (str(s.where) == where) return &s;
  return nullptr;
}

}  // namespace

BOOST_AUTO_TEST_CASE(pool_sets_bad_servers_aside_then_compiles_here) {
  const compile_dir here;
  if (here.cc.empty()) return;
  const std::string& cc = here.cc;
  const sys::temp_directory& dir = here.dir;

  fake_server garbage(fake_server::mode::garbage), closed(fake_server::mode::close_at_once),
      hang(fake_server::mode::hang), broken(fake_server::mode::not_whole);
  toolchain::compile_pool_options o;
  for (const fake_server* f : {&garbage, &closed, &hang, &broken}) o.servers.push_back(f->host());
  o.tries = 4;
  o.job_timeout = 500ms;
  o.connect_timeout = 2000ms;
  toolchain::compile_pool pool(std::move(o));

  const auto started = std::chrono::steady_clock::now();
  auto r = pool.compile(job_of(cc, {"-c", "-O2", "-o", "a.o", "a.c"}, dir.path()));
  const auto took = std::chrono::steady_clock::now() - started;
  BOOST_TEST_REQUIRE(r.has_value(), r.error());
  BOOST_TEST(r->status.success(), str(r->err));
  BOOST_TEST(str(r->where) == "local");
  BOOST_TEST(has(r->why_local, "every server tried failed"), str(r->why_local));
  BOOST_TEST(took < 10s);  // the hanging server cost its job_timeout, not more
  vitte::diagnostic why;
  BOOST_TEST(whole(read_all(in_dir(dir, "a.o")), why), why.format().c_str());

  // Each server named once, with what went wrong there.
  BOOST_TEST_REQUIRE(r->retried.size() == 4u);
  const struct {
    const fake_server* f;
    std::vector<std::string_view> says;  // one of
  } expect[] = {{&garbage, {"expected the token DONE"}},
                {&closed, {"ended before its DONE", "sending the source", "reset"}},
                {&hang, {"timed out"}},
                {&broken, {"not whole"}}};
  for (const auto& e : expect) {
    BOOST_TEST_CONTEXT("server " << e.f->where()) {
      int named = 0;
      for (const auto& a : r->retried) {
        if (str(a.where) != e.f->where()) continue;
        ++named;
        bool said = false;
        for (std::string_view s : e.says) said = said || has(a.trouble, s);
        BOOST_TEST(said, str(a.trouble));
      }
      BOOST_TEST(named == 1);
      BOOST_TEST(e.f->accepted() == 1);
    }
  }
  const auto servers = pool.servers();
  BOOST_TEST_REQUIRE(servers.size() == 4u);
  for (const auto& s : servers) {
    BOOST_TEST_CONTEXT("server " << str(s.where)) {
      BOOST_TEST(s.failed == 1u);
      BOOST_TEST(s.compiled == 0u);
      BOOST_TEST(s.set_aside);
      BOOST_TEST(s.running == 0u);
      BOOST_TEST(!s.last_trouble.empty());
    }
  }
  auto st = pool.stats();
  BOOST_TEST(st.retried == 4u);
  BOOST_TEST(st.local == 1u);
  BOOST_TEST(st.remote == 0u);

  // Every server set aside: the next compile runs here at once.
  auto again = pool.compile(job_of(cc, {"-c", "-o", "b.o", "a.c"}, dir.path()));
  BOOST_TEST_REQUIRE(again.has_value(), again.error());
  BOOST_TEST(again->status.success());
  BOOST_TEST(str(again->where) == "local");
  BOOST_TEST(has(again->why_local, "set aside"), str(again->why_local));
  BOOST_TEST(again->retried.empty());
  BOOST_TEST(garbage.accepted() == 1);
  BOOST_TEST(pool.stats().local == 2u);
}

BOOST_AUTO_TEST_CASE(pool_tries_at_most_tries_servers) {
  const compile_dir here;
  if (here.cc.empty()) return;
  const std::string& cc = here.cc;
  const sys::temp_directory& dir = here.dir;
  fake_server a(fake_server::mode::garbage), b(fake_server::mode::close_at_once), c(fake_server::mode::garbage);
  toolchain::compile_pool_options o;
  o.servers = {a.host(), b.host(), c.host()};
  o.tries = 2;
  toolchain::compile_pool pool(std::move(o));
  auto r = pool.compile(job_of(cc, {"-c", "-o", "a.o", "a.c"}, dir.path()));
  BOOST_TEST_REQUIRE(r.has_value(), r.error());
  BOOST_TEST(r->status.success());
  BOOST_TEST(str(r->where) == "local");
  BOOST_TEST(r->retried.size() == 2u);
  BOOST_TEST(a.accepted() + b.accepted() + c.accepted() == 2);
  BOOST_TEST(pool.stats().retried == 2u);
}

BOOST_AUTO_TEST_CASE(pool_remote_object_and_dependencies) {
  const compile_dir here;
  if (here.cc.empty()) return;
  const std::string& cc = here.cc;
  const sys::temp_directory& dir = here.dir;
  BOOST_TEST_REQUIRE(sys::create_directories(in_dir(dir, "sub")).has_value());
  BOOST_TEST_REQUIRE(sys::create_directories(in_dir(dir, "inc")).has_value());
  write_all(in_dir(dir, "inc/value.h"), "#define FROM_HEADER 5\n");
  write_all(in_dir(dir, "a.c"), "#include \"value.h\"\nint v(void) { return VALUE + FROM_HEADER; }\n");
  // What a server would send: this compile's object, made here.
  auto ref = run_in(cc, {"-c", "-O2", "-DVALUE=7", "-Iinc", "-o", "ref.o", "a.c"}, dir.path());
  BOOST_TEST_REQUIRE(ref.status.success(), str(ref.err));
  const std::string object = read_all(in_dir(dir, "ref.o"));

  fake_server good(fake_server::mode::good, object);
  toolchain::compile_pool_options o;
  o.servers.push_back(good.host());
  toolchain::compile_pool pool(std::move(o));
  auto r = pool.compile(job_of(cc, {"-c", "-MD", "-O2", "-DVALUE=7", "-Iinc", "-o", "sub/a.o", "a.c"}, dir.path()));
  BOOST_TEST_REQUIRE(r.has_value(), r.error());
  BOOST_TEST(r->status.success(), str(r->err));
  BOOST_TEST(str(r->where) == good.where());
  BOOST_TEST(str(r->why_local) == "");
  BOOST_TEST(r->retried.empty());
  BOOST_TEST(r->received == object.size());
  BOOST_TEST(r->sent == good.source_size());
  BOOST_TEST(r->sent > 0u);
  BOOST_TEST(read_all(in_dir(dir, "sub/a.o")) == object);
  // The server got the compiler by its file's name, and no preprocessor option.
  const auto name = toolchain::distcc_compiler_name(tv(cc));
  BOOST_TEST_REQUIRE(name.has_value());
  BOOST_TEST(good.argv() == (strings{str(*name), "-c", "-O2", "-o", "sub/a.o", "a.c"}),
             boost::test_tools::per_element());
  // The dependency file where the compile here would write it, for its object.
  const std::string deps = read_all(in_dir(dir, "sub/a.d"));
  BOOST_TEST(deps.rfind("sub/a.o:", 0) == 0u, deps);
  BOOST_TEST(deps.find("inc/value.h") != std::string::npos, deps);
  BOOST_TEST(!sys::exists(in_dir(dir, "a.d")).value_or(true));
  const auto st = pool.stats();
  BOOST_TEST(st.remote == 1u);
  BOOST_TEST(st.local == 0u);
  BOOST_TEST(st.retried == 0u);
  BOOST_TEST(pool.servers()[0].compiled == 1u);
}

BOOST_AUTO_TEST_CASE(pool_confirms_a_failure_here) {
  const compile_dir here;
  if (here.cc.empty()) return;
  const std::string& cc = here.cc;
  const sys::temp_directory& dir = here.dir;
  write_all(in_dir(dir, "bad.c"), "int broken(void) { return undeclared_name; }\n");
  fake_server failing(fake_server::mode::fail_compile);
  toolchain::compile_pool_options o;
  o.servers.push_back(failing.host());
  toolchain::compile_pool pool(std::move(o));
  auto r = pool.compile(job_of(cc, {"-c", "-o", "bad.o", "bad.c"}, dir.path()));
  BOOST_TEST_REQUIRE(r.has_value(), r.error());
  BOOST_TEST(!r->status.success());
  BOOST_TEST(r->status.code() != 0);
  BOOST_TEST(str(r->where) == "local");
  BOOST_TEST(has(r->why_local, "failed on " + failing.where()), str(r->why_local));
  BOOST_TEST(has(r->err, "undeclared_name"), str(r->err));  // the local compiler's words
  BOOST_TEST(!has(r->err, "fake:"), str(r->err));
  BOOST_TEST(r->retried.empty());
  BOOST_TEST(!sys::exists(in_dir(dir, "bad.o")).value_or(true));
  const auto st = pool.stats();
  BOOST_TEST(st.confirmed == 1u);
  BOOST_TEST(st.local == 1u);
  BOOST_TEST(st.remote == 0u);
  const auto s = pool.servers();
  BOOST_TEST(s[0].compiled == 1u);
  BOOST_TEST(s[0].failed == 0u);
  BOOST_TEST(!s[0].set_aside);

  // Without confirmation the server's failure is the outcome.
  toolchain::compile_pool_options n;
  n.servers.push_back(failing.host());
  n.confirm_failures = false;
  toolchain::compile_pool trusting(std::move(n));
  auto t = trusting.compile(job_of(cc, {"-c", "-o", "bad.o", "bad.c"}, dir.path()));
  BOOST_TEST_REQUIRE(t.has_value(), t.error());
  BOOST_TEST(t->status.code() == 1);
  BOOST_TEST(str(t->where) == failing.where());
  BOOST_TEST(has(t->err, "fake: error"), str(t->err));
}

// The name a server is asked for keeps the driver's language: clang++
// resolves to a file named clang, which would compile C++ as C.
BOOST_AUTO_TEST_CASE(compiler_names_keep_the_language) {
  for (const char* path : {"/usr/bin/clang++", "/usr/bin/c++", "/usr/bin/g++"}) {
    if (!sys::stat(path)) continue;
    BOOST_TEST_CONTEXT(path) {
      auto n = toolchain::distcc_compiler_name(path);
      BOOST_TEST_REQUIRE(n.has_value(), n.error());
      BOOST_TEST(has(*n, "++"), str(*n));
    }
  }
  if (sys::stat("/usr/bin/cc")) {
    auto n = toolchain::distcc_compiler_name("/usr/bin/cc");
    BOOST_TEST_REQUIRE(n.has_value(), n.error());
    BOOST_TEST(!has(*n, "++"), str(*n));
  }
}

BOOST_AUTO_TEST_CASE(pool_keeps_some_compiles_here) {
  const compile_dir here;
  if (here.cc.empty()) return;
  const std::string& cc = here.cc;
  const sys::temp_directory& dir = here.dir;
  fake_server never(fake_server::mode::garbage);
  toolchain::compile_pool_options o;
  o.servers.push_back(never.host());
  toolchain::compile_pool pool(std::move(o));
  auto r = pool.compile(job_of(cc, {"-c", "-march=native", "-o", "a.o", "a.c"}, dir.path()));
  BOOST_TEST_REQUIRE(r.has_value(), r.error());
  BOOST_TEST(str(r->where) == "local");
  BOOST_TEST(has(r->why_local, "native"), str(r->why_local));
  BOOST_TEST(r->retried.empty());
  BOOST_TEST(never.accepted() == 0);
  BOOST_TEST(pool.stats().local == 1u);

  // A preprocessing failure is the compile's outcome, here.
  write_all(in_dir(dir, "missing.c"), "#include \"no_such_header.h\"\n");
  auto m = pool.compile(job_of(cc, {"-c", "-o", "m.o", "missing.c"}, dir.path()));
  BOOST_TEST_REQUIRE(m.has_value(), m.error());
  BOOST_TEST(!m->status.success());
  BOOST_TEST(has(m->err, "no_such_header.h"), str(m->err));
  BOOST_TEST(has(m->why_local, "preprocessing failed"));
  BOOST_TEST(never.accepted() == 0);
  BOOST_TEST(pool.stats().local == 2u);

#if !defined(_WIN32)
  // An object path that is not a regular file (a link, a device: -o
  // /dev/null) is written through by the compiler here; a rename from a
  // server's answer would replace it.
  BOOST_TEST_REQUIRE(sys::create_symlink("elsewhere.o", in_dir(dir, "link.o").c_str()).has_value());
  auto l = pool.compile(job_of(cc, {"-c", "-o", "link.o", "a.c"}, dir.path()));
  BOOST_TEST_REQUIRE(l.has_value(), l.error());
  BOOST_TEST(l->status.success());
  BOOST_TEST(has(l->why_local, "not a regular file"), str(l->why_local));
  BOOST_TEST((sys::lstat(in_dir(dir, "link.o").c_str()).value().type == sys::file_type::symlink));
  BOOST_TEST(sys::stat(in_dir(dir, "elsewhere.o").c_str()).has_value());
  auto n = pool.compile(job_of(cc, {"-c", "-o", "/dev/null", "a.c"}, dir.path()));
  BOOST_TEST_REQUIRE(n.has_value(), n.error());
  BOOST_TEST(has(n->why_local, "not a regular file"), str(n->why_local));
  BOOST_TEST((sys::lstat("/dev/null").value().type == sys::file_type::character));
  BOOST_TEST(never.accepted() == 0);
#endif

  // No server at all.
  toolchain::compile_pool alone(toolchain::compile_pool_options{});
  auto a = alone.compile(job_of(cc, {"-c", "-o", "b.o", "a.c"}, dir.path()));
  BOOST_TEST_REQUIRE(a.has_value(), a.error());
  BOOST_TEST(a->status.success());
  BOOST_TEST(has(a->why_local, "no server"));
}

// --- the pool against real distccd servers ----------------------------------

BOOST_AUTO_TEST_CASE(pool_with_real_distccd) {
#if !defined(VITTE_TEST_DISTCCD)
  BOOST_TEST_MESSAGE("skipped: distccd runs on a Linux host, not under an emulator or Wine");
#else
  std::string skip;
  const std::string cc = host_cc(skip);
  auto exe = sys::find_program("distccd");
  if (cc.empty() || !exe) {
    BOOST_TEST_MESSAGE("skipped: " << (cc.empty() ? skip : std::string("distccd is not installed")));
    return;
  }
  const auto name = toolchain::distcc_compiler_name(tv(cc));
  BOOST_TEST_REQUIRE(name.has_value());
  if (!sys::exists(tv("/usr/lib/distcc/" + str(*name))).value_or(false)) {
    BOOST_TEST_MESSAGE("skipped: distccd would refuse " << str(*name) << " (not in /usr/lib/distcc)");
    return;
  }
  auto dir = sys::temp_directory::create().value();
  for (const char* d : {"src", "inc", "obj", "obj2", "ref"})
    BOOST_TEST_REQUIRE(sys::create_directories(in_dir(dir, d)).has_value());
  write_all(in_dir(dir, "inc/common.h"), "static inline int twice(int x) { return 2 * x; }\n");
  constexpr int units = 12;
  std::vector<std::string> expected(units);
  for (int i = 0; i < units; ++i) {
    const std::string n = std::to_string(i);
    write_all(in_dir(dir, "src/u" + n + ".c"), "#include \"common.h\"\nint unit" + n +
                                                   "(int x) { return twice(x) + VALUE * " + n + "; }\nconst char name" +
                                                   n + "[] = \"unit " + n + "\";\n");
    auto r = run_in(cc, {"-c", "-O2", "-Iinc", "-DVALUE=3", "-o", "ref/u" + n + ".o", "src/u" + n + ".c"}, dir.path());
    BOOST_TEST_REQUIRE(r.status.success(), str(r.err));
    expected[i] = read_all(in_dir(dir, "ref/u" + n + ".o"));
  }

  const std::string log = str(in_dir(dir, "distccd.log"));
  distccd s0(str(*exe), log), s1(str(*exe), log), s2(str(*exe), log);
  const bool started = s0.ready() && s1.ready() && s2.ready();
  if (!started) {
    auto said = sys::read_file_string(tv(log));
    BOOST_TEST_REQUIRE(started, "distccd did not start: " << (said ? str(*said) : std::string("(no log)")));
  }

  toolchain::compile_pool_options o;
  o.servers = {s0.host(), s1.host(), s2.host()};
  o.local_slots = 0;  // every compile waits for a server
  o.job_timeout = 60s;
  toolchain::compile_pool pool(std::move(o));

  // 12 compiles at once, on threads; `kill_after` > 0: s0 is stopped once
  // that many have finished.
  const auto batch = [&](const std::string& out_dir, int kill_after) {
    std::vector<std::optional<vitte::result<toolchain::compile_outcome> > > results(units);
    std::atomic<int> done{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < units; ++i) {
      threads.emplace_back([&, i] {
        const std::string n = std::to_string(i);
        toolchain::compile_job j;
        j.compiler = text(tv(cc));
        const std::vector<std::string> args = {
            "-c", "-O2", "-Iinc", "-DVALUE=3", "-MD", "-o", out_dir + "/u" + n + ".o", "src/u" + n + ".c"};
        for (const std::string& a : args) j.args.push_back(text(tv(a)));
        j.cwd = dir.path();
        results[i].emplace(pool.compile(j, sys::deadline::after(120s)));
        ++done;
      });
    }
    if (kill_after > 0) {
      while (done < kill_after) std::this_thread::sleep_for(1ms);
      s0.stop();
    }
    for (std::thread& t : threads) t.join();
    std::vector<vitte::result<toolchain::compile_outcome> > out;
    for (auto& r : results) out.push_back(std::move(*r));
    return out;
  };

  auto first = batch("obj", 0);
  for (int i = 0; i < units; ++i) {
    BOOST_TEST_CONTEXT("unit " << i) {
      BOOST_TEST_REQUIRE(first[i].has_value(), first[i].error());
      BOOST_TEST(first[i]->status.success(), str(first[i]->err));
      BOOST_TEST(str(first[i]->where) != "local", str(first[i]->why_local));
      BOOST_TEST(first[i]->retried.empty());
      BOOST_TEST((read_all(in_dir(dir, "obj/u" + std::to_string(i) + ".o")) == expected[i]));
      BOOST_TEST(sys::exists(in_dir(dir, "obj/u" + std::to_string(i) + ".d")).value_or(false));
    }
  }
  BOOST_TEST(pool.stats().remote == static_cast<std::uint64_t>(units));
  int used = 0;
  for (const auto& s : pool.servers()) used += s.compiled > 0 ? 1 : 0;
  BOOST_TEST(used == 3);

  // s0 dies while the pool is in use: every compile still succeeds, and
  // those that tried it say so.
  auto second = batch("obj2", 3);
  int named = 0;
  for (int i = 0; i < units; ++i) {
    BOOST_TEST_CONTEXT("unit " << i) {
      BOOST_TEST_REQUIRE(second[i].has_value(), second[i].error());
      BOOST_TEST(second[i]->status.success(), str(second[i]->err));
      BOOST_TEST((read_all(in_dir(dir, "obj2/u" + std::to_string(i) + ".o")) == expected[i]));
      for (const auto& a : second[i]->retried) {
        BOOST_TEST(str(a.where) == s0.where(), str(a.trouble));
        named += str(a.where) == s0.where() ? 1 : 0;
      }
    }
  }
  // A compile after the kill tries s0 once at least, unless s0 was set
  // aside during the batch already (then it is named above).
  auto third = batch("obj2", 0);
  for (int i = 0; i < units; ++i) {
    BOOST_TEST_REQUIRE(third[i].has_value());
    BOOST_TEST(third[i]->status.success());
    for (const auto& a : third[i]->retried) named += str(a.where) == s0.where() ? 1 : 0;
  }
  BOOST_TEST(named >= 1);
  const auto after = pool.servers();
  const auto* dead = state_of(after, s0.where());
  BOOST_TEST_REQUIRE(dead != nullptr);
  BOOST_TEST(dead->failed >= 1u);
  BOOST_TEST(dead->set_aside);
  BOOST_TEST(!dead->last_trouble.empty());
  BOOST_TEST(pool.stats().retried >= 1u);
#endif
}

BOOST_AUTO_TEST_SUITE_END()
