// vitte/wasm/module.hpp - a decoded and validated WebAssembly module.
//
//   vitte::diagnostic why;
//   auto m = wasm::decode(bytes, &why);   // bytes: a span<const std::byte>; decode + validate, nothing runs
//   if (!m) std::puts(why.about("prog.wasm").format().c_str());
//   // "prog.wasm: at offset 0x3f: function 12: type mismatch: expected i32, got f64"
//   why.kind();     // errc::malformed, as m.error()
//   why.offset();   // 0x3f, in the input
//
// decode() reads the WebAssembly 2.0 binary format (MVP, sign extension,
// non-trapping float-to-int, multi-value, mutable globals, bulk memory,
// reference types, fixed-width SIMD) plus the tail-call and extended-const
// proposals, and validates every function body completely. A module that
// decodes is safe to instantiate: the engine trusts nothing else.
//
// The module owns a copy of its bytes; function bodies and data segments
// are ranges into that copy. Constant expressions are decoded once, into
// module::const_ops, which instantiation evaluates.
#ifndef VITTE_WASM_MODULE_HPP
#define VITTE_WASM_MODULE_HPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic.hpp>  // decode()'s why
#include <vitte/base/result.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text.hpp>
#include <vitte/wasm/impl/const_op.hpp>  // detail::const_op: constant expressions, decoded
#include <vitte/wasm/operations.hpp>
#include <vitte/wasm/types.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::wasm {

/// A run of the module's bytes: [offset, offset + size).
struct byte_range {
  std::uint32_t offset = 0;
  std::uint32_t size = 0;
};

/// A constant expression, decoded: its instructions are
/// module::const_ops[first, first + count), its bytes start at `offset`
/// of the module (for messages).
struct const_expr {
  std::uint32_t offset = 0;
  std::uint32_t first = 0;
  std::uint32_t count = 0;
};

/// An import: module and field names, and what is expected.
struct import_desc {
  text module;
  text name;
  extern_kind kind = extern_kind::function;
  std::uint32_t type_index = 0;  ///< function imports: index into module::types
  table_type table;
  memory_type memory;
  global_type global;
};

/// An export: its name and the index it names in its kind's index space.
struct export_desc {
  text name;
  extern_kind kind = extern_kind::function;
  std::uint32_t index = 0;
};

/// A global defined by the module.
struct global_def {
  global_type type;
  const_expr init;
};

/// How a segment is used.
enum class segment_mode : std::uint8_t { active, passive, declarative };

/// An element segment. Items are function indices, or constant expressions.
struct element_segment {
  segment_mode mode = segment_mode::active;
  value_type type = value_type::funcref;
  std::uint32_t table = 0;
  const_expr offset;  ///< active segments
  bool items_are_exprs = false;
  buffer<std::uint32_t> funcs;  ///< when !items_are_exprs
  buffer<const_expr> exprs;     ///< when items_are_exprs
  std::uint32_t size() const noexcept {
    return static_cast<std::uint32_t>(items_are_exprs ? exprs.size() : funcs.size());
  }
};

/// A data segment.
struct data_segment {
  segment_mode mode = segment_mode::active;
  std::uint32_t memory = 0;
  const_expr offset;  ///< active segments
  byte_range bytes;
};

/// A function defined by the module (imports come first in the index space).
struct function_def {
  std::uint32_t type_index = 0;
  byte_range body;               ///< locals and code, after the size
  std::uint32_t max_height = 0;  ///< deepest operand stack, in cells (a v128 takes two), found by validation
  std::uint32_t num_locals = 0;  ///< cells of the parameters and locals
};

/// A custom section: its name and payload.
struct custom_section {
  text name;
  byte_range payload;
};

/// A decoded, validated module. Indices follow the binary format: imported
/// functions, tables, memories and globals come before defined ones.
struct module {
  buffer<std::uint8_t> bytes;  ///< the module's own copy of its input
  buffer<func_type> types;
  buffer<import_desc> imports;
  buffer<function_def> functions;  ///< defined functions only
  buffer<table_type> tables;       ///< defined tables only
  buffer<memory_type> memories;    ///< defined memories only
  buffer<global_def> globals;      ///< defined globals only
  buffer<export_desc> exports;
  buffer<element_segment> elements;
  buffer<data_segment> data;
  buffer<custom_section> customs;
  buffer<detail::const_op> const_ops;  ///< the instructions of every constant expression
  buffer<text> function_names;         ///< from the name section, by function index; may be short
  bool has_start = false;
  std::uint32_t start = 0;
  bool has_data_count = false;  ///< a data count section was present

  // Index spaces, imports included.
  std::uint32_t imported_functions = 0, imported_tables = 0, imported_memories = 0, imported_globals = 0;
  buffer<std::uint32_t> function_types;  ///< type index of every function, imports first
  buffer<table_type> all_tables;
  buffer<memory_type> all_memories;
  buffer<global_type> all_globals;

  /// The function type of function `index` (imports included).
  const func_type& type_of_function(std::uint32_t index) const { return types[function_types[index]]; }
  /// The export named `name`, or null.
  const export_desc* find_export(text_view name) const noexcept {
    for (const auto& e : exports)
      if (e.name.view() == name) return &e;
    return nullptr;
  }
  /// The bytes of a range.
  span<const std::uint8_t> slice(byte_range r) const noexcept { return {bytes.data() + r.offset, r.size}; }
};

/// Decodes and validates `bytes` (the module copies them). Errors:
/// wasm_decode malformed (the binary format is broken) or wasm_validate
/// malformed (well-formed but invalid); unexpected_eof for a truncated
/// input; limit_exceeded (more locals than the engine takes); no_memory.
/// `why`, when given, receives the kind, the byte offset in `bytes` and
/// the problem ("function 12: type mismatch: ..."); no subject, for the
/// caller who read the bytes from a file to name it.
VITTE_DECL result<module> decode(span<const std::byte> bytes, vitte::diagnostic* why = nullptr);

}  // namespace vitte::wasm

// The buffers of a module's parts. In compiled mode they are instantiated
// once, in libvitte (impl/decode.ipp), not again in every unit that
// includes this.
// clang-format off
#define VITTE_WASM_MODULE_BUFFERS(X)                                                  \
  X(value_type) X(func_type) X(table_type) X(memory_type) X(global_type)              \
  X(const_expr) X(import_desc) X(export_desc) X(global_def) X(element_segment)        \
  X(data_segment) X(function_def) X(custom_section) X(detail::const_op)
// clang-format on
#if !VITTE_HEADER_ONLY
#define VITTE_WASM_EXTERN_BUFFER(T) extern template class vitte::buffer<vitte::wasm::T>;
VITTE_WASM_MODULE_BUFFERS(VITTE_WASM_EXTERN_BUFFER)
#undef VITTE_WASM_EXTERN_BUFFER
#endif

#if VITTE_HEADER_ONLY
#include <vitte/wasm/impl/decode.ipp>  // decode(): the sections, the validator
#endif

#endif  // VITTE_WASM_MODULE_HPP
