// vitte/sys/memory_types.hpp - the vocabulary of vitte's memory calls.
//
// What a platform policy's memory functions take: page protections, advice
// and commit hints. Users meet these types through vitte/sys/memory.hpp:
//
//   auto r = vitte::sys::region::allocate(1 << 20, vitte::sys::protection::read_write,
//                                         {.populate = true}).value();
//   r.advise(0, r.size(), vitte::sys::advice::dont_need).value();
//
// This header includes only <cstdint>; policies include it to declare their
// memory functions.
#ifndef VITTE_SYS_MEMORY_TYPES_HPP
#define VITTE_SYS_MEMORY_TYPES_HPP

#include <cstdint>  // enum storage

namespace vitte::sys {

/// What the pages of a range allow. There is no writable-and-executable
/// protection: code is written through read_write pages, then flipped to
/// read_execute (basic_region::make_executable), or written through one view
/// of shared memory and run through another.
enum class protection : std::uint8_t {
  none,          ///< Any access kills the process (guard pages, reserved space).
  read,          ///< Read only.
  read_write,    ///< Read and write.
  read_execute,  ///< Read and run as code.
};

/// What a program tells the OS about how it will use a range of pages.
enum class advice : std::uint8_t {
  will_need,  ///< Read soon: the OS may start bringing the pages in.
  dont_need,  ///< Not needed now: the OS may drop the contents. Later reads
              ///< see the old contents or zeros (zeros on Linux).
};

/// Hints for committing pages. Hints never make a commit fail: where the OS
/// cannot follow one, it is ignored (populate falls back to touching pages).
struct commit_options {
  /// Fault the pages in now (Linux MAP_POPULATE, MADV_POPULATE_WRITE;
  /// elsewhere one access per page), so first use takes no page faults.
  bool populate = false;
  /// Back the range with huge pages where the OS does that transparently
  /// (Linux MADV_HUGEPAGE); ignored elsewhere.
  bool huge_pages = false;
};

/// True for the four protections above (not for a value cast from a number).
constexpr bool is_valid(protection p) noexcept {
  return p == protection::none || p == protection::read || p == protection::read_write || p == protection::read_execute;
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_MEMORY_TYPES_HPP
