// vitte/wasm/runtime.hpp - instances and calls: the store that owns them,
// host functions, imports and exports, memories, tables and globals.
//
//   auto m = wasm::decode(bytes).value();
//   wasm::store s;
//   wasm::imports env;
//   env.add("env", "log", s.host_function({{wasm::value_type::i32}, {}}, &log_fn, nullptr));
//   auto inst = s.instantiate(m, env).value();
//   wasm::value args[] = {wasm::value::from_i32(20)}, out[1];
//   if (auto e = s.call(inst.function("fib"), args, out)) { ... e.message() ... }
//
// A store owns everything created in it (instances, host functions,
// memories, tables, globals) until it is destroyed; handles are plain
// pointers into it. A store runs one call at a time: use one store per
// thread. Traps come back as vitte::error values whose operation names the
// trap (wasm::ops::trap_integer_divide_by_zero, ...); last_trap() keeps the
// backtrace of the latest one.
#ifndef VITTE_WASM_RUNTIME_HPP
#define VITTE_WASM_RUNTIME_HPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic_list.hpp>  // instantiate()'s why
#include <vitte/base/result.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/wasm/impl/dispatch.hpp>  // VITTE_WASM_DISPATCH: the dispatcher the engine runs
#include <vitte/wasm/impl/objects.hpp>
#include <vitte/wasm/module.hpp>
#include <vitte/wasm/operations.hpp>
#include <vitte/wasm/types.hpp>

#include <cstdint>
#include <memory>
#include <type_traits>

namespace vitte::wasm {

/// Limits a store enforces on what runs in it.
struct store_limits {
  std::uint32_t max_memory_pages = 65536;       ///< per memory (65536 = 4 GiB)
  std::uint32_t max_table_elements = 10000000;  ///< per table
  std::uint32_t max_call_depth = 20000;         ///< wasm frames on the store's stack
  std::uint32_t stack_cells = 1u << 20;         ///< 8-byte cells for locals and operands
  std::uint32_t max_instances = 100000;         ///< instances in one store
  /// Meter fuel: every wasm instruction costs one unit, charged when its
  /// basic block begins. With too little left, the call stops with
  /// trap_out_of_fuel (errc::limit_exceeded) and can be resumed after
  /// add_fuel(). Off, nothing is counted and nothing is paid.
  bool fuel = false;
  /// Poll at every loop header and function entry, so that interrupt()
  /// (from any thread) and set_deadline() stop running code. Off, neither
  /// has an effect and nothing is paid.
  bool interruptible = false;
  /// Run the SIMD compute instructions through the portable lane-by-lane
  /// code rather than the vector unit's (SSE2/NEON) paths: for measuring
  /// and testing those paths. Results are the same either way.
  bool scalar_simd = false;
  /// Guard pages: each memory holds 8 GiB + 64 KiB of address space, of
  /// which only its pages are committed, and loads (and, on x86-64,
  /// stores) check nothing: an access past the end faults in the guard and
  /// traps with the same trap_memory_out_of_bounds. Growing commits pages in place. Taken
  /// on 64-bit hosts whose platform turns access faults into returns
  /// (Linux, macOS, the BSDs, Windows with GCC or Clang) with the tail-call
  /// or computed-goto dispatcher; elsewhere, or off, every access is
  /// checked. A store with guard pages imports only memories with guard
  /// pages. Off for thousands of live memories: the address space of a
  /// 64-bit process holds about 15,000 of them.
  bool guard_pages = true;
};

/// A function of a store (wasm or host). Null when default-constructed.
class function {
 public:
  function() = default;
  explicit function(detail::function_object* f) noexcept : f_(f) {}
  explicit operator bool() const noexcept { return f_ != nullptr; }
  /// The function's type.
  const func_type& type() const noexcept { return *f_->type; }
  detail::function_object* object() const noexcept { return f_; }
  friend bool operator==(function, function) = default;

