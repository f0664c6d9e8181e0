// std::call_once in an object, for the in-memory ELF loader's tests
// (tests/loader/test_image.cpp): libstdc++'s inline call_once stores the
// callable in thread-locals of libstdc++.so (std::__once_callable,
// std::__once_call), so the object's TLS relocations are against symbols
// another module defines (what Debian's C++ libraries do: libre2, ICU).
#include <mutex>

namespace {
std::once_flag flag;
int calls = 0;
}  // namespace

extern "C" __attribute__((visibility("default"))) int once_run(int v) {
  std::call_once(flag, [v] { calls += v; });
  std::call_once(flag, [v] { calls += 1000 * v; });  // not run: the flag is set
  return calls;
}
