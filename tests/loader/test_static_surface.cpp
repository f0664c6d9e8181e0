// Real libraries of the distribution loaded as in-memory images by a static
// host, and one of their functions called: what the static surface
// (static_surface/, docs/ELF_IMAGE.md "Static hosts: the C library surface")
// makes possible. Built in the static configuration twice: with the surface
// (the test: every library found loads and works) and without it (not a
// test; it shows which names a static program lacks).
//
//   test_static_surface [dir]   dir: where the libraries are (/usr/lib/x86_64-linux-gnu)
//
// Prints one line per library; exits 0 when each found loaded and answered,
// 1 otherwise, 77 (skipped) when none is found.
#include <vitte/loader/diagnostics.hpp>
#include <vitte/loader/elf_image/image.hpp>
#include <vitte/loader/elf_image/impl/os.hpp>  // process_cannot_supply
#include <vitte/sys/file.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace {

namespace ei = vitte::loader::elf_image;

// Each check calls into the image and says what it got, or null.
using check = const char* (*)(const ei::image&, char* out, std::size_t size);

const char* zlib(const ei::image& im, char* out, std::size_t size) {
  auto version = im.find<const char*()>("zlibVersion");
  auto compress = im.find<int(unsigned char*, unsigned long*, const unsigned char*, unsigned long)>("compress");
  auto uncompress = im.find<int(unsigned char*, unsigned long*, const unsigned char*, unsigned long)>("uncompress");
  if (version == nullptr || compress == nullptr || uncompress == nullptr) return nullptr;
  const char text[] = "the static surface, the static surface, the static surface";
  unsigned char packed[256], unpacked[256];
  unsigned long np = sizeof packed, nu = sizeof unpacked;
  if (compress(packed, &np, reinterpret_cast<const unsigned char*>(text), sizeof text) != 0) return nullptr;
  if (uncompress(unpacked, &nu, packed, np) != 0 || nu != sizeof text || std::memcmp(unpacked, text, nu) != 0)
    return nullptr;
  std::snprintf(out, size, "zlib %s: %zu bytes -> %lu and back", version(), sizeof text, np);
  return out;
}

const char* sqlite(const ei::image& im, char* out, std::size_t size) {
  auto version = im.find<const char*()>("sqlite3_libversion");
  auto open = im.find<int(const char*, void**)>("sqlite3_open");
  auto exec = im.find<int(void*, const char*, int (*)(void*, int, char**, char**), void*, char**)>("sqlite3_exec");
  auto close = im.find<int(void*)>("sqlite3_close");
  if (version == nullptr || open == nullptr || exec == nullptr || close == nullptr) return nullptr;
  void* db = nullptr;
  if (open(":memory:", &db) != 0) return nullptr;
  std::string got;
  int rc = exec(
      db, "create table t(x); insert into t values (6), (7); select sum(x) * 3, printf('%.3f', sqrt(2.0)) from t;",
      [](void* p, int n, char** values, char**) {
        for (int i = 0; i < n; ++i) *static_cast<std::string*>(p) += std::string(i ? " " : "") + values[i];
        return 0;
      },
      &got, nullptr);
  close(db);
  if (rc != 0) return nullptr;
  std::snprintf(out, size, "sqlite %s: select -> %s", version(), got.c_str());
  return out;
}

const char* lua(const ei::image& im, char* out, std::size_t size) {
  auto newstate = im.find<void*()>("luaL_newstate");
  auto openlibs = im.find<void(void*)>("luaL_openlibs");
  auto loadstring = im.find<int(void*, const char*)>("luaL_loadstring");
  auto pcall = im.find<int(void*, int, int, int, long, void*)>("lua_pcallk");
  auto tolstring = im.find<const char*(void*, int, std::size_t*)>("lua_tolstring");
  auto close = im.find<void(void*)>("lua_close");
  if (!newstate || !openlibs || !loadstring || !pcall || !tolstring || !close) return nullptr;
  void* L = newstate();
  if (L == nullptr) return nullptr;
  openlibs(L);
  const char* script = "return string.format('%s: %.4f %s', _VERSION, math.sin(1), os.date('!%Y', 0))";
  if (loadstring(L, script) != 0 || pcall(L, 0, 1, 0, 0, nullptr) != 0) {
    close(L);
    return nullptr;
  }
  std::snprintf(out, size, "%s", tolstring(L, -1, nullptr));
  close(L);
  return out;
}

