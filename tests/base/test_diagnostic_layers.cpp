// Every layer's problem struct gives the one model (vitte/base/diagnostic.hpp)
// through its describe(): for each, a real refusal, and the model's kind,
// position, subject and message checked against the struct's own fields.
// The kind comes from the vitte::error (`.of(e.kind())`) unless the struct
// records one (loader::format_error).
#include <vitte/archive/extract.hpp>
#include <vitte/archive/tar.hpp>
#include <vitte/base/diagnostic.hpp>
#include <vitte/cache/depfile.hpp>
#include <vitte/compress/deflate.hpp>
#include <vitte/crypto/ed25519.hpp>
#include <vitte/http/parser.hpp>
#include <vitte/loader/diagnostics.hpp>
#include <vitte/loader/inspect.hpp>
#include <vitte/loader/vitmod.hpp>
#include <vitte/release/package.hpp>
#include <vitte/release/signify.hpp>
#include <vitte/sys/dynlib.hpp>
#include <vitte/toolchain/toolchain.hpp>
#include <vitte/wasm/module.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "print.hpp"

using vitte::diagnostic;
using vitte::errc;

namespace {

std::string str(vitte::text_view v) { return std::string(v.data(), v.size()); }
std::string line(const diagnostic& d) {
  const vitte::diagnostic_line l = d.format();
  return str(l.view());
}

std::vector<std::uint8_t> u8(const std::string& s) { return {s.begin(), s.end()}; }
std::string hex(std::uint64_t v) {
  char b[24];
  std::snprintf(b, sizeof b, "%llx", static_cast<unsigned long long>(v));
  return b;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(describe)

BOOST_AUTO_TEST_CASE(compress_a_truncated_gzip) {
  const std::vector<std::uint8_t> data = u8(std::string(4000, 'a') + "the end");
  auto z = vitte::compress::gzip_compress({data.data(), data.size()}, 6);
  BOOST_REQUIRE(z.has_value());
  vitte::compress::problem why;
  auto back = vitte::compress::gzip_decompress({z->data(), z->size() / 2}, {}, &why);
  BOOST_REQUIRE(!back.has_value());
  const diagnostic d = why.describe().of(back.error().kind()).about("logs.gz");
  BOOST_TEST(d.kind() == errc::unexpected_eof);
  BOOST_TEST(d.has_offset());
  BOOST_TEST(d.offset() == why.offset);
  BOOST_TEST(str(d.message()) == why.what);
  BOOST_TEST(str(d.subject()) == "logs.gz");
  BOOST_TEST(line(d) == "logs.gz: at offset 0x" + hex(why.offset) + ": " + why.what);
}

BOOST_AUTO_TEST_CASE(archive_a_bad_tar_header) {
  vitte::archive::tar_writer w;
  BOOST_REQUIRE(w.add_file("a.txt", {}).has_value());
  BOOST_REQUIRE(w.add_file("b.txt", {}).has_value());
  vitte::buffer<std::byte> tar = w.finish();
  tar[512] = std::byte{'c'};  // the second header's name: its checksum no longer matches
  vitte::archive::tar_reader r({tar.data(), tar.size()});
  vitte::result<const vitte::archive::entry*> e = r.next();
  BOOST_REQUIRE(e.has_value());
  while (e && *e != nullptr) e = r.next();
  BOOST_REQUIRE(!e.has_value());
  const vitte::archive::problem& why = r.failure();
  const diagnostic d = why.describe().of(e.error().kind());
  BOOST_TEST(d.kind() == errc::malformed);
  BOOST_TEST(why.offset >= 512u);  // in the second header
  BOOST_TEST(d.offset() == why.offset);
  BOOST_TEST(str(d.message()) == why.what);
  BOOST_TEST(str(d.subject()) == str(why.escaped_path()));
  // A name from an archive is escaped before it is a subject; offset 0 is
  // no position (pack_tree() and extract()'s own refusals).
  vitte::archive::extract_problem hostile;
  hostile.what = "absolute path";
  hostile.path = "/etc/\x1b]0;owned\x07\xe2\x80\xae";
  const diagnostic h = hostile.describe();
  BOOST_TEST(!h.has_offset());
  BOOST_TEST(str(h.subject()) == str(hostile.escaped_path()));
  BOOST_TEST(line(h) == "/etc/\\x1b]0;owned\\x07\\xe2\\x80\\xae: absolute path");
}

BOOST_AUTO_TEST_CASE(wasm_a_bad_module) {
  // (module (func (export "answer") (result i32) (i64.const 42))): the body
  // leaves an i64 where the type says i32.
  const std::vector<std::uint8_t> mod = {0,   0x61, 0x73, 0x6d, 1, 0,  0, 0,  1, 5, 1,    0x60, 0,
                                         1,   0x7f, 3,    2,    1, 0,  7, 10, 1, 6, 'a',  'n',  's',
                                         'w', 'e',  'r',  0,    0, 10, 6, 1,  4, 0, 0x42, 42,   0x0b};
  vitte::wasm::diagnostic why;
  auto m = vitte::wasm::decode({mod.data(), mod.size()}, &why);
  BOOST_REQUIRE(!m.has_value());
  BOOST_TEST(str(why.message.view()).find("function 0, offset 0x") == 0u, why.message.c_str());
  const diagnostic d = why.describe().of(m.error().kind()).about("answer.wasm");
  BOOST_TEST(d.kind() == errc::malformed);
  BOOST_TEST(d.offset() == why.offset);
  // The offset the text named is the model's position, not its words.
  BOOST_TEST(str(d.message()).find("function 0: type mismatch") == 0u, str(d.message()));
  BOOST_TEST(str(d.message()).find("offset") == std::string::npos, str(d.message()));
  BOOST_TEST(str(d.subject()) == "answer.wasm");
  // A truncated header: "offset 0x3: ..." at the start of the text.
  auto cut = vitte::wasm::decode({mod.data(), 3}, &why);
  BOOST_REQUIRE(!cut.has_value());
  const diagnostic c = why.describe().of(cut.error().kind());
  BOOST_TEST(c.kind() == errc::unexpected_eof);
  BOOST_TEST(c.offset() == why.offset);
  BOOST_TEST(str(why.message.view()) == "offset 0x" + hex(why.offset) + ": " + str(c.message()));
  // A text that names no offset, at offset 0 (a link problem): no position.
  vitte::wasm::diagnostic link;
  link.message = "unknown import env.f";
  BOOST_TEST(!link.describe().has_offset());
  BOOST_TEST(str(link.describe().message()) == "unknown import env.f");
}

BOOST_AUTO_TEST_CASE(loader_a_bad_elf) {
  std::vector<std::byte> elf(64, std::byte{0});
  const unsigned char ident[] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
  for (std::size_t i = 0; i < sizeof ident; ++i) elf[i] = std::byte{ident[i]};
  elf[16] = std::byte{3};     // e_type ET_DYN
  elf[18] = std::byte{0x3e};  // e_machine x86-64
  elf[20] = std::byte{1};     // e_version
  elf[40] = std::byte{0xff};  // e_shoff: far past the end
  elf[41] = std::byte{0xff};
  elf[58] = std::byte{64};  // e_shentsize
  elf[60] = std::byte{4};   // e_shnum
  vitte::loader::parse_problem why;
  auto info = vitte::loader::read_plugin(std::span<const std::byte>(elf), &why);
  BOOST_REQUIRE(!info.has_value());
  BOOST_TEST(std::string(why.what) != "");
  const diagnostic d = why.describe().of(info.error().kind()).about("libbad.so");
  BOOST_TEST(d.kind() == info.error().kind());
  BOOST_TEST(d.offset() == why.offset);
  BOOST_TEST(str(d.message()) == why.what);
  BOOST_TEST(str(d.subject()) == "libbad.so");
  // A description kept in the problem itself, numbers written by the model.
  vitte::loader::parse_problem kept;
  kept.describe("segment ", 0x40).append(std::uint64_t{2}).append(": p_offset ").append(0x1001, true);
  BOOST_TEST(std::string(kept.what) == "segment 2: p_offset 0x1001");
  const vitte::loader::parse_problem copy = kept;
  kept.describe("overwritten", 0);
  BOOST_TEST(std::string(copy.what) == "segment 2: p_offset 0x1001");
  BOOST_TEST(line(copy.describe().about("libx.so")) == "libx.so: at offset 0x40: segment 2: p_offset 0x1001");
  // The loader's lines are the model's too.
  vitte::loader::diagnostics lines;
  lines.add("libbad.so", why);
  BOOST_TEST(lines.lines().at(0) == line(d));
}

BOOST_AUTO_TEST_CASE(loader_a_bad_container) {
  const std::vector<std::byte> junk(vitte::loader::vitmod::header_size, std::byte{0x5a});
  auto v = vitte::loader::vitmod_view::parse(std::span<const std::byte>(junk));
  BOOST_REQUIRE(!v.has_value());
  const vitte::loader::format_error& e = v.error();
  const diagnostic d = e.describe().about("junk.vitmod");
  BOOST_TEST(d.kind() == e.kind);  // the struct records its kind
  BOOST_TEST(d.offset() == e.offset);
  BOOST_TEST(str(d.message()).ends_with(e.reason));
  BOOST_TEST(str(d.subject()) == "junk.vitmod");
  const vitte::loader::format_error in_section{errc::malformed, 2, 0x1a4, "string runs past the string table"};
  BOOST_TEST(line(in_section.describe().about("g.vitbc")) ==
             "g.vitbc: at offset 0x1a4: section 2: string runs past the string table");
}

BOOST_AUTO_TEST_CASE(signify_a_bad_key_and_another_signer) {
  namespace sg = vitte::release::signify;
  sg::problem why;
  auto k = sg::read_public_key("untrusted comment: a key\nnot base64 at all!\n", &why);
  BOOST_REQUIRE(!k.has_value());
  const diagnostic d = why.describe().of(k.error().kind()).about("release.pub");
  BOOST_TEST(d.kind() == errc::malformed);
  BOOST_TEST(!d.has_offset());
  BOOST_TEST(str(d.message()) == why.what);
  BOOST_TEST(str(d.subject()) == "release.pub");

  vitte::crypto::ed25519::seed one{}, two{};
  two[0] = 1;
  sg::secret_key signer = sg::from_key_pair(vitte::crypto::ed25519::key_pair_from_seed(one));
  sg::secret_key other = sg::from_key_pair(vitte::crypto::ed25519::key_pair_from_seed(two));
  const std::string message = "abc  file\n";
  const vitte::text sig =
      sg::sign(signer, {reinterpret_cast<const std::byte*>(message.data()), message.size()}, "test", true);
  sg::problem wrong;
  auto list = sg::verify_embedded(sg::public_of(other), sig, &wrong);
  BOOST_REQUIRE(!list.has_value());
  BOOST_REQUIRE(wrong.other_key);
  const diagnostic o = wrong.describe().of(list.error().kind());
  BOOST_TEST(str(o.message()) == std::string(wrong.what) + "; signer's key number " + str(sg::to_hex(signer.number)));
}

BOOST_AUTO_TEST_CASE(toolchain_an_unknown_architecture) {
  vitte::toolchain::toolchain_problem why;
  auto tc = vitte::toolchain::find_toolchain("nosucharch-unknown-linux-gnu", {}, &why);
  BOOST_REQUIRE(!tc.has_value());
  const diagnostic d = why.describe().of(tc.error().kind()).about("nosucharch-unknown-linux-gnu");
  BOOST_TEST(d.kind() == errc::invalid_argument);
  BOOST_TEST(!d.has_offset());
  BOOST_TEST(str(d.subject()) == "nosucharch-unknown-linux-gnu");
  // A triple LLVM does not know: no package would help, so no hint.
  BOOST_TEST(str(why.hint) == "");
  BOOST_TEST(str(d.message()) == why.what);
  // A known triple nothing here builds for: the hint follows the text.
  vitte::toolchain::toolchain_problem hinted;
  hinted.what = "nothing here builds for it";
  hinted.hint = "g++-s390x-linux-gnu";
  BOOST_TEST(str(hinted.describe().message()) == "nothing here builds for it; install: g++-s390x-linux-gnu");
}

BOOST_AUTO_TEST_CASE(package_a_missing_directory) {
  vitte::release::package_problem why;
  auto r = vitte::release::verify_package("/nonexistent/vitte-diagnostic-test", nullptr, &why);
  BOOST_REQUIRE(!r.has_value());
  const diagnostic d = why.describe().of(r.error().kind());
  BOOST_TEST(d.kind() == errc::not_found);
  BOOST_TEST(str(d.subject()) == str(why.file));
  BOOST_TEST(str(d.message()) == why.what);
  BOOST_TEST(line(d) == str(why.file) + ": " + why.what);
  why.detail = "signed by key 01, the key given is 02";
  BOOST_TEST(str(why.describe().message()) == std::string(why.what) + " (signed by key 01, the key given is 02)");
}

BOOST_AUTO_TEST_CASE(sys_a_missing_library) {
  vitte::sys::library_diagnostic why;
  auto lib =
      vitte::sys::library::open("/nonexistent/libvitte-diagnostic-test.so", vitte::sys::library_flags::now, &why);
  BOOST_REQUIRE(!lib.has_value());
  const diagnostic d = why.describe().of(lib.error().kind());
  BOOST_TEST(d.kind() == lib.error().kind());
  BOOST_TEST(!d.has_offset());
  BOOST_TEST(str(d.message()) == str(why.view()));  // the path is part of the text
}

BOOST_AUTO_TEST_CASE(http_a_header_without_a_name) {
  vitte::http::response_parser p;
  p.start();
  BOOST_TEST(!p.describe());  // no problem yet
  const std::string wire = "HTTP/1.1 200 OK\r\n: no name\r\n\r\n";
  vitte::span<const std::byte> in(reinterpret_cast<const std::byte*>(wire.data()), wire.size());
  auto step = p.feed(in);
  while (step && !in.empty()) {
    in = in.subspan(step->used);
    step = p.feed(in);
  }
  BOOST_REQUIRE(!step.has_value());
  const diagnostic d = p.describe().of(step.error().kind()).about("http://example.test/");
  BOOST_TEST(d.kind() == errc::malformed);
  BOOST_TEST(d.offset() == p.offset());
  BOOST_TEST(str(d.message()) == str(p.problem()));
  BOOST_TEST(str(d.subject()) == "http://example.test/");
}

BOOST_AUTO_TEST_CASE(depfile_a_rule_without_a_colon) {
  vitte::text problem;
  auto r = vitte::cache::parse_depfile("out/a.o: a.c\nb.o c.o\n", &problem);
  BOOST_REQUIRE(!r.has_value());
  // The depfile's text is the model's line without a subject.
  BOOST_TEST(str(problem).find("line 2, column ") == 0u, str(problem));
}

BOOST_AUTO_TEST_SUITE_END()
