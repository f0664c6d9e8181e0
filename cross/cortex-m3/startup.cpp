// cross/cortex-m3/startup.cpp - reset, vector table, faults and the SysTick
// tick source for QEMU's mps2-an385 (Cortex-M3, 25 MHz).
//
// Boot: the core loads SP and PC from the vector table at 0x0 (mps2-an385.ld
// puts .vectors there). vitte_reset_handler copies .data from flash, zeroes
// .bss, caps newlib's heap below the stack, opens the semihosting console
// (initialise_monitor_handles, from librdimon), starts SysTick, runs the
// static constructors (__libc_init_array) and main, then passes main's
// result to exit(): librdimon reports it to QEMU with SYS_EXIT_EXTENDED, so
// QEMU's exit status is main's.
//
// Faults: every exception other than reset and SysTick prints the stacked
// registers and the fault status registers through semihosting and ends
// QEMU with status 3, so a crash fails the run instead of hanging it.
//
// Tick source (vitte::sys::board::ticks): SysTick counts the CPU clock down
// from cycles_per_period - 1 and sets COUNTFLAG (and pends its interrupt) on
// each transition to 0. COUNTFLAG clears when CSR is read, so each period
// boundary is seen by exactly one CSR read; whoever sees it (the SysTick
// interrupt or a reader) adds one period to period_base, with interrupts
// masked. The interrupt guarantees that a boundary is consumed within one
// period. See board::ticks() for why a read is consistent.
//
// UARTs (vitte::sys::board::uart_*): the AN385's five CMSDK APB UARTs,
// polled. The reset handler sets each to 115200 (BAUDDIV before CTRL: QEMU
// logs a guest error when TX is enabled without a valid divider) and enables
// its transmitter and receiver; QEMU sends nothing while TX is disabled and
// takes no input while RX is.
#include <cstddef>
#include <cstdint>
#include <cstdlib>  // std::exit, std::atexit

#include "board.hpp"

// ---------------------------------------------------------------------------
// What the linker script and the C library provide.
extern "C" {
extern std::uint32_t __stack;         // top of RAM: the initial SP
extern std::uint32_t __data_start__;  // .data in RAM
extern std::uint32_t __data_end__;
extern std::uint32_t __data_load__;  // .data's initial values in flash
extern std::uint32_t __bss_start__;
extern std::uint32_t __bss_end__;
extern std::uint32_t __heap_end__;  // the heap stops where the stack region starts

extern void* __heap_limit;  // librdimon's _sbrk refuses to grow past this
void initialise_monitor_handles(void);
void __libc_init_array(void);
void __libc_fini_array(void);

// main, called under another name: C++ forbids calling ::main.
int vitte_app_main(int argc, char** argv) __asm__("main");

[[noreturn]] void vitte_reset_handler(void);
void vitte_systick_handler(void);
[[gnu::naked]] void vitte_fault_handler(void);
[[noreturn, gnu::used]] void vitte_fault_report(const std::uint32_t* frame, std::uint32_t exc_return);
}

