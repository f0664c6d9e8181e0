/* A hostile program for the sandbox escape suite (tests/tools/sandbox_escape.py):
 * `escape ATTACK [ARGS...]` tries one way out of a sandbox and prints exactly
 * one line:
 *
 *   escaped: <what it achieved>   exit 0   the attack worked
 *   blocked: <ERRNO, or reason>   exit 1   something stopped it
 *   n/a: <why>                    exit 77  it cannot be tried here
 *
 * (or dies of the signal that stopped it, which the runner reports). The
 * program's line is only a claim: where the host can see the outcome (a
 * file's mode, a datagram received, a process still alive, a terminal's
 * input) the runner judges from that instead.
 *
 * files
 *   read PATH                  read PATH, print what it holds
 *   read-symlink DIR TARGET    plant DIR/escape-link -> TARGET, read through it
 *   write PATH                 create or truncate PATH, write to it
 * metadata (the file or directory is opened O_RDONLY first, or named by path)
 *   fchmod PATH MODE           fchmod to MODE (octal)
 *   fchmod-dir PATH MODE       the same, opened O_RDONLY|O_DIRECTORY
 *   futimens PATH              set its times to 1970
 *   futimens-dir PATH          the same, opened O_RDONLY|O_DIRECTORY
 *   chmod PATH MODE            chmod by path
 *   setxattr PATH              set user.vitte_escape by path
 *   fsetxattr PATH             the same on a descriptor
 *   setflags PATH              FS_IOC_SETFLAGS: +i, else +d (nodump)
 * sockets
 *   dgram-sendto PATH          socketpair(AF_UNIX, SOCK_DGRAM), sendto PATH
 *   dgram-scm PATH             the same, carrying a descriptor (SCM_RIGHTS)
 *   dgram-connect PATH         the same pair, connect to PATH, then send
 *   stream-connect PATH        socket(AF_UNIX, SOCK_STREAM), connect to PATH
 *   abstract NAME              connect to the abstract unix socket NAME
 *   tcp PORT                   connect to 127.0.0.1:PORT
 *   netlink                    NETLINK_ROUTE: list the interfaces (escaped: one but lo)
 *   io-uring                   io_uring_setup
 * descriptors
 *   fd N                       read from and write to descriptor N, which it was not given
 * /proc
 *   proc-environ NAME          find NAME=... in the environ of pid 1, its
 *                              ancestors, any process
 *   proc-cmdline WORD          find a word holding WORD in another process's cmdline
 *   proc-maps                  read /proc/PID/maps of pid 1 or an ancestor
 *   proc-mem NAME              read /proc/PID/mem of pid 1 or an ancestor (NAME=...: a
 *                              secret to look for in its stack)
 *   proc-hosts WORD            list /proc: a process whose cmdline holds WORD
 * signals and ptrace
 *   kill PID                   SIGTERM to PID
 *   stop-init                  PTRACE_ATTACH pid 1, then SIGSTOP it (the caller may hang)
 *   traceme                    PTRACE_TRACEME
 * terminals (stdin a terminal)
 *   tiocsti                    type "x\n" into it (TIOCSTI)
 *   tiocsti-ctty               setsid, claim it (TIOCSCTTY), then type
 * namespaces
 *   unshare-user               unshare(CLONE_NEWUSER)
 *   setns                      join a namespace of pid 1 or an ancestor (/proc/PID/ns/...)
 *   clone3-newuser             clone3 with CLONE_NEWUSER
 *   clone-newuser              clone with CLONE_NEWUSER
 *   mount-tmpfs DIR            mount a tmpfs on DIR
 * system-call ABIs (x86_64)
 *   int80-getpid               getpid through int 0x80 (the i386 ABI)
 *   int80-open PATH            open and read PATH through int 0x80
 *   x32-getpid                 getpid with the x32 bit (0x40000000)
 * resources
 *   fork-bomb N                start processes until refused (escaped: more than N at once)
 *   memory COUNT MIB           COUNT processes each touching MIB MiB at once
 *   sleep SECONDS              sleep, then say so
 *   flood MIB                  write MIB MiB to stdout
 * helper (not an attack)
 *   hold SECONDS WORD          print "ready", sleep (WORD marks its cmdline)
 *
 * Plain C11 and the OS's headers only. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if !defined(__linux__)
int main(void) {
  puts("n/a: the escape suite attacks Linux sandboxes");
  return 77;
}
#else
#include <dirent.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <sched.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

/* Kernel ABI constants, spelled here rather than through <linux/fs.h>
 * (which clashes with <sys/mount.h> on some C libraries). */
#ifndef FS_IOC_GETFLAGS
#define FS_IOC_GETFLAGS _IOR('f', 1, long)
#define FS_IOC_SETFLAGS _IOW('f', 2, long)
#endif
#define ESCAPE_FS_IMMUTABLE_FL 0x00000010
#define ESCAPE_FS_NODUMP_FL 0x00000040
#define ESCAPE_X32_SYSCALL_BIT 0x40000000L
#define ESCAPE_CLONE_NEWUSER 0x10000000ULL

/* ---- the line ---------------------------------------------------------- */

