// vitte/sys/poller_types.hpp - the vocabulary of readiness polling.
//
// What a platform policy's poller functions take and give: the events a
// descriptor is watched for (io_events), how they are reported (level or
// edge triggered) and the record one wait fills per ready descriptor or
// expired timer (poll_event). Users meet these types through
// vitte/sys/poller.hpp:
//
//   poller.add(fd, sys::io_events::readable, 42).value();
//   sys::poll_event evs[64];
//   auto ready = poller.wait(evs, deadline).value();
//   for (const sys::poll_event& e : ready)
//     if (has(e.events, sys::io_events::readable)) serve(e.data);   // e.data == 42
//
// This header includes only light standard headers.
#ifndef VITTE_SYS_POLLER_TYPES_HPP
#define VITTE_SYS_POLLER_TYPES_HPP

#include <cstddef>  // std::size_t
#include <cstdint>  // fixed-width fields

namespace vitte::sys {

/// Readiness conditions: combine with `|`. Interest is readable and/or
/// writable; waits may also report error and hangup (always watched) and,
/// from the poller's timers, timer.
enum class io_events : std::uint8_t {
  none = 0,
  readable = 1u << 0,  ///< Data (or a connection, or end of stream) to read.
  writable = 1u << 1,  ///< Room to write; a non-blocking connect finished.
  error = 1u << 2,     ///< An error is pending on the descriptor (reported, never asked).
  hangup = 1u << 3,    ///< The peer closed (reported, never asked).
  timer = 1u << 4,     ///< A timer of the poller expired (e.data is the timer's data).
};

constexpr io_events operator|(io_events a, io_events b) noexcept {
  return static_cast<io_events>(static_cast<std::uint8_t>(a) | static_cast<std::uint8_t>(b));
}
constexpr io_events operator&(io_events a, io_events b) noexcept {
  return static_cast<io_events>(static_cast<std::uint8_t>(a) & static_cast<std::uint8_t>(b));
}
constexpr io_events& operator|=(io_events& a, io_events b) noexcept { return a = a | b; }
/// True when `set` has any of the conditions of `flags`.
constexpr bool has(io_events set, io_events flags) noexcept { return (set & flags) != io_events::none; }

/// How readiness is reported.
enum class trigger : std::uint8_t {
  /// Every wait reports the descriptor while the condition holds (poll's way).
  level,
  /// A wait reports the descriptor when the condition becomes true; the
  /// caller then reads or writes until errc::would_block. epoll and kqueue
  /// only: the poll and WSAPoll backends report errc::not_supported.
  edge,
};

/// One ready descriptor or expired timer, as a wait reports it.
struct poll_event {
  std::uint64_t data = 0;              ///< The caller's value given at registration.
  io_events events = io_events::none;  ///< What is ready.

  /// The data as the pointer it was registered with.
  template <class T>
  T* pointer() const noexcept {
    return reinterpret_cast<T*>(static_cast<std::uintptr_t>(data));
  }
};

/// User data the poller reserves for its own wake-up descriptor: add()
/// refuses it (errc::invalid_argument).
inline constexpr std::uint64_t poller_reserved_data = ~std::uint64_t{0};

}  // namespace vitte::sys

#endif  // VITTE_SYS_POLLER_TYPES_HPP
