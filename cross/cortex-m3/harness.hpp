// cross/cortex-m3/harness.hpp - a minimal test harness for freestanding targets.
//
// Boost.Test needs exceptions (its main() has try/catch), a POSIX
// clock_gettime and getentropy, none of which a -fno-exceptions newlib build
// has; this harness needs only printf.
//
//   #include "harness.hpp"
//
//   VITTE_TEST_CASE(addition) {
//     VITTE_CHECK(1 + 1 == 2);
//     VITTE_CHECK_EQUAL(2 + 2, 4);       // prints both values on failure
//     VITTE_REQUIRE(ptr != nullptr);     // on failure, ends this test case
//   }
//
// Test cases register themselves through static objects and run in
// registration order (declaration order within a file). Exactly one
// translation unit defines main by compiling test_main.cpp (build.sh does).
// The runner prints one line per failed check (file:line, the expression,
// and for VITTE_CHECK_EQUAL both values), then as its final line
// `N passed, N failed` counting test cases, and returns 0 iff none failed.
//
// Thread safety: none; tests run one after another on one thread.
#ifndef VITTE_CROSS_HARNESS_HPP
#define VITTE_CROSS_HARNESS_HPP

#include <chrono>       // printing durations
#include <concepts>     // std::convertible_to
#include <cstdio>       // std::printf
#include <ratio>        // std::nano and friends
#include <string_view>  // printing strings
#include <type_traits>  // value printing by category
#include <utility>      // std::cmp_equal

namespace vitte::test {

/// One registered test case. Constructed (at static initialisation) by
/// VITTE_TEST_CASE, which links it into the registry.
class test_case {
 public:
  constexpr test_case(const char* name, void (*body)(), const char* file, int line) noexcept
      : name_(name), body_(body), file_(file), line_(line) {}

  const char* name() const noexcept { return name_; }
  const char* file() const noexcept { return file_; }
  int line() const noexcept { return line_; }
  void run() const { body_(); }

 private:
  friend struct registry;
  const char* name_;
  void (*body_)();
  const char* file_;
  int line_;
  test_case* next_ = nullptr;
};

/// Every test case, and the state of the one running.
struct registry {
  test_case* head = nullptr;
  test_case* tail = nullptr;
  int failed_checks = 0;  // in the current test case

  void add(test_case& t) noexcept {
    if (tail)
      tail->next_ = &t;
    else
      head = &t;
    tail = &t;
  }
  static const test_case* next(const test_case& t) noexcept { return t.next_; }
};

/// The registry. Constant-initialised, so it is ready before any
/// registrar's dynamic initialisation, in any translation unit.
inline constinit registry the_registry{};

/// Links a test case into the registry at static initialisation.
struct registrar {
  explicit registrar(test_case& t) noexcept { the_registry.add(t); }
};

// ---------------------------------------------------------------------------
// Printing values of failed checks.

template <class T>
void print_value(const T& v) {
  if constexpr (std::is_same_v<T, bool>) {
    std::printf("%s", v ? "true" : "false");
  } else if constexpr (std::is_same_v<T, char>) {
    std::printf("'%c'", v);
  } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
    std::printf("%lld", static_cast<long long>(v));
  } else if constexpr (std::is_integral_v<T>) {
    std::printf("%llu", static_cast<unsigned long long>(v));
  } else if constexpr (std::is_floating_point_v<T>) {
    std::printf("%.17g", static_cast<double>(v));
  } else if constexpr (std::is_same_v<std::remove_cv_t<T>, const char*> || std::is_same_v<std::remove_cv_t<T>, char*>) {
    if (v == nullptr)
      std::printf("nullptr");
    else
      print_value(std::string_view{v});
  } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    std::string_view s = v;
    std::printf("\"%.*s\"", static_cast<int>(s.size()), s.data());
  } else if constexpr (std::is_enum_v<T>) {
    if constexpr (requires {
                    { to_string(v) } -> std::convertible_to<std::string_view>;
                  }) {
      std::string_view s = to_string(v);  // vitte's enums: found by ADL
      std::printf("%.*s (", static_cast<int>(s.size()), s.data());
      print_value(static_cast<std::underlying_type_t<T>>(v));
      std::printf(")");
    } else {
      print_value(static_cast<std::underlying_type_t<T>>(v));
    }
  } else if constexpr (requires { v.message().view(); }) {
    print_value(v.message().view());  // vitte::error
  } else if constexpr (requires {
                         v.count();
                         typename T::period;
                       }) {
    using period = typename T::period;
    print_value(v.count());
    if constexpr (std::is_same_v<period, std::nano>)
      std::printf(" ns");
    else if constexpr (std::is_same_v<period, std::micro>)
      std::printf(" us");
    else if constexpr (std::is_same_v<period, std::milli>)
      std::printf(" ms");
    else if constexpr (std::is_same_v<period, std::ratio<1>>)
      std::printf(" s");
    else
      std::printf(" * %lld/%lld s", static_cast<long long>(period::num), static_cast<long long>(period::den));
  } else if constexpr (requires { v.time_since_epoch(); }) {
    print_value(v.time_since_epoch());
    std::printf(" since epoch");
  } else if constexpr ((std::is_pointer_v<T> && std::is_object_v<std::remove_pointer_t<T>>) ||
                       std::is_null_pointer_v<T>) {
    std::printf("%p", static_cast<const void*>(v));
  } else {
    std::printf("(unprintable)");
  }
}

