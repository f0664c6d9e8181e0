// The .vitmod/.vitbc container: round trips, determinism, signatures (every
// flipped bit, appended bytes, wrong key, truncated block, unknown key id),
// reader robustness (truncation, overlap, offsets past the end, huge counts,
// invalid UTF-8, unknown versions and sections), semver, the verification
// policy, opening a file, and a replay of the fuzzers' seed corpus.
#include <vitte/loader/manifest.hpp>
#include <vitte/loader/semver.hpp>
#include <vitte/loader/signature.hpp>
#include <vitte/loader/vitmod.hpp>
#include <vitte/loader/vitmod_file.hpp>
#include <vitte/sys/directory.hpp>
#include <vitte/sys/path.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/whole_file.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/test/unit_test.hpp>

namespace loader = vitte::loader;
namespace ed = vitte::crypto::ed25519;
namespace sys = vitte::sys;
using vitte::errc;

namespace {

ed::key_pair key(std::uint8_t n) {
  ed::seed s{};
  s.fill(n);
  return ed::key_pair_from_seed(s);
}

loader::vitmod_builder sample() {
  loader::vitmod_builder b;
  b.manifest.name = "greeter";
  b.manifest.version = "1.4.2-beta.1";
  b.manifest.dependencies = {{"log", "^2.1", false}, {"net", ">=1.0.0 <2 || ~3.1", true}};
  b.manifest.exports = {{"greet", loader::symbol_kind::function, 3}, {"greeting", loader::symbol_kind::data, 1}};
  b.manifest.imports = {{"log", "write", loader::symbol_kind::function}};
  b.payload_kind = loader::payload_kind::bytecode;
  for (int i = 0; i < 40; ++i) b.payload.push_back(static_cast<std::byte>(i * 3));
  b.custom.push_back({"debug-lines", std::vector<std::byte>(7, std::byte{0x42}), false, 8});
  return b;
}

// A parse with its diagnostic, which names the kind the reader refused the
// file for (the caller adds nothing).
struct parse_outcome {
  vitte::result<loader::vitmod_view> view;
  vitte::diagnostic why;
};
parse_outcome parse(std::span<const std::byte> f, const loader::vitmod_limits& limits = {}) {
  parse_outcome o{vitte::error{errc::unknown}, {}};
  o.view = loader::vitmod_view::parse(f, limits, &o.why);
  if (!o.view) BOOST_TEST((o.why.kind() == o.view.error().kind()));
  if (o.view) BOOST_TEST(!o.why);  // nothing said when nothing is wrong
  return o;
}

std::string_view reason(const vitte::diagnostic& d) { return d.message(); }

// A view of a temporary would dangle: parse() of an rvalue vector does not compile.
template <class T>
constexpr bool parses = requires(T&& bytes) { loader::vitmod_view::parse(static_cast<T&&>(bytes)); };
static_assert(parses<std::vector<std::byte>&> && parses<const std::vector<std::byte>&>);
static_assert(!parses<std::vector<std::byte>>, "vitmod_view::parse(temporary) must not compile");
template <class T>
constexpr bool decodes = requires(T&& bytes) { loader::manifest_view::parse(static_cast<T&&>(bytes), {}); };
static_assert(decodes<std::vector<std::byte>&> && !decodes<std::vector<std::byte>>);

// Field offsets of the format (docs/formats/vitmod.md).
constexpr std::size_t entry_at(std::size_t i) { return loader::vitmod::header_size + i * loader::vitmod::entry_size; }
void put32(std::vector<std::byte>& f, std::size_t at, std::uint32_t v) {
  BOOST_REQUIRE(at + 4 <= f.size());
  std::byte* p = f.data() + at;
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::byte>(v >> (8 * i));
}
void put64(std::vector<std::byte>& f, std::size_t at, std::uint64_t v) {
  BOOST_REQUIRE(at + 8 <= f.size());
  std::byte* p = f.data() + at;
  for (int i = 0; i < 8; ++i) p[i] = static_cast<std::byte>(v >> (8 * i));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(container)

BOOST_AUTO_TEST_CASE(round_trip) {
  const auto kp = key(1);
  const std::vector<std::byte> file = sample().build(&kp);
  vitte::diagnostic why;
  auto v = loader::vitmod_view::parse(file, {}, &why);
  BOOST_REQUIRE_MESSAGE(v.has_value(), why.format().c_str());
  BOOST_TEST(v->version_major() == 1);
  BOOST_TEST(v->is_signed());
  BOOST_TEST(v->manifest().name() == "greeter");
  BOOST_TEST(v->manifest().version_text() == "1.4.2-beta.1");
  BOOST_TEST(v->manifest().version().minor == 4u);
  BOOST_TEST(v->manifest().version().pre == "beta.1");
  std::vector<std::string> seen;
  for (const auto& d : v->manifest().dependencies())
    seen.push_back(std::string(d.module) + " " + std::string(d.range) + (d.optional ? " optional" : ""));
  for (const auto& e : v->manifest().exports()) seen.push_back(std::string(e.name) + "/" + std::to_string(e.version));
  for (const auto& i : v->manifest().imports()) seen.push_back(std::string(i.module) + "." + std::string(i.name));
  const std::vector<std::string> want = {"log ^2.1", "net >=1.0.0 <2 || ~3.1 optional", "greet/3", "greeting/1",
                                         "log.write"};
  BOOST_TEST(seen == want, boost::test_tools::per_element());
  BOOST_TEST((v->payload_kind() == loader::payload_kind::bytecode));
  BOOST_TEST(v->payload().size() == 40u);
  BOOST_TEST(std::to_integer<int>(v->payload()[5]) == 15);
  const loader::section_view dbg = v->find_custom("debug-lines");
  BOOST_TEST(dbg.bytes.size() == 7u);
  BOOST_TEST(v->find_custom("absent").index == v->section_count());
  BOOST_TEST(loader::verify_signature(*v, kp.public_key).verified);
}

BOOST_AUTO_TEST_CASE(writer_is_deterministic) {
  const auto kp = key(2);
  BOOST_TEST((sample().build(&kp) == sample().build(&kp)));
  BOOST_TEST((sample().build() == sample().build()));
  // Signing an unsigned file gives the same bytes as building it signed.
  const auto signed_later = loader::sign_vitmod(sample().build(), kp);
  BOOST_REQUIRE(signed_later.has_value());
  BOOST_TEST((*signed_later == sample().build(&kp)));
  // Re-signing with another key replaces the block.
  const auto resigned = loader::sign_vitmod(sample().build(&kp), key(3));
  BOOST_REQUIRE(resigned.has_value());
  const auto k3 = key(3);
  BOOST_TEST((*resigned == sample().build(&k3)));
}

BOOST_AUTO_TEST_CASE(every_flipped_bit_fails_verification) {
  const auto kp = key(4);
  loader::vitmod_builder b;
  b.manifest.name = "m";
  b.manifest.version = "0.1.0";
  b.payload = {std::byte{1}, std::byte{2}};
  const std::vector<std::byte> file = b.build(&kp);
  loader::trust_store store;
  store.add(kp.public_key);
  BOOST_REQUIRE(loader::verify_signature(loader::vitmod_view::parse(file).value(), store).verified);
  std::size_t accepted = 0;
  for (std::size_t i = 0; i < file.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::vector<std::byte> f = file;
      f[i] ^= static_cast<std::byte>(1 << bit);
      // With checksums off, the signature alone must catch it.
      loader::vitmod_limits no_checksums;
      no_checksums.verify_checksums = false;
      auto v = loader::vitmod_view::parse(f, no_checksums);
      if (v && loader::verify_signature(*v, store).verified) ++accepted;
    }
  }
  BOOST_TEST(accepted == 0u);
}

BOOST_AUTO_TEST_CASE(appended_bytes_are_refused) {
  const auto kp = key(5);
  std::vector<std::byte> f = sample().build(&kp);
  f.push_back(std::byte{0});
  auto v = parse(f);
  BOOST_REQUIRE(!v.view.has_value());
  BOOST_TEST(reason(v.why) == "bytes after the signature block");
  BOOST_TEST(v.why.offset() == f.size() - 1);
  BOOST_TEST(v.why.subject().empty());  // not in a section
  std::vector<std::byte> u = sample().build();
  u.insert(u.end(), 16, std::byte{0});
  auto w = parse(u);
  BOOST_REQUIRE(!w.view.has_value());
  BOOST_TEST(reason(w.why) == "bytes after the end recorded in the header");
}

BOOST_AUTO_TEST_CASE(each_signature_failure_has_its_own_error) {
  const auto kp = key(6), other = key(7);
  const std::vector<std::byte> file = sample().build(&kp);
  const auto v = loader::vitmod_view::parse(file).value();
  loader::trust_store store;
  store.add(other.public_key, "other");
  // Unknown key id: the store lacks the signer.
  const loader::signature_check unknown = loader::verify_signature(v, store);
  BOOST_TEST(!unknown.verified);
  BOOST_TEST(reason(unknown.why) == "unknown key id");
  BOOST_TEST((unknown.why.kind() == errc::verification_failed));
  BOOST_TEST(unknown.why.subject() == "signature block");
  BOOST_TEST(unknown.why.offset() == v.signature_offset() + 8);  // the key id
  // Wrong key: verifying against a given key that did not sign.
  BOOST_TEST(reason(loader::verify_signature(v, other.public_key).why) == "signed by another key");
  // A signature that does not match (block from another file of the same key).
  std::vector<std::byte> swapped = file;
  const std::vector<std::byte> other_file = [&] {
    auto b = sample();
    b.manifest.name = "different";
    return b.build(&kp);
  }();
  std::memcpy(swapped.data() + swapped.size() - 64, other_file.data() + other_file.size() - 64, 64);
  store.add(kp.public_key, "signer");
  BOOST_TEST(reason(loader::verify_signature(loader::vitmod_view::parse(swapped).value(), store).why) ==
             "signature does not match");
  // Truncated signature block.
  std::vector<std::byte> cut(file.begin(), file.end() - 10);
  auto t = parse(cut);
  BOOST_REQUIRE(!t.view.has_value());
  BOOST_TEST(reason(t.why) == "signature block truncated");
  BOOST_TEST((t.view.error() == errc::unexpected_eof));
  // Not signed at all.
  const std::vector<std::byte> unsigned_file = sample().build();
  BOOST_TEST(reason(loader::verify_signature(loader::vitmod_view::parse(unsigned_file).value(), store).why) ==
             "container is not signed");
  // And the good case names the signer.
  const loader::signature_check ok = loader::verify_signature(v, store);
  BOOST_TEST(ok.verified);
  BOOST_REQUIRE(ok.signer != nullptr);
  BOOST_TEST(ok.signer->name == "signer");
}

BOOST_AUTO_TEST_CASE(every_truncation_is_an_error) {
  const auto kp = key(8);
  const std::vector<std::byte> file = sample().build(&kp);
  for (std::size_t n = 0; n < file.size(); ++n) {
    auto v = parse(std::span{file}.first(n));
    BOOST_TEST(!v.view.has_value(), "prefix of " << n << " bytes parsed");
    BOOST_TEST(v.why.offset() <= n);  // where the file stopped making sense, inside it
  }
}

BOOST_AUTO_TEST_CASE(layout_errors_name_section_and_offset) {
  const std::vector<std::byte> good = sample().build();
  auto expect = [](std::vector<std::byte> f, std::string_view why, std::uint32_t section) {
    auto v = parse(f);
    BOOST_REQUIRE(!v.view.has_value());
    BOOST_TEST(reason(v.why) == why);
    BOOST_TEST(v.why.subject() == "section " + std::to_string(section));  // the section names the problem
    const vitte::diagnostic_line line = v.why.format();
    BOOST_TEST(line.view().find(why) != std::string_view::npos);
  };
  // Overlap: section 2 starts inside section 1.
  {
    std::vector<std::byte> f = good;
    const auto v = loader::vitmod_view::parse(good).value();
    BOOST_REQUIRE(v.section(1).bytes.size() > 8u);
    put64(f, entry_at(2) + 8, v.section(2).offset - 8);
    expect(f, "sections overlap or are out of order", 2);
  }
  // Offset past the end of the data.
  {
    std::vector<std::byte> f = good;
    put64(f, entry_at(3) + 8, f.size() + 4096);
    expect(f, "section offset past the end of the data", 3);
  }
  // Size past the end (and a size that would overflow).
  {
    std::vector<std::byte> f = good;
    put64(f, entry_at(3) + 16, ~std::uint64_t{0});
    expect(f, "section runs past the end of the data", 3);
  }
  // A gap: the manifest moved by its alignment leaves unsigned slack.
  {
    std::vector<std::byte> f = good;
    put32(f, entry_at(1) + 24, 1);
    put64(f, entry_at(1) + 8, loader::vitmod_view::parse(good).value().section(1).offset + 1);
    auto v = parse(f);
    BOOST_TEST(!v.view.has_value());
  }
  // Non-power-of-two alignment.
  {
    std::vector<std::byte> f = good;
    put32(f, entry_at(0) + 24, 3);
    expect(f, "alignment is not a power of two", 0);
  }
  // A changed byte in the payload: checksum.
  {
    std::vector<std::byte> f = good;
    f[f.size() - 1] ^= std::byte{1};
    expect(f, "section checksum mismatch", 3);
  }
}

BOOST_AUTO_TEST_CASE(huge_counts_are_limits_not_loops) {
  std::vector<std::byte> f = sample().build();
  put32(f, 20, 0xFFFFFFFFu);
  auto v = parse(f);
  BOOST_REQUIRE(!v.view.has_value());
  BOOST_TEST((v.why.kind() == errc::limit_exceeded));
  BOOST_TEST(reason(v.why) == "more sections than the limit");
  // A manifest claiming 2^32 - 1 dependencies.
  loader::string_table_builder strings;
  loader::manifest m;
  m.name = "x";
  m.version = "1.0.0";
  std::vector<std::byte> enc = m.encode(strings);
  enc.resize(enc.size() - 3);  // drop the three empty counts
  for (std::uint8_t b : {0xFF, 0xFF, 0xFF, 0xFF, 0x0F}) enc.push_back(static_cast<std::byte>(b));
  vitte::diagnostic why;
  auto mv = loader::manifest_view::parse(enc, strings.bytes(), {}, 0, &why);
  BOOST_REQUIRE(!mv.has_value());
  BOOST_TEST((mv.error() == errc::limit_exceeded));
  BOOST_TEST((why.kind() == errc::limit_exceeded));
  // Under the limit but more than the bytes could hold.
  enc.resize(enc.size() - 5);
  enc.push_back(std::byte{100});
  mv = loader::manifest_view::parse(enc, strings.bytes(), {}, 0, &why);
  BOOST_REQUIRE(!mv.has_value());
  BOOST_TEST((mv.error() == errc::unexpected_eof));
  BOOST_TEST((why.kind() == errc::unexpected_eof));
}

BOOST_AUTO_TEST_CASE(invalid_utf8_is_refused_with_its_offset) {
  for (std::string_view bad : {std::string_view{"\xC0\x80", 2}, std::string_view{"\xED\xA0\x80", 3},
                               std::string_view{"\xF4\x90\x80\x80", 4}, std::string_view{"ab\xE2\x82", 4}}) {
    loader::vitmod_builder b = sample();
    b.manifest.name = std::string(bad);
    const std::vector<std::byte> f = b.build();
    auto v = parse(f);
    BOOST_REQUIRE(!v.view.has_value());
    BOOST_TEST(reason(v.why) == "string is not valid UTF-8");
    BOOST_TEST(v.why.subject() == "section 1");  // the manifest
    std::uint64_t manifest_offset = 0;           // entry 1's offset field
    for (int i = 7; i >= 0; --i)
      manifest_offset = manifest_offset << 8 | std::to_integer<unsigned>(f[entry_at(1) + 8 + i]);
    BOOST_TEST(v.why.offset() == manifest_offset + 1);  // the name's reference, after the encoding byte
  }
  BOOST_TEST(loader::detail::valid_utf8("h\xC3\xA9llo \xF0\x9F\x98\x80"));
}

BOOST_AUTO_TEST_CASE(versions_and_unknown_sections) {
  std::vector<std::byte> f = sample().build();
  f[8] = std::byte{2};  // major 2
  auto v = parse(f);
  BOOST_REQUIRE(!v.view.has_value());
  BOOST_TEST((v.why.kind() == errc::version_mismatch));
  BOOST_TEST(v.why.offset() == 8u);
  // A newer minor version reads fine.
  f = sample().build();
  f[10] = std::byte{7};
  BOOST_TEST(loader::vitmod_view::parse(f).has_value());
  // Unknown optional section (a future standard kind): skipped.
  loader::vitmod_builder b = sample();
  b.custom.push_back({"", {std::byte{1}}, false, 1, 0x77});
  const std::vector<std::byte> with_optional = b.build();
  BOOST_TEST(loader::vitmod_view::parse(with_optional).has_value());
  // Unknown required section: refused.
  b.custom.back().required = true;
  const std::vector<std::byte> with_required = b.build();
  auto r = parse(with_required);
  BOOST_REQUIRE(!r.view.has_value());
  BOOST_TEST(reason(r.why) == "unknown required section kind");
  BOOST_TEST((r.why.kind() == errc::not_supported));
  // Required custom sections: refused unless the caller knows them.
  loader::vitmod_builder c = sample();
  c.custom.push_back({"needs-jit", {std::byte{1}}, true});
  const std::vector<std::byte> needs_jit = c.build();
  BOOST_TEST(reason(parse(needs_jit).why) == "unknown required custom section");
  static constexpr vitte::text_view known[] = {"needs-jit"};
  loader::vitmod_limits limits;
  limits.known_custom = known;
  BOOST_TEST(loader::vitmod_view::parse(needs_jit, limits).has_value());
}

BOOST_AUTO_TEST_CASE(bad_manifest_contents) {
  loader::vitmod_builder b = sample();
  b.manifest.version = "1.02.3";
  std::vector<std::byte> bad = b.build();
  BOOST_TEST(reason(parse(bad).why) == "module version is not a semantic version");
  BOOST_TEST(parse(bad).why.subject() == "section 1");  // the manifest
  b = sample();
  b.manifest.dependencies[0].range = "^^1";
  bad = b.build();
  BOOST_TEST(reason(parse(bad).why) == "dependency range is not a valid semver range");
}

BOOST_AUTO_TEST_CASE(verification_policy) {
  const auto kp = key(9);
  loader::trust_store store;
  store.add(kp.public_key);
  const std::vector<std::byte> signed_file = sample().build(&kp);
  const auto signed_view = loader::vitmod_view::parse(signed_file).value();
  const std::vector<std::byte> unsigned_file = sample().build();
  const auto unsigned_view = loader::vitmod_view::parse(unsigned_file).value();
  loader::signature_check check;
  BOOST_TEST(!loader::apply_policy(unsigned_view, store, loader::verify_policy::off, check));
  BOOST_TEST(!check.verified);
  BOOST_TEST(!loader::apply_policy(unsigned_view, store, loader::verify_policy::warn, check));
  BOOST_TEST(reason(check.why) == "container is not signed");
  BOOST_TEST(bool(loader::apply_policy(unsigned_view, store, loader::verify_policy::require, check)));
  BOOST_TEST(!loader::apply_policy(signed_view, store, loader::verify_policy::require, check));
  BOOST_TEST(check.verified);
  BOOST_TEST(!check.why);
  loader::trust_store empty;
  BOOST_TEST(
      (loader::apply_policy(signed_view, empty, loader::verify_policy::require, check) == errc::verification_failed));
  BOOST_TEST(reason(check.why) == "unknown key id");
}

BOOST_AUTO_TEST_CASE(open_maps_once_and_verifies_the_mapping) {
  const auto kp = key(10);
  auto dir = sys::temp_directory::create().value();
  const std::string good = sys::path_join(dir.path(), "good.vitbc");
  const std::string bad = sys::path_join(dir.path(), "bad.vitbc");
  BOOST_REQUIRE(sys::write_file(good, sample().build(&kp)));
  const auto k11 = key(11);
  BOOST_REQUIRE(sys::write_file(bad, sample().build(&k11)));
  loader::trust_store store;
  store.add(kp.public_key, "release");
  vitte::diagnostic why;
  auto f = loader::open_vitmod(good, store, loader::verify_policy::require, {}, &why);
  BOOST_REQUIRE_MESSAGE(f.has_value(), why.format().c_str());
  BOOST_TEST(f->signature.verified);
  BOOST_TEST(f->view.payload().data() >= f->map.data());  // views into the one mapping
  BOOST_TEST(f->view.manifest().name() == "greeter");
  auto g = loader::open_vitmod(bad, store, loader::verify_policy::require, {}, &why);
  BOOST_REQUIRE(!g.has_value());
  // The reader of the file names it; the block it found wrong leads the message.
  BOOST_TEST(why.subject() == bad);
  BOOST_TEST(reason(why) == "signature block: unknown key id");
  BOOST_TEST((why.kind() == errc::verification_failed));
  BOOST_TEST(loader::open_vitmod(bad, store, loader::verify_policy::warn).has_value());
  // Under require, checksums are only recomputed when the signature fails, to name the section.
  std::vector<std::byte> damaged = sample().build(&kp);
  damaged[damaged.size() - loader::vitmod::signature_block_size - 1] ^= std::byte{4};
  const std::string damaged_path = sys::path_join(dir.path(), "damaged.vitbc");
  BOOST_REQUIRE(sys::write_file(damaged_path, damaged));
  auto d = loader::open_vitmod(damaged_path, store, loader::verify_policy::require, {}, &why);
  BOOST_REQUIRE(!d.has_value());
  BOOST_TEST(reason(why) == "section 3: section checksum mismatch");
  BOOST_TEST(why.subject() == damaged_path);
  BOOST_TEST((why.kind() == errc::verification_failed));
  const std::string absent = sys::path_join(dir.path(), "absent.vitbc");
  auto missing = loader::open_vitmod(absent, store, loader::verify_policy::off, {}, &why);
  BOOST_REQUIRE(!missing.has_value());
  BOOST_TEST((missing.error() == errc::not_found));
  BOOST_TEST((why.kind() == errc::not_found));
  BOOST_TEST(why.subject() == absent);
}

BOOST_AUTO_TEST_CASE(fuzz_corpus_replays) {
  std::size_t files = 0;
  const char* corpus = std::getenv("VITTE_FUZZ_CORPUS");  // meson test sets it
  BOOST_TEST_REQUIRE(corpus != nullptr, "VITTE_FUZZ_CORPUS is not set (meson test sets it to fuzz/corpus)");
  for (const char* sub : {"/vitmod", "/manifest"}) {
    const std::string dir = std::string(corpus) + sub;
    auto reader = sys::directory_reader::open(dir);
    if (!reader) {
      BOOST_TEST_MESSAGE("skipped: corpus " << dir << " not readable here");
      continue;
    }
    std::vector<std::string> names;
    for (const sys::dir_entry& e : *reader) names.emplace_back(e.name);
    for (const std::string& name : names) {
      const std::string path = sys::path_join(dir, name);
      auto bytes = sys::read_file(path);
      BOOST_REQUIRE(bytes.has_value());
      const std::span<const std::byte> b = std::as_bytes(std::span{bytes->data(), bytes->size()});
      ++files;
      if (std::string_view(sub) == "/vitmod") {
        static constexpr vitte::text_view known[] = {"required-debug"};  // as fuzz_vitmod.cpp
        loader::vitmod_limits limits;
        limits.known_custom = known;
        auto v = parse(b, limits);
        BOOST_TEST(v.view.has_value(), path << ": " << v.why.format().c_str());
      } else if (!b.empty()) {
        const std::size_t split = std::to_integer<std::size_t>(b[0]) % b.size();
        auto rest = b.subspan(1);
        const auto m = rest.first(split < rest.size() ? split : rest.size());
        BOOST_TEST(loader::manifest_view::parse(m, rest.subspan(m.size())).has_value(), path);
      }
    }
  }
  BOOST_TEST_MESSAGE(files << " corpus files replayed");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(semver)

BOOST_AUTO_TEST_CASE(parse_and_precedence) {
  loader::semver v;
  BOOST_TEST(loader::semver::parse("1.2.3-alpha.1+build.9", v));
  BOOST_TEST(v.major == 1u);
  BOOST_TEST(v.pre == "alpha.1");
  BOOST_TEST(v.build == "build.9");
  for (const char* bad : {"1.2", "01.2.3", "1.2.3-", "1.2.3-a..b", "v1.2.3", "1.2.3 ", "99999999999.0.0", "1.2.3-01"})
    BOOST_TEST(!loader::semver::parse(bad, v), bad);
  const char* order[] = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
                         "1.0.0-beta",  "1.0.0-beta.2",  "1.0.0-beta.11",
                         "1.0.0-rc.1",  "1.0.0",         "1.0.1",
                         "1.1.0",       "2.0.0"};
  for (std::size_t i = 0; i + 1 < std::size(order); ++i) {
    loader::semver a, b;
    BOOST_REQUIRE(loader::semver::parse(order[i], a));
    BOOST_REQUIRE(loader::semver::parse(order[i + 1], b));
    BOOST_TEST(loader::semver::compare(a, b) < 0, order[i] << " < " << order[i + 1]);
  }
}

BOOST_AUTO_TEST_CASE(ranges) {
  struct {
    const char* range;
    const char* version;
    bool ok;
  } cases[] = {
      {"^1.2.3", "1.9.0", true},   {"^1.2.3", "2.0.0", false},      {"^1.2.3", "1.2.2", false},
      {"^0.2.3", "0.2.9", true},   {"^0.2.3", "0.3.0", false},      {"^0.0.3", "0.0.4", false},
      {"~1.2.3", "1.2.9", true},   {"~1.2.3", "1.3.0", false},      {"1.2", "1.2.7", true},
      {"1", "1.9.9", true},        {">=1.0.0 <2", "1.5.0", true},   {">=1.0.0 <2", "2.0.0", false},
      {"*", "3.4.5", true},        {"*", "3.4.5-rc.1", false},      {"^1.0.0", "2.0.0-rc.1", false},
      {"^1 || ^3", "3.1.0", true}, {"^1 || ^3", "2.1.0", false},    {">=1.2.3-alpha.1", "1.2.3-alpha.2", true},
      {"=1.2.3", "1.2.3", true},   {"<=1.2.3", "1.2.3+meta", true},
  };
  for (const auto& c : cases) {
    loader::semver v;
    BOOST_REQUIRE(loader::semver::parse(c.version, v));
    BOOST_TEST(loader::semver_range::satisfied_by(c.range, v) == c.ok, c.range << " / " << c.version);
  }
  for (const char* bad : {"", "||", "^1.2.3 ||", ">=01", "1.2.3.4", "^^1", "1.x.3"})
    BOOST_TEST(!loader::semver_range::validate(bad), bad);
  std::string many;
  for (int i = 0; i < 17; ++i) many += ">=1 ";
  vitte::diagnostic why;
  BOOST_TEST(!loader::semver_range::validate(many, &why));
  BOOST_TEST((why.kind() == vitte::errc::limit_exceeded));
  BOOST_TEST(std::string_view(why.message()) == "too many comparators in a range");
}

BOOST_AUTO_TEST_SUITE_END()