static const struct {
  int value;
  const char* name;
} errno_names[] = {
    {EPERM, "EPERM"},
    {ENOENT, "ENOENT"},
    {ESRCH, "ESRCH"},
    {EINTR, "EINTR"},
    {EIO, "EIO"},
    {ENXIO, "ENXIO"},
    {E2BIG, "E2BIG"},
    {ENOEXEC, "ENOEXEC"},
    {EBADF, "EBADF"},
    {ECHILD, "ECHILD"},
    {EAGAIN, "EAGAIN"},
    {ENOMEM, "ENOMEM"},
    {EACCES, "EACCES"},
    {EFAULT, "EFAULT"},
    {EBUSY, "EBUSY"},
    {EEXIST, "EEXIST"},
    {EXDEV, "EXDEV"},
    {ENODEV, "ENODEV"},
    {ENOTDIR, "ENOTDIR"},
    {EISDIR, "EISDIR"},
    {EINVAL, "EINVAL"},
    {ENFILE, "ENFILE"},
    {EMFILE, "EMFILE"},
    {ENOTTY, "ENOTTY"},
    {ETXTBSY, "ETXTBSY"},
    {EFBIG, "EFBIG"},
    {ENOSPC, "ENOSPC"},
    {ESPIPE, "ESPIPE"},
    {EROFS, "EROFS"},
    {EMLINK, "EMLINK"},
    {EPIPE, "EPIPE"},
    {ERANGE, "ERANGE"},
    {ENAMETOOLONG, "ENAMETOOLONG"},
    {ENOSYS, "ENOSYS"},
    {ELOOP, "ELOOP"},
    {ENODATA, "ENODATA"},
    {ENOTSOCK, "ENOTSOCK"},
    {EDESTADDRREQ, "EDESTADDRREQ"},
    {EPROTOTYPE, "EPROTOTYPE"},
    {EPROTONOSUPPORT, "EPROTONOSUPPORT"},
    {EOPNOTSUPP, "EOPNOTSUPP"},
    {EAFNOSUPPORT, "EAFNOSUPPORT"},
    {EADDRINUSE, "EADDRINUSE"},
    {EADDRNOTAVAIL, "EADDRNOTAVAIL"},
    {ENETDOWN, "ENETDOWN"},
    {ENETUNREACH, "ENETUNREACH"},
    {ECONNRESET, "ECONNRESET"},
    {EISCONN, "EISCONN"},
    {ENOTCONN, "ENOTCONN"},
    {ETIMEDOUT, "ETIMEDOUT"},
    {ECONNREFUSED, "ECONNREFUSED"},
    {EHOSTUNREACH, "EHOSTUNREACH"},
    {EDQUOT, "EDQUOT"},
};

static const char* errno_name(int e) {
  static char other[32];
  size_t i;
  for (i = 0; i < sizeof errno_names / sizeof errno_names[0]; ++i)
    if (errno_names[i].value == e) return errno_names[i].name;
  snprintf(other, sizeof other, "errno %d", e);
  return other;
}

