// Console modes, window sizes and window-size watches of os_devices on
// Windows: raw console input recorded process-wide (restored at exit() and
// on close, logoff and shutdown), GetConsoleScreenBufferInfo, and a thread
// that watches the window and signals a socket the poller can wait on.
// Reached through the switch vitte/sys/detail/devices.ipp.
#ifndef VITTE_SYS_DETAIL_WIN32_CONSOLE_MODE_IPP
#define VITTE_SYS_DETAIL_WIN32_CONSOLE_MODE_IPP

#include <vitte/base/detail/atomic.hpp>
#include <vitte/base/detail/win32/windows.hpp>
#include <vitte/sys/detail/win32/device_records.hpp>
#include <vitte/sys/detail/win32/poller.ipp>  // the wake socket a resize watch is
#include <vitte/sys/detail/win32/thread.ipp>  // the watching thread
#include <vitte/sys/policy/devices.hpp>

#include <cstdlib>  // atexit

#if !VITTE_OS_WINDOWS
#error "vitte: detail/win32/console_mode.ipp is for Windows targets"
#endif

namespace vitte::sys::detail::win32_devices {

// --- console modes -------------------------------------------------------------------

// Process-wide records of consoles in raw mode, restored at exit() and on
// the console control events that always end the process (close, logoff,
// shutdown), the latest first (a console made raw twice gets its first
// mode back). Not on Ctrl+C and Ctrl+Break: a handler of the program may
// take those and go on, raw; in raw mode Ctrl+C is a byte anyway. A slot is claimed (state 1), filled, then
// published (2); the hooks only read published slots.
struct raw_slot {
  vitte::detail::atomic<int> state{0};
  unsigned order = 0;
  HANDLE h = nullptr;
  DWORD saved = 0;
};
inline raw_slot raw_slots[8];
inline vitte::detail::atomic<unsigned> raw_order{0};
inline vitte::detail::atomic<int> raw_hooks_installed{0};

// How a saved_terminal_mode holds the mode and the slot that records it.
struct saved_layout {
  DWORD mode;
  int slot;
};
static_assert(sizeof(saved_layout) <= sizeof(saved_terminal_mode::bytes), "saved_terminal_mode too small");

inline void restore_all_raw() noexcept {
  unsigned done_above = ~0u;  // in decreasing order
  for (;;) {
    raw_slot* next = nullptr;
    for (raw_slot& s : raw_slots)
      if (s.state.load(vitte::detail::acquire) == 2 && s.order < done_above &&
          (next == nullptr || s.order > next->order))
        next = &s;
    if (next == nullptr) return;
    done_above = next->order;
    DWORD now = 0;
    if (::GetConsoleMode(next->h, &now)) ::SetConsoleMode(next->h, next->saved);  // still a console
  }
}

// Restores, then lets the next handler act.
inline BOOL WINAPI restore_on_control(DWORD event) noexcept {
  if (event == CTRL_CLOSE_EVENT || event == CTRL_LOGOFF_EVENT || event == CTRL_SHUTDOWN_EVENT) restore_all_raw();
  return FALSE;
}

inline void install_raw_hooks() noexcept {
  int expected = 0;
  if (!raw_hooks_installed.compare_exchange(expected, 1, vitte::detail::acq_rel, vitte::detail::acquire)) return;
  std::atexit([] { restore_all_raw(); });
  ::SetConsoleCtrlHandler(restore_on_control, TRUE);
}

// An input console handle has an input queue.
inline bool is_console_input(HANDLE h) noexcept {
  DWORD events = 0;
  return ::GetNumberOfConsoleInputEvents(h, &events) != 0;
}

// The visible window of the console output `h`, or of this process's
// console when `h` is its input.
inline bool console_window(HANDLE h, terminal_size& out) noexcept {
  CONSOLE_SCREEN_BUFFER_INFO info;
  BOOL ok = ::GetConsoleScreenBufferInfo(h, &info);
  if (!ok && is_console_input(h)) {
    HANDLE screen = ::CreateFileW(L"CONOUT$", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                                  OPEN_EXISTING, 0, nullptr);
    if (screen == INVALID_HANDLE_VALUE) return false;
    ok = ::GetConsoleScreenBufferInfo(screen, &info);
    ::CloseHandle(screen);
  }
  if (!ok) return false;
  out = terminal_size{static_cast<std::uint16_t>(info.srWindow.Bottom - info.srWindow.Top + 1),
                      static_cast<std::uint16_t>(info.srWindow.Right - info.srWindow.Left + 1), 0, 0};
  return true;
}

// --- resize watches ------------------------------------------------------------------

// The thread of a watch: Windows tells only a console's own input reader
// about window changes (WINDOW_BUFFER_SIZE_EVENT records, which a watch
// must not consume), so it compares the window of CONOUT$ ten times a
// second and sends a byte to the watch's socket when it changed.
inline void watch_window(void* start) noexcept {
  watch& w = *reinterpret_cast<watch*>(start);
  HANDLE screen = INVALID_HANDLE_VALUE;
  terminal_size last{0, 0, 0, 0};
  bool first = true;
  do {
    if (screen == INVALID_HANDLE_VALUE)
      screen = ::CreateFileW(L"CONOUT$", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                             OPEN_EXISTING, 0, nullptr);
    terminal_size now{0, 0, 0, 0};
    if (screen != INVALID_HANDLE_VALUE) (void)console_window(screen, now);
    if (!first && now != last) {
      const char one = 1;
      ::send(w.socket, &one, 1, 0);
    }
    first = false;
    last = now;
  } while (::WaitForSingleObject(w.stop, slice_ms) == WAIT_TIMEOUT);
  if (screen != INVALID_HANDLE_VALUE) ::CloseHandle(screen);
}

}  // namespace vitte::sys::detail::win32_devices

