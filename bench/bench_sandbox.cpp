// Sandbox benchmarks: spawning /bin/true under vitte::sys::sandbox (user,
// mount, pid, net, ipc and uts namespaces, Landlock, seccomp,
// no_new_privs) against a plain vitte::sys::command, bubblewrap and
// firejail running the same program, in the same run. bwrap and firejail
// are found on PATH at run time; a missing one is left out. Prints JSON
// lines (docs/BENCHMARKS.md).
//
//   sandbox.spawn_wait.true   spawn /bin/true and wait
#include <vitte/sys/process.hpp>
#include <vitte/sys/sandbox.hpp>

#include <cstdio>

#include "harness.hpp"

namespace sys = vitte::sys;

int main() {
  const char* true_path = "/bin/true";
  sys::sandbox box;
  box.system_runtime();
  sys::sandbox_command confined(true_path);
  sys::command plain(true_path);
  auto first = box.output(confined);
  if (!first || !first->output.status.success()) {
    std::fprintf(stderr, "bench_sandbox: /bin/true does not run sandboxed here\n");
    return 1;
  }
  std::fprintf(stderr, "bench_sandbox: %s\n", first->report.to_json().c_str());
  bench::suite s{"sandbox.spawn_wait.true"};
  s.batch_size(10);
  s.add("vitte", [&] { return box.spawn(confined).value().child.wait().value().code(); });
  s.add("plain spawn", [&] { return plain.run().value().code(); });
  sys::command bwrap("bwrap");
  bwrap.args(
      {"--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", true_path});
  if (bwrap.resolve())
    s.add("bwrap", [&] { return bwrap.run().value().code(); });
  else
    std::fprintf(stderr, "bench_sandbox: no bwrap on PATH: left out\n");
  sys::command firejail("firejail");
  firejail.args({"--quiet", "--noprofile", "--net=none", "--private-tmp", true_path});
  if (firejail.resolve())
    s.add("firejail", [&] { return firejail.run().value().code(); });
  else
    std::fprintf(stderr, "bench_sandbox: no firejail on PATH: left out\n");
  s.run();
}