static int escaped(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
static int blocked(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
static int not_here(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

static int say(const char* head, int code, const char* fmt, va_list ap) {
  fputs(head, stdout);
  vprintf(fmt, ap);
  putchar('\n');
  fflush(stdout);
  return code;
}

static int escaped(const char* fmt, ...) {
  va_list ap;
  int r;
  va_start(ap, fmt);
  r = say("escaped: ", 0, fmt, ap);
  va_end(ap);
  return r;
}

static int blocked(const char* fmt, ...) {
  va_list ap;
  int r;
  va_start(ap, fmt);
  r = say("blocked: ", 1, fmt, ap);
  va_end(ap);
  return r;
}

static int not_here(const char* fmt, ...) {
  va_list ap;
  int r;
  va_start(ap, fmt);
  r = say("n/a: ", 77, fmt, ap);
  va_end(ap);
  return r;
}

/* blocked: ERRNO (what) */
static int refused(int e, const char* what) { return blocked("%s (%s)", errno_name(e), what); }

/* Printable text of at most n bytes, one line. */
static void printable(char* s, size_t n) {
  size_t i;
  for (i = 0; i < n && s[i] != 0; ++i)
    if (s[i] < 0x20 || s[i] > 0x7e) s[i] = '.';
  s[i < n ? i : n - 1] = 0;
}

static unsigned long parse_number(const char* s, int base) { return strtoul(s, NULL, base); }

/* ---- files ------------------------------------------------------------- */

static int read_file(const char* path) {
  char buf[128];
  ssize_t n;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return refused(errno, "open");
  n = read(fd, buf, sizeof buf - 1);
  if (n < 0) return refused(errno, "read");
  buf[n] = 0;
  printable(buf, sizeof buf);
  close(fd);
  return escaped("read '%s' from %s", buf, path);
}

static int read_symlink(const char* dir, const char* target) {
  char link[4096];
  snprintf(link, sizeof link, "%s/escape-link", dir);
  unlink(link);
  if (symlink(target, link) != 0) return refused(errno, "symlink");
  return read_file(link);
}

static int write_file(const char* path) {
  static const char text[] = "escaped\n";
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return refused(errno, "open for writing");
  if (write(fd, text, sizeof text - 1) != (ssize_t)(sizeof text - 1)) return refused(errno, "write");
  close(fd);
  return escaped("wrote %s", path);
}

/* ---- metadata ---------------------------------------------------------- */

static int open_target(const char* path, int directory) {
  return open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (directory ? O_DIRECTORY : 0));
}

static int change_mode(const char* path, const char* mode_text, int directory) {
  mode_t mode = (mode_t)parse_number(mode_text, 8);
  int fd = open_target(path, directory);
  if (fd < 0) return refused(errno, "open O_RDONLY");
  if (fchmod(fd, mode) != 0) return refused(errno, "fchmod");
  return escaped("fchmod %04o on a descriptor opened O_RDONLY%s", (unsigned)mode, directory ? "|O_DIRECTORY" : "");
}

static int change_times(const char* path, int directory) {
  struct timespec t[2];
  int fd = open_target(path, directory);
  if (fd < 0) return refused(errno, "open O_RDONLY");
  t[0].tv_sec = t[1].tv_sec = 1;
  t[0].tv_nsec = t[1].tv_nsec = 0;
  if (futimens(fd, t) != 0) return refused(errno, "futimens");
  return escaped("futimens to 1970 on a descriptor opened O_RDONLY%s", directory ? "|O_DIRECTORY" : "");
}

static int chmod_path(const char* path, const char* mode_text) {
  mode_t mode = (mode_t)parse_number(mode_text, 8);
  if (chmod(path, mode) != 0) return refused(errno, "chmod");
  return escaped("chmod %04o %s", (unsigned)mode, path);
}

static int set_attribute(const char* path, int by_descriptor) {
  int r;
  if (by_descriptor) {
    int fd = open_target(path, 0);
    if (fd < 0) return refused(errno, "open O_RDONLY");
    r = fsetxattr(fd, "user.vitte_escape", "1", 1, 0);
  } else {
    r = setxattr(path, "user.vitte_escape", "1", 1, 0);
  }
  if (r != 0) return refused(errno, by_descriptor ? "fsetxattr" : "setxattr");
  return escaped("set user.vitte_escape on %s", path);
}

static int set_flags(const char* path) {
  int flags = 0, want, e;
  int fd = open_target(path, 0);
  if (fd < 0) return refused(errno, "open O_RDONLY");
  if (ioctl(fd, FS_IOC_GETFLAGS, &flags) != 0) return refused(errno, "FS_IOC_GETFLAGS");
  want = flags | ESCAPE_FS_IMMUTABLE_FL;
  if (ioctl(fd, FS_IOC_SETFLAGS, &want) == 0) return escaped("chattr +i %s (flags %#x)", path, (unsigned)want);
  e = errno;
  want = flags | ESCAPE_FS_NODUMP_FL;
  if (ioctl(fd, FS_IOC_SETFLAGS, &want) == 0)
    return escaped("chattr +d %s (+i: %s; flags %#x)", path, errno_name(e), (unsigned)want);
  return refused(errno, "FS_IOC_SETFLAGS");
}

/* ---- sockets ----------------------------------------------------------- */

static socklen_t unix_address(struct sockaddr_un* a, const char* path, int abstract) {
  size_t n = strlen(path);
  size_t off = abstract ? 1 : 0;
  memset(a, 0, sizeof *a);
  a->sun_family = AF_UNIX;
  if (n > sizeof a->sun_path - 1 - off) n = sizeof a->sun_path - 1 - off;
  memcpy(a->sun_path + off, path, n);
  return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + off + n + (abstract ? 0 : 1));
}

/* how: 0 sendto, 1 sendto with SCM_RIGHTS, 2 connect then send */
static int datagram(const char* path, int how) {
  int sv[2];
  struct sockaddr_un a;
  socklen_t n = unix_address(&a, path, 0);
  static char text[] = "escape";
  if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) != 0) return refused(errno, "socketpair");
  if (how == 0) {
    if (sendto(sv[0], text, sizeof text - 1, 0, (struct sockaddr*)&a, n) < 0) return refused(errno, "sendto");
    return escaped("a datagram from a socketpair reached %s", path);
  }
  if (how == 1) {
    struct msghdr m;
    struct iovec v;
    union {
      struct cmsghdr h;
      char space[CMSG_SPACE(sizeof(int))];
    } control;
    struct cmsghdr* c;
    memset(&m, 0, sizeof m);
    memset(&control, 0, sizeof control);
    v.iov_base = text;
    v.iov_len = sizeof text - 1;
    m.msg_name = &a;
    m.msg_namelen = n;
    m.msg_iov = &v;
    m.msg_iovlen = 1;
    m.msg_control = control.space;
    m.msg_controllen = sizeof control.space;
    c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &sv[1], sizeof(int));
    if (sendmsg(sv[0], &m, 0) < 0) return refused(errno, "sendmsg SCM_RIGHTS");
    return escaped("a descriptor (SCM_RIGHTS) reached %s", path);
  }
  if (connect(sv[0], (struct sockaddr*)&a, n) != 0) return refused(errno, "connect");
  if (send(sv[0], text, sizeof text - 1, 0) < 0) return refused(errno, "send");
  return escaped("a socketpair connected to %s and sent", path);
}

static int stream_connect(const char* name, int abstract) {
  struct sockaddr_un a;
  socklen_t n = unix_address(&a, name, abstract);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return refused(errno, "socket AF_UNIX");
  if (connect(fd, (struct sockaddr*)&a, n) != 0) return refused(errno, "connect");
  if (write(fd, "escape", 6) < 0) return refused(errno, "write");
  return escaped("connected to %s%s", abstract ? "@" : "", name);
}

static int tcp_connect(const char* port) {
  struct sockaddr_in a;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return refused(errno, "socket AF_INET");
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((unsigned short)parse_number(port, 10));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr*)&a, sizeof a) != 0) return refused(errno, "connect");
  if (write(fd, "escape", 6) < 0) return refused(errno, "write");
  return escaped("connected to 127.0.0.1:%s", port);
}