const char* pcre2(const ei::image& im, char* out, std::size_t size) {
  auto compile =
      im.find<void*(const unsigned char*, std::size_t, unsigned, int*, std::size_t*, void*)>("pcre2_compile_8");
  auto data = im.find<void*(const void*, void*)>("pcre2_match_data_create_from_pattern_8");
  auto match = im.find<int(const void*, const unsigned char*, std::size_t, std::size_t, unsigned, void*, void*)>(
      "pcre2_match_8");
  auto ovector = im.find<std::size_t*(void*)>("pcre2_get_ovector_pointer_8");
  if (!compile || !data || !match || !ovector) return nullptr;
  int err = 0;
  std::size_t at = 0;
  void* re = compile(reinterpret_cast<const unsigned char*>("[0-9]+"), 6, 0, &err, &at, nullptr);
  if (re == nullptr) return nullptr;
  void* md = data(re, nullptr);
  const char subject[] = "libpcre2-8.so.0 as an image";
  if (md == nullptr ||
      match(re, reinterpret_cast<const unsigned char*>(subject), sizeof subject - 1, 0, 0, md, nullptr) < 1)
    return nullptr;
  std::size_t* o = ovector(md);
  std::snprintf(out, size, "pcre2: [0-9]+ matches \"%.*s\" in \"%s\"", static_cast<int>(o[1] - o[0]), subject + o[0],
                subject);
  return out;
}

const char* crypto(const ei::image& im, char* out, std::size_t size) {
  auto version = im.find<const char*(int)>("OpenSSL_version");
  auto sha256 = im.find<unsigned char*(const unsigned char*, std::size_t, unsigned char*)>("SHA256");
  if (version == nullptr || sha256 == nullptr) return nullptr;
  unsigned char md[32];
  sha256(reinterpret_cast<const unsigned char*>("abc"), 3, md);
  std::snprintf(out, size, "%s: sha256(abc) = %02x%02x%02x%02x...", version(0), md[0], md[1], md[2], md[3]);
  return md[0] == 0xba && md[1] == 0x78 ? out : nullptr;
}

const char* re2(const ei::image& im, char* out, std::size_t size) {
  // C++: RE2's constructor compiles the pattern (std::string, std::map,
  // std::call_once of libstdc++), FullMatchN runs it. The object is
  // opaque here: a buffer larger than RE2 (about 120 bytes).
  struct piece {
    const char* data;
    std::size_t size;
  };
  auto make = im.find<void(void*, const char*)>("_ZN3re23RE2C1EPKc");
  auto destroy = im.find<void(void*)>("_ZN3re23RE2D1Ev");
  auto full_match = im.find<bool(const piece&, const void*, const void* const*, int)>(
      "_ZN3re23RE210FullMatchNERKNS_11StringPieceERKS0_PKPKNS0_3ArgEi");
  if (make == nullptr || destroy == nullptr || full_match == nullptr) return nullptr;
  alignas(16) unsigned char re[1024];
  make(re, "(lib)?re2\\.so\\.[0-9]+");
  const char subject[] = "libre2.so.9";
  bool yes = full_match(piece{subject, sizeof subject - 1}, re, nullptr, 0);
  bool no = full_match(piece{"libre2.so", 9}, re, nullptr, 0);
  destroy(re);
  if (!yes || no) return nullptr;
  std::snprintf(out, size, "re2: (lib)?re2\\.so\\.[0-9]+ matches \"%s\", not \"libre2.so\"", subject);
  return out;
}

struct library {
  const char* file;
  check run;
  bool libstdcxx;  // a C++ library built with libstdc++
};
constexpr library libraries[] = {
    {"libz.so.1", zlib, false},        {"libsqlite3.so.0", sqlite, false}, {"liblua5.4.so.0", lua, false},
    {"libpcre2-8.so.0", pcre2, false}, {"libcrypto.so.3", crypto, false},  {"libre2.so.9", re2, true},
};

}  // namespace

