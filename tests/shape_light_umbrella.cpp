// The compile budget, kept by construction: the sys umbrella must not pull
// in <string>, <vector>, <optional>, <string_view>, <span>, <exception>,
// <algorithm> or <atomic> (together they cost more than all of vitte's own declarations; see
// "Compile-time budget" in docs/ARCHITECTURE.md). sys uses vitte::text,
// vitte::buffer, vitte::text_view and vitte::span instead. Checked where the standard
// library says which headers it included (libstdc++); the Windows backends
// use std::wstring internally, so header-only Windows builds are exempt.
#include <vitte/sys.hpp>

#if defined(__GLIBCXX__) && !VITTE_OS_WINDOWS
#if defined(_GLIBCXX_STRING)
#error "<vitte/sys.hpp> includes <string>: return vitte::text from sys instead"
#endif
#if defined(_GLIBCXX_VECTOR)
#error "<vitte/sys.hpp> includes <vector>: return vitte::buffer from sys instead"
#endif
#if defined(_GLIBCXX_OPTIONAL)
#error "<vitte/sys.hpp> includes <optional>"
#endif
#if defined(_GLIBCXX_STRING_VIEW)
#error "<vitte/sys.hpp> includes <string_view>: take and lend vitte::text_view in sys instead"
#endif
#if defined(_GLIBCXX_SPAN)
#error "<vitte/sys.hpp> includes <span>: take and lend vitte::span in sys instead"
#endif
#if defined(__EXCEPTION__)
#error "<vitte/sys.hpp> includes <exception>: std::exception comes with <new>"
#endif
#if defined(_GLIBCXX_ALGORITHM)
#error "<vitte/sys.hpp> includes <algorithm>: vitte/base/detail/algorithm.hpp has min_of, max_of and heap_sort"
#endif
#if defined(_GLIBCXX_ATOMIC)
#error "<vitte/sys.hpp> includes <atomic>: vitte/base/detail/atomic.hpp uses the compiler's builtins"
#endif
#endif

int main() { return 0; }
