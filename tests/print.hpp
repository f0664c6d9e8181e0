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

#if defined(_LIBCPP_VERSION) && _LIBCPP_VERSION < 170000
// libc++ before 17 (Zig's, older Xcode's) has no operator<< for durations.
#include <boost/test/tools/detail/print_helper.hpp>
namespace boost::test_tools::tt_detail {
template <class Rep, class Period>
struct print_log_value<std::chrono::duration<Rep, Period>> {
  void operator()(std::ostream& os, const std::chrono::duration<Rep, Period>& d) { os << d.count(); }
};
}  // namespace boost::test_tools::tt_detail
#endif

#endif  // VITTE_TESTS_PRINT_HPP
