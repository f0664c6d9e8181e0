// In-memory ELF images as a module backend: a native ELF plugin read from
// its file and loaded by vitte/loader/elf_image/image.hpp instead of the OS
// loader (loader_options::native, and always in a static build). The
// descriptor check, the import slots, init and fini are shared with the OS
// backend through impl/plugin_image.hpp (native_image over an elf_image::image).
#ifndef VITTE_LOADER_IMPL_IMAGE_BACKEND_HPP
#define VITTE_LOADER_IMPL_IMAGE_BACKEND_HPP

#include <vitte/loader/elf_image/image.hpp>
#include <vitte/loader/impl/backend.hpp>
#include <vitte/loader/impl/plugin_image.hpp>  // native_image, check_descriptor
#include <vitte/loader/operations.hpp>
#include <vitte/sys/file.hpp>

namespace vitte::loader::detail {

template <class P>
class image_backend final : public module_backend {
 public:
  explicit image_backend(native_backend_choice choice = native_backend_choice::automatic) noexcept : choice_(choice) {}

  bool handles(const module_info& info) const noexcept override {
    return info.source.format == module_format::elf && use_images(choice_);
  }
  text unavailable(const module_info&) const override {
    return elf_image::images_supported() ? text() : text("in-memory ELF images on this host");
  }
  const char* unavailable_reason() const noexcept override { return "cannot load"; }

  result<std::unique_ptr<module_image>> open(module_info& info, diagnostic_list* diag) override {
    text who = info.id.name + " " + info.id.version;
    // Mapped as the OS loader maps it: private pages of the file.
    auto f = sys::basic_file<P>::open(info.source.path, sys::open_mode::read);
    if (!f) {
      note(diag, f.error(), info.source.path, "cannot read");
      return f.error();
    }
    vitte::diagnostic why;
    diagnostic_list more;  // what needs more than one entry: every unbound symbol
    elf_image::image_options o;
    o.name = info.source.path;
    result<elf_image::image> img = elf_image::image::load_file(*f, o, &why, &more);
    if (!img) {
      if (more.empty()) note(diag, name_file(why, info.source.path));  // about the file
      if (diag != nullptr) diag->add_all(more);                        // each unbound symbol, about the file
      return img.error();
    }
    const auto* desc = img->template find<const vitte_plugin_descriptor>(VITTE_PLUGIN_DESCRIPTOR_SYMBOL);
    if (desc == nullptr) {
      note(diag, errc::malformed, who, "no plugin descriptor (" VITTE_PLUGIN_DESCRIPTOR_SYMBOL ")");
      return error{errc::malformed, ops::module_load};
    }
    if (status st = check_descriptor(desc, info, who, diag); !st) return st.error();
    return std::unique_ptr<module_image>(
        new native_image<elf_image::image>(static_cast<elf_image::image&&>(*img), desc, static_cast<text&&>(who)));
  }

 private:
  native_backend_choice choice_;
};

}  // namespace vitte::loader::detail

#endif  // VITTE_LOADER_IMPL_IMAGE_BACKEND_HPP
