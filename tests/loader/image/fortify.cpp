// What ordinary objects built with Debian's default flags (-O2
// -D_FORTIFY_SOURCE=2) import, for the in-memory ELF loader's tests
// (tests/loader/test_image.cpp): the fortified C library calls
// (__snprintf_chk, __memcpy_chk, __strcpy_chk, __printf_chk, ...), typeinfo
// of fundamental types (throw 42) and of polymorphic classes, dynamic_cast.
// A static host must bind every one of them (its runtime table).
#include <cstdio>
#include <cstring>
#include <stdexcept>

#define FORTIFY_EXPORT extern "C" __attribute__((visibility("default")))

FORTIFY_EXPORT int fortify_calls(const char* in, int n) {
  char buf[64];
  char copy[32];
  std::snprintf(buf, sizeof buf, "%s-%d", in, n);               // __snprintf_chk
  std::strcpy(copy, n > 0 ? "positive" : "other");              // __strcpy_chk
  std::memcpy(copy + 8, buf, static_cast<std::size_t>(n % 8));  // __memcpy_chk
  std::strcat(copy, "!");                                       // __strcat_chk
  int printed = std::printf("fortify: %s %s\n", buf, copy);     // __printf_chk
  std::fflush(stdout);
  return printed > 0 ? static_cast<int>(std::strlen(buf)) : -1;
}

namespace {
struct base {
  virtual ~base() = default;
  virtual int value() const { return 1; }
};
struct derived : base {
  int value() const override { return 7; }
};
}  // namespace

/// 42 caught as an int, then a class hierarchy through dynamic_cast.
FORTIFY_EXPORT int fortify_throw_int(int x) {
  int caught = 0;
  try {
    if (x > 0) throw 42;
  } catch (int v) {
    caught = v;
  }
  derived d;
  base* b = x > 0 ? static_cast<base*>(&d) : nullptr;
  auto* back = dynamic_cast<derived*>(b);
  return caught + (back != nullptr ? back->value() : 0);
}

/// Throws an int to the host.
FORTIFY_EXPORT void fortify_throw_out(int v) { throw v; }
/// Throws std::out_of_range through libstdc++'s helper.
FORTIFY_EXPORT void fortify_throw_range() { throw std::out_of_range("fortify range"); }
