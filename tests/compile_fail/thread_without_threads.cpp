// With VITTE_HAS_THREADS=0 there are no threads, whatever the policy:
// spawning one must fail to compile and say why.
// expect: threads are disabled in this build (VITTE_HAS_THREADS=0)
#define VITTE_HAS_THREADS 0
#include <vitte/sys/thread.hpp>

int main() {
  auto t = vitte::sys::thread::spawn([] {});
  (void)t;
}
