// Every layer reports through the one model (vitte/base/diagnostic.hpp): for
// each, a real refusal, and the diagnostic's kind (the same as the returned
// vitte::error's, filled where the fault was found, not by the caller),
// position, subject and message. The HTTP parser, which keeps its state
// between calls, gives the model of its current problem through describe().
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
#include <vitte/loader/vitmod_file.hpp>
#include <vitte/release/package.hpp>
#include <vitte/release/signify.hpp>
#include <vitte/sys/dynlib.hpp>
#include <vitte/sys/path_ops.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/toolchain/toolchain.hpp>
#include <vitte/wasm/module.hpp>
#include <vitte/wasm/runtime.hpp>

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
  // The decoder fills the model itself: the kind, where; the caller, who
  // read the file, names it.
  const std::vector<std::uint8_t> data = u8(std::string(4000, 'a') + "the end");
  auto z =
      vitte::compress::gzip_compress(vitte::as_bytes(vitte::span<const std::uint8_t>(data.data(), data.size())), 6);
  BOOST_REQUIRE(z.has_value());
  diagnostic d;
  auto back = vitte::compress::gzip_decompress(z->span().first(z->size() / 2), {}, &d);
  BOOST_REQUIRE(!back.has_value());
  BOOST_TEST(d.kind() == back.error().kind());
  BOOST_TEST(d.kind() == errc::unexpected_eof);
  BOOST_TEST(d.has_offset());
  BOOST_TEST(d.offset() <= z->size() / 2);
  BOOST_TEST(!d.message().empty());
  BOOST_TEST(d.subject().empty());  // a decoder of bytes knows no file
  d.about("logs.gz");
  BOOST_TEST(line(d) == "logs.gz: at offset 0x" + hex(d.offset()) + ": " + str(d.message()));
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
  const diagnostic& d = r.failure();
  BOOST_TEST(d.kind() == e.error().kind());
  BOOST_TEST(d.kind() == errc::malformed);
  BOOST_TEST(d.offset() == 512u);  // the second header
  BOOST_TEST(str(d.message()) == "bad header checksum");
  // A name from an archive is escaped before it is a subject; extract()'s
  // refusals name the entry at its header, with the kind of the error.
  const std::string name = "a\x1b]0;owned\x07\xe2\x80\xae";
  vitte::archive::tar_writer hw;
  BOOST_REQUIRE(hw.add_file("fine.txt", {}).has_value());
  BOOST_REQUIRE(hw.add_file(name, {}).has_value());
  const vitte::buffer<std::byte> hostile = hw.finish();
  const vitte::sys::temp_directory dest = vitte::sys::temp_directory::create().value();
  diagnostic h;
  vitte::archive::refusal reason = vitte::archive::refusal::none;
  auto x = vitte::archive::extract(hostile.span(), dest.path(), {}, &h, &reason);
  BOOST_REQUIRE(!x.has_value());
  BOOST_TEST((reason == vitte::archive::refusal::windows_name));
  BOOST_TEST(h.kind() == x.error().kind());
  BOOST_TEST(h.kind() == errc::permission_denied);
  BOOST_TEST(h.offset() == 512u);  // the second entry's header
  BOOST_TEST(str(h.subject()) == str(vitte::archive::escaped_name(name)));
  BOOST_TEST(line(h) == "a\\x1b]0;owned\\x07\\xe2\\x80\\xae: at offset 0x200: name Windows cannot hold");
}