namespace vitte::sys {

// A pseudo console (its output end or its HPCON): the size last set, as
// consoles keep no size their host can ask for. A console: its window
// (GetConsoleScreenBufferInfo).
VITTE_DECL error os_devices::terminal_size_get(native_handle h, terminal_size& out) noexcept {
  namespace d = detail::win32_devices;
  if (h == invalid_handle) return error{errc::bad_descriptor, dev_ops::terminal_size};
  {
    d::shared_lock held;
    if (d::pty* p = d::find_pty_locked(reinterpret_cast<void*>(h), d::as_handle(h))) {
      out = p->size;
      return {};
    }
  }
  if (d::console_window(d::as_handle(h), out)) return {};
  DWORD code = ::GetLastError();
  return error{errc::invalid_argument, dev_ops::terminal_size, static_cast<int>(code), error_domain::win32};
}

VITTE_DECL error os_devices::terminal_mode_save(native_handle h, saved_terminal_mode& out) noexcept {
  detail::win32_devices::saved_layout layout = {0, -1};
  if (h == invalid_handle || !::GetConsoleMode(detail::win32_devices::as_handle(h), &layout.mode)) {
    DWORD code = ::GetLastError();
    return error{errc::invalid_argument, dev_ops::terminal_mode, static_cast<int>(code), error_domain::win32};
  }
  std::memcpy(out.bytes, &layout, sizeof layout);
  out.valid = true;
  return {};
}

// Records the mode saved in `saved` in a free slot (restored at exit and
// on console control events; the slot's number goes back into `saved`),
// then: input without line editing, echo and processed keys (^C arrives
// as a byte), with virtual-terminal input where Windows has it (10 1511
// on); output with virtual-terminal processing and no CR added to LF
// where it has them.
VITTE_DECL error os_devices::terminal_mode_raw(native_handle h, saved_terminal_mode& saved) noexcept {
  namespace d = detail::win32_devices;
  HANDLE con = d::as_handle(h);
  DWORD now = 0;
  if (!saved.valid || h == invalid_handle || !::GetConsoleMode(con, &now)) {
    DWORD code = ::GetLastError();
    return error{errc::invalid_argument, dev_ops::terminal_mode, static_cast<int>(code), error_domain::win32};
  }
  d::saved_layout layout;
  std::memcpy(&layout, saved.bytes, sizeof layout);
  int index = -1;
  for (int i = 0; i < 8 && index < 0; ++i) {
    int expected = 0;
    if (d::raw_slots[i].state.compare_exchange(expected, 1, vitte::detail::acq_rel, vitte::detail::acquire)) index = i;
  }
  if (index < 0) return error{errc::limit_exceeded, dev_ops::terminal_mode};
  d::raw_slot& slot = d::raw_slots[index];
  slot.order = d::raw_order.fetch_add(1, vitte::detail::acq_rel);
  slot.h = con;
  slot.saved = layout.mode;
  slot.state.store(2, vitte::detail::release);
  d::install_raw_hooks();
  layout.slot = index;
  std::memcpy(saved.bytes, &layout, sizeof layout);
  DWORD mode = layout.mode;
  bool input = d::is_console_input(con);
  DWORD raw = input ? (mode & ~static_cast<DWORD>(ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT | ENABLE_PROCESSED_INPUT)) |
                          d::enable_virtual_terminal_input
                    : mode | d::enable_virtual_terminal_processing | d::disable_newline_auto_return;
  // An input console without virtual-terminal input is still raw without
  // it; an output console without virtual-terminal processing is not.
  if (::SetConsoleMode(con, raw) || (input && ::SetConsoleMode(con, raw & ~d::enable_virtual_terminal_input)))
    return {};
  DWORD code = ::GetLastError();
  slot.state.store(0, vitte::detail::release);
  if (!input) return error{errc::not_supported, dev_ops::terminal_mode, static_cast<int>(code), error_domain::win32};
  return detail::last_error(dev_ops::terminal_mode, code);
}

VITTE_DECL error os_devices::terminal_mode_restore(native_handle h, const saved_terminal_mode& mode) noexcept {
  namespace d = detail::win32_devices;
  if (!mode.valid) return error{errc::invalid_argument, dev_ops::terminal_mode};
  d::saved_layout layout;
  std::memcpy(&layout, mode.bytes, sizeof layout);
  // Restored first, then the record dropped: a console event in between
  // still finds it.
  BOOL ok = ::SetConsoleMode(d::as_handle(h), layout.mode);
  DWORD code = ::GetLastError();
  if (layout.slot >= 0 && layout.slot < 8) d::raw_slots[layout.slot].state.store(0, vitte::detail::release);
  if (!ok) return detail::last_error(dev_ops::terminal_mode, code);
  return {};
}

// A UDP socket connected to itself (the poller's wake socket, so a poller
// can watch it), written by a thread that compares the console's window
// ten times a second (see watch_window).
VITTE_DECL error os_devices::resize_watch_open(native_handle& out) noexcept {
  namespace d = detail::win32_devices;
  auto as_watch_error = [](const error& e) { return error{e.kind(), dev_ops::resize_watch, e.native(), e.domain()}; };
  if (error e = detail::win32_net::startup()) return as_watch_error(e);
  result<SOCKET> s = detail::win32_poll::open_wake_socket();
  if (!s) return as_watch_error(s.error());
  auto* w = new (std::nothrow) d::watch;
  error e;
  if (w == nullptr) e = error{errc::no_memory, dev_ops::resize_watch};
  if (!e) {
    w->run = d::watch_window;
    w->socket = *s;
    w->stop = ::CreateEventW(nullptr, TRUE, FALSE, nullptr);
    if (w->stop == nullptr) e = detail::last_error(dev_ops::resize_watch);
  }
  if (!e)
    if (error t = thread_create(w->thread, &w->run, 64 * 1024)) e = as_watch_error(t);
  if (e) {
    if (w != nullptr && w->stop != nullptr) ::CloseHandle(w->stop);
    delete w;
    ::closesocket(*s);
    return e;
  }
  {
    d::exclusive_lock held;
    w->next = d::global().watches;
    d::global().watches = w;
  }
  out = static_cast<native_handle>(*s);
  return {};
}

VITTE_DECL void os_devices::resize_watch_close(native_handle h) noexcept {
  namespace d = detail::win32_devices;
  d::watch* w = nullptr;
  {
    d::exclusive_lock held;
    for (d::watch** p = &d::global().watches; *p != nullptr; p = &(*p)->next) {
      if ((*p)->socket != static_cast<SOCKET>(h)) continue;
      w = *p;
      *p = w->next;
      break;
    }
  }
  if (w == nullptr) return;
  ::SetEvent(w->stop);
  (void)thread_join(w->thread);
  ::CloseHandle(w->stop);
  ::closesocket(w->socket);
  delete w;
}

VITTE_DECL bool os_devices::resize_watch_take(native_handle h) noexcept {
  char buf[64];
  bool any = false;
  while (::recv(static_cast<SOCKET>(h), buf, sizeof buf, 0) > 0) any = true;
  return any;
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_WIN32_CONSOLE_MODE_IPP