static int netlink_interfaces(void) {
  struct {
    struct nlmsghdr h;
    struct ifinfomsg i;
  } q;
  static char buf[32768];
  char others[256] = "";
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE), done = 0, count = 0;
  if (fd < 0) return refused(errno, "socket AF_NETLINK");
  memset(&q, 0, sizeof q);
  q.h.nlmsg_len = sizeof q;
  q.h.nlmsg_type = RTM_GETLINK;
  q.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  q.h.nlmsg_seq = 1;
  q.i.ifi_family = AF_UNSPEC;
  if (send(fd, &q, sizeof q, 0) < 0) return refused(errno, "send RTM_GETLINK");
  while (!done) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    struct nlmsghdr* h;
    if (n < 0) return refused(errno, "recv");
    if (n == 0) break;
    for (h = (struct nlmsghdr*)buf; NLMSG_OK(h, (unsigned)n); h = NLMSG_NEXT(h, n)) {
      struct ifinfomsg* info;
      struct rtattr* at;
      int len;
      if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
        done = 1;
        break;
      }
      if (h->nlmsg_type != RTM_NEWLINK) continue;
      ++count;
      info = (struct ifinfomsg*)NLMSG_DATA(h);
      len = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof *info));
      for (at = IFLA_RTA(info); RTA_OK(at, len); at = RTA_NEXT(at, len)) {
        const char* name = (const char*)RTA_DATA(at);
        if (at->rta_type != IFLA_IFNAME || strcmp(name, "lo") == 0) continue;
        if (strlen(others) + strlen(name) + 2 < sizeof others) {
          if (others[0] != 0) strcat(others, ",");
          strcat(others, name);
        }
      }
    }
  }
  if (others[0] != 0) return escaped("netlink lists the host's interfaces: %s", others);
  return blocked("netlink lists %d interface(s), lo only", count);
}

static int io_uring(void) {
#ifdef SYS_io_uring_setup
  static unsigned char params[120];
  long fd = syscall(SYS_io_uring_setup, 1, params);
  if (fd < 0) return refused(errno, "io_uring_setup");
  return escaped("io_uring_setup gave descriptor %ld", fd);
#else
  return not_here("no io_uring_setup here");
#endif
}

/* ---- descriptors ------------------------------------------------------- */

static int inherited(const char* number) {
  int fd = (int)parse_number(number, 10);
  struct stat st;
  char got[64] = "";
  ssize_t n;
  static const char text[] = "escaped through an inherited descriptor\n";
  if (fstat(fd, &st) != 0) return refused(errno, "fstat of the descriptor");
  (void)fcntl(fd, F_SETFL, O_NONBLOCK);
  n = read(fd, got, sizeof got - 1);
  got[n > 0 ? n : 0] = 0;
  printable(got, sizeof got);
  if (write(fd, text, sizeof text - 1) < 0) return refused(errno, "write");
  return escaped("wrote to descriptor %d, open from the caller (read '%s')", fd, got);
}

/* ---- /proc ------------------------------------------------------------- */

/* The whole file (up to cap bytes); -1 and errno on failure. */
static ssize_t slurp(const char* path, char* buf, size_t cap) {
  size_t got = 0;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  while (got < cap) {
    ssize_t n = read(fd, buf + got, cap - got);
    if (n < 0) {
      int e = errno;
      close(fd);
      errno = e;
      return -1;
    }
    if (n == 0) break;
    got += (size_t)n;
  }
  close(fd);
  return (ssize_t)got;
}

/* The pid this /proc calls "self", and its parent's, by this /proc's numbering. */
static long proc_self(void) {
  char link[64];
  ssize_t n = readlink("/proc/self", link, sizeof link - 1);
  if (n <= 0) return -1;
  link[n] = 0;
  return strtol(link, NULL, 10);
}

static long proc_parent(long pid) {
  char path[64], buf[4096];
  const char* p;
  ssize_t n;
  snprintf(path, sizeof path, "/proc/%ld/status", pid);
  n = slurp(path, buf, sizeof buf - 1);
  if (n <= 0) return -1;
  buf[n] = 0;
  p = strstr(buf, "\nPPid:");
  return p != NULL ? strtol(p + 6, NULL, 10) : -1;
}

/* The processes worth attacking: pid 1, then the ancestors, then (all)
 * every process /proc lists. Up to cap pids, self left out. */
static int proc_targets(long* out, int cap, int all) {
  int n = 0, i;
  long self = proc_self(), p;
  if (cap > 0) out[n++] = 1;
  for (p = proc_parent(self); p > 0 && n < 16 && n < cap; p = proc_parent(p)) {
    for (i = 0; i < n && out[i] != p; ++i) {
    }
    if (i == n) out[n++] = p;
  }
  if (all) {
    DIR* d = opendir("/proc");
    struct dirent* e;
    while (d != NULL && (e = readdir(d)) != NULL && n < cap) {
      long pid = strtol(e->d_name, NULL, 10);
      if (pid <= 0) continue;
      for (i = 0; i < n && out[i] != pid; ++i) {
      }
      if (i == n) out[n++] = pid;
    }
    if (d != NULL) closedir(d);
  }
  for (i = 0; i < n; ++i)
    if (out[i] == self) out[i] = -1;
  return n;
}

/* Finds `word` inside one of the NUL-separated strings of buf[0, n), not
 * as the whole string (the word itself in an argv is no find); copies that
 * string to found. */
static int find_word(const char* buf, size_t n, const char* word, char* found, size_t cap) {
  size_t at = 0;
  while (at < n) {
    const char* s = buf + at;
    size_t len = strnlen(s, n - at);
    char tmp[512];
    size_t k = len < sizeof tmp - 1 ? len : sizeof tmp - 1;
    memcpy(tmp, s, k);
    tmp[k] = 0;
    if (strstr(tmp, word) != NULL && strcmp(tmp, word) != 0) {
      snprintf(found, cap, "%s", tmp);
      printable(found, cap);
      return 1;
    }
    at += len + 1;
  }
  return 0;
}

