// vitte/sys/info.hpp - what the platform layer knows about the machine.
//
//   std::printf("%s on %s, %u CPUs, %zu-byte pages\n",
//               vitte::sys::platform_name().data(), vitte::sys::os_description().c_str(),
//               vitte::sys::cpu_count(), vitte::sys::page_size());
//   std::printf("%s %s on %s, %llu bytes of RAM, running %s\n",
//               vitte::sys::os_name().c_str(), vitte::sys::os_version().c_str(),
//               vitte::sys::host_name().value().c_str(),
//               (unsigned long long)vitte::sys::physical_memory(),
//               vitte::sys::executable_path().value().c_str());
//
// The host functions (executable_path, host_name, physical_memory, os_name,
// os_version) need the host_info capability: not on freestanding boards.
#ifndef VITTE_SYS_INFO_HPP
#define VITTE_SYS_INFO_HPP

#include <vitte/base.hpp>
#include <vitte/base/text.hpp>  // executable_path, host_name
#include <vitte/base/text_view.hpp>
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/detail/grow_text.hpp>
#include <vitte/sys/operations.hpp>
#include <vitte/sys/platform.hpp>

#include <cstddef>
#include <cstdint>  // physical_memory

namespace vitte::sys {

/// A short text held by value (no allocation).
struct short_text {
  static constexpr std::size_t capacity = 192;
  char text[capacity] = {};
  std::size_t length = 0;
  const char* c_str() const noexcept { return text; }
  text_view view() const noexcept { return {text, length}; }
};

/// The policy's name: "linux", "posix", "win32", "freestanding", ...
template <class P = platform>
constexpr text_view platform_name() noexcept {
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

/// The absolute path of the running executable (/proc/self/exe,
/// GetModuleFileNameW, _NSGetExecutablePath). Errors (host_info):
/// not_supported where the OS cannot tell.
template <class P = platform>
result<text> executable_path() {
  VITTE_REQUIRE_CAPABILITY(P, host_info);
  return detail::grow_text([](char* b, std::size_t n) noexcept { return P::executable_path(b, n); });
}

/// This machine's host name (gethostname; the DNS host name on Windows).
/// Errors (host_info): what the OS reports.
template <class P = platform>
result<text> host_name() {
  VITTE_REQUIRE_CAPABILITY(P, host_info);
  return detail::grow_text([](char* b, std::size_t n) noexcept { return P::host_name(b, n); });
}

/// Physical memory installed, in bytes; 0 when the OS does not say.
template <class P = platform>
std::uint64_t physical_memory() noexcept {
  VITTE_REQUIRE_CAPABILITY(P, host_info);
  return P::physical_memory();
}

/// The OS's name: "Linux", "Darwin", "FreeBSD", "Windows"; empty if unknown.
template <class P = platform>
short_text os_name() noexcept {
  VITTE_REQUIRE_CAPABILITY(P, host_info);
  short_text t;
  t.length = P::os_name(t.text, short_text::capacity);
  return t;
}

/// The OS's version: the kernel release ("6.1.0-18-amd64"), or Windows'
/// "major.minor.build" (RtlGetVersion); empty if unknown.
template <class P = platform>
short_text os_version() noexcept {
  VITTE_REQUIRE_CAPABILITY(P, host_info);
  short_text t;
  t.length = P::os_version(t.text, short_text::capacity);
  return t;
}

}  // namespace vitte::sys

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/environment.ipp>
#endif

#endif  // VITTE_SYS_INFO_HPP
