// vitte/base/operation.hpp - what failed: an operation of a layer, named by that layer.
//
// An operation is 16 bits: the facility (the layer: sys, crypto, loader,
// wasm, ...) and a code the facility owns. The base knows no layer's
// operations; each layer declares its own table with VITTE_OPERATIONS, and
// error messages look the names up at run time:
//
//   #define MYLAYER_OPERATIONS(X) X(connect) X(handshake)
//   namespace mylayer {
//   VITTE_OPERATIONS(ops, vitte::facility{200}, "mylayer", MYLAYER_OPERATIONS)
//   }
//   vitte::error e{vitte::errc::timed_out, mylayer::ops::handshake};
//   e.message();   // "handshake: timed out"
//
// The library's layers have fixed facility ids (vitte::facility::sys, ...);
// ids from facility::user (128) up are free for code outside vitte. The
// names register at program start-up (a static initialiser of the table);
// an operation whose facility has no table prints as "facility 200 op 3".
#ifndef VITTE_BASE_OPERATION_HPP
#define VITTE_BASE_OPERATION_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/detail/atomic.hpp>  // the registry's slots
#include <vitte/base/text_view.hpp>      // names

#include <cstddef>  // std::size_t
#include <cstdint>  // the two bytes

namespace vitte {

/// The layer an operation belongs to. The library's layers have fixed ids;
/// ids from `user` up are for code outside vitte.
enum class facility : std::uint8_t {
  base = 0,    ///< vitte itself (operation::none)
  sys,         ///< vitte/sys
  crypto,      ///< vitte/crypto
  loader,      ///< vitte/loader
  wasm,        ///< vitte/wasm
  log,         ///< vitte/log
  machine,     ///< vitte/machine
  compress,    ///< vitte/compress
  archive,     ///< vitte/archive
  http,        ///< vitte/http
  cache,       ///< vitte/cache
  devices,     ///< vitte/sys's devices (sys::dev_ops)
  toolchain,   ///< vitte/toolchain
  release,     ///< vitte/release
  user = 128,  ///< first id for layers outside vitte
};

/// What failed: a facility and a code within it. Two bytes, a value type.
class operation {
 public:
  /// No particular operation ("vitte" in messages).
  constexpr operation() noexcept = default;
  /// Operation `code` of `owner`. Codes start at 1; 0 means the facility as a whole.
  constexpr operation(vitte::facility owner, std::uint8_t code) noexcept : facility_(owner), code_(code) {}

  /// The layer that owns this operation.
  constexpr vitte::facility facility() const noexcept { return facility_; }
  /// The code within the facility.
  constexpr std::uint8_t code() const noexcept { return code_; }
  /// Both as one number: facility * 256 + code.
  constexpr std::uint16_t value() const noexcept {
    return static_cast<std::uint16_t>(static_cast<unsigned>(facility_) << 8 | code_);
  }

  friend constexpr bool operator==(operation, operation) noexcept = default;

  /// No particular operation.
  static const operation none;

 private:
  vitte::facility facility_ = vitte::facility::base;
  std::uint8_t code_ = 0;
};

inline constexpr operation operation::none{};

/// The names of one facility's operations: names[code] for each code.
struct operation_table {
  text_view layer;         ///< the facility's name, e.g. "sys"
  const text_view* names;  ///< names[0] is unused; names[code] names the operation
  std::size_t count;       ///< number of entries in names
};

/// Makes `table` the names of `owner`'s operations (replacing any earlier
/// table). Returns true. VITTE_OPERATIONS calls it at start-up; call it
/// directly only for tables built at run time. `table` must outlive its use.
/// Thread safety: safe to call concurrently with message().
inline bool register_operations(facility owner, const operation_table& table) noexcept;

/// The table registered for `owner`, or null.
inline const operation_table* operations_of(facility owner) noexcept;

/// Name of an operation, e.g. "sleep"; "vitte" for operation::none. Empty
/// when the operation's facility registered no name for it.
inline text_view to_string(operation op) noexcept;

namespace detail {
inline atomic<const operation_table*> operation_registry[256];
}  // namespace detail

inline bool register_operations(facility owner, const operation_table& table) noexcept {
  detail::operation_registry[static_cast<std::uint8_t>(owner)].store(&table, detail::release);
  return true;
}

inline const operation_table* operations_of(facility owner) noexcept {
  return detail::operation_registry[static_cast<std::uint8_t>(owner)].load(detail::acquire);
}

inline text_view to_string(operation op) noexcept {
  if (op == operation::none) return "vitte";
  const operation_table* t = operations_of(op.facility());
  if (t == nullptr || op.code() >= t->count) return {};
  return t->names[op.code()];
}

}  // namespace vitte

// Declares, inside the current namespace, `struct Type` with one
// `static constexpr vitte::operation` per name in LIST (codes 1, 2, ... in
// order) and registers their names for `Facility` under `LayerName`.
// LIST is an X-macro: #define LIST(X) X(open) X(close)
#define VITTE_DETAIL_OPERATION_CODE(name) name,
#define VITTE_DETAIL_OPERATION_NAME(name) ::vitte::text_view{#name},
#define VITTE_DETAIL_OPERATION_CONSTANT(name) \
  static constexpr ::vitte::operation name{facility_, static_cast<std::uint8_t>(code_::name)};
#define VITTE_OPERATIONS(Type, Facility, LayerName, LIST)                                                              \
  struct Type {                                                                                                        \
    static constexpr ::vitte::facility facility_ = Facility;                                                           \
    enum class code_ : std::uint8_t { unnamed_ = 0, LIST(VITTE_DETAIL_OPERATION_CODE) count_ };                        \
    static_assert(static_cast<unsigned>(code_::count_) <= 256, "at most 255 operations per layer");                    \
    LIST(VITTE_DETAIL_OPERATION_CONSTANT)                                                                              \
    static constexpr ::vitte::text_view names_[] = {::vitte::text_view{LayerName}, LIST(VITTE_DETAIL_OPERATION_NAME)}; \
    static constexpr ::vitte::operation_table table_{LayerName, names_, sizeof names_ / sizeof names_[0]};             \
    static inline const bool registered_ = ::vitte::register_operations(Facility, table_);                             \
  }

#endif  // VITTE_BASE_OPERATION_HPP
