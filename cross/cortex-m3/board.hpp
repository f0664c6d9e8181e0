// cross/cortex-m3/board.hpp - vitte's board for QEMU's mps2-an385 (Cortex-M3).
//
// Freestanding builds name their target through vitte::sys::board (see
// vitte/sys/platform.hpp). This one is QEMU's `-M mps2-an385`: a 25 MHz
// Cortex-M3 whose SysTick, extended to 64 bits in software, is the tick
// source, 64 KiB of its RAM is handed to vitte/sys/memory.hpp (regions,
// virtual arenas), and its five CMSDK APB UARTs are serial ports "uart0" ..
// "uart4" (vitte/sys/serial.hpp over vitte/sys/policy/board_devices.hpp).
// The definitions live in startup.cpp, next to the vector table and the
// SysTick interrupt that keeps the upper bits.
//
// UARTs: 0x40004000, 0x40005000, 0x40006000, 0x40007000, 0x40009000 (QEMU
// connects UART n to its n-th -serial option), clocked at 25 MHz; the reset
// handler enables each at 115200 8N1 (BAUDDIV 217) before main. They are
// polled: a one-byte holding register each way, no interrupt used.
//
// build.sh force-includes this header (-include board.hpp) so that the board
// is complete before any vitte header names it; test sources stay the same
// as on a hosted target.
//
//   auto t0 = vitte::sys::board::ticks();   // CPU cycles since reset
//   auto port = vitte::sys::serial_port::open("uart0").value();   // 115200 8N1
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

  /// The CMSDK APB UARTs (UART0 to UART4), as serial ports "uart0" ..
  /// "uart4". Thread safety: one thread per port; not from interrupts.
  static constexpr std::size_t uart_count = 5;
  /// Writes `b` to the transmit holding register; false (nothing written)
  /// while it is full.
  static bool uart_put(std::size_t port, std::byte b) noexcept;
  /// Takes the received byte; false when none is waiting.
  static bool uart_get(std::size_t port, std::byte& b) noexcept;
  /// Sets BAUDDIV to 25 MHz / `baud`, rounded; false (nothing changed) when
  /// that is outside 16 .. 0xFFFFF or more than 2% off the rate (the UART
  /// is always 8N1).
  static bool uart_configure(std::size_t port, std::uint32_t baud) noexcept;
  /// True when the transmit holding register is empty (the UART has no
  /// status for its shift register).
  static bool uart_tx_done(std::size_t port) noexcept;
  /// "CMSDK APB UART0 at 0x40004000", ...
  static const char* uart_description(std::size_t port) noexcept;
};

}  // namespace vitte::sys

#endif  // VITTE_CROSS_CORTEX_M3_BOARD_HPP
