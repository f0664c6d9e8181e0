// The native payload of a container (payload_kind::native) when the host
// registered no executor of its own for it: a vitte plugin (an ELF shared
// object with its metadata and descriptor) loaded as an in-memory image
// from the container's verified bytes, never from a path. The payload's
// plugin must be the module the manifest names (name, version); the
// manifest's imports and exports are matched to the plugin's by name, and
// its exports take their signatures from the plugin's metadata.
#ifndef VITTE_LOADER_IMPL_NATIVE_PAYLOAD_HPP
#define VITTE_LOADER_IMPL_NATIVE_PAYLOAD_HPP

#include <vitte/loader/elf_image/image.hpp>
#include <vitte/loader/impl/backend.hpp>
#include <vitte/loader/impl/plugin_image.hpp>  // native_image, check_descriptor
#include <vitte/loader/inspect.hpp>            // read_plugin
#include <vitte/loader/operations.hpp>

#include <cstddef>
#include <memory>

namespace vitte::loader::detail {

/// Loads the native payload `payload` of the container described by `info`
/// (its manifest) as an image, and gives the manifest's imports the
/// plugin's signatures, so that the linker checks their types. Errors (module_load): not_supported where
/// images are; malformed when the payload is not the manifest's plugin; the
/// image's errors, each with an entry in `diag`.
VITTE_DECL result<std::unique_ptr<module_image>> open_native_payload(module_info& info, span<const std::byte> payload,
                                                                     const text& who, diagnostic_list* diag);

}  // namespace vitte::loader::detail

#if VITTE_HEADER_ONLY
#include <vitte/loader/impl/native_payload.ipp>
#endif

#endif  // VITTE_LOADER_IMPL_NATIVE_PAYLOAD_HPP
