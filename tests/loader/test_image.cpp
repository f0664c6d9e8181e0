// In-memory ELF images (vitte/loader/elf_image/image.hpp): the shared objects
// of tests/loader/image/, built plain, with -z now -z relro, with packed
// DT_RELR relocations and with their own C++ runtime and unwinder
// (-static-libstdc++ -static-libgcc), loaded from bytes and from files.
// Each test body runs under dlopen and as an image and must see the same
// behaviour: thread-local storage
// (threads created before the load included), static constructors and
// destructors, std::string, exceptions caught inside and thrown to the host,
// IFUNC, symbol versions, callbacks, a 64 MiB .bss, the C library, one
// object using another's exports, thread-locals another module defines
// (std::call_once's too), DF_1_NODELETE, and Debian's libre2 and OpenSSL
// when installed. Then what the loader refuses, each with its reason, and
// 1,000 load/unload cycles that leave the mappings and the memory flat.
#include <vitte/loader/elf.hpp>
#include <vitte/loader/elf_image/image.hpp>
#include <vitte/loader/elf_image/image_set.hpp>
#include <vitte/loader/elf_image/impl/counters.hpp>       // image_counters
#include <vitte/loader/elf_image/impl/jit_interface.hpp>  // __jit_debug_descriptor
#include <vitte/sys/directory.hpp>
#include <vitte/sys/dynlib.hpp>
#include <vitte/sys/file.hpp>
#include <vitte/sys/semaphore.hpp>
#include <vitte/sys/thread.hpp>
#include <vitte/sys/whole_file.hpp>

#include <atomic>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <mutex>  // std::call_once
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <boost/test/unit_test.hpp>

#if defined(__GLIBC__)
#include <malloc.h>  // mallinfo2: the heap in use
#endif

#include "debian_library.hpp"
#include "loader_fixture.hpp"

#if VITTE_HAS_DYNAMIC_LIBRARIES
#include <dlfcn.h>  // dlvsym: a symbol of a given version, under dlopen
#endif
#if defined(__arm__)
#include <sys/auxv.h>  // getauxval: what IFUNC resolvers receive
#endif
#include <sys/wait.h>  // waitpid: a child's exit, finalizers included
#include <unistd.h>    // fork, pipe

namespace ln = vitte::loader::elf_image;
namespace vl = vitte::loader;
using vitte::errc;
using namespace loader_test;

namespace {

std::string object_path(const std::string& name) {
  return sys::path_join(sys::path_join(sys::path_join(exe_dir(), "loader"), "image"), "lib" + name + ".so");
}
bool have_object(const std::string& name) { return sys::read_file(object_path(name)).has_value(); }

/// dlopen, image::load (a copy of the bytes), image::load_file (the file's pages).
enum class way { os, image, image_file };
const char* to_string(way w) {
  return w == way::os ? "dlopen" : w == way::image ? "image from bytes" : "image from its file";
}

/// The ways this build loads objects: dlopen (dynamic builds) and images.
std::vector<way> ways() {
  std::vector<way> w;
  if (sys::dynamic_libraries_available) w.push_back(way::os);
  if (ln::images_supported()) w.push_back(way::image), w.push_back(way::image_file);
  return w;
}

/// An object opened one way or the other.
struct opened {
  way how = way::image;
  std::optional<sys::library> lib;
  ln::image img;
  std::string path;

  void* sym(const char* name) const {
    if (how != way::os) return img.symbol(name);
    auto p = lib->symbol(name);
    return p ? *p : nullptr;
  }
  void* sym(const char* name, const char* version) const {
    if (how != way::os) return img.symbol(name, version);
#if VITTE_HAS_DYNAMIC_LIBRARIES
    void* h = dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD);  // the library opened above, counted once more
    void* p = h != nullptr ? dlvsym(h, name, version) : nullptr;
    if (h != nullptr) dlclose(h);
    return p;
#else
    (void)name, (void)version;
    return nullptr;
#endif
  }
  template <class F>
  F* fn(const char* name) const {
    void* p = sym(name);
    BOOST_REQUIRE_MESSAGE(p != nullptr, std::string(name) + " not found (" + to_string(how) + ")");
    return reinterpret_cast<F*>(reinterpret_cast<std::uintptr_t>(p));
  }
  void close() {
    if (how != way::os) img.close();
    if (lib) (void)lib->close();
  }
};

void* from_image(void* context, vitte::text_view name, vitte::text_view version) noexcept {
  return static_cast<const ln::image*>(context)->symbol(name, version);
}

/// Opens the object at `path` `how`; as an image, its lookup asks
/// `provider` (another image), or `lookup` when given.
opened open_path(way how, const std::string& path, const ln::image* provider = nullptr,
                 ln::symbol_lookup lookup = nullptr, void* lookup_context = nullptr) {
  opened o;
  o.how = how;
  o.path = path;
  if (how == way::os) {
    vitte::diagnostic d;
    auto l = sys::library::open(path, sys::library_flags::now, &d);
    BOOST_REQUIRE_MESSAGE(l.has_value(), "dlopen " + path + ": " + d.format().c_str());
    o.lib.emplace(static_cast<sys::library&&>(*l));
    return o;
  }
  ln::image_options opt;
  opt.name = path;
  if (provider != nullptr) opt.lookup = from_image, opt.lookup_context = const_cast<ln::image*>(provider);
  if (lookup != nullptr) opt.lookup = lookup, opt.lookup_context = lookup_context;
  vitte::diagnostic why;
  vitte::diagnostic_list diag;
  vitte::result<ln::image> img = vitte::error{errc::bad_descriptor, vl::ops::module_load};
  if (how == way::image_file) {
    auto f = sys::file::open(path, sys::open_mode::read);
    BOOST_REQUIRE_MESSAGE(f.has_value(), "open " + path);
    img = ln::image::load_file(*f, opt, &why, &diag);
  } else {
    auto bytes = sys::read_file(path);
    BOOST_REQUIRE_MESSAGE(bytes.has_value(), "read " + path);
    img = ln::image::load(std::span<const std::byte>(bytes->data(), bytes->size()), opt, &why, &diag);
  }
  BOOST_REQUIRE_MESSAGE(img.has_value(), "image " + path + ": " + why.format().c_str() + "\n" + diag.joined().c_str());
  o.img = static_cast<ln::image&&>(*img);
  return o;
}
/// open_path() of test object `name` (tests/loader/image/).
opened open_object(way how, const std::string& name, const ln::image* provider = nullptr,
                   ln::symbol_lookup lookup = nullptr, void* lookup_context = nullptr) {
  return open_path(how, object_path(name), provider, lookup, lookup_context);
}

/// The host frames of probe_catch_through_host: a call back into the image
/// (probe_cleanup_through), which calls host_throw.
void (*through)(void (*)(), int*) = nullptr;
void host_throw() { throw 42; }
void host_frame(int* cleanups) {
  through(&host_throw, cleanups);
  asm volatile("");  // a frame of its own at every -O: not a tail call
}

int destroyed_with = 0;
void record_destroy(int v) { destroyed_with = v; }
int host_double(int x) { return 2 * x; }

/// The whole behaviour of a probe object, the same under either way.
void check_probe(way how, const std::string& name) {
  BOOST_TEST_CONTEXT(name << " (" << to_string(how) << ")") {
    opened o = open_object(how, name);
    BOOST_TEST(o.fn<int()>("probe_constructed")() == 42);
    // Thread-local storage: initialised 5, zero; each thread its own.
    auto bump = o.fn<int()>("probe_tls_bump");
    BOOST_TEST(bump() == 6 + 10);
    BOOST_TEST(bump() == 7 + 20);
    int in_thread = 0;
    auto t = sys::thread::spawn([&] { in_thread = bump(); });
    BOOST_REQUIRE(t.has_value());
    BOOST_REQUIRE(t->join().has_value());
    BOOST_TEST(in_thread == 6 + 10);
    BOOST_TEST(bump() == 8 + 30);
    // std::string and static data made by constructors.
    char buf[64];
    BOOST_TEST(o.fn<std::size_t(char*, std::size_t)>("probe_greeting")(buf, sizeof buf) == 23u);
    BOOST_TEST(std::string(buf) == "hello from an image, 42");
    // Exceptions.
    BOOST_TEST(o.fn<int(int)>("probe_catch_inside")(3) == 3 + 6);
    std::string caught;
    try {
      o.fn<void(const char*)>("probe_throw_out")("thrown out");
    } catch (const std::invalid_argument& e) {
      caught = e.what();
    }
    BOOST_TEST(caught == "thrown out");
    // The host throws through the image's cleanup and a host frame; the image catches.
    through = o.fn<void(void (*)(), int*)>("probe_cleanup_through");
    int cleanups = 0;
    BOOST_TEST(o.fn<int(void (*)(int*), int*)>("probe_catch_through_host")(&host_frame, &cleanups) == 42);
    BOOST_TEST(cleanups == 1);
    // IFUNC, symbol versions, callbacks, .bss, the C library.
    BOOST_TEST(o.fn<int()>("probe_ifunc")() == 1111);
    BOOST_TEST(o.fn<int()>("probe_versioned")() == 2);
    void* v1 = o.sym("probe_versioned", "VERS_1");
    BOOST_REQUIRE(v1 != nullptr);
    BOOST_TEST(reinterpret_cast<int (*)()>(reinterpret_cast<std::uintptr_t>(v1))() == 1);
    BOOST_TEST(o.fn<int(int (*)(int), int)>("probe_call_host")(&host_double, 20) == 41);
    BOOST_TEST(o.fn<int()>("probe_bss")() == 3);
    BOOST_TEST(o.fn<int(int)>("probe_libc")(1000) > 0);
    // Static destructors run when it goes.
    o.fn<void(void (*)(int))>("probe_on_destroy")(&record_destroy);
    destroyed_with = 0;
    o.close();
    if (how != way::os) BOOST_TEST(destroyed_with == 42);  // dlclose may keep it (it holds TLS)
  }
}

