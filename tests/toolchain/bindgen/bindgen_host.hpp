// What the bindgen tests share: the library's file from the command line,
// each way of loading it (the OS loader, and vitte's ELF images where this
// host runs them: image sets, also in a static program), and checks that
// print what failed.
#ifndef VITTE_TESTS_BINDGEN_HOST_HPP
#define VITTE_TESTS_BINDGEN_HOST_HPP

#include <vitte/loader/bind.hpp>
#include <vitte/loader/elf_image/image_set.hpp>
#include <vitte/sys/dynlib.hpp>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

class bindgen_host {
 public:
  /// argv[1]: the shared library's file.
  bindgen_host(int argc, char** argv, const char* name) : name_(name), path_(argc > 1 ? argv[1] : "") {}

  void check(bool ok, const char* how, const char* what) {
    ++checks_;
    if (ok) return;
    ++failures_;
    std::fprintf(stderr, "%s (%s): FAILED: %s\n", name_, how, what);
  }

  static std::string sample_text() {
    std::string s;
    for (int i = 0; i < 200; ++i) s += "vitte bindgen binds " + std::to_string(i * 7919 % 1000) + " symbols\n";
    return s;
  }

  /// Binds Api from the library through the OS loader (a dynamic host),
  /// then as an image set (the library and the libraries it needs, each
  /// an in-memory image: in a static host too, through the static
  /// surface), and runs `fn` on each table.
  template <class Api, class F>
  void each_source(F&& fn) {
    each_loaded([&](const auto& source, const char* how) {
      vitte::diagnostic_list missing;
      auto api = vitte::loader::bind<Api>(source, &missing);
      if (!api) std::fputs(missing.joined().c_str(), stderr);
      check(static_cast<bool>(api), how, "bind<api> binds every symbol");
      if (!api) return;
      if constexpr (std::is_same_v<std::decay_t<decltype(source)>, vitte::loader::elf_image::image_set>) {
        // Each symbol from an image of the set: not from a copy the host
        // links (a static host links the library's archive for the direct calls).
        check(bound_in(*api, source), how, "every bound symbol lies in an image of the set");
        ++images_;
      }
      fn(*api, how);
    });
  }

  /// Binds Api from each source as each_source() does: each must refuse
  /// it, naming `expected` ("name: not defined by the module").
  template <class Api>
  void each_refuses(const char* expected) {
    each_loaded([&](const auto& source, const char* how) {
      vitte::diagnostic_list why;
      auto api = vitte::loader::bind<Api>(source, &why);
      check(!api && std::strstr(why.joined().c_str(), expected) != nullptr, how, expected);
    });
  }

  int finish() const {
    std::printf("%s: %d checks, %d failed (%d image run%s)\n", name_, checks_, failures_, images_,
                images_ == 1 ? "" : "s");
    if (!vitte::sys::dynamic_libraries_available && images_ == 0) {  // a static host binds through images only
      std::printf("%s: FAILED: no image ran in a static program\n", name_);
      return 1;
    }
    return failures_ == 0 ? 0 : 1;
  }

 private:
  /// Runs `use(source, how)` on the library opened by the OS loader (a
  /// dynamic host), then on it loaded as an image set (where this host
  /// runs images and the image loader takes it).
  template <class G>
  void each_loaded(G&& use) {
    if constexpr (vitte::sys::dynamic_libraries_available) {
      vitte::diagnostic why;
      auto lib = vitte::sys::library::open(path_.c_str(), vitte::sys::library_flags::now, &why);
      check(static_cast<bool>(lib), "OS loader", "the library opens");
      if (lib) use(*lib, "OS loader");
    } else {
      std::printf("%s: OS loader: none in a static program\n", name_);
    }
    namespace ln = vitte::loader::elf_image;
    if (!ln::images_supported()) {
      std::printf("%s: images: not run on this host\n", name_);
      return;
    }
    vitte::diagnostic why;
    vitte::diagnostic_list diag;
    auto set = ln::image_set::load(path_.c_str(), {}, &why, &diag);
    if (!set) {  // what the image loader refuses, it names: said, not failed
      std::printf("%s: images: the image loader refuses the library: %s\n%s", name_, why.format().c_str(),
                  diag.joined().c_str());
      return;
    }
    use(*set, "image");
  }

  template <class Api>
  static bool bound_in(const Api& api, const vitte::loader::elf_image::image_set& set) {
    for (const vitte::loader::binding& b : bindings_of(static_cast<const Api*>(nullptr))) {
      void* address = nullptr;
      std::memcpy(&address, reinterpret_cast<const unsigned char*>(&api) + b.offset, sizeof address);
      if (address == nullptr) continue;  // an optional row the library lacks
      bool inside = false;
      for (std::size_t i = 0; i < set.size() && !inside; ++i) {
        const std::byte* at = static_cast<const std::byte*>(address);
        inside = at >= set[i].base() && at < set[i].base() + set[i].size();
      }
      if (!inside) {
        std::fprintf(stderr, "%s: bound outside the images\n", b.name.data());
        return false;
      }
    }
    return true;
  }

  const char* name_;
  std::string path_;
  int checks_ = 0, failures_ = 0, images_ = 0;
};

#endif  // VITTE_TESTS_BINDGEN_HOST_HPP
