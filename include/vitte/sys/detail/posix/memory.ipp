// Memory functions of posix_platform (see vitte/sys/policy/posix.hpp):
// mmap, mprotect, posix_madvise, mlock, shm_open, posix_memalign.
#ifndef VITTE_SYS_DETAIL_POSIX_MEMORY_IPP
#define VITTE_SYS_DETAIL_POSIX_MEMORY_IPP

#include <vitte/base/detail/atomic.hpp>  // names of shared memory objects
#include <vitte/base/detail/text.hpp>
#include <vitte/sys/detail/pages.hpp>
#include <vitte/sys/detail/posix/errno.hpp>
#include <vitte/sys/policy/posix.hpp>

#include <errno.h>     // errno values
#include <fcntl.h>     // O_* for shm_open
#include <stdlib.h>    // posix_memalign, free
#include <sys/mman.h>  // mmap and friends
#include <unistd.h>    // ftruncate, close, getpid

namespace vitte::sys {

namespace detail::posix {

inline int native_protection(protection p) noexcept {
  switch (p) {
    case protection::none:
      return PROT_NONE;
    case protection::read:
      return PROT_READ;
    case protection::read_write:
      return PROT_READ | PROT_WRITE;
    case protection::read_execute:
      return PROT_READ | PROT_EXEC;
  }
  return PROT_NONE;
}

// errno as an error of `op`. EAGAIN from mmap, mlock and mprotect means a
// locked-memory limit was reached: no_memory, not "try again".
inline error memory_error(operation op, int code) noexcept {
  // EAGAIN from mlock/mmap means memory, not "try again".
  return code == EAGAIN ? error{errc::no_memory, op, code, error_domain::posix} : errno_error(op, code);
}

inline error memory_status(int rc, operation op) noexcept { return rc == 0 ? error{} : memory_error(op, errno); }

// The populate hint where the OS offers nothing better: one access per page,
// a write where the pages allow it.
inline void populate_by_touching(void* p, std::size_t size, protection prot) noexcept {
  if (prot == protection::none) return;
  touch_pages(p, size, posix_platform::page_size(), prot == protection::read_write);
}

// Gives a new shared memory descriptor its size; closes it on failure.
inline result<std::intptr_t> sized_shared_memory(int fd, std::size_t size) noexcept {
  int rc = -1;
  errno = EFBIG;  // a size off_t cannot hold
  if (size <= static_cast<std::size_t>(~0ull >> (65 - 8 * sizeof(off_t)))) {
    do {
      rc = ::ftruncate(fd, static_cast<off_t>(size));
    } while (rc != 0 && errno == EINTR);
  }
  if (rc == 0) return std::intptr_t{fd};
  error e = memory_error(ops::shared_memory_create, errno);
  ::close(fd);
  return e;
}

// A shared memory object nobody else can open: shm_open under a name unique
// to this process and call, unlinked at once. Descriptors from shm_open are
// close-on-exec (POSIX).
inline result<int> anonymous_shm() noexcept {
  static vitte::detail::atomic<unsigned> counter{0};
  for (int attempt = 0; attempt < 16; ++attempt) {
    char name[64];
    vitte::detail::text_writer w{name, sizeof name};
    w.append("/vitte-");
    w.append_int(::getpid());
    w.append("-");
    w.append_int(counter.fetch_add(1, vitte::detail::relaxed));
    int fd = ::shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    if (fd < 0 && errno == EEXIST) continue;  // left over by an earlier process with our pid
    if (fd < 0) return memory_error(ops::shared_memory_create, errno);
    ::shm_unlink(name);
    return fd;
  }
  return error{errc::already_exists, ops::shared_memory_create, EEXIST, error_domain::posix};
}

}  // namespace detail::posix

// None: POSIX has no portable way to ask (the Linux policy reads sysfs).
VITTE_DECL std::size_t os_platform_base::huge_page_sizes(std::size_t*, std::size_t) noexcept { return 0; }

// mmap of private anonymous memory with `prot` (PROT_NONE: reserved only);
// `populate` touches each page.
VITTE_DECL result<void*> os_platform_base::memory_reserve(std::size_t size, protection prot,
                                                          commit_options options) noexcept {
  void* p = ::mmap(nullptr, size, detail::posix::native_protection(prot), MAP_PRIVATE | MAP_ANON, -1, 0);
  if (p == MAP_FAILED) return detail::posix::memory_error(ops::memory_reserve, errno);
  if (options.populate) detail::posix::populate_by_touching(p, size, prot);
  return p;
}

// mprotect to `prot`; `populate` touches each page.
VITTE_DECL error os_platform_base::memory_commit(void* p, std::size_t size, protection prot,
                                                 commit_options options) noexcept {
  if (::mprotect(p, size, detail::posix::native_protection(prot)) != 0)
    return detail::posix::memory_error(ops::memory_commit, errno);
  if (options.populate) detail::posix::populate_by_touching(p, size, prot);
  return {};
}

// Replaces the pages with fresh PROT_NONE ones (mmap MAP_FIXED): the memory
// goes back to the OS and reads as zeros once committed again.
VITTE_DECL error os_platform_base::memory_decommit(void* p, std::size_t size) noexcept {
  void* q = ::mmap(p, size, PROT_NONE, MAP_PRIVATE | MAP_ANON | MAP_FIXED, -1, 0);
  if (q == MAP_FAILED) return detail::posix::memory_error(ops::memory_decommit, errno);
  return {};
}

// mprotect.
VITTE_DECL error os_platform_base::memory_protect(void* p, std::size_t size, protection prot) noexcept {
  return detail::posix::memory_status(::mprotect(p, size, detail::posix::native_protection(prot)), ops::memory_protect);
}

// munmap.
VITTE_DECL error os_platform_base::memory_release(void* p, std::size_t size) noexcept {
  return detail::posix::memory_status(::munmap(p, size), ops::memory_release);
}

// posix_madvise (POSIX_MADV_DONTNEED may keep the contents).
VITTE_DECL error os_platform_base::memory_advise(void* p, std::size_t size, advice a) noexcept {
  int how = a == advice::will_need ? POSIX_MADV_WILLNEED : POSIX_MADV_DONTNEED;
  int rc = ::posix_madvise(p, size, how);  // returns the error number
  return rc == 0 ? error{} : detail::posix::memory_error(ops::memory_advise, rc);
}

// mlock, munlock.
VITTE_DECL error os_platform_base::memory_lock(void* p, std::size_t size) noexcept {
  return detail::posix::memory_status(::mlock(p, size), ops::memory_lock);
}

VITTE_DECL error os_platform_base::memory_unlock(void* p, std::size_t size) noexcept {
  return detail::posix::memory_status(::munlock(p, size), ops::memory_unlock);
}

// __builtin___clear_cache: nothing on x86, cache maintenance on Arm.
VITTE_DECL error os_platform_base::flush_instruction_cache(const void* p, std::size_t size) noexcept {
  // The builtin emits nothing where instruction fetch sees data writes (x86)
  // and the cache maintenance (or the kernel call) where it does not (Arm).
  char* begin = static_cast<char*>(const_cast<void*>(p));
  __builtin___clear_cache(begin, begin + size);
  return {};
}

// A descriptor (close-on-exec) of `size` zeroed bytes.
VITTE_DECL result<std::intptr_t> os_platform_base::shared_memory_create(std::size_t size) noexcept {
  result<int> fd = detail::posix::anonymous_shm();
  if (!fd) return fd.error();
  return detail::posix::sized_shared_memory(*fd, size);
}

// mmap MAP_SHARED of the whole object with `prot`.
VITTE_DECL result<void*> os_platform_base::shared_memory_map(std::intptr_t handle, std::size_t size,
                                                             protection prot) noexcept {
  void* p = ::mmap(nullptr, size, detail::posix::native_protection(prot), MAP_SHARED, static_cast<int>(handle), 0);
  if (p == MAP_FAILED) return detail::posix::memory_error(ops::shared_memory_map, errno);
  return p;
}

// munmap.
VITTE_DECL error os_platform_base::shared_memory_unmap(void* p, std::size_t size) noexcept {
  return detail::posix::memory_status(::munmap(p, size), ops::memory_release);
}

// close; the views stay valid.
VITTE_DECL void os_platform_base::shared_memory_close(std::intptr_t handle) noexcept {
  ::close(static_cast<int>(handle));  // not retried on EINTR: the descriptor is gone either way
}

VITTE_DECL result<void*> os_platform_base::aligned_allocate(std::size_t size, std::size_t alignment) noexcept {
  void* p = nullptr;
  // posix_memalign wants a multiple of sizeof(void*); smaller powers of two divide it.
  int rc = ::posix_memalign(&p, alignment < sizeof(void*) ? sizeof(void*) : alignment, size);
  if (rc != 0) return detail::errno_error(ops::allocate, rc);
  return p;
}

VITTE_DECL void os_platform_base::aligned_free(void* p) noexcept { ::free(p); }

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_POSIX_MEMORY_IPP
