// vitte/loader/impl/plugin_image.ipp - a plugin's descriptor checked against its file's
// metadata (vitte/loader/impl/plugin_image.hpp).
#ifndef VITTE_LOADER_IMPL_PLUGIN_IMAGE_IPP
#define VITTE_LOADER_IMPL_PLUGIN_IMAGE_IPP

#include <vitte/base.hpp>
#include <vitte/base/detail/hash.hpp>  // content_hash of the metadata
#include <vitte/loader/diagnostics.hpp>
#include <vitte/loader/impl/plugin_image.hpp>
#include <vitte/loader/module.hpp>
#include <vitte/loader/operations.hpp>
#include <vitte/loader/plugin.h>

#include <cstddef>  // offsetof

namespace vitte::loader::detail {

VITTE_DECL status check_descriptor(const vitte_plugin_descriptor* desc, const module_info& info, const text& who,
                                   diagnostic_list* diag) {
  auto bad = [&](const char* what) {
    note(diag, errc::malformed, who, text("descriptor does not match the file's metadata: ") + what);
    return error{errc::malformed, ops::module_load};
  };
  if (desc->magic != VITTE_PLUGIN_DESCRIPTOR_MAGIC) return bad("bad magic");
  if (desc->abi_major != info.id.abi_major || desc->abi_minor != info.id.abi_minor) return bad("ABI version");
  if (desc->size < offsetof(vitte_plugin_descriptor, export_calls)) return bad("descriptor too small");
  if (desc->export_count != info.exports.size() || desc->import_count != info.imports.size() ||
      desc->dependency_count != info.dependencies.size())
    return bad("counts of exports, imports or dependencies");
  if (desc->metadata == nullptr || desc->metadata_size == 0) return bad("no metadata");
  // The metadata in memory must be the bytes read from the file: hashing
  // them is cheaper than decoding them again.
  if (vitte::detail::content_hash(span<const std::byte>(reinterpret_cast<const std::byte*>(desc->metadata),
                                                        desc->metadata_size)) != info.source.metadata_hash)
    return bad("metadata in memory differs from the file's");
  return {};
}

}  // namespace vitte::loader::detail

#endif  // VITTE_LOADER_IMPL_PLUGIN_IMAGE_IPP