BOOST_AUTO_TEST_CASE(wasm_a_bad_module) {
  // (module (func (export "answer") (result i32) (i64.const 42))): the body
  // leaves an i64 where the type says i32.
  const std::vector<std::uint8_t> mod = {0,   0x61, 0x73, 0x6d, 1, 0,  0, 0,  1, 5, 1,    0x60, 0,
                                         1,   0x7f, 3,    2,    1, 0,  7, 10, 1, 6, 'a',  'n',  's',
                                         'w', 'e',  'r',  0,    0, 10, 6, 1,  4, 0, 0x42, 42,   0x0b};
  const vitte::span<const std::byte> bytes = vitte::as_bytes(vitte::span<const std::uint8_t>(mod.data(), mod.size()));
  diagnostic d;
  auto m = vitte::wasm::decode(bytes, &d);
  BOOST_REQUIRE(!m.has_value());
  BOOST_TEST(d.kind() == m.error().kind());  // the validator says the kind itself
  BOOST_TEST(d.kind() == errc::malformed);
  BOOST_TEST(d.has_offset());
  BOOST_TEST(d.offset() < mod.size());
  // The offset is the model's position, not words of its message.
  BOOST_TEST(str(d.message()).find("function 0: type mismatch") == 0u, str(d.message()));
  BOOST_TEST(str(d.message()).find("offset") == std::string::npos, str(d.message()));
  BOOST_TEST(d.subject().empty());  // a decoder of bytes knows no file: its caller names it
  d.about("answer.wasm");
  BOOST_TEST(line(d) == "answer.wasm: at offset 0x" + hex(d.offset()) + ": " + str(d.message()));
  // A truncated header: where the input ended.
  auto cut = vitte::wasm::decode(bytes.first(3), &d);
  BOOST_REQUIRE(!cut.has_value());
  BOOST_TEST(d.kind() == errc::unexpected_eof);
  BOOST_TEST(d.offset() <= 3u);
  BOOST_TEST(str(d.message()) == "unexpected end of magic header");
  BOOST_TEST(d.subject().empty());  // what an earlier call named is forgotten
  // A link problem: no position, about the import, one entry each.
  // (module (import "env" "f" (func)))
  const std::vector<std::uint8_t> imports = {0, 0x61, 0x73, 0x6d, 1, 0,   0,   0,   1, 4,   1, 0x60, 0,
                                             0, 2,    9,    1,    3, 'e', 'n', 'v', 1, 'f', 0, 0};
  auto with_import =
      vitte::wasm::decode(vitte::as_bytes(vitte::span<const std::uint8_t>(imports.data(), imports.size())), &d);
  BOOST_REQUIRE_MESSAGE(with_import.has_value(), d.format().c_str());
  vitte::wasm::store s;
  vitte::diagnostic_list link;
  auto inst = s.instantiate(*with_import, {}, &link);
  BOOST_REQUIRE(!inst.has_value());
  BOOST_REQUIRE(link.size() == 1u);
  BOOST_TEST(!link.back().has_offset());
  BOOST_TEST(str(link.back().subject()) == "env.f");
  BOOST_TEST(link.back().kind() == inst.error().kind());
  BOOST_TEST(line(link.back()) == "env.f: unknown import (func)");
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
  diagnostic d;
  auto info = vitte::loader::read_plugin(std::span<const std::byte>(elf), &d);
  BOOST_REQUIRE(!info.has_value());
  BOOST_TEST(d.kind() == info.error().kind());  // the reader says the kind itself
  BOOST_TEST(d.offset() == 40u);                // e_shoff
  BOOST_TEST(str(d.message()) == "section header table outside the file");
  BOOST_TEST(d.subject().empty());  // the file header: no section to name
  // The reader of the file names it.
  const vitte::sys::temp_directory dir = vitte::sys::temp_directory::create().value();
  const std::string path = vitte::sys::path_join(dir.path(), "libbad.so");
  BOOST_REQUIRE(vitte::sys::write_file(path, std::span<const std::byte>(elf)).has_value());
  diagnostic f;
  auto from_file = vitte::loader::read_plugin_file(path, &f);
  BOOST_REQUIRE(!from_file.has_value());
  BOOST_TEST(f.kind() == from_file.error().kind());
  BOOST_TEST(str(f.subject()) == path);
  BOOST_TEST(line(f) == path + ": at offset 0x28: section header table outside the file");
  // The loader's lists hold the model.
  vitte::diagnostic_list lines;
  lines.add(f);
  BOOST_TEST(lines.contains(line(f)));
}

