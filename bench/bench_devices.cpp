// Device benchmarks: a pseudo-terminal driven through vitte's serial port
// and pseudo_terminal against raw poll/read/write on the same pty, in the
// same run. Prints JSON lines (docs/BENCHMARKS.md).
//
//   devices.pty.roundtrip_4KiB   4 KiB written on the terminal side, read on
//                                the other (throughput: 4 KiB fits the pty's
//                                buffers, so neither side blocks the other)
//   devices.pty.ping_pong_1B     one byte there and one back (latency)
#include <vitte/sys/pseudo_terminal.hpp>
#include <vitte/sys/serial.hpp>

#include <cstddef>
#include <cstdlib>
#include <vector>

#include <poll.h>
#include <unistd.h>

#include "harness.hpp"

namespace sys = vitte::sys;

namespace {

// Raw: write everything, waiting in poll when the pty is full.
void raw_write_all(int fd, const std::byte* p, std::size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w > 0) {
      p += w;
      n -= static_cast<std::size_t>(w);
      continue;
    }
    struct pollfd q = {fd, POLLOUT, 0};
    ::poll(&q, 1, -1);
  }
}

// Raw: read exactly n bytes, waiting in poll.
void raw_read_exact(int fd, std::byte* p, std::size_t n) {
  while (n > 0) {
    ssize_t r = ::read(fd, p, n);
    if (r > 0) {
      p += r;
      n -= static_cast<std::size_t>(r);
      continue;
    }
    if (r == 0) std::abort();
    struct pollfd q = {fd, POLLIN, 0};
    ::poll(&q, 1, -1);
  }
}

void vitte_read_exact(sys::pseudo_terminal& pty, std::byte* p, std::size_t n) {
  while (n > 0) {
    std::size_t got = pty.read({p, n}).value();
    p += got;
    n -= got;
  }
}

}  // namespace

int main() {
  auto pty = sys::pseudo_terminal::open().value();
  auto port = sys::serial_port::open(pty.terminal_name()).value();  // raw, 115200 8N1
  int master = static_cast<int>(pty.native());
  int slave = static_cast<int>(port.native());

  std::vector<std::byte> chunk(4096, std::byte{0x5a}), sink(4096);
  bench::suite("devices.pty.roundtrip_4KiB")
      .add("vitte",
           [&] {
             port.write(chunk).value();
             vitte_read_exact(pty, sink.data(), sink.size());
             return sink[0];
           })
      .add("raw poll+read+write",
           [&] {
             raw_write_all(slave, chunk.data(), chunk.size());
             raw_read_exact(master, sink.data(), sink.size());
             return sink[0];
           })
      .run();

  std::byte one[1] = {std::byte{'p'}}, back[1];
  bench::suite("devices.pty.ping_pong_1B")
      .add("vitte",
           [&] {
             pty.write(one).value();
             port.read_exact(back).value();
             port.write(back).value();
             vitte_read_exact(pty, back, 1);
             return back[0];
           })
      .add("raw poll+read+write",
           [&] {
             raw_write_all(master, one, 1);
             raw_read_exact(slave, back, 1);
             raw_write_all(slave, back, 1);
             raw_read_exact(master, back, 1);
             return back[0];
           })
      .run();
  return 0;
}
