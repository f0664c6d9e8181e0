// vitte/wasm/types.hpp - WebAssembly's types and values, as the engine and
// its embedders spell them.
//
//   wasm::func_type t{{wasm::value_type::i32}, {wasm::value_type::i64}};
//   wasm::value v = wasm::value::from_i32(7);
//   v.type;   // value_type::i32
//   v.i32();  // 7
#ifndef VITTE_WASM_TYPES_HPP
#define VITTE_WASM_TYPES_HPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/text_view.hpp>

#include <cstdint>
#include <cstring>  // bit copies of floats

namespace vitte::wasm {

/// A value type, by its binary encoding.
enum class value_type : std::uint8_t {
  i32 = 0x7f,
  i64 = 0x7e,
  f32 = 0x7d,
  f64 = 0x7c,
  v128 = 0x7b,  ///< 16 bytes: i8x16, i16x8, i32x4, i64x2, f32x4 or f64x2 lanes
  funcref = 0x70,
  externref = 0x6f,
};

/// "i32", "funcref", ...
constexpr text_view to_string(value_type t) noexcept {
  switch (t) {
    case value_type::i32:
      return "i32";
    case value_type::i64:
      return "i64";
    case value_type::f32:
      return "f32";
    case value_type::f64:
      return "f64";
    case value_type::v128:
      return "v128";
    case value_type::funcref:
      return "funcref";
    case value_type::externref:
      return "externref";
  }
  return "?";
}

/// True for funcref and externref.
constexpr bool is_reference(value_type t) noexcept { return t == value_type::funcref || t == value_type::externref; }

/// A function type: parameters and results.
struct func_type {
  buffer<value_type> params;
  buffer<value_type> results;
  friend bool operator==(const func_type&, const func_type&) = default;
};

/// Minimum and optional maximum, in pages (memories) or elements (tables).
struct limits {
  std::uint32_t min = 0;
  std::uint32_t max = 0;
  bool has_max = false;
};

/// A table's element type and size limits.
struct table_type {
  value_type element = value_type::funcref;
  wasm::limits limits;
};

/// A memory's size limits, in 64 KiB pages.
struct memory_type {
  wasm::limits limits;
};

/// A global's type and mutability.
struct global_type {
  value_type type = value_type::i32;
  bool is_mutable = false;
};

/// What an import or export names.
enum class extern_kind : std::uint8_t { function = 0, table = 1, memory = 2, global = 3 };

/// "func", "table", "memory", "global".
constexpr text_view to_string(extern_kind k) noexcept {
  switch (k) {
    case extern_kind::function:
      return "func";
    case extern_kind::table:
      return "table";
    case extern_kind::memory:
      return "memory";
    case extern_kind::global:
      return "global";
  }
  return "?";
}

/// One 64 KiB page.
inline constexpr std::uint64_t page_size = 65536;

/// A typed value crossing the embedding boundary. References are pointers:
/// a funcref points to the engine's function object, an externref is the
/// embedder's own pointer; both are null for ref.null. A v128 is its 16
/// bytes in lane order, read as two little-endian halves: bytes 0-7 in
/// `bits`, bytes 8-15 in `hi` (so lane 0 of an i32x4 is bits & 0xffffffff).
struct value {
  value_type type = value_type::i32;
  std::uint64_t bits = 0;  ///< integers zero-extended, floats by their bit pattern, references as addresses
  std::uint64_t hi = 0;    ///< v128 only: bytes 8-15

  static constexpr value from_i32(std::int32_t v) noexcept { return {value_type::i32, static_cast<std::uint32_t>(v)}; }
  static constexpr value from_i64(std::int64_t v) noexcept { return {value_type::i64, static_cast<std::uint64_t>(v)}; }
  static value from_f32(float v) noexcept {
    std::uint32_t b;
    std::memcpy(&b, &v, 4);
    return {value_type::f32, b};
  }
  static value from_f64(double v) noexcept {
    std::uint64_t b;
    std::memcpy(&b, &v, 8);
    return {value_type::f64, b};
  }
  static constexpr value from_v128(std::uint64_t low, std::uint64_t high) noexcept {
    return {value_type::v128, low, high};
  }
  static value from_ref(value_type t, const void* p) noexcept {
    return {t, static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(p))};
  }

  constexpr std::int32_t i32() const noexcept { return static_cast<std::int32_t>(static_cast<std::uint32_t>(bits)); }
  constexpr std::int64_t i64() const noexcept { return static_cast<std::int64_t>(bits); }
  float f32() const noexcept {
    std::uint32_t b = static_cast<std::uint32_t>(bits);
    float f;
    std::memcpy(&f, &b, 4);
    return f;
  }
  double f64() const noexcept {
    double d;
    std::memcpy(&d, &bits, 8);
    return d;
  }
  void* ref() const noexcept { return reinterpret_cast<void*>(static_cast<std::uintptr_t>(bits)); }
};

}  // namespace vitte::wasm

#endif  // VITTE_WASM_TYPES_HPP
