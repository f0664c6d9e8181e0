// The loader's seven suites as one program (tests/meson.build,
// suite_groups). Their test bodies share the loader, the ELF, PE and Mach-O
// readers, the containers, crypto and the WebAssembly engine, which a
// header-only library compiles again in every translation unit: as one unit
// they compile once per target (GCC 12 -O2: 83 s of CPU, against 198 s as
// seven programs). The files share loader_fixture.hpp's helpers; what one
// file keeps to itself has a name no other file of the group uses.
#include "test_loader.cpp"             // loads tests/loader/plugins/
#include "test_loader_c.cpp"           // a C plugin (plugins/c_plugin.c), the log sink
#include "test_loader_containers.cpp"  // .vitmod/.vitbc containers with the plugins
#include "test_loader_inspect.cpp"     // reads the plugins' metadata
#include "test_loader_macho.cpp"       // Mach-O objects and fat files made from plugins/c_plugin.c
#include "test_loader_reload.cpp"      // reloads the plugins
#include "test_loader_wasm.cpp"        // .wasm modules and wasm containers with the plugins