 private:
  detail::function_object* f_ = nullptr;
};

/// A linear memory of a store.
class memory {
 public:
  memory() = default;
  explicit memory(detail::memory_object* m) noexcept : m_(m) {}
  explicit operator bool() const noexcept { return m_ != nullptr; }
  /// The bytes, valid until the memory grows (always, with guard pages).
  span<std::uint8_t> bytes() const noexcept { return {m_->data, static_cast<std::size_t>(m_->size)}; }
  /// Size in 64 KiB pages.
  std::uint64_t pages() const noexcept { return m_->pages(); }
  /// Grows by `delta` pages; the old size, or limit_exceeded.
  result<std::uint64_t> grow(std::uint64_t delta) const noexcept {
    std::int64_t old = m_->grow(delta);
    if (old < 0) return vitte::error{errc::limit_exceeded, ops::wasm_memory_grow};
    return static_cast<std::uint64_t>(old);
  }
  detail::memory_object* object() const noexcept { return m_; }

 private:
  detail::memory_object* m_ = nullptr;
};

/// A table of a store.
class table {
 public:
  table() = default;
  explicit table(detail::table_object* t) noexcept : t_(t) {}
  explicit operator bool() const noexcept { return t_ != nullptr; }
  std::uint32_t size() const noexcept { return static_cast<std::uint32_t>(t_->elems.size()); }
  value_type element_type() const noexcept { return t_->type.element; }
  /// Element i as a reference value; invalid_argument when out of range.
  result<value> get(std::uint32_t i) const noexcept {
    if (i >= t_->elems.size()) return vitte::error{errc::invalid_argument, ops::wasm_call};
    return value::from_ref(t_->type.element, t_->elems[i]);
  }
  detail::table_object* object() const noexcept { return t_; }

 private:
  detail::table_object* t_ = nullptr;
};

/// A global of a store.
class global {
 public:
  global() = default;
  explicit global(detail::global_object* g) noexcept : g_(g) {}
  explicit operator bool() const noexcept { return g_ != nullptr; }
  const global_type& type() const noexcept { return g_->type; }
  /// The current value.
  value get() const noexcept;
  /// Sets a mutable global; invalid_argument for a wrong type or an immutable global.
  vitte::error set(value v) const noexcept;
  detail::global_object* object() const noexcept { return g_; }

 private:
  detail::global_object* g_ = nullptr;
};

/// Something an instance exports or imports.
struct extern_value {
  extern_kind kind = extern_kind::function;
  void* object = nullptr;  ///< the detail object of `kind`
  static extern_value of(function f) noexcept { return {extern_kind::function, f.object()}; }
  static extern_value of(memory m) noexcept { return {extern_kind::memory, m.object()}; }
  static extern_value of(table t) noexcept { return {extern_kind::table, t.object()}; }
  static extern_value of(global g) noexcept { return {extern_kind::global, g.object()}; }
};

/// An instance of a module in a store.
class instance {
 public:
  instance() = default;
  explicit instance(detail::instance_object* i) noexcept : i_(i) {}
  explicit operator bool() const noexcept { return i_ != nullptr; }
  /// The export named `name`; not_found when absent.
  result<extern_value> find(text_view name) const noexcept;
  /// The exported function `name`, or a null function.
  wasm::function function(text_view name) const noexcept;
  /// The exported memory `name`, or a null memory.
  wasm::memory memory(text_view name) const noexcept;
  /// The exported global `name`, or a null global.
  wasm::global global(text_view name) const noexcept;
  /// The exported table `name`, or a null table.
  wasm::table table(text_view name) const noexcept;
  /// The module this instance runs.
  const wasm::module& module() const noexcept { return *i_->m; }
  detail::instance_object* object() const noexcept { return i_; }

