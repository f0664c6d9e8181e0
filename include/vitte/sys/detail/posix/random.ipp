// Definition of posix_platform::random_fill (see the random block of
// vitte/sys/policy/posix.hpp): getentropy on Darwin and the BSDs, a read of
// /dev/urandom elsewhere.
#ifndef VITTE_SYS_DETAIL_POSIX_RANDOM_IPP
#define VITTE_SYS_DETAIL_POSIX_RANDOM_IPP

#include <vitte/sys/detail/posix/errno.hpp>
#include <vitte/sys/policy/posix.hpp>

#include <errno.h>  // errno
#if VITTE_OS_DARWIN
#include <sys/random.h>  // getentropy (macOS 10.12)
#endif
#if VITTE_OS_DARWIN || VITTE_OS_BSD
#include <unistd.h>  // getentropy (FreeBSD 12, OpenBSD 5.6, NetBSD 10)
#else
#include <fcntl.h>   // open, O_CLOEXEC
#include <unistd.h>  // read, close
#endif

namespace vitte::sys {

// getentropy (at most 256 bytes a call) on Darwin and the BSDs, else a
// read of /dev/urandom (opened close-on-exec for each call). EINTR is
// errc::interrupted; the generic loop retries and completes short counts.
VITTE_DECL result<std::size_t> os_platform_base::random_fill(void* buf, std::size_t n) noexcept {
  if (n == 0) return std::size_t{0};
#if VITTE_OS_DARWIN || VITTE_OS_BSD
  const std::size_t chunk = n < 256 ? n : 256;  // getentropy's limit
  if (::getentropy(buf, chunk) != 0) return detail::errno_error(ops::random);
  return chunk;
#else
  int fd = ::open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return detail::errno_error(ops::random);
  const ::ssize_t got = ::read(fd, buf, n);
  const int code = errno;
  ::close(fd);
  if (got < 0) return detail::errno_error(ops::random, code);
  if (got == 0) return error{errc::unexpected_eof, ops::random};
  return static_cast<std::size_t>(got);
#endif
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_POSIX_RANDOM_IPP
