// Serial ports and device handles of os_devices on Windows: comm handles
// opened overlapped (\\.\COMn), DCB settings read back after every change,
// GetCommModemStatus and EscapeCommFunction, SetCommBreak, PurgeComm, the
// registry's SERIALCOMM, and the reads, writes and waits of
// device_records.hpp. Reached through the switch vitte/sys/detail/devices.ipp.
#ifndef VITTE_SYS_DETAIL_WIN32_SERIAL_IPP
#define VITTE_SYS_DETAIL_WIN32_SERIAL_IPP

#include <vitte/base/detail/win32/windows.hpp>
#include <vitte/sys/detail/win32/device_records.hpp>
#include <vitte/sys/detail/win32/last_error.hpp>
#include <vitte/sys/detail/win32/utf.hpp>
#include <vitte/sys/policy/devices.hpp>

#include <cstring>
#include <string>

#if !VITTE_OS_WINDOWS
#error "vitte: detail/win32/serial.ipp is for Windows targets"
#endif

namespace vitte::sys::detail::win32_devices {

// --- comm settings -----------------------------------------------------------------

inline serial_settings decode_dcb(const DCB& dcb) noexcept {
  serial_settings s;
  s.baud = dcb.BaudRate;
  s.data_bits = dcb.ByteSize;
  switch (dcb.Parity) {
    case ODDPARITY:
      s.line_parity = parity::odd;
      break;
    case EVENPARITY:
      s.line_parity = parity::even;
      break;
    case MARKPARITY:
      s.line_parity = parity::mark;
      break;
    case SPACEPARITY:
      s.line_parity = parity::space;
      break;
    default:
      s.line_parity = parity::none;
  }
  s.stop = dcb.StopBits == ONE5STOPBITS  ? stop_bits::one_and_half
           : dcb.StopBits == TWOSTOPBITS ? stop_bits::two
                                         : stop_bits::one;
  // CTS honoured is hardware flow control (Wine reads RTS_CONTROL_HANDSHAKE
  // back as RTS_CONTROL_ENABLE: the RTS half is not asked for).
  s.flow = dcb.fOutxCtsFlow        ? flow_control::hardware
           : dcb.fOutX && dcb.fInX ? flow_control::software
                                   : flow_control::none;
  return s;
}

inline void encode_dcb(const serial_settings& s, bool dtr, bool rts, DCB& dcb) noexcept {
  static constexpr BYTE parities[] = {NOPARITY, ODDPARITY, EVENPARITY, MARKPARITY, SPACEPARITY};
  static constexpr BYTE stops[] = {ONESTOPBIT, ONE5STOPBITS, TWOSTOPBITS};
  dcb.BaudRate = s.baud;
  dcb.ByteSize = s.data_bits;
  dcb.Parity = parities[static_cast<int>(s.line_parity)];
  dcb.fParity = s.line_parity != parity::none;
  dcb.StopBits = stops[static_cast<int>(s.stop)];
  // Raw: every byte as it is, no error character, no NUL stripping, no
  // stop on errors, DSR ignored.
  dcb.fBinary = TRUE;
  dcb.fErrorChar = FALSE;
  dcb.fNull = FALSE;
  dcb.fAbortOnError = FALSE;
  dcb.fDsrSensitivity = FALSE;
  dcb.fOutxDsrFlow = FALSE;
  dcb.fTXContinueOnXoff = TRUE;
  dcb.fDtrControl = dtr ? DTR_CONTROL_ENABLE : DTR_CONTROL_DISABLE;
  dcb.fOutxCtsFlow = s.flow == flow_control::hardware;
  dcb.fRtsControl = s.flow == flow_control::hardware ? RTS_CONTROL_HANDSHAKE
                    : rts                            ? RTS_CONTROL_ENABLE
                                                     : RTS_CONTROL_DISABLE;
  dcb.fOutX = dcb.fInX = s.flow == flow_control::software;
  if (s.flow == flow_control::software) {
    dcb.XonChar = 0x11;   // DC1
    dcb.XoffChar = 0x13;  // DC3
    dcb.XonLim = 1024;    // bytes queued when XON goes out, of the usual 4096
    dcb.XoffLim = 1024;   // bytes free when XOFF goes out
  }
}

// A modem call the device cannot do (no modem lines: Wine's ports on
// pseudo-terminals) is not_supported.
inline error modem_failure(DWORD code = ::GetLastError()) noexcept {
  switch (code) {
    case ERROR_NOT_SUPPORTED:
    case ERROR_INVALID_FUNCTION:
    case ERROR_INVALID_PARAMETER:
    case ERROR_GEN_FAILURE:
    case ERROR_NOT_READY:
      return error{errc::not_supported, dev_ops::serial_modem, static_cast<int>(code), error_domain::win32};
    default:
      return last_error(dev_ops::serial_modem, code);
  }
}

// Wine's FlushFileBuffers on a comm port discards what is queued
// (tcflush(TCOFLUSH), server/serial.c) instead of waiting for it.
inline bool running_on_wine() noexcept {
  static const bool wine = win32::proc_address<void (*)()>(L"ntdll.dll", "wine_get_version") != nullptr;
  return wine;
}

inline bool is_com_name(const char* name) noexcept {
  if (std::strchr(name, '\\') != nullptr) return false;
  auto upper = [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; };
  return upper(name[0]) == 'C' && upper(name[1]) == 'O' && upper(name[2]) == 'M';
}

}  // namespace vitte::sys::detail::win32_devices