namespace {

// ---------------------------------------------------------------------------
// System control space registers (ARMv7-M ARM, B3.2 and B3.3).
struct reg {
  std::uintptr_t address;
  volatile std::uint32_t& operator*() const noexcept { return *reinterpret_cast<volatile std::uint32_t*>(address); }
};

constexpr reg syst_csr{0xE000E010};   // SysTick control and status
constexpr reg syst_rvr{0xE000E014};   // SysTick reload value
constexpr reg syst_cvr{0xE000E018};   // SysTick current value
constexpr reg scb_ccr{0xE000ED14};    // configuration and control
constexpr reg scb_shpr3{0xE000ED20};  // priorities of PendSV, SysTick
constexpr reg scb_shcsr{0xE000ED24};  // system handler control and state
constexpr reg scb_cfsr{0xE000ED28};   // configurable fault status
constexpr reg scb_hfsr{0xE000ED2C};   // HardFault status
constexpr reg scb_mmfar{0xE000ED34};  // MemManage fault address
constexpr reg scb_bfar{0xE000ED38};   // BusFault fault address

constexpr std::uint32_t syst_csr_enable = 1u << 0;
constexpr std::uint32_t syst_csr_tickint = 1u << 1;
constexpr std::uint32_t syst_csr_clksource = 1u << 2;  // 1: the CPU clock
constexpr std::uint32_t syst_csr_countflag = 1u << 16;
constexpr std::uint32_t ccr_div_0_trp = 1u << 4;
constexpr std::uint32_t shcsr_fault_enables = (1u << 16) | (1u << 17) | (1u << 18);  // MemManage, BusFault, UsageFault

// ---------------------------------------------------------------------------
// Semihosting (ARM "Semihosting for AArch32 and AArch64", v2): BKPT 0xAB.
constexpr int sys_write0 = 0x04;
constexpr int sys_exit_extended = 0x20;
constexpr std::uint32_t adp_stopped_application_exit = 0x20026;
constexpr int fault_exit_status = 3;

int semihost(int op, const void* arg) noexcept {
  register int r0 __asm__("r0") = op;
  register const void* r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

// ---------------------------------------------------------------------------
// Interrupt masking (PRIMASK). The "memory" clobbers keep accesses to shared
// state inside the masked region.
std::uint32_t irq_save() noexcept {
  std::uint32_t primask;
  __asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask)::"memory");
  return primask;
}

void irq_restore(std::uint32_t primask) noexcept { __asm__ volatile("msr primask, %0" ::"r"(primask) : "memory"); }

// ---------------------------------------------------------------------------
// The tick source.

