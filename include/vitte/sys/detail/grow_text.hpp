// detail::grow_text: a vitte::text from a policy call that copies text into
// a caller's buffer and returns the full length (which may exceed the
// buffer): env_get, executable_path, host_name, current_directory.
#ifndef VITTE_SYS_DETAIL_GROW_TEXT_HPP
#define VITTE_SYS_DETAIL_GROW_TEXT_HPP

#include <vitte/base.hpp>
#include <vitte/base/text.hpp>
#include <vitte/sys/detail/retry.hpp>
#include <vitte/sys/operations.hpp>

#include <cstddef>

namespace vitte::sys::detail {

// Calls fill(buf, n) -> result<std::size_t> with a stack buffer, then with
// one as large as asked until the text fits (it may grow between calls).
// Interrupted calls are retried.
template <class Fill>
result<text> grow_text(Fill fill) {
  char stack[256];
  result<std::size_t> n = retry_interrupted([&] { return fill(stack, sizeof stack); });
  if (!n) return n.error();
  if (*n < sizeof stack) return text(stack, *n);
  for (;;) {
    text big(*n + 1, '\0');
    std::size_t want = *n;
    n = retry_interrupted([&] { return fill(big.data(), big.size()); });
    if (!n) return n.error();
    if (*n <= want) {
      big.resize(*n);
      return big;
    }
  }
}

}  // namespace vitte::sys::detail

#endif  // VITTE_SYS_DETAIL_GROW_TEXT_HPP
