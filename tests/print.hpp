// Lets Boost.Test print vitte values in failed assertions.
#ifndef VITTE_TESTS_PRINT_HPP
#define VITTE_TESTS_PRINT_HPP

#include <vitte/base/error.hpp>
#include <vitte/sys/time.hpp>

#include <chrono>
#include <ostream>

namespace vitte {
inline std::ostream& operator<<(std::ostream& os, errc k) { return os << to_string(k); }
inline std::ostream& operator<<(std::ostream& os, operation op) { return os << to_string(op); }
inline std::ostream& operator<<(std::ostream& os, const error& e) { return os << e.message().view(); }
}  // namespace vitte

namespace vitte::sys {
template <class P, clock_id Id, class D>
std::ostream& operator<<(std::ostream& os, std::chrono::time_point<basic_clock<P, Id>, D> t) {
  return os << std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count() << "ns";
}
}  // namespace vitte::sys

#endif  // VITTE_TESTS_PRINT_HPP
