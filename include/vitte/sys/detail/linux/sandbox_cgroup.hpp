// The process and memory limits of the Linux sandbox
// (detail/linux/sandbox.ipp) by cgroups: fork(2) exempts real uid 0 from
// RLIMIT_NPROC and RLIMIT_AS binds each process alone, while the pids and
// memory controllers exempt nobody and count the sandbox's processes
// together.
//
// Where: for each controller, its hierarchy of cgroup v1 (this process's
// cgroup in it), or cgroup v2's where this process's cgroup has the
// controller enabled for its children (a delegated subtree); the first
// found in /proc/self/mountinfo that this process may write. Nothing of the
// system's configuration is changed: no controller is enabled.
//
// How: the parent opens that directory; the child, first thing after
// fork, makes "vitte-sandbox-PID" in it (PID: its own, as the parent knows
// it), moves itself in (writes "0" to cgroup.procs) and keeps the limit's
// file open (pids.max, written once it knows whether a pid namespace's
// waiter counts too; memory.max or memory.limit_in_bytes, written at
// once). All of it async-signal-safe. When the parent reaps the child
// (sandboxed<P>::process_wait) the cgroup is removed; one whose processes
// outlived the child (a daemon without a pid namespace) stays until they
// end. A caller killed before it reaped its child leaves the cgroup; the
// next sandboxed spawn with a process limit (of any process) removes the
// empty ones whose PID no longer runs (cgroup_sweep).
#ifndef VITTE_SYS_DETAIL_LINUX_SANDBOX_CGROUP_HPP
#define VITTE_SYS_DETAIL_LINUX_SANDBOX_CGROUP_HPP

#include <vitte/base/detail/atomic.hpp>
#include <vitte/base/detail/decimal.hpp>  // a directory name's pid
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>

#include <cstdint>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

