// A child for tests/sys/test_sandbox.cpp that tries one thing and says
// what happened: `sandbox_child ATTEMPT ARGS...` prints "ok" (exit 0) or
// "denied ERRNO" (exit 1), or dies of the signal that stopped it.
//
//   read PATH        open PATH and read a byte
//   write PATH       create (truncate) PATH and write a byte
//   exec PATH        execve PATH (no arguments)
//   connect PORT     TCP connect to 127.0.0.1:PORT
//   unix PATH        connect to the unix socket PATH
//   abstract NAME    connect to the abstract unix socket NAME
//   chmod PATH MODE  chmod PATH to MODE (octal)
//   fchmod PATH MODE open PATH (for reading), then fchmod it to MODE (octal)
//   futimens PATH    open PATH (for reading), then set its times to 1970
//   chattr PATH      open PATH (for reading), then make it immutable (FS_IOC_SETFLAGS)
//   utimes PATH      sets PATH's times to 1970
//   setxattr PATH    sets security.capability (cap_setuid+ep) on PATH
//   tiocsti          types "x\n" into the terminal on stdin (TIOCSTI)
//   sendto PATH      sends a datagram to the unix socket PATH
//   dgram-pair PATH  socketpair(AF_UNIX, SOCK_DGRAM), then a datagram to PATH through it
//   find PATH TEXT   prints "found" or "absent": whether TEXT is in the file PATH
//   pids             prints how many processes /proc lists
//   ptrace-init      PTRACE_ATTACH to pid 1 (its init, in a pid namespace)
//   sleep SECONDS    sleeps, then prints "ok"
//   fork-memory N BYTES  N children each touch BYTES; prints "survived K" (K exited 0)
//   syscall NAME     ptrace (TRACEME), unshare (a user namespace), io_uring (setup), mount (tmpfs on /tmp)
//   cpu              spins until stopped
//   memory BYTES     allocates and touches BYTES
//   files N          opens /dev/null N times
//   fsize PATH BYTES writes BYTES to PATH (SIGXFSZ ignored: EFBIG is the refusal)
//   fsize-signal PATH BYTES  the same, SIGXFSZ left at its default
//   abort            calls abort()
//   term-self        sends itself SIGTERM
//   trap-term        prints "ready", waits for SIGTERM and exits 3 ("got SIGTERM")
//   fork N           starts N children that wait, then ends them
//   signal PID       sends signal 0 to PID
//   pid              prints its pid
//
// Plain C++ and the OS's headers only.
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#if defined(_WIN32)
int main(int argc, char** argv) {
  if (argc >= 3 && std::strcmp(argv[1], "memory") == 0) {
    std::size_t n = std::strtoull(argv[2], nullptr, 10);
    char* p = static_cast<char*>(std::malloc(n));
    if (p == nullptr) return std::puts("denied ENOMEM"), 1;
    for (std::size_t i = 0; i < n; i += 4096) p[i] = 1;
    return std::puts("ok"), 0;
  }
  std::puts("ok");
  return 0;
}
#else
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#if defined(__linux__)
#include <sched.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/xattr.h>
#endif

