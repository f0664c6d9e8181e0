// vitte/wasm/impl/objects.hpp - what a store holds: cells, functions,
// memories, tables, globals, instances, and the execution state.
#ifndef VITTE_WASM_IMPL_OBJECTS_HPP
#define VITTE_WASM_IMPL_OBJECTS_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/detail/endian.hpp>  // host_is_big_endian, byte_swap: v128 halves in cells
#include <vitte/base/error.hpp>
#include <vitte/base/span.hpp>
#include <vitte/wasm/impl/code.hpp>
#include <vitte/wasm/module.hpp>
#include <vitte/wasm/types.hpp>

#include <bit>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <tuple>
#include <type_traits>
#include <vector>

namespace vitte::wasm {
/// A host function: reads `args`, writes `results` (both typed as the
/// function's type says). A returned error traps the calling code with
/// trap_host; call() then returns that error.
using host_callback = vitte::error (*)(void* user, span<const value> args, span<value> results);
/// A host function over raw words (store::raw_host_function): its
/// parameters in words[0..params), one 64-bit word each (i32 and f32 in
/// the low 32 bits, the upper bits zero; f32 and f64 by their bit
/// patterns); it writes its results to words[0..results) the same way, so
/// it reads every parameter before writing a result. No value is built or
/// copied: the words are the caller's frame.
using raw_host_callback = vitte::error (*)(void* user, std::uint64_t* words);
}  // namespace vitte::wasm

namespace vitte::wasm::detail {

/// One slot of a frame: any value. A 32-bit value is the low half of the
/// 64 bits on every host: the handlers write 32-bit results through u64
/// with the upper bits zero and read them back through u32 (and i32.wrap_i64
/// is a copy). On a big-endian host the 32-bit members therefore follow the
/// upper half's four bytes.
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
union cell {
  std::uint64_t u64;
  std::int64_t i64;
  double f64;
#if __SIZEOF_POINTER__ == 8
  void* ref;
#endif
  __extension__ struct {
    std::uint32_t upper_;  // u64's upper half
    union {
      std::uint32_t u32;
      std::int32_t i32;
      float f32;
#if __SIZEOF_POINTER__ == 4
      void* ref;
#endif
    };
  };
};
#else
union cell {
  std::uint32_t u32;
  std::int32_t i32;
  std::uint64_t u64;
  std::int64_t i64;
  float f32;
  double f64;
  void* ref;
};
#endif
static_assert(sizeof(cell) == 8, "a cell is 8 bytes");

/// A cell holding v, the upper half zero for a 32-bit v: one 64-bit store
/// where writing the member and then the upper half would take two.
template <class T>
inline cell cell_of(T v) noexcept {
  static_assert(sizeof(T) == 4 || sizeof(T) == 8, "a cell holds a 32-bit or a 64-bit value");
  cell c;
  if constexpr (sizeof(T) == 8) {
    std::memcpy(&c.u64, &v, 8);
  } else {
    std::uint32_t bits;
    std::memcpy(&bits, &v, 4);
    c.u64 = bits;
  }
  return c;
}

/// A v128 takes two cells holding its 16 bytes in lane order; read as a
/// number (value::bits and value::hi), each half is little-endian.
inline std::uint64_t v128_half(const cell& c) noexcept {
  return vitte::detail::host_is_big_endian ? vitte::detail::byte_swap(c.u64) : c.u64;
}
inline void set_v128_half(cell& c, std::uint64_t half) noexcept {
  c.u64 = vitte::detail::host_is_big_endian ? vitte::detail::byte_swap(half) : half;
}

/// Writes v to the cells at c (upper bits of 32-bit values zero); returns
/// the cells written.
inline std::uint32_t write_value(cell* c, const value& v) noexcept {
  if (vitte::detail::host_is_big_endian && v.type == value_type::v128) {
    set_v128_half(c[0], v.bits);
    set_v128_half(c[1], v.hi);
    return 2;
  }
  c[0].u64 = 0;
  if (is_reference(v.type))
    c[0].ref = v.ref();
  else if (v.type == value_type::i32 || v.type == value_type::f32)
    c[0].u64 = static_cast<std::uint32_t>(v.bits);
  else
    c[0].u64 = v.bits;
  if (v.type != value_type::v128) return 1;
  c[1].u64 = v.hi;  // a little-endian host: the halves as they are
  return 2;
}
/// The value of type t in the cells at c.
inline value read_value(const cell* c, value_type t) noexcept {
  if (vitte::detail::host_is_big_endian && t == value_type::v128) return {t, v128_half(c[0]), v128_half(c[1])};
  value v{t, 0, 0};
  if (is_reference(t))
    v.bits = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(c[0].ref));
  else if (t == value_type::i32 || t == value_type::f32)
    v.bits = c[0].u32;
  else
    v.bits = c[0].u64;
  if (t == value_type::v128) v.hi = c[1].u64;  // a little-endian host
  return v;
}

