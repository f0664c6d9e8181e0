// The loader against the OS loader and Boost.DLL, on one generated plugin
// with 2,000 exported functions (bench/gen_plugin.py; each is a vitte
// export and a plain C symbol):
//   loader.load_bind_2000   load + bind every export, then unload:
//                           vitte load_file (metadata read and checked,
//                           dlopen, descriptor checked, export table built)
//                           vs dlopen + 2,000 dlsym + dlclose, and vs
//                           Boost.DLL shared_library + 2,000 get<>
//   loader.call             a call through symbol<int(int)> vs a dlsym'd pointer
//   loader.lookup           module::find<int(int)>(name) (typed, counted
//                           handle) vs dlsym; loader.lookup_borrowed:
//                           module::borrow<int(int)>(name) (typed, under the
//                           caller's reference); loader.lookup_prehashed: the
//                           same by symbol_name; loader.lookup_raw: find_raw
//   loader.read_metadata    read_plugin_file (no loading) vs dlopen + dlclose
//
//   bench_loader <path of libbench2000.so>
#include <vitte/loader/inspect.hpp>
#include <vitte/loader/loader.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include <dlfcn.h>

#include "harness.hpp"

#if VITTE_BENCH_HAS_BOOST_DLL
#define BOOST_DLL_USE_STD_FS 1
#include <boost/dll/shared_library.hpp>
#endif

namespace vl = vitte::loader;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_loader <libbench2000.so>\n");
    return 2;
  }
  const std::string path = argv[1];
  std::vector<std::string> names;
  for (int i = 0; i < 2000; ++i) {
    char n[8];
    std::snprintf(n, sizeof n, "f%04d", i);
    names.emplace_back(n);
  }
  using fn = int (*)(int);

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
    std::size_t i = 0;
    s.add("vitte", [&] {
      auto r = m.find<int(int)>(names[i++ % names.size()]);
      return r.has_value();
    });
    s.add("dlsym", [&] { return ::dlsym(h, names[i++ % names.size()].c_str()); });
    s.run();
  }
  {
    bench::suite s("loader.lookup_borrowed");
    std::size_t i = 0;
    s.add("vitte", [&] {
      auto r = m.borrow<int(int)>(names[i++ % names.size()]);
      return r.has_value();
    });
    s.add("dlsym", [&] { return ::dlsym(h, names[i++ % names.size()].c_str()); });
    s.run();
  }
  {
    std::vector<vl::symbol_name> keys;
    for (const std::string& n : names) keys.emplace_back(n);
    bench::suite s("loader.lookup_prehashed");
    std::size_t i = 0;
    s.add("vitte", [&] {
      auto r = m.borrow<int(int)>(keys[i++ % keys.size()]);
      return r.has_value();
    });
    s.add("dlsym", [&] { return ::dlsym(h, names[i++ % names.size()].c_str()); });
    s.run();
  }
  {
    bench::suite s("loader.lookup_raw");
    std::size_t i = 0;
    s.add("vitte", [&] { return m.find_raw(names[i++ % names.size()]); });
    s.add("dlsym", [&] { return ::dlsym(h, names[i++ % names.size()].c_str()); });
    s.run();
  }
  ::dlclose(h);
  m.reset();
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
