// vitte/sys/board_memory.hpp - what a freestanding board supplies for memory.
//
// freestanding_platform<Board> has the memory capability (regions, virtual
// arenas) when the board hands it RAM, and memory protection (guard pages,
// W^X) when the board also has an MPU hook:
//
//   struct my_board {
//     // Required for memory: RAM the policy hands out in pages.
//     static std::span<std::byte> memory() noexcept {
//       alignas(1024) static std::byte ram[64 * 1024];
//       return ram;
//     }
//     // Optional: the page size, a power of two (default 1024).
//     static constexpr std::size_t memory_page_size = 1024;
//     // Optional, for protection: applies `prot` to [p, p + n) with the MPU,
//     // or returns false when it cannot.
//     static bool protect(void* p, std::size_t n, vitte::sys::protection prot) noexcept;
//     // Optional: instruction-cache maintenance, on cores with caches.
//     static void flush_instruction_cache(const void* p, std::size_t n) noexcept;
//   };
//
// Without an MMU, reserved pages are accessible and decommitted pages are
// zeroed rather than returned. Thread safety: the board's pages are handed out
// without locking; use them from one thread (or with interrupts masked).
#ifndef VITTE_SYS_BOARD_MEMORY_HPP
#define VITTE_SYS_BOARD_MEMORY_HPP

#include <vitte/base.hpp>
#include <vitte/base/span.hpp>                       // the board's RAM
#include <vitte/sys/detail/freestanding_memory.hpp>  // page_pool
#include <vitte/sys/memory_types.hpp>
#include <vitte/sys/operations.hpp>

#include <concepts>  // std::same_as
#include <cstddef>   // std::size_t, std::byte

namespace vitte::sys {

/// A board with RAM for the memory facility: `memory()`.
template <class B>
concept board_memory = requires {
  { B::memory() } noexcept -> std::convertible_to<span<std::byte>>;
};

/// A board whose MPU can protect its memory: `protect(p, n, prot)`.
template <class B>
concept board_memory_protection = board_memory<B> && requires(void* p, std::size_t n, protection prot) {
  { B::protect(p, n, prot) } noexcept -> std::same_as<bool>;
};

/// A board with instruction-cache maintenance: `flush_instruction_cache(p, n)`.
template <class B>
concept board_instruction_cache = requires(const void* p, std::size_t n) {
  { B::flush_instruction_cache(p, n) } noexcept;
};

/// The board's page size: B::memory_page_size, else 1024 bytes.
template <class B>
constexpr std::size_t board_page_size() noexcept {
  if constexpr (requires { B::memory_page_size; }) {
    static_assert(detail::is_power_of_two(B::memory_page_size), "vitte: memory_page_size must be a power of two");
    return B::memory_page_size;
  } else {
    return 1024;
  }
}

namespace detail {

/// How many regions a board's memory holds at once.
inline constexpr std::size_t board_max_regions = 16;

/// The pages of Board's memory that are handed out.
template <class Board>
inline constinit page_pool<board_max_regions> board_pages{};

/// Gives [p, p + n) the protection `prot` with the board's MPU. Without one,
/// memory is always read-write: read_write (and none, for pages not in use)
/// are accepted, promises it cannot keep (read, read_execute) are not.
template <class Board>
error board_protect(void* p, std::size_t n, protection prot, operation op) noexcept {
  if constexpr (board_memory_protection<Board>) {
    return Board::protect(p, n, prot) ? error{} : error{errc::not_supported, op};
  } else {
    bool kept = prot == protection::read_write || prot == protection::none;
    return kept ? error{} : error{errc::not_supported, op};
  }
}

}  // namespace detail

}  // namespace vitte::sys

#endif  // VITTE_SYS_BOARD_MEMORY_HPP