namespace vitte::sys::detail::linux_sandbox {

// Where the sandboxes' cgroups are made: a directory, and the cgroup
// version (0: nowhere).
struct cgroup_place {
  text dir;
  int version = 0;
};

// The controllers the sandbox uses.
enum class cgroup_controller : int { pids = 0, memory = 1 };
inline constexpr int cgroup_controller_count = 2;

inline const char* controller_name(cgroup_controller c) noexcept {
  return c == cgroup_controller::pids ? "pids" : "memory";
}

// The file of a controller's limit in a cgroup of `version`.
inline const char* limit_file(cgroup_controller c, int version) noexcept {
  if (c == cgroup_controller::pids) return "pids.max";
  return version == 1 ? "memory.limit_in_bytes" : "memory.max";
}

// The whole of a small /proc file (at most `cap` - 1 bytes), NUL-ended; its length or -1.
inline long read_small(const char* path, char* buf, std::size_t cap) noexcept {
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  std::size_t n = 0;
  while (n + 1 < cap) {
    ssize_t r = ::read(fd, buf + n, cap - 1 - n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    n += static_cast<std::size_t>(r);
  }
  ::close(fd);
  buf[n] = '\0';
  return static_cast<long>(n);
}

// Field `i` (0-based, split at spaces) of a line.
inline text_view field(text_view line, int i) noexcept {
  std::size_t start = 0;
  for (; i > 0; --i) {
    std::size_t sp = line.find(' ', start);
    if (sp == text_view::npos) return {};
    start = sp + 1;
  }
  std::size_t end = line.find(' ', start);
  return line.substr(start, end == text_view::npos ? text_view::npos : end - start);
}

// True when `word` is one of the items of `list` separated by `sep`.
inline bool listed(text_view list, text_view word, char sep) noexcept {
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(sep, start);
    if (end == text_view::npos) end = list.size();
    if (list.substr(start, end - start) == word) return true;
    start = end + 1;
  }
  return false;
}

// This process's cgroup in the v1 hierarchy holding `controller`, or
// ("" controller) the v2 one: the path of /proc/self/cgroup.
inline text_view own_cgroup(text_view self, text_view controller) noexcept {
  std::size_t start = 0;
  while (start < self.size()) {
    std::size_t end = self.find('\n', start);
    if (end == text_view::npos) end = self.size();
    text_view line = self.substr(start, end - start);
    start = end + 1;
    std::size_t a = line.find(':');
    std::size_t b = a == text_view::npos ? a : line.find(':', a + 1);
    if (b == text_view::npos) continue;
    text_view controllers = line.substr(a + 1, b - a - 1);
    if (controller.empty() ? controllers.empty() : listed(controllers, controller, ',')) return line.substr(b + 1);
  }
  return {};
}

// The directory the sandboxes' cgroups of `controller` go in: see the
// header comment.
inline cgroup_place find_cgroup_place(text_view controller) noexcept {
  char mounts[32768], self[4096];
  cgroup_place found;
  if (read_small("/proc/self/mountinfo", mounts, sizeof mounts) <= 0) return found;
  if (read_small("/proc/self/cgroup", self, sizeof self) <= 0) return found;
  text_view all(mounts);
  std::size_t start = 0;
  while (start < all.size() && found.version == 0) {
    std::size_t end = all.find('\n', start);
    if (end == text_view::npos) end = all.size();
    text_view line = all.substr(start, end - start);
    start = end + 1;
    // ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER_OPTIONS
    std::size_t dash = line.find(" - ");
    if (dash == text_view::npos) continue;
    text_view tail = line.substr(dash + 3);
    text_view type = field(tail, 0);
    const bool v1 = type == "cgroup" && listed(field(tail, 2), controller, ',');
    const bool v2 = type == "cgroup2";
    if (!v1 && !v2) continue;
    text_view root = field(line, 3), mount_point = field(line, 4);
    text_view mine = own_cgroup(text_view(self), v1 ? controller : text_view());
    if (mine.empty() || mount_point.find('\\') != text_view::npos) continue;  // no such cgroup, an escaped name
    if (root != "/" && mine.substr(0, root.size()) == root) mine = mine.substr(root.size());
    text dir(mount_point);
    if (mine != "/") dir.append(mine);
    if (v2) {
      char controls[512];
      text at = dir;
      at.append("/cgroup.subtree_control");
      if (read_small(at.c_str(), controls, sizeof controls) < 0) continue;
      text_view c(controls);
      while (!c.empty() && c.back() == '\n') c = c.substr(0, c.size() - 1);
      if (!listed(c, controller, ' ')) continue;
    }
    if (::access(dir.c_str(), W_OK | X_OK) != 0) continue;
    found.dir = static_cast<text&&>(dir);
    found.version = v1 ? 1 : 2;
  }
  return found;
}

// Found once per process (the mounts do not move under a running build).
inline const cgroup_place& cgroup_place_once(cgroup_controller c) noexcept {
  static const cgroup_place places[cgroup_controller_count] = {find_cgroup_place("pids"), find_cgroup_place("memory")};
  return places[static_cast<int>(c)];
}

// Set once a sandbox made a cgroup: until then a reap looks for none.
inline vitte::detail::atomic<bool>& cgroups_made() noexcept {
  static vitte::detail::atomic<bool> made{false};
  return made;
}

// "vitte-sandbox-PID" into `out` (at least 40 bytes). Async-signal-safe.
inline void cgroup_name(std::int64_t pid, char* out) noexcept {
  const char prefix[] = "vitte-sandbox-";
  std::size_t n = sizeof prefix - 1;
  ::memcpy(out, prefix, n);
  char digits[24];
  std::size_t k = 0;
  std::uint64_t v = pid < 0 ? 0 : static_cast<std::uint64_t>(pid);
  do digits[k++] = static_cast<char>('0' + v % 10);
  while ((v /= 10) != 0);
  while (k > 0) out[n++] = digits[--k];
  out[n] = '\0';
}

// Child side: writes all of `data` to `fd`; 0 or the errno.
inline int write_all(int fd, const char* data, std::size_t n) noexcept {
  while (n != 0) {
    ssize_t w = ::write(fd, data, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return errno;
    if (w == 0) return EIO;
    data += w;
    n -= static_cast<std::size_t>(w);
  }
  return 0;
}

// Child side, first thing after fork: makes this process's cgroup under
// `dir_fd` and moves into it; `max_fd` gets its `limit` file (pids.max,
// memory.max...), open for writing. 0 or the errno.
inline int cgroup_join(int dir_fd, const char* limit, int& max_fd) noexcept {
  char name[40];
  cgroup_name(::getpid(), name);
  if (::mkdirat(dir_fd, name, 0755) != 0 && errno != EEXIST) return errno;
  int cg = ::openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (cg < 0) return errno;
  max_fd = ::openat(cg, limit, O_WRONLY | O_CLOEXEC);
  int code = max_fd < 0 ? errno : 0;
  int procs = code == 0 ? ::openat(cg, "cgroup.procs", O_WRONLY | O_CLOEXEC) : -1;
  if (code == 0 && procs < 0) code = errno;
  if (code == 0) code = write_all(procs, "0", 1);
  if (procs >= 0) ::close(procs);
  ::close(cg);
  return code;
}

// Child side: the limit = `n` (pids.max, memory.max...), and the
// descriptor closed; 0 or the errno.
inline int cgroup_limit(int max_fd, std::uint64_t n) noexcept {
  char digits[24];
  std::size_t k = sizeof digits;
  do digits[--k] = static_cast<char>('0' + n % 10);
  while ((n /= 10) != 0);
  int code = write_all(max_fd, digits + k, sizeof digits - k);
  ::close(max_fd);
  return code;
}

// Parent side, once the child `pid` is reaped: its cgroup removed. The
// processes of a pid namespace die with its first one but leave the
// cgroup a moment later: a few tries over about 50 ms.
inline void cgroup_remove(std::int64_t pid) noexcept {
  if (!cgroups_made().load()) return;
  char name[40];
  cgroup_name(pid, name);
  for (int c = 0; c < cgroup_controller_count; ++c) {
    const cgroup_place& place = cgroup_place_once(static_cast<cgroup_controller>(c));
    if (place.version == 0) continue;
    text path = place.dir;
    path.append("/");
    path.append(text_view(name));
    for (int attempt = 0; attempt < 50; ++attempt) {
      if (::rmdir(path.c_str()) == 0 || errno != EBUSY) break;
      struct timespec ms = {0, 1000000};
      ::nanosleep(&ms, nullptr);
    }
  }
}

// Parent side, at each spawn with a pids cgroup: removes the empty
// "vitte-sandbox-PID" directories under `dir` whose PID no longer runs
// (left by a caller killed before it reaped its child). Best effort: a
// cgroup still holding processes stays (rmdir refuses it), errors are
// ignored.
inline void cgroup_sweep(const char* dir) noexcept {
  DIR* d = ::opendir(dir);
  if (d == nullptr) return;
  const int fd = ::dirfd(d);
  const char prefix[] = "vitte-sandbox-";
  while (const dirent* e = ::readdir(d)) {
    if (::strncmp(e->d_name, prefix, sizeof prefix - 1) != 0) continue;
    std::uint64_t pid = 0;
    if (!vitte::detail::parse_decimal(text_view(e->d_name + sizeof prefix - 1), 1u << 30, pid) || pid == 0) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // alive (or not ours to tell)
    (void)::unlinkat(fd, e->d_name, AT_REMOVEDIR);
  }
  ::closedir(d);
}

}  // namespace vitte::sys::detail::linux_sandbox

#endif  // VITTE_SYS_DETAIL_LINUX_SANDBOX_CGROUP_HPP
