// vitte/loader/elf_image/image_set.hpp - a shared library and the libraries
// it needs, loaded together as in-memory images: what dlopen does for a
// closure, without the OS loader for anything but the C and C++ runtime.
//
//   namespace ln = vitte::loader::elf_image;
//   vitte::diagnostic why;
//   vitte::diagnostic_list diag;
//   auto set = ln::image_set::load("/usr/lib/x86_64-linux-gnu/libssl.so.3", {}, &why, &diag);
//   if (!set) { std::printf("%s\n%s", why.format().c_str(), diag.joined().c_str()); return; }
//   auto version = set->find<const char*(int)>("OpenSSL_version");
//
// What it does, in order:
//   1. reads the root and, breadth first, every DT_NEEDED library: a name
//      the process already provides (the C and C++ runtime: libc, libm,
//      libpthread, libdl, librt, libgcc_s, libstdc++, ld.so; in a dynamic
//      host any library already loaded) binds to the process; every other
//      one is looked for in the DT_RPATH of the object and of the objects
//      that loaded it (when it has no DT_RUNPATH), options.search,
//      LD_LIBRARY_PATH (read at each load), the object's DT_RUNPATH
//      ($ORIGIN expanded), then the system's directories, and loaded as an
//      image. A file reached twice (two names, a link) loads once; a
//      NODELETE library an earlier set left loaded is that image again;
//   2. maps every image, then binds and relocates each, dependencies
//      first, their initializers not yet run, in the set's whole scope (the
//      root, then breadth first, as ld.so's global scope): a dependency
//      may use its dependent's definitions, cycles bind, and a definition
//      earlier in the scope wins over an image's own (interposition: one
//      object for C++'s unique symbols, the inline and template statics).
//      Then options.image.lookup, then the process; never a library the OS
//      would load (a weak undefined symbol nothing defines is null, as
//      under ld.so). Every unbound strong symbol of every image is listed
//      in one error (diag, an entry each: "libfoo.so.1: undefined symbol:
//      bar@VERS_1"), not image by image;
//   3. runs the initializers, dependencies first (ld.so's order); close()
//      runs the finalizers in the reverse order and unloads every image
//      (the ones marked DF_1_NODELETE stay, as under dlopen).
//
// Errors: those of image::load_file, naming the image (the subject of
// `why`); not_found (module_load) for a needed library found nowhere,
// naming it and who needs it (every one in `diag`); module_link for
// unbound symbols (all of them in `diag`, the first in `why`).
// Thread safety: as image.
#ifndef VITTE_LOADER_ELF_IMAGE_IMAGE_SET_HPP
#define VITTE_LOADER_ELF_IMAGE_IMAGE_SET_HPP

#include <vitte/base.hpp>
#include <vitte/loader/elf_image/image.hpp>

#include <cstddef>
#include <type_traits>

namespace vitte::loader::elf_image {

struct image_set_options {
  /// For every image of the set. Its lookup is asked after the set's own
  /// images; run_init is ignored (the set runs the initializers once all
  /// are bound); name is each image's path.
  image_options image{};
  /// Directories searched for needed libraries before the system's.
  span<const text_view> search{};
  /// Sonames bound to the process in addition to the C and C++ runtime's,
  /// or loaded as images although the process has them: "libz.so.1".
  span<const text_view> from_process{};
  span<const text_view> as_image{};
};

class image_set {
 public:
  /// Loads the shared object at `path` and its needed libraries (see the
  /// header).
  static result<image_set> load(text_view path, const image_set_options& options = {}, vitte::diagnostic* why = nullptr,
                                diagnostic_list* diag = nullptr) noexcept;

  image_set() noexcept = default;
  image_set(image_set&& o) noexcept = default;
  image_set& operator=(image_set&& o) noexcept {
    if (this != &o) {
      close();
      images_ = static_cast<buffer<image>&&>(o.images_);
      paths_ = static_cast<buffer<text>&&>(o.paths_);
      init_order_ = static_cast<buffer<std::size_t>&&>(o.init_order_);
      handles_ = static_cast<buffer<void*>&&>(o.handles_);
    }
    return *this;
  }
  ~image_set() { close(); }

  /// The first definition of `name` in load order (the root first), then
  /// in the libraries of the set the OS loader already held (dlsym's
  /// answer for them), as dlsym on the root's handle searches its closure.
  void* symbol(text_view name, text_view version = {}) const noexcept;
  template <class T>
  std::add_pointer_t<T> find(text_view name, text_view version = {}) const noexcept {
    return detail::symbol_as<T>(symbol(name, version));
  }

  /// The images, the root first, then breadth first; and their paths.
  std::size_t size() const noexcept { return images_.size(); }
  const image& operator[](std::size_t i) const noexcept { return images_[i]; }
  text_view path(std::size_t i) const noexcept { return paths_[i]; }

  /// Runs the finalizers, the root first, and unloads every image.
  void close() noexcept;

 private:
  buffer<image> images_;  // load order: the root, then breadth first
  buffer<text> paths_;
  buffer<std::size_t> init_order_;  // dependencies first
  buffer<void*> handles_;           // needed libraries the process provides, opened (dynamic hosts)
};

}  // namespace vitte::loader::elf_image

#if VITTE_HEADER_ONLY
#include <vitte/loader/elf_image/impl/image_set.ipp>
#endif

#endif  // VITTE_LOADER_ELF_IMAGE_IMAGE_SET_HPP