static long targets[4096];

/* file: "environ" or "cmdline"; all: every process, not only pid 1 and the ancestors. */
static int proc_search(const char* file, const char* word, int all) {
  static char buf[1 << 20];
  char path[64], found[512];
  int n = proc_targets(targets, (int)(sizeof targets / sizeof targets[0]), all), i, readable = 0, first_errno = 0;
  for (i = 0; i < n; ++i) {
    ssize_t got;
    if (targets[i] < 0) continue;
    snprintf(path, sizeof path, "/proc/%ld/%s", targets[i], file);
    got = slurp(path, buf, sizeof buf);
    if (got < 0) {
      if (i == 0) first_errno = errno;
      continue;
    }
    ++readable;
    if (find_word(buf, (size_t)got, word, found, sizeof found))
      return escaped("/proc/%ld/%s holds %s", targets[i], file, found);
  }
  if (readable == 0) return refused(first_errno != 0 ? first_errno : ENOENT, file);
  return blocked("%s not in the %d readable %s file(s) of %d process(es) (/proc/1: %s)", word, readable, file, n,
                 first_errno != 0 ? errno_name(first_errno) : "readable");
}

static int proc_maps(void) {
  static char buf[1 << 16];
  char path[64];
  int n = proc_targets(targets, 32, 0), i, first_errno = 0;
  for (i = 0; i < n; ++i) {
    ssize_t got;
    if (targets[i] < 0) continue;
    snprintf(path, sizeof path, "/proc/%ld/maps", targets[i]);
    got = slurp(path, buf, sizeof buf);
    if (got > 0) return escaped("read %ld bytes of %s", (long)got, path);
    if (i == 0) first_errno = got < 0 ? errno : ENODATA;
  }
  return refused(first_errno != 0 ? first_errno : ENOENT, "/proc/1/maps");
}

/* Reads the [stack] of a process through /proc/PID/mem (its maps give the
 * range; without them, the open alone is the escape) and looks for NAME=. */
static int proc_mem(const char* name) {
  static char maps[1 << 16], stack[1 << 20];
  char path[64], found[512];
  int n = proc_targets(targets, 32, 0), i, first_errno = 0;
  for (i = 0; i < n; ++i) {
    unsigned long lo = 0, hi = 0;
    ssize_t got;
    char* line;
    int fd;
    if (targets[i] < 0) continue;
    snprintf(path, sizeof path, "/proc/%ld/mem", targets[i]);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (i == 0) first_errno = errno;
      continue;
    }
    snprintf(path, sizeof path, "/proc/%ld/maps", targets[i]);
    got = slurp(path, maps, sizeof maps - 1);
    if (got <= 0) return escaped("opened /proc/%ld/mem (its maps unreadable)", targets[i]);
    maps[got] = 0;
    line = strstr(maps, "[stack]");
    while (line != NULL && line > maps && line[-1] != '\n') --line;
    if (line == NULL || sscanf(line, "%lx-%lx", &lo, &hi) != 2 || hi <= lo)
      return escaped("opened /proc/%ld/mem (no [stack] in its maps)", targets[i]);
    if (hi - lo > sizeof stack) lo = hi - sizeof stack;
    got = pread(fd, stack, hi - lo, (off_t)lo);
    if (got <= 0) return escaped("opened /proc/%ld/mem (read: %s)", targets[i], errno_name(errno));
    if (find_word(stack, (size_t)got, name, found, sizeof found))
      return escaped("read %ld bytes of /proc/%ld/mem: %s", (long)got, targets[i], found);
    return escaped("read %ld bytes of /proc/%ld/mem", (long)got, targets[i]);
  }
  return refused(first_errno != 0 ? first_errno : ENOENT, "/proc/1/mem");
}

/* ---- signals and ptrace ------------------------------------------------ */

static int kill_host(const char* pid_text) {
  pid_t pid = (pid_t)parse_number(pid_text, 10);
  if (kill(pid, SIGTERM) != 0) return refused(errno, "kill SIGTERM");
  return escaped("SIGTERM sent to %d", (int)pid);
}

static int stop_init(void) {
  int traced = ptrace(PTRACE_ATTACH, 1, NULL, NULL) == 0, e = errno, st = 0;
  if (traced) {
    (void)waitpid(1, &st, __WALL);
    (void)kill(1, SIGSTOP);
    (void)ptrace(PTRACE_DETACH, 1, NULL, (void*)(intptr_t)SIGSTOP);
    return escaped("attached to pid 1 and left it stopped");
  }
  if (kill(1, SIGSTOP) == 0) return escaped("SIGSTOP sent to pid 1 (PTRACE_ATTACH: %s)", errno_name(e));
  return blocked("%s (PTRACE_ATTACH), %s (kill SIGSTOP)", errno_name(e), errno_name(errno));
}

static int trace_me(void) {
  if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0) return refused(errno, "PTRACE_TRACEME");
  return escaped("PTRACE_TRACEME answered 0");
}

/* ---- terminals --------------------------------------------------------- */

static int type_into_terminal(int claim) {
  const char* c;
  if (!isatty(0)) return not_here("stdin is not a terminal");
  if (claim) {
    (void)setsid();
    if (ioctl(0, TIOCSCTTY, 0) != 0) return refused(errno, "TIOCSCTTY");
  }
  for (c = "x\n"; *c != 0; ++c)
    if (ioctl(0, TIOCSTI, c) != 0) return refused(errno, claim ? "TIOCSTI after TIOCSCTTY" : "TIOCSTI");
  return escaped("typed into the terminal%s", claim ? " after claiming it (setsid, TIOCSCTTY)" : "");
}

