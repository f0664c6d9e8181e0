// vitte/sys/virtual_arena.hpp - a bump allocator that grows in reserved
// address space.
//
// A virtual arena reserves address space for its largest size up front and
// commits it step by step as allocations reach it, so its memory is
// contiguous and pointers into it stay valid while it grows:
//
//   namespace sys = vitte::sys;
//   auto a = sys::virtual_arena::reserve(std::size_t{1} << 32).value();  // 4 GiB of address space
//   auto* node = a.create<tree_node>(key).value();    // commits 64 KiB at a time
//   a.reset();                                        // keeps the committed pages
//   a.trim().value();                                 // returns them to the OS
//
// On freestanding boards it grows in the board's memory
// (vitte/sys/board_memory.hpp). Destructors of objects in the arena never run.
#ifndef VITTE_SYS_VIRTUAL_ARENA_HPP
#define VITTE_SYS_VIRTUAL_ARENA_HPP

#include <vitte/base.hpp>
#include <vitte/sys/arena.hpp>
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/memory.hpp>
#include <vitte/sys/operations.hpp>
#include <vitte/sys/platform.hpp>

#include <cstddef>      // std::size_t
#include <new>          // placement new
#include <type_traits>  // std::is_nothrow_constructible_v
#include <utility>      // std::forward

namespace vitte::sys {

/// A bump allocator over a region: reserved once, committed as it grows.
/// Move-only; releases the region when destroyed.
/// Thread safety: none; use an arena from one thread at a time.
template <class P>
class basic_virtual_arena {
  VITTE_REQUIRE_CAPABILITY(P, memory);

 public:
  /// The alignment allocate() uses by default.
  static constexpr std::size_t default_alignment = arena::default_alignment;
  /// How much is committed at a time unless reserve() is told otherwise.
  static constexpr std::size_t default_commit_step = 64 * 1024;

  /// An arena without memory: every allocation fails.
  constexpr basic_virtual_arena() noexcept = default;
  basic_virtual_arena(basic_virtual_arena&&) noexcept = default;
  basic_virtual_arena& operator=(basic_virtual_arena&&) noexcept = default;

  /// An arena of at most `max_size` bytes (rounded up to whole pages), of
  /// which nothing is committed yet; it commits `commit_step` bytes (rounded
  /// up to whole pages) or more at a time.
  /// Errors: as basic_region::reserve (memory_reserve); invalid_argument
  /// for a zero commit step.
  static result<basic_virtual_arena> reserve(std::size_t max_size,
                                             std::size_t commit_step = default_commit_step) noexcept;

  /// `size` bytes aligned to `alignment`, committing more pages when needed;
  /// nullptr on any error (see allocate()).
  void* try_allocate(std::size_t size, std::size_t alignment = default_alignment) noexcept {
    if (void* p = bump_.try_allocate(size, alignment)) return p;  // the fast path
    return grow_and_allocate(size, alignment).value_or(nullptr);
  }

  /// `size` bytes aligned to `alignment` (a power of two).
  /// Errors: invalid_argument (allocate) for size 0 or a bad alignment;
  /// no_memory (allocate) past the reserved size; what committing reports
  /// (memory_commit: no_memory when the OS cannot back more pages).
  result<void*> allocate(std::size_t size, std::size_t alignment = default_alignment) noexcept {
    if (void* p = bump_.try_allocate(size, alignment)) return p;
    return grow_and_allocate(size, alignment);
  }

  /// A T constructed in the arena from `args`; its destructor never runs.
  /// Errors: as allocate().
  template <class T, class... Args>
  result<T*> create(Args&&... args) noexcept(std::is_nothrow_constructible_v<T, Args&&...>) {
    result<void*> p = allocate(sizeof(T), alignof(T));
    if (!p) return p.error();
    return ::new (*p) T(std::forward<Args>(args)...);
  }

  /// Takes back everything allocated; committed pages stay committed.
  void reset() noexcept { bump_.reset(); }

  /// Decommits the committed pages past those in use (after reset(): all).
  /// Errors: as basic_region::decommit.
  status trim() noexcept;

  /// Bytes handed out, alignment padding included.
  std::size_t used() const noexcept { return bump_.used(); }
  /// Bytes committed so far.
  std::size_t committed() const noexcept { return bump_.capacity(); }
  /// The most the arena can hold: the reserved size.
  std::size_t capacity() const noexcept { return region_.size(); }
  /// True when p points into the reserved range.
  bool owns(const void* p) const noexcept { return arena{region_.bytes()}.owns(p); }

 private:
  basic_virtual_arena(basic_region<P> r, std::size_t step) noexcept
      : region_(std::move(r)), bump_(region_.bytes().first(0)), step_(step) {}

  result<void*> grow_and_allocate(std::size_t size, std::size_t alignment) noexcept;

  basic_region<P> region_;
  arena bump_;  // over the committed prefix of region_
  std::size_t step_ = default_commit_step;
};

/// A virtual arena of the default platform.
using virtual_arena = basic_virtual_arena<platform>;

}  // namespace vitte::sys

#include <vitte/sys/impl/virtual_arena.hpp>

#endif  // VITTE_SYS_VIRTUAL_ARENA_HPP