struct instance_object;
struct memory_object;

struct function_object {
  const std::uint32_t* code = nullptr;  // translated on the first call (wasm functions)
  std::uint32_t num_params = 0, num_results = 0, num_locals = 0;
  std::uint32_t frame_cells = 0;  // locals + deepest stack
  std::uint32_t type_id = 0;      // the store's id of its type
  const func_type* type = nullptr;
  instance_object* owner = nullptr;  // null for host functions (and only for them)
  memory_object* memory = nullptr;   // the owner's memory (an empty one when it has none)
  std::uint32_t index = 0;           // in the owner's module
  host_callback host = nullptr;      // a host function: host or raw
  raw_host_callback raw = nullptr;
  std::uint64_t narrow_params = 0;  // raw: bit k when parameter k is i32 or f32 (k < 64)
  void* user = nullptr;
  std::vector<std::uint32_t> storage;  // its own copy of the code (instances after a module's first)
  const void* home = nullptr;          // the store that made it (imports come from it alone)
};

struct memory_object {
  std::uint8_t* data = nullptr;
  std::uint64_t size = 0;  // bytes
  memory_type type;
  std::uint64_t max_pages = 0;  // the smaller of the type's maximum and the store's limit
  std::uint64_t reserved = 0;   // guard pages: the address space held from data; 0 for a heap block
  memory_object() = default;
  memory_object(const memory_object&) = delete;
  memory_object& operator=(const memory_object&) = delete;
  ~memory_object();
  std::uint64_t pages() const noexcept { return size / page_size; }
  // Makes this empty memory a guarded one (impl/linear_memory.ipp); false
  // when the address space is not there.
  bool reserve_guarded() noexcept;
  // Grows by `delta` pages; returns the old size in pages, or -1. Costs the
  // pages added (impl/linear_memory.ipp).
  std::int64_t grow(std::uint64_t delta) noexcept;
};

struct table_object {
  std::vector<void*> elems;
  const void* home = nullptr;  // the store that made it
  table_type type;
  std::uint64_t max = 0;  // the smaller of the type's maximum and the store's limit
  std::int64_t grow(std::uint64_t delta, void* init) {
    std::uint64_t old = elems.size();
    if (delta > max || old + delta > max) return -1;
    elems.resize(static_cast<std::size_t>(old + delta), init);
    return static_cast<std::int64_t>(old);
  }
};

struct global_object {
  cell v[2]{};                 // its value (v[1]: the high half of a v128)
  const void* home = nullptr;  // the store that made it
  global_type type;
};

/// A function's code as translated for the first instance of its module in
/// a store, with the words that name that instance's objects.
struct translation {
  std::vector<std::uint32_t> code;
  std::vector<code_ref> refs;
  bool done = false;
};

/// One per distinct module (its bytes, exports and function names) in a store: the
/// copy its instances share, and each function's code, translated once for them.
struct module_record {
  module m;
  std::vector<translation> functions;
  explicit module_record(const module& src) : m(src), functions(src.functions.size()) {}
};

struct instance_object {
  const module* m = nullptr;        // the record's copy
  module_record* record = nullptr;  // owned by the store
  std::vector<function_object*> functions;
  std::vector<table_object*> tables;
  std::vector<memory_object*> memories;
  std::vector<global_object*> globals;
  std::vector<std::uint32_t> type_ids;
  std::vector<std::vector<void*>> elements;  // element segments, evaluated; emptied by elem.drop
  std::vector<byte_range> data;              // data segments; size 0 after data.drop
  std::vector<bool> declared;                // functions ref.func may name
  memory_object* memory = nullptr;           // memory 0, or the store's empty memory
};

struct frame_record {
  const std::uint32_t* ret;  // where the caller resumes
  cell* fp;                  // the caller's frame
  function_object* fn;       // the callee (for backtraces)
  memory_object* caller_memory;
};

struct exec_state {
  std::unique_ptr<cell[]> stack;  // not zeroed: pages are touched only as deep as calls go
  cell* stack_end = nullptr;
  std::unique_ptr<frame_record[]> frames;
  frame_record* frame_top = nullptr;
  frame_record* frame_end = nullptr;
  cell* nested_base = nullptr;  // where a call from the host puts its frame
  memory_object* mem = nullptr;
  const std::uintptr_t* handlers = nullptr;
  bool guarded = false;          // memories with guard pages, loads (stores on x86-64) that check nothing
  std::uint32_t host_depth = 0;  // host functions running (since the innermost call into wasm)
  operation trap;
  vitte::error host_error;
  std::uint64_t fuel = 0;            // instructions left (when the store meters fuel)
  bool metered = false;              // translate with fuel charges
  bool interruptible = false;        // translate with polls
  bool scalar_simd = false;          // translate SIMD compute to the portable lanes
  std::uint64_t translations = 0;    // functions translated (once per module, however many instances)
  std::uint32_t interrupt_flag = 0;  // set by store::interrupt() from any thread (atomic builtins)
  std::uint32_t poll_countdown = 1;  // polls until the clock is read again
  std::int64_t deadline_ns = INT64_MAX;
  std::int64_t (*clock_ns)() = nullptr;      // the deadline's clock
  const std::uint32_t* resume_ip = nullptr;  // where a stopped call resumes (fuel, interrupt, deadline)
  cell* resume_fp = nullptr;
  std::vector<function_object*> backtrace;
  std::uint32_t halt_code[2] = {0, 0};
};