 private:
  detail::instance_object* i_ = nullptr;
};

/// What a module's imports resolve to, by module and field name.
class imports {
 public:
  /// Defines (or replaces) module_name.field.
  void add(text_view module_name, text_view field, extern_value v);
  void add(text_view module_name, text_view field, function f) { add(module_name, field, extern_value::of(f)); }
  void add(text_view module_name, text_view field, memory m) { add(module_name, field, extern_value::of(m)); }
  void add(text_view module_name, text_view field, table t) { add(module_name, field, extern_value::of(t)); }
  void add(text_view module_name, text_view field, global g) { add(module_name, field, extern_value::of(g)); }
  /// Defines every export of `inst` under `module_name`.
  void add_instance(text_view module_name, instance inst);
  /// The value defined for module_name.field, or null.
  const extern_value* find(text_view module_name, text_view field) const noexcept;

 private:
  struct item {
    text module, field;
    extern_value value;
  };
  buffer<item> items_;
};

/// The latest trap: what and where (innermost function first). Not a
/// description: the error names the trap (trap_message() gives its text),
/// and the backtrace is data for a debugger or a tool to print.
struct trap_info {
  vitte::error error;
  buffer<std::uint32_t> functions;  ///< function indices, innermost first
  buffer<text> names;               ///< their names from the name section, when present
};

/// Owns instances and runs calls. Not copyable; one call at a time.
class store {
 public:
  explicit store(store_limits limits = {});
  store(const store&) = delete;
  store& operator=(const store&) = delete;
  ~store();

  /// A host function of type `type`.
  function host_function(const func_type& type, host_callback fn, void* user);
  /// A host function of type `type` that reads and writes the caller's
  /// frame as 64-bit words in place (raw_host_callback): no value is built
  /// or copied, the cheapest call into the host. Parameters and results are
  /// i32, i64, f32 or f64. Errors (wasm_link): invalid_argument for a v128
  /// or reference parameter or result.
  result<function> raw_host_function(const func_type& type, raw_host_callback fn, void* user);
  /// A host function made from a C++ callable taking and returning
  /// std::int32_t, std::uint32_t, std::int64_t, std::uint64_t, float or
  /// double (or returning void, or vitte::error to trap): its wasm type is
  /// derived from the signature, and the store keeps the callable.
  ///   auto add = s.host([](std::int32_t a, std::int32_t b) { return a + b; });
  template <class F>
  function host(F callable);
  /// A standalone memory, table or global (to import into instances).
  result<memory> new_memory(const memory_type& type);
  result<table> new_table(const table_type& type, value init = {});
  result<global> new_global(const global_type& type, value init);

  /// Links `m` against `env`, allocates its objects, initialises segments
  /// and runs its start function. Errors: wasm_link not_found (an import
  /// missing or of the wrong type: every one an entry of `why`, about
  /// "module.field"), limit_exceeded, no_memory, or the trap of a segment
  /// (an entry about "data segment 2" at the offset of its offset
  /// expression) or of the start function.
  result<instance> instantiate(const module& m, const imports& env, diagnostic_list* why = nullptr);

  /// Calls `f` with `args`; its results go to `results` (sized as the type
  /// says). Errors: invalid_argument (argument count or types), or a trap.
  vitte::error call(function f, span<const value> args, span<value> results);
  /// Calls `f` with C++ arguments and returns its one result as R (or
  /// nothing for R = void). invalid_argument when f's type is not the one
  /// the arguments and R spell.
  ///   int fib = s.call_as<std::int32_t>(inst.function("fib"), 20).value();
  template <class R, class... A>
  result<std::conditional_t<std::is_void_v<R>, detail::nothing, R>> call_as(function f, A... args);

  /// Fuel (store_limits::fuel): adds `units` to what is left (saturating);
  /// sets what is left; what is left. Fuel belongs to the store and is
  /// spent by every call in it.
  void add_fuel(std::uint64_t units) noexcept { x_.fuel = x_.fuel + units < x_.fuel ? UINT64_MAX : x_.fuel + units; }
  void set_fuel(std::uint64_t units) noexcept { x_.fuel = units; }
  std::uint64_t fuel() const noexcept { return x_.fuel; }

