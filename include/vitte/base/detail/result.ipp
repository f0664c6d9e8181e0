// Out-of-line part of vitte/base/result.hpp.
#ifndef VITTE_BASE_DETAIL_RESULT_IPP
#define VITTE_BASE_DETAIL_RESULT_IPP

#include <vitte/base/result.hpp>

#include <cstdio>   // the message on stderr before abort
#include <cstdlib>  // std::abort

namespace vitte::detail {

[[noreturn]] VITTE_DECL void bad_access(error e) {
#if VITTE_HAS_EXCEPTIONS
  throw bad_result_access(e);
#else
  std::fprintf(stderr, "vitte: value() on an error result: %s\n", e.message().c_str());
  std::abort();
#endif
}

}  // namespace vitte::detail

#endif  // VITTE_BASE_DETAIL_RESULT_IPP
