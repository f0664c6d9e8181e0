// Pseudo-terminals of os_devices on Windows: pseudo consoles
// (CreatePseudoConsole, looked up at run time, Windows 10 1809) over
// overlapped named pipes, their window sizes, and children started on them
// with PROC_THREAD_ATTRIBUTE_PSEUDOCONSOLE through process.ipp's command
// lines and job objects. Reached through the switch
// vitte/sys/detail/devices.ipp.
#ifndef VITTE_SYS_DETAIL_WIN32_PSEUDO_CONSOLE_IPP
#define VITTE_SYS_DETAIL_WIN32_PSEUDO_CONSOLE_IPP

#include <vitte/base/detail/win32/windows.hpp>
#include <vitte/sys/detail/win32/device_records.hpp>
#include <vitte/sys/detail/win32/last_error.hpp>
#include <vitte/sys/detail/win32/platform.ipp>  // proc_address
#include <vitte/sys/detail/win32/process.ipp>   // command lines, environment blocks, jobs, pipe names
#include <vitte/sys/detail/win32/thread.ipp>    // the thread that closes a console after its children
#include <vitte/sys/policy/devices.hpp>

#include <utility>  // std::exchange
#include <vector>

#if !VITTE_OS_WINDOWS
#error "vitte: detail/win32/pseudo_console.ipp is for Windows targets"
#endif

namespace vitte::sys::detail::win32_devices {

// --- pseudo consoles ---------------------------------------------------------------

using create_console_fn = HRESULT(WINAPI*)(COORD, HANDLE, HANDLE, DWORD, void**);
using resize_console_fn = HRESULT(WINAPI*)(void*, COORD);
using close_console_fn = void(WINAPI*)(void*);

struct console_api {
  create_console_fn create;
  resize_console_fn resize;
  close_console_fn close;
};

// CreatePseudoConsole and friends exist from Windows 10 1809 on (and in
// Wine 5.x and later): looked up so that the program still starts before.
inline const console_api& pseudo_consoles() noexcept {
  static const console_api api = {
      win32::proc_address<create_console_fn>(L"kernel32.dll", "CreatePseudoConsole"),
      win32::proc_address<resize_console_fn>(L"kernel32.dll", "ResizePseudoConsole"),
      win32::proc_address<close_console_fn>(L"kernel32.dll", "ClosePseudoConsole"),
  };
  return api;
}

inline COORD coord_of(const terminal_size& s) noexcept {
  COORD c;
  c.X = static_cast<SHORT>(s.columns > 0x7FFF ? 0x7FFF : s.columns);
  c.Y = static_cast<SHORT>(s.rows > 0x7FFF ? 0x7FFF : s.rows);
  return c;
}

inline error hresult_error(HRESULT hr, operation op) noexcept {
  if (HRESULT_FACILITY(hr) == FACILITY_WIN32) return last_error(op, HRESULT_CODE(hr));
  errc kind = hr == E_OUTOFMEMORY  ? errc::no_memory
              : hr == E_INVALIDARG ? errc::invalid_argument
              : hr == E_NOTIMPL    ? errc::not_supported  // Wine 8's ResizePseudoConsole
                                   : errc::unknown;
  return error{kind, op, static_cast<int>(hr), error_domain::win32};
}

// A pipe whose server end (ours) writes overlapped and whose client end
// (the console's) reads synchronously: pipe_create's inbound pipe, the
// other way round, named from the same counter.
inline error outbound_pipe(HANDLE& ours, HANDLE& theirs) noexcept {
  wchar_t name[96];
  unsigned long serial = win32_process::pipe_serial.fetch_add(1);
  ::wsprintfW(name, L"\\\\.\\pipe\\vitte-%lu-%lu", static_cast<unsigned long>(::GetCurrentProcessId()), serial);
  ours = ::CreateNamedPipeW(name, PIPE_ACCESS_OUTBOUND | FILE_FLAG_OVERLAPPED | FILE_FLAG_FIRST_PIPE_INSTANCE,
                            PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS, 1, 65536,
                            65536, 0, nullptr);
  if (ours == INVALID_HANDLE_VALUE) return last_error(dev_ops::pty_open);
  theirs = ::CreateFileW(name, GENERIC_READ, 0, nullptr, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (theirs != INVALID_HANDLE_VALUE) return {};
  error e = last_error(dev_ops::pty_open);
  ::CloseHandle(ours);
  return e;
}

inline pty* take_pty(HANDLE output) noexcept {
  exclusive_lock held;
  for (pty** p = &global().ptys; *p != nullptr; p = &(*p)->next) {
    if ((*p)->output != output) continue;
    pty* found = *p;
    *p = found->next;
    return found;
  }
  return nullptr;
}

// Closes the console once (whoever comes first: the closer thread, close()).
inline void close_console(pty& p) noexcept {
  bool was_open;
  {
    exclusive_lock held;
    was_open = std::exchange(p.console_open, false);
  }
  if (was_open) pseudo_consoles().close(p.console);
}

// The closer thread of close_terminal(): waits for every session child
// (or for close()), then closes the console. ClosePseudoConsole may wait
// until the output pipe is read: never on the reader's thread.
inline void close_when_children_end(void* start) noexcept {
  pty& p = *reinterpret_cast<pty*>(start);
  HANDLE children[max_children];
  std::size_t n;
  {
    shared_lock held;
    n = p.child_count;
    for (std::size_t i = 0; i < n; ++i) children[i] = p.children[i];
  }
  for (std::size_t i = 0; i < n; ++i) {
    HANDLE both[2] = {p.stop, children[i]};
    if (::WaitForMultipleObjects(2, both, FALSE, INFINITE) == WAIT_OBJECT_0) break;
  }
  close_console(p);
}

// Remembers a session child, forgetting those that have ended when full.
inline void add_child(void* console, HANDLE process) noexcept {
  HANDLE mine = nullptr;
  HANDLE self = ::GetCurrentProcess();
  if (!::DuplicateHandle(self, process, self, &mine, SYNCHRONIZE, FALSE, 0)) return;
  exclusive_lock held;
  pty* p = find_pty_locked(console, nullptr);
  if (p != nullptr && p->child_count == max_children) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < p->child_count; ++i) {
      if (::WaitForSingleObject(p->children[i], 0) == WAIT_OBJECT_0) {
        ::CloseHandle(p->children[i]);
        continue;
      }
      p->children[kept++] = p->children[i];
    }
    p->child_count = kept;
  }
  if (p == nullptr || p->child_count == max_children) {
    ::CloseHandle(mine);
    return;
  }
  p->children[p->child_count++] = mine;
}

