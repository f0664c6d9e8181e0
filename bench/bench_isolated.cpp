// An isolated plugin's call (vitte/loader/isolated.hpp: a round trip to a
// sandboxed plugin host over a socket pair) against the same export called
// in process (loader + find<>) and against a raw round trip of 16 bytes
// over a socket pair to an echo thread (the IPC floor), in the same run.
#include <vitte/loader/isolated.hpp>
#include <vitte/loader/loader.hpp>

#include <cstdint>
#include <cstdio>
#include <thread>

#include <sys/socket.h>
#include <unistd.h>

#include "build_tree.hpp"
#include "harness.hpp"

namespace vl = vitte::loader;

int main() {
  const std::string host = bench::in_build_tree(VITTE_BENCH_PLUGIN_HOST),
                    plugin = bench::in_build_tree(VITTE_BENCH_ISOLATED_PLUGIN);
  vl::isolated_options o;
  o.host = host;
  vl::isolated_failure why;
  auto iso = vl::isolated_plugin::open(plugin.c_str(), vl::default_plugin_sandbox(), o, &why);
  if (!iso) {
    std::fprintf(stderr, "bench_isolated: %s\n", why.message().c_str());
    return 1;
  }
  auto add_isolated = iso->find<std::int64_t(std::int64_t, std::int32_t)>("add").value();

  vl::loader l;
  auto m = l.load_file(plugin.c_str()).value();
  auto add_local = m.find<std::int64_t(std::int64_t, std::int32_t)>("add").value();

  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return 1;
  std::thread echo([fd = sv[1]] {
    char b[16];
    while (::read(fd, b, sizeof b) == static_cast<ssize_t>(sizeof b))
      if (::write(fd, b, sizeof b) != static_cast<ssize_t>(sizeof b)) break;
  });

  std::int64_t x = 1;
  bench::suite("isolated.call.add", 0)
      .add("isolated call", [&] { return add_isolated(x, 1).value(); })
      .add("in-process call", [&] { return add_local(x, 1); })
      .add("raw socket pair round trip",
           [&] {
             char b[16] = {};
             if (::write(sv[0], b, sizeof b) != static_cast<ssize_t>(sizeof b)) return -1L;
             return static_cast<long>(::read(sv[0], b, sizeof b));
           })
      .run();
  ::shutdown(sv[0], SHUT_RDWR);
  echo.join();
  ::close(sv[0]);
  ::close(sv[1]);
  return 0;
}
