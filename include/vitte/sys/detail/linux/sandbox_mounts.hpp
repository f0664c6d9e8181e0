// The file-system view of the Linux sandbox (detail/linux/sandbox.ipp), in
// its own mount namespace: the read and exec trees remounted read-only (so
// that root cannot change them through a descriptor either: fchmod,
// futimens, chattr answer EROFS), the write trees writable again beneath
// them, and a /proc of the sandbox's own pid namespace.
//
// The parent resolves the trees (realpath) and orders them by depth; the
// child, between fork and exec, makes only system calls here: mount,
// mount_setattr, open, landlock_add_rule, read.
#ifndef VITTE_SYS_DETAIL_LINUX_SANDBOX_MOUNTS_HPP
#define VITTE_SYS_DETAIL_LINUX_SANDBOX_MOUNTS_HPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/detail/decimal.hpp>  // /proc/self/stat's fields
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>

#include <cstddef>
#include <cstdint>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>  // realpath (parent only)
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>  // ST_* (the bits of statfs f_flags)
#include <sys/syscall.h>
#include <unistd.h>

namespace vitte::sys::detail::linux_sandbox {

// One tree of the mount plan: its resolved path, and whether it stays
// writable (write trees) or becomes read-only (read and exec trees).
struct mount_step {
  text path;
  bool writable = false;
};

// The number of components of an absolute path ("/" is 0).
inline std::size_t depth(text_view path) noexcept {
  std::size_t n = 0;
  for (std::size_t i = 0; i < path.size(); ++i)
    if (path[i] == '/' && i + 1 < path.size()) ++n;
  return n;
}

// Parent side: adds `path` resolved (symbolic links followed: /lib is
// usr/lib on merged systems) to `plan`; a path that does not exist is left
// out, as Landlock leaves it out.
inline void plan_mount(buffer<mount_step>& plan, const char* path, bool writable) {
  char* real = ::realpath(path, nullptr);
  if (real == nullptr) return;
  mount_step step;
  step.path = text(text_view(real));
  step.writable = writable;
  ::free(real);
  plan.push_back(static_cast<mount_step&&>(step));
}

// Parent side: shallow trees first, so that a deeper tree decides for what
// lies beneath it (a write tree inside a read tree stays writable, a read
// tree inside a write tree becomes read-only); at equal depth the writable
// one last.
inline void order_mounts(buffer<mount_step>& plan) noexcept {
  for (std::size_t i = 1; i < plan.size(); ++i)
    for (std::size_t j = i; j > 0; --j) {
      const mount_step& a = plan[j - 1];
      const mount_step& b = plan[j];
      const std::size_t da = depth(a.path), db = depth(b.path);
      if (da < db || (da == db && (!a.writable || b.writable))) break;
      mount_step t = static_cast<mount_step&&>(plan[j - 1]);
      plan[j - 1] = static_cast<mount_step&&>(plan[j]);
      plan[j] = static_cast<mount_step&&>(t);
    }
}

// True when `inner` is `outer` or lies beneath it.
inline bool beneath(text_view inner, text_view outer) noexcept {
  if (outer == "/") return true;
  return inner.size() >= outer.size() && inner.substr(0, outer.size()) == outer &&
         (inner.size() == outer.size() || inner[outer.size()] == '/');
}

// Parent side, after order_mounts: drops the trees whose nearest enclosing
// tree of the plan already makes them what they would be (/usr/bin beneath
// /usr, both read-only; a second /usr): each mount the child makes costs.
inline void drop_covered(buffer<mount_step>& plan) {
  buffer<mount_step> kept;
  for (mount_step& step : plan) {
    const mount_step* nearest = nullptr;
    for (const mount_step& k : kept)
      if (beneath(step.path, k.path) && (nearest == nullptr || depth(k.path) >= depth(nearest->path))) nearest = &k;
    if (nearest != nullptr && nearest->writable == step.writable) continue;
    kept.push_back(static_cast<mount_step&&>(step));
  }
  plan = static_cast<buffer<mount_step>&&>(kept);
}

// mount_setattr(2) (Linux 5.12; the same number everywhere).
inline constexpr long nr_mount_setattr = 442;
inline constexpr std::uint64_t mount_attr_rdonly = 0x1;
inline constexpr unsigned at_recursive = 0x8000;
struct mount_attr_args {
  std::uint64_t attr_set, attr_clr, propagation, userns_fd;
};

// Child side: the mount at `path` and every mount beneath it read-only (or
// writable again); 0 or the errno. Without mount_setattr, the top mount
// only, through MS_REMOUNT with the flags it has (a user namespace may not
// drop a locked one).
inline int set_read_only(const char* path, bool read_only) noexcept {
  mount_attr_args attr{read_only ? mount_attr_rdonly : 0, read_only ? 0 : mount_attr_rdonly, 0, 0};
  if (::syscall(nr_mount_setattr, AT_FDCWD, path, at_recursive, &attr, sizeof attr) == 0) return 0;
  if (errno != ENOSYS) return errno;
  struct statfs st;
  if (::statfs(path, &st) != 0) return errno;
  unsigned long flags = MS_REMOUNT | MS_BIND | (read_only ? MS_RDONLY : 0);
  const unsigned long kept[][2] = {{ST_NOSUID, MS_NOSUID},         {ST_NODEV, MS_NODEV},
                                   {ST_NOEXEC, MS_NOEXEC},         {ST_NOATIME, MS_NOATIME},
                                   {ST_NODIRATIME, MS_NODIRATIME}, {ST_RELATIME, MS_RELATIME}};
  for (const auto& k : kept)
    if ((static_cast<unsigned long>(st.f_flags) & k[0]) != 0) flags |= k[1];
  return ::mount(nullptr, path, nullptr, flags, nullptr) == 0 ? 0 : errno;
}

// Child side, in a fresh mount namespace: nothing propagates back to the
// host, then each tree of `plan` (ordered) bound onto itself and made
// read-only or writable. 0 or the errno of the first refusal.
inline int remount_trees(const mount_step* plan, std::size_t n) noexcept {
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return errno;
  for (std::size_t i = 0; i < n; ++i) {
    const char* path = plan[i].path.c_str();
    if (::mount(path, path, nullptr, MS_BIND | MS_REC, nullptr) != 0) {
      if (errno == ENOENT) continue;  // gone since the parent looked
      return errno;
    }
    const int e = set_read_only(path, !plan[i].writable);
    if (e != 0 && !(plan[i].writable && e == EPERM)) return e;  // a write tree read-only outside stays so
  }
  return 0;
}

// True when the tree `path` reaches /proc: /proc itself, beneath it, or above it.
inline bool reaches_proc(text_view path) noexcept { return path == "/" || beneath(path, "/proc"); }

// A Landlock rule to add again on the sandbox's own /proc (a tree at or
// beneath /proc; "/" above it needs none: Landlock walks up through the
// mount).
struct proc_rule {
  const char* path;
  std::uint64_t rights;
};

// Child side, pid 1 of the new pid namespace: a procfs of that namespace
// mounted on /proc, and the rules of the trees under /proc added again to
// `ruleset` (the parent's were for the host's /proc, whose inodes this one
// does not share). 0 or the errno.
inline int mount_own_proc(int ruleset, long add_rule_nr, int rule_type, std::uint64_t file_rights,
                          const proc_rule* rules, std::size_t n) noexcept {
  if (::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0) return errno;
  // What acts on the whole host stays read-only, even with /proc writable:
  // the sysctls (core_pattern...), sysrq, interrupts, buses.
  for (const char* host : {"/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus"}) {
    if (::mount(host, host, nullptr, MS_BIND | MS_REC, nullptr) != 0) {
      if (errno == ENOENT) continue;
      return errno;
    }
    if (const int e = set_read_only(host, true); e != 0) return e;
  }
  for (std::size_t i = 0; i < n && ruleset >= 0; ++i) {
    int fd = ::open(rules[i].path, O_PATH | O_CLOEXEC);
    if (fd < 0) continue;
    struct stat st;
    const bool dir = ::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
    struct __attribute__((packed)) {
      std::uint64_t allowed;
      std::int32_t parent;
    } rule{dir ? rules[i].rights : rules[i].rights & file_rights, fd};
    const long r = ::syscall(add_rule_nr, ruleset, rule_type, &rule, 0u);
    const int e = errno;
    ::close(fd);
    if (r != 0) return e;
  }
  return 0;
}

// Child side: field `k` (0: the state, the first after the command's name)
// of /proc/self/stat, or 0.
inline std::uint64_t stat_field(const char* stat, std::size_t k) noexcept {
  const char* p = ::strrchr(stat, ')');
  if (p == nullptr) return 0;
  ++p;
  for (std::size_t i = 0; i <= k; ++i) {
    while (*p == ' ') ++p;
    if (*p == '\0') return 0;
    if (i == k) break;
    while (*p != ' ' && *p != '\0') ++p;
  }
  const text_view rest(p);
  std::uint64_t v = 0;
  return vitte::detail::parse_decimal(rest.substr(0, vitte::detail::decimal_digits(rest)), UINT64_MAX, v) ? v : 0;
}

// Child side: this process no longer dumpable (its memory, a copy of the
// caller's, cannot be read through /proc/PID/mem, environ or ptrace from
// inside), and its argument and environment areas zeroed (what
// /proc/PID/cmdline shows without any check). 0 or the errno of reading
// /proc/self/stat.
inline int forget_the_caller() noexcept {
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  char stat[1024];
  int fd = ::open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  ssize_t n = ::read(fd, stat, sizeof stat - 1);
  const int e = errno;
  ::close(fd);
  if (n <= 0) return n < 0 ? e : EIO;
  stat[n] = '\0';
  // arg_start, arg_end, env_start, env_end: fields 48 to 51 (proc(5)).
  const std::uint64_t arg_start = stat_field(stat, 45), arg_end = stat_field(stat, 46);
  const std::uint64_t env_start = stat_field(stat, 47), env_end = stat_field(stat, 48);
  if (arg_start != 0 && arg_end > arg_start)
    ::memset(reinterpret_cast<void*>(static_cast<std::uintptr_t>(arg_start)), 0, arg_end - arg_start);
  if (env_start != 0 && env_end > env_start)
    ::memset(reinterpret_cast<void*>(static_cast<std::uintptr_t>(env_start)), 0, env_end - env_start);
  return 0;
}

}  // namespace vitte::sys::detail::linux_sandbox

#endif  // VITTE_SYS_DETAIL_LINUX_SANDBOX_MOUNTS_HPP
