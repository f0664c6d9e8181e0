// detail::unique_suffix: random-looking names for temporary files. Not
// cryptographic: files are created exclusively, and a clash only costs
// another try.
#ifndef VITTE_SYS_DETAIL_UNIQUE_NAME_HPP
#define VITTE_SYS_DETAIL_UNIQUE_NAME_HPP

#include <vitte/base/detail/atomic.hpp>
#include <vitte/base/detail/hash.hpp>  // mix64  // a per-process counter
#include <vitte/base/text.hpp>
#include <vitte/sys/clock_id.hpp>

#include <cstdint>

namespace vitte::sys::detail {

// 12 characters of [0-9a-v] from the clocks, a counter and an address
// (different in each process under address-space randomisation).
template <class P>
text unique_suffix() {
  static vitte::detail::atomic<std::uint64_t> counter{0};
  std::uint64_t n = counter.fetch_add(1, vitte::detail::relaxed);
  std::uint64_t x =
      vitte::detail::mix64(static_cast<std::uint64_t>(P::clock_now_ns(clock_id::realtime)) ^
                           vitte::detail::mix64(static_cast<std::uint64_t>(P::clock_now_ns(clock_id::monotonic)) + n) ^
                           reinterpret_cast<std::uintptr_t>(&counter));
  text out(12, '0');
  for (char& c : out) {
    c = "0123456789abcdefghijklmnopqrstuv"[x & 31];
    x >>= 5;
  }
  return out;
}

}  // namespace vitte::sys::detail

#endif  // VITTE_SYS_DETAIL_UNIQUE_NAME_HPP
