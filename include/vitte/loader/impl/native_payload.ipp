// vitte/loader/impl/native_payload.ipp - a container's native payload loaded as an
// in-memory ELF image (vitte/loader/impl/native_payload.hpp).
#ifndef VITTE_LOADER_IMPL_NATIVE_PAYLOAD_IPP
#define VITTE_LOADER_IMPL_NATIVE_PAYLOAD_IPP

#include <vitte/base.hpp>
#include <vitte/loader/diagnostics.hpp>
#include <vitte/loader/elf_image/image.hpp>
#include <vitte/loader/impl/backend.hpp>
#include <vitte/loader/impl/native_payload.hpp>
#include <vitte/loader/impl/plugin_image.hpp>  // native_image, check_descriptor
#include <vitte/loader/inspect.hpp>            // read_plugin
#include <vitte/loader/module.hpp>
#include <vitte/loader/operations.hpp>

#include <cstddef>
#include <memory>

namespace vitte::loader::detail {

/// A plugin from a container's payload, seen through the container's
/// manifest: `to_meta_` maps each manifest import and export to the
/// plugin's own record of the same name.
class native_payload_image final : public module_image {
 public:
  native_payload_image(elf_image::image&& img, const vitte_plugin_descriptor* desc, module_info&& meta,
                       buffer<std::size_t>&& import_map, buffer<std::size_t>&& export_map, text who)
      : plugin_(static_cast<elf_image::image&&>(img), desc, who),
        meta_(static_cast<module_info&&>(meta)),
        import_map_(static_cast<buffer<std::size_t>&&>(import_map)),
        export_map_(static_cast<buffer<std::size_t>&&>(export_map)) {}

  status instantiate(const module_info&, span<const export_address> imports, diagnostic_list* diag) override {
    buffer<export_address> in_plugin_order(meta_.imports.size());
    for (std::size_t i = 0; i < imports.size() && i < import_map_.size(); ++i)
      in_plugin_order[import_map_[i]] = imports[i];
    return plugin_.instantiate(meta_, in_plugin_order, diag);
  }
  status bind_exports(module_info& info, buffer<export_address>& addresses, diagnostic_list* diag) override {
    buffer<export_address> in_plugin_order;
    if (status s = plugin_.bind_exports(meta_, in_plugin_order, diag); !s) return s;
    addresses.resize(info.exports.size());
    for (std::size_t i = 0; i < info.exports.size() && i < export_map_.size(); ++i) {
      addresses[i] = in_plugin_order[export_map_[i]];
      info.exports[i].signature = meta_.exports[export_map_[i]].signature;
    }
    return {};
  }
  status start(const module_info& info, vitte_plugin_host* host, diagnostic_list* diag) override {
    return plugin_.start(info, host, diag);
  }
  void teardown() noexcept override { plugin_.teardown(); }
  void** import_slot(std::size_t) const noexcept override { return nullptr; }
  const char* not_rebindable() const noexcept override {
    return "a container's native payload, whose imports are bound once";
  }
  bool may_unmap(const module_info&) const noexcept override { return plugin_.may_unmap(meta_); }
  void unmap() noexcept override { plugin_.unmap(); }
  void pin() noexcept override { plugin_.pin(); }

 private:
  native_image<elf_image::image> plugin_;
  module_info meta_;                // the plugin's own metadata, read from the payload
  buffer<std::size_t> import_map_;  // manifest import i -> the plugin's import record
  buffer<std::size_t> export_map_;  // manifest export i -> the plugin's export record
};

VITTE_DECL result<std::unique_ptr<module_image>> open_native_payload(module_info& info, span<const std::byte> payload,
                                                                     const text& who, diagnostic_list* diag) {
  // About the module; the message names its file and the payload.
  auto refuse = [&](const text& what, errc code = errc::malformed) -> error {
    note(diag, code, who, info.source.path + ": native payload: " + what);
    return error{code, ops::module_load};
  };
  if (!elf_image::images_supported()) return refuse("this host cannot load in-memory ELF images", errc::not_supported);
  vitte::diagnostic why;
  result<module_info> meta = read_plugin(payload, &why);
  if (!meta) {
    (void)refuse("not a vitte plugin", meta.error().kind());
    note(diag, why);  // what the reader found, at an offset in the payload
    return error{meta.error().kind(), ops::module_load};
  }
  if (meta->id.name != info.id.name || meta->id.version != info.id.version)
    return refuse("the plugin is " + meta->id.name + " " + meta->id.version + ", the manifest names " + info.id.name +
                  " " + info.id.version);
  // Every import the plugin declares must be one the manifest declares (so
  // that the loader binds it); every export the manifest declares, one the plugin has.
  buffer<std::size_t> import_map(info.imports.size(), 0), export_map(info.exports.size(), 0);
  buffer<bool> bound(meta->imports.size(), false);
  for (std::size_t i = 0; i < info.imports.size(); ++i) {
    std::size_t j = 0;
    while (j < meta->imports.size() &&
           (meta->imports[j].module != info.imports[i].module || meta->imports[j].name != info.imports[i].name))
      ++j;
    if (j == meta->imports.size())
      return refuse("the manifest imports " + info.imports[i].module + "." + info.imports[i].name +
                    ", which the plugin does not");
    import_map[i] = j, bound[j] = true;
  }
  for (std::size_t i = 0; i < info.imports.size(); ++i)
    info.imports[i].signature = meta->imports[import_map[i]].signature;
  for (std::size_t j = 0; j < bound.size(); ++j)
    if (!bound[j])
      return refuse("the plugin imports " + meta->imports[j].module + "." + meta->imports[j].name +
                    ", which the manifest does not declare");
  for (std::size_t i = 0; i < info.exports.size(); ++i) {
    std::size_t j = 0;
    while (j < meta->exports.size() && meta->exports[j].name != info.exports[i].name) ++j;
    if (j == meta->exports.size())
      return refuse("the manifest exports " + info.exports[i].name + ", which the plugin does not");
    export_map[i] = j;
  }
  elf_image::image_options o;
  o.name = info.source.path;
  diagnostic_list more;  // what needs more than one entry: every unbound symbol
  result<elf_image::image> img = elf_image::image::load(payload, o, &why, &more);
  if (!img) {
    (void)refuse("cannot load it as an image (offsets in the payload)", img.error().kind());
    if (more.empty()) note(diag, why);
    if (diag != nullptr) diag->add_all(more);
    return error{img.error().kind(), ops::module_load};
  }
  const auto* desc = img->template find<const vitte_plugin_descriptor>(VITTE_PLUGIN_DESCRIPTOR_SYMBOL);
  if (desc == nullptr) return refuse("no plugin descriptor (" VITTE_PLUGIN_DESCRIPTOR_SYMBOL ")");
  if (status st = check_descriptor(desc, *meta, who, diag); !st) return st.error();
  return std::unique_ptr<module_image>(new native_payload_image(
      static_cast<elf_image::image&&>(*img), desc, static_cast<module_info&&>(*meta),
      static_cast<buffer<std::size_t>&&>(import_map), static_cast<buffer<std::size_t>&&>(export_map), who));
}

}  // namespace vitte::loader::detail

#endif  // VITTE_LOADER_IMPL_NATIVE_PAYLOAD_IPP