/* The same from a forked child: never a process group leader, so setsid
 * works. The child prints the line; a signal that ends it is the answer. */
static int type_from_child(void) {
  int st = 0;
  pid_t pid;
  fflush(stdout);
  pid = fork();
  if (pid < 0) return refused(errno, "fork");
  if (pid == 0) _exit(type_into_terminal(1));
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(st)) return blocked("signal %d (the child claiming the terminal)", WTERMSIG(st));
  return WEXITSTATUS(st);
}

/* ---- namespaces -------------------------------------------------------- */

static int unshare_user(void) {
  if (unshare(CLONE_NEWUSER) != 0) return refused(errno, "unshare CLONE_NEWUSER");
  return escaped("unshare(CLONE_NEWUSER)");
}

static int join_namespace(void) {
  static const char* const kinds[] = {"user", "mnt", "net", "pid", "ipc", "uts", "cgroup"};
  char path[96];
  int n = proc_targets(targets, 32, 0), i, open_errno = 0, setns_errno = 0, tried = 0;
  size_t k;
  for (k = 0; k < sizeof kinds / sizeof kinds[0]; ++k) {
    struct stat own;
    snprintf(path, sizeof path, "/proc/thread-self/ns/%s", kinds[k]);
    if (stat(path, &own) != 0) own.st_ino = 0;
    for (i = 0; i < n; ++i) {
      struct stat theirs;
      int fd;
      if (targets[i] < 0) continue;
      snprintf(path, sizeof path, "/proc/%ld/ns/%s", targets[i], kinds[k]);
      fd = open(path, O_RDONLY | O_CLOEXEC);
      if (fd < 0) {
        if (open_errno == 0) open_errno = errno;
        continue;
      }
      /* Only a namespace other than its own is a way out. */
      if (fstat(fd, &theirs) == 0 && theirs.st_ino != own.st_ino) {
        ++tried;
        if (setns(fd, 0) == 0) return escaped("joined the %s namespace of /proc/%ld", kinds[k], targets[i]);
        if (setns_errno == 0) setns_errno = errno;
      }
      close(fd);
    }
  }
  if (tried > 0) return blocked("%s (setns into %d other namespace(s))", errno_name(setns_errno), tried);
  if (open_errno != 0) return refused(open_errno, "open /proc/PID/ns");
  return blocked("no namespace but its own in reach");
}

static int wait_child(long pid) {
  int st = 0;
  while (waitpid((pid_t)pid, &st, 0) < 0 && errno == EINTR) {
  }
  return st;
}

static int clone3_newuser(void) {
#ifdef SYS_clone3
  struct {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
  } args;
  long pid;
  memset(&args, 0, sizeof args);
  args.flags = ESCAPE_CLONE_NEWUSER;
  args.exit_signal = SIGCHLD;
  pid = syscall(SYS_clone3, &args, sizeof args);
  if (pid < 0) return refused(errno, "clone3 CLONE_NEWUSER");
  if (pid == 0) _exit(0);
  wait_child(pid);
  return escaped("clone3(CLONE_NEWUSER) started %ld", pid);
#else
  return not_here("no clone3 here");
#endif
}

static int clone_newuser(void) {
  long pid = syscall(SYS_clone, (unsigned long)(ESCAPE_CLONE_NEWUSER | SIGCHLD), NULL, NULL, NULL, NULL);
  if (pid < 0) return refused(errno, "clone CLONE_NEWUSER");
  if (pid == 0) _exit(0);
  wait_child(pid);
  return escaped("clone(CLONE_NEWUSER) started %ld", pid);
}

static int mount_tmpfs(const char* dir) {
  if (mount("none", dir, "tmpfs", 0, "size=1m") != 0) return refused(errno, "mount tmpfs");
  return escaped("mounted a tmpfs on %s", dir);
}

/* ---- system-call ABIs -------------------------------------------------- */

#if defined(__x86_64__)
static sigjmp_buf fault_jump;
static void on_fault(int sig) { siglongjmp(fault_jump, sig); }

static long int80(long nr, long a, long b, long c) {
  long r;
  __asm__ volatile("int $0x80" : "=a"(r) : "0"(nr), "b"(a), "c"(b), "d"(c) : "memory", "r8", "r9", "r10", "r11");
  return r;
}

/* Runs int 0x80 calls; a SIGSEGV means the kernel has no i386 ABI. */
static int i386_abi(const char* path) {
  struct sigaction sa;
  char* low;
  long fd, n;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_fault;
  sigaction(SIGSEGV, &sa, NULL);
  if (sigsetjmp(fault_jump, 1) != 0) return not_here("int 0x80 faults: no i386 ABI in this kernel");
  if (path == NULL) {
    long pid = int80(20, 0, 0, 0); /* i386 getpid */
    if (pid < 0) return refused((int)-pid, "int 0x80 getpid");
    return escaped("int 0x80 getpid answered %ld", pid);
  }
  /* Below 4 GiB: the i386 ABI takes 32-bit pointers. */
  low = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
  if (low == MAP_FAILED) return not_here("no memory below 4 GiB (MAP_32BIT: %s)", errno_name(errno));
  snprintf(low, 4096, "%s", path);
  fd = int80(5, (long)(uintptr_t)low, O_RDONLY, 0); /* i386 open */
  if (fd < 0) return refused((int)-fd, "int 0x80 open");
  n = int80(3, fd, (long)(uintptr_t)(low + 4096), 127); /* i386 read */
  if (n < 0) return refused((int)-n, "int 0x80 read");
  low[4096 + n] = 0;
  printable(low + 4096, 128);
  return escaped("read '%s' from %s through int 0x80", low + 4096, path);
}