namespace {

int denied(int e) {
  std::printf("denied %s\n", strerrorname_np(e) != nullptr ? strerrorname_np(e) : "?");
  return 1;
}

int ok() {
  std::puts("ok");
  return 0;
}

int connect_to(int family, const sockaddr* a, socklen_t n) {
  int fd = ::socket(family, SOCK_STREAM, 0);
  if (fd < 0) return denied(errno);
  if (::connect(fd, a, n) != 0) return denied(errno);
  return ok();
}

int attempt(const std::string& what, char** args, int count) {
  if (count < 1 && what != "cpu" && what != "pid" && what != "abort" && what != "term-self" && what != "trap-term" &&
      what != "tiocsti" && what != "pids" && what != "ptrace-init")
    return std::puts("usage"), 2;
  if (what == "read") {
    int fd = ::open(args[0], O_RDONLY);
    if (fd < 0) return denied(errno);
    char c;
    if (::read(fd, &c, 1) < 0) return denied(errno);
    return ok();
  }
  if (what == "write") {
    int fd = ::open(args[0], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || ::write(fd, "x", 1) != 1) return denied(errno);
    return ok();
  }
  if (what == "exec") {
    char* argv[] = {args[0], nullptr};
    ::execve(args[0], argv, environ);
    return denied(errno);
  }
  if (what == "connect") {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<unsigned short>(std::atoi(args[0])));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return connect_to(AF_INET, reinterpret_cast<sockaddr*>(&a), sizeof a);
  }
  if (what == "unix" || what == "abstract") {
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::size_t off = what == "abstract" ? 1 : 0;
    std::strncpy(a.sun_path + off, args[0], sizeof a.sun_path - 1 - off);
    socklen_t n = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + off + std::strlen(args[0]) + (off ? 0 : 1));
    return connect_to(AF_UNIX, reinterpret_cast<sockaddr*>(&a), n);
  }
  if (what == "chmod") {
    if (count < 2) return std::puts("usage"), 2;
    if (::chmod(args[0], static_cast<mode_t>(std::strtoul(args[1], nullptr, 8))) != 0) return denied(errno);
    return ok();
  }
  if (what == "fchmod") {
    if (count < 2) return std::puts("usage"), 2;
    int fd = ::open(args[0], O_RDONLY);
    if (fd < 0) return denied(errno);
    if (::fchmod(fd, static_cast<mode_t>(std::strtoul(args[1], nullptr, 8))) != 0) return denied(errno);
    return ok();
  }
  if (what == "futimens") {
    int fd = ::open(args[0], O_RDONLY);
    if (fd < 0) return denied(errno);
    const timespec times[2] = {{1, 0}, {1, 0}};
    if (::futimens(fd, times) != 0) return denied(errno);
    return ok();
  }
  if (what == "find") {
    if (count < 2) return std::puts("usage"), 2;
    int fd = ::open(args[0], O_RDONLY);
    if (fd < 0) return denied(errno);
    std::string all;
    char buf[4096];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) all.append(buf, static_cast<std::size_t>(n));
    return std::puts(all.find(args[1]) != std::string::npos ? "found" : "absent"), 0;
  }
  if (what == "sleep") {
    ::sleep(static_cast<unsigned>(std::atoi(args[0])));
    return ok();
  }
  if (what == "fork-memory") {
    if (count < 2) return std::puts("usage"), 2;
    const int n = std::atoi(args[0]);
    const std::size_t bytes = std::strtoull(args[1], nullptr, 10);
    int fds[2];
    if (::pipe(fds) != 0) return denied(errno);
    for (int i = 0; i < n; ++i)
      if (::fork() == 0) {
        ::close(fds[1]);
        void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) ::_exit(1);
        std::memset(p, 1, bytes);
        char c;
        (void)::read(fds[0], &c, 1);  // all of them hold their memory at once
        ::_exit(0);
      }
    ::close(fds[0]);
    ::sleep(1);
    ::close(fds[1]);
    int survived = 0;
    for (int st; ::wait(&st) > 0;)
      if (WIFEXITED(st) && WEXITSTATUS(st) == 0) ++survived;
    return std::printf("survived %d\n", survived), 0;
  }
  if (what == "utimes") {
    timeval tv[2] = {{1, 0}, {1, 0}};
    if (::utimes(args[0], tv) != 0) return denied(errno);
    return ok();
  }
  if (what == "tiocsti") {
    for (const char* c = "x\n"; *c != 0; ++c)
      if (::ioctl(0, TIOCSTI, c) != 0) return denied(errno);
    return ok();
  }
  if (what == "dgram-pair") {
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strncpy(a.sun_path, args[0], sizeof a.sun_path - 1);
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_DGRAM, 0, pair) != 0) return denied(errno);
    if (::sendto(pair[0], "x", 1, 0, reinterpret_cast<sockaddr*>(&a), sizeof a) != 1) return denied(errno);
    return ok();
  }
  if (what == "sendto") {
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strncpy(a.sun_path, args[0], sizeof a.sun_path - 1);
    int fd = ::socket(AF_UNIX, SOCK_DGRAM, 0);
    if (fd < 0) return denied(errno);
    if (::sendto(fd, "x", 1, 0, reinterpret_cast<sockaddr*>(&a), sizeof a) != 1) return denied(errno);
    return ok();
  }
