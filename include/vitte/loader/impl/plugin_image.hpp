// What every backend of native code plugins shares, so that no backend
// includes another: the module_image over a plugin's code (native_image,
// over sys::basic_library for the OS loader, impl/os_backend.hpp, or over
// an elf_image::image for in-memory ELF images, impl/image_backend.hpp and
// impl/native_payload.hpp), the check of its descriptor against the
// metadata read from its file, and which backend runs ELF plugins.
#ifndef VITTE_LOADER_IMPL_PLUGIN_IMAGE_HPP
#define VITTE_LOADER_IMPL_PLUGIN_IMAGE_HPP

#include <vitte/base/detail/hash.hpp>  // content_hash of the metadata
#include <vitte/loader/impl/backend.hpp>
#include <vitte/loader/operations.hpp>

#include <cstddef>  // offsetof
#include <string>   // std::to_string
#include <utility>  // std::pair

namespace vitte::loader::detail {

/// A native plugin's code, held by `Handle`: sys::basic_library (the OS
/// loader) or elf_image::image (in-memory ELF); each has close(), pin() and is_open().
template <class Handle>
class native_image final : public module_image {
 public:
  native_image(Handle&& library, const vitte_plugin_descriptor* desc, text who)
      : library_(static_cast<Handle&&>(library)), desc_(desc), who_(static_cast<text&&>(who)) {}

  status instantiate(const module_info& info, span<const export_address> imports, diagnostic_list* diag) override {
    if (desc_->import_slots == nullptr) return {};
    const bool cells = VITTE_PLUGIN_HAS_CELL_CALLS(desc_) && desc_->import_thunks != nullptr;
    for (std::size_t i = 0; i < imports.size(); ++i) {
      void* a = imports[i].address;
      if (a == nullptr || desc_->import_slots[i] == nullptr) continue;
      if (imports[i].foreign) {  // a WebAssembly function: through a thunk of the import's own type
        const vitte_import_thunk* t = cells ? &desc_->import_thunks[i] : nullptr;
        a = t != nullptr && t->make != nullptr ? t->make(imports[i].call, a) : nullptr;
        if (a == nullptr) {
          note(diag, errc::not_supported, who_,
               "import " + info.imports[i].module + "." + info.imports[i].name +
                   " is a foreign function (WebAssembly), and " +
                   (t == nullptr || t->make == nullptr
                        ? "the plugin has no thunk for it (a C plugin, or a type cells cannot carry)"
                        : "every thunk of its type is taken"));
          return error{errc::not_supported, ops::module_link};
        }
        thunks_.push_back({t->drop, a});
      }
      *desc_->import_slots[i] = a;
    }
    return {};
  }
  status bind_exports(module_info& info, buffer<export_address>& addresses, diagnostic_list*) override {
    const bool cells = VITTE_PLUGIN_HAS_CELL_CALLS(desc_) && desc_->export_calls != nullptr;
    addresses.resize(info.exports.size());
    for (std::size_t i = 0; i < addresses.size(); ++i)
      addresses[i] = {desc_->export_addresses[i], cells ? desc_->export_calls[i] : nullptr, false};
    return {};
  }
  status start(const module_info&, vitte_plugin_host* host, diagnostic_list* diag) override {
    if (desc_->init != nullptr) {  // without the loader's lock
      int rc = desc_->init(host);
      if (rc != 0) {
        note(diag, errc::unknown, who_, "init failed (returned " + std::to_string(rc) + ")");
        return error{errc::unknown, ops::module_load};
      }
    }
    started_ = true;
    return {};
  }
  void teardown() noexcept override {
    if (started_ && desc_->fini != nullptr) desc_->fini();
    started_ = false;
    drop_thunks();  // the plugin calls its imports no more
  }
  ~native_image() override { drop_thunks(); }
  void** import_slot(std::size_t i) const noexcept override {
    return desc_->import_slots != nullptr ? desc_->import_slots[i] : nullptr;
  }
  const char* not_rebindable() const noexcept override { return nullptr; }
  const vitte_plugin_descriptor* descriptor() const noexcept override { return desc_; }
  bool may_unmap(const module_info& info) const noexcept override { return info.id.unload_safe || !library_.is_open(); }
  void unmap() noexcept override { (void)library_.close(); }
  void pin() noexcept override { (void)library_.pin(); }

 private:
  Handle library_;
  const vitte_plugin_descriptor* desc_;
  text who_;
  bool started_ = false;
  buffer<std::pair<void (*)(void*), void*>> thunks_;  // made for foreign imports: (drop, thunk)

  void drop_thunks() noexcept {
    for (const auto& t : thunks_) t.first(t.second);
    thunks_.clear();
  }
};

/// Checks a plugin's descriptor, found in memory, against the metadata read
/// from its file. Errors (module_load): malformed, with an entry about
/// `who` in `diag`.
VITTE_DECL status check_descriptor(const vitte_plugin_descriptor* desc, const module_info& info, const text& who,
                                   diagnostic_list* diag);

/// Which backend runs native ELF plugins (loader_options::native).
inline bool use_images(native_backend_choice c) noexcept {
  return c == native_backend_choice::image || (c == native_backend_choice::automatic && !VITTE_HAS_DYNAMIC_LIBRARIES);
}

}  // namespace vitte::loader::detail

#if VITTE_HEADER_ONLY
#include <vitte/loader/impl/plugin_image.ipp>
#endif

#endif  // VITTE_LOADER_IMPL_PLUGIN_IMAGE_HPP