static int x32_abi(void) {
  long pid = syscall(ESCAPE_X32_SYSCALL_BIT | SYS_getpid);
  if (pid < 0) return refused(errno, "x32 getpid");
  return escaped("x32 getpid answered %ld", pid);
}
#else
static int i386_abi(const char* path) {
  (void)path;
  return not_here("int 0x80 is an x86_64 attack");
}
static int x32_abi(void) { return not_here("x32 is an x86_64 ABI"); }
#endif

/* ---- resources --------------------------------------------------------- */

static int fork_bomb(const char* limit_text) {
  long limit = (long)parse_number(limit_text, 10), cap = limit * 4 + 8, started = 0;
  int gate[2], e = 0;
  if (cap > 512) cap = 512;
  if (pipe2(gate, O_CLOEXEC) != 0) return refused(errno, "pipe");
  for (; started < cap; ++started) {
    pid_t pid = fork();
    if (pid < 0) {
      e = errno;
      break;
    }
    if (pid == 0) {
      char c;
      close(gate[1]);
      (void)!read(gate[0], &c, 1);
      _exit(0);
    }
  }
  close(gate[1]);
  while (wait(NULL) > 0 || errno == EINTR) {
  }
  if (started + 1 > limit)
    return escaped("%ld processes at once (limit %ld)%s%s", started + 1, limit, e != 0 ? ", then " : "",
                   e != 0 ? errno_name(e) : "");
  return blocked("%s after %ld processes (limit %ld)", errno_name(e), started + 1, limit);
}

static int memory(const char* count_text, const char* mib_text) {
  long count = (long)parse_number(count_text, 10), mib = (long)parse_number(mib_text, 10), i, held = 0;
  size_t bytes = (size_t)mib << 20;
  int ready[2], go[2], died = 0, how = 0;
  char c;
  if (pipe2(ready, O_CLOEXEC) != 0 || pipe2(go, O_CLOEXEC) != 0) return refused(errno, "pipe");
  for (i = 0; i < count; ++i) {
    pid_t pid = fork();
    if (pid < 0) return refused(errno, "fork");
    if (pid == 0) {
      char* p;
      size_t k;
      close(ready[0]);
      close(go[1]);
      p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p == MAP_FAILED) _exit(2);
      for (k = 0; k < bytes; k += 4096) p[k] = 1;
      (void)!write(ready[1], "1", 1);
      close(ready[1]);
      (void)!read(go[0], &c, 1); /* held until the parent lets go */
      _exit(0);
    }
  }
  close(ready[1]);
  close(go[0]);
  while (held < count) {
    ssize_t n = read(ready[0], &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    ++held;
  }
  close(go[1]);
  for (;;) {
    int st = 0;
    pid_t pid = wait(&st);
    if (pid < 0 && errno == EINTR) continue;
    if (pid < 0) break;
    if (WIFSIGNALED(st)) {
      ++died;
      how = WTERMSIG(st);
    } else if (WEXITSTATUS(st) != 0) {
      ++died;
    }
  }
  if (held == count && died == 0)
    return escaped("%ld processes held %ld MiB each at once (%ld MiB)", count, mib, count * mib);
  if (how != 0) return blocked("%ld of %ld held %ld MiB; %d died (signal %d)", held, count, mib, died, how);
  return blocked("%ld of %ld held %ld MiB; %d failed (ENOMEM)", held, count, mib, died);
}

static int sleep_for(const char* seconds_text) {
  struct timespec t;
  t.tv_sec = (time_t)parse_number(seconds_text, 10);
  t.tv_nsec = 0;
  while (nanosleep(&t, &t) != 0 && errno == EINTR) {
  }
  return escaped("slept %s s", seconds_text);
}

