// Definition of linux_platform::random_fill (see the random block of
// vitte/sys/policy/linux.hpp): getrandom(2), /dev/urandom before Linux 3.17.
#ifndef VITTE_SYS_DETAIL_LINUX_RANDOM_IPP
#define VITTE_SYS_DETAIL_LINUX_RANDOM_IPP

#include <vitte/sys/detail/posix/errno.hpp>
#include <vitte/sys/detail/posix/random.ipp>
#include <vitte/sys/policy/linux.hpp>

#include <errno.h>        // errno, ENOSYS
#include <sys/syscall.h>  // SYS_getrandom (no <sys/random.h> before glibc 2.25)
#include <unistd.h>       // syscall

namespace vitte::sys {

VITTE_DECL result<std::size_t> linux_platform::random_fill(void* buf, std::size_t n) noexcept {
  if (n == 0) return std::size_t{0};
#if defined(SYS_getrandom)
  const long got = ::syscall(SYS_getrandom, buf, n, 0u);
  if (got > 0) return static_cast<std::size_t>(got);
  if (got < 0 && errno != ENOSYS) return detail::errno_error(ops::random);
  if (got == 0) return error{errc::unexpected_eof, ops::random};
#endif
  return posix_platform::random_fill(buf, n);
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_LINUX_RANDOM_IPP
