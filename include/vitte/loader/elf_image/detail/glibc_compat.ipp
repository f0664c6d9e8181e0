// glibc's names for a static host whose C library is not glibc (musl):
// what a distribution's glibc-built shared object imports beyond the C
// standard, so that it loads as an image (docs/ELF_IMAGE.md, "Static hosts:
// the C library surface"). Included by image_os.ipp in a static host
// without __GLIBC__; process_symbol consults it first for a reference that
// carries a GLIBC_ version (glibc's meaning of a name wins there:
// strerror_r returns a char*), last for an unversioned one (a musl-built
// image keeps musl's meanings).
//
// - The fortified calls of -D_FORTIFY_SOURCE (`__memcpy_chk`,
//   `__snprintf_chk`, ...) check their bound as glibc's do and, past it,
//   print glibc's message and abort (__chk_fail). The format checks of
//   flag > 0 (%n in writable memory) are not made.
// - The LFS names of -D_FILE_OFFSET_BITS=64 (`open64`, `fstat64`, ...):
//   off_t is 64 bits on both sides, and the structures they fill are
//   checked below to have glibc's layout.
// - `__isoc99_*scanf`, glibc's C-locale <ctype.h> tables, the GNU
//   `strerror_r` and `basename`, `__libc_single_threaded`,
//   `__register_atfork`, the ucontext calls (ENOSYS, as glibc's stubs on
//   architectures without them: OpenSSL's ASYNC jobs then fail cleanly).
//
// glibc's FILE macros work as they are: musl keeps the fields that
// getc_unlocked, putc_unlocked and feof_unlocked read at glibc's offsets
// and exports __uflow and __overflow. What cannot be bridged is refused
// with the reason (refusal()).
#ifndef VITTE_LOADER_ELF_IMAGE_DETAIL_GLIBC_COMPAT_IPP
#define VITTE_LOADER_ELF_IMAGE_DETAIL_GLIBC_COMPAT_IPP

#include <cerrno>
#include <climits>  // PATH_MAX
#include <cstdarg>
#include <cstddef>  // offsetof
#include <cstdint>
#include <cstdio>
#include <cstdlib>  // abort, mkstemp, realpath
#include <cstring>
#include <string_view>

#include <dirent.h>        // readdir64
#include <fcntl.h>         // open64, __open_2
#include <poll.h>          // __poll_chk
#include <pthread.h>       // __register_atfork
#include <setjmp.h>        // __longjmp_chk
#include <signal.h>        // sigaltstack
#include <sys/mman.h>      // mmap64
#include <sys/resource.h>  // getrlimit64
#include <sys/select.h>    // FD_SETSIZE
#include <sys/stat.h>      // stat64
#include <syslog.h>        // __syslog_chk
#include <unistd.h>
#include <wchar.h>  // wmemcpy, mbstowcs

