// Process and library benchmarks: vitte against the raw POSIX calls and
// std::system, in the same run. Prints JSON lines (docs/BENCHMARKS.md).
//
//   process.spawn_wait.true   spawn /bin/true and wait: vitte::sys::command::run
//                             vs posix_spawn + waitpid (goal <= 1.05x), vs
//                             std::system (goal <= 0.5x), vs fork + execv
//   dynlib.open_lookup.2000   open a library exporting 2,000 functions, look
//                             each up, close: vitte::sys::library vs
//                             dlopen/dlsym/dlclose (goal <= 1.05x)
//   dynlib.lookup.2000        the 2,000 lookups alone, library kept open
#include <vitte/sys/dynlib.hpp>
#include <vitte/sys/process.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <dlfcn.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "build_tree.hpp"
#include "harness.hpp"

extern "C" char** environ;

namespace sys = vitte::sys;

namespace {

const char* const true_path = "/bin/true";

int raw_posix_spawn() {
  pid_t pid;
  char* argv[] = {const_cast<char*>(true_path), nullptr};
  if (::posix_spawn(&pid, true_path, nullptr, nullptr, argv, environ) != 0) return -1;
  int st = 0;
  ::waitpid(pid, &st, 0);
  return st;
}

int raw_fork_exec() {
  pid_t pid = ::fork();
  if (pid == 0) {
    char* argv[] = {const_cast<char*>(true_path), nullptr};
    ::execv(true_path, argv);
    ::_exit(127);
  }
  int st = 0;
  ::waitpid(pid, &st, 0);
  return st;
}

void spawn_benchmarks() {
  sys::command cmd(true_path);
  bench::suite s{"process.spawn_wait.true"};
  s.batch_size(20);
  s.add("vitte", [&] { return cmd.run().value().code(); });
  s.add("posix_spawn", [] { return raw_posix_spawn(); });
  s.add("std::system", [] { return std::system(true_path); });
  s.add("fork+exec", [] { return raw_fork_exec(); });
  s.run();
}

std::vector<std::string> symbol_names() {
  std::vector<std::string> names;
  for (int i = 0; i < 2000; ++i) names.push_back("vitte_bench_fn_" + std::to_string(i));
  return names;
}

void library_benchmarks() {
  const std::string library = bench::in_build_tree(VITTE_BENCH_SYMBOLS_LIB);
  const char* path = library.c_str();
  std::vector<std::string> names = symbol_names();
  {
    bench::suite s{"dynlib.open_lookup.2000"};
    s.add("vitte", [&] {
      auto lib = sys::library::open(path).value();
      long sum = 0;
      for (const std::string& n : names) sum += lib.sym<int(int)>(n.c_str()).value()(1);
      (void)lib.close();
      return sum;
    });
    s.add("dlopen+dlsym", [&] {
      void* h = ::dlopen(path, RTLD_NOW | RTLD_LOCAL);
      long sum = 0;
      for (const std::string& n : names) sum += reinterpret_cast<int (*)(int)>(::dlsym(h, n.c_str()))(1);
      ::dlclose(h);
      return sum;
    });
    s.run();
  }
  {
    auto lib = sys::library::open(path).value();
    void* h = ::dlopen(path, RTLD_NOW | RTLD_LOCAL);
    bench::suite s{"dynlib.lookup.2000"};
    s.add("vitte", [&] {
      long sum = 0;
      for (const std::string& n : names) sum += lib.sym<int(int)>(n.c_str()).value()(1);
      return sum;
    });
    s.add("dlsym", [&] {
      long sum = 0;
      for (const std::string& n : names) sum += reinterpret_cast<int (*)(int)>(::dlsym(h, n.c_str()))(1);
      return sum;
    });
    s.run();
    ::dlclose(h);
  }
}

}  // namespace

int main() {
  spawn_benchmarks();
  library_benchmarks();
}
