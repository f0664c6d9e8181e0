// What the Windows device backends share (serial.ipp, pseudo_console.ipp,
// console_mode.ipp): the records of the handles they give out, and the
// reads, writes and waits on them.
//
// Windows has no non-blocking comm or pipe handle, so each handle that
// device_open or pty_open returns has a record here (looked up by handle):
//   reads    take what the driver says has arrived (ClearCommError's
//            cbInQue on a port, PeekNamedPipe on a pipe), so that no read
//            is ever left pending. (A port's COMMTIMEOUTS also ask for
//            reads that return at once, ReadIntervalTimeout = MAXDWORD,
//            but Wine keeps such an overlapped read pending.) Nothing there
//            is errc::would_block; a broken pipe reads 0 (the end).
//   writes   are copied (up to write_chunk bytes) into the record and
//            written overlapped: the record is this handle's output buffer,
//            as the kernel's is on POSIX. A second write while the first
//            runs is errc::would_block; device_wait(for_write) waits for it.
//            A failure of a write in flight is reported by the next write
//            or drain. Closing waits a while for it (about the time its
//            bytes take at the port's rate, plus a second), then cancels.
//   waits    for reading: WaitCommEvent(EV_RXCHAR) on a port, a zero-byte
//            overlapped ReadFile on a pipe (it ends when data arrives),
//            each bounded to 100 ms slices and re-checked, with short
//            sleeps where the driver cannot wait (Wine's ports on
//            pseudo-terminals end WaitCommEvent at once: no modem lines).
#ifndef VITTE_SYS_DETAIL_WIN32_DEVICE_RECORDS_HPP
#define VITTE_SYS_DETAIL_WIN32_DEVICE_RECORDS_HPP

#include <vitte/base/detail/atomic.hpp>
#include <vitte/base/detail/win32/windows.hpp>
#include <vitte/sys/detail/win32/last_error.hpp>
#include <vitte/sys/detail/win32/platform.ipp>  // ms_until, wait_ms
#include <vitte/sys/detail/win32/winsock.hpp>   // SOCKET: a resize watch is a socket
#include <vitte/sys/device_capabilities.hpp>

#include <new>  // std::nothrow

#if !VITTE_OS_WINDOWS
#error "vitte: detail/win32/device_records.hpp is for Windows targets"
#endif