namespace vitte::loader::elf_image::detail::glibc_compat {

// glibc's LFS calls pass these straight through: check they are glibc's.
static_assert(sizeof(off_t) == 8, "glibc's *64 calls take a 64-bit off_t");
static_assert(sizeof(fpos_t) == 16, "glibc's fpos64_t is 16 bytes");
static_assert(sizeof(rlim_t) == 8 && sizeof(struct rlimit) == 16, "glibc's struct rlimit64");
static_assert(offsetof(struct dirent, d_off) == 8 && offsetof(struct dirent, d_reclen) == 16 &&
                  offsetof(struct dirent, d_type) == 18 && offsetof(struct dirent, d_name) == 19,
              "glibc's struct dirent64");
// struct stat: the kernel's layout on both sides, x86_64's own and the
// generic one of aarch64. Another architecture is refused (refusal()).
#if defined(__x86_64__)
#define VITTE_GLIBC_COMPAT_STAT 1
static_assert(sizeof(struct stat) == 144 && offsetof(struct stat, st_mode) == 24 &&
                  offsetof(struct stat, st_size) == 48 && offsetof(struct stat, st_mtim) == 88,
              "glibc's struct stat64 on x86_64");
#elif defined(__aarch64__)
#define VITTE_GLIBC_COMPAT_STAT 1
static_assert(sizeof(struct stat) == 128 && offsetof(struct stat, st_mode) == 16 &&
                  offsetof(struct stat, st_size) == 48 && offsetof(struct stat, st_mtim) == 88,
              "glibc's struct stat64 on aarch64");
#else
#define VITTE_GLIBC_COMPAT_STAT 0
#endif

// What glibc's __fortify_fail prints, then abort.
[[noreturn]] inline void fortify_fail(const char* what) noexcept {
  const char head[] = "*** ", tail[] = " ***: terminated\n";
  ssize_t ignored = ::write(2, head, sizeof head - 1);
  ignored = ::write(2, what, std::strlen(what));
  ignored = ::write(2, tail, sizeof tail - 1);
  (void)ignored;
  std::abort();
}
[[noreturn]] inline void chk_fail() noexcept { fortify_fail("buffer overflow detected"); }

// The string and memory calls: the bound is the destination's size.
inline void* memcpy_chk(void* d, const void* s, std::size_t n, std::size_t dn) noexcept {
  if (dn < n) chk_fail();
  return std::memcpy(d, s, n);
}
inline void* memmove_chk(void* d, const void* s, std::size_t n, std::size_t dn) noexcept {
  if (dn < n) chk_fail();
  return std::memmove(d, s, n);
}
inline void* mempcpy_chk(void* d, const void* s, std::size_t n, std::size_t dn) noexcept {
  if (dn < n) chk_fail();
  return static_cast<char*>(std::memcpy(d, s, n)) + n;
}
inline void* memset_chk(void* d, int c, std::size_t n, std::size_t dn) noexcept {
  if (dn < n) chk_fail();
  return std::memset(d, c, n);
}
inline void explicit_bzero_chk(void* d, std::size_t n, std::size_t dn) noexcept {
  if (dn < n) chk_fail();
  ::explicit_bzero(d, n);
}
inline char* strcpy_chk(char* d, const char* s, std::size_t dn) noexcept {
  std::size_t n = std::strlen(s);
  if (n >= dn) chk_fail();
  return static_cast<char*>(std::memcpy(d, s, n + 1));
}
inline char* stpcpy_chk(char* d, const char* s, std::size_t dn) noexcept {
  std::size_t n = std::strlen(s);
  if (n >= dn) chk_fail();
  return static_cast<char*>(std::memcpy(d, s, n + 1)) + n;
}
inline char* strncpy_chk(char* d, const char* s, std::size_t n, std::size_t dn) noexcept {
  if (dn < n) chk_fail();
  return std::strncpy(d, s, n);
}
inline char* stpncpy_chk(char* d, const char* s, std::size_t n, std::size_t dn) noexcept {
  if (dn < n) chk_fail();
  return ::stpncpy(d, s, n);
}
inline char* strcat_chk(char* d, const char* s, std::size_t dn) noexcept {
  std::size_t a = strnlen(d, dn);
  if (a == dn || std::strlen(s) >= dn - a) chk_fail();
  return std::strcat(d, s);
}
inline char* strncat_chk(char* d, const char* s, std::size_t n, std::size_t dn) noexcept {
  std::size_t a = strnlen(d, dn);
  if (a == dn || strnlen(s, n) >= dn - a) chk_fail();
  return std::strncat(d, s, n);
}
inline wchar_t* wmemcpy_chk(wchar_t* d, const wchar_t* s, std::size_t n, std::size_t dn) noexcept {
  if (dn < n) chk_fail();
  return ::wmemcpy(d, s, n);
}
inline wchar_t* wmemset_chk(wchar_t* d, wchar_t c, std::size_t n, std::size_t dn) noexcept {
  if (dn < n) chk_fail();
  return ::wmemset(d, c, n);
}
inline std::size_t mbstowcs_chk(wchar_t* d, const char* s, std::size_t n, std::size_t dn) noexcept {
  if (d != nullptr && dn < n) chk_fail();
  return std::mbstowcs(d, s, n);
}
inline std::size_t wcstombs_chk(char* d, const wchar_t* s, std::size_t n, std::size_t dn) noexcept {
  if (d != nullptr && dn < n) chk_fail();
  return std::wcstombs(d, s, n);
}

// The printf family: glibc fails when the output passes the buffer's size.
inline int vsprintf_chk(char* d, int, std::size_t dn, const char* format, va_list ap) noexcept {
  if (dn == 0) chk_fail();
  int r = std::vsnprintf(d, dn > INT_MAX ? INT_MAX : dn, format, ap);
  if (r >= 0 && static_cast<std::size_t>(r) >= dn) chk_fail();
  return r;
}
inline int sprintf_chk(char* d, int flag, std::size_t dn, const char* format, ...) noexcept {
  va_list ap;
  va_start(ap, format);
  int r = vsprintf_chk(d, flag, dn, format, ap);
  va_end(ap);
  return r;
}
inline int vsnprintf_chk(char* d, std::size_t n, int, std::size_t dn, const char* format, va_list ap) noexcept {
  if (dn < n) chk_fail();
  return std::vsnprintf(d, n, format, ap);
}
inline int snprintf_chk(char* d, std::size_t n, int flag, std::size_t dn, const char* format, ...) noexcept {
  va_list ap;
  va_start(ap, format);
  int r = vsnprintf_chk(d, n, flag, dn, format, ap);
  va_end(ap);
  return r;
}
inline int vprintf_chk(int, const char* format, va_list ap) noexcept { return std::vprintf(format, ap); }
inline int printf_chk(int, const char* format, ...) noexcept {
  va_list ap;
  va_start(ap, format);
  int r = std::vprintf(format, ap);
  va_end(ap);
  return r;
}
inline int vfprintf_chk(FILE* f, int, const char* format, va_list ap) noexcept { return std::vfprintf(f, format, ap); }
inline int fprintf_chk(FILE* f, int, const char* format, ...) noexcept {
  va_list ap;
  va_start(ap, format);
  int r = std::vfprintf(f, format, ap);
  va_end(ap);
  return r;
}
inline int vdprintf_chk(int fd, int, const char* format, va_list ap) noexcept { return ::vdprintf(fd, format, ap); }
inline int dprintf_chk(int fd, int, const char* format, ...) noexcept {
  va_list ap;
  va_start(ap, format);
  int r = ::vdprintf(fd, format, ap);
  va_end(ap);
  return r;
}
inline int vasprintf_chk(char** out, int, const char* format, va_list ap) noexcept {
  return ::vasprintf(out, format, ap);
}
inline int asprintf_chk(char** out, int, const char* format, ...) noexcept {
  va_list ap;
  va_start(ap, format);
  int r = ::vasprintf(out, format, ap);
  va_end(ap);
  return r;
}
inline void vsyslog_chk(int priority, int, const char* format, va_list ap) noexcept { ::vsyslog(priority, format, ap); }
inline void syslog_chk(int priority, int, const char* format, ...) noexcept {
  va_list ap;
  va_start(ap, format);
  ::vsyslog(priority, format, ap);
  va_end(ap);
}

// Reads into a buffer of known size.
inline char* fgets_chk(char* d, std::size_t dn, int n, FILE* f) noexcept {
  if (n < 0 || static_cast<std::size_t>(n) > dn) chk_fail();
  return std::fgets(d, n, f);
}
inline std::size_t fread_chk(void* d, std::size_t dn, std::size_t size, std::size_t n, FILE* f) noexcept {
  std::size_t bytes = 0;
  if (__builtin_mul_overflow(size, n, &bytes) || bytes > dn) chk_fail();
  return std::fread(d, size, n, f);
}
inline ssize_t read_chk(int fd, void* d, std::size_t n, std::size_t dn) noexcept {
  if (n > dn) chk_fail();
  return ::read(fd, d, n);
}
inline ssize_t pread_chk(int fd, void* d, std::size_t n, off_t at, std::size_t dn) noexcept {
  if (n > dn) chk_fail();
  return ::pread(fd, d, n, at);
}
inline ssize_t readlink_chk(const char* path, char* d, std::size_t n, std::size_t dn) noexcept {
  if (n > dn) chk_fail();
  return ::readlink(path, d, n);
}
inline char* getcwd_chk(char* d, std::size_t n, std::size_t dn) noexcept {
  if (n > dn) chk_fail();
  return ::getcwd(d, n);
}
inline char* realpath_chk(const char* path, char* resolved, std::size_t dn) noexcept {
  if (resolved != nullptr && dn < PATH_MAX) chk_fail();
  return ::realpath(path, resolved);
}
inline int poll_chk(struct pollfd* fds, nfds_t n, int timeout, std::size_t dn) noexcept {
  if (dn / sizeof *fds < n) chk_fail();
  return ::poll(fds, n, timeout);
}
// FD_SET's index of a descriptor in an fd_set.
inline long fdelt_chk(long fd) noexcept {
  if (fd < 0 || fd >= FD_SETSIZE) chk_fail();
  return fd / (8 * static_cast<long>(sizeof(long)));
}
// open without a mode but with O_CREAT or O_TMPFILE: glibc refuses.
inline int open_2(const char* path, int flags) noexcept {
  if ((flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE)
    fortify_fail("invalid open call: O_CREAT or O_TMPFILE without mode");
  return ::open(path, flags);
}
inline int openat_2(int dir, const char* path, int flags) noexcept {
  if ((flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE)
    fortify_fail("invalid openat call: O_CREAT or O_TMPFILE without mode");
  return ::openat(dir, path, flags);
}
// A longjmp that would land below the current frame (a frame that has
// returned) fails, as glibc's does, unless on the alternate signal stack.
// The saved stack pointer is where musl's setjmp keeps it.
[[noreturn]] inline void longjmp_chk(jmp_buf env, int value) noexcept {
#if defined(__x86_64__)
  const auto sp = reinterpret_cast<const unsigned long*>(env)[6];
#elif defined(__aarch64__)
  const auto sp = reinterpret_cast<const unsigned long*>(env)[13];
#else
  const auto sp = ~0ul;
#endif
  if (sp < reinterpret_cast<unsigned long>(__builtin_frame_address(0))) {
    stack_t ss{};
    if (::sigaltstack(nullptr, &ss) != 0 || (ss.ss_flags & SS_ONSTACK) == 0)
      fortify_fail("longjmp causes uninitialized stack frame");
  }
  ::longjmp(env, value);
}

// The LFS names: the same calls, off_t being 64 bits.
inline int lfs_open(const char* path, int flags, ...) noexcept {
  unsigned mode = 0;
  if ((flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE) {
    va_list ap;
    va_start(ap, flags);
    mode = va_arg(ap, unsigned);
    va_end(ap);
  }
  return ::open(path, flags, mode);
}
inline int lfs_openat(int dir, const char* path, int flags, ...) noexcept {
  unsigned mode = 0;
  if ((flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE) {
    va_list ap;
    va_start(ap, flags);
    mode = va_arg(ap, unsigned);
    va_end(ap);
  }
  return ::openat(dir, path, flags, mode);
}
inline int lfs_fcntl(int fd, int cmd, ...) noexcept {
  va_list ap;
  va_start(ap, cmd);
  void* arg = va_arg(ap, void*);  // what glibc's fcntl reads, whatever the command
  va_end(ap);
  return ::fcntl(fd, cmd, arg);
}
inline int lfs_creat(const char* path, mode_t mode) noexcept { return ::creat(path, mode); }
inline off_t lfs_lseek(int fd, off_t at, int whence) noexcept { return ::lseek(fd, at, whence); }
inline ssize_t lfs_pread(int fd, void* d, std::size_t n, off_t at) noexcept { return ::pread(fd, d, n, at); }
inline ssize_t lfs_pwrite(int fd, const void* s, std::size_t n, off_t at) noexcept { return ::pwrite(fd, s, n, at); }
inline int lfs_ftruncate(int fd, off_t n) noexcept { return ::ftruncate(fd, n); }
inline int lfs_truncate(const char* path, off_t n) noexcept { return ::truncate(path, n); }
inline void* lfs_mmap(void* at, std::size_t n, int prot, int flags, int fd, off_t offset) noexcept {
  return ::mmap(at, n, prot, flags, fd, offset);
}
inline int lfs_posix_fadvise(int fd, off_t at, off_t n, int advice) noexcept {
  return ::posix_fadvise(fd, at, n, advice);
}
inline int lfs_posix_fallocate(int fd, off_t at, off_t n) noexcept { return ::posix_fallocate(fd, at, n); }
inline int lfs_mkstemp(char* pattern) noexcept { return ::mkstemp(pattern); }
inline int lfs_mkostemp(char* pattern, int flags) noexcept { return ::mkostemp(pattern, flags); }
inline FILE* lfs_fopen(const char* path, const char* mode) noexcept { return std::fopen(path, mode); }
inline FILE* lfs_freopen(const char* path, const char* mode, FILE* f) noexcept { return std::freopen(path, mode, f); }
inline FILE* lfs_tmpfile() noexcept { return std::tmpfile(); }
inline int lfs_fseeko(FILE* f, off_t at, int whence) noexcept { return ::fseeko(f, at, whence); }
inline off_t lfs_ftello(FILE* f) noexcept { return ::ftello(f); }
inline int lfs_fgetpos(FILE* f, fpos_t* at) noexcept { return std::fgetpos(f, at); }
inline int lfs_fsetpos(FILE* f, const fpos_t* at) noexcept { return std::fsetpos(f, at); }
inline struct dirent* lfs_readdir(DIR* d) noexcept { return ::readdir(d); }
inline int lfs_getrlimit(int which, struct rlimit* r) noexcept { return ::getrlimit(which, r); }
inline int lfs_setrlimit(int which, const struct rlimit* r) noexcept { return ::setrlimit(which, r); }
#if VITTE_GLIBC_COMPAT_STAT
inline int lfs_stat(const char* path, struct stat* st) noexcept { return ::stat(path, st); }
inline int lfs_fstat(int fd, struct stat* st) noexcept { return ::fstat(fd, st); }
inline int lfs_lstat(const char* path, struct stat* st) noexcept { return ::lstat(path, st); }
inline int lfs_fstatat(int dir, const char* path, struct stat* st, int flags) noexcept {
  return ::fstatat(dir, path, st, flags);
}
// Before glibc 2.33 the stat calls were these, with a layout version first.
inline int lfs_xstat(int, const char* path, struct stat* st) noexcept { return ::stat(path, st); }
inline int lfs_fxstat(int, int fd, struct stat* st) noexcept { return ::fstat(fd, st); }
inline int lfs_lxstat(int, const char* path, struct stat* st) noexcept { return ::lstat(path, st); }
inline int lfs_fxstatat(int, int dir, const char* path, struct stat* st, int flags) noexcept {
  return ::fstatat(dir, path, st, flags);
}
#endif

// glibc's ISO C99 scanf names (its own scanf keeps a GNU %a).
inline int isoc99_vsscanf(const char* s, const char* format, va_list ap) noexcept {
  return std::vsscanf(s, format, ap);
}
inline int isoc99_sscanf(const char* s, const char* format, ...) noexcept {
  va_list ap;
  va_start(ap, format);
  int r = std::vsscanf(s, format, ap);
  va_end(ap);
  return r;
}
inline int isoc99_vfscanf(FILE* f, const char* format, va_list ap) noexcept { return std::vfscanf(f, format, ap); }
inline int isoc99_fscanf(FILE* f, const char* format, ...) noexcept {
  va_list ap;
  va_start(ap, format);
  int r = std::vfscanf(f, format, ap);
  va_end(ap);
  return r;
}
inline int isoc99_vscanf(const char* format, va_list ap) noexcept { return std::vscanf(format, ap); }
inline int isoc99_scanf(const char* format, ...) noexcept {
  va_list ap;
  va_start(ap, format);
  int r = std::vscanf(format, ap);
  va_end(ap);
  return r;
}

// glibc's C-locale <ctype.h> tables, indexable from -128 (EOF is -1) to
// 255: the class bits as glibc's _ISbit puts them on a little-endian
// machine (the byte-swapped bit number), and the case maps.
namespace ctype {
enum : unsigned short {
  upper = 0x100,    // _ISbit(0)
  lower = 0x200,    // _ISbit(1)
  alpha = 0x400,    // _ISbit(2)
  digit = 0x800,    // _ISbit(3)
  xdigit = 0x1000,  // _ISbit(4)
  space = 0x2000,   // _ISbit(5)
  print = 0x4000,   // _ISbit(6)
  graph = 0x8000,   // _ISbit(7)
  blank = 0x1,      // _ISbit(8)
  cntrl = 0x2,      // _ISbit(9)
  punct = 0x4,      // _ISbit(10)
  alnum = 0x8,      // _ISbit(11)
};
constexpr unsigned short classify(int c) noexcept {
  unsigned short m = 0;
  if (c < 0 || c > 127) return 0;  // the C locale classifies ASCII only
  const bool up = c >= 'A' && c <= 'Z', low = c >= 'a' && c <= 'z', dig = c >= '0' && c <= '9';
  if (up) m |= upper | alpha | alnum | graph | print;
  if (low) m |= lower | alpha | alnum | graph | print;
  if (dig) m |= digit | xdigit | alnum | graph | print;
  if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) m |= xdigit;
  if (c == ' ' || (c >= '\t' && c <= '\r')) m |= space;
  if (c == ' ' || c == '\t') m |= blank;
  if (c < 0x20 || c == 0x7f) m |= cntrl;
  if (c == ' ') m |= print;
  if (c > 0x20 && c < 0x7f && !up && !low && !dig) m |= punct | graph | print;
  return m;
}
struct tables {
  unsigned short b[384];
  std::int32_t lower[384], upper[384];
};
constexpr tables make() noexcept {
  tables t{};
  for (int i = 0; i < 384; ++i) {
    const int c = i - 128;
    t.b[i] = classify(c);
    // Past ASCII, glibc maps a byte to itself (-128 to 0x80...), EOF to EOF.
    const std::int32_t same = c == -1 ? -1 : (c & 0xff);
    t.lower[i] = c >= 'A' && c <= 'Z' ? c + 32 : same;
    t.upper[i] = c >= 'a' && c <= 'z' ? c - 32 : same;
  }
  return t;
}
inline constexpr tables table = make();
static_assert(table.b[128 + 'a'] == (lower | alpha | alnum | xdigit | graph | print));
static_assert(table.b[128 + '\t'] == (space | blank | cntrl) && table.b[128 + ' '] == (space | blank | print));
static_assert(table.b[128 + '!'] == (punct | graph | print) && table.b[0] == 0 && table.b[127] == 0);
static_assert(table.lower[128 + 'Q'] == 'q' && table.upper[128 + 'q'] == 'Q' && table.upper[127] == -1);
static_assert(table.upper[0] == 0x80 && table.lower[128 + 0xe9] == 0xe9);
inline const unsigned short* const b = table.b + 128;
inline const std::int32_t* const to_lower = table.lower + 128;
inline const std::int32_t* const to_upper = table.upper + 128;
inline const unsigned short** b_loc() noexcept { return const_cast<const unsigned short**>(&b); }
inline const std::int32_t** tolower_loc() noexcept { return const_cast<const std::int32_t**>(&to_lower); }
inline const std::int32_t** toupper_loc() noexcept { return const_cast<const std::int32_t**>(&to_upper); }
}  // namespace ctype

// Names glibc gives a GNU meaning (a GLIBC_-versioned reference).
inline char* gnu_strerror_r(int e, char* d, std::size_t n) noexcept {
  // musl's strerror never fails and its text is constant.
  char* text = std::strerror(e);
  if (d == nullptr || n == 0) return text;
  std::size_t len = strnlen(text, n - 1);
  std::memcpy(d, text, len);
  d[len] = '\0';
  return d;
}
inline char* gnu_basename(const char* path) noexcept {
  const char* slash = std::strrchr(path, '/');
  return const_cast<char*>(slash != nullptr ? slash + 1 : path);
}

// Threads and processes.
inline char libc_single_threaded = 0;  // "not known to be single-threaded": always true
inline int register_atfork(void (*prepare)(), void (*parent)(), void (*child)(), void*) noexcept {
  return ::pthread_atfork(prepare, parent, child);
}
// musl has no ucontext calls: glibc's stubs' answer.
inline int getcontext(void*) noexcept {
  errno = ENOSYS;
  return -1;
}
inline int setcontext(const void*) noexcept {
  errno = ENOSYS;
  return -1;
}
inline int swapcontext(void*, const void*) noexcept {
  errno = ENOSYS;
  return -1;
}
inline void makecontext(void*, void (*)(), int, ...) noexcept {}

struct entry {
  const char* name;
  const void* address;
};
// clang-format off
#define VITTE_GLIBC_COMPAT_FUNCTIONS(X) \
  X(__chk_fail, chk_fail) X(__memcpy_chk, memcpy_chk) X(__memmove_chk, memmove_chk) X(__mempcpy_chk, mempcpy_chk) \
  X(__memset_chk, memset_chk) X(__explicit_bzero_chk, explicit_bzero_chk) X(__strcpy_chk, strcpy_chk) \
  X(__stpcpy_chk, stpcpy_chk) X(__strncpy_chk, strncpy_chk) X(__stpncpy_chk, stpncpy_chk) X(__strcat_chk, strcat_chk) \
  X(__strncat_chk, strncat_chk) X(__wmemcpy_chk, wmemcpy_chk) X(__wmemset_chk, wmemset_chk) \
  X(__mbstowcs_chk, mbstowcs_chk) X(__wcstombs_chk, wcstombs_chk) \
  X(__sprintf_chk, sprintf_chk) X(__vsprintf_chk, vsprintf_chk) X(__snprintf_chk, snprintf_chk) \
  X(__vsnprintf_chk, vsnprintf_chk) X(__printf_chk, printf_chk) X(__vprintf_chk, vprintf_chk) \
  X(__fprintf_chk, fprintf_chk) X(__vfprintf_chk, vfprintf_chk) X(__dprintf_chk, dprintf_chk) \
  X(__vdprintf_chk, vdprintf_chk) X(__asprintf_chk, asprintf_chk) X(__vasprintf_chk, vasprintf_chk) \
  X(__syslog_chk, syslog_chk) X(__vsyslog_chk, vsyslog_chk) X(__fgets_chk, fgets_chk) X(__fread_chk, fread_chk) \
  X(__read_chk, read_chk) X(__pread_chk, pread_chk) X(__pread64_chk, pread_chk) X(__readlink_chk, readlink_chk) \
  X(__getcwd_chk, getcwd_chk) X(__realpath_chk, realpath_chk) X(__poll_chk, poll_chk) X(__fdelt_chk, fdelt_chk) \
  X(__fdelt_warn, fdelt_chk) X(__open_2, open_2) X(__open64_2, open_2) X(__openat_2, openat_2) \
  X(__openat64_2, openat_2) X(__longjmp_chk, longjmp_chk) \
  X(open64, lfs_open) X(openat64, lfs_openat) X(fcntl64, lfs_fcntl) X(creat64, lfs_creat) X(lseek64, lfs_lseek) \
  X(pread64, lfs_pread) X(pwrite64, lfs_pwrite) X(ftruncate64, lfs_ftruncate) X(truncate64, lfs_truncate) \
  X(mmap64, lfs_mmap) X(posix_fadvise64, lfs_posix_fadvise) X(posix_fallocate64, lfs_posix_fallocate) \
  X(mkstemp64, lfs_mkstemp) X(mkostemp64, lfs_mkostemp) X(fopen64, lfs_fopen) X(freopen64, lfs_freopen) \
  X(tmpfile64, lfs_tmpfile) X(fseeko64, lfs_fseeko) X(ftello64, lfs_ftello) X(fgetpos64, lfs_fgetpos) \
  X(fsetpos64, lfs_fsetpos) X(readdir64, lfs_readdir) X(getrlimit64, lfs_getrlimit) X(setrlimit64, lfs_setrlimit) \
  X(__isoc99_sscanf, isoc99_sscanf) X(__isoc99_vsscanf, isoc99_vsscanf) X(__isoc99_fscanf, isoc99_fscanf) \
  X(__isoc99_vfscanf, isoc99_vfscanf) X(__isoc99_scanf, isoc99_scanf) X(__isoc99_vscanf, isoc99_vscanf) \
  X(__ctype_b_loc, ctype::b_loc) X(__ctype_tolower_loc, ctype::tolower_loc) \
  X(__ctype_toupper_loc, ctype::toupper_loc) X(strerror_r, gnu_strerror_r) X(basename, gnu_basename) \
  X(__register_atfork, register_atfork) X(getcontext, getcontext) X(setcontext, setcontext) \
  X(swapcontext, swapcontext) X(makecontext, makecontext)
#if VITTE_GLIBC_COMPAT_STAT
#define VITTE_GLIBC_COMPAT_STAT_FUNCTIONS(X) \
  X(stat64, lfs_stat) X(fstat64, lfs_fstat) X(lstat64, lfs_lstat) X(fstatat64, lfs_fstatat) X(__xstat, lfs_xstat) \
  X(__fxstat, lfs_fxstat) X(__lxstat, lfs_lxstat) X(__fxstatat, lfs_fxstatat) X(__xstat64, lfs_xstat) \
  X(__fxstat64, lfs_fxstat) X(__lxstat64, lfs_lxstat) X(__fxstatat64, lfs_fxstatat)
#else
#define VITTE_GLIBC_COMPAT_STAT_FUNCTIONS(X)
#endif
// clang-format on

/// Calls `f(name, address)` for each name this file supplies.
template <class F>
void for_each(F&& f) {
#define VITTE_GLIBC_COMPAT_ENTRY(n, fn) f(#n, reinterpret_cast<void*>(&fn));
  VITTE_GLIBC_COMPAT_FUNCTIONS(VITTE_GLIBC_COMPAT_ENTRY)
  VITTE_GLIBC_COMPAT_STAT_FUNCTIONS(VITTE_GLIBC_COMPAT_ENTRY)
#undef VITTE_GLIBC_COMPAT_ENTRY
  f("__libc_single_threaded", static_cast<void*>(&libc_single_threaded));
}

/// Why a glibc name cannot be supplied over this C library, or null.
inline const char* refusal(std::string_view name) noexcept {
  if (name == "_IO_2_1_stdin_" || name == "_IO_2_1_stdout_" || name == "_IO_2_1_stderr_" || name == "_IO_list_all")
    return "glibc's FILE objects themselves: musl's FILE has another layout (only the fields glibc's "
           "getc_unlocked/putc_unlocked macros read are at glibc's offsets)";
  if (name == "__underflow" || name == "__wunderflow" || name == "__wuflow" || name == "__woverflow" ||
      name.starts_with("_IO_file_") || name.starts_with("_IO_wfile_") || name.starts_with("_IO_str_"))
    return "glibc's stream buffer internals (libio): musl's FILE is another structure";
  if (name.starts_with("_obstack_") || name == "obstack_free" || name == "obstack_alloc_failed_handler")
    return "glibc's obstack allocator: musl has none";
  if (name == "glob64" || name == "globfree64")
    return "glibc's glob_t callbacks (GLOB_ALTDIRFUNC) and GNU flags: musl's glob reads neither";
  if (name == "__libc_stack_end") return "an ld.so variable: a static host has no dynamic linker";
#if !VITTE_GLIBC_COMPAT_STAT
  if (name == "stat64" || name == "fstat64" || name == "lstat64" || name == "fstatat64" ||
      name.starts_with("__xstat") || name.starts_with("__fxstat") || name.starts_with("__lxstat"))
    return "glibc's struct stat on this architecture is not checked against this C library's";
#endif
  return nullptr;
}

}  // namespace vitte::loader::elf_image::detail::glibc_compat

#endif  // VITTE_LOADER_ELF_IMAGE_DETAIL_GLIBC_COMPAT_IPP
