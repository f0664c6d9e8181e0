// A plain shared object (not a vitte plugin) for the in-memory ELF loader's
// tests (tests/loader/test_image.cpp), built in several ways by meson.build:
// each function exercises one thing the loader must get right, and the same
// test body checks it under dlopen and as an image.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#define PROBE_EXPORT extern "C" __attribute__((visibility("default")))

// Thread-local storage, initialised and zero (general dynamic).
__thread int tls_counter = 5;
__thread int tls_zero;
PROBE_EXPORT int probe_tls_bump() {
  tls_zero += 10;
  return ++tls_counter + tls_zero;
}

// Static constructors and destructors.
namespace {
int constructed = 0;
void (*on_destroy)(int) = nullptr;
struct lifetime {
  lifetime() { constructed = 42; }
  ~lifetime() {
    if (on_destroy != nullptr) on_destroy(constructed);
  }
} the_lifetime;
const std::string greeting = "hello from an image";
}  // namespace
PROBE_EXPORT int probe_constructed() { return constructed; }
PROBE_EXPORT void probe_on_destroy(void (*f)(int)) { on_destroy = f; }
PROBE_EXPORT std::size_t probe_greeting(char* out, std::size_t n) {
  std::string s = greeting + ", " + std::to_string(constructed);
  std::snprintf(out, n, "%s", s.c_str());
  return s.size();
}

// A thread_local object with a destructor: it runs at its thread's exit,
// even after the object was closed (the image stays mapped until then).
namespace {
void (*on_thread_exit)(int) = nullptr;
struct per_thread {
  int value = 0;
  ~per_thread() {
    if (on_thread_exit != nullptr) on_thread_exit(value);
  }
};
thread_local per_thread mine;
}  // namespace
PROBE_EXPORT void probe_thread_local(void (*f)(int), int v) {
  on_thread_exit = f;
  mine.value = v;
}

// Exceptions: caught inside, and thrown out to the caller.
PROBE_EXPORT int probe_catch_inside(int x) {
  try {
    if (x > 0) throw std::runtime_error("inside");
    return 0;
  } catch (const std::exception& e) {
    return x + static_cast<int>(std::strlen(e.what()));
  }
}
PROBE_EXPORT void probe_throw_out(const char* what) { throw std::invalid_argument(what); }

// An exception the host throws through a frame of the image that has a
// cleanup (its landing pad resumes the unwinding with the image's own
// unwinder when it has one) and through a host frame again, caught here:
// the image's unwinder must find the host's frames.
namespace {
struct counted {
  int* n;
  ~counted() { ++*n; }
};
}  // namespace
PROBE_EXPORT void probe_cleanup_through(void (*thrower)(), int* cleanups) {
  counted c{cleanups};
  thrower();
}
PROBE_EXPORT int probe_catch_through_host(void (*host_frame)(int*), int* cleanups) {
  try {
    host_frame(cleanups);
  } catch (int v) {
    return v;
  } catch (...) {
    return -1;
  }
  return 0;
}

// IFUNC: the resolver picks an implementation when the object is bound.
extern "C" {
static int ifunc_a() { return 1111; }
static int ifunc_b() { return 2222; }
__attribute__((visibility("hidden"))) int (*resolve_ifunc(unsigned long hwcap))() {
  return hwcap == ~0ul ? &ifunc_b : &ifunc_a;
}
}
PROBE_EXPORT int probe_ifunc() __attribute__((ifunc("resolve_ifunc")));

// Symbol versions: probe_versioned@VERS_1 (old) and @@VERS_2 (default).
extern "C" __attribute__((visibility("default"))) int probe_versioned_1() { return 1; }
extern "C" __attribute__((visibility("default"))) int probe_versioned_2() { return 2; }
__asm__(".symver probe_versioned_1, probe_versioned@VERS_1");
__asm__(".symver probe_versioned_2, probe_versioned@@VERS_2");

// Callbacks into the host.
PROBE_EXPORT int probe_call_host(int (*f)(int), int x) { return f(x) + 1; }

// A 64 MiB .bss.
static char big_bss[64 << 20];
PROBE_EXPORT int probe_bss() {
  big_bss[0] = 1;
  big_bss[sizeof big_bss - 1] = 2;
  int sum = 0;
  for (std::size_t i = 0; i < sizeof big_bss; i += 4096) sum += big_bss[i];
  return sum + big_bss[sizeof big_bss - 1];
}

// The C library: printf, malloc, qsort.
PROBE_EXPORT int probe_libc(int n) {
  int* a = static_cast<int*>(std::malloc(sizeof(int) * static_cast<std::size_t>(n)));
  if (a == nullptr) return -1;
  for (int i = 0; i < n; ++i) a[i] = (i * 7919) % n;
  std::qsort(a, static_cast<std::size_t>(n), sizeof(int),
             [](const void* x, const void* y) { return *static_cast<const int*>(x) - *static_cast<const int*>(y); });
  bool sorted = true;
  for (int i = 1; i < n; ++i) sorted = sorted && a[i - 1] <= a[i];
  std::free(a);
  int printed = std::printf("probe: printf from %s\n", sorted ? "a sorted array" : "an unsorted array");
  std::fflush(stdout);
  return sorted ? printed : -2;
}

// Used by the other module (user.cpp).
PROBE_EXPORT int probe_value() { return 21; }
