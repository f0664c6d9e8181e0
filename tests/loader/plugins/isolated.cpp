// The plugin of tests/loader/test_isolated.cpp: well-behaved exports for
// typed round trips, and hostile ones (crash, exit, hang, garbage on the
// channel, a flood, a half reply, orphans, reads and connects outside the
// sandbox) that the isolated host must survive.
#include <vitte/loader/plugin.hpp>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace vl = vitte::loader;

namespace {

std::int64_t add(std::int64_t a, std::int32_t b) { return a + b; }
double scale(double x, float f, bool negate) { return (negate ? -x : x) * f; }
unsigned char low_byte(std::uint64_t v) { return static_cast<unsigned char>(v); }
int counter = 0;
int bump() { return ++counter; }

// text: upper-cases `in` into `out`; returns the size it needs.
std::size_t upper(const char* in, std::size_t n, char* out, std::size_t capacity) {
  for (std::size_t i = 0; i < n && i < capacity; ++i) out[i] = (in[i] >= 'a' && in[i] <= 'z') ? in[i] - 32 : in[i];
  return n;
}
// bytes: each byte xor 0x5a.
std::size_t mask(const unsigned char* in, std::size_t n, unsigned char* out, std::size_t capacity) {
  for (std::size_t i = 0; i < n && i < capacity; ++i) out[i] = in[i] ^ 0x5a;
  return n;
}

// A real fault at an unmapped address the compiler cannot see (volatile),
// not null: a sanitized build's null check does not stop it first.
volatile std::uintptr_t nowhere = 8;
int crash() { return *reinterpret_cast<volatile int*>(nowhere); }
int abort_now() { std::abort(); }
int leave(int code) { std::_Exit(code); }
int hang() {
  for (;;) ::pause();
}
int ignore_term_and_hang() {
  ::signal(SIGTERM, SIG_IGN);
  return hang();
}
// Writes to the channel (the host's stdin) what a hostile plugin would.
void put(const void* p, std::size_t n) {
  const char* c = static_cast<const char*>(p);
  while (n > 0) {
    ssize_t k = ::write(0, c, n);
    if (k <= 0) return;
    c += k;
    n -= static_cast<std::size_t>(k);
  }
}
int garbage() {
  put("\xff\xff\xff\x0f"
      "garbage",
      11);  // a header of 256 MiB
  return 0;
}
int flood() {
  static char block[65536];
  std::memset(block, 'A', sizeof block);
  for (;;) put(block, sizeof block);
}
// A frame header announcing 4 GiB - 1 bytes, then a few.
int huge_frame() {
  put("\xff\xff\xff\xff", 4);
  return hang();
}
// A reply cut short: a header for 100 bytes, 10 of them, then exit.
int half_reply() {
  put("\x64\x00\x00\x00\x04\x01\x00\x00\x00\x00\x00\x00\x00\x00", 14);
  std::_Exit(0);
}
// text: writes nothing and claims far more than the capacity.
std::size_t liar(const char*, std::size_t, char*, std::size_t capacity) { return capacity + 4096; }
// Writes a forged "returned" frame (cells, value 42) numbered `sequence`
// to the channel, then returns 7: the host's own reply follows it.
int forge(std::int64_t sequence) {
  unsigned char frame[18] = {14, 0, 0, 0, 4};
  for (int i = 0; i < 4; ++i) frame[5 + i] = static_cast<unsigned char>(sequence >> (8 * i));
  frame[9] = 1;    // form cells
  frame[10] = 42;  // the value, little-endian
  put(frame, sizeof frame);
  return 7;
}
// Forks a child that ignores SIGTERM, renames itself `tag` and sleeps,
// then crashes: the child must not outlive the host.
int orphan_then_crash(std::int64_t tag) {
  pid_t pid = ::fork();
  if (pid == 0) {
    ::signal(SIGTERM, SIG_IGN);
    char name[16] = "vo-";
    for (int i = 0; i < 12; ++i) name[3 + i] = static_cast<char>('a' + ((tag >> (4 * i)) & 15));
    ::prctl(PR_SET_NAME, name, 0, 0, 0);
    for (;;) ::pause();
  }
  ::usleep(100000);
  return crash();
}
// Tries to read the file whose path is `in`: the byte count, or -errno.
std::size_t read_file(const char* in, std::size_t n, char* out, std::size_t capacity) {
  char path[4096];
  if (n >= sizeof path) return 0;
  std::memcpy(path, in, n);
  path[n] = '\0';
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return static_cast<std::size_t>(-errno);
  ssize_t k = ::read(fd, out, capacity);
  ::close(fd);
  return k < 0 ? static_cast<std::size_t>(-errno) : static_cast<std::size_t>(k);
}
// Connects to 127.0.0.1:port: 0, or the errno.
int connect_port(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return errno;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 ? 0 : errno;
  ::close(fd);
  return rc;
}
// A type no isolated form carries.
const char* name_of(int) { return "x"; }

}  // namespace

VITTE_PLUGIN("isolated", "1.0.0", vl::function<add>("add"), vl::function<scale>("scale"),
             vl::function<low_byte>("low_byte"), vl::function<bump>("bump"), vl::function<upper>("upper"),
             vl::function<mask>("mask"), vl::function<crash>("crash"), vl::function<abort_now>("abort"),
             vl::function<leave>("leave"), vl::function<hang>("hang"),
             vl::function<ignore_term_and_hang>("ignore_term_and_hang"), vl::function<garbage>("garbage"),
             vl::function<flood>("flood"), vl::function<huge_frame>("huge_frame"),
             vl::function<half_reply>("half_reply"), vl::function<orphan_then_crash>("orphan_then_crash"),
             vl::function<read_file>("read_file"), vl::function<connect_port>("connect_port"),
             vl::function<name_of>("name_of"), vl::function<liar>("liar"), vl::function<forge>("forge"),
             vl::object<&counter>("counter"));
