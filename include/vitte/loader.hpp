// vitte/loader.hpp - the plugin loader, for hosts: loading, linking and
// unloading native and WebAssembly modules, their containers, signatures
// and metadata, and the readers of the object formats they come in.
// Not included here: vitte/loader/plugin.hpp (for writing a plugin) and
// vitte/loader/wasm_executor.hpp (the WebAssembly engine as an executor:
// it brings in vitte/wasm).
#ifndef VITTE_LOADER_HPP
#define VITTE_LOADER_HPP

#include <vitte/loader/bind.hpp>             // tables vitte bindgen generates, filled from a module
#include <vitte/loader/container.hpp>        // .vitmod / .vitbc containers as modules
#include <vitte/loader/description.hpp>      // a module's description in text
#include <vitte/loader/diagnostics.hpp>      // how loader errors are described
#include <vitte/loader/elf.hpp>              // ELF reader
#include <vitte/loader/elf_image/image.hpp>  // ELF shared objects loaded from memory
#include <vitte/loader/executor.hpp>         // what runs a container's payload
#include <vitte/loader/inspect.hpp>          // a plugin's metadata without loading it
#include <vitte/loader/loader.hpp>           // loading, linking, caching, unloading
#include <vitte/loader/log_sink.hpp>         // where modules' log lines go
#include <vitte/loader/macho.hpp>            // Mach-O reader
#include <vitte/loader/manifest.hpp>         // a module's manifest, binary form
#include <vitte/loader/module.hpp>           // identity, exports, imports
#include <vitte/loader/operations.hpp>       // loader::ops
#include <vitte/loader/pe.hpp>               // PE/COFF reader
#include <vitte/loader/reload.hpp>           // hot reload
#include <vitte/loader/resolver.hpp>         // names to files, modules to dependencies
#include <vitte/loader/semver.hpp>           // versions and ranges
#include <vitte/loader/signature.hpp>        // who signed a container
#include <vitte/loader/symbol.hpp>           // loaded modules as values, exports
#include <vitte/loader/vitmod.hpp>           // the container format
#include <vitte/loader/vitmod_file.hpp>      // a container file, mapped
#include <vitte/loader/wasm_module.hpp>      // .wasm files as modules

#endif  // VITTE_LOADER_HPP
