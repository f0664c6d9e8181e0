// vitte/toolchain/ninja_manifest.hpp - a build.ninja read as ninja 1.11
// reads it: rules, build statements, pools, defaults, variables and their
// scopes, include and subninja, with every rule variable evaluated as the
// step's command, description, depfile, ... .
//
//   namespace toolchain = vitte::toolchain;
//   vitte::diagnostic why;
//   auto m = toolchain::read_ninja_manifest("build.ninja", {}, &why);
//   if (!m) std::fprintf(stderr, "%s\n", why.format().c_str());
//   // "build.ninja:12:17: unknown build rule 'cc'"
//   for (const toolchain::ninja_step& s : m->steps)
//     std::printf("%s\n", s.command.c_str());   // what `ninja -t commands` prints
//
// The language (ninja's manual, "Ninja file reference"):
// - `rule NAME` with indented `command`, `description`, `depfile`, `deps`,
//   `msvc_deps_prefix`, `dyndep`, `pool`, `restat`, `generator`, `rspfile`
//   and `rspfile_content` (others refused; command required; rspfile and
//   rspfile_content together).
// - `build OUT... [| IMPLICIT_OUT...]: RULE IN... [| IMPLICIT...]
//   [|| ORDER_ONLY...] [|@ VALIDATION...]` with indented bindings; `phony`
//   is built in.
// - `pool NAME` with `depth = N`; `console` (depth 1) is built in.
// - `default PATH...`, `NAME = VALUE`, `include PATH` (same scope),
//   `subninja PATH` (a child scope: its rules and variables stay inside),
//   `# comments`, `$` escapes (`$$`, `$ `, `$:`, `$\n` continues the line,
//   `$name`, `${name}`), `ninja_required_version` (refused above 1.11).
// Scoping as ninja: a build statement's bindings are expanded when it is
// read, in its file's scope; a rule's variables are expanded for each step
// in the step's scope (the step's bindings, then the rule's, then the
// file scopes outward) once the whole manifest is read, so a file variable
// assigned after the build statement is the one its command sees, as in
// ninja. `$in` and `$out` are the explicit inputs and outputs, each quoted
// for a POSIX shell when it needs it; `$in_newline` puts one per line.
// Paths are canonical as ninja makes them ("./a//b/../c" is "a/c").
//
// Errors (malformed), with `why` (when given) naming the file, line and
// column and what was wrong in ninja's own words ("unknown build rule 'cc'",
// "multiple rules generate a.o", "expected 'command =' line", "bad
// $-escape (literal $ must be written as $$)", "tabs are not allowed, use
// spaces", "loading 'x.ninja': not found"); a rule variable that refers to
// itself is refused ("cycle in rule variables: command -> command"). A
// phony step that names its own output as an input has that input dropped,
// as ninja does by default, and a warning is added to `warnings`.
// Limits: `ninja_limits` (include depth, file size, steps), refused by name.
// The dyndep files a step names are read by parse_ninja_dyndep (below)
// when the build reaches them (vitte/toolchain/ninja_build.hpp).
#ifndef VITTE_TOOLCHAIN_NINJA_MANIFEST_HPP
#define VITTE_TOOLCHAIN_NINJA_MANIFEST_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic.hpp>
#include <vitte/base/diagnostic_list.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::toolchain {

/// One build statement, its rule's variables evaluated in its scope.
struct ninja_step {
  text rule;             ///< "phony" for phony steps
  buffer<text> outputs;  ///< explicit outputs, then implicit ones
  std::uint32_t implicit_outputs = 0;
  buffer<text> inputs;  ///< explicit, then implicit, then order-only
  std::uint32_t implicit_inputs = 0;
  std::uint32_t order_only_inputs = 0;
  buffer<text> validations;  ///< `|@` paths
  text command;              ///< empty for phony
  text description;
  text depfile;  ///< not shell-quoted
  text deps;     ///< "", "gcc" or "msvc"
  text msvc_deps_prefix;
  text dyndep;   ///< a path among the inputs, or empty
  text rspfile;  ///< not shell-quoted
  text rspfile_content;
  text pool;  ///< empty: no pool
  bool restat = false;
  bool generator = false;
  text file;               ///< the manifest file that declares it
  std::uint32_t line = 0;  ///< and the line of its `build`

  std::size_t explicit_inputs() const noexcept { return inputs.size() - implicit_inputs - order_only_inputs; }
  std::size_t explicit_outputs() const noexcept { return outputs.size() - implicit_outputs; }
};

/// A pool: at most `depth` of its steps run at once.
struct ninja_pool {
  text name;
  std::uint32_t depth = 0;
};

