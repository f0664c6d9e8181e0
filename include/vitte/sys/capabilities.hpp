// vitte/sys/capabilities.hpp - what a platform policy must provide.
//
// A platform policy is a class with static member functions; the generic
// code in vitte/sys calls them and nothing else, so the policy is also the
// syscall seam that tests use to inject faults. Each capability is a named
// concept. A facility that needs a capability checks it with a
// static_assert whose message names the capability, so a port that lacks
// one fails to compile with a message saying which:
//
//   error: static assertion failed: vitte: the platform policy lacks the
//          'clock' capability (vitte::sys::clock_capability) ...
//
// How to add a platform: docs/ARCHITECTURE.md.
#ifndef VITTE_SYS_CAPABILITIES_HPP
#define VITTE_SYS_CAPABILITIES_HPP

#include <vitte/base.hpp>
#include <vitte/sys/clock_id.hpp>

#include <concepts>     // std::same_as, std::convertible_to
#include <cstddef>      // std::size_t
#include <cstdint>      // std::int64_t
#include <string_view>  // policy names

namespace vitte::sys {

/// Every policy names itself: `static constexpr std::string_view name`.
template <class P>
concept platform_identity = requires {
  { P::name } -> std::convertible_to<std::string_view>;
};

/// Errors: `make_error(errc, operation)` builds an error carrying the
/// native code this platform uses for that kind (used by fault injection
/// and by the library when it detects an error itself).
template <class P>
concept error_capability = requires(errc k, operation op) {
  { P::make_error(k, op) }
  noexcept->std::same_as<error>;
};

/// Clocks: `has_clock(id)` (constexpr) says which clocks exist;
/// `clock_now_ns(id)` and `clock_resolution_ns(id)` read them. Reading an
/// existing clock cannot fail.
template <class P>
concept clock_capability = requires(clock_id id) {
  { P::has_clock(id) }
  noexcept->std::same_as<bool>;
  { P::clock_now_ns(id) }
  noexcept->std::same_as<std::int64_t>;
  { P::clock_resolution_ns(id) }
  noexcept->std::same_as<std::int64_t>;
};

/// Sleeping: `sleep_until_ns(id, t)` blocks until clock `id` reads at least
/// `t`, or returns an error; errc::interrupted makes the caller retry.
template <class P>
concept sleep_capability = requires(clock_id id, std::int64_t t) {
  { P::sleep_until_ns(id, t) }
  noexcept->std::same_as<error>;
};

/// System information: `page_size()`, `allocation_granularity()`,
/// `cpu_count()` and `os_description(char*, size)`.
template <class P>
concept system_info_capability = requires(char* buf, std::size_t n) {
  { P::page_size() }
  noexcept->std::same_as<std::size_t>;
  { P::allocation_granularity() }
  noexcept->std::same_as<std::size_t>;
  { P::cpu_count() }
  noexcept->std::same_as<unsigned>;
  { P::os_description(buf, n) }
  noexcept->std::same_as<std::size_t>;
};

// == memory capability ==

// == thread capability ==

}  // namespace vitte::sys

/// Fails compilation, naming the capability, when policy P lacks it.
/// Used once at the top of each facility: VITTE_REQUIRE_CAPABILITY(P, clock).
#define VITTE_REQUIRE_CAPABILITY(P, cap)                                                        \
  static_assert(::vitte::sys::cap##_capability<P>,                                              \
                "vitte: the platform policy lacks the '" #cap "' capability (vitte::sys::" #cap \
                "_capability in vitte/sys/capabilities.hpp lists what it must provide)")

#endif  // VITTE_SYS_CAPABILITIES_HPP
