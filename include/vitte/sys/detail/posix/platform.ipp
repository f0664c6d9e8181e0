// Definitions of posix_platform. Header-only mode includes this from
// vitte/sys/policy/posix.hpp; compiled mode compiles it in src/vitte.cpp.
#ifndef VITTE_SYS_DETAIL_POSIX_PLATFORM_IPP
#define VITTE_SYS_DETAIL_POSIX_PLATFORM_IPP

#include <vitte/sys/detail/posix/clock.hpp>
#include <vitte/sys/policy/posix.hpp>

#include <errno.h>        // errno values
#include <sys/utsname.h>  // uname
#include <unistd.h>       // sysconf

namespace vitte::sys {

// Classifies an errno value: the base's one classification (base/detail/posix/native_error.ipp).
VITTE_DECL errc os_platform_base::classify(int native) noexcept { return vitte::detail::classify_native(native); }

// An error of `kind` with the errno value POSIX uses for it.
VITTE_DECL error os_platform_base::make_error(errc kind, operation op) noexcept {
  int native = 0;
  switch (kind) {
    case errc::ok:
      return {};
    case errc::interrupted:
      native = EINTR;
      break;
    case errc::would_block:
      native = EAGAIN;
      break;
    case errc::timed_out:
      native = ETIMEDOUT;
      break;
    case errc::not_found:
      native = ENOENT;
      break;
    case errc::already_exists:
      native = EEXIST;
      break;
    case errc::permission_denied:
      native = EACCES;
      break;
    case errc::invalid_argument:
      native = EINVAL;
      break;
    case errc::bad_descriptor:
      native = EBADF;
      break;
    case errc::too_many_open_files:
      native = EMFILE;
      break;
    case errc::no_space:
      native = ENOSPC;
      break;
    case errc::no_memory:
      native = ENOMEM;
      break;
    case errc::busy:
      native = EBUSY;
      break;
    case errc::not_supported:
      native = ENOTSUP;
      break;
    case errc::not_a_directory:
      native = ENOTDIR;
      break;
    case errc::is_a_directory:
      native = EISDIR;
      break;
    case errc::directory_not_empty:
      native = ENOTEMPTY;
      break;
    case errc::name_too_long:
      native = ENAMETOOLONG;
      break;
    case errc::too_many_links:
      native = ELOOP;
      break;
    case errc::cross_device:
      native = EXDEV;
      break;
    case errc::read_only:
      native = EROFS;
      break;
    case errc::broken_pipe:
      native = EPIPE;
      break;
    case errc::connection_refused:
      native = ECONNREFUSED;
      break;
    case errc::connection_reset:
      native = ECONNRESET;
      break;
    case errc::connection_aborted:
      native = ECONNABORTED;
      break;
    case errc::not_connected:
      native = ENOTCONN;
      break;
    case errc::address_in_use:
      native = EADDRINUSE;
      break;
    case errc::address_unavailable:
      native = EADDRNOTAVAIL;
      break;
    case errc::network_unreachable:
      native = ENETUNREACH;
      break;
    case errc::host_unreachable:
      native = EHOSTUNREACH;
      break;
    case errc::in_progress:
      native = EINPROGRESS;
      break;
    case errc::message_too_long:
      native = EMSGSIZE;
      break;
    case errc::io_error:
      native = EIO;
      break;
    case errc::no_such_process:
      native = ESRCH;
      break;
    case errc::exec_format:
      native = ENOEXEC;
      break;
    case errc::unexpected_eof:
    case errc::malformed:
    case errc::limit_exceeded:
    case errc::version_mismatch:
    case errc::verification_failed:
    case errc::unknown:
      return error{kind, op};  // detected by vitte: no errno
  }
  return error{kind, op, native, error_domain::posix};
}

VITTE_DECL std::int64_t os_platform_base::clock_now_ns(clock_id id) noexcept {
  switch (id) {
    case clock_id::monotonic:
    case clock_id::monotonic_coarse:
    case clock_id::boottime:
      return detail::posix::clock_now(CLOCK_MONOTONIC);
    case clock_id::realtime:
    case clock_id::realtime_coarse:
      return detail::posix::clock_now(CLOCK_REALTIME);
    case clock_id::process_cpu:
      return detail::posix::clock_now(CLOCK_PROCESS_CPUTIME_ID);
    case clock_id::thread_cpu:
      return detail::posix::clock_now(CLOCK_THREAD_CPUTIME_ID);
  }
  return detail::posix::clock_now(CLOCK_MONOTONIC);
}

VITTE_DECL std::int64_t os_platform_base::clock_resolution_ns(clock_id id) noexcept {
  switch (id) {
    case clock_id::monotonic:
    case clock_id::monotonic_coarse:
    case clock_id::boottime:
      return detail::posix::clock_resolution(CLOCK_MONOTONIC);
    case clock_id::realtime:
    case clock_id::realtime_coarse:
      return detail::posix::clock_resolution(CLOCK_REALTIME);
    case clock_id::process_cpu:
      return detail::posix::clock_resolution(CLOCK_PROCESS_CPUTIME_ID);
    case clock_id::thread_cpu:
      return detail::posix::clock_resolution(CLOCK_THREAD_CPUTIME_ID);
  }
  return detail::posix::clock_resolution(CLOCK_MONOTONIC);
}

VITTE_DECL error os_platform_base::sleep_until_ns(clock_id id, std::int64_t t) noexcept {
  switch (id) {
    case clock_id::realtime:
    case clock_id::realtime_coarse:
      return detail::posix::sleep_until(CLOCK_REALTIME, t);
    case clock_id::monotonic:
    case clock_id::monotonic_coarse:
    case clock_id::boottime:
      return detail::posix::sleep_until(CLOCK_MONOTONIC, t);
    case clock_id::process_cpu:
    case clock_id::thread_cpu:
      break;
  }
  return error{errc::not_supported, ops::sleep};  // nobody sleeps on a CPU-time clock
}

VITTE_DECL std::size_t os_platform_base::page_size() noexcept {
  static const std::size_t size = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  return size;
}

VITTE_DECL std::size_t os_platform_base::allocation_granularity() noexcept { return page_size(); }

VITTE_DECL unsigned os_platform_base::cpu_count() noexcept {
  long n = ::sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<unsigned>(n) : 1u;
}

VITTE_DECL std::size_t os_platform_base::os_description(char* buf, std::size_t n) noexcept {
  if (n == 0) return 0;
  buf[0] = '\0';
  struct utsname u;
  if (::uname(&u) != 0) return 0;
  vitte::detail::text_writer w{buf, n};
  w.append(u.sysname);
  w.append(" ");
  w.append(u.release);
  w.append(" ");
  w.append(u.machine);
  return w.len;
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_POSIX_PLATFORM_IPP