namespace vitte::sys::detail::win32_devices {

// Console modes and an attribute the SDK defines only for newer targets
// (_WIN32_WINNT >= 0x0A00).
constexpr DWORD enable_virtual_terminal_processing = 0x0004;  // ENABLE_VIRTUAL_TERMINAL_PROCESSING
constexpr DWORD disable_newline_auto_return = 0x0008;         // DISABLE_NEWLINE_AUTO_RETURN
constexpr DWORD enable_virtual_terminal_input = 0x0200;       // ENABLE_VIRTUAL_TERMINAL_INPUT
constexpr DWORD_PTR attribute_pseudoconsole = 0x00020016;     // PROC_THREAD_ATTRIBUTE_PSEUDOCONSOLE
// IOCTL_SERIAL_GET_DTRRTS (ntddser.h): CTL_CODE(FILE_DEVICE_SERIAL_PORT, 30,
// METHOD_BUFFERED, FILE_ANY_ACCESS), and its two bits.
constexpr DWORD ioctl_serial_get_dtrrts = 0x001B0078;
constexpr DWORD serial_dtr_state = 0x1;
constexpr DWORD serial_rts_state = 0x2;

constexpr DWORD write_chunk = 16 * 1024;  // what one device_write takes at most
constexpr DWORD slice_ms = 100;           // the longest single wait before re-checking
constexpr DWORD poll_ms = 10;             // the sleep where a driver cannot wait
constexpr std::size_t max_children = 16;  // session children a pty waits for before closing

inline HANDLE as_handle(native_handle h) noexcept { return reinterpret_cast<HANDLE>(h); }

// --- the records of open handles --------------------------------------------------

struct device {
  HANDLE h = nullptr;
  bool comm = false;  // a comm port; else our end of a pipe
  bool dtr = false;   // the outputs as last set (comm)
  bool rts = false;
  HANDLE wait_event = nullptr;   // the reader's: reads, WaitCommEvent, zero-byte reads
  HANDLE write_event = nullptr;  // the writer's: the write in flight
  OVERLAPPED write_ov = {};
  unsigned char* write_buf = nullptr;  // write_chunk bytes, the kernel's while a write runs
  DWORD write_len = 0;
  bool writing = false;
  error write_failure;  // how a write in flight failed, for the next call
  device* next = nullptr;
};

struct pty {
  void (*run)(void*) = nullptr;  // first: the closer thread's entry (thread_create's convention)
  void* console = nullptr;       // the HPCON
  HANDLE input = nullptr;        // our ends
  HANDLE output = nullptr;
  terminal_size size;
  bool console_open = true;  // under the registry's lock
  HANDLE children[max_children] = {};
  std::size_t child_count = 0;
  HANDLE stop = nullptr;      // tells the closer thread to close now
  std::uintptr_t closer = 0;  // the thread close_terminal started
  pty* next = nullptr;
};

struct watch {
  void (*run)(void*) = nullptr;  // first: the thread's entry
  SOCKET socket = INVALID_SOCKET;
  HANDLE stop = nullptr;
  std::uintptr_t thread = 0;
  watch* next = nullptr;
};

struct registry {
  SRWLOCK lock = SRWLOCK_INIT;
  device* devices = nullptr;
  pty* ptys = nullptr;
  watch* watches = nullptr;
};

inline registry& global() noexcept {
  static registry r;
  return r;
}

struct shared_lock {
  shared_lock() noexcept { ::AcquireSRWLockShared(&global().lock); }
  ~shared_lock() { ::ReleaseSRWLockShared(&global().lock); }
  shared_lock(const shared_lock&) = delete;
  shared_lock& operator=(const shared_lock&) = delete;
};

struct exclusive_lock {
  exclusive_lock() noexcept { ::AcquireSRWLockExclusive(&global().lock); }
  ~exclusive_lock() { ::ReleaseSRWLockExclusive(&global().lock); }
  exclusive_lock(const exclusive_lock&) = delete;
  exclusive_lock& operator=(const exclusive_lock&) = delete;
};

inline device* find_device(HANDLE h) noexcept {
  shared_lock held;
  device* d = global().devices;
  while (d != nullptr && d->h != h) d = d->next;
  return d;
}

inline void free_device(device* d) noexcept {
  if (d->wait_event != nullptr) ::CloseHandle(d->wait_event);
  if (d->write_event != nullptr) ::CloseHandle(d->write_event);
  delete[] d->write_buf;
  delete d;
}

inline error add_device(HANDLE h, bool comm, operation op, device** out = nullptr) noexcept {
  auto* d = new (std::nothrow) device;
  if (d == nullptr) return error{errc::no_memory, op};
  d->h = h;
  d->comm = comm;
  d->wait_event = ::CreateEventW(nullptr, TRUE, FALSE, nullptr);
  d->write_event = ::CreateEventW(nullptr, TRUE, FALSE, nullptr);
  if (d->wait_event == nullptr || d->write_event == nullptr) {
    error e = last_error(op);
    free_device(d);
    return e;
  }
  exclusive_lock held;
  d->next = global().devices;
  global().devices = d;
  if (out != nullptr) *out = d;
  return {};
}

inline device* take_device(HANDLE h) noexcept {
  exclusive_lock held;
  for (device** p = &global().devices; *p != nullptr; p = &(*p)->next) {
    if ((*p)->h != h) continue;
    device* d = *p;
    *p = d->next;
    return d;
  }
  return nullptr;
}

// Waits for `event` until the deadline but slice_ms at most: true when it
// was set. Callers loop, re-checking their condition and the deadline
// (which also covers a wait the timer's rounding ended early).
inline bool wait_slice(HANDLE event, std::int64_t deadline_ns) noexcept {
  DWORD ms = win32::wait_ms(deadline_ns);
  return ::WaitForSingleObject(event, ms < slice_ms ? ms : slice_ms) == WAIT_OBJECT_0;
}

// Sleeps `ms` at most, never past the deadline.
inline void nap(std::int64_t deadline_ns, DWORD ms) noexcept {
  DWORD left = win32::wait_ms(deadline_ns);
  ::Sleep(left < ms ? left : ms);
}

// --- writes in flight --------------------------------------------------------------

// Writes the first `len` bytes of the record's buffer, overlapped.
inline error start_write(device& d, DWORD len) noexcept {
  d.write_ov = OVERLAPPED{};
  d.write_ov.hEvent = d.write_event;
  d.write_len = len;
  if (::WriteFile(d.h, d.write_buf, len, nullptr, &d.write_ov) || ::GetLastError() == ERROR_IO_PENDING) {
    d.writing = true;  // done or not, the event is set when it is
    return {};
  }
  d.writing = false;
  return last_error(dev_ops::device_write);
}

// Collects the write in flight once it has ended, waiting up to `ms`:
// false while it runs. A short write goes on with the rest; a cancelled
// one (flush, close) is forgotten; a failed one, or one that wrote nothing
// (no write timeout is set: a driver's fault), is kept in write_failure.
inline bool settle_write(device& d, DWORD ms) noexcept {
  while (d.writing) {
    if (::WaitForSingleObject(d.write_event, ms) != WAIT_OBJECT_0) return false;
    DWORD done = 0;
    d.writing = false;
    if (!::GetOverlappedResult(d.h, &d.write_ov, &done, FALSE)) {
      DWORD code = ::GetLastError();
      if (code != ERROR_OPERATION_ABORTED) d.write_failure = last_error(dev_ops::device_write, code);
      return true;
    }
    DWORD total = d.write_len;
    if (done >= total) return true;
    if (done == 0) {
      d.write_failure = error{errc::io_error, dev_ops::device_write};
      return true;
    }
    std::memmove(d.write_buf, d.write_buf + done, total - done);
    if (error e = start_write(d, total - done)) {
      d.write_failure = e;
      return true;
    }
  }
  return true;
}

// Before closing: lets the write in flight end for about the time its bytes
// take (a comm port at its rate, 11 bits a byte), plus a second; then
// cancels it so that the buffer is ours again.
inline void finish_write(device& d) noexcept {
  if (!d.writing) return;
  DWORD ms = 1000;
  DCB dcb = {};
  dcb.DCBlength = sizeof dcb;
  if (d.comm && ::GetCommState(d.h, &dcb) && dcb.BaudRate > 0) {
    std::uint64_t need = std::uint64_t{d.write_len} * 11 * 1000 / dcb.BaudRate;
    ms += need > 60'000 ? 60'000 : static_cast<DWORD>(need);
  }
  if (settle_write(d, ms)) return;
  ::CancelIoEx(d.h, &d.write_ov);
  DWORD done = 0;
  ::GetOverlappedResult(d.h, &d.write_ov, &done, TRUE);
  d.writing = false;
}

inline void close_device(HANDLE h) noexcept {
  if (device* d = take_device(h)) {
    finish_write(*d);
    free_device(d);
  }
  ::CloseHandle(h);
}

// --- waits for input ------------------------------------------------------------

// WaitCommEvent(EV_RXCHAR) in slices, the input queue checked before each.
inline error wait_comm_readable(device& d, std::int64_t deadline_ns) noexcept {
  bool idle_driver = false;  // the last wait ended at once without news
  for (;;) {
    COMSTAT st = {};
    DWORD errors = 0;
    if (!::ClearCommError(d.h, &errors, &st)) return last_error(dev_ops::device_wait);
    if (st.cbInQue > 0) return {};
    if (win32::ms_until(deadline_ns) == 0) return error{errc::timed_out, dev_ops::device_wait};
    if (idle_driver) nap(deadline_ns, poll_ms);
    OVERLAPPED ov = {};
    ov.hEvent = d.wait_event;
    DWORD mask = 0;
    if (::WaitCommEvent(d.h, &mask, &ov)) {
      idle_driver = (mask & EV_RXCHAR) == 0;
      continue;
    }
    if (::GetLastError() != ERROR_IO_PENDING) {
      idle_driver = true;
      continue;
    }
    bool signalled = wait_slice(d.wait_event, deadline_ns);
    if (!signalled) ::CancelIoEx(d.h, &ov);
    DWORD n = 0;
    BOOL ok = ::GetOverlappedResult(d.h, &ov, &n, TRUE);
    idle_driver = signalled && (!ok || (mask & EV_RXCHAR) == 0);
  }
}

// A zero-byte overlapped read ends when data arrives; PeekNamedPipe says
// how much there is.
inline error wait_pipe_readable(device& d, std::int64_t deadline_ns) noexcept {
  bool immediate = false;  // the last zero-byte read ended at once
  for (;;) {
    DWORD avail = 0;
    if (!::PeekNamedPipe(d.h, nullptr, 0, nullptr, &avail, nullptr) || avail > 0) return {};  // data, or the end
    if (win32::ms_until(deadline_ns) == 0) return error{errc::timed_out, dev_ops::device_wait};
    if (immediate) nap(deadline_ns, poll_ms);
    OVERLAPPED ov = {};
    ov.hEvent = d.wait_event;
    char none = 0;
    if (::ReadFile(d.h, &none, 0, nullptr, &ov) || ::GetLastError() != ERROR_IO_PENDING) {
      immediate = true;
      continue;
    }
    immediate = false;
    if (!wait_slice(d.wait_event, deadline_ns)) ::CancelIoEx(d.h, &ov);
    DWORD n = 0;
    ::GetOverlappedResult(d.h, &ov, &n, TRUE);
  }
}

// The record of the pty with console `console` or our output end `output`.
inline pty* find_pty_locked(void* console, HANDLE output) noexcept {
  for (pty* p = global().ptys; p != nullptr; p = p->next)
    if ((console != nullptr && p->console == console) || (output != nullptr && p->output == output)) return p;
  return nullptr;
}

}  // namespace vitte::sys::detail::win32_devices

#endif  // VITTE_SYS_DETAIL_WIN32_DEVICE_RECORDS_HPP
