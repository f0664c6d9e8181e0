// Console control events of win32_platform as signal events: a handler
// registered with SetConsoleCtrlHandler records the event in each watch's
// pending mask and sets the watch's manual-reset event (its native handle).
// Reached through vitte/sys/detail/signal.ipp.
#ifndef VITTE_SYS_DETAIL_WIN32_SIGNAL_IPP
#define VITTE_SYS_DETAIL_WIN32_SIGNAL_IPP

#include <vitte/base/detail/atomic.hpp>
#include <vitte/base/detail/win32/windows.hpp>
#include <vitte/sys/detail/win32/last_error.hpp>
#include <vitte/sys/detail/win32/platform.ipp>  // wait_ms, ms_until
#include <vitte/sys/policy/win32.hpp>

#if !VITTE_OS_WINDOWS
#error "vitte: detail/win32/signal.ipp is for Windows targets"
#endif

namespace vitte::sys::detail::win32_signal {

struct watch_slot {
  vitte::detail::atomic<std::uintptr_t> event{0};
  vitte::detail::atomic<std::uint32_t> mask{0};
  vitte::detail::atomic<std::uint32_t> pending{0};
};
constexpr std::size_t max_watches = 8;
struct state {
  watch_slot slots[max_watches];
  SRWLOCK lock = SRWLOCK_INIT;
  int users = 0;
};
inline state& global() noexcept {
  static state s;
  return s;
}

inline int kind_of(DWORD type) noexcept {
  switch (type) {
    case CTRL_C_EVENT:
    case CTRL_BREAK_EVENT:
      return static_cast<int>(signal_kind::interrupt);
    case CTRL_CLOSE_EVENT:
      return static_cast<int>(signal_kind::hangup);
    case CTRL_LOGOFF_EVENT:
    case CTRL_SHUTDOWN_EVENT:
      return static_cast<int>(signal_kind::terminate);
    default:
      return -1;
  }
}

// Runs on a thread the system creates for the event.
inline BOOL WINAPI on_control(DWORD type) noexcept {
  int k = kind_of(type);
  if (k < 0) return FALSE;
  BOOL handled = FALSE;
  for (watch_slot& s : global().slots) {
    std::uintptr_t ev = s.event.load(vitte::detail::acquire);
    if (ev == 0 || (s.mask.load() & (1u << k)) == 0) continue;
    s.pending.fetch_or(1u << k);
    ::SetEvent(reinterpret_cast<HANDLE>(ev));
    handled = TRUE;
  }
  return handled;
}

inline watch_slot* find(native_handle h) noexcept {
  for (watch_slot& s : global().slots)
    if (s.event.load() == static_cast<std::uintptr_t>(h)) return &s;
  return nullptr;
}

}  // namespace vitte::sys::detail::win32_signal

namespace vitte::sys {

VITTE_DECL result<native_handle> os_platform_base::signal_open(std::uint32_t mask) noexcept {
  namespace d = detail::win32_signal;
  if ((mask & signal_bit(signal_kind::child)) != 0) return error{errc::not_supported, ops::signal_watch};
  HANDLE ev = ::CreateEventW(nullptr, TRUE, FALSE, nullptr);
  if (ev == nullptr) return make_error(errc::no_memory, ops::signal_watch);
  ::AcquireSRWLockExclusive(&d::global().lock);
  d::watch_slot* slot = nullptr;
  for (d::watch_slot& s : d::global().slots)
    if (s.event.load() == 0) {
      slot = &s;
      break;
    }
  if (slot == nullptr) {
    ::ReleaseSRWLockExclusive(&d::global().lock);
    ::CloseHandle(ev);
    return error{errc::limit_exceeded, ops::signal_watch};
  }
  slot->mask.store(mask);
  slot->pending.store(0);
  slot->event.store(reinterpret_cast<std::uintptr_t>(ev), vitte::detail::release);
  if (d::global().users++ == 0) ::SetConsoleCtrlHandler(&d::on_control, TRUE);
  ::ReleaseSRWLockExclusive(&d::global().lock);
  return reinterpret_cast<native_handle>(ev);
}

VITTE_DECL result<signal_kind> os_platform_base::signal_read(native_handle h) noexcept {
  namespace d = detail::win32_signal;
  d::watch_slot* s = d::find(h);
  if (s == nullptr) return error{errc::bad_descriptor, ops::signal_watch};
  ::ResetEvent(reinterpret_cast<HANDLE>(h));  // before taking: a later event sets it again
  std::uint32_t bits = s->pending.load();
  while (bits != 0) {
    std::uint32_t lowest = bits & (~bits + 1);
    if (!s->pending.compare_exchange(bits, bits & ~lowest)) continue;
    if ((bits & ~lowest) != 0) ::SetEvent(reinterpret_cast<HANDLE>(h));
    return static_cast<signal_kind>(__builtin_ctz(lowest));
  }
  return error{errc::would_block, ops::signal_watch};
}

VITTE_DECL error os_platform_base::signal_wait(native_handle h, std::int64_t deadline_ns) noexcept {
  DWORD r = ::WaitForSingleObject(reinterpret_cast<HANDLE>(h), detail::win32::wait_ms(deadline_ns));
  if (r == WAIT_OBJECT_0) return {};
  if (r == WAIT_TIMEOUT) return error{errc::timed_out, ops::signal_watch};
  return detail::last_error(ops::signal_watch);
}

VITTE_DECL void os_platform_base::signal_close(native_handle h, std::uint32_t) noexcept {
  namespace d = detail::win32_signal;
  ::AcquireSRWLockExclusive(&d::global().lock);
  if (d::watch_slot* s = d::find(h)) {
    s->event.store(0);
    s->mask.store(0);
    if (--d::global().users == 0) ::SetConsoleCtrlHandler(&d::on_control, FALSE);
    ::CloseHandle(reinterpret_cast<HANDLE>(h));
  }
  ::ReleaseSRWLockExclusive(&d::global().lock);
}

VITTE_DECL error os_platform_base::signal_block(std::uint32_t, bool) noexcept {
  return error{errc::not_supported, ops::signal_mask};
}

// GenerateConsoleCtrlEvent would reach every process on the console:
// interrupt and terminate are delivered to this process's own handler
// list only (the watch sees them as from the console).
VITTE_DECL error os_platform_base::signal_raise(signal_kind kind) noexcept {
  namespace d = detail::win32_signal;
  DWORD type = CTRL_C_EVENT;
  switch (kind) {
    case signal_kind::interrupt:
      type = CTRL_C_EVENT;
      break;
    case signal_kind::terminate:
      type = CTRL_SHUTDOWN_EVENT;
      break;
    case signal_kind::hangup:
      type = CTRL_CLOSE_EVENT;
      break;
    case signal_kind::child:
      return error{errc::not_supported, ops::signal_watch};
  }
  (void)d::on_control(type);
  return {};
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_WIN32_SIGNAL_IPP