int main(int argc, char** argv) {
  std::string dir = argc > 1 ? argv[1] : "/usr/lib/x86_64-linux-gnu";
  int found = 0, failed = 0;
  for (const library& l : libraries) {
    std::string path = dir + "/" + l.file;
    auto f = vitte::sys::file::open(path.c_str(), vitte::sys::open_mode::read);
    if (!f) {
      std::printf("%-18s not installed\n", l.file);
      continue;
    }
    ++found;
    vitte::diagnostic why;
    auto im = ei::image::load_file(*f, {}, &why);
    if (!im) {
#if !defined(__GLIBCXX__)
      // Over another C++ library (Zig's libc++ on musl): refused, saying why.
      if (l.libstdcxx && std::strstr(why.message().data(), "GLIBCXX_") != nullptr) {
        std::printf("%-18s refused as expected (libstdc++): %.80s...\n", l.file, why.message().data());
        continue;
      }
#endif
      ++failed;
      std::printf("%-18s refused: %s\n", l.file, why.format().c_str());
      continue;
    }
    char text[256];
    const char* got = l.run(*im, text, sizeof text);
    if (got == nullptr) ++failed;
    std::printf("%-18s %s\n", l.file, got != nullptr ? got : "loaded, but the call failed");
  }
  // What a static host cannot supply, and says why (the undefined-symbol
  // message carries it); with the surface, also a name it found absent.
  struct refusal {
    const char* name;
    const char* version;
    bool refused;
  };
  constexpr refusal refusals[] = {
      {"_dl_argv", "GLIBC_PRIVATE", true},
      {"_dl_allocate_tls", nullptr, true},
      {"__libc_enable_secure", "GLIBC_PRIVATE", true},
      {"zlibVersion", nullptr, false},
  };
  for (const refusal& r : refusals) {
    const char* why = ei::detail::process_cannot_supply(r.name, r.version);
    std::printf("cannot supply %s%s%s: %s\n", r.name, r.version ? "@" : "", r.version ? r.version : "",
                why ? why : "(no reason: not refused)");
    if ((why != nullptr) != r.refused) ++failed;
  }
#if !defined(__GLIBC__)
  // Over musl (glibc_compat.inc): glibc's own names for a glibc-built
  // image, glibc's meaning first (strerror_r returns a char*), and what
  // cannot be bridged refused with the reason.
  constexpr refusal unbridged[] = {{"_IO_2_1_stdout_", "GLIBC_2.2.5", true}, {"_obstack_begin", "GLIBC_2.2.5", true}};
  for (const refusal& r : unbridged) {
    const char* why = ei::detail::process_cannot_supply(r.name, r.version);
    std::printf("cannot supply %s@%s: %s\n", r.name, r.version, why ? why : "(no reason: not refused)");
    if (why == nullptr) ++failed;
  }
  for (const char* name : {"__memcpy_chk", "__snprintf_chk", "fopen64", "fstat64", "__ctype_b_loc", "__longjmp_chk"})
    if (ei::detail::process_symbol(name, "GLIBC_2.2.5") == nullptr) {
      std::printf("glibc's %s not supplied\n", name);
      ++failed;
    }
  using gnu_strerror_r = char* (*)(int, char*, std::size_t);
  auto gnu = reinterpret_cast<gnu_strerror_r>(ei::detail::process_symbol("strerror_r", "GLIBC_2.2.5"));
  char buf[64];
  const char* text = gnu != nullptr ? gnu(ENOENT, buf, sizeof buf) : nullptr;
  std::printf("strerror_r@GLIBC_2.2.5 (GNU): %s\n", text != nullptr ? text : "(null)");
  if (text == nullptr || ei::detail::process_symbol("strerror_r", nullptr) == reinterpret_cast<void*>(gnu)) ++failed;
  using ctype_loc = const unsigned short** (*)();
  auto b = reinterpret_cast<ctype_loc>(ei::detail::process_symbol("__ctype_b_loc", "GLIBC_2.3"));
  // glibc's bits on little-endian: _ISalpha 0x400, _ISdigit 0x800, _ISspace 0x2000, _ISpunct 4; EOF (-1) nothing.
  if (b == nullptr || ((*b())[int{'a'}] & 0x400) == 0 || ((*b())[int{'7'}] & 0x800) == 0 ||
      ((*b())[int{'\n'}] & 0x2000) == 0 || ((*b())[int{'!'}] & 4) == 0 || (*b())[-1] != 0 || (*b())[-128] != 0)
    ++failed, std::printf("__ctype_b_loc: not glibc's C-locale table\n");
#endif
#if defined(__GLIBC__)
  // A compatibility symbol: libc.so.6 keeps it for old programs, libc.a has none.
  const char* why = ei::detail::process_cannot_supply("sys_errlist", "GLIBC_2.2.5");
  std::printf("cannot supply sys_errlist@GLIBC_2.2.5: %s\n", why ? why : "(no reason)");
#endif
  std::fflush(stdout);
  return found == 0 ? 77 : failed != 0 ? 1 : 0;
}
