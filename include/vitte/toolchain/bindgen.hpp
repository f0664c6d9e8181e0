// vitte/toolchain/bindgen.hpp - C headers read as the system C compiler sees
// them, and written back as a C++ header of typed, signature-checked
// bindings (docs/BINDGEN.md).
//
//   namespace toolchain = vitte::toolchain;
//   toolchain::bindgen_options o;
//   o.headers.push_back("/usr/include/zlib.h");
//   o.module = "zlib";
//   vitte::diagnostic why;
//   auto decls = toolchain::read_c_declarations(o, &why);        // runs cc -E -dD, then a layout probe
//   if (!decls) { std::puts(why.format().c_str()); return; }     // "zlib.h:1712:5: expected ';'"
//   vitte::text hpp = toolchain::write_bindings(*decls, o).value();
//
// Reading has two steps. The compiler's preprocessor (`cc -E -dD`) expands
// the headers with the options' -I and -D; parse_c_declarations() reads its
// output: functions (variadic too), variables, structs and unions (bitfields,
// flexible array members, anonymous members, __attribute__((packed)) and
// #pragma pack), enums, typedefs, function pointer types, `__asm__` symbol
// names, and the #define lines whose bodies are integer constant
// expressions. Then a probe program, compiled and run with the same
// compiler, reports what only the compiler knows: every struct's size,
// alignment and field offsets, every enum's underlying type and every
// constant's value and type. A fault in the text is a diagnostic at the
// header's file:line:column (the line markers of the preprocessor's output).
//
// write_bindings() writes, in namespace `module`: the declarations in the
// headers' order, static_asserts of every layout the probe reported,
// `inline constexpr` constants, the function types (namespace `fn`), and
// `struct api`: a typed pointer per function and variable, filled by
// vitte::loader::bind<module::api>(source) (vitte/loader/bind.hpp) with each
// symbol's signature_hash checked where the source declares one. With
// plugin_exports it writes instead the VITTE_C_PLUGIN_DEFINE export list of
// a C plugin whose header this is (vitte/loader/plugin.h).
//
// Refused, each with the reason in c_declaration::refused (and left out of
// the table): types the signature hash cannot spell (va_list, __int128,
// _Complex, anonymous structs passed by value), functions defined in the
// header (static inline), bitfields whose width is not a constant.
//
// Thread safety: plain functions over values; read_c_declarations runs the
// compiler in a temporary directory of its own.
#ifndef VITTE_TOOLCHAIN_BINDGEN_HPP
#define VITTE_TOOLCHAIN_BINDGEN_HPP

#include <vitte/base.hpp>
#include <vitte/base/diagnostic_list.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::toolchain {

/// What `vitte bindgen` is asked for.
struct bindgen_options {
  buffer<text> headers;         ///< The headers read (paths, or names found through include_dirs).
  buffer<text> include_dirs;    ///< -I
  buffer<text> defines;         ///< -D: NAME or NAME=VALUE
  buffer<text> allow;           ///< Regular expressions (whole names): roots chosen by name, from any header.
  buffer<text> block;           ///< Regular expressions (whole names): roots never chosen.
  buffer<text> optional;        ///< Regular expressions (whole names): symbols bind<> leaves null when absent.
  text module;                  ///< The namespace; empty: the first header's stem.
  text compiler = text("cc");   ///< The C compiler (preprocessor and probe).
  bool plugin_exports = false;  ///< Write a C plugin's export list instead (docs/BINDGEN.md).
};

/// What a type is.
enum class c_type_kind : std::uint8_t {
  builtin,       ///< name: "int", "unsigned long", "void", "_Bool", "__builtin_va_list", ...
  typedef_name,  ///< name: the typedef's
  record,        ///< name: the tag or the typedef naming a tagless struct; record: its declaration
  enumeration,   ///< name: the tag; record: its declaration
  pointer,       ///< of: the pointee
  array,         ///< of: the element; extent (unbounded: no extent)
  function,      ///< of: the result; params, variadic
};

/// One type, in c_declarations::types (indices refer to that list).
struct c_type {
  static constexpr std::uint32_t none = ~std::uint32_t{0};
  c_type_kind kind = c_type_kind::builtin;
  bool is_const = false;
  bool is_volatile = false;
  bool is_union = false;         ///< record: a union
  bool unbounded = false;        ///< array: `[]`
  bool variadic = false;         ///< function: `...`
  text name;                     ///< see c_type_kind
  std::uint32_t of = none;       ///< pointee, element, result
  std::uint32_t record = none;   ///< the declaration of a record or enum, when known
  std::uint64_t extent = 0;      ///< array: its element count, when `extent_text` is a plain number
  text extent_text;              ///< array: the bound as written (after preprocessing)
  buffer<std::uint32_t> params;  ///< function: the parameters' types
};