/// The empty result of call_as<void>.
struct nothing {};

/// A host callable the store owns (type-erased; destroyed with the store).
struct callable_base {
  virtual ~callable_base() = default;
};
template <class F>
struct callable final : callable_base {
  explicit callable(F f) : fn(static_cast<F&&>(f)) {}
  F fn;
};

/// The wasm type of a C++ scalar.
template <class T>
constexpr value_type wasm_type_of() noexcept {
  if constexpr (std::is_same_v<T, std::int32_t> || std::is_same_v<T, std::uint32_t>)
    return value_type::i32;
  else if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, std::uint64_t>)
    return value_type::i64;
  else if constexpr (std::is_same_v<T, float>)
    return value_type::f32;
  else
    return value_type::f64;
}
template <class T>
concept wasm_scalar =
    std::is_same_v<T, std::int32_t> || std::is_same_v<T, std::uint32_t> || std::is_same_v<T, std::int64_t> ||
    std::is_same_v<T, std::uint64_t> || std::is_same_v<T, float> || std::is_same_v<T, double>;

template <class T>
T from_value(const value& v) noexcept {
  if constexpr (std::is_same_v<T, float>)
    return v.f32();
  else if constexpr (std::is_same_v<T, double>)
    return v.f64();
  else
    return static_cast<T>(v.bits);
}
template <class T>
value to_value(T x) noexcept {
  if constexpr (std::is_same_v<T, float>)
    return value::from_f32(x);
  else if constexpr (std::is_same_v<T, double>)
    return value::from_f64(x);
  else if constexpr (sizeof(T) == 4)
    return value{value_type::i32, static_cast<std::uint32_t>(x)};
  else
    return value{value_type::i64, static_cast<std::uint64_t>(x)};
}
// A scalar as a raw host function's word (raw_host_callback), and back.
template <class T>
T from_word(std::uint64_t w) noexcept {
  if constexpr (std::is_same_v<T, float>)
    return std::bit_cast<float>(static_cast<std::uint32_t>(w));
  else if constexpr (std::is_same_v<T, double>)
    return std::bit_cast<double>(w);
  else
    return static_cast<T>(w);
}
template <class T>
std::uint64_t to_word(T x) noexcept {
  if constexpr (std::is_same_v<T, float>)
    return std::bit_cast<std::uint32_t>(x);
  else if constexpr (std::is_same_v<T, double>)
    return std::bit_cast<std::uint64_t>(x);
  else
    return static_cast<std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>>(x);
}

// The signature of a callable: R(A...).
template <class F>
struct signature_of : signature_of<decltype(&F::operator())> {};
template <class R, class... A>
struct signature_of<R (*)(A...)> {
  using result = R;
  using args = std::tuple<A...>;
  static func_type type() {
    func_type t{{wasm_type_of<A>()...}, {}};
    if constexpr (!std::is_void_v<R> && !std::is_same_v<R, vitte::error>) t.results.push_back(wasm_type_of<R>());
    return t;
  }
};
template <class C, class R, class... A>
struct signature_of<R (C::*)(A...) const> : signature_of<R (*)(A...)> {};
template <class C, class R, class... A>
struct signature_of<R (C::*)(A...)> : signature_of<R (*)(A...)> {};

inline void* read_ptr(const std::uint32_t* p) noexcept {
  std::uint64_t v = static_cast<std::uint64_t>(p[0]) | static_cast<std::uint64_t>(p[1]) << 32;
  return reinterpret_cast<void*>(static_cast<std::uintptr_t>(v));
}
// A constant held in an instruction: one word for a 4-byte operand, two
// (low word first) for an 8-byte one.
template <std::size_t Bytes>
inline std::uint64_t imm_of(const std::uint32_t* p) noexcept {
  if constexpr (Bytes == 8)
    return static_cast<std::uint64_t>(p[0]) | static_cast<std::uint64_t>(p[1]) << 32;
  else
    return p[0];
}

}  // namespace vitte::wasm::detail

#if VITTE_HEADER_ONLY
#include <vitte/wasm/impl/linear_memory.ipp>  // memory_object's members
#endif

#endif  // VITTE_WASM_IMPL_OBJECTS_HPP
