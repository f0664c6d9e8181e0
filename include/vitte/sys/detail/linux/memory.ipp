// Memory functions of linux_platform (see vitte/sys/policy/linux.hpp):
// MAP_POPULATE, MADV_POPULATE_*, MADV_HUGEPAGE, memfd_create, hugetlb sizes.
#ifndef VITTE_SYS_DETAIL_LINUX_MEMORY_IPP
#define VITTE_SYS_DETAIL_LINUX_MEMORY_IPP

#include <vitte/base/detail/decimal.hpp>  // parse_size
#include <vitte/sys/detail/posix/memory.ipp>
#include <vitte/sys/policy/linux.hpp>

#include <dirent.h>    // opendir: /sys/kernel/mm/hugepages
#include <errno.h>     // errno values
#include <fcntl.h>     // open: /proc/meminfo
#include <stdint.h>    // SIZE_MAX
#include <string.h>    // strncmp, strstr
#include <sys/mman.h>  // mmap, madvise, memfd_create
#include <unistd.h>    // read, close

// memfd_create (Linux 3.17, glibc 2.27). With 0, shared memory comes from
// shm_open as on any POSIX system.
#ifndef VITTE_HAS_MEMFD
#define VITTE_HAS_MEMFD 1
#endif

namespace vitte::sys {

namespace detail::linux_os {

// Parses the decimal number at s (digits only); 0 when there is none or it
// does not fit.
inline std::size_t parse_size(const char* s) noexcept {
  const text_view t(s);
  std::uint64_t v = 0;
  return vitte::detail::parse_decimal(t.substr(0, vitte::detail::decimal_digits(t)), SIZE_MAX, v)
             ? static_cast<std::size_t>(v)
             : 0;
}

// Inserts `size` into the sorted list out[0, count) of capacity n; the
// largest size falls off a full list.
inline std::size_t insert_sorted(std::size_t* out, std::size_t count, std::size_t n, std::size_t size) noexcept {
  std::size_t i = count < n ? count : n;
  while (i > 0 && out[i - 1] > size) {
    if (i < n) out[i] = out[i - 1];
    --i;
  }
  if (i < n) out[i] = size;
  return count < n ? count + 1 : n;
}

// Entries "hugepages-<kB>kB" of /sys/kernel/mm/hugepages.
inline std::size_t sysfs_huge_page_sizes(std::size_t* out, std::size_t n) noexcept {
  DIR* dir = ::opendir("/sys/kernel/mm/hugepages");
  if (dir == nullptr) return 0;
  std::size_t count = 0;
  while (const struct dirent* entry = ::readdir(dir)) {
    if (::strncmp(entry->d_name, "hugepages-", 10) != 0) continue;
    std::size_t kb = parse_size(entry->d_name + 10);
    if (kb != 0) count = insert_sorted(out, count, n, kb * 1024);
  }
  ::closedir(dir);
  return count;
}

// "Hugepagesize:    2048 kB" in /proc/meminfo (kernels without the sysfs directory).
inline std::size_t meminfo_huge_page_size() noexcept {
  int fd = ::open("/proc/meminfo", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char text[8192];
  ssize_t got;
  do {
    got = ::read(fd, text, sizeof text - 1);
  } while (got < 0 && errno == EINTR);
  ::close(fd);
  if (got <= 0) return 0;
  text[got] = '\0';
  const char* line = ::strstr(text, "Hugepagesize:");
  if (line == nullptr) return 0;
  line += 13;
  while (*line == ' ') ++line;
  return parse_size(line) * 1024;
}

// The populate hint for committed pages: MADV_POPULATE_(READ|WRITE) where
// the headers and the kernel (5.14) have it, else touching. A hint never
// fails the commit.
inline void populate(void* p, std::size_t size, protection prot) noexcept {
  if (prot == protection::none) return;
#if defined(MADV_POPULATE_WRITE) && defined(MADV_POPULATE_READ)
  int how = prot == protection::read_write ? MADV_POPULATE_WRITE : MADV_POPULATE_READ;
  if (::madvise(p, size, how) == 0 || errno != EINVAL) return;
#endif
  posix::populate_by_touching(p, size, prot);
}

inline void advise_huge_pages(void* p, std::size_t size, commit_options options) noexcept {
#ifdef MADV_HUGEPAGE
  if (options.huge_pages) ::madvise(p, size, MADV_HUGEPAGE);  // a hint: failure (no THP) is ignored
#else
  (void)p, (void)size, (void)options;
#endif
}

}  // namespace detail::linux_os

VITTE_DECL std::size_t linux_platform::huge_page_sizes(std::size_t* out, std::size_t n) noexcept {
  if (n == 0) return 0;
  std::size_t count = detail::linux_os::sysfs_huge_page_sizes(out, n);
  if (count != 0) return count;
  out[0] = detail::linux_os::meminfo_huge_page_size();
  return out[0] != 0 ? 1 : 0;
}

VITTE_DECL result<void*> linux_platform::memory_reserve(std::size_t size, protection prot,
                                                        commit_options options) noexcept {
  // With huge pages, populate after MADV_HUGEPAGE, so that the faults take them.
  bool populate_now = options.populate && !options.huge_pages && prot != protection::none;
  int flags = MAP_PRIVATE | MAP_ANONYMOUS | (populate_now ? MAP_POPULATE : 0);
  void* p = ::mmap(nullptr, size, detail::posix::native_protection(prot), flags, -1, 0);
  if (p == MAP_FAILED) return detail::posix::memory_error(ops::memory_reserve, errno);
  detail::linux_os::advise_huge_pages(p, size, options);
  if (options.populate && options.huge_pages) detail::linux_os::populate(p, size, prot);
  return p;
}

VITTE_DECL error linux_platform::memory_commit(void* p, std::size_t size, protection prot,
                                               commit_options options) noexcept {
  if (::mprotect(p, size, detail::posix::native_protection(prot)) != 0)
    return detail::posix::memory_error(ops::memory_commit, errno);
  detail::linux_os::advise_huge_pages(p, size, options);  // before populating, so the faults take huge pages
  if (options.populate) detail::linux_os::populate(p, size, prot);
  return {};
}

VITTE_DECL error linux_platform::memory_advise(void* p, std::size_t size, advice a) noexcept {
  int how = a == advice::will_need ? MADV_WILLNEED : MADV_DONTNEED;
  return detail::posix::memory_status(::madvise(p, size, how), ops::memory_advise);
}

VITTE_DECL result<std::intptr_t> linux_platform::shared_memory_create(std::size_t size) noexcept {
#if VITTE_HAS_MEMFD
  int fd = ::memfd_create("vitte-shared-memory", MFD_CLOEXEC);
  if (fd < 0 && errno == ENOSYS) return posix_platform::shared_memory_create(size);  // kernel before 3.17
  if (fd < 0) return detail::posix::memory_error(ops::shared_memory_create, errno);
  return detail::posix::sized_shared_memory(fd, size);
#else
  return posix_platform::shared_memory_create(size);
#endif
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_LINUX_MEMORY_IPP
