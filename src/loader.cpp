// loader.cpp - compiled mode: the non-template bodies of vitte/loader (plugins, containers, metadata readers, in-memory
// ELF images), compiled once. Part of libvitte with src/vitte.cpp; see there.
#ifndef VITTE_SEPARATE_COMPILATION
#error "vitte: compile src/loader.cpp with -DVITTE_SEPARATE_COMPILATION"
#endif

#include <vitte/base/config.hpp>

// The formats the loader reads and writes.
#include <vitte/loader/impl/description.ipp>  // parse_description: a module's description in text
#include <vitte/loader/impl/manifest.ipp>     // the manifest's decoder and encoder
#include <vitte/loader/impl/signature.ipp>    // the trust store, signature checks
#include <vitte/loader/impl/vitmod.ipp>       // .vitmod containers: reader, builder, signing
#include <vitte/loader/impl/wasm_module.ipp>  // .wasm files as modules: the vitte.module section
// The metadata readers.
#include <vitte/loader/impl/elf.ipp>      // the ELF reader
#include <vitte/loader/impl/inspect.ipp>  // a plugin's metadata, compatibility
#include <vitte/loader/impl/macho.ipp>    // the Mach-O reader
#include <vitte/loader/impl/pe.ipp>       // the PE reader
// The loader's core and backends.
#include <vitte/loader/impl/bind.ipp>            // bind's refusals
#include <vitte/loader/impl/container.ipp>       // a container's module model
#include <vitte/loader/impl/log_sink.ipp>        // forward_to_logger
#include <vitte/loader/impl/native_payload.ipp>  // a container's native payload as an image
#include <vitte/loader/impl/plugin_image.ipp>    // a plugin's descriptor checked
#include <vitte/loader/impl/resolver.ipp>        // the resolver's candidates and plans
#include <vitte/loader/impl/symbol.ipp>          // export tables
// Isolated plugins: failures, the protocol, the plugin host's calls.
#include <vitte/loader/impl/isolated.ipp>           // signal names, isolated_failure::message
#include <vitte/loader/impl/isolated_host.ipp>      // the plugin host's calls into the plugin
#include <vitte/loader/impl/isolated_protocol.ipp>  // the frames: encoding, checked decoding

// In-memory ELF images (vitte/loader/elf_image/): image and image_set
// everywhere (elsewhere they refuse with not_supported), what images ask of
// the OS (dlsym, getauxval, the unwinder), and on a host with relocation
// rules (impl/host.hpp) the steps, as image.ipp includes them.
#include <vitte/loader/elf_image/detail/image_os.ipp>  // the process's symbols, the OS's services
#include <vitte/loader/elf_image/impl/host.hpp>        // VITTE_IMAGE_HOST
#include <vitte/loader/elf_image/impl/image.ipp>       // image: load, close, symbols
#include <vitte/loader/elf_image/impl/image_set.ipp>   // image_set: a library and what it needs
#if VITTE_IMAGE_HOST
#include <vitte/loader/elf_image/impl/debugger.ipp>     // GDB's JIT interface
#include <vitte/loader/elf_image/impl/elf_parse.ipp>    // the checks of the input, before mapping
#include <vitte/loader/elf_image/impl/relocate.ipp>     // mapping, binding, relocating, protecting
#include <vitte/loader/elf_image/impl/runtime.ipp>      // the C library's loader services, for images
#include <vitte/loader/elf_image/impl/state.ipp>        // what a loaded image keeps
#include <vitte/loader/elf_image/impl/symbols.ipp>      // symbol lookup in an image
#include <vitte/loader/elf_image/impl/tls.ipp>          // images' thread-locals
#include <vitte/loader/elf_image/impl/tls_imports.ipp>  // thread-locals an image imports
#endif
