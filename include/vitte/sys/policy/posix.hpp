// vitte/sys/policy/posix.hpp - the generic POSIX platform policy.
//
// Written against POSIX.1-2008 only, so that it is the code Linux, Darwin and
// the BSDs share: those policies derive from it and replace what they do
// better. On Linux it is selectable (meson -Dplatform=posix, or
// -DVITTE_POLICY=VITTE_POLICY_POSIX) so the shared code runs in CI.
#ifndef VITTE_SYS_POLICY_POSIX_HPP
#define VITTE_SYS_POLICY_POSIX_HPP

#include <vitte/base.hpp>
#include <vitte/sys/clock_id.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

#if !VITTE_OS_POSIX
#error "vitte: the POSIX policy needs a POSIX target"
#endif

namespace vitte::sys {

/// Generic POSIX policy. Every member is a static function of vitte types;
/// definitions live in vitte/sys/detail/posix/*.ipp.
struct posix_platform {
  static constexpr std::string_view name = "posix";

  // error
  /// An error of `kind` with the errno value POSIX uses for it.
  static VITTE_DECL error make_error(errc kind, operation op) noexcept;
  /// Classifies an errno value.
  static VITTE_DECL errc classify(int native) noexcept;

  // clock: monotonic, realtime, process and thread CPU time; the coarse
  // clocks read the precise ones (POSIX has no coarse clock).
  static constexpr bool has_clock(clock_id id) noexcept { return id != clock_id::boottime; }
  static VITTE_DECL std::int64_t clock_now_ns(clock_id id) noexcept;
  static VITTE_DECL std::int64_t clock_resolution_ns(clock_id id) noexcept;

  // sleep: clock_nanosleep(TIMER_ABSTIME) on the clock itself.
  static VITTE_DECL error sleep_until_ns(clock_id id, std::int64_t t) noexcept;

  // system_info
  static VITTE_DECL std::size_t page_size() noexcept;
  static VITTE_DECL std::size_t allocation_granularity() noexcept;
  static VITTE_DECL unsigned cpu_count() noexcept;
  static VITTE_DECL std::size_t os_description(char* buf, std::size_t n) noexcept;

  // == memory (vitte/sys/memory.hpp) ==
  // == end memory ==

  // == thread (vitte/sys/thread.hpp) ==
  // == end thread ==
};

}  // namespace vitte::sys

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/posix/platform.ipp>
// == memory .ipp ==
// == thread .ipp ==
#endif

#endif  // VITTE_SYS_POLICY_POSIX_HPP
