// The loader against the OS loader and Boost.DLL, on one generated plugin
// with 2,000 exported functions (bench/gen_plugin.py; each is a vitte
// export and a plain C symbol):
//   loader.load_bind_2000   load + bind every export, then unload:
//                           vitte load_file (metadata read and checked,
//                           dlopen, descriptor checked, export table built)
//                           vs dlopen + 2,000 dlsym + dlclose, and vs
//                           Boost.DLL shared_library + 2,000 get<>
//   loader.image_load_bind_2000  the same with loader_options::native = image
//                           (the file read, mapped and relocated by vitte)
//   loader.image_from_bytes_2000  elf_image::image::load from a buffer already
//                           in memory + 2,000 image::symbol + close, vs
//                           dlopen + 2,000 dlsym + dlclose of the file
//   loader.image_from_file_2000  elf_image::image::load_file (segments mapped
//                           from the file) + 2,000 image::symbol + close, vs
//                           dlopen + 2,000 dlsym + dlclose
//   loader.image_relocations  load + close of the image per relocation it
//                           applies, vs dlopen + dlclose per the same count
//                           (the line also carries "per_second")
//   loader.image_relative_relocations  load_file + close of librelocs.so
//                           (131,072 relative relocations, bench_relocs.cpp)
//                           vs dlopen + dlclose; the _each line divides both
//                           whole loads by the relocations ("per_second")
//   loader.real_set.<lib>   Debian's shared libraries (those installed, of
//                           this architecture): elf_image::image_set::load
//                           (the library and its closure as images, from
//                           their files) + close, vs dlopen + dlclose
//                           (a library dlclose leaves loaded, DF_1_NODELETE
//                           or with unique symbols, is left out: dlopen
//                           would measure a cache hit)
//   loader.real_from_file.<lib>   a library's first load in the process:
//                           elf_image::image::load_file + close vs dlopen
//                           (RTLD_NOW | RTLD_LOCAL) + dlclose, of a fresh
//                           copy of the file each time (written untimed: a
//                           library loaded before, or NODELETE like
//                           libcrypto, would be a reference count to
//                           dlopen); the median, the implementations in turn
//   loader.real_from_bytes.<lib>  the same with elf_image::image::load from
//                           the file's bytes, already in memory, vs dlopen
//                           of a fresh copy of the file
//   loader.call             a call through symbol<int(int)> vs a dlsym'd pointer
//   loader.lookup           module::find<int(int)>(name) (typed, counted
//                           handle) vs dlsym; loader.lookup_borrowed:
//                           module::borrow<int(int)>(name) (typed, under the
//                           caller's reference); loader.lookup_prehashed: the
//                           same by symbol_name; loader.lookup_raw: find_raw
//   loader.read_metadata    read_plugin_file (no loading) vs dlopen + dlclose
//   loader.wasm_call        a .wasm module's export called through find<int(int)>
//                           (a thunk, the cell call, the module's lock) vs the
//                           engine's own typed call, wasm::store::call_as
//
//   bench_loader [<libbench2000.so> [<librelocs.so>]]   (default: beside bench_loader)
//   bench_loader --real     the real libraries' lines only
#include <vitte/loader/elf_image/image.hpp>
#include <vitte/loader/elf_image/image_set.hpp>
#include <vitte/loader/inspect.hpp>
#include <vitte/loader/loader.hpp>
#include <vitte/loader/wasm_executor.hpp>
#include <vitte/sys/file.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/whole_file.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include <dlfcn.h>
#include <unistd.h>  // unlink

#include "harness.hpp"
#include "loader/debian_library.hpp"  // the installed libraries of Debian's multiarch directory

#if VITTE_BENCH_HAS_BOOST_DLL
#define BOOST_DLL_USE_STD_FS 1
#include <boost/dll/shared_library.hpp>
#endif

namespace vl = vitte::loader;

namespace {

/// loader.real_set.*: Debian's libraries and their closures.
void real_libraries() {
  namespace ln = vitte::loader::elf_image;
  struct library {
    const char* name;
    const char* file;
  };
  const library libraries[] = {
      {"zlib", "libz.so.1"},
      {"sqlite3", "libsqlite3.so.0"},
      {"lua5.4", "liblua5.4.so.0"},
      {"pcre2", "libpcre2-8.so.0"},
      {"re2", "libre2.so.9"},
      {"libxml2", "libxml2.so.2"},
      {"libarchive", "libarchive.so.13"},
      {"libcurl", "libcurl.so.4"},
  };
  for (const library& l : libraries) {
    const std::string path = loader_test::debian_library(l.file);
    void* h = path.empty() ? nullptr : ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (h == nullptr) {
      std::fprintf(stderr, "loader.real_set.%s: skipped (%s not installed)\n", l.name, l.file);
      continue;
    }
    ::dlclose(h);
    if (void* still = ::dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD)) {
      ::dlclose(still);
      std::fprintf(stderr, "loader.real_*.%s: skipped (dlclose leaves it loaded)\n", l.name);
      continue;
    }
    auto dl = [&] {
      void* d = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (d == nullptr) std::abort();
      ::dlclose(d);
      return d;
    };
    {
      bench::suite s("loader.real_set." + std::string(l.name), 11);
      s.batch_size(5);
      s.add("image_set", [&] {
        auto set = ln::image_set::load(path);
        if (!set) std::abort();
        return set->size();
      });
      s.add("dlopen", dl);
      s.run();
    }
  }
}

