// Memory for policies without virtual memory (freestanding boards): page
// ranges carved out of one fixed buffer, and aligned blocks from malloc.
// Internal; includes no OS header.
#ifndef VITTE_SYS_DETAIL_FREESTANDING_MEMORY_HPP
#define VITTE_SYS_DETAIL_FREESTANDING_MEMORY_HPP

#include <vitte/base/span.hpp>  // the board's memory
#include <vitte/sys/detail/pages.hpp>
#include <vitte/sys/memory_types.hpp>

#include <cstddef>  // std::size_t, std::byte
#include <cstdint>  // SIZE_MAX
#include <cstdlib>  // std::malloc, std::free
#include <cstring>  // std::memcpy

namespace vitte::sys::detail {

// Hands out page-aligned ranges of one buffer, first fit, and takes them
// back. Ranges are kept sorted by offset in a fixed table, so at most
// MaxRanges are live at once and nothing is allocated. Not thread safe.
template <std::size_t MaxRanges>
class page_pool {
 public:
  // `size` bytes (a multiple of `page`) at a page boundary of `memory`, or
  // nullptr when no gap is large enough or the table is full.
  std::byte* take(span<std::byte> memory, std::size_t page, std::size_t size) noexcept {
    std::size_t skip = padding(memory.data(), page);
    if (count_ == MaxRanges || skip > memory.size()) return nullptr;
    std::size_t limit = (memory.size() - skip) & ~(page - 1);
    std::size_t at = 0;  // start of the gap before ranges_[i]
    std::size_t i = 0;
    while (i < count_ && ranges_[i].offset - at < size) {
      at = ranges_[i].offset + ranges_[i].size;
      ++i;
    }
    if (i == count_ && limit - at < size) return nullptr;
    for (std::size_t j = count_; j > i; --j) ranges_[j] = ranges_[j - 1];
    ranges_[i] = {at, size};
    ++count_;
    return memory.data() + skip + at;
  }

  // Returns the range [p, p + size) taken before; false when no live range
  // is exactly that.
  bool give_back(span<std::byte> memory, std::size_t page, const std::byte* p, std::size_t size) noexcept {
    const std::byte* base = memory.data() + padding(memory.data(), page);
    for (std::size_t i = 0; i < count_; ++i) {
      if (base + ranges_[i].offset != p || ranges_[i].size != size) continue;
      for (std::size_t j = i + 1; j < count_; ++j) ranges_[j - 1] = ranges_[j];
      --count_;
      return true;
    }
    return false;
  }

 private:
  struct range {
    std::size_t offset;
    std::size_t size;
  };
  range ranges_[MaxRanges] = {};
  std::size_t count_ = 0;
};

// An aligned block from malloc: over-allocates, and keeps malloc's pointer
// in the word before the block. nullptr when malloc fails or the size
// overflows.
inline void* over_aligned_allocate(std::size_t size, std::size_t alignment) noexcept {
  if (alignment < alignof(void*)) alignment = alignof(void*);
  std::size_t extra = alignment - 1 + sizeof(void*);
  if (size > SIZE_MAX - extra) return nullptr;
  void* raw = std::malloc(size + extra);
  if (raw == nullptr) return nullptr;
  std::byte* start = static_cast<std::byte*>(raw) + sizeof(void*);
  std::byte* block = start + padding(start, alignment);
  std::memcpy(block - sizeof(void*), &raw, sizeof raw);
  return block;
}

// Frees a block of over_aligned_allocate; nullptr is ignored.
inline void over_aligned_free(void* block) noexcept {
  if (block == nullptr) return;
  void* raw = nullptr;
  std::memcpy(&raw, static_cast<std::byte*>(block) - sizeof(void*), sizeof raw);
  std::free(raw);
}

}  // namespace vitte::sys::detail

#endif  // VITTE_SYS_DETAIL_FREESTANDING_MEMORY_HPP