BOOST_AUTO_TEST_CASE(loader_a_bad_container) {
  const std::vector<std::byte> junk(vitte::loader::vitmod::header_size, std::byte{0x5a});
  diagnostic d;
  auto v = vitte::loader::vitmod_view::parse(std::span<const std::byte>(junk), {}, &d);
  BOOST_REQUIRE(!v.has_value());
  BOOST_TEST(d.kind() == v.error().kind());  // the reader says the kind itself
  BOOST_TEST(d.offset() == 0u);
  BOOST_TEST(str(d.message()) == "not a vitmod container (bad magic)");
  BOOST_TEST(d.subject().empty());
  // A fault in a section names the section.
  vitte::loader::vitmod_builder b;
  b.manifest.name = "g";
  b.manifest.version = "1.0.0";
  b.payload = {std::byte{1}, std::byte{2}};
  std::vector<std::byte> damaged = b.build();
  damaged.back() ^= std::byte{1};  // the payload, section 2
  auto s = vitte::loader::vitmod_view::parse(std::span<const std::byte>(damaged), {}, &d);
  BOOST_REQUIRE(!s.has_value());
  BOOST_TEST(d.kind() == errc::verification_failed);
  BOOST_TEST(str(d.subject()) == "section 2");
  BOOST_TEST(line(d) == "section 2: at offset 0x" + hex(d.offset()) + ": section checksum mismatch");
  // The reader of the file names it; the section leads the message.
  const vitte::sys::temp_directory dir = vitte::sys::temp_directory::create().value();
  const std::string path = vitte::sys::path_join(dir.path(), "g.vitbc");
  BOOST_REQUIRE(vitte::sys::write_file(path, std::span<const std::byte>(damaged)).has_value());
  diagnostic f;
  auto opened = vitte::loader::open_vitmod(path, {}, vitte::loader::verify_policy::off, {}, &f);
  BOOST_REQUIRE(!opened.has_value());
  BOOST_TEST(f.kind() == errc::verification_failed);
  BOOST_TEST(line(f) == path + ": at offset 0x" + hex(d.offset()) + ": section 2: section checksum mismatch");
}

BOOST_AUTO_TEST_CASE(signify_a_bad_key_and_another_signer) {
  // signify reads a file's text, not its path: the kind and the message
  // come filled, and the caller names the file it read.
  namespace sg = vitte::release::signify;
  diagnostic why;
  auto k = sg::read_public_key("untrusted comment: a key\nnot base64 at all!\n", &why);
  BOOST_REQUIRE(!k.has_value());
  BOOST_TEST(why.kind() == k.error().kind());
  BOOST_TEST(why.kind() == errc::malformed);
  BOOST_TEST(!why.has_offset());
  BOOST_TEST(str(why.message()) == "the second line is not the base64 of a record of the expected size");
  BOOST_TEST(why.subject().empty());
  const diagnostic d = why.about("release.pub");
  BOOST_TEST(str(d.subject()) == "release.pub");
  BOOST_TEST(line(d) == "release.pub: the second line is not the base64 of a record of the expected size");

  vitte::crypto::ed25519::seed one{}, two{};
  two[0] = 1;
  sg::secret_key signer = sg::from_key_pair(vitte::crypto::ed25519::key_pair_from_seed(one));
  sg::secret_key other = sg::from_key_pair(vitte::crypto::ed25519::key_pair_from_seed(two));
  const std::string message = "abc  file\n";
  const vitte::text sig =
      sg::sign(signer, {reinterpret_cast<const std::byte*>(message.data()), message.size()}, "test", true);
  diagnostic o;
  auto list = sg::verify_embedded(sg::public_of(other), sig, &o);
  BOOST_REQUIRE(!list.has_value());
  BOOST_TEST(o.kind() == list.error().kind());
  BOOST_TEST(o.kind() == errc::verification_failed);
  // Both key numbers, the signer's first.
  BOOST_TEST(str(o.message()) == "signed by another key (its key number differs): signed by key " +
                                     str(sg::to_hex(signer.number)) + ", the key given is " +
                                     str(sg::to_hex(sg::public_of(other).number)));
}