static int flood(const char* mib_text) {
  static char block[1 << 16];
  long mib = (long)parse_number(mib_text, 10), i;
  memset(block, 'x', sizeof block);
  signal(SIGPIPE, SIG_IGN);
  for (i = 0; i < mib * 16; ++i) {
    size_t done = 0;
    while (done < sizeof block) {
      ssize_t n = write(1, block + done, sizeof block - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return refused(errno, "write");
      done += (size_t)n;
    }
  }
  (void)!write(1, "\n", 1);
  return escaped("wrote %ld MiB", mib);
}

static int hold(const char* seconds_text) {
  struct timespec t;
  t.tv_sec = (time_t)parse_number(seconds_text, 10);
  t.tv_nsec = 0;
  puts("ready");
  fflush(stdout);
  while (nanosleep(&t, &t) != 0 && errno == EINTR) {
  }
  return 0;
}

/* ---- the table --------------------------------------------------------- */

/* Each attack with the number of arguments it takes (v[0], v[1]). */
static int attack_read(char** v) { return read_file(v[0]); }
static int attack_read_symlink(char** v) { return read_symlink(v[0], v[1]); }
static int attack_write(char** v) { return write_file(v[0]); }
static int attack_fchmod(char** v) { return change_mode(v[0], v[1], 0); }
static int attack_fchmod_dir(char** v) { return change_mode(v[0], v[1], 1); }
static int attack_futimens(char** v) { return change_times(v[0], 0); }
static int attack_futimens_dir(char** v) { return change_times(v[0], 1); }
static int attack_chmod(char** v) { return chmod_path(v[0], v[1]); }
static int attack_setxattr(char** v) { return set_attribute(v[0], 0); }
static int attack_fsetxattr(char** v) { return set_attribute(v[0], 1); }
static int attack_setflags(char** v) { return set_flags(v[0]); }
static int attack_dgram_sendto(char** v) { return datagram(v[0], 0); }
static int attack_dgram_scm(char** v) { return datagram(v[0], 1); }
static int attack_dgram_connect(char** v) { return datagram(v[0], 2); }
static int attack_stream_connect(char** v) { return stream_connect(v[0], 0); }
static int attack_abstract(char** v) { return stream_connect(v[0], 1); }
static int attack_tcp(char** v) { return tcp_connect(v[0]); }
static int attack_netlink(char** v) { return (void)v, netlink_interfaces(); }
static int attack_io_uring(char** v) { return (void)v, io_uring(); }
static int attack_fd(char** v) { return inherited(v[0]); }
static int attack_proc_environ(char** v) { return proc_search("environ", v[0], 1); }
static int attack_proc_cmdline(char** v) { return proc_search("cmdline", v[0], 0); }
static int attack_proc_maps(char** v) { return (void)v, proc_maps(); }
static int attack_proc_mem(char** v) { return proc_mem(v[0]); }
static int attack_proc_hosts(char** v) { return proc_search("cmdline", v[0], 1); }
static int attack_kill(char** v) { return kill_host(v[0]); }
static int attack_stop_init(char** v) { return (void)v, stop_init(); }
static int attack_traceme(char** v) { return (void)v, trace_me(); }
static int attack_tiocsti(char** v) { return (void)v, type_into_terminal(0); }
static int attack_tiocsti_ctty(char** v) { return (void)v, type_from_child(); }
static int attack_unshare_user(char** v) { return (void)v, unshare_user(); }
static int attack_setns(char** v) { return (void)v, join_namespace(); }
static int attack_clone3_newuser(char** v) { return (void)v, clone3_newuser(); }
static int attack_clone_newuser(char** v) { return (void)v, clone_newuser(); }
static int attack_mount_tmpfs(char** v) { return mount_tmpfs(v[0]); }
static int attack_int80_getpid(char** v) { return (void)v, i386_abi(NULL); }
static int attack_int80_open(char** v) { return i386_abi(v[0]); }
static int attack_x32_getpid(char** v) { return (void)v, x32_abi(); }
static int attack_fork_bomb(char** v) { return fork_bomb(v[0]); }
static int attack_memory(char** v) { return memory(v[0], v[1]); }
static int attack_sleep(char** v) { return sleep_for(v[0]); }
static int attack_flood(char** v) { return flood(v[0]); }
static int attack_hold(char** v) { return hold(v[0]); }

static const struct {
  const char* name;
  int args;
  int (*run)(char** v);
} attacks[] = {
    {"read", 1, attack_read},
    {"read-symlink", 2, attack_read_symlink},
    {"write", 1, attack_write},
    {"fchmod", 2, attack_fchmod},
    {"fchmod-dir", 2, attack_fchmod_dir},
    {"futimens", 1, attack_futimens},
    {"futimens-dir", 1, attack_futimens_dir},
    {"chmod", 2, attack_chmod},
    {"setxattr", 1, attack_setxattr},
    {"fsetxattr", 1, attack_fsetxattr},
    {"setflags", 1, attack_setflags},
    {"dgram-sendto", 1, attack_dgram_sendto},
    {"dgram-scm", 1, attack_dgram_scm},
    {"dgram-connect", 1, attack_dgram_connect},
    {"stream-connect", 1, attack_stream_connect},
    {"abstract", 1, attack_abstract},
    {"tcp", 1, attack_tcp},
    {"netlink", 0, attack_netlink},
    {"io-uring", 0, attack_io_uring},
    {"fd", 1, attack_fd},
    {"proc-environ", 1, attack_proc_environ},
    {"proc-cmdline", 1, attack_proc_cmdline},
    {"proc-maps", 0, attack_proc_maps},
    {"proc-mem", 1, attack_proc_mem},
    {"proc-hosts", 1, attack_proc_hosts},
    {"kill", 1, attack_kill},
    {"stop-init", 0, attack_stop_init},
    {"traceme", 0, attack_traceme},
    {"tiocsti", 0, attack_tiocsti},
    {"tiocsti-ctty", 0, attack_tiocsti_ctty},
    {"unshare-user", 0, attack_unshare_user},
    {"setns", 0, attack_setns},
    {"clone3-newuser", 0, attack_clone3_newuser},
    {"clone-newuser", 0, attack_clone_newuser},
    {"mount-tmpfs", 1, attack_mount_tmpfs},
    {"int80-getpid", 0, attack_int80_getpid},
    {"int80-open", 1, attack_int80_open},
    {"x32-getpid", 0, attack_x32_getpid},
    {"fork-bomb", 1, attack_fork_bomb},
    {"memory", 2, attack_memory},
    {"sleep", 1, attack_sleep},
    {"flood", 1, attack_flood},
    {"hold", 2, attack_hold},
};

int main(int argc, char** argv) {
  const char* a = argc > 1 ? argv[1] : "";
  size_t i;
  for (i = 0; i < sizeof attacks / sizeof attacks[0]; ++i) {
    if (strcmp(attacks[i].name, a) != 0) continue;
    if (argc - 2 < attacks[i].args) {
      fprintf(stderr, "escape %s: %d argument(s) expected\n", a, attacks[i].args);
      return 2;
    }
    return attacks[i].run(argv + 2);
  }
  fprintf(stderr, "usage: escape ATTACK [ARGS...] (see tests/sys/escape/escape.c); unknown '%s'\n", a);
  return 2;
}
#endif
