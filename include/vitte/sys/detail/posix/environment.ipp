// Environment variables and host information of posix_platform. Reached
// through the switch vitte/sys/detail/environment.ipp.
#ifndef VITTE_SYS_DETAIL_POSIX_ENVIRONMENT_IPP
#define VITTE_SYS_DETAIL_POSIX_ENVIRONMENT_IPP

#include <vitte/sys/detail/posix/errno.hpp>
#include <vitte/sys/policy/posix.hpp>

#if !VITTE_OS_POSIX
#error "vitte: detail/posix/environment.ipp is for POSIX targets"
#endif

#include <errno.h>
#include <limits.h>
#include <stdlib.h>  // getenv, setenv, unsetenv
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#if VITTE_OS_DARWIN
#include <mach-o/dyld.h>  // _NSGetExecutablePath
#include <sys/sysctl.h>
#elif defined(__FreeBSD__) || defined(__DragonFly__)
#include <sys/sysctl.h>
#endif

extern "C" char** environ;

namespace vitte::sys::detail::posix_env {

// Copies `s` (length `len`) into buf when it fits, NUL-terminated; returns len.
inline std::size_t copy_out(const char* s, std::size_t len, char* buf, std::size_t n) noexcept {
  if (len < n) {
    ::memcpy(buf, s, len);
    buf[len] = '\0';
  } else if (n > 0) {
    buf[0] = '\0';
  }
  return len;
}

}  // namespace vitte::sys::detail::posix_env

namespace vitte::sys {

// getenv (copied), setenv, unsetenv, environ. The C library's
// environment is not thread-safe: do not set variables while other
// threads read them.
VITTE_DECL result<std::size_t> os_platform_base::env_get(const char* name, char* buf, std::size_t n) noexcept {
  const char* v = ::getenv(name);
  if (v == nullptr) return error{errc::not_found, ops::environment};
  return detail::posix_env::copy_out(v, ::strlen(v), buf, n);
}

VITTE_DECL error os_platform_base::env_set(const char* name, const char* value) noexcept {
  if (::setenv(name, value, 1) != 0) return detail::errno_error(ops::environment, errno);
  return {};
}

VITTE_DECL error os_platform_base::env_unset(const char* name) noexcept {
  if (::unsetenv(name) != 0) return detail::errno_error(ops::environment, errno);
  return {};
}

VITTE_DECL void os_platform_base::env_list(void (*each)(void*, const char*, std::size_t), void* ctx) noexcept {
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) each(ctx, *e, ::strlen(*e));
}

// /proc/self/exe where it exists (Darwin: _NSGetExecutablePath; FreeBSD:
// KERN_PROC_PATHNAME), else errc::not_supported.
VITTE_DECL result<std::size_t> os_platform_base::executable_path(char* buf, std::size_t n) noexcept {
  namespace d = detail::posix_env;
  char path[PATH_MAX + 1];
#if VITTE_OS_DARWIN
  std::uint32_t size = sizeof path;
  if (::_NSGetExecutablePath(path, &size) != 0) return error{errc::name_too_long, ops::host_info};
  char real[PATH_MAX + 1];
  const char* p = ::realpath(path, real) != nullptr ? real : path;
  return d::copy_out(p, ::strlen(p), buf, n);
#elif defined(__FreeBSD__) || defined(__DragonFly__)
  int mib[4] = {CTL_KERN, KERN_PROC, KERN_PROC_PATHNAME, -1};
  size_t size = sizeof path;
  if (::sysctl(mib, 4, path, &size, nullptr, 0) != 0) return detail::errno_error(ops::host_info, errno);
  return d::copy_out(path, ::strlen(path), buf, n);
#else
  // Linux /proc/self/exe, NetBSD /proc/curproc/exe; elsewhere not_supported.
  static constexpr const char* links[] = {"/proc/self/exe", "/proc/curproc/exe"};
  for (const char* link : links) {
    ssize_t len = ::readlink(link, path, sizeof path - 1);
    if (len < 0) continue;
    return d::copy_out(path, static_cast<std::size_t>(len), buf, n);
  }
  return error{errc::not_supported, ops::host_info};
#endif
}

// gethostname.
VITTE_DECL result<std::size_t> os_platform_base::host_name(char* buf, std::size_t n) noexcept {
  char name[256];
  if (::gethostname(name, sizeof name) != 0) return detail::errno_error(ops::host_info, errno);
  name[sizeof name - 1] = '\0';
  return detail::posix_env::copy_out(name, ::strlen(name), buf, n);
}

// _SC_PHYS_PAGES times the page size (Darwin: hw.memsize).
VITTE_DECL std::uint64_t os_platform_base::physical_memory() noexcept {
#if VITTE_OS_DARWIN
  std::uint64_t bytes = 0;
  size_t size = sizeof bytes;
  if (::sysctlbyname("hw.memsize", &bytes, &size, nullptr, 0) != 0) return 0;
  return bytes;
#else
  long pages = ::sysconf(_SC_PHYS_PAGES);
  long page = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0) return 0;
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page);
#endif
}

// uname: sysname ("Linux", "Darwin", "FreeBSD") and release.
VITTE_DECL std::size_t os_platform_base::os_name(char* buf, std::size_t n) noexcept {
  struct utsname u;
  if (::uname(&u) != 0) return 0;
  std::size_t len = ::strlen(u.sysname);
  return len < n ? detail::posix_env::copy_out(u.sysname, len, buf, n) : 0;
}

VITTE_DECL std::size_t os_platform_base::os_version(char* buf, std::size_t n) noexcept {
  struct utsname u;
  if (::uname(&u) != 0) return 0;
  std::size_t len = ::strlen(u.release);
  return len < n ? detail::posix_env::copy_out(u.release, len, buf, n) : 0;
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_POSIX_ENVIRONMENT_IPP
