// The OS loader as a module backend: ELF, PE and Mach-O plugins opened with
// sys::library (dlopen RTLD_NOW | RTLD_LOCAL, LoadLibrary), their descriptor
// checked against the metadata read from the file (impl/plugin_image.hpp
// holds the image and the check, shared with the in-memory ELF backend).
#ifndef VITTE_LOADER_IMPL_OS_BACKEND_HPP
#define VITTE_LOADER_IMPL_OS_BACKEND_HPP

#include <vitte/loader/impl/backend.hpp>
#include <vitte/loader/impl/plugin_image.hpp>  // native_image, check_descriptor, use_images
#include <vitte/loader/operations.hpp>
#include <vitte/sys/dynlib.hpp>

#include <memory>

namespace vitte::loader::detail {

template <class P>
class os_backend final : public module_backend {
 public:
  explicit os_backend(native_backend_choice choice = native_backend_choice::automatic) noexcept : choice_(choice) {}
  bool handles(const module_info& info) const noexcept override {
    return (info.source.format == module_format::elf && !use_images(choice_)) ||
           info.source.format == module_format::pe || info.source.format == module_format::macho;
  }
  text unavailable(const module_info&) const override { return {}; }
  const char* unavailable_reason() const noexcept override { return "cannot open"; }

  result<std::unique_ptr<module_image>> open(module_info& info, diagnostic_list* diag) override {
    text who = info.id.name + " " + info.id.version;
    // The OS loader: the library's static constructors run here.
    vitte::diagnostic why;  // the OS loader's, about the path or the symbol
    result<sys::basic_library<P>> lib =
        sys::basic_library<P>::open(info.source.path.c_str(), sys::library_flags::now, &why);
    if (!lib) {
      note(diag, why);
      return lib.error();
    }
    result<const vitte_plugin_descriptor*> d =
        lib->template sym<const vitte_plugin_descriptor>(VITTE_PLUGIN_DESCRIPTOR_SYMBOL, &why);
    if (!d) {
      note(diag, errc::malformed, who, "no plugin descriptor");
      note(diag, why);
      return error{errc::malformed, ops::module_load};
    }
    const vitte_plugin_descriptor* desc = *d;
    if (status st = check_descriptor(desc, info, who, diag); !st) return st.error();
    return std::unique_ptr<module_image>(new native_image<sys::basic_library<P>>(
        static_cast<sys::basic_library<P>&&>(*lib), desc, static_cast<text&&>(who)));
  }

 private:
  native_backend_choice choice_;
};

}  // namespace vitte::loader::detail

#endif  // VITTE_LOADER_IMPL_OS_BACKEND_HPP
