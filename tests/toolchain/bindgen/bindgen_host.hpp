// What the bindgen tests share: the library's file from the command line,
// each way of loading it (the OS loader, and vitte's ELF images where this
// host runs them), and checks that print what failed.
#ifndef VITTE_TESTS_BINDGEN_HOST_HPP
#define VITTE_TESTS_BINDGEN_HOST_HPP

#include <vitte/loader/bind.hpp>
#include <vitte/loader/elf_image/image.hpp>
#include <vitte/sys/dynlib.hpp>
#include <vitte/sys/file.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
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

  /// Binds Api from the library through the OS loader, then as an image
  /// (when this host runs images and the image loader takes the library),
  /// and runs `fn` on each table.
  template <class Api, class F>
  void each_source(F&& fn) {
    vitte::diagnostic why;
    auto lib = vitte::sys::library::open(path_.c_str(), vitte::sys::library_flags::now, &why);
    check(static_cast<bool>(lib), "OS loader", "the library opens");
    if (lib) {
      vitte::diagnostic_list missing;
      auto api = vitte::loader::bind<Api>(*lib, &missing);
      if (!api) std::fputs(missing.joined().c_str(), stderr);
      check(static_cast<bool>(api), "OS loader", "bind<api> binds every symbol");
      if (api) fn(*api, "OS loader");
    }
    namespace ln = vitte::loader::elf_image;
    if (!ln::images_supported()) {
      std::printf("%s: images: not run on this host\n", name_);
      return;
    }
    auto f = vitte::sys::file::open(path_.c_str(), vitte::sys::open_mode::read);
    check(static_cast<bool>(f), "image", "the library's file opens");
    if (!f) return;
    vitte::diagnostic img_why;
    vitte::diagnostic_list img_diag;
    auto img = ln::image::load_file(*f, {}, &img_why, &img_diag);
    if (!img) {  // what the image loader refuses, it names: said, not failed
      std::printf("%s: images: the image loader refuses the library: %s\n", name_, img_why.format().c_str());
      return;
    }
    vitte::diagnostic_list missing;
    auto api = vitte::loader::bind<Api>(*img, &missing);
    if (!api) std::fputs(missing.joined().c_str(), stderr);
    check(static_cast<bool>(api), "image", "bind<api> binds every symbol");
    if (api) fn(*api, "image");
    ++images_;
  }

  int finish() const {
    std::printf("%s: %d checks, %d failed (%d image run%s)\n", name_, checks_, failures_, images_,
                images_ == 1 ? "" : "s");
    return failures_ == 0 ? 0 : 1;
  }

 private:
  const char* name_;
  std::string path_;
  int checks_ = 0, failures_ = 0, images_ = 0;
};

#endif  // VITTE_TESTS_BINDGEN_HOST_HPP