#if defined(__linux__)
  if (what == "setxattr") {
    const unsigned caps[5] = {0x02000001u, 1u << 7, 0, 0, 0};  // VFS_CAP_REVISION_2, cap_setuid permitted
    if (::setxattr(args[0], "security.capability", caps, sizeof caps, 0) != 0) return denied(errno);
    return ok();
  }
  if (what == "chattr") {
    int fd = ::open(args[0], O_RDONLY);
    if (fd < 0) return denied(errno);
    // linux/fs.h's FS_IOC_GETFLAGS, FS_IOC_SETFLAGS, FS_IMMUTABLE_FL (its
    // header clashes with the C library's sys/mount.h on some).
    const unsigned long get_flags = _IOR('f', 1, long), set_flags = _IOW('f', 2, long);
    const long immutable = 0x10;
    long flags = 0;
    if (::ioctl(fd, get_flags, &flags) != 0) return denied(errno);
    flags |= immutable;
    if (::ioctl(fd, set_flags, &flags) != 0) return denied(errno);
    flags &= ~immutable;
    (void)::ioctl(fd, set_flags, &flags);
    return ok();
  }
  if (what == "pids") {
    int n = 0;
    if (DIR* d = ::opendir("/proc")) {
      while (dirent* e = ::readdir(d))
        if (e->d_name[0] >= '1' && e->d_name[0] <= '9') ++n;
      ::closedir(d);
    } else {
      return denied(errno);
    }
    return std::printf("%d\n", n), 0;
  }
  if (what == "ptrace-init") {
    if (::ptrace(PTRACE_ATTACH, 1, nullptr, nullptr) != 0) return denied(errno);
    return ok();
  }
  if (what == "syscall") {
    std::string name = args[0];
    long r = -1;
    if (name == "ptrace") r = ::ptrace(PTRACE_TRACEME, 0, nullptr, nullptr);
    if (name == "unshare") r = ::unshare(CLONE_NEWUSER);
    if (name == "mount") r = ::mount("none", "/tmp", "tmpfs", 0, nullptr);
#ifdef SYS_io_uring_setup
    if (name == "io_uring") {
      char params[120] = {};
      r = ::syscall(SYS_io_uring_setup, 1, params);
    }
#endif
    if (r < 0) return denied(errno);
    return ok();
  }
#endif
  if (what == "cpu") {
    volatile unsigned long n = 0;
    for (;;) n = n + 1;
  }
  if (what == "memory") {
    std::size_t n = std::strtoull(args[0], nullptr, 10);
    void* p = ::mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return denied(errno);
    std::memset(p, 1, n);
    return ok();
  }
  if (what == "files") {
    int n = std::atoi(args[0]);
    for (int i = 0; i < n; ++i)
      if (::open("/dev/null", O_RDONLY) < 0) return denied(errno);
    return ok();
  }
  if (what == "fsize" || what == "fsize-signal") {
    if (count < 2) return 2;
    if (what == "fsize") std::signal(SIGXFSZ, SIG_IGN);
    int fd = ::open(args[0], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return denied(errno);
    std::size_t n = std::strtoull(args[1], nullptr, 10);
    static char block[4096];
    while (n > 0) {
      std::size_t k = n < sizeof block ? n : sizeof block;
      ssize_t w = ::write(fd, block, k);
      if (w < 0) return denied(errno);
      n -= static_cast<std::size_t>(w);
    }
    return ok();
  }
  if (what == "fork") {
    int n = std::atoi(args[0]);
    int pipefd[2];
    if (::pipe(pipefd) != 0) return denied(errno);
    int started = 0, code = 0;
    for (; started < n; ++started) {
      pid_t pid = ::fork();
      if (pid < 0) {
        code = errno;
        break;
      }
      if (pid == 0) {
        char c;
        ::close(pipefd[1]);
        (void)::read(pipefd[0], &c, 1);
        ::_exit(0);
      }
    }
    ::close(pipefd[1]);
    while (::wait(nullptr) > 0) {
    }
    if (code != 0) return denied(code);
    return ok();
  }
  if (what == "signal") {
    if (::kill(static_cast<pid_t>(std::atoi(args[0])), 0) != 0) return denied(errno);
    return ok();
  }
  if (what == "abort") std::abort();
  if (what == "term-self") {
    ::kill(::getpid(), SIGTERM);
    return std::puts("still running"), 0;
  }
  if (what == "trap-term") {
    struct sigaction on_term{};
    on_term.sa_handler = [](int) {
      static const char said[] = "got SIGTERM\n";
      (void)!::write(1, said, sizeof said - 1);
      ::_exit(3);
    };
    ::sigaction(SIGTERM, &on_term, nullptr);
    std::puts("ready");
    std::fflush(stdout);
    for (;;) ::pause();
  }
  if (what == "pid") {
    std::printf("%d\n", static_cast<int>(::getpid()));
    return 0;
  }
  return std::puts("unknown attempt"), 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  return attempt(argv[1], argv + 2, argc - 2);
}
#endif