// --- A few ELF fields, to break a copy of an object on purpose -------------

using word = std::conditional_t<sizeof(void*) == 8, std::uint64_t, std::uint32_t>;
constexpr bool is64 = sizeof(void*) == 8;

template <class T>
T get(const std::vector<std::byte>& b, std::size_t off) {
  T v;
  std::memcpy(&v, b.data() + off, sizeof v);
  return v;
}
template <class T>
void set(std::vector<std::byte>& b, std::size_t off, T v) {
  std::memcpy(b.data() + off, &v, sizeof v);
}

struct elf_map {
  std::size_t phoff = 0, phnum = 0;
  struct ph {
    std::size_t at;
    std::uint32_t type, flags;
    word offset, vaddr, filesz, memsz;
  };
  std::vector<ph> phs;
  std::vector<std::pair<std::int64_t, std::size_t>> dyn;  // tag, file offset of the entry

  explicit elf_map(const std::vector<std::byte>& b) {
    phoff = is64 ? get<std::uint64_t>(b, 32) : get<std::uint32_t>(b, 28);
    phnum = get<std::uint16_t>(b, is64 ? 56 : 44);
    for (std::size_t i = 0; i < phnum; ++i) {
      std::size_t h = phoff + i * (is64 ? 56 : 32);
      ph p{h, get<std::uint32_t>(b, h), 0, 0, 0, 0, 0};
      if (is64) {
        p.flags = get<std::uint32_t>(b, h + 4), p.offset = get<word>(b, h + 8), p.vaddr = get<word>(b, h + 16);
        p.filesz = get<word>(b, h + 32), p.memsz = get<word>(b, h + 40);
      } else {
        p.offset = get<word>(b, h + 4), p.vaddr = get<word>(b, h + 8), p.filesz = get<word>(b, h + 16);
        p.memsz = get<word>(b, h + 20), p.flags = get<std::uint32_t>(b, h + 24);
      }
      phs.push_back(p);
    }
    for (const ph& p : phs)
      if (p.type == 2)
        for (std::size_t o = p.offset; o + 2 * sizeof(word) <= p.offset + p.filesz; o += 2 * sizeof(word))
          dyn.push_back({static_cast<std::int64_t>(static_cast<std::make_signed_t<word>>(get<word>(b, o))), o});
  }
  const ph* find(std::uint32_t type, std::uint32_t nth = 0) const {
    for (const ph& p : phs)
      if (p.type == type && nth-- == 0) return &p;
    return nullptr;
  }
  std::size_t file_of(word va) const {
    for (const ph& p : phs)
      if (p.type == 1 && va >= p.vaddr && va < p.vaddr + p.filesz) return p.offset + (va - p.vaddr);
    return 0;
  }
  /// The value of dynamic tag `tag`, as a file offset when it is an address.
  std::optional<word> value(const std::vector<std::byte>& b, std::int64_t tag) const {
    for (auto [t, o] : dyn)
      if (t == tag) return get<word>(b, o + sizeof(word));
    return std::nullopt;
  }
  std::size_t entry(std::int64_t tag) const {
    for (auto [t, o] : dyn)
      if (t == tag) return o;
    return 0;
  }
};

/// Loads `bytes` as an image and expects a refusal whose reason contains `what`.
void expect_refused(const std::vector<std::byte>& bytes, const std::string& what, const std::string& label,
                    ln::image_options opt = {}) {
  BOOST_TEST_CONTEXT(label) {
    vitte::diagnostic why;
    vitte::diagnostic_list diag;
    opt.run_init = false;
    auto img = ln::image::load(std::span<const std::byte>(bytes.data(), bytes.size()), opt, &why, &diag);
    BOOST_TEST(!img.has_value());
    std::string text = std::string(why.format().c_str()) + " | " + diag.joined().c_str();
    if (!img) BOOST_TEST((why.kind() == img.error().kind()));  // the loader names the kind itself
    BOOST_TEST(text.find(what) != std::string::npos, "reason: " << text);
  }
}

std::vector<std::byte> read_object(const std::string& name) {
  auto b = sys::read_file(object_path(name));
  BOOST_REQUIRE(b.has_value());
  return std::vector<std::byte>(b->data(), b->data() + b->size());
}

/// Bytes the C library's allocator has handed out and not had back (0
/// where it cannot say).
std::size_t heap_in_use() {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
  struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
#else
  return 0;
#endif
}

/// The process's mappings (/proc/self/maps): [start, end) of each.
std::vector<std::pair<std::uintptr_t, std::uintptr_t>> mappings() {
  std::ifstream maps("/proc/self/maps");
  std::vector<std::pair<std::uintptr_t, std::uintptr_t>> out;
  for (std::string line; std::getline(maps, line);) {
    std::size_t dash = line.find('-');
    out.emplace_back(std::stoull(line.substr(0, dash), nullptr, 16),
                     std::stoull(line.substr(dash + 1, line.find(' ') - dash - 1), nullptr, 16));
  }
  return out;
}
std::size_t mapping_count() { return mappings().size(); }
/// The process's address space: the bytes of its mappings.
std::size_t mapped_bytes() {
  std::size_t n = 0;
  for (auto [start, end] : mappings()) n += end - start;
  return n;
}
/// True when any mapping of the process overlaps [lo, hi).
bool overlaps_a_mapping(std::uintptr_t lo, std::uintptr_t hi) {
  for (auto [start, end] : mappings())
    if (start < hi && lo < end) return true;
  return false;
}

/// glibc 2.36 refuses packed relative relocations unless the object
/// depends on GLIBC_ABI_DT_RELR, which older linkers do not record.
bool glibc_refuses_relr() {
  vitte::diagnostic d;
  auto l = sys::library::open(object_path("image_probe_relr"), sys::library_flags::now, &d);
  return !l && std::string(d.format().c_str()).find("GLIBC_ABI_DT_RELR") != std::string::npos;
}