// SysTick period: 1 ms of the 25 MHz clock. Sleeps wake on this interrupt,
// so it bounds their overshoot; 1 kHz costs QEMU nothing noticeable.
//
// Under QEMU (without -icount) the counter value follows the host clock, but
// COUNTFLAG is set by a host timer callback; when QEMU's main loop runs late
// by more than a period it fires the missed expiries back to back, and the
// one-bit COUNTFLAG merges them: the clock stays monotonic but falls behind
// the host, measured at 2-7% with the guest busy-polling (up to 36% on a
// loaded host) and 1-4% while it sleeps. A longer period makes merging rarer
// (10 ms: under 1% in the same runs) at the cost of coarser wake-ups;
// -DVITTE_CM3_SYSTICK_CYCLES=250000 selects it. Real hardware takes the
// interrupt within cycles and loses nothing.
#ifndef VITTE_CM3_SYSTICK_CYCLES
#define VITTE_CM3_SYSTICK_CYCLES 25'000
#endif
constexpr std::uint32_t cycles_per_period = VITTE_CM3_SYSTICK_CYCLES;
static_assert(cycles_per_period - 1 <= 0x00FF'FFFFu, "SysTick's reload register has 24 bits");
static_assert(vitte::sys::board::ticks_per_second == 25'000'000, "the AN385's SYSCLK");

// CPU cycles at the start of the current SysTick period (one period per
// COUNTFLAG seen). Only touched with interrupts masked.
std::uint64_t period_base = 0;

// Consumes a pending period boundary; returns whether there was one.
// Interrupts must be masked.
bool consume_boundary() noexcept {
  if (!(*syst_csr & syst_csr_countflag)) return false;
  period_base += cycles_per_period;
  return true;
}

void systick_start() noexcept {
  *syst_csr = 0;
  *syst_rvr = cycles_per_period - 1;
  *syst_cvr = 0;              // any write zeroes the counter and COUNTFLAG
  *scb_shpr3 |= 0xFFu << 24;  // SysTick: the lowest priority
  *syst_csr = syst_csr_clksource | syst_csr_tickint | syst_csr_enable;
}

// ---------------------------------------------------------------------------
// The UARTs: CMSDK APB UART (Cortex-M System Design Kit TRM, ARM DDI 0479),
// one byte held each way.
constexpr std::uintptr_t uart_base[] = {0x40004000, 0x40005000, 0x40006000, 0x40007000, 0x40009000};
static_assert(sizeof uart_base / sizeof uart_base[0] == vitte::sys::board::uart_count, "one base per UART");

constexpr std::uintptr_t uart_data = 0x00;     // read: the byte received; write: a byte to send
constexpr std::uintptr_t uart_state = 0x04;    // TX full, RX full, overruns
constexpr std::uintptr_t uart_ctrl = 0x08;     // enables
constexpr std::uintptr_t uart_bauddiv = 0x10;  // PCLK / baud, 16 at least (20 bits)

constexpr std::uint32_t uart_state_tx_full = 1u << 0;
constexpr std::uint32_t uart_state_rx_full = 1u << 1;
constexpr std::uint32_t uart_ctrl_tx_enable = 1u << 0;
constexpr std::uint32_t uart_ctrl_rx_enable = 1u << 1;
constexpr std::uint32_t uart_bauddiv_min = 16;
constexpr std::uint32_t uart_bauddiv_max = 0xFFFFF;

constexpr std::uint32_t uart_clock_hz = 25'000'000;  // PCLK: SYSCLK on the AN385
constexpr std::uint32_t uart_reset_baud = 115'200;   // what board_devices assumes before serial_set

reg uart_reg(std::size_t port, std::uintptr_t offset) noexcept { return reg{uart_base[port] + offset}; }

// PCLK / baud, rounded to the nearest divider.
constexpr std::uint32_t uart_divider(std::uint32_t baud) noexcept { return (uart_clock_hz + baud / 2) / baud; }
static_assert(uart_divider(uart_reset_baud) == 217, "115200 baud: 25 MHz / 217 = 115207 baud");

void uarts_start() noexcept {
  for (std::size_t port = 0; port < vitte::sys::board::uart_count; ++port) {
    *uart_reg(port, uart_bauddiv) = uart_divider(uart_reset_baud);
    *uart_reg(port, uart_ctrl) = uart_ctrl_tx_enable | uart_ctrl_rx_enable;
  }
}

// ---------------------------------------------------------------------------
// Fault report: fixed text, no printf (the fault may be inside the C library).
struct line_buffer {
  char text[256] = {};
  std::size_t len = 0;

  void append(const char* s) noexcept {
    while (*s && len + 1 < sizeof text) text[len++] = *s++;
  }
  void append_hex(std::uint32_t v) noexcept {
    char digits[11] = "0x00000000";
    for (int i = 9; i >= 2; --i, v >>= 4) digits[i] = "0123456789abcdef"[v & 0xF];
    append(digits);
  }
  void append_dec(std::uint32_t v) noexcept {
    char digits[11];
    int n = 0;
    do {
      digits[n++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    char out[11];
    for (int i = 0; i < n; ++i) out[i] = digits[n - 1 - i];
    out[n] = '\0';
    append(out);
  }
  void flush() noexcept {
    text[len] = '\0';
    semihost(sys_write0, text);
    len = 0;
  }
};

const char* exception_name(std::uint32_t number) noexcept {
  switch (number) {
    case 2:
      return "NMI";
    case 3:
      return "HardFault";
    case 4:
      return "MemManage fault";
    case 5:
      return "BusFault";
    case 6:
      return "UsageFault";
    case 11:
      return "SVCall";
    case 12:
      return "DebugMonitor";
    case 14:
      return "PendSV";
    case 15:
      return "SysTick";
    default:
      return number >= 16 ? "unexpected interrupt" : "reserved exception";
  }
}

bool frame_readable(const std::uint32_t* frame) noexcept {
  auto a = reinterpret_cast<std::uintptr_t>(frame);
  return a % 4 == 0 && a >= 0x2000'0000u && a + 8 * sizeof(std::uint32_t) <= 0x2040'0000u;
}

}  // namespace

// ---------------------------------------------------------------------------
// The board.

std::uint64_t vitte::sys::board::ticks() noexcept {
  // A read is (period_base, CVR) taken between two CSR reads, with
  // interrupts masked so that nothing else consumes COUNTFLAG meanwhile:
  //   - no COUNTFLAG on the second CSR read: no boundary passed between the
  //     two reads, so every boundary before CVR was read is in period_base;
  //   - COUNTFLAG on the second read: a boundary passed around the CVR read,
  //     which may show either period; count it and read again.
  // CVR == 0 is ambiguous (architecturally the first cycle of a period; in
  // QEMU also the moment between a timer's expiry and its callback setting
  // COUNTFLAG), so read again; it lasts one cycle on hardware.
  for (;;) {
    std::uint32_t primask = irq_save();
    consume_boundary();
    std::uint32_t value = *syst_cvr;
    bool crossed = consume_boundary();
    std::uint64_t base = period_base;
    irq_restore(primask);
    if (!crossed && value != 0) return base + (cycles_per_period - value);
  }
}

void vitte::sys::board::idle() noexcept { __asm__ volatile("wfi" ::: "memory"); }

std::span<std::byte> vitte::sys::board::memory() noexcept {
  alignas(1024) static std::byte ram[64 * 1024];
  return ram;
}

bool vitte::sys::board::uart_put(std::size_t port, std::byte b) noexcept {
  if (*uart_reg(port, uart_state) & uart_state_tx_full) return false;
  *uart_reg(port, uart_data) = static_cast<std::uint32_t>(b);
  return true;
}

bool vitte::sys::board::uart_get(std::size_t port, std::byte& b) noexcept {
  if (!(*uart_reg(port, uart_state) & uart_state_rx_full)) return false;
  b = static_cast<std::byte>(*uart_reg(port, uart_data) & 0xFFu);
  return true;
}

bool vitte::sys::board::uart_configure(std::size_t port, std::uint32_t baud) noexcept {
  if (baud == 0 || baud > uart_clock_hz / uart_bauddiv_min) return false;
  std::uint32_t divider = uart_divider(baud);
  if (divider < uart_bauddiv_min || divider > uart_bauddiv_max) return false;
  std::uint32_t actual = uart_clock_hz / divider;
  std::uint32_t off = actual > baud ? actual - baud : baud - actual;
  if (static_cast<std::uint64_t>(off) * 50 > baud) return false;  // more than 2%
  while (!uart_tx_done(port)) {
  }  // a new divider would garble the byte being sent
  *uart_reg(port, uart_bauddiv) = divider;
  return true;
}

bool vitte::sys::board::uart_tx_done(std::size_t port) noexcept {
  return !(*uart_reg(port, uart_state) & uart_state_tx_full);
}

const char* vitte::sys::board::uart_description(std::size_t port) noexcept {
  static constexpr const char* names[] = {
      "CMSDK APB UART0 at 0x40004000", "CMSDK APB UART1 at 0x40005000", "CMSDK APB UART2 at 0x40006000",
      "CMSDK APB UART3 at 0x40007000", "CMSDK APB UART4 at 0x40009000",
  };
  static_assert(sizeof names / sizeof names[0] == uart_count, "one description per UART");
  return port < uart_count ? names[port] : nullptr;
}

// ---------------------------------------------------------------------------
// Exception handlers.

void vitte_systick_handler(void) {
  std::uint32_t primask = irq_save();  // a higher-priority reader must not interleave
  consume_boundary();
  irq_restore(primask);
}

// Passes the stacked frame (MSP or PSP, per EXC_RETURN bit 2) to the report.
void vitte_fault_handler(void) {
  __asm__ volatile(
      "tst lr, #4\n\t"
      "ite eq\n\t"
      "mrseq r0, msp\n\t"
      "mrsne r0, psp\n\t"
      "mov r1, lr\n\t"
      "b vitte_fault_report\n\t");
}

void vitte_fault_report(const std::uint32_t* frame, std::uint32_t exc_return) {
  std::uint32_t ipsr;
  __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
  ipsr &= 0x1FF;

  line_buffer out;
  out.append("\n*** cortex-m3: ");
  out.append(exception_name(ipsr));
  out.append(" (exception ");
  out.append_dec(ipsr);
  out.append(")\n");
  out.flush();
  if (frame_readable(frame)) {
    out.append("    pc ");
    out.append_hex(frame[6]);
    out.append("  lr ");
    out.append_hex(frame[5]);
    out.append("  xpsr ");
    out.append_hex(frame[7]);
    out.append("  r0 ");
    out.append_hex(frame[0]);
    out.append("  sp ");
    out.append_hex(static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(frame)));
    out.append("\n");
  } else {
    out.append("    (stacked frame unreadable: sp ");
    out.append_hex(static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(frame)));
    out.append(")\n");
  }
  out.flush();
  out.append("    cfsr ");
  out.append_hex(*scb_cfsr);
  out.append("  hfsr ");
  out.append_hex(*scb_hfsr);
  out.append("  mmfar ");
  out.append_hex(*scb_mmfar);
  out.append("  bfar ");
  out.append_hex(*scb_bfar);
  out.append("  exc_return ");
  out.append_hex(exc_return);
  out.append("\n");
  out.flush();

  const std::uint32_t block[2] = {adp_stopped_application_exit, static_cast<std::uint32_t>(fault_exit_status)};
  semihost(sys_exit_extended, block);
  for (;;) __asm__ volatile("bkpt 0");  // not reached under QEMU
}

