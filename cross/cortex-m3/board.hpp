// cross/cortex-m3/board.hpp - vitte's board for QEMU's mps2-an385 (Cortex-M3).
//
// Freestanding builds name their target through vitte::sys::board (see
// vitte/sys/platform.hpp). This one is QEMU's `-M mps2-an385`: a 25 MHz
// Cortex-M3 whose SysTick, extended to 64 bits in software, is the tick
// source, and 64 KiB of its RAM is handed to vitte/sys/memory.hpp (regions,
// virtual arenas). The definitions live in startup.cpp, next to the vector
// table and the SysTick interrupt that keeps the upper bits.
//
// build.sh force-includes this header (-include board.hpp) so that the board
// is complete before any vitte header names it; test sources stay the same
// as on a hosted target.
//
//   auto t0 = vitte::sys::board::ticks();   // CPU cycles since reset
#ifndef VITTE_CROSS_CORTEX_M3_BOARD_HPP
#define VITTE_CROSS_CORTEX_M3_BOARD_HPP

#include <cstddef>  // std::byte
#include <cstdint>
#include <span>  // memory()

namespace vitte::sys {

/// QEMU mps2-an385: SysTick at the CPU clock, extended to 64 bits.
struct board {
  /// CPU cycles since the SysTick started (before main). Monotonic, never
  /// wraps in practice (2^64 cycles at 25 MHz is 23,000 years).
  /// Thread safety: callable from thread mode and from any interrupt;
  /// masks interrupts for a few instructions. Keeping interrupts masked for
  /// longer than a SysTick period (1 ms) loses the periods beyond the first.
  static std::uint64_t ticks() noexcept;
  /// The AN385's CPU clock (SYSCLK), which clocks SysTick.
  static constexpr std::uint64_t ticks_per_second = 25'000'000;
  /// Waits for an interrupt (WFI). SysTick interrupts every millisecond, so
  /// sleeps overshoot by at most that.
  static void idle() noexcept;
  /// RAM for vitte's memory facility: 64 KiB in .bss, 1 KiB-aligned (the
  /// default page). No MPU hook: regions have no protection.
  static std::span<std::byte> memory() noexcept;
};

}  // namespace vitte::sys

#endif  // VITTE_CROSS_CORTEX_M3_BOARD_HPP