/// A whole manifest, include and subninja files read.
struct ninja_manifest {
  buffer<ninja_step> steps;  ///< in the order they were declared
  buffer<ninja_pool> pools;  ///< declared ones; `console` (depth 1) is implied
  buffer<text> defaults;     ///< `default` paths, canonical (empty: every root)
  text builddir;             ///< the top-level `builddir` (where .ninja_log goes)
  text required_version;     ///< `ninja_required_version`, as written
  diagnostic_list warnings;  ///< what ninja warns about (a phony cycle)
};

/// What a manifest may hold before it is refused.
struct ninja_limits {
  std::uint32_t include_depth = 64;                    ///< nested include/subninja
  std::uint64_t file_bytes = std::uint64_t{1} << 30;   ///< one file's size
  std::uint64_t total_bytes = std::uint64_t{4} << 30;  ///< every file read
  std::uint32_t steps = 10'000'000;
  std::uint32_t variable_depth = 256;                     ///< a variable expanding another, nested
  std::uint64_t value_bytes = std::uint64_t{64} << 20;    ///< one expanded value or command
  std::uint64_t expanded_bytes = std::uint64_t{4} << 30;  ///< every value, path and command kept
};

/// Where `include` and `subninja` find their files. `read` returns the
/// file's text; null reads from the file system (paths relative to the
/// current directory, as ninja resolves them, not to the including file).
struct ninja_files {
  result<text> (*read)(text_view path, void* context, diagnostic* why) = nullptr;
  void* context = nullptr;
};

/// The manifest in `source`, named `name` in diagnostics; include and
/// subninja read through `files`.
VITTE_DECL result<ninja_manifest> parse_ninja_manifest(text_view source, text_view name, ninja_files files = {},
                                                       ninja_limits limits = {}, diagnostic* why = nullptr);

/// The manifest in the file `path` (and what it includes).
VITTE_DECL result<ninja_manifest> read_ninja_manifest(text_view path, ninja_limits limits = {},
                                                      diagnostic* why = nullptr);

/// One statement of a dyndep file (`build OUT | IMPLICIT_OUT...: dyndep |
/// IMPLICIT_IN...` with an optional indented `restat = VALUE`): what it
/// adds to the step that makes `output`, paths canonical.
struct ninja_dyndep {
  text output;  ///< the one explicit output named
  buffer<text> implicit_outputs;
  buffer<text> implicit_inputs;
  bool restat = false;  ///< `restat` bound to a non-empty value
};

/// A dyndep file as ninja 1.11 reads it (its manual, "Dynamic
/// Dependencies"): `ninja_dyndep_version = 1` (1.0; any other refused)
/// before anything else, then `build` statements as above, `# comments`
/// and `$` escapes; variables expand to nothing.
struct ninja_dyndep_file {
  buffer<ninja_dyndep> statements;  ///< in the order they were written
};

/// Which step of the manifest makes `path`: its index, or -1 when none
/// does (then the statement naming it is refused, as ninja refuses it).
struct ninja_dyndep_steps {
  std::int64_t (*step_of)(text_view path, void* context) = nullptr;  ///< null: every output is taken
  void* context = nullptr;
};

/// The dyndep file in `source`, named `name` in diagnostics. Errors
/// (malformed), with `why` naming the file, line and column in ninja's
/// words: "expected 'ninja_dyndep_version = ...'", "unsupported
/// 'ninja_dyndep_version = 2'", "no build statement exists for 'x'" (when
/// `steps` says so), "multiple statements for 'x'" (two naming one step),
/// "explicit outputs not supported", "expected build command name
/// 'dyndep'", "explicit inputs not supported", "order-only inputs not
/// supported", "binding is not 'restat'", "empty path", the lexer's.
VITTE_DECL result<ninja_dyndep_file> parse_ninja_dyndep(text_view source, text_view name, ninja_dyndep_steps steps = {},
                                                        diagnostic* why = nullptr);

/// `path` canonical as ninja makes it: "." and empty components dropped,
/// "x/.." folded, "../" kept at the front, "." for nothing.
VITTE_DECL text ninja_canonical_path(text_view path);

/// `path` appended to `out` as ninja writes it into `$in`/`$out` for a
/// POSIX shell: as it is when made of [A-Za-z0-9_+-./] only, otherwise in
/// single quotes (a quote inside as '\'').
VITTE_DECL void ninja_shell_quote(text_view path, text& out);

}  // namespace vitte::toolchain

#if VITTE_HEADER_ONLY
#include <vitte/toolchain/impl/ninja_manifest.ipp>
#endif

#endif  // VITTE_TOOLCHAIN_NINJA_MANIFEST_HPP
