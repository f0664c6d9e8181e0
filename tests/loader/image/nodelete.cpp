// An object linked with -z nodelete (DF_1_NODELETE, as OpenSSL's libssl and
// libcrypto), for the in-memory ELF loader's tests
// (tests/loader/test_image.cpp): closing it leaves it loaded, its code and
// data usable, and its finalizers (an atexit handler, a static destructor,
// a DT_FINI_ARRAY function) run at exit, in the order glibc runs them.
#include <cstdlib>
#include <cstring>

#include <unistd.h>

namespace {
int report_fd = -1;
int calls = 0;
void report(const char* what) {
  if (report_fd >= 0 && ::write(report_fd, what, std::strlen(what)) < 0) report_fd = -1;
}
struct at_unload {
  ~at_unload() { report("destructor\n"); }
} the_object;
void at_exit() { report("atexit\n"); }
}  // namespace

__attribute__((destructor)) static void fini() { report("fini\n"); }

#define NODELETE_EXPORT extern "C" __attribute__((visibility("default")))
/// Reports to `fd` from now on, and registers the atexit handler.
NODELETE_EXPORT void nodelete_watch(int fd) {
  report_fd = fd;
  std::atexit(&at_exit);
}
NODELETE_EXPORT int nodelete_call() { return 40 + ++calls; }
