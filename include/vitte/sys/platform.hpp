// vitte/sys/platform.hpp - the default platform policy: vitte::sys::platform.
//
// The one backend switch of vitte/sys. VITTE_POLICY (vitte/base/config.hpp)
// names the policy; this header includes it and makes it the default of
// every alias (vitte::sys::monotonic_clock, ...). Users who want another
// policy spell it: vitte::sys::basic_clock<vitte::sys::posix_platform, ...>.
//
// Freestanding builds (no OS) use freestanding_platform<board>: the user
// defines vitte::sys::board, the tick source and memory of the target:
//
//   struct vitte::sys::board {
//     static std::uint64_t ticks() noexcept;            // a free-running counter
//     static constexpr std::uint64_t ticks_per_second = 25'000'000;
//   };
#ifndef VITTE_SYS_PLATFORM_HPP
#define VITTE_SYS_PLATFORM_HPP

#include <vitte/base/config.hpp>

#if VITTE_POLICY == VITTE_POLICY_LINUX
#include <vitte/sys/policy/linux.hpp>
namespace vitte::sys {
using platform = linux_platform;
}
#elif VITTE_POLICY == VITTE_POLICY_POSIX
#include <vitte/sys/policy/posix.hpp>
namespace vitte::sys {
using platform = posix_platform;
}
#elif VITTE_POLICY == VITTE_POLICY_DARWIN
#include <vitte/sys/policy/darwin.hpp>
namespace vitte::sys {
using platform = darwin_platform;
}
#elif VITTE_POLICY == VITTE_POLICY_BSD
#include <vitte/sys/policy/bsd.hpp>
namespace vitte::sys {
using platform = bsd_platform;
}
#elif VITTE_POLICY == VITTE_POLICY_WIN32
#include <vitte/sys/policy/win32.hpp>
namespace vitte::sys {
using platform = win32_platform;
}
#elif VITTE_POLICY == VITTE_POLICY_FREESTANDING
#include <vitte/sys/policy/freestanding.hpp>
namespace vitte::sys {
/// The target's tick source and memory, defined by the user (see above).
struct board;
using platform = freestanding_platform<board>;
}  // namespace vitte::sys
#endif

#endif  // VITTE_SYS_PLATFORM_HPP
