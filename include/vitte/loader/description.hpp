// vitte/loader/description.hpp - a module's description in text, the input
// `vitte pack` turns into a container: one "key = value" per line, '#'
// starts a comment, blank lines are ignored.
//
//   name = greeter                 version = 1.2.0
//   kind = bytecode|native|wasm    target = <arch> <os>      (numbers)
//   depends = <module> <range...>  depends-optional = <module> <range...>
//   export = <name> [function|data|type] [version]
//   import = <module> <name> [function|data|type]
//   custom = <name> <file> [required]
//
//   vitte::loader::vitmod_builder b;
//   vitte::buffer<vitte::loader::custom_file> files;
//   vitte::diagnostic why;
//   if (auto ok = vitte::loader::parse_description(text, b, files, &why); !ok)
//     std::puts(why.about("greeter.manifest").format().c_str());
//     // "greeter.manifest:3: kind is bytecode, native or wasm"
//   // Then read each file into b.custom and set b.payload.
//
// The parser reads no file: custom sections are named with their file, for
// the caller to read (and to decide where relative paths start).
#ifndef VITTE_LOADER_DESCRIPTION_HPP
#define VITTE_LOADER_DESCRIPTION_HPP

#include <vitte/base.hpp>
#include <vitte/loader/diagnostics.hpp>  // refuse
#include <vitte/loader/vitmod.hpp>       // vitmod_builder

namespace vitte::loader {

/// A custom section a description names, with the file that holds it.
struct custom_file {
  text name;
  text path;
  bool required = false;
};

/// Fills `b`'s manifest, payload kind and target from `text`, and lists
/// the custom sections' files in `files`. Errors: errc::malformed
/// (ops::module_read), with `why` (when given) saying what and on which
/// line (why->line(), 1-based): no "key = value", text that is not UTF-8,
/// an unknown key, a value of the wrong shape, a number out of range, a
/// version or range that is not semver; a missing name or version has no
/// line. The caller, who read the text from a file, names it:
/// `why.about(path)`.
VITTE_DECL status parse_description(text_view text, vitmod_builder& b, buffer<custom_file>& files,
                                    vitte::diagnostic* why = nullptr);

}  // namespace vitte::loader

#if VITTE_HEADER_ONLY
#include <vitte/loader/impl/description.ipp>
#endif

#endif  // VITTE_LOADER_DESCRIPTION_HPP