  /// Stops the running call at its next loop header or function entry with
  /// trap_interrupted (errc::interrupted), or the next call if none runs.
  /// Safe from any thread and from signal handlers (store_limits::interruptible).
  void interrupt() noexcept { __atomic_store_n(&x_.interrupt_flag, 1u, __ATOMIC_RELAXED); }
  /// Calls running past the monotonic time `ns` of `clock` stop with
  /// trap_deadline (errc::timed_out); the clock is read once every 1024
  /// polls (store_limits::interruptible). A policy's deadline reads as
  ///   store.set_deadline(d.ns(), [] { return P::clock_now_ns(vitte::sys::clock_id::monotonic); });
  /// INT64_MAX (or a null clock) removes it.
  void set_deadline(std::int64_t ns, std::int64_t (*clock)()) noexcept {
    x_.deadline_ns = ns;
    x_.clock_ns = clock;
    x_.poll_countdown = 1;
  }

  /// True when the latest call stopped for fuel, an interruption or the
  /// deadline in a call made from outside any host function: resume() can
  /// take it up where it stopped. Any other call abandons it.
  bool suspended() const noexcept { return suspended_ != nullptr; }
  /// Continues the suspended call (after add_fuel(), or at once after an
  /// interruption); `results` as for the call that stopped. It may stop
  /// again. Errors: invalid_argument when nothing is suspended or the
  /// results do not fit, or what the call itself returns.
  vitte::error resume(span<value> results);

  /// The latest trap, with its backtrace.
  const trap_info& last_trap() const noexcept { return trap_; }
  /// The limits this store enforces.
  const store_limits& limits() const noexcept { return limits_; }
  /// True when its memories have guard pages and its loads and stores check
  /// nothing (store_limits::guard_pages asked for them and the host has them).
  bool guard_pages() const noexcept { return x_.guarded; }
  /// Functions translated so far. A function is translated on its first
  /// call, once per module: the instances of a module (the same bytes, the
  /// same exports and function names) share one copy of it and its
  /// translated code, each with its own objects.
  std::uint64_t translations() const noexcept { return x_.translations; }

 private:
  std::uint32_t intern(const func_type& t);
  detail::function_object* new_host(const func_type& type, void* user);
  detail::module_record* record_of(const module& m);
  vitte::error trap_without_backtrace(vitte::error e);
  bool from_another_store(const extern_value& v) const noexcept;
  vitte::error initialise(detail::instance_object& inst, diagnostic_list* why);
  vitte::error run(detail::function_object* f, detail::cell* base);
  vitte::error finish(detail::frame_record* entry, detail::memory_object* saved_mem, detail::function_object* f,
                      detail::cell* base);
  void abandon() noexcept;
  void read_results(const func_type& t, const detail::cell* base, span<value> results) const noexcept;

  store_limits limits_;
  buffer<std::unique_ptr<func_type>> types_;
  buffer<std::unique_ptr<detail::module_record>> modules_;
  buffer<std::unique_ptr<detail::instance_object>> instances_;
  buffer<std::unique_ptr<detail::function_object>> functions_;
  buffer<std::unique_ptr<detail::memory_object>> memories_;
  buffer<std::unique_ptr<detail::table_object>> tables_;
  buffer<std::unique_ptr<detail::global_object>> globals_;
  buffer<std::unique_ptr<detail::callable_base>> callables_;
  detail::memory_object empty_memory_;
  detail::exec_state x_;
  trap_info trap_;
  detail::function_object* suspended_ = nullptr;  // the outermost function of a stopped call
  detail::cell* suspended_base_ = nullptr;
};

/// The spec's text for a trap ("integer divide by zero"), or empty when `e`
/// is not a trap.
VITTE_DECL text_view trap_message(vitte::error e) noexcept;

}  // namespace vitte::wasm

#include <vitte/wasm/impl/runtime.hpp>  // templates, and the call from the host

#if VITTE_HEADER_ONLY
#include <vitte/wasm/impl/runtime.ipp>  // the store, instances, imports; the engine
#endif

#endif  // VITTE_WASM_RUNTIME_HPP