bool skip_without_images() {
  if (ln::images_supported()) return false;
  BOOST_TEST_MESSAGE(
      "skipped: this host cannot load in-memory ELF images (not an ELF Linux host of x86_64, "
      "AArch64 or 32-bit Arm)");
  return true;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(image)

BOOST_AUTO_TEST_CASE(each_build_of_an_object_behaves_as_under_dlopen) {
  if (skip_without_images()) return;
  for (way how : ways()) {
    check_probe(how, "image_probe");
    check_probe(how, "image_probe_now");
    if (have_object("image_probe_relr") && how == way::os && glibc_refuses_relr())
      BOOST_TEST_MESSAGE(
          "image_probe_relr not checked under dlopen: this glibc refuses DT_RELR without a "
          "GLIBC_ABI_DT_RELR dependency, which lld before 15 does not add (images load it)");
    else if (have_object("image_probe_relr"))
      check_probe(how, "image_probe_relr");
    else
      BOOST_TEST_MESSAGE("image_probe_relr not built: ld.lld is not installed");
    if (have_object("image_probe_own_runtime"))
      check_probe(how, "image_probe_own_runtime");
    else
      BOOST_TEST_MESSAGE("image_probe_own_runtime not built: sanitizer builds link the shared C++ runtime only");
  }
}

BOOST_AUTO_TEST_CASE(a_thread_started_before_the_load_gets_its_own_tls) {
  if (skip_without_images()) return;
  // Read before the thread starts: a missing object fails the test here
  // rather than leaving the thread waiting and the test joining it forever.
  const std::vector<std::byte> b = read_object("image_probe");
  sys::binary_semaphore go(0);
  int seen = 0;
  int (*bump)() = nullptr;
  auto t = sys::thread::spawn([&] {
    go.acquire();
    if (bump != nullptr) seen = bump();
  });
  BOOST_REQUIRE(t.has_value());
  // Nothing here may leave the test before the thread is released.
  auto img = ln::image::load(std::span<const std::byte>(b.data(), b.size()), {});
  if (img) bump = img->find<int()>("probe_tls_bump");
  int mine = bump != nullptr ? bump() : 0;
  go.release();
  BOOST_REQUIRE(t->join().has_value());
  BOOST_REQUIRE(img.has_value());
  BOOST_TEST(mine == 16);
  BOOST_TEST(seen == 16);
}

std::atomic<int> thread_exit_value{0};
void record_thread_exit(int v) { thread_exit_value = v; }

BOOST_AUTO_TEST_CASE(thread_local_destructors_run_after_close) {
  if (skip_without_images()) return;
  for (way how : ways()) {
    BOOST_TEST_CONTEXT(to_string(how)) {
      sys::counting_semaphore<> start(0), made(0), finish(0);
      void (*touch)(void (*)(int), int) = nullptr;
      auto t = sys::thread::spawn([&] {
        start.acquire();
        if (touch != nullptr) touch(&record_thread_exit, 7);  // a thread_local of the image, with a destructor
        made.release();
        finish.acquire();
      });  // the destructor runs as the thread exits, after the close below
      BOOST_REQUIRE(t.has_value());
      struct unblock {  // a failed check below must not leave the thread waiting
        sys::counting_semaphore<>& a;
        sys::counting_semaphore<>& b;
        ~unblock() {
          a.release();
          b.release();
        }
      } guard{start, finish};
      thread_exit_value = 0;
      {
        opened o = open_object(how, "image_probe");
        touch = o.fn<void(void (*)(int), int)>("probe_thread_local");
        start.release();
        made.acquire();
        o.close();
      }
      finish.release();
      BOOST_REQUIRE(t->join().has_value());
      BOOST_TEST(thread_exit_value.load() == 7);
    }
  }
}

BOOST_AUTO_TEST_CASE(an_object_uses_anothers_exports) {
  if (skip_without_images()) return;
  for (way how : ways()) {
    BOOST_TEST_CONTEXT(to_string(how)) {
      opened probe = open_object(how, "image_probe");
      opened user = open_object(how, "image_user", how != way::os ? &probe.img : nullptr);
      BOOST_TEST(user.fn<int()>("user_value")() == 21 * 2 + 2);  // probe_versioned@VERS_2
      user.close();
      probe.close();
    }
  }
}

BOOST_AUTO_TEST_CASE(every_unbound_symbol_is_listed_in_one_error) {
  if (skip_without_images()) return;
  std::vector<std::byte> b = read_object("image_user");
  ln::image_options opt;
  opt.process_symbols = false;
  opt.name = "libimage_user.so";
  vitte::diagnostic why;
  vitte::diagnostic_list diag;
  auto img = ln::image::load(std::span<const std::byte>(b.data(), b.size()), opt, &why, &diag);
  BOOST_REQUIRE(!img.has_value());
  BOOST_TEST(img.error() == errc::not_found);
  BOOST_TEST(img.error().op() == vl::ops::module_link);
  // An entry each (user.cpp has these two), about the image, in one error;
  // a sanitizer's build adds its runtime's entry points, nothing else.
  BOOST_TEST(diag.contains("libimage_user.so: undefined symbol: probe_value"));
  BOOST_TEST(diag.contains("libimage_user.so: undefined symbol: probe_versioned@VERS_2"));
  std::size_t probes = 0;
  for (const vitte::diagnostic& d : diag.items()) {
    BOOST_TEST((d.kind() == errc::not_found));
    BOOST_TEST(d.subject() == "libimage_user.so");
    const std::string m(d.message());
    BOOST_TEST(m.rfind("undefined symbol: ", 0) == 0u, m);
    if (m.find("probe_") != std::string::npos) {
      ++probes;
      continue;
    }
    // A sanitizer's entry points, and the unwinder its instrumentation's
    // cleanups call.
    const bool runtime = m.find("__asan") != std::string::npos || m.find("__tsan") != std::string::npos ||
                         m.find("__ubsan") != std::string::npos || m.find("__sanitizer") != std::string::npos ||
                         m.find("__gxx_personality") != std::string::npos || m.find("_Unwind_") != std::string::npos;
    BOOST_TEST(runtime, "an unbound symbol that is neither the test's nor a sanitizer's: " << m);
  }
  BOOST_TEST(probes == 2u);
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  BOOST_TEST(diag.size() == 2u);
#endif
  // The error itself names them: a host that prints only `why` sees them.
  BOOST_TEST(std::string(why.message()).find("undefined symbols: ") == 0u, why.format().c_str());
  BOOST_TEST(std::string(why.message()).find("probe_value") != std::string::npos, why.format().c_str());
  BOOST_TEST(why.subject() == "libimage_user.so");
  BOOST_TEST((why.kind() == errc::not_found));
  vitte::diagnostic copy = why;  // a copy keeps its own text
  why.say("overwritten");
  BOOST_TEST(std::string(copy.message()).find("probe_value") != std::string::npos, copy.format().c_str());
}

BOOST_AUTO_TEST_CASE(init_runs_when_asked) {
  if (skip_without_images()) return;
  std::vector<std::byte> b = read_object("image_probe");
  ln::image_options opt;
  opt.run_init = false;
  auto img = ln::image::load(std::span<const std::byte>(b.data(), b.size()), opt);
  BOOST_REQUIRE(img.has_value());
  auto constructed = img->find<int()>("probe_constructed");
  BOOST_REQUIRE(constructed != nullptr);
  BOOST_TEST(constructed() == 0);
  BOOST_TEST(img->run_init().has_value());
  BOOST_TEST(constructed() == 42);
  BOOST_TEST(img->find<int()>("no_such_symbol") == nullptr);
  BOOST_TEST(img->stats().relative > 0u);
  BOOST_TEST(img->size() >= std::size_t{64} << 20);
}

BOOST_AUTO_TEST_CASE(debuggers_see_the_image_and_its_function_names) {
  if (skip_without_images()) return;
  const std::vector<std::byte> b = read_object("image_probe");
  auto img = ln::image::load(std::span<const std::byte>(b.data(), b.size()), {});
  BOOST_REQUIRE(img.has_value());
  // GDB's JIT interface: the newest entry is this image's symbol file.
  const vitte_jit_code_entry* e = __jit_debug_descriptor.first_entry;
  BOOST_REQUIRE(e != nullptr);
  BOOST_TEST(__jit_debug_descriptor.action_flag == 1u);
  std::span<const std::byte> file(reinterpret_cast<const std::byte*>(e->symfile_addr), e->symfile_size);
  auto r = vl::elf::reader::parse(file);
  BOOST_REQUIRE(r.has_value());
  auto text = r->find_section(".text");
  BOOST_REQUIRE(text.has_value());
  BOOST_TEST(text->address == reinterpret_cast<std::uintptr_t>(img->base()));
  auto symtab = r->find_section(".symtab");
  auto strtab = r->find_section(".strtab");
  BOOST_REQUIRE((symtab.has_value() && strtab.has_value()));
  std::span<const std::byte> syms = r->section_data(*symtab), strs = r->section_data(*strtab);
  const std::size_t ent = is64 ? 24 : 16;
  std::uintptr_t found = 0;
  for (std::size_t o = 0; o + ent <= syms.size(); o += ent) {
    std::uint32_t name;
    std::memcpy(&name, syms.data() + o, 4);
    word value;
    std::memcpy(&value, syms.data() + o + (is64 ? 8 : 4), sizeof value);
    if (name < strs.size() && std::string(reinterpret_cast<const char*>(strs.data()) + name) == "probe_value")
      found = value;
  }
  BOOST_TEST(found == reinterpret_cast<std::uintptr_t>(img->symbol("probe_value")));
  img->close();
  BOOST_TEST(__jit_debug_descriptor.action_flag == 2u);  // unregistered
}

BOOST_AUTO_TEST_CASE(hostile_objects_are_refused_with_their_reason) {
  if (skip_without_images()) return;
  const std::vector<std::byte> good = read_object("image_probe_now");
  const elf_map m(good);
  auto with = [&](auto change) {
    std::vector<std::byte> b = good;
    change(b);
    return b;
  };
  expect_refused(with([](auto& b) { b[0] = std::byte{0}; }), "not an ELF file", "magic");
  expect_refused(with([](auto& b) { b[4] = std::byte{is64 ? 1 : 2}; }), "ELF class", "class");
  expect_refused(with([](auto& b) { b[5] = std::byte{2}; }), "big-endian", "byte order");
  expect_refused(with([](auto& b) { set<std::uint16_t>(b, 18, 0x1234); }), "ELF machine", "machine");
#if defined(__riscv)
  // Another float ABI (double-float <-> soft-float), or the E base ISA, in e_flags.
  expect_refused(with([](auto& b) { set<std::uint32_t>(b, 48, get<std::uint32_t>(b, 48) ^ 0x4); }),
                 "another float ABI than this host's", "float ABI");
  expect_refused(with([](auto& b) { set<std::uint32_t>(b, 48, get<std::uint32_t>(b, 48) | 0x8); }),
                 "another base ISA (RVE)", "RVE");
#endif
  expect_refused(with([](auto& b) { set<std::uint16_t>(b, 16, 2); }), "not a shared object", "ET_EXEC");
  expect_refused(with([](auto& b) { set<word>(b, is64 ? 32 : 28, static_cast<word>(b.size() - 8)); }),
                 "program header table outside the file", "phoff");
  expect_refused(good.begin() + 40 <= good.end() ? std::vector<std::byte>(good.begin(), good.begin() + 40) : good,
                 "cut short", "header cut");
  const auto* text = m.find(1, 1);
  BOOST_REQUIRE(text != nullptr);
  expect_refused(with([&](auto& b) { set<word>(b, text->at + (is64 ? 8 : 4), static_cast<word>(b.size())); }),
                 "segment outside the file", "segment offset");
  expect_refused(with([&](auto& b) { set<std::uint32_t>(b, text->at + (is64 ? 4 : 24), 7); }),
                 "writable and executable", "W+X segment");
  expect_refused(with([&](auto& b) { set<word>(b, text->at + (is64 ? 16 : 8), 0); }), "overlap", "overlapping");
  {
    ln::image_options small;
    small.max_size = 1 << 20;  // the 64 MiB .bss is over it
    expect_refused(good, "max_size", "max_size", small);
  }
  const auto* stack = m.find(0x6474e551);
  if (stack != nullptr)
    expect_refused(with([&](auto& b) { set<std::uint32_t>(b, stack->at + (is64 ? 4 : 24), 7); }), "executable stack",
                   "GNU_STACK");
  const auto* dyn = m.find(2);
  BOOST_REQUIRE(dyn != nullptr);
  expect_refused(with([&](auto& b) { set<word>(b, dyn->at + (is64 ? 32 : 16), 2 * sizeof(word)); }), "no DT_NULL",
                 "unterminated dynamic section");
  std::size_t flags_at = m.entry(30);  // DT_FLAGS (-z now sets BIND_NOW)
  if (flags_at != 0) {
    expect_refused(with([&](auto& b) { set<word>(b, flags_at + sizeof(word), 4); }), "DF_TEXTREL", "DF_TEXTREL");
    expect_refused(with([&](auto& b) { set<word>(b, flags_at, 22); }), "DT_TEXTREL", "DT_TEXTREL");
  }
  // Relocations: the first of DT_RELA (DT_REL on 32-bit Arm).
  const bool rela = m.value(good, 7).has_value();
  const std::size_t rel_at = m.file_of(*m.value(good, rela ? 7 : 17));
  const std::size_t info = rel_at + sizeof(word);
  BOOST_REQUIRE(rel_at != 0);
  auto with_type = [&](std::uint32_t type) {
    return with([&](auto& b) {
      word i = get<word>(b, info);
      i = is64 ? static_cast<word>((i & ~word{0xffffffff}) | type) : static_cast<word>((i & ~word{0xff}) | type);
      set<word>(b, info, i);
    });
  };
  expect_refused(with_type(250), "unknown relocation type 250", "unknown type");
#if defined(__x86_64__)
  constexpr std::uint32_t copy_type = 5;
#elif defined(__aarch64__)
  constexpr std::uint32_t copy_type = 1024;
#elif defined(__riscv)
  constexpr std::uint32_t copy_type = 4;
#else
  constexpr std::uint32_t copy_type = 20;
#endif
  expect_refused(with_type(copy_type), "COPY", "COPY");
  expect_refused(with([&](auto& b) { set<word>(b, rel_at, static_cast<word>(word{1} << (is64 ? 40 : 31))); }),
                 "relocation outside the image", "target");
  expect_refused(with([&](auto& b) { set<word>(b, rel_at, 0); }), "text relocation", "text relocation");
  expect_refused(with([&](auto& b) {
                   constexpr unsigned sym_shift = is64 ? 32 : 8;  // r_info: the symbol index above the type
                   word i = get<word>(b, info);
                   i = static_cast<word>((i & ((word{1} << sym_shift) - 1)) | (word{0xffffff} << sym_shift));
                   set<word>(b, info, i);
                 }),
                 "symbol index out of range", "symbol index");
  // Symbols and strings.
  const std::size_t symtab = m.file_of(*m.value(good, 6));
  expect_refused(with([&](auto& b) { set<std::uint32_t>(b, symtab + (is64 ? 24 : 16), 0x7fffffff); }),
                 "symbol name outside the string table", "st_name");
  const std::size_t strsz_at = m.entry(10);
  expect_refused(with([&](auto& b) { set<word>(b, strsz_at + sizeof(word), static_cast<word>(b.size() * 4)); }),
                 "string table", "DT_STRSZ");
  // GNU hash: a chain without its end bit runs past the table.
  const std::size_t gnu = m.file_of(*m.value(good, 0x6ffffef5));
  {
    std::vector<std::byte> b = good;
    std::uint32_t nbucket = get<std::uint32_t>(b, gnu), bloom = get<std::uint32_t>(b, gnu + 8);
    std::size_t chain = gnu + 16 + bloom * sizeof(word) + 4 * nbucket;
    const std::size_t symbols = m.file_of(*m.value(good, 6));  // .dynsym follows .gnu.hash
    BOOST_REQUIRE(symbols > chain);
    for (std::size_t o = chain; o + 4 <= symbols; o += 4) set<std::uint32_t>(b, o, get<std::uint32_t>(b, o) & ~1u);
    expect_refused(b, "DT_GNU_HASH", "unterminated GNU hash chain");
  }
  // A refusal never leaves a reservation behind: no image counted as mapped,
  // and no mapping of the process more (the sanitizers map memory of their
  // own as the program runs: there the loader's count stands for it).
  const std::size_t before = mapping_count(), images = ln::detail::image_counters::get().mapped.load();
  for (int i = 0; i < 50; ++i) expect_refused(with_type(250), "unknown relocation type", "again");
  BOOST_TEST(ln::detail::image_counters::get().mapped.load() == images);
  if (!under_mapping_sanitizer) BOOST_TEST(mapping_count() == before);
}

// --- IFUNC -------------------------------------------------------------------

/// The objects of ifunc.cpp this build made.
std::vector<std::string> ifunc_objects() {
  std::vector<std::string> names;
  for (const char* n : {"image_ifunc", "image_ifunc_now", "image_ifunc_got", "image_ifunc_lld"})
    if (have_object(n)) names.push_back(n);
  return names;
}

BOOST_AUTO_TEST_CASE(ifunc_objects_give_the_resolved_results_as_under_dlopen) {
  if (skip_without_images()) return;
  std::vector<std::string> names = ifunc_objects();
  BOOST_REQUIRE(names.size() >= 3u);
  for (const std::string& name : names)
    for (way how : ways()) {
      BOOST_TEST_CONTEXT(name << " (" << to_string(how) << ")") {
        opened o = open_object(how, name);
        BOOST_TEST(o.fn<int()>("ifunc_call_all")() == 2424);  // PLT or GOT, data pointers
        BOOST_TEST(o.fn<int()>("ifunc_at_init")() == 24);     // from a constructor
        BOOST_TEST(o.fn<int()>("ifunc_exported")() == 2);     // symbol(): the resolver's choice
        BOOST_TEST(o.fn<int()>("ifunc_resolutions")() >= 2);
#if defined(__arm__) && VITTE_HAS_DYNAMIC_LIBRARIES
        BOOST_TEST(o.fn<unsigned long()>("ifunc_seen_hwcap")() == getauxval(AT_HWCAP));
#endif
        o.close();
      }
    }
}

// --- Hostile entry points, segments and versions ------------------------------

int code_ran = 0;
extern "C" void note_code_ran() { ++code_ran; }
void* offer_note(void*, vitte::text_view name, vitte::text_view) noexcept {
  return name == "ifunc_host_ran" ? reinterpret_cast<void*>(&note_code_ran) : nullptr;
}

/// Loads `bytes` with init and IFUNCs on and expects a refusal whose reason
/// contains `what`, before any of the image's code ran and with no mapping left.
void expect_refused_before_code(const std::vector<std::byte>& bytes, const std::string& what,
                                const std::string& label) {
  BOOST_TEST_CONTEXT(label) {
    ln::image_options opt;
    opt.lookup = offer_note;
    vitte::diagnostic why;
    code_ran = 0;
    std::size_t before = mapping_count();
    auto& counters = ln::detail::image_counters::get();
    const std::size_t images = counters.mapped.load(), calls = counters.code_calls.load();
    auto img = ln::image::load(std::span<const std::byte>(bytes.data(), bytes.size()), opt, &why);
    BOOST_TEST(!img.has_value());
    BOOST_TEST(std::string(why.message()).find(what) != std::string::npos, "reason: " << why.format().c_str());
    if (!img) BOOST_TEST((why.kind() == img.error().kind()));
    BOOST_TEST(code_ran == 0);
    BOOST_TEST(counters.code_calls.load() == calls);
    BOOST_TEST(counters.mapped.load() == images);
    if (!under_mapping_sanitizer) BOOST_TEST(mapping_count() == before);
  }
}

/// The dynamic symbol named `name`: the file offset of its entry.
std::size_t dynsym_entry(const std::vector<std::byte>& b, const elf_map& m, const std::string& name) {
  const std::size_t symtab = m.file_of(*m.value(b, 6)), strtab = m.file_of(*m.value(b, 5));
  const std::size_t ent = is64 ? 24 : 16;
  for (std::size_t o = symtab + ent; o + ent <= b.size() && o < strtab; o += ent)
    if (std::strcmp(reinterpret_cast<const char*>(b.data()) + strtab + get<std::uint32_t>(b, o), name.c_str()) == 0)
      return o;
  return 0;
}

/// The file offset of a dynamic relocation of `type` (DT_RELA, DT_REL or
/// DT_JMPREL tables); 0 for none.
std::size_t relocation_of_type(const std::vector<std::byte>& b, const elf_map& m, std::uint32_t type) {
  const std::size_t ent = is64 ? 24 : 8;
  for (auto [table, size] : {std::pair{7, 8}, std::pair{17, 18}, std::pair{23, 2}}) {
    auto t = m.value(b, table), n = m.value(b, size);
    if (!t || !n) continue;
    for (std::size_t o = m.file_of(*t); o + ent <= m.file_of(*t) + *n; o += ent) {
      const word info = get<word>(b, o + sizeof(word));
      if ((is64 ? static_cast<std::uint32_t>(info) : static_cast<std::uint32_t>(info & 0xff)) == type) return o;
    }
  }
  return 0;
}

BOOST_AUTO_TEST_CASE(hostile_entries_segments_and_versions_are_refused_before_any_code_runs) {
  if (skip_without_images()) return;
  const std::vector<std::byte> good = read_object("image_ifunc_now");
  const elf_map m(good);
  {  // The object itself loads, and its code runs (the counter works).
    ln::image_options opt;
    opt.lookup = offer_note;
    code_ran = 0;
    auto img = ln::image::load(std::span<const std::byte>(good.data(), good.size()), opt);
    BOOST_REQUIRE(img.has_value());
    BOOST_TEST(code_ran >= 3);
    BOOST_TEST(img->find<int()>("ifunc_call_all")() == 2424);
  }
  auto with = [&](auto change) {
    std::vector<std::byte> b = good;
    change(b);
    return b;
  };
  const auto* dyn = m.find(2);
  BOOST_REQUIRE(dyn != nullptr);
  const word dynamic_va = dyn->vaddr;  // data: its first word is a tag
  // DT_INIT_ARRAY and DT_FINI_ARRAY over the dynamic section's words.
  for (auto [array, size, label] : {std::tuple{25, 27, "DT_INIT_ARRAY"}, std::tuple{26, 28, "DT_FINI_ARRAY"}}) {
    std::size_t a = m.entry(array), n = m.entry(size);
    BOOST_REQUIRE_MESSAGE(a != 0 && n != 0, label << " not in the object");
    expect_refused_before_code(with([&](auto& b) {
                                 set<word>(b, a + sizeof(word), dynamic_va);
                                 set<word>(b, n + sizeof(word), 2 * sizeof(word));
                               }),
                               std::string(label) + " entry outside the executable segments: entry 0 is 0x", label);
  }
  // DT_INIT and DT_FINI at a data address (an entry made where DT_DEBUG,
  // the first DT_NEEDED or DT_RELACOUNT, a hint, stood when the object has
  // none: riscv64's links of ifunc.cpp need no library).
  for (auto [tag_value, label] : {std::pair{12, "DT_INIT"}, std::pair{13, "DT_FINI"}}) {
    const int tag = tag_value;  // a copy: Clang 14 lambdas cannot capture a structured binding
    std::size_t at = m.entry(tag);
    for (int spare : {21, 1, 0x6ffffff9})
      if (at == 0) at = m.entry(spare);
    BOOST_REQUIRE(at != 0);
    expect_refused_before_code(with([&](auto& b) {
                                 set<word>(b, at, static_cast<word>(tag));
                                 set<word>(b, at + sizeof(word), dynamic_va);
                               }),
                               std::string(label) + " outside the executable segments", label);
  }
  // A PT_LOAD whose offset and address disagree within a page.
  const auto* text = m.find(1, 1);
  BOOST_REQUIRE(text != nullptr);
  expect_refused_before_code(
      with([&](auto& b) { set<word>(b, text->at + (is64 ? 8 : 4), static_cast<word>(text->offset + 16)); }),
      "p_offset and p_vaddr disagree", "PT_LOAD offset");
  // A symbol version index past the versions the object has.
  {
    std::vector<std::byte> b = read_object("image_probe_now");  // versioned: VERS_1, VERS_2 and GLIBC's
    const elf_map pm(b);
    auto versym = pm.value(b, 0x6ffffff0);
    BOOST_REQUIRE(versym.has_value());
    set<std::uint16_t>(b, pm.file_of(*versym) + 2, 0x7ff0);
    expect_refused_before_code(b, "symbol version index beyond", "DT_VERSYM");
  }
  // An IFUNC symbol whose resolver is data.
  std::size_t sym = dynsym_entry(good, m, "ifunc_exported");
  BOOST_REQUIRE(sym != 0);
  expect_refused_before_code(with([&](auto& b) { set<word>(b, sym + (is64 ? 8 : 4), dynamic_va); }),
                             "IFUNC resolver outside the executable segments", "IFUNC symbol");
  // An IRELATIVE whose resolver is data.
#if defined(__x86_64__)
  constexpr std::uint32_t irelative = 37;
#elif defined(__aarch64__)
  constexpr std::uint32_t irelative = 1032;
#elif defined(__riscv)
  constexpr std::uint32_t irelative = 58;
#else
  constexpr std::uint32_t irelative = 160;
#endif
  const std::size_t irel = relocation_of_type(good, m, irelative);
  if (irel != 0) {
    expect_refused_before_code(with([&](auto& b) {
                                 if (is64)
                                   set<word>(b, irel + 2 * sizeof(word), dynamic_va);  // RELA's addend
                                 else
                                   set<word>(b, m.file_of(get<word>(b, irel)), dynamic_va);  // REL: the word in place
                               }),
                               "IRELATIVE resolver outside the executable segments", "IRELATIVE");
  } else {
    BOOST_TEST_MESSAGE("image_ifunc_now has no IRELATIVE relocation on this target: that case is not made");
  }
}

// --- TLS descriptors ------------------------------------------------------

BOOST_AUTO_TEST_CASE(tls_descriptors_behave_as_under_dlopen) {
  if (skip_without_images()) return;
  if (!have_object("image_tlsdesc")) {
    BOOST_TEST_MESSAGE("skipped: no TLS descriptor object for this architecture");
    return;
  }
  for (way how : ways()) {
    BOOST_TEST_CONTEXT(to_string(how)) {
      opened o = open_object(how, "image_tlsdesc");
      auto bump = o.fn<int()>("tlsdesc_bump");
      BOOST_TEST(bump() == 8 + 3);
      BOOST_TEST(bump() == 9 + 6);
      auto mix = o.fn<double(double, double, int)>("tlsdesc_mix");
      const double expected = mix(3.0, 2.0, 1000);
      int in_thread = 0;
      double mixed_in_thread = 0;
      auto address = o.fn<void*()>("tlsdesc_address");  // found here: Boost.Test checks stay on this thread
      void* here = address();
      void* there = nullptr;
      auto t = sys::thread::spawn([&] {
        in_thread = bump();
        mixed_in_thread = mix(3.0, 2.0, 1000);
        there = address();
      });
      BOOST_REQUIRE(t.has_value());
      BOOST_REQUIRE(t->join().has_value());
      BOOST_TEST(in_thread == 8 + 3);  // its own copy, initialised
      BOOST_TEST(mixed_in_thread == expected);
      BOOST_TEST(here != there);
      BOOST_TEST(bump() == 10 + 9);
      o.close();
    }
  }
}

// --- What ordinary objects import ------------------------------------------

BOOST_AUTO_TEST_CASE(fortified_calls_and_thrown_fundamental_types_bind) {
  if (skip_without_images()) return;
  for (way how : ways()) {
    BOOST_TEST_CONTEXT(to_string(how)) {
      opened o = open_object(how, "image_fortify");
      BOOST_TEST(o.fn<int(const char*, int)>("fortify_calls")("abc", 12) == 6);
      BOOST_TEST(o.fn<int(int)>("fortify_throw_int")(1) == 49);
      int caught = 0;
      try {
        o.fn<void(int)>("fortify_throw_out")(42);
      } catch (int v) {
        caught = v;
      }
      BOOST_TEST(caught == 42);
      std::string what;
      try {
        o.fn<void()>("fortify_throw_range")();
      } catch (const std::out_of_range& e) {
        what = e.what();
      }
      BOOST_TEST(what == "fortify range");
      o.close();
    }
  }
}

BOOST_AUTO_TEST_CASE(tls_relocations_against_other_symbols_are_refused) {
  if (skip_without_images()) return;
  if (!have_object("image_tlsdesc")) {
    BOOST_TEST_MESSAGE("skipped: no TLS descriptor object for this architecture");
    return;
  }
  const std::vector<std::byte> good = read_object("image_tlsdesc");
  const elf_map m(good);
#if defined(__x86_64__)
  constexpr std::uint32_t tlsdesc = 36;
#elif defined(__aarch64__)
  constexpr std::uint32_t tlsdesc = 1031;
#else
  constexpr std::uint32_t tlsdesc = 13;
#endif
  const std::size_t symtab = m.file_of(*m.value(good, 6)), function = dynsym_entry(good, m, "tlsdesc_bump");
  BOOST_REQUIRE(function != 0);
  const word function_index = static_cast<word>((function - symtab) / (is64 ? 24 : 16));
  const std::size_t at = relocation_of_type(good, m, tlsdesc);
  BOOST_REQUIRE(at != 0);
  std::vector<std::byte> b = good;
  const word type = tlsdesc;
  set<word>(b, at + sizeof(word), static_cast<word>((function_index << (is64 ? 32 : 8)) | type));
  expect_refused_before_code(b, "TLS relocation against a symbol that is not thread-local: tlsdesc_bump",
                             "TLSDESC against a function");
}

// --- Thread-locals of another module --------------------------------------

/// Where image_tls_user finds image_tls_owner's thread-locals.
enum class owner_as {
  os,         // dlopen: the user is dlopen'd too (the reference)
  image,      // an image, which the user's lookup asks (image::symbol)
  os_lookup,  // dlopen'd, and the user's lookup asks dlsym of its handle
  os_needed,  // dlopen'd, and the user finds it as its DT_NEEDED library
};
const char* to_string(owner_as o) {
  return o == owner_as::os          ? "both dlopen"
         : o == owner_as::image     ? "owner an image, found by lookup"
         : o == owner_as::os_lookup ? "owner dlopen'd, found by lookup"
                                    : "owner dlopen'd, found as DT_NEEDED";
}

void* from_library(void* context, vitte::text_view name, vitte::text_view) noexcept {
  auto p = static_cast<const sys::library*>(context)->symbol(std::string(name).c_str());
  return p ? *p : nullptr;
}

/// What a user of the owner's thread-locals sees, in one thread: each
/// value, and whether the user and the owner reach the same variable.
std::vector<long> tls_user_transcript(const opened& owner, const opened& user) {
  auto bump = user.fn<int()>("tls_user_bump");
  auto address = user.fn<void*()>("tls_user_address");
  auto pad = user.fn<long(long)>("tls_user_pad");
  auto own = user.fn<int()>("tls_user_own");
  auto read = owner.fn<int()>("owner_read");
  auto owner_address = owner.fn<void*()>("owner_address");
  auto pad_sum = owner.fn<long()>("owner_pad_sum");
  std::vector<long> t;
  t.push_back(bump());  // the owner's counter, initialised 5
  t.push_back(bump());
  t.push_back(read());                        // the owner sees the user's writes: counter, zero
  t.push_back(address() == owner_address());  // one variable
  t.push_back(pad(10));                       // a variable past the start of the owner's block
  t.push_back(pad_sum());
  t.push_back(own());  // the user's own thread-local beside them
  t.push_back(reinterpret_cast<std::uintptr_t>(address()) % alignof(int));
  return t;
}

/// The transcript of the main thread, of a second thread, of the main
/// thread again, and whether the two threads' variables differ.
std::vector<long> tls_user_run(const opened& owner, const opened& user) {
  std::vector<long> all = tls_user_transcript(owner, user);
  // Found here: Boost.Test checks stay on this thread.
  auto bump = user.fn<int()>("tls_user_bump");
  auto address = user.fn<void*()>("tls_user_address");
  auto read = owner.fn<int()>("owner_read");
  auto owner_address = owner.fn<void*()>("owner_address");
  void* here = address();
  void* there = nullptr;
  std::vector<long> in_thread;
  auto t = sys::thread::spawn([&] {  // a thread with no block of either module yet
    in_thread.push_back(bump());
    in_thread.push_back(read());
    there = address();
    in_thread.push_back(there == owner_address());
  });
  BOOST_REQUIRE(t.has_value());
  BOOST_REQUIRE(t->join().has_value());
  all.insert(all.end(), in_thread.begin(), in_thread.end());
  all.push_back(here != there);
  all.push_back(bump());  // this thread's counter goes on where it was
  return all;
}

/// The ways the user can be loaded beside the owner, in this build.
std::vector<std::pair<owner_as, way>> tls_user_ways() {
  std::vector<std::pair<owner_as, way>> w;
  if (sys::dynamic_libraries_available) w.push_back({owner_as::os, way::os});
  for (way how : {way::image, way::image_file}) {
    w.push_back({owner_as::image, how});
    if (sys::dynamic_libraries_available) {
      w.push_back({owner_as::os_lookup, how});
      w.push_back({owner_as::os_needed, how});
    }
  }
  return w;
}

BOOST_AUTO_TEST_CASE(thread_locals_of_another_module_are_the_definers_as_under_dlopen) {
  if (skip_without_images()) return;
  const std::vector<long> expected = {6, 7, 7004, 1, 16, 16, 102, 0, 6, 6002, 1, 1, 8};
  for (const char* name : {"image_tls_user", "image_tls_user_desc"}) {
    if (!have_object(name)) {
      BOOST_TEST_MESSAGE(name << " not built: no TLS descriptor dialect for this target or compiler");
      continue;
    }
    for (auto [owner_way, how] : tls_user_ways()) {
      BOOST_TEST_CONTEXT(name << ": " << to_string(owner_way) << ", user " << to_string(how)) {
        opened owner = open_object(owner_way == owner_as::image ? how : way::os, "image_tls_owner");
        opened user;
        if (owner_way == owner_as::os_lookup) {
          user = open_object(how, name, nullptr, &from_library, &*owner.lib);
        } else {
          user = open_object(how, name, owner_way == owner_as::image ? &owner.img : nullptr);
        }
        BOOST_TEST(tls_user_run(owner, user) == expected, boost::test_tools::per_element());
        user.close();
        owner.close();
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(a_thread_local_nobody_defines_is_refused_by_name) {
  if (skip_without_images()) return;
  const std::string path = object_path("image_tls_orphan");
  if (sys::dynamic_libraries_available) {
    vitte::diagnostic d;
    auto l = sys::library::open(path, sys::library_flags::now, &d);
    BOOST_TEST(!l.has_value());  // dlopen refuses it
    BOOST_TEST(std::string(d.message()).find("nobody_defines_this_thread_local") != std::string::npos,
               d.format().c_str());
  }
  const std::vector<std::byte> b = read_object("image_tls_orphan");
  ln::image_options opt;
  opt.name = "libimage_tls_orphan.so";
  vitte::diagnostic why;
  vitte::diagnostic_list diag;
  const std::size_t images = ln::detail::image_counters::get().mapped.load();
  auto img = ln::image::load(std::span<const std::byte>(b.data(), b.size()), opt, &why, &diag);
  BOOST_REQUIRE(!img.has_value());
  BOOST_TEST(img.error() == errc::not_found);
  BOOST_TEST(img.error().op() == vl::ops::module_link);
  BOOST_TEST(std::string(why.message()).find("nobody_defines_this_thread_local (a thread-local nobody defines)") !=
                 std::string::npos,
             why.format().c_str());
  BOOST_TEST(diag.contains("libimage_tls_orphan.so: undefined symbol: nobody_defines_this_thread_local"));
  BOOST_TEST(ln::detail::image_counters::get().mapped.load() == images);
}

BOOST_AUTO_TEST_CASE(std_call_once_in_an_object_uses_the_cxx_runtimes_thread_locals) {
  if (skip_without_images()) return;
  // The host calls it too: a static host then links libstdc++'s thread-locals, which the object imports.
  static std::once_flag host_flag;
  int host_calls = 0;
  std::call_once(host_flag, [&] { ++host_calls; });
  BOOST_TEST(host_calls == 1);
  for (way how : ways()) {
    BOOST_TEST_CONTEXT(to_string(how)) {
      for (int cycle = 0; cycle < 3; ++cycle) {  // loaded, run and closed three times, as dlopen would
        opened o = open_object(how, "image_once");
        auto run = o.fn<int(int)>("once_run");
        BOOST_TEST(run(5) == 5);
        int in_thread = 0;
        auto t = sys::thread::spawn([&] { in_thread = run(7); });
        BOOST_REQUIRE(t.has_value());
        BOOST_REQUIRE(t->join().has_value());
        BOOST_TEST(in_thread == 5);  // once per load, whichever thread asks
        o.close();
      }
    }
  }
}

// --- DF_1_NODELETE --------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_nodelete_object_stays_loaded_after_close) {
  if (skip_without_images()) return;
  for (way how : ways()) {
    BOOST_TEST_CONTEXT(to_string(how)) {
      opened o = open_object(how, "image_nodelete");
      auto call = o.fn<int()>("nodelete_call");
      const int first = call();
      std::uintptr_t lo = 0, hi = 0;
      if (how != way::os) lo = reinterpret_cast<std::uintptr_t>(o.img.base()), hi = lo + o.img.size();
      o.close();
      BOOST_TEST(call() == first + 1);  // its code and its data stay, as under dlopen
      if (how != way::os) BOOST_TEST(overlaps_a_mapping(lo, hi));
    }
  }
  // unload_policy::never keeps an object that does not ask for it, as RTLD_NODELETE.
  const std::vector<std::byte> b = read_object("image_probe");
  ln::image_options opt;
  opt.unload = ln::unload_policy::never;
  auto img = ln::image::load(std::span<const std::byte>(b.data(), b.size()), opt);
  BOOST_REQUIRE(img.has_value());
  auto value = img->find<int()>("probe_value");
  const auto lo = reinterpret_cast<std::uintptr_t>(img->base()), hi = lo + img->size();
  img->close();
  BOOST_TEST(overlaps_a_mapping(lo, hi));
  BOOST_TEST(value() == 21);
  // unload_policy::always unloads a NODELETE object (a fuzzer's choice): finalised and unmapped at close.
  const std::vector<std::byte> n = read_object("image_nodelete");
  opt.unload = ln::unload_policy::always;
  const std::size_t images = ln::detail::image_counters::get().mapped.load();
  img = ln::image::load(std::span<const std::byte>(n.data(), n.size()), opt);
  BOOST_REQUIRE(img.has_value());
  BOOST_TEST(img->find<int()>("nodelete_call")() == 41);
  const auto nlo = reinterpret_cast<std::uintptr_t>(img->base()), nhi = nlo + img->size();
  img->close();
  BOOST_TEST(!overlaps_a_mapping(nlo, nhi));
  BOOST_TEST(ln::detail::image_counters::get().mapped.load() == images);
}

/// In a child process: opens image_nodelete `how`, has it report to `fd`,
/// closes it, calls it again and exits (its finalizers run then). The exit
/// status says how far it got.
[[noreturn]] void nodelete_child(way how, int fd) {
  // A crash kills the child (Boost.Test's handlers would carry on with the next test in it).
  for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) std::signal(sig, SIG_DFL);
  int status = 3;
  try {
    opened o = open_object(how, "image_nodelete");
    auto call = o.fn<int()>("nodelete_call");
    o.fn<void(int)>("nodelete_watch")(fd);
    const int first = call();
    o.close();
    status = call() == first + 1 ? 0 : 2;
  } catch (...) {  // a failed BOOST_REQUIRE: not this process's to report
    ::_exit(4);
  }
  std::exit(status);
}

BOOST_AUTO_TEST_CASE(a_nodelete_objects_finalizers_run_at_exit_as_under_dlopen) {
  if (skip_without_images()) return;
  for (way how : ways()) {
    BOOST_TEST_CONTEXT(to_string(how)) {
      int fds[2];
      BOOST_REQUIRE(::pipe(fds) == 0);
      std::fflush(nullptr);
      const pid_t pid = ::fork();
      BOOST_REQUIRE(pid >= 0);
      if (pid == 0) {
        ::close(fds[0]);
        nodelete_child(how, fds[1]);
      }
      ::close(fds[1]);
      std::string reported;
      char buf[256];
      for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) != 0;)
        if (n > 0) reported.append(buf, static_cast<std::size_t>(n));
      ::close(fds[0]);
      int status = 0;
      BOOST_REQUIRE(::waitpid(pid, &status, 0) == pid);
      BOOST_TEST(WIFEXITED(status));  // no crash at exit
      BOOST_TEST(WEXITSTATUS(status) == 0);
      // glibc's order: the atexit handlers (the latest first: the one
      // registered after init, then the static destructor's), then the
      // DT_FINI_ARRAY functions (_dl_fini).
      BOOST_TEST(reported == "atexit\ndestructor\nfini\n");
    }
  }
}

// --- Debian's libraries ---------------------------------------------------

/// re2::StringPiece: what RE2's match functions take.
struct string_piece {
  const char* data;
  std::size_t size;
};

/// RE2 (libre2.so.9) through its C++ entry points: RE2::Init runs
/// std::call_once, and so does ReverseProg, in this thread and another.
std::string re2_transcript(const opened& o) {
  using full_match = bool(const string_piece&, const void*, const void* const*, int);
  auto make = o.fn<void(void*, const char*)>("_ZN3re23RE2C1EPKc");
  auto destroy = o.fn<void(void*)>("_ZN3re23RE2D1Ev");
  auto size = o.fn<int(const void*)>("_ZNK3re23RE211ProgramSizeEv");
  auto reverse_size = o.fn<int(const void*)>("_ZNK3re23RE218ReverseProgramSizeEv");
  auto full = o.fn<full_match>("_ZN3re23RE210FullMatchNERKNS_11StringPieceERKS0_PKPKNS0_3ArgEi");
  alignas(16) static unsigned char re[4096];  // sizeof(RE2) is far less
  make(re, "(a+)(b|c)d*");
  std::string t = std::to_string(size(re)) + " " + std::to_string(reverse_size(re)) + " " +
                  std::to_string(full(string_piece{"aaacdd", 6}, re, nullptr, 0)) +
                  std::to_string(full(string_piece{"xyz", 3}, re, nullptr, 0));
  std::string there;
  auto th = sys::thread::spawn([&] {
    alignas(16) static unsigned char other[4096];
    make(other, "x+y");
    there = std::to_string(reverse_size(other)) + std::to_string(full(string_piece{"xxy", 3}, other, nullptr, 0));
    destroy(other);
  });
  BOOST_REQUIRE(th.has_value());
  BOOST_REQUIRE(th->join().has_value());
  destroy(re);
  return t + " | " + there;
}

/// libcrypto.so.3 and libssl.so.3: a digest, a TLS context; both are
/// DF_1_NODELETE.
std::string openssl_transcript(const opened& crypto, const opened& ssl) {
  auto version = crypto.fn<unsigned long()>("OpenSSL_version_num");
  auto sha256 = crypto.fn<const void*()>("EVP_sha256");
  auto digest = crypto.fn<int(const void*, std::size_t, unsigned char*, unsigned*, const void*, void*)>("EVP_Digest");
  unsigned char md[32] = {};
  unsigned n = 0;
  std::string t = std::to_string(version()) + " " + std::to_string(digest("abc", 3, md, &n, sha256(), nullptr)) + " ";
  for (unsigned i = 0; i < n && i < sizeof md; ++i) t += std::to_string(md[i]) + ".";
  auto init = ssl.fn<int(unsigned long long, const void*)>("OPENSSL_init_ssl");
  auto method = ssl.fn<const void*()>("TLS_method");
  auto context_new = ssl.fn<void*(const void*)>("SSL_CTX_new");
  auto context_free = ssl.fn<void(void*)>("SSL_CTX_free");
  t += " init " + std::to_string(init(0, nullptr));
  void* context = context_new(method());
  t += context != nullptr ? " context" : " no context";
  context_free(context);
  return t;
}

BOOST_AUTO_TEST_CASE(debian_libraries_with_foreign_thread_locals_and_nodelete_behave_as_under_dlopen) {
  if (skip_without_images()) return;
  if (!sys::dynamic_libraries_available || under_mapping_sanitizer) {
    BOOST_TEST_MESSAGE(
        "skipped: compared with dlopen in a dynamic host without the address or thread sanitizer "
        "(whose leak and race checks do not see inside images)");
    return;
  }
  const std::string re2 = debian_library("libre2.so.9");
  if (re2.empty()) BOOST_TEST_MESSAGE("libre2.so.9 not checked: not installed (Debian's libre2-9)");
  std::vector<std::string> seen;
  for (way how : ways()) {
    if (re2.empty()) break;
    BOOST_TEST_CONTEXT("libre2.so.9, " << to_string(how)) {
      for (int cycle = 0; cycle < 3; ++cycle) {  // loaded, run and closed three times
        opened o = open_path(how, re2);
        seen.push_back(re2_transcript(o));
        o.close();
      }
    }
  }
  for (const std::string& t : seen) BOOST_TEST(t == seen.front());
  const std::string crypto = debian_library("libcrypto.so.3"), ssl = debian_library("libssl.so.3");
  if (crypto.empty() || ssl.empty()) {
    BOOST_TEST_MESSAGE("libssl.so.3 and libcrypto.so.3 not checked: not installed (Debian's libssl3)");
    return;
  }
  seen.clear();
  for (way how : ways()) {
    BOOST_TEST_CONTEXT("libssl.so.3 over libcrypto.so.3, " << to_string(how)) {
      opened c = open_path(how, crypto);
      opened s = open_path(how, ssl, how != way::os ? &c.img : nullptr);
      seen.push_back(openssl_transcript(c, s));
      auto digest = c.fn<int(const void*, std::size_t, unsigned char*, unsigned*, const void*, void*)>("EVP_Digest");
      auto sha256 = c.fn<const void*()>("EVP_sha256");
      s.close();
      c.close();
      unsigned char md[32] = {};
      unsigned n = 0;
      BOOST_TEST(digest("abc", 3, md, &n, sha256(), nullptr) == 1);  // NODELETE: still there after close
      BOOST_TEST(n == 32u);
    }
  }
  for (const std::string& t : seen) BOOST_TEST(t == seen.front());
}

// --- Sets: a library and the libraries it needs -------------------------------

BOOST_AUTO_TEST_CASE(an_image_set_loads_what_a_library_needs_as_images_dependencies_first) {
  if (skip_without_images()) return;
  const std::size_t images = ln::detail::image_counters::get().mapped.load();
  for (int cycle = 0; cycle < 3; ++cycle) {
    vitte::diagnostic why;
    vitte::diagnostic_list diag;
    auto set = ln::image_set::load(object_path("image_set_root"), {}, &why, &diag);  // the leaf through $ORIGIN
    BOOST_REQUIRE_MESSAGE(set.has_value(), why.format().c_str() << "\n" << diag.joined().c_str());
    BOOST_REQUIRE(set->size() == 2u);
    const std::string leaf(set->path(1).data(), set->path(1).size());  // $ORIGIN's, or LD_LIBRARY_PATH's under Meson
    BOOST_TEST(leaf.size() > 21u);
    BOOST_TEST(leaf.substr(leaf.size() - 21) == "/libimage_set_leaf.so", leaf);
    BOOST_TEST(set->find<int()>("set_root_saw_leaf_inited")() == 1);  // the leaf's constructor ran first
    BOOST_TEST(set->find<int()>("set_root_value")() == 42);
    BOOST_TEST(set->find<int()>("set_leaf_weak_is_null")() == 1);  // weak, defined nowhere: null, as under ld.so
#if VITTE_HAS_DYNAMIC_LIBRARIES
    // The leaf is an image, not a library the OS loader opened as well.
    BOOST_TEST(dlopen(object_path("image_set_leaf").c_str(), RTLD_NOW | RTLD_NOLOAD) == nullptr);
#endif
    set->close();
    BOOST_TEST(ln::detail::image_counters::get().mapped.load() == images);
  }
}

BOOST_AUTO_TEST_CASE(an_image_set_binds_in_its_whole_scope_as_ld_so_does) {
  if (skip_without_images()) return;
  // The leaf calls a function only the root defines, and one both define
  // (the root's, first in the scope, wins); an inline static both use is one.
  struct run {
    int calls_root, shared, counts;
  };
  auto exercise = [](auto find) {
    auto calls_root = find("set_leaf_calls_root"), shared = find("set_leaf_shared");
    auto leaf_count = find("set_leaf_count"), root_count = find("set_root_count");
    leaf_count();
    return run{calls_root(), shared(), root_count()};
  };
  // The set first: glibc never unloads a library with unique symbols, and
  // the set would then bind to the copy the OS loader keeps.
  std::vector<run> runs;
  vitte::diagnostic why;
  vitte::diagnostic_list diag;
  auto set = ln::image_set::load(object_path("image_set_scope_root"), {}, &why, &diag);
  BOOST_REQUIRE_MESSAGE(set.has_value(), why.format().c_str() << "\n" << diag.joined().c_str());
  BOOST_TEST(set->size() == 2u);
  runs.push_back(exercise([&](const char* n) { return set->find<int()>(n); }));
  set->close();
#if VITTE_HAS_DYNAMIC_LIBRARIES
  void* h = dlopen(object_path("image_set_scope_root").c_str(), RTLD_NOW | RTLD_LOCAL);
  BOOST_REQUIRE_MESSAGE(h != nullptr, dlerror());
  runs.push_back(exercise([&](const char* n) { return reinterpret_cast<int (*)()>(dlsym(h, n)); }));
  dlclose(h);
#endif
  for (const run& r : runs) {
    BOOST_TEST(r.calls_root == 5);
    BOOST_TEST(r.shared == 1);
    BOOST_TEST(r.counts == 2);
  }
}

BOOST_AUTO_TEST_CASE(an_image_set_lists_every_unbound_symbol_of_its_libraries_at_once) {
  if (skip_without_images()) return;
  const std::size_t images = ln::detail::image_counters::get().mapped.load();
  vitte::diagnostic why;
  vitte::diagnostic_list diag;
  auto set = ln::image_set::load(object_path("image_set_broken_root"), {}, &why, &diag);
  BOOST_REQUIRE(!set.has_value());
  BOOST_TEST(set.error() == errc::not_found);
  BOOST_TEST(set.error().op() == vl::ops::module_link);
  const std::string all = diag.joined().c_str();
  BOOST_TEST(
      all.find(object_path("image_set_broken_leaf") + ": undefined symbol: vitte_set_nobody_leaf") != std::string::npos,
      all);
  BOOST_TEST(
      all.find(object_path("image_set_broken_root") + ": undefined symbol: vitte_set_nobody_root") != std::string::npos,
      all);
  BOOST_TEST(std::string(why.message()).find("vitte_set_nobody_") != std::string::npos, why.format().c_str());
  BOOST_TEST((why.kind() == errc::not_found));
  BOOST_TEST(ln::detail::image_counters::get().mapped.load() == images);
}

BOOST_AUTO_TEST_CASE(an_image_set_names_a_needed_library_found_nowhere_and_who_needs_it) {
  if (skip_without_images()) return;
  // The root alone in a directory: its RUNPATH ($ORIGIN) holds no leaf.
  const std::string dir = sys::path_join(exe_dir(), "image_set_alone");
  (void)sys::create_directory(dir);
  const std::string root = sys::path_join(dir, "libimage_set_root.so");
  const std::vector<std::byte> b = read_object("image_set_root");
  BOOST_REQUIRE(sys::write_file(root, std::span<const std::byte>(b.data(), b.size())).has_value());
  vitte::diagnostic why;
  vitte::diagnostic_list diag;
  // Meson's test runner points LD_LIBRARY_PATH at the build's libraries, which
  // the set searches as ld.so does: not while looking for what is missing.
  const char* env = std::getenv("LD_LIBRARY_PATH");
  const std::string library_path = env != nullptr ? env : "";
  ::unsetenv("LD_LIBRARY_PATH");
  auto set = ln::image_set::load(root, {}, &why, &diag);
  if (env != nullptr) ::setenv("LD_LIBRARY_PATH", library_path.c_str(), 1);
  BOOST_REQUIRE(!set.has_value());
  BOOST_TEST(set.error() == errc::not_found);
  BOOST_TEST(set.error().op() == vl::ops::module_load);
  BOOST_TEST(std::string(why.message()) == "needed library not found: libimage_set_leaf.so (needed by " + root + ")");
  BOOST_TEST((why.kind() == errc::not_found));
  // Found when the caller names a directory that holds it.
  const std::string leaf_dir = sys::path_join(exe_dir(), sys::path_join("loader", "image"));
  const vitte::text_view search[] = {leaf_dir};
  ln::image_set_options o;
  o.search = search;
  auto found = ln::image_set::load(root, o, &why, &diag);
  BOOST_REQUIRE_MESSAGE(found.has_value(), why.format().c_str());
  BOOST_TEST(found->find<int()>("set_root_value")() == 42);
  found->close();
  // And through LD_LIBRARY_PATH, as ld.so finds it.
  ::setenv("LD_LIBRARY_PATH", leaf_dir.c_str(), 1);
  auto through_env = ln::image_set::load(root, {}, &why, &diag);
  if (env != nullptr)
    ::setenv("LD_LIBRARY_PATH", library_path.c_str(), 1);
  else
    ::unsetenv("LD_LIBRARY_PATH");
  BOOST_REQUIRE_MESSAGE(through_env.has_value(), why.format().c_str());
  BOOST_TEST(through_env->find<int()>("set_root_value")() == 42);
}

BOOST_AUTO_TEST_CASE(openssl_loads_as_a_set_of_images_with_nothing_from_the_os_loader) {
  if (skip_without_images()) return;
  const std::string ssl = debian_library("libssl.so.3");
  if (ssl.empty()) {
    BOOST_TEST_MESSAGE("libssl.so.3 not checked: not installed (Debian's libssl3)");
    return;
  }
  // A libcrypto the OS loader already holds (an earlier test's dlopen: it
  // is NODELETE) is the one the set binds to, as ld.so reuses it.
  bool crypto_loaded = false;
#if VITTE_HAS_DYNAMIC_LIBRARIES
  if (void* h = dlopen("libcrypto.so.3", RTLD_NOW | RTLD_NOLOAD)) crypto_loaded = true, dlclose(h);
#endif
  for (int cycle = 0; cycle < 3; ++cycle) {
    vitte::diagnostic why;
    vitte::diagnostic_list diag;
    auto set = ln::image_set::load(ssl, {}, &why, &diag);
    BOOST_REQUIRE_MESSAGE(set.has_value(), why.format().c_str() << "\n" << diag.joined().c_str());
    BOOST_TEST(set->size() == (crypto_loaded ? 1u : 2u));  // libssl (and libcrypto): the C library is the process's
#if VITTE_HAS_DYNAMIC_LIBRARIES
    if (!crypto_loaded) BOOST_TEST(dlopen("libcrypto.so.3", RTLD_NOW | RTLD_NOLOAD) == nullptr);
#endif
    auto version = set->find<const char*(int)>("OpenSSL_version");
    BOOST_REQUIRE(version != nullptr);
    BOOST_TEST(std::string(version(0)).rfind("OpenSSL 3.", 0) == 0u, version(0));
    auto ctx_new = set->find<void*(const void*)>("SSL_CTX_new");
    auto ctx_free = set->find<void(void*)>("SSL_CTX_free");
    auto method = set->find<const void*()>("TLS_method");
    void* ctx = ctx_new(method());
    BOOST_TEST(ctx != nullptr);
    ctx_free(ctx);
    set->close();
  }
}

// --- Allocators ---------------------------------------------------------------

BOOST_AUTO_TEST_CASE(memory_crosses_the_boundary_both_ways) {
  if (skip_without_images()) return;
  for (way how : ways()) {
    BOOST_TEST_CONTEXT(to_string(how)) {
      opened o = open_object(how, "image_alloc");
      for (int i = 0; i < 100; ++i) {
        void* a = o.fn<void*(std::size_t)>("alloc_malloc")(24 + i);
        BOOST_REQUIRE(a != nullptr);
        std::memset(a, 1, 24 + i);
        a = std::realloc(a, 4096 + i);  // the host grows what the module made
        BOOST_REQUIRE(a != nullptr);
        std::free(a);
        void* b = std::malloc(32 + i);
        BOOST_REQUIRE(b != nullptr);
        b = o.fn<void*(void*, std::size_t)>("alloc_realloc")(b, 8192 + i);  // and the reverse
        BOOST_REQUIRE(b != nullptr);
        o.fn<void(void*)>("alloc_free")(b);
        char* d = o.fn<char*(const char*)>("alloc_strdup")("crosses");
        BOOST_REQUIRE(d != nullptr);
        BOOST_TEST(std::string(d) == "crosses");
        std::free(d);
        void* c = o.fn<void*(std::size_t)>("alloc_calloc")(100);
        BOOST_REQUIRE(c != nullptr);
        std::free(c);
        void* al = o.fn<void*(std::size_t)>("alloc_aligned")(200);
        BOOST_REQUIRE(al != nullptr);
        BOOST_TEST(reinterpret_cast<std::uintptr_t>(al) % 64 == 0u);
        std::free(al);
        int* n = o.fn<int*(int)>("alloc_new")(i);
        BOOST_TEST(*n == i);
        delete n;
        o.fn<void(int*)>("alloc_delete")(new int(i));
      }
      o.close();
    }
  }
}

BOOST_AUTO_TEST_CASE(sysv_hash_chains_that_loop_end) {
  if (skip_without_images()) return;
  std::vector<std::byte> b = read_object("image_probe_now");  // linked with DT_HASH too
  const elf_map m(b);
  auto hash = m.value(b, 4);
  if (!hash) {
    BOOST_TEST_MESSAGE("skipped: image_probe_now has no DT_HASH");
    return;
  }
  // Only DT_HASH: the GNU table's tag becomes DT_DEBUG.
  set<word>(b, m.entry(0x6ffffef5), 21);
  std::size_t h = m.file_of(*hash);
  std::uint32_t nbucket = get<std::uint32_t>(b, h), nchain = get<std::uint32_t>(b, h + 4);
  auto img = ln::image::load(std::span<const std::byte>(b.data(), b.size()), {});
  BOOST_REQUIRE(img.has_value());
  BOOST_TEST(img->find<int()>("probe_value")() == 21);  // found through DT_HASH
  img->close();
  for (std::uint32_t i = 0; i < nchain; ++i) set<std::uint32_t>(b, h + 8 + 4 * (nbucket + i), i == 0 ? 0 : i);
  img = ln::image::load(std::span<const std::byte>(b.data(), b.size()), {});
  BOOST_REQUIRE(img.has_value());
  BOOST_TEST(img->find<int()>("no_such_symbol") == nullptr);  // ends, though every chain loops on itself
}

BOOST_AUTO_TEST_CASE(relr_tables_starting_with_a_bitmap_are_refused) {
  if (skip_without_images()) return;
  if (!have_object("image_probe_relr")) {
    BOOST_TEST_MESSAGE("skipped: image_probe_relr not built (ld.lld is not installed)");
    return;
  }
  std::vector<std::byte> b = read_object("image_probe_relr");
  const elf_map m(b);
  auto relr = m.value(b, 36);
  BOOST_REQUIRE(relr.has_value());
  std::size_t at = m.file_of(*relr);
  set<word>(b, at, get<word>(b, at) | 1);
  expect_refused(b, "starts with a bitmap", "RELR");
}

BOOST_AUTO_TEST_CASE(an_object_cut_anywhere_is_refused) {
  if (skip_without_images()) return;
  const std::vector<std::byte> good = read_object("image_user");
  for (std::size_t n = 0; n < good.size(); n += n < 256 ? 1 : 97) {
    std::vector<std::byte> b(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(n));
    ln::image_options opt;
    opt.run_init = false;
    opt.process_symbols = false;
    auto img = ln::image::load(std::span<const std::byte>(b.data(), b.size()), opt);
    BOOST_TEST(!img.has_value(), "a cut at " << n << " bytes loaded");
  }
}

BOOST_AUTO_TEST_CASE(a_thousand_loads_leave_the_mappings_and_the_memory_flat) {
  if (skip_without_images()) return;
  const std::vector<std::byte> b = read_object("image_probe");
  auto f = sys::file::open(object_path("image_probe"), sys::open_mode::read);
  BOOST_REQUIRE(f.has_value());
  int i = 0;
  std::size_t still_mapped = 0;
  auto cycle = [&] {  // from bytes and from the file in turn
    auto img = ++i % 2 == 0 ? ln::image::load(std::span<const std::byte>(b.data(), b.size()), {})
                            : ln::image::load_file(*f, {});
    BOOST_REQUIRE(img.has_value());
    BOOST_REQUIRE(img->find<int()>("probe_tls_bump")() == 16);
    const auto lo = reinterpret_cast<std::uintptr_t>(img->base()), hi = lo + img->size();
    img->close();
    if (overlaps_a_mapping(lo, hi)) ++still_mapped;
  };
  for (int k = 0; k < 20; ++k) cycle();
  std::size_t before = mapping_count(), mapped = mapped_bytes(), heap = heap_in_use();
  for (int k = 0; k < 1000; ++k) cycle();
  BOOST_TEST(still_mapped == 0u);  // each image's range is gone once it is closed
  BOOST_TEST_MESSAGE("over 1,000 cycles: " << before << " -> " << mapping_count() << " mappings of " << mapped << " -> "
                                           << mapped_bytes() << " bytes, heap in use " << heap << " -> "
                                           << heap_in_use() << " bytes");
  // A leak of 64 bytes a cycle would show as 64,000. (Resident memory is
  // no measure under qemu-user, whose translated code grows with each new
  // mapping of code.) The sanitizers map memory of their own as the program
  // runs (AddressSanitizer's allocator regions as its quarantine of freed
  // blocks grows, ThreadSanitizer's metadata for each new range): there the
  // check above stands for the process's mappings, and their leak checkers
  // see the heap.
  BOOST_TEST(heap_in_use() <= heap + 16384);
  if (!under_mapping_sanitizer) {
    BOOST_TEST(mapping_count() == before);
    BOOST_TEST(mapped_bytes() <= mapped);
  }
}

BOOST_AUTO_TEST_SUITE_END()