// ---------------------------------------------------------------------------
// Reset.

void vitte_reset_handler(void) {
  // Plain loops: nothing the C library may need has been set up yet.
  const std::uint32_t* src = &__data_load__;
  for (std::uint32_t* dst = &__data_start__; dst < &__data_end__;) *dst++ = *src++;
  for (std::uint32_t* dst = &__bss_start__; dst < &__bss_end__;) *dst++ = 0;

  __heap_limit = &__heap_end__;
  *scb_shcsr |= shcsr_fault_enables;  // report faults by their own name
  *scb_ccr |= ccr_div_0_trp;          // integer division by zero faults

  initialise_monitor_handles();
  systick_start();
  uarts_start();
  std::atexit(__libc_fini_array);
  __libc_init_array();  // C++ static constructors
  static char program_name[] = "test";
  static char* argv[] = {program_name, nullptr};  // argv[argc] must be null
  std::exit(vitte_app_main(1, argv));
}

// ---------------------------------------------------------------------------
// The vector table (ARMv7-M ARM, B1.5.3): initial SP, then the handlers of
// exceptions 1-15, then the AN385's 32 external interrupts.
namespace {
using handler = void (*)();
constexpr std::size_t external_interrupts = 32;

struct vector_table {
  void* initial_sp;
  handler exceptions[15];
  handler interrupts[external_interrupts];
};

// clang-format off
[[gnu::used, gnu::section(".vectors")]] const vector_table vectors = {
  &__stack,
  {
    vitte_reset_handler,    //  1 Reset
    vitte_fault_handler,    //  2 NMI
    vitte_fault_handler,    //  3 HardFault
    vitte_fault_handler,    //  4 MemManage
    vitte_fault_handler,    //  5 BusFault
    vitte_fault_handler,    //  6 UsageFault
    nullptr,                //  7 reserved
    nullptr,                //  8 reserved
    nullptr,                //  9 reserved
    nullptr,                // 10 reserved
    vitte_fault_handler,    // 11 SVCall (unused: reported)
    vitte_fault_handler,    // 12 DebugMonitor
    nullptr,                // 13 reserved
    vitte_fault_handler,    // 14 PendSV (unused: reported)
    vitte_systick_handler,  // 15 SysTick
  },
  {
    vitte_fault_handler, vitte_fault_handler, vitte_fault_handler, vitte_fault_handler,
    vitte_fault_handler, vitte_fault_handler, vitte_fault_handler, vitte_fault_handler,
    vitte_fault_handler, vitte_fault_handler, vitte_fault_handler, vitte_fault_handler,
    vitte_fault_handler, vitte_fault_handler, vitte_fault_handler, vitte_fault_handler,
    vitte_fault_handler, vitte_fault_handler, vitte_fault_handler, vitte_fault_handler,
    vitte_fault_handler, vitte_fault_handler, vitte_fault_handler, vitte_fault_handler,
    vitte_fault_handler, vitte_fault_handler, vitte_fault_handler, vitte_fault_handler,
    vitte_fault_handler, vitte_fault_handler, vitte_fault_handler, vitte_fault_handler,
  },
};
// clang-format on
static_assert(sizeof(vector_table) == (16 + external_interrupts) * 4, "one word per vector");
}  // namespace