BOOST_AUTO_TEST_CASE(toolchain_an_unknown_architecture) {
  // find_toolchain fills the model itself: the kind and the triple as the
  // subject, no caller adding them (the hint of a known triple follows the
  // text: tests/toolchain/test_toolchain.cpp).
  diagnostic d;
  auto tc = vitte::toolchain::find_toolchain("nosucharch-unknown-linux-gnu", {}, &d);
  BOOST_REQUIRE(!tc.has_value());
  BOOST_TEST(d.kind() == tc.error().kind());
  BOOST_TEST(d.kind() == errc::invalid_argument);
  BOOST_TEST(!d.has_offset());
  BOOST_TEST(str(d.subject()) == "nosucharch-unknown-linux-gnu");
  // A triple LLVM does not know: no package would help, so no hint.
  BOOST_TEST(str(d.message()) == "an architecture LLVM does not know");
  BOOST_TEST(line(d) == "nosucharch-unknown-linux-gnu: an architecture LLVM does not know");
}

BOOST_AUTO_TEST_CASE(package_a_missing_directory) {
  // verify_package fills the model itself: the kind and the package's file
  // it could not read, no caller adding them.
  diagnostic d;
  auto r = vitte::release::verify_package("/nonexistent/vitte-diagnostic-test", nullptr, &d);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(d.kind() == r.error().kind());
  BOOST_TEST(d.kind() == errc::not_found);
  const vitte::text sums_path = vitte::sys::path_join("/nonexistent/vitte-diagnostic-test", "SHA256SUMS");
  const std::string sums = str(sums_path.view());
  BOOST_TEST(str(d.subject()) == sums);
  BOOST_TEST(str(d.message()) == "not a package: it has no SHA256SUMS");
  BOOST_TEST(!d.has_offset());
  BOOST_TEST(line(d) == sums + ": not a package: it has no SHA256SUMS");
  // make_package names the tree it could not read.
  diagnostic m;
  vitte::release::package_options o;
  o.name = "hello";
  o.version = "1.0.0";
  o.target = "x86_64-unknown-linux-gnu";
  auto a = vitte::release::make_package_archive("/nonexistent/vitte-diagnostic-tree", o, &m);
  BOOST_REQUIRE(!a.has_value());
  BOOST_TEST(m.kind() == a.error().kind());
  BOOST_TEST(m.kind() == errc::not_found);
  BOOST_TEST(str(m.subject()).rfind("/nonexistent/vitte-diagnostic-tree", 0) == 0u, str(m.subject()));
}

BOOST_AUTO_TEST_CASE(sys_a_missing_library) {
  diagnostic d;
  auto lib = vitte::sys::library::open("/nonexistent/libvitte-diagnostic-test.so", vitte::sys::library_flags::now, &d);
  BOOST_REQUIRE(!lib.has_value());
  BOOST_TEST(d.kind() == lib.error().kind());  // the call says the kind itself
  BOOST_TEST(!d.has_offset());
  BOOST_TEST(str(d.subject()) == "/nonexistent/libvitte-diagnostic-test.so");  // the path it was about
  BOOST_TEST(!d.message().empty());
  BOOST_TEST(str(d.message()).find("/nonexistent/libvitte-diagnostic-test.so: ") != 0u);  // not said twice
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
  BOOST_TEST(p.describe().kind() == step.error().kind());  // whole where the parser found it
  const diagnostic d = diagnostic(p.describe()).about("http://example.test/");
  BOOST_TEST(d.kind() == errc::malformed);
  BOOST_TEST(d.offset() == 17u);  // the line without a name
  BOOST_TEST(str(d.message()) == "header field without a name");
  BOOST_TEST(str(d.subject()) == "http://example.test/");
  BOOST_TEST(line(d) == "http://example.test/: at offset 0x11: header field without a name");
}

BOOST_AUTO_TEST_CASE(depfile_a_rule_without_a_colon) {
  diagnostic why;
  auto r = vitte::cache::parse_depfile("out/a.o: a.c\nb.o c.o\n", &why);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(why.kind() == errc::malformed);
  BOOST_TEST(why.line() == 2u);
  BOOST_TEST(std::string_view(why.format().c_str()).find("line 2, column ") == 0u, why.format().c_str());
}

BOOST_AUTO_TEST_SUITE_END()
