// vitte/sys/arena.hpp - bump allocation in a buffer you provide.
//
// An arena hands out pieces of one buffer, front to back, and takes them all
// back at once. An allocation is a few instructions and never calls the OS,
// so arenas work on freestanding targets and in code that must not allocate.
//
//   alignas(64) std::byte buffer[4096];
//   vitte::sys::arena a{buffer};
//   int* n = a.create<int>(42).value();
//   void* block = a.allocate(100, 64).value();   // 100 bytes, 64-byte aligned
//   auto m = a.mark();
//   parse(a);                                     // temporary allocations...
//   a.rewind(m);                                  // ...gone
//   a.reset();                                    // everything gone
//
// Destructors of objects created in an arena never run. For an arena that
// grows in reserved address space, see vitte/sys/virtual_arena.hpp; for
// std::pmr containers, vitte/sys/memory_resource.hpp.
#ifndef VITTE_SYS_ARENA_HPP
#define VITTE_SYS_ARENA_HPP

#include <vitte/base.hpp>
#include <vitte/base/span.hpp>         // the buffer
#include <vitte/sys/detail/pages.hpp>  // padding, is_power_of_two
#include <vitte/sys/operations.hpp>

#include <cstddef>      // std::size_t, std::byte, std::max_align_t
#include <cstdint>      // std::uintptr_t
#include <new>          // placement new
#include <type_traits>  // std::is_nothrow_constructible_v
#include <utility>      // std::forward, std::exchange

namespace vitte::sys {

/// A bump allocator over a buffer it does not own. Move-only, so that no two
/// arenas hand out the same bytes.
/// Thread safety: none; use an arena from one thread at a time.
class arena {
 public:
  /// The alignment allocate() uses by default.
  static constexpr std::size_t default_alignment = alignof(std::max_align_t);

  /// An arena with no buffer: every allocation fails.
  constexpr arena() noexcept = default;
  /// An arena over `buffer`, which must outlive it.
  constexpr explicit arena(span<std::byte> buffer) noexcept
      : begin_(buffer.data()), cur_(buffer.data()), end_(buffer.data() + buffer.size()) {}
  /// Takes other's buffer; other is left without one.
  constexpr arena(arena&& other) noexcept
      : begin_(std::exchange(other.begin_, nullptr)),
        cur_(std::exchange(other.cur_, nullptr)),
        end_(std::exchange(other.end_, nullptr)) {}
  constexpr arena& operator=(arena&& other) noexcept {
    begin_ = std::exchange(other.begin_, nullptr);
    cur_ = std::exchange(other.cur_, nullptr);
    end_ = std::exchange(other.end_, nullptr);
    return *this;
  }
  arena(const arena&) = delete;
  arena& operator=(const arena&) = delete;

  /// `size` bytes aligned to `alignment`, or nullptr when the size is 0, the
  /// alignment is not a power of two, or the rest of the buffer is too small.
  /// The fast path: no error value to build.
  void* try_allocate(std::size_t size, std::size_t alignment = default_alignment) noexcept {
    std::size_t pad = detail::padding(cur_, alignment);
    std::size_t left = static_cast<std::size_t>(end_ - cur_);
    if (size == 0 || !detail::is_power_of_two(alignment) || pad > left || size > left - pad) return nullptr;
    std::byte* p = cur_ + pad;
    cur_ = p + size;
    return p;
  }

  /// `size` bytes aligned to `alignment` (a power of two).
  /// Errors (allocate): invalid_argument for size 0 or a bad alignment;
  /// no_memory when the rest of the buffer is too small.
  result<void*> allocate(std::size_t size, std::size_t alignment = default_alignment) noexcept {
    if (size == 0 || !detail::is_power_of_two(alignment)) return error{errc::invalid_argument, ops::allocate};
    void* p = try_allocate(size, alignment);
    if (p == nullptr) return error{errc::no_memory, ops::allocate};
    return p;
  }

  /// A T constructed in the arena from `args`; its destructor never runs.
  /// Errors: as allocate().
  template <class T, class... Args>
  result<T*> create(Args&&... args) noexcept(std::is_nothrow_constructible_v<T, Args&&...>) {
    result<void*> p = allocate(sizeof(T), alignof(T));
    if (!p) return p.error();
    return ::new (*p) T(std::forward<Args>(args)...);
  }

  /// Takes back everything allocated.
  void reset() noexcept { cur_ = begin_; }
  /// A point to rewind() to: the bytes used so far.
  std::size_t mark() const noexcept { return used(); }
  /// Takes back everything allocated after mark() returned `m`. A mark
  /// beyond what is used now (taken before a reset) is ignored.
  void rewind(std::size_t m) noexcept {
    if (m <= used()) cur_ -= used() - m;
  }

  /// Bytes handed out, alignment padding included.
  std::size_t used() const noexcept { return static_cast<std::size_t>(cur_ - begin_); }
  /// Size of the buffer.
  std::size_t capacity() const noexcept { return static_cast<std::size_t>(end_ - begin_); }
  /// Bytes not handed out yet.
  std::size_t remaining() const noexcept { return static_cast<std::size_t>(end_ - cur_); }
  /// The start of the buffer.
  std::byte* data() const noexcept { return begin_; }
  /// True when p points into the buffer.
  bool owns(const void* p) const noexcept {
    auto a = reinterpret_cast<std::uintptr_t>(p);
    return a >= reinterpret_cast<std::uintptr_t>(begin_) && a < reinterpret_cast<std::uintptr_t>(end_);
  }

  /// For owners that grow or shrink the buffer in place (basic_virtual_arena):
  /// the buffer becomes [data(), data() + n). The caller guarantees those
  /// bytes usable; n below used() is raised to it.
  void resize(std::size_t n) noexcept { end_ = begin_ + (n < used() ? used() : n); }

 private:
  std::byte* begin_ = nullptr;
  std::byte* cur_ = nullptr;
  std::byte* end_ = nullptr;
};

}  // namespace vitte::sys

#endif  // VITTE_SYS_ARENA_HPP