namespace vitte::sys {

// "COM3" (any name without a backslash that starts with COM) is \\.\COM3;
// other names are used as given. No sharing, overlapped, not inheritable;
// reads never wait (see the top of the file), writes have no timeout. A
// handle that is not a comm port is invalid_argument; a port another
// program holds is busy.
VITTE_DECL error os_devices::device_open(const char* name, native_handle& out) noexcept {
  namespace d = detail::win32_devices;
  wchar_t path[MAX_PATH + 8];
  std::size_t prefix = 0;
  bool com = d::is_com_name(name);
  if (com) {
    std::memcpy(path, L"\\\\.\\", 4 * sizeof(wchar_t));
    prefix = 4;
  }
  if (!detail::win32_utf::widen_into(name, path + prefix, MAX_PATH + 8 - prefix))
    return error{errc::invalid_argument, dev_ops::device_open};
  HANDLE h =
      ::CreateFileW(path, GENERIC_READ | GENERIC_WRITE, 0, nullptr, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, nullptr);
  if (h == INVALID_HANDLE_VALUE) {
    DWORD code = ::GetLastError();
    // A port that another program has open is "access denied".
    if (com && code == ERROR_ACCESS_DENIED)
      return error{errc::busy, dev_ops::device_open, static_cast<int>(code), error_domain::win32};
    return detail::last_error(dev_ops::device_open, code);
  }
  DCB dcb = {};
  dcb.DCBlength = sizeof dcb;
  if (!::GetCommState(h, &dcb)) {
    DWORD code = ::GetLastError();
    ::CloseHandle(h);
    return error{errc::invalid_argument, dev_ops::device_open, static_cast<int>(code), error_domain::win32};
  }
  COMMTIMEOUTS timeouts = {MAXDWORD, 0, 0, 0, 0};
  d::device* rec = nullptr;
  error e;
  if (!::SetCommTimeouts(h, &timeouts) || !::SetCommMask(h, EV_RXCHAR))
    e = detail::last_error(dev_ops::device_open);
  else
    e = d::add_device(h, true, dev_ops::device_open, &rec);
  if (e) {
    ::CloseHandle(h);
    return e;
  }
  rec->dtr = dcb.fDtrControl != DTR_CONTROL_DISABLE;
  rec->rts = dcb.fRtsControl != RTS_CONTROL_DISABLE;
  out = reinterpret_cast<native_handle>(h);
  return {};
}

VITTE_DECL void os_devices::device_close(native_handle h) noexcept {
  detail::win32_devices::close_device(detail::win32_devices::as_handle(h));
}

// What has arrived (see the top of the file); a pipe whose writer is gone
// reads 0, the end.
VITTE_DECL error os_devices::device_read(native_handle h, void* p, std::size_t n, std::size_t& got) noexcept {
  namespace d = detail::win32_devices;
  got = 0;
  d::device* dev = d::find_device(d::as_handle(h));
  if (dev == nullptr) return error{errc::bad_descriptor, dev_ops::device_read};
  DWORD want = n > 0x4000'0000 ? 0x4000'0000 : static_cast<DWORD>(n);
  DWORD avail = 0;
  if (dev->comm) {
    COMSTAT st = {};
    DWORD errors = 0;
    if (!::ClearCommError(dev->h, &errors, &st)) return detail::last_error(dev_ops::device_read);
    avail = st.cbInQue;
  } else if (!::PeekNamedPipe(dev->h, nullptr, 0, nullptr, &avail, nullptr)) {
    DWORD code = ::GetLastError();
    if (code == ERROR_BROKEN_PIPE || code == ERROR_PIPE_NOT_CONNECTED) return {};
    return detail::last_error(dev_ops::device_read, code);
  }
  if (avail == 0) return error{errc::would_block, dev_ops::device_read};
  if (want > avail) want = avail;
  OVERLAPPED ov = {};
  ov.hEvent = dev->wait_event;
  DWORD done = 0;
  if ((!::ReadFile(dev->h, p, want, nullptr, &ov) && ::GetLastError() != ERROR_IO_PENDING) ||
      !::GetOverlappedResult(dev->h, &ov, &done, TRUE)) {
    DWORD code = ::GetLastError();
    if (code == ERROR_BROKEN_PIPE || code == ERROR_PIPE_NOT_CONNECTED || code == ERROR_HANDLE_EOF) return {};
    if (code == ERROR_OPERATION_ABORTED) return error{errc::would_block, dev_ops::device_read};  // purged
    return detail::last_error(dev_ops::device_read, code);
  }
  if (done == 0) return error{errc::would_block, dev_ops::device_read};
  got = done;
  return {};
}

// Takes up to write_chunk bytes into the handle's record and writes them
// overlapped (see the top of the file).
VITTE_DECL error os_devices::device_write(native_handle h, const void* p, std::size_t n, std::size_t& put) noexcept {
  namespace d = detail::win32_devices;
  put = 0;
  d::device* dev = d::find_device(d::as_handle(h));
  if (dev == nullptr) return error{errc::bad_descriptor, dev_ops::device_write};
  if (!d::settle_write(*dev, 0)) return error{errc::would_block, dev_ops::device_write};
  if (dev->write_failure) return std::exchange(dev->write_failure, error{});
  if (n == 0) return {};
  if (dev->write_buf == nullptr) {
    dev->write_buf = new (std::nothrow) unsigned char[d::write_chunk];
    if (dev->write_buf == nullptr) return error{errc::no_memory, dev_ops::device_write};
  }
  DWORD len = n < d::write_chunk ? static_cast<DWORD>(n) : d::write_chunk;
  std::memcpy(dev->write_buf, p, len);
  if (error e = d::start_write(*dev, len)) return e;
  put = len;
  return {};
}

VITTE_DECL error os_devices::device_wait(native_handle h, bool for_write, std::int64_t deadline_ns) noexcept {
  namespace d = detail::win32_devices;
  d::device* dev = d::find_device(d::as_handle(h));
  if (dev == nullptr) return error{errc::bad_descriptor, dev_ops::device_wait};
  if (for_write) {
    for (;;) {
      if (d::settle_write(*dev, detail::win32::wait_ms(deadline_ns))) return {};
      if (detail::win32::ms_until(deadline_ns) == 0) return error{errc::timed_out, dev_ops::device_wait};
    }
  }
  return dev->comm ? d::wait_comm_readable(*dev, deadline_ns) : d::wait_pipe_readable(*dev, deadline_ns);
}

VITTE_DECL error os_devices::serial_get(native_handle h, serial_settings& out) noexcept {
  DCB dcb = {};
  dcb.DCBlength = sizeof dcb;
  if (!::GetCommState(detail::win32_devices::as_handle(h), &dcb)) return detail::last_error(dev_ops::serial_settings);
  out = detail::win32_devices::decode_dcb(dcb);
  return {};
}

// SetCommState with the line raw, DTR and RTS as last set; then read back:
// a driver that refused (ERROR_INVALID_PARAMETER) or kept something else
// makes the call not_supported, and `why` names the first field it did
// not keep (a refused call as a whole says nothing of the field).
VITTE_DECL error os_devices::serial_set(native_handle h, const serial_settings& s, diagnostic* why) noexcept {
  namespace d = detail::win32_devices;
  HANDLE port = d::as_handle(h);
  DCB dcb = {};
  dcb.DCBlength = sizeof dcb;
  serial_settings before;  // put back when the driver keeps something else
  error e;
  if (!::GetCommState(port, &dcb))
    e = detail::last_error(dev_ops::serial_configure);
  else
    e = serial_get(h, before);
  if (e) {
    detail::serial_failed(why, e.kind(), "the line's settings could not be read (GetCommState)");
    return e;
  }
  d::device* dev = d::find_device(port);
  bool dtr = dev != nullptr ? dev->dtr : dcb.fDtrControl != DTR_CONTROL_DISABLE;
  bool rts = dev != nullptr ? dev->rts : dcb.fRtsControl != RTS_CONTROL_DISABLE;
  d::encode_dcb(s, dtr, rts, dcb);
  if (!::SetCommState(port, &dcb)) {
    DWORD code = ::GetLastError();
    bool refused = code == ERROR_INVALID_PARAMETER || code == ERROR_NOT_SUPPORTED;
    e = refused ? error{errc::not_supported, dev_ops::serial_configure, static_cast<int>(code), error_domain::win32}
                : detail::last_error(dev_ops::serial_configure, code);
    detail::serial_failed(why, e.kind(), "the driver refused the line settings (SetCommState)");
  }
  serial_settings now;
  if (!e) {
    e = serial_get(h, now);
    if (e) detail::serial_failed(why, e.kind(), "the settings could not be read back");
  }
  if (!e && now != s) {
    e = error{errc::not_supported, dev_ops::serial_configure};
    detail::serial_not_kept(why, s, now);
  }
  if (!e) return {};
  // A refused change leaves the line as it was (a driver may have applied
  // part of it before refusing: Wine sets the rate, then fails on 6 data
  // bits): the settings before, encoded as a change is.
  DCB back = {};
  back.DCBlength = sizeof back;
  if (::GetCommState(port, &back)) {
    d::encode_dcb(before, dtr, rts, back);
    ::SetCommState(port, &back);
  }
  return e;
}

// GetCommModemStatus for the inputs; DTR and RTS from the driver
// (IOCTL_SERIAL_GET_DTRRTS) or as last set.
VITTE_DECL error os_devices::serial_modem_get(native_handle h, modem_lines& out) noexcept {
  namespace d = detail::win32_devices;
  HANDLE port = d::as_handle(h);
  DWORD status = 0;
  if (!::GetCommModemStatus(port, &status)) return d::modem_failure();
  d::device* dev = d::find_device(port);
  bool dtr = dev != nullptr && dev->dtr;
  bool rts = dev != nullptr && dev->rts;
  DWORD lines = 0, got = 0;
  OVERLAPPED ov = {};
  ov.hEvent = ::CreateEventW(nullptr, TRUE, FALSE, nullptr);  // not the reader's: it may be waiting
  if (ov.hEvent != nullptr &&
      (::DeviceIoControl(port, d::ioctl_serial_get_dtrrts, nullptr, 0, &lines, sizeof lines, nullptr, &ov) ||
       ::GetLastError() == ERROR_IO_PENDING) &&
      ::GetOverlappedResult(port, &ov, &got, TRUE) && got == sizeof lines) {
    dtr = (lines & d::serial_dtr_state) != 0;
    rts = (lines & d::serial_rts_state) != 0;
  }
  if (ov.hEvent != nullptr) ::CloseHandle(ov.hEvent);
  modem_lines m;
  m = m.with(modem_line::dtr, dtr).with(modem_line::rts, rts);
  m = m.with(modem_line::cts, (status & MS_CTS_ON) != 0).with(modem_line::dsr, (status & MS_DSR_ON) != 0);
  m = m.with(modem_line::dcd, (status & MS_RLSD_ON) != 0).with(modem_line::ri, (status & MS_RING_ON) != 0);
  out = m;
  return {};
}

// EscapeCommFunction SETDTR/CLRDTR, SETRTS/CLRRTS; remembered for
// configure() and modem().
VITTE_DECL error os_devices::serial_modem_set(native_handle h, modem_lines which, bool on) noexcept {
  namespace d = detail::win32_devices;
  HANDLE port = d::as_handle(h);
  d::device* dev = d::find_device(port);
  if (which.has(modem_line::dtr)) {
    if (!::EscapeCommFunction(port, on ? SETDTR : CLRDTR)) return d::modem_failure();
    if (dev != nullptr) dev->dtr = on;
  }
  if (which.has(modem_line::rts)) {
    if (!::EscapeCommFunction(port, on ? SETRTS : CLRRTS)) return d::modem_failure();
    if (dev != nullptr) dev->rts = on;
  }
  return {};
}

// SetCommBreak, `ms` milliseconds, ClearCommBreak.
VITTE_DECL error os_devices::serial_break(native_handle h, std::uint32_t ms) noexcept {
  HANDLE port = detail::win32_devices::as_handle(h);
  if (!::SetCommBreak(port)) return detail::last_error(dev_ops::serial_break);
  ::Sleep(ms);
  if (!::ClearCommBreak(port)) return detail::last_error(dev_ops::serial_break);
  return {};
}

// PurgeComm; the output queue includes the write in flight, cancelled.
VITTE_DECL error os_devices::serial_flush(native_handle h, serial_queue q) noexcept {
  namespace d = detail::win32_devices;
  HANDLE port = d::as_handle(h);
  DWORD rx = PURGE_RXABORT | PURGE_RXCLEAR, tx = PURGE_TXABORT | PURGE_TXCLEAR;
  DWORD flags = q == serial_queue::input ? rx : q == serial_queue::output ? tx : rx | tx;
  if (!::PurgeComm(port, flags)) return detail::last_error(dev_ops::serial_flush);
  d::device* dev = d::find_device(port);
  if (q != serial_queue::input && dev != nullptr && dev->writing) {
    ::CancelIoEx(port, &dev->write_ov);
    DWORD done = 0;
    ::GetOverlappedResult(port, &dev->write_ov, &done, TRUE);
    dev->writing = false;
  }
  return {};
}

// The write in flight, then the driver's queue (ClearCommError), then
// FlushFileBuffers, except under Wine, where it discards what is queued
// (see running_on_wine).
VITTE_DECL error os_devices::serial_drain(native_handle h) noexcept {
  namespace d = detail::win32_devices;
  HANDLE port = d::as_handle(h);
  if (d::device* dev = d::find_device(port)) {
    d::settle_write(*dev, INFINITE);
    if (dev->write_failure) {
      error e = std::exchange(dev->write_failure, error{});
      return error{e.kind(), dev_ops::serial_drain, e.native(), e.domain()};
    }
  }
  for (;;) {
    COMSTAT st = {};
    DWORD errors = 0;
    if (!::ClearCommError(port, &errors, &st)) return detail::last_error(dev_ops::serial_drain);
    if (st.cbOutQue == 0) break;
    ::Sleep(d::poll_ms);
  }
  if (!d::running_on_wine() && !::FlushFileBuffers(port)) return detail::last_error(dev_ops::serial_drain);
  return {};
}

// HKEY_LOCAL_MACHINE\HARDWARE\DEVICEMAP\SERIALCOMM: each value's data is a
// port's name (COM3), its name the device (\Device\Serial0).
VITTE_DECL error os_devices::serial_list(void (*each)(void*, const char*, const char*), void* ctx) noexcept {
  namespace u = detail::win32_utf;
  HKEY key = nullptr;
  LSTATUS rc = ::RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"HARDWARE\\DEVICEMAP\\SERIALCOMM", 0, KEY_QUERY_VALUE, &key);
  if (rc == ERROR_FILE_NOT_FOUND) return {};  // no port was ever seen
  if (rc != ERROR_SUCCESS) return detail::last_error(dev_ops::serial_list, static_cast<DWORD>(rc));
  error failure;
  for (DWORD i = 0;; ++i) {
    wchar_t device[256], port[256];
    DWORD device_len = 256, port_bytes = sizeof port, type = 0;
    rc = ::RegEnumValueW(key, i, device, &device_len, nullptr, &type, reinterpret_cast<BYTE*>(port), &port_bytes);
    if (rc == ERROR_NO_MORE_ITEMS) break;
    if (rc == ERROR_MORE_DATA) continue;  // longer than any port's name
    if (rc != ERROR_SUCCESS) {
      failure = detail::last_error(dev_ops::serial_list, static_cast<DWORD>(rc));
      break;
    }
    if (type != REG_SZ) continue;
    std::size_t units = port_bytes / sizeof(wchar_t);
    while (units > 0 && port[units - 1] == L'\0') --units;
    char name[768], description[768];
    if (units == 0 || u::narrow_into(port, units, name, sizeof name) >= sizeof name) continue;
    if (u::narrow_into(device, device_len, description, sizeof description) >= sizeof description) description[0] = 0;
    each(ctx, name, description);
  }
  ::RegCloseKey(key);
  return failure;
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_WIN32_SERIAL_IPP