/// What a declaration declares.
enum class c_kind : std::uint8_t { function, variable, record, enumeration, type_alias, constant };

/// A member of a struct or union.
struct c_field {
  static constexpr std::uint64_t unknown = ~std::uint64_t{0};
  text name;  ///< Empty for an anonymous member.
  std::uint32_t type = c_type::none;
  bool bitfield = false;
  std::uint32_t bits = 0;          ///< The bitfield's width.
  std::uint64_t offset = unknown;  ///< In bytes, from the probe (not for bitfields).
};

/// An enumerator (a constant of the enclosing scope, as in C).
struct c_enumerator {
  text name;
  std::uint64_t value = 0;  ///< From the probe: two's complement when negative.
  bool negative = false;
  bool known = false;
};

/// One declaration of the headers, in the order they declare it.
struct c_declaration {
  c_kind kind = c_kind::function;
  text name;    ///< Its name; a record's or enum's tag (or typedef name for a tagless one).
  text symbol;  ///< function, variable: the symbol (an `__asm__` label, or the name).
  text file;    ///< Where (the preprocessor's line markers).
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::uint32_t type = c_type::none;  ///< function, variable: its type; type_alias: the aliased type
  bool is_union = false;              ///< record
  bool defined = false;               ///< record, enumeration: has a body
  bool tagless = false;               ///< record, enumeration: named by a typedef, not a tag
  bool anonymous = false;             ///< record, enumeration: no name at all (a member's type)
  bool packed = false;                ///< __attribute__((packed))
  std::uint32_t pack = 0;             ///< #pragma pack in force (0: none)
  std::uint32_t aligned = 0;          ///< __attribute__((aligned(N)))
  buffer<c_field> fields;
  buffer<c_enumerator> enumerators;
  std::uint64_t size = 0;   ///< record, enumeration: from the probe
  std::uint64_t align = 0;  ///< record: from the probe
  bool laid_out = false;    ///< the probe reported size and alignment
  text underlying;          ///< enumeration, constant: the C++ integer type, from the probe
  std::uint64_t value = 0;  ///< constant: from the probe (two's complement when negative)
  bool negative = false;    ///< constant
  text expression;          ///< constant: the #define's body
  text refused;             ///< Why it is left out of the bindings; empty: bound.
};

/// The declarations of a set of headers.
struct c_declarations {
  buffer<c_type> types;
  buffer<c_declaration> decls;
  buffer<text> files;                            ///< The headers asked for, as the line markers name them.
  std::uint32_t int_sizes[5] = {1, 2, 4, 8, 8};  ///< char, short, int, long, long long (from the probe)
  std::uint32_t long_double_size = 16;           ///< from the probe
  diagnostic_list warnings;                      ///< What was skipped and why (not errors).
};

/// Reads the preprocessor output `source` (`cc -E -dD`: line markers and
/// #define lines kept). Declarations from every file are kept, marked by
/// file; the probe's facts are left unknown. Errors (toolchain): malformed,
/// with `why` at the file:line:column of the fault.
VITTE_DECL result<c_declarations> parse_c_declarations(text_view source, diagnostic* why = nullptr);

/// Runs the preprocessor over `o.headers`, parses its output, then compiles
/// and runs the layout probe (see the header). Errors: not_found (no
/// compiler, or a header path that names no file: "no such header"), what the compiler said (malformed, the compiler's
/// first error line in `why`), and parse_c_declarations's.
VITTE_DECL result<c_declarations> read_c_declarations(const bindgen_options& o, diagnostic* why = nullptr);

/// The C++ header of bindings of `d` (see the header), or with
/// o.plugin_exports the C export list. Errors (toolchain): invalid_argument
/// for a malformed regular expression or module name (in `why`).
VITTE_DECL result<text> write_bindings(const c_declarations& d, const bindgen_options& o, diagnostic* why = nullptr);

/// The canonical spelling of a type, as vitte::loader::signature_hash
/// hashes the C++ type write_bindings declares for it (`module` its
/// namespace): "FI4PKcE" for int(const char*). Empty when it cannot be
/// spelled; then `why` says why (not_supported, "a va_list").
VITTE_DECL text signature_spelling(const c_declarations& d, std::uint32_t type, text_view module,
                                   diagnostic* why = nullptr);

/// Whether `name` matches the regular expression `pattern` whole (literals,
/// `.`, `[...]` classes with ranges and `^`, `*` `+` `?`, `|`, groups,
/// `\` escapes). A malformed pattern matches nothing and sets `*bad`.
VITTE_DECL bool regex_match(text_view pattern, text_view name, bool* bad = nullptr) noexcept;

}  // namespace vitte::toolchain

#if VITTE_HEADER_ONLY
#include <vitte/toolchain/impl/bindgen.ipp>
#endif

#endif  // VITTE_TOOLCHAIN_BINDGEN_HPP
