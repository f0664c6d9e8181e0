// vitte/sys/clock_id.hpp - names of the clocks a platform policy may offer.
#ifndef VITTE_SYS_CLOCK_ID_HPP
#define VITTE_SYS_CLOCK_ID_HPP

#include <cstdint>

namespace vitte::sys {

/// The clocks vitte knows. A policy says which it has with has_clock().
enum class clock_id : std::uint8_t {
  monotonic,         ///< Never jumps; stops during suspend on most systems.
  realtime,          ///< Wall clock, nanoseconds since the Unix epoch; may jump.
  monotonic_coarse,  ///< monotonic at tick resolution, cheaper to read.
  realtime_coarse,   ///< realtime at tick resolution, cheaper to read.
  boottime,          ///< monotonic, and counts time spent suspended (Linux, Darwin, Windows).
  process_cpu,       ///< CPU time consumed by this process.
  thread_cpu,        ///< CPU time consumed by the calling thread.
};

}  // namespace vitte::sys

#endif  // VITTE_SYS_CLOCK_ID_HPP
