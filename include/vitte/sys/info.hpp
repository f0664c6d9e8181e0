// vitte/sys/info.hpp - what the platform layer knows about the machine.
//
//   std::printf("%s on %s, %u CPUs, %zu-byte pages\n",
//               vitte::sys::platform_name().data(), vitte::sys::os_description().c_str(),
//               vitte::sys::cpu_count(), vitte::sys::page_size());
#ifndef VITTE_SYS_INFO_HPP
#define VITTE_SYS_INFO_HPP

#include <vitte/base.hpp>
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/platform.hpp>

#include <cstddef>
#include <string_view>

namespace vitte::sys {

/// A short text held by value (no allocation).
struct short_text {
  static constexpr std::size_t capacity = 192;
  char text[capacity] = {};
  std::size_t length = 0;
  const char* c_str() const noexcept { return text; }
  std::string_view view() const noexcept { return {text, length}; }
};

/// The policy's name: "linux", "posix", "win32", "freestanding", ...
template <class P = platform>
constexpr std::string_view platform_name() noexcept {
  static_assert(platform_identity<P>, "vitte: the platform policy lacks a name (static constexpr name)");
  return P::name;
}

/// Size of a virtual-memory page in bytes.
template <class P = platform>
std::size_t page_size() noexcept {
  VITTE_REQUIRE_CAPABILITY(P, system_info);
  return P::page_size();
}

/// Alignment of address-space reservations (64 KiB on Windows, a page elsewhere).
template <class P = platform>
std::size_t allocation_granularity() noexcept {
  VITTE_REQUIRE_CAPABILITY(P, system_info);
  return P::allocation_granularity();
}

/// CPUs this process may run on (its affinity mask where the OS has one); at least 1.
template <class P = platform>
unsigned cpu_count() noexcept {
  VITTE_REQUIRE_CAPABILITY(P, system_info);
  return P::cpu_count();
}

/// OS name, release and machine, e.g. "Linux 6.1.0 x86_64"; empty if unknown.
template <class P = platform>
short_text os_description() noexcept {
  VITTE_REQUIRE_CAPABILITY(P, system_info);
  short_text t;
  t.length = P::os_description(t.text, short_text::capacity);
  return t;
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_INFO_HPP
