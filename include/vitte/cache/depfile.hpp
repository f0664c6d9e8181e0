// vitte/cache/depfile.hpp - the Makefile rules compilers write with -MD.
//
//   auto d = vitte::cache::parse_depfile("out/a.o: src/a.c src/a.h \\\n src/b\\ c.h\n").value();
//   // d.targets: out/a.o; d.dependencies: src/a.c, src/a.h, "src/b c.h"
//
// Reads what GCC and Clang write (-MD, -MMD, -MP): several rules, lines
// continued with a backslash, `\ `, `\<tab>` and `\#` escapes, `$$` for `$`,
// CRLF (a CR elsewhere, as GCC writes one in a path, is part of the name),
// phony rules with no dependency (-MP). Dependencies come out once each, in
// the order first met. Errors (depfile_read): malformed, with `why` (when
// given) at the line and column ("line 3, column 7: expected ':' after the
// targets"; read_depfile names the file: "out/a.d:3:7: ...").
#ifndef VITTE_CACHE_DEPFILE_HPP
#define VITTE_CACHE_DEPFILE_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/cache/operations.hpp>
#include <vitte/sys/platform.hpp>
#include <vitte/sys/whole_file.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::cache {

/// What a depfile says.
struct depfile {
  buffer<text> targets;
  buffer<text> dependencies;
};

/// Parses depfile text. Errors (depfile_read): malformed, with `why`.
VITTE_DECL result<depfile> parse_depfile(text_view s, diagnostic* why = nullptr);

/// Reads and parses the depfile at `path`. Errors: as sys::read_file, and
/// as parse_depfile; `why` names `path`.
template <class P = sys::platform>
result<depfile> read_depfile(text_view path, diagnostic* why = nullptr) {
  auto content = sys::read_file_string<P>(text(path).c_str(), why);
  if (!content) return content.error();
  auto d = parse_depfile(*content, why);
  if (!d && why != nullptr) why->about(path);
  return d;
}

}  // namespace vitte::cache

#if VITTE_HEADER_ONLY
#include <vitte/cache/impl/depfile.ipp>
#endif

#endif  // VITTE_CACHE_DEPFILE_HPP
