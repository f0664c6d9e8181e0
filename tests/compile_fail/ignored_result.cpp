// Results are [[nodiscard]]: dropping one is an error under -Werror.
// expect: nodiscard
#include <vitte/sys/time.hpp>

#include <chrono>

#pragma GCC diagnostic error "-Wunused-result"
#pragma GCC diagnostic error "-Wunused-value"
int main() { vitte::sys::sleep_for(std::chrono::milliseconds(1)); }