// ---------------------------------------------------------------------------
// Checks. Each returns whether it passed.

inline bool check(bool ok, const char* expr, const char* file, int line) {
  if (ok) return true;
  ++the_registry.failed_checks;
  std::printf("%s:%d: check failed: %s\n", file, line, expr);
  return false;
}

// The types std::cmp_equal accepts: integers, but not bool or characters.
template <class T>
inline constexpr bool is_standard_integer =
    std::is_integral_v<T> && !std::is_same_v<T, bool> && !std::is_same_v<T, char> && !std::is_same_v<T, wchar_t> &&
    !std::is_same_v<T, char8_t> && !std::is_same_v<T, char16_t> && !std::is_same_v<T, char32_t>;

template <class A, class B>
bool check_equal(const A& a, const B& b, const char* expr_a, const char* expr_b, const char* file, int line) {
  bool equal;
  if constexpr (is_standard_integer<A> && is_standard_integer<B>)
    equal = std::cmp_equal(a, b);  // no signed/unsigned surprises
  else
    equal = static_cast<bool>(a == b);
  if (equal) return true;
  ++the_registry.failed_checks;
  std::printf("%s:%d: check failed: %s == %s [", file, line, expr_a, expr_b);
  print_value(a);
  std::printf(" != ");
  print_value(b);
  std::printf("]\n");
  return false;
}

// ---------------------------------------------------------------------------
// The runner.

/// Runs every registered test case; prints `N passed, N failed` last.
/// Returns 0 iff no test case failed.
inline int run_all() {
  int passed = 0;
  int failed = 0;
  if (!the_registry.head) std::printf("warning: no test cases registered (did the static constructors run?)\n");
  for (const test_case* t = the_registry.head; t; t = registry::next(*t)) {
    the_registry.failed_checks = 0;
    std::printf("[ RUN      ] %s\n", t->name());
    t->run();
    if (the_registry.failed_checks == 0) {
      ++passed;
      std::printf("[       OK ] %s\n", t->name());
    } else {
      ++failed;
      std::printf("[  FAILED  ] %s (%d failed checks; %s:%d)\n", t->name(), the_registry.failed_checks, t->file(),
                  t->line());
    }
  }
  std::printf("%d passed, %d failed\n", passed, failed);
  std::fflush(stdout);
  return failed == 0 ? 0 : 1;
}

}  // namespace vitte::test

/// Defines and registers a test case: VITTE_TEST_CASE(name) { body }.
/// `name` must be an identifier, unique in its translation unit.
#define VITTE_TEST_CASE(name)                                                                                 \
  static void vitte_test_body_##name();                                                                       \
  static ::vitte::test::test_case vitte_test_case_##name{#name, &vitte_test_body_##name, __FILE__, __LINE__}; \
  static const ::vitte::test::registrar vitte_test_registrar_##name{vitte_test_case_##name};                  \
  static void vitte_test_body_##name()

/// Records a failure (file:line and the expression) when `cond` is false.
#define VITTE_CHECK(cond) ::vitte::test::check(static_cast<bool>(cond), #cond, __FILE__, __LINE__)

/// Records a failure, printing both values, unless `a == b`.
#define VITTE_CHECK_EQUAL(a, b) ::vitte::test::check_equal((a), (b), #a, #b, __FILE__, __LINE__)

/// Like VITTE_CHECK, and ends the test case on failure.
#define VITTE_REQUIRE(cond)         \
  do {                              \
    if (!VITTE_CHECK(cond)) return; \
  } while (0)

#endif  // VITTE_CROSS_HARNESS_HPP