inline bool is_open_console(void* console) noexcept {
  shared_lock held;
  pty* p = find_pty_locked(console, nullptr);
  return p != nullptr && p->console_open && p->closer == 0;
}

}  // namespace vitte::sys::detail::win32_devices

namespace vitte::sys {

// CreatePseudoConsole over two pipes, our ends overlapped: `input` (what
// we write, the console reads: outbound_pipe) and `output` (what the
// console writes: pipe_create's overlapped read end). `terminal` is the
// HPCON; there is no name.
VITTE_DECL error os_devices::pty_open(native_pty& out, const terminal_size& size, char* name, std::size_t n) noexcept {
  namespace d = detail::win32_devices;
  if (n > 0) name[0] = '\0';
  const d::console_api& api = d::pseudo_consoles();
  if (api.create == nullptr || api.resize == nullptr || api.close == nullptr)
    return error{errc::not_supported, dev_ops::pty_open};
  if (size.rows == 0 || size.columns == 0) return error{errc::invalid_argument, dev_ops::pty_open};
  HANDLE in_ours = nullptr, in_theirs = nullptr;
  if (error e = d::outbound_pipe(in_ours, in_theirs)) return e;
  native_handle ends[2] = {invalid_handle, invalid_handle};
  if (error e = pipe_create(ends, true)) {
    ::CloseHandle(in_ours);
    ::CloseHandle(in_theirs);
    return error{e.kind(), dev_ops::pty_open, e.native(), e.domain()};
  }
  HANDLE out_ours = d::as_handle(ends[0]), out_theirs = d::as_handle(ends[1]);
  void* console = nullptr;
  HRESULT hr = api.create(d::coord_of(size), in_theirs, out_theirs, 0, &console);
  ::CloseHandle(in_theirs);  // the console has its own
  ::CloseHandle(out_theirs);
  error e;
  auto* rec = new (std::nothrow) d::pty;
  if (FAILED(hr))
    e = d::hresult_error(hr, dev_ops::pty_open);
  else if (rec == nullptr)
    e = error{errc::no_memory, dev_ops::pty_open};
  if (!e) e = d::add_device(in_ours, false, dev_ops::pty_open);
  if (!e) {
    e = d::add_device(out_ours, false, dev_ops::pty_open);
    if (e) d::free_device(d::take_device(in_ours));
  }
  if (e) {
    delete rec;
    if (SUCCEEDED(hr)) api.close(console);
    ::CloseHandle(in_ours);
    ::CloseHandle(out_ours);
    return e;
  }
  rec->run = d::close_when_children_end;
  rec->console = console;
  rec->input = in_ours;
  rec->output = out_ours;
  rec->size = size;
  {
    d::exclusive_lock held;
    rec->next = d::global().ptys;
    d::global().ptys = rec;
  }
  out.input = reinterpret_cast<native_handle>(in_ours);
  out.output = reinterpret_cast<native_handle>(out_ours);
  out.terminal = reinterpret_cast<native_handle>(console);
  return {};
}

// The terminal side alone (close_terminal): a thread closes the console
// once the session's children have ended, so that the output ends then
// (closing it at once would end them: ClosePseudoConsole terminates its
// clients). Both sides: our pipe ends, then the console (which ends what
// still runs on it, as a hang-up does).
VITTE_DECL void os_devices::pty_close(const native_pty& p) noexcept {
  namespace d = detail::win32_devices;
  if (p.output == invalid_handle) {
    if (p.terminal == invalid_handle) return;
    d::pty* rec;
    {
      d::shared_lock held;
      rec = d::find_pty_locked(reinterpret_cast<void*>(p.terminal), nullptr);
    }
    if (rec == nullptr || rec->closer != 0) return;
    rec->stop = ::CreateEventW(nullptr, TRUE, FALSE, nullptr);
    std::uintptr_t thread = 0;
    if (rec->stop == nullptr || thread_create(thread, &rec->run, 64 * 1024)) {
      if (rec->stop != nullptr) ::CloseHandle(std::exchange(rec->stop, nullptr));
      return;  // the console stays until close()
    }
    d::exclusive_lock held;
    rec->closer = thread;
    return;
  }
  d::pty* rec = d::take_pty(d::as_handle(p.output));
  if (p.input != invalid_handle) d::close_device(d::as_handle(p.input));
  d::close_device(d::as_handle(p.output));
  if (rec == nullptr) return;
  if (rec->closer != 0) {
    ::SetEvent(rec->stop);
    (void)thread_join(rec->closer);
  }
  d::close_console(*rec);
  if (rec->stop != nullptr) ::CloseHandle(rec->stop);
  for (std::size_t i = 0; i < rec->child_count; ++i) ::CloseHandle(rec->children[i]);
  delete rec;
}

// ResizePseudoConsole (nothing to resize once the console is closed).
VITTE_DECL error os_devices::terminal_size_set(const native_pty& p, const terminal_size& size) noexcept {
  namespace d = detail::win32_devices;
  d::exclusive_lock held;
  d::pty* rec = d::find_pty_locked(nullptr, d::as_handle(p.output));
  if (rec == nullptr) return error{errc::bad_descriptor, dev_ops::terminal_size};
  if (rec->console_open) {
    HRESULT hr = d::pseudo_consoles().resize(rec->console, d::coord_of(size));
    if (FAILED(hr)) return d::hresult_error(hr, dev_ops::terminal_size);
  }
  rec->size = size;
  return {};
}

// CreateProcessW with the pseudo console `terminal` as the child's console
// (PROC_THREAD_ATTRIBUTE_PSEUDOCONSOLE) and no handle inherited: its
// standard handles are the console's (STARTF_USESTDHANDLES with none
// given, so that ours, redirected or not, do not leak in); a command whose
// stdin, stdout or stderr is anything else is invalid_argument. The
// command line, environment block and job object are process_spawn's; the
// child shares the console's process group, so a ^C typed reaches it.
VITTE_DECL error os_devices::session_spawn(const spawn_request& req, native_handle terminal,
                                           native_process& out) noexcept {
  namespace d = detail::win32_devices;
  void* console = reinterpret_cast<void*>(terminal);
  if (terminal == invalid_handle || !d::is_open_console(console))
    return error{errc::invalid_argument, dev_ops::session_spawn};
  for (native_handle h : req.stdio)
    if (h != terminal) return error{errc::invalid_argument, dev_ops::session_spawn};
  namespace p = detail::win32_process;
  p::wide_request w;
  if (error e = p::widen_request(req, dev_ops::session_spawn, w)) return e;

  SIZE_T attr_size = 0;
  ::InitializeProcThreadAttributeList(nullptr, 1, 0, &attr_size);
  std::vector<unsigned char> attr_storage(attr_size);
  auto attrs = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(attr_storage.data());
  if (!::InitializeProcThreadAttributeList(attrs, 1, 0, &attr_size)) return detail::last_error(dev_ops::session_spawn);
  if (!::UpdateProcThreadAttribute(attrs, 0, d::attribute_pseudoconsole, console, sizeof console, nullptr, nullptr)) {
    error e = detail::last_error(dev_ops::session_spawn);
    ::DeleteProcThreadAttributeList(attrs);
    return e;
  }
  STARTUPINFOEXW si;
  ::ZeroMemory(&si, sizeof si);
  si.StartupInfo.cb = sizeof si;
  si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
  si.lpAttributeList = attrs;

  HANDLE job = req.new_group ? p::kill_on_close_job() : nullptr;
  DWORD flags = CREATE_UNICODE_ENVIRONMENT | EXTENDED_STARTUPINFO_PRESENT | CREATE_SUSPENDED;
  PROCESS_INFORMATION pi;
  ::ZeroMemory(&pi, sizeof pi);
  BOOL ok = ::CreateProcessW(w.program.c_str(), w.line.data(), nullptr, nullptr, FALSE, flags,
                             req.envp != nullptr ? static_cast<void*>(w.environment.data()) : nullptr,
                             req.cwd != nullptr ? w.cwd.c_str() : nullptr, &si.StartupInfo, &pi);
  DWORD code = ok ? 0 : ::GetLastError();
  ::DeleteProcThreadAttributeList(attrs);
  if (!ok) {
    if (job != nullptr) ::CloseHandle(job);
    return detail::last_error(dev_ops::session_spawn, code);
  }
  d::add_child(console, pi.hProcess);
  p::run_suspended(pi, job, out);
  return {};
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_WIN32_PSEUDO_CONSOLE_IPP