/// loader.real_from_file.* and loader.real_from_bytes.*: a library's first
/// load in this process, as an image (from its file, from its bytes) and
/// through dlopen. Each file load is of a fresh copy under a new name
/// (written before the clock starts): dlopen of a loaded object would
/// count a reference only, and a NODELETE library (libcrypto) stays loaded.
void real_first_loads() {
  namespace ln = vitte::loader::elf_image;
  const std::pair<const char*, const char*> libraries[] = {
      {"zlib", "libz.so.1"},           {"pcre2", "libpcre2-8.so.0"},   {"lua5.4", "liblua5.4.so.0"},
      {"re2", "libre2.so.9"},          {"sqlite3", "libsqlite3.so.0"}, {"libxml2", "libxml2.so.2"},
      {"libcrypto", "libcrypto.so.3"},
  };
  const char* env = std::getenv("VITTE_BENCH_REPS");
  const int reps = std::clamp(env != nullptr ? std::atoi(env) : 15, 5, 31);
  auto tmp = vitte::sys::temp_directory::create();
  if (!tmp) std::abort();
  int serial = 0;
  for (const auto& library : libraries) {
    // Named, not a structured binding: the lambdas below capture them (Clang 14 refuses bindings).
    const char* const name = library.first;
    const char* const soname = library.second;
    const std::string path = loader_test::debian_library(soname);
    auto file = vitte::sys::read_file(path);
    if (path.empty() || !file) {
      std::fprintf(stderr, "loader.real_from_*.%s: skipped (%s not installed)\n", name, soname);
      continue;
    }
    const std::span<const std::byte> bytes(file->data(), file->size());
    using clock = std::chrono::steady_clock;
    // Each returns the nanoseconds of one load and unload, or -1.
    auto copy = [&] {
      std::string to = vitte::sys::path_join(tmp->path(), std::to_string(serial++) + "-" + soname);
      if (!vitte::sys::write_file(to, bytes)) std::abort();
      return to;
    };
    auto dl = [&] {
      const std::string to = copy();
      const auto t0 = clock::now();
      void* h = ::dlopen(to.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (h != nullptr) ::dlclose(h);
      const auto t1 = clock::now();
      ::unlink(to.c_str());
      return h != nullptr ? std::chrono::duration<double, std::nano>(t1 - t0).count() : -1.0;
    };
    auto from_file = [&] {
      const std::string to = copy();
      const auto t0 = clock::now();
      auto f = vitte::sys::file::open(to, vitte::sys::open_mode::read);
      bool ok = f.has_value();
      if (ok) {
        auto img = ln::image::load_file(*f);
        ok = img.has_value();
        if (ok) img->close();
      }
      const auto t1 = clock::now();
      ::unlink(to.c_str());
      return ok ? std::chrono::duration<double, std::nano>(t1 - t0).count() : -1.0;
    };
    auto from_bytes = [&] {
      const auto t0 = clock::now();
      auto img = ln::image::load(bytes);
      const bool ok = img.has_value();
      if (ok) img->close();
      const auto t1 = clock::now();
      return ok ? std::chrono::duration<double, std::nano>(t1 - t0).count() : -1.0;
    };
    std::vector<double> samples[3];
    bool failed = false;
    for (int r = -1; r < reps && !failed; ++r) {  // r == -1: a warm-up round, not kept
      for (int k = 0; k < 3; ++k) {
        const int i = (k + r + 1) % 3;  // each implementation first in turn
        const double ns = i == 0 ? from_file() : i == 1 ? from_bytes() : dl();
        failed = failed || ns < 0;
        if (r >= 0) samples[i].push_back(ns);
      }
    }
    if (failed) {
      std::fprintf(stderr, "loader.real_from_*.%s: skipped (a load failed)\n", name);
      continue;
    }
    const bench::stats dl_st = bench::summarize(samples[2]);
    bench::print_line(std::string("loader.real_from_file.") + name, "image", bench::summarize(samples[0]), "dlopen",
                      dl_st, reps, 1);
    bench::print_line(std::string("loader.real_from_bytes.") + name, "image", bench::summarize(samples[1]), "dlopen",
                      dl_st, reps, 1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "--real") {
    if (vitte::loader::elf_image::images_supported()) {
      real_first_loads();
      real_libraries();
    }
    return 0;
  }
  const std::string here = std::string(argv[0]).substr(0, std::string(argv[0]).rfind('/') + 1);
  const std::string path = argc > 1 ? argv[1] : here + "libbench2000.so";
  const std::string relocs_path = argc > 2 ? argv[2] : here + "librelocs.so";
  std::vector<std::string> names;
  for (int i = 0; i < 2000; ++i) {
    char n[8];
    std::snprintf(n, sizeof n, "f%04d", i);
    names.emplace_back(n);
  }
  using fn = int (*)(int);
  // The names in turn. A division per lookup (i % size) would cost about
  // as much as vitte's lookup itself and hide it.
  struct cycle {
    std::size_t i = 0, n;
    std::size_t next() noexcept {
      std::size_t k = i;
      i = i + 1 == n ? 0 : i + 1;
      return k;
    }
  };

  {
    bench::suite s("loader.load_bind_2000", 15);
    s.batch_size(20);
    vl::loader l;  // no search paths: the plugin has no dependencies
    s.add("vitte", [&] {
      auto m = l.load_file(path);
      if (!m) std::abort();
      return m->find_raw("f1999");  // the module is released (and unloaded) here
    });
    s.add("dlopen+dlsym", [&] {
      void* h = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (h == nullptr) std::abort();
      void* last = nullptr;
      for (const std::string& n : names) last = ::dlsym(h, n.c_str());
      ::dlclose(h);
      return last;
    });
#if VITTE_BENCH_HAS_BOOST_DLL
    s.add("boost.dll", [&] {
      boost::dll::shared_library lib(path, boost::dll::load_mode::rtld_now);
      fn last = nullptr;
      for (const std::string& n : names) last = &lib.get<int(int)>(n);
      return reinterpret_cast<void*>(last);
    });
#endif
    s.run();
  }

  auto dlopen_dlsym = [&] {
    void* h = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (h == nullptr) std::abort();
    void* last = nullptr;
    for (const std::string& n : names) last = ::dlsym(h, n.c_str());
    ::dlclose(h);
    return last;
  };
  if (vitte::loader::elf_image::images_supported()) {
    namespace ln = vitte::loader::elf_image;
    {
      bench::suite s("loader.image_load_bind_2000", 15);
      s.batch_size(20);
      vl::loader li({.native = vl::native_backend_choice::image});
      s.add("vitte_image", [&] {
        auto m = li.load_file(path);
        if (!m) std::abort();
        return m->find_raw("f1999");
      });
      s.add("dlopen+dlsym", dlopen_dlsym);
      s.run();
    }
    auto file = vitte::sys::read_file(path).value();
    const std::span<const std::byte> bytes(file.data(), file.size());
    {
      bench::suite s("loader.image_from_bytes_2000", 15);
      s.batch_size(20);
      s.add("image", [&] {
        auto img = ln::image::load(bytes);
        if (!img) std::abort();
        void* last = nullptr;
        for (const std::string& n : names) last = img->symbol(n);
        return last;
      });
      s.add("dlopen+dlsym", dlopen_dlsym);
      s.run();
    }
    {
      bench::suite s("loader.image_from_file_2000", 15);
      s.batch_size(20);
      s.add("image", [&] {
        auto f = vitte::sys::file::open(path, vitte::sys::open_mode::read);
        if (!f) std::abort();
        auto img = ln::image::load_file(*f);
        if (!img) std::abort();
        void* last = nullptr;
        for (const std::string& n : names) last = img->symbol(n);
        return last;
      });
      s.add("dlopen+dlsym", dlopen_dlsym);
      s.run();
    }
    // Whole loads divided by the relocations each applies: "per_second" is relocations a second.
    auto per_relocation = [](const char* name, const char* file, auto load) {
      auto f = vitte::sys::file::open(file, vitte::sys::open_mode::read);
      if (!f) return;
      auto img = ln::image::load_file(*f);
      if (!img) return;
      const double n = static_cast<double>(img->stats().relative + img->stats().symbolic);
      img->close();
      bench::suite s(name, 15);
      s.batch_size(5);
      s.add("image", load);
      s.add("dlopen", [&] {
        void* h = ::dlopen(file, RTLD_NOW | RTLD_LOCAL);
        if (h == nullptr) std::abort();
        ::dlclose(h);
        return h;
      });
      std::vector<bench::stats> st = s.run();
      std::printf(
          "{\"bench\": \"%s_each\", \"impl\": \"image\", \"median_ns\": %.3f, \"baseline\": \"dlopen\", "
          "\"baseline_median_ns\": %.3f, \"ratio\": %.3f, \"relocations\": %.0f, \"per_second\": %.0f}\n",
          name, st[0].median_ns / n, st[1].median_ns / n, st[0].median_ns / st[1].median_ns, n,
          1e9 * n / st[0].median_ns);
    };
    per_relocation("loader.image_relocations", path.c_str(), [&] { return ln::image::load(bytes).has_value(); });
    per_relocation("loader.image_relative_relocations", relocs_path.c_str(), [&] {
      auto f = vitte::sys::file::open(relocs_path, vitte::sys::open_mode::read);
      return f && ln::image::load_file(*f).has_value();
    });
  }

  if (vitte::loader::elf_image::images_supported()) {
    real_first_loads();  // first: nothing here has loaded those libraries yet
    real_libraries();
  }

  vl::loader l;
  vl::module m = l.load_file(path).value();
  void* h = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  {
    bench::suite s("loader.call");
    auto sym = m.find<int(int)>("f1234").value();
    fn raw = reinterpret_cast<fn>(::dlsym(h, "f1234"));
    int x = 0;
    s.add("vitte", [&] { return x = sym(x) & 0xffff; });
    s.add("dlsym_pointer", [&] { return x = raw(x) & 0xffff; });
    s.run();
  }
  {
    bench::suite s("loader.lookup");
    cycle i{0, names.size()};
    s.add("vitte", [&] {
      auto r = m.find<int(int)>(names[i.next()]);
      return r.has_value();
    });
    s.add("dlsym", [&] { return ::dlsym(h, names[i.next()].c_str()); });
    s.run();
  }
  {
    bench::suite s("loader.lookup_borrowed");
    cycle i{0, names.size()};
    s.add("vitte", [&] {
      auto r = m.borrow<int(int)>(names[i.next()]);
      return r.has_value();
    });
    s.add("dlsym", [&] { return ::dlsym(h, names[i.next()].c_str()); });
    s.run();
  }
  {
    std::vector<vl::symbol_name> keys;
    for (const std::string& n : names) keys.emplace_back(n);
    bench::suite s("loader.lookup_prehashed");
    cycle i{0, names.size()};
    s.add("vitte", [&] {
      auto r = m.borrow<int(int)>(keys[i.next()]);
      return r.has_value();
    });
    s.add("dlsym", [&] { return ::dlsym(h, names[i.next()].c_str()); });
    s.run();
  }
  {
    bench::suite s("loader.lookup_raw");
    cycle i{0, names.size()};
    s.add("vitte", [&] { return m.find_raw(names[i.next()]); });
    s.add("dlsym", [&] { return ::dlsym(h, names[i.next()].c_str()); });
    s.run();
  }
  ::dlclose(h);
  m.reset();
  {
    // (module (func (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))
    static const unsigned char inc[] = {0, 'a',  's', 'm', 1, 0, 0,    0, 1,    6, 1,    0x60, 1,   0x7f,
                                        1, 0x7f, 3,   2,   1, 0, 7,    7, 1,    3, 'i',  'n',  'c', 0,
                                        0, 10,   9,   1,   7, 0, 0x20, 0, 0x41, 1, 0x6a, 0x0b};
    const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(inc), sizeof inc);
    auto dir = vitte::sys::temp_directory::create().value();
    const std::string file = vitte::sys::path_join(dir.path(), "inc.wasm");
    if (!vitte::sys::write_file(file, bytes)) std::abort();
    vl::wasm_executor wasm;
    vl::loader wl;
    if (!wl.register_executor(vl::payload_kind::wasm, wasm)) std::abort();
    vl::module wm = wl.load_file(file).value();
    auto f = wm.find<int(int)>("inc").value();
    vitte::wasm::store st;
    auto code = vitte::wasm::decode(bytes).value();
    auto inst = st.instantiate(code, {}).value();
    vitte::wasm::function g = inst.function("inc");
    bench::suite s("loader.wasm_call");
    int x = 0;
    s.add("vitte", [&] { return x = f(x) & 0xffff; });
    s.add("store_call_as", [&] { return x = st.call_as<std::int32_t>(g, x).value() & 0xffff; });
    s.run();
  }
  {
    bench::suite s("loader.read_metadata", 15);
    s.batch_size(20);
    s.add("vitte", [&] {
      auto info = vl::read_plugin_file(path);
      if (!info) std::abort();
      return info->exports.size();
    });
    s.add("dlopen", [&] {
      void* h2 = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (h2 == nullptr) std::abort();
      ::dlclose(h2);
      return h2;
    });
    s.run();
  }
  return 0;
}
