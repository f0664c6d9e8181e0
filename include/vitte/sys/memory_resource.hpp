// vitte/sys/memory_resource.hpp - vitte's arenas as std::pmr memory resources.
//
// Lets standard containers allocate from an arena:
//
//   alignas(64) std::byte buffer[64 * 1024];
//   vitte::sys::arena a{buffer};
//   vitte::sys::arena_resource resource{a};
//   std::pmr::vector<int> v{&resource};
//   v.assign(1000, 7);                        // in `buffer`, no call to malloc
//
//   auto va = vitte::sys::virtual_arena::reserve(std::size_t{1} << 30).value();
//   vitte::sys::basic_arena_resource grows{va};  // a virtual arena works alike
//
// Deallocation does nothing (the arena frees all at once, on reset()). When
// the arena cannot serve a request, the upstream resource does; the default
// upstream, std::pmr::null_memory_resource(), throws std::bad_alloc (without
// exceptions, the standard library aborts). This header is apart from the
// arenas because <memory_resource> is heavy.
#ifndef VITTE_SYS_MEMORY_RESOURCE_HPP
#define VITTE_SYS_MEMORY_RESOURCE_HPP

#include <vitte/sys/arena.hpp>

#include <concepts>         // std::same_as
#include <cstddef>          // std::size_t
#include <memory_resource>  // std::pmr::memory_resource

namespace vitte::sys {

/// What basic_arena_resource needs of an arena: try_allocate and owns.
template <class A>
concept pmr_arena = requires(A& a, std::size_t n, const void* p) {
  { a.try_allocate(n, n) } noexcept -> std::same_as<void*>;
  { a.owns(p) } noexcept -> std::same_as<bool>;
};

/// A std::pmr::memory_resource that allocates from `Arena` (arena or
/// basic_virtual_arena) and, when the arena is full, from an upstream
/// resource. The arena and the upstream must outlive it.
/// Thread safety: none, like the arena.
template <pmr_arena Arena>
class basic_arena_resource final : public std::pmr::memory_resource {
 public:
  /// Allocates from `a`, then from `upstream`.
  explicit basic_arena_resource(Arena& a,
                                std::pmr::memory_resource* upstream = std::pmr::null_memory_resource()) noexcept
      : arena_(a), upstream_(upstream) {}
  basic_arena_resource(const basic_arena_resource&) = delete;
  basic_arena_resource& operator=(const basic_arena_resource&) = delete;

  /// The arena allocations come from.
  Arena& get_arena() const noexcept { return arena_; }
  /// Where allocations go when the arena is full.
  std::pmr::memory_resource* upstream_resource() const noexcept { return upstream_; }

 private:
  void* do_allocate(std::size_t bytes, std::size_t alignment) override {
    // pmr allows zero-byte requests, which arenas refuse: give them a byte.
    if (void* p = arena_.try_allocate(bytes == 0 ? 1 : bytes, alignment)) return p;
    return upstream_->allocate(bytes, alignment);
  }
  void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override {
    if (!arena_.owns(p)) upstream_->deallocate(p, bytes, alignment);
  }
  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }

  Arena& arena_;
  std::pmr::memory_resource* upstream_;
};

/// A resource over a buffer arena.
using arena_resource = basic_arena_resource<arena>;

}  // namespace vitte::sys

#endif  // VITTE_SYS_MEMORY_RESOURCE_HPP
