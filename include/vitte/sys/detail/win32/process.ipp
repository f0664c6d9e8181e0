// Processes and pipes of win32_platform: CreateProcessW with an explicit
// handle list, a job object per child, overlapped pipes for capture.
// Reached through the switch vitte/sys/detail/process.ipp.
#ifndef VITTE_SYS_DETAIL_WIN32_PROCESS_IPP
#define VITTE_SYS_DETAIL_WIN32_PROCESS_IPP

#include <vitte/base/detail/atomic.hpp>
#include <vitte/base/detail/win32/windows.hpp>
#include <vitte/sys/detail/win32/last_error.hpp>
#include <vitte/sys/detail/win32/platform.ipp>  // wait_ms, ms_until
#include <vitte/sys/detail/win32/utf.hpp>
#include <vitte/sys/policy/win32.hpp>

#if !VITTE_OS_WINDOWS
#error "vitte: detail/win32/process.ipp is for Windows targets"
#endif

#include <algorithm>  // sorting the environment block
#include <string>
#include <vector>

namespace vitte::sys::detail::win32_process {

// Environment entries sorted by name without case, as CreateProcessW wants;
// false when an entry is not valid UTF-8.
inline bool environment_block(const char* const* envp, std::wstring& block) {
  std::vector<std::wstring> entries;
  for (const char* const* e = envp; *e != nullptr; ++e)
    if (!win32_utf::widen(*e, entries.emplace_back())) return false;
  auto name_of = [](const std::wstring& s) {
    std::size_t eq = s.find(L'=', s.empty() ? 0 : 1);
    return eq == std::wstring::npos ? s : s.substr(0, eq);
  };
  std::stable_sort(entries.begin(), entries.end(), [&](const std::wstring& a, const std::wstring& b) {
    std::wstring na = name_of(a), nb = name_of(b);
    return ::CompareStringOrdinal(na.c_str(), static_cast<int>(na.size()), nb.c_str(), static_cast<int>(nb.size()),
                                  TRUE) == CSTR_LESS_THAN;
  });
  block.clear();
  for (const std::wstring& e : entries) {
    block.append(e);
    block.push_back(L'\0');
  }
  if (entries.empty()) block.push_back(L'\0');
  block.push_back(L'\0');
  return true;
}

inline vitte::detail::atomic<unsigned long> pipe_serial{0};

// What CreateProcessW takes for a request, in UTF-16: the command line
// (quoted so that CommandLineToArgvW gives each argument back exactly;
// a batch file's arguments must be safe from cmd.exe), the program, the
// directory and the environment block.
struct wide_request {
  std::wstring line, program, cwd, environment;
};

inline error widen_request(const spawn_request& req, operation op, wide_request& out) {
  bool batch = detail::is_batch_file(req.program);
  std::string line;
  for (std::size_t i = 0; i < req.argc; ++i) {
    const char* a = req.argv[i];
    if (batch && !detail::batch_argument_safe(a)) return error{errc::invalid_argument, op};
    if (i == 0) {
      if (!detail::append_windows_program(line, a)) return error{errc::invalid_argument, op};
      continue;
    }
    line.push_back(' ');
    detail::append_windows_argument(line, a);
  }
  namespace u = detail::win32_utf;
  bool utf8 = u::widen(line, out.line) && u::widen(req.program, out.program) &&
              (req.cwd == nullptr || u::widen(req.cwd, out.cwd)) &&
              (req.envp == nullptr || environment_block(req.envp, out.environment));
  if (!utf8) return error{errc::invalid_argument, op};
  return {};
}

// A job object whose processes die when its last handle closes; nullptr
// when none could be made (the child then runs without one).
inline HANDLE kill_on_close_job() noexcept {
  HANDLE job = ::CreateJobObjectW(nullptr, nullptr);
  if (job == nullptr) return nullptr;
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits;
  ::ZeroMemory(&limits, sizeof limits);
  limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
  ::SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof limits);
  return job;
}

// A child created suspended: into `job` (a job this process sits in may
// refuse nesting before Windows 8: the child then runs without one, and
// kill() ends the child alone), resumed, described in `out`.
inline void run_suspended(const PROCESS_INFORMATION& pi, HANDLE job, native_process& out) noexcept {
  if (job != nullptr && !::AssignProcessToJobObject(job, pi.hProcess)) {
    ::CloseHandle(job);
    job = nullptr;
  }
  ::ResumeThread(pi.hThread);
  ::CloseHandle(pi.hThread);
  out.id = pi.dwProcessId;
  out.handle = reinterpret_cast<native_handle>(pi.hProcess);
  out.group = job != nullptr ? reinterpret_cast<native_handle>(job) : invalid_handle;
}

}  // namespace vitte::sys::detail::win32_process

namespace vitte::sys {

VITTE_DECL error os_platform_base::process_spawn(const spawn_request& req, native_process& out) noexcept {
  namespace d = detail::win32_process;
  if (req.passed_count != 0) return error{errc::not_supported, ops::process_spawn};  // no descriptor numbers
  d::wide_request w;
  if (error e = d::widen_request(req, ops::process_spawn, w)) return e;

  // Inheritable copies of the three handles, and nothing else inherited.
  static constexpr DWORD std_ids[3] = {STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE};
  HANDLE self = ::GetCurrentProcess();
  HANDLE dups[3] = {nullptr, nullptr, nullptr};
  HANDLE list[3];
  DWORD listed = 0;
  for (int i = 0; i < 3; ++i) {
    HANDLE h = req.stdio[i] != invalid_handle ? reinterpret_cast<HANDLE>(req.stdio[i]) : ::GetStdHandle(std_ids[i]);
    if (h == nullptr || h == INVALID_HANDLE_VALUE) continue;
    for (int j = 0; j < i; ++j) {
      HANDLE earlier =
          req.stdio[j] != invalid_handle ? reinterpret_cast<HANDLE>(req.stdio[j]) : ::GetStdHandle(std_ids[j]);
      if (earlier == h && dups[j] != nullptr) dups[i] = dups[j];
    }
    if (dups[i] != nullptr) continue;
    if (!::DuplicateHandle(self, h, self, &dups[i], 0, TRUE, DUPLICATE_SAME_ACCESS)) {
      dups[i] = nullptr;  // e.g. no console: the child gets none
      continue;
    }
    list[listed++] = dups[i];
  }
  auto close_dups = [&] {
    for (DWORD k = 0; k < listed; ++k) ::CloseHandle(list[k]);
  };

  SIZE_T attr_size = 0;
  ::InitializeProcThreadAttributeList(nullptr, 1, 0, &attr_size);
  std::vector<unsigned char> attr_storage(attr_size);
  auto attrs = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(attr_storage.data());
  if (!::InitializeProcThreadAttributeList(attrs, 1, 0, &attr_size)) {
    error e = detail::last_error(ops::process_spawn);
    close_dups();
    return e;
  }
  if (listed > 0 && !::UpdateProcThreadAttribute(attrs, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, list,
                                                 listed * sizeof(HANDLE), nullptr, nullptr)) {
    error e = detail::last_error(ops::process_spawn);
    ::DeleteProcThreadAttributeList(attrs);
    close_dups();
    return e;
  }

  STARTUPINFOEXW si;
  ::ZeroMemory(&si, sizeof si);
  si.StartupInfo.cb = sizeof si;
  si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
  si.StartupInfo.hStdInput = dups[0];
  si.StartupInfo.hStdOutput = dups[1];
  si.StartupInfo.hStdError = dups[2];
  si.lpAttributeList = attrs;

  HANDLE job = req.new_group ? d::kill_on_close_job() : nullptr;
  DWORD flags = CREATE_UNICODE_ENVIRONMENT | EXTENDED_STARTUPINFO_PRESENT | CREATE_SUSPENDED;
  if (req.new_group) flags |= CREATE_NEW_PROCESS_GROUP;
  PROCESS_INFORMATION pi;
  ::ZeroMemory(&pi, sizeof pi);
  BOOL ok = ::CreateProcessW(w.program.c_str(), w.line.data(), nullptr, nullptr, listed > 0 ? TRUE : FALSE, flags,
                             req.envp != nullptr ? static_cast<void*>(w.environment.data()) : nullptr,
                             req.cwd != nullptr ? w.cwd.c_str() : nullptr, &si.StartupInfo, &pi);
  DWORD code = ok ? 0 : ::GetLastError();
  ::DeleteProcThreadAttributeList(attrs);
  close_dups();
  if (!ok) {
    if (job != nullptr) ::CloseHandle(job);
    return detail::last_error(ops::process_spawn, code);
  }
  d::run_suspended(pi, job, out);
  return {};
}

// WaitForSingleObject on the process, GetExitCodeProcess.
VITTE_DECL error os_platform_base::process_wait(native_process& p, std::int64_t deadline_ns,
                                                exit_status& out) noexcept {
  namespace d = detail::win32_process;
  HANDLE h = reinterpret_cast<HANDLE>(p.handle);
  DWORD r = ::WaitForSingleObject(h, detail::win32::wait_ms(deadline_ns));
  if (r == WAIT_TIMEOUT) return error{errc::timed_out, ops::process_wait};
  if (r != WAIT_OBJECT_0) return detail::last_error(ops::process_wait);
  DWORD code = 0;
  if (!::GetExitCodeProcess(h, &code)) return detail::last_error(ops::process_wait);
  out = exit_status{exit_status::how::exited, static_cast<int>(code)};
  return {};
}

// kill: TerminateJobObject (the child and everything it started);
// terminate and interrupt: CTRL_BREAK_EVENT to the child's console
// process group (only children sharing our console receive it).
VITTE_DECL error os_platform_base::process_signal(const native_process& p, process_signal_kind kind) noexcept {
  namespace d = detail::win32_process;
  if (kind != process_signal_kind::kill) {
    // Only a child in a console process group of its own can be asked.
    if (!::GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, static_cast<DWORD>(p.id)))
      return detail::last_error(ops::process_kill);
    return {};
  }
  BOOL ok = p.group != invalid_handle ? ::TerminateJobObject(reinterpret_cast<HANDLE>(p.group), 1)
                                      : ::TerminateProcess(reinterpret_cast<HANDLE>(p.handle), 1);
  if (!ok) return detail::last_error(ops::process_kill);
  return {};
}

// Closes the process and job handles.
VITTE_DECL void os_platform_base::process_release(native_process& p, bool keep_running) noexcept {
  if (p.group != invalid_handle) {
    HANDLE job = reinterpret_cast<HANDLE>(p.group);
    if (keep_running) {  // closing the job must not kill a detached child
      JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits;
      ::ZeroMemory(&limits, sizeof limits);
      ::SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof limits);
    }
    ::CloseHandle(job);
  }
  if (p.handle != invalid_handle) ::CloseHandle(reinterpret_cast<HANDLE>(p.handle));
  p = native_process{};
}

VITTE_DECL std::int64_t os_platform_base::process_current_id() noexcept { return ::GetCurrentProcessId(); }

// CreatePipe, or a named pipe whose read end is overlapped (for
// pipe_drain); neither end inheritable.
VITTE_DECL error os_platform_base::pipe_create(native_handle (&ends)[2], bool overlapped_read) noexcept {
  namespace d = detail::win32_process;
  HANDLE r = nullptr, w = nullptr;
  if (!overlapped_read) {
    if (!::CreatePipe(&r, &w, nullptr, 0)) return detail::last_error(ops::pipe_create);
  } else {
    // Anonymous pipes cannot be read overlapped: a named pipe of our own.
    wchar_t name[96];
    unsigned long serial = d::pipe_serial.fetch_add(1);
    ::wsprintfW(name, L"\\\\.\\pipe\\vitte-%lu-%lu", static_cast<unsigned long>(::GetCurrentProcessId()), serial);
    r = ::CreateNamedPipeW(name, PIPE_ACCESS_INBOUND | FILE_FLAG_OVERLAPPED | FILE_FLAG_FIRST_PIPE_INSTANCE,
                           PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS, 1, 65536,
                           65536, 0, nullptr);
    if (r == INVALID_HANDLE_VALUE) return detail::last_error(ops::pipe_create);
    w = ::CreateFileW(name, GENERIC_WRITE, 0, nullptr, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (w == INVALID_HANDLE_VALUE) {
      error e = detail::last_error(ops::pipe_create);
      ::CloseHandle(r);
      return e;
    }
  }
  ends[0] = reinterpret_cast<native_handle>(r);
  ends[1] = reinterpret_cast<native_handle>(w);
  return {};
}

// NUL.
VITTE_DECL result<native_handle> os_platform_base::null_device_open(bool write) noexcept {
  HANDLE h = ::CreateFileW(L"NUL", write ? GENERIC_WRITE : GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE) return detail::last_error(ops::open);
  return reinterpret_cast<native_handle>(h);
}

// GetStdHandle.
VITTE_DECL native_handle os_platform_base::std_handle(int which) noexcept {
  static constexpr DWORD ids[3] = {STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE};
  HANDLE h = ::GetStdHandle(ids[which < 0 || which > 2 ? 0 : which]);
  return h == nullptr ? invalid_handle : reinterpret_cast<native_handle>(h);
}

// Overlapped reads on every pipe, WaitForMultipleObjects.
VITTE_DECL error os_platform_base::pipe_drain(const native_handle* handles, std::size_t count, drain_sink& sink,
                                              std::int64_t deadline_ns) noexcept {
  namespace d = detail::win32_process;
  constexpr std::size_t max_pipes = 8;
  constexpr DWORD chunk = 32 * 1024;
  if (count > max_pipes) return error{errc::invalid_argument, ops::read};
  struct slot {
    HANDLE h = nullptr;
    HANDLE event = nullptr;
    OVERLAPPED ov;
    bool pending = false;
  };
  slot slots[max_pipes];
  std::vector<char> buffers(count * chunk);
  error failure;
  auto issue = [&](std::size_t i) {
    slot& s = slots[i];
    ::ZeroMemory(&s.ov, sizeof s.ov);
    s.ov.hEvent = s.event;
    if (::ReadFile(s.h, buffers.data() + i * chunk, chunk, nullptr, &s.ov) || ::GetLastError() == ERROR_IO_PENDING) {
      s.pending = true;  // done or not, the event is set when it is
      return;
    }
    DWORD code = ::GetLastError();
    s.h = nullptr;
    if (code != ERROR_BROKEN_PIPE && code != ERROR_HANDLE_EOF) failure = detail::last_error(ops::read, code);
  };
  for (std::size_t i = 0; i < count; ++i) {
    if (handles[i] == invalid_handle) continue;
    slots[i].h = reinterpret_cast<HANDLE>(handles[i]);
    slots[i].event = ::CreateEventW(nullptr, TRUE, FALSE, nullptr);
    if (slots[i].event == nullptr) {
      failure = detail::last_error(ops::read);
      slots[i].h = nullptr;
      break;
    }
    issue(i);
  }
  while (!failure) {
    HANDLE events[max_pipes];
    std::size_t index[max_pipes];
    DWORD n = 0;
    for (std::size_t i = 0; i < count; ++i)
      if (slots[i].h != nullptr && slots[i].pending) {
        events[n] = slots[i].event;
        index[n++] = i;
      }
    if (n == 0) break;
    DWORD r = ::WaitForMultipleObjects(n, events, FALSE, detail::win32::wait_ms(deadline_ns));
    if (r == WAIT_TIMEOUT) {
      failure = error{errc::timed_out, ops::read};
      break;
    }
    if (r >= WAIT_OBJECT_0 + n) {
      failure = detail::last_error(ops::read);
      break;
    }
    std::size_t i = index[r - WAIT_OBJECT_0];
    slot& s = slots[i];
    s.pending = false;
    DWORD got = 0;
    if (!::GetOverlappedResult(s.h, &s.ov, &got, FALSE)) {
      DWORD code = ::GetLastError();
      s.h = nullptr;
      if (code != ERROR_BROKEN_PIPE && code != ERROR_HANDLE_EOF) failure = detail::last_error(ops::read, code);
      continue;
    }
    if (got > 0) sink.data(sink.ctx, i, buffers.data() + i * chunk, got);
    ::ResetEvent(s.event);
    issue(i);
  }
  for (std::size_t i = 0; i < count; ++i) {
    slot& s = slots[i];
    if (s.h != nullptr && s.pending) {  // cancel, and let the kernel finish with the buffer
      DWORD got = 0;
      ::CancelIoEx(s.h, &s.ov);
      ::GetOverlappedResult(s.h, &s.ov, &got, TRUE);
    }
    if (s.event != nullptr) ::CloseHandle(s.event);
  }
  return failure;
}

// Success for an existing file that is not a directory; else not_found,
// is_a_directory (operation find_program).
VITTE_DECL error os_platform_base::program_check(const char* path) noexcept {
  std::wstring w;
  if (!detail::win32_utf::widen(path, w)) return error{errc::invalid_argument, ops::find_program};
  DWORD attrs = ::GetFileAttributesW(w.c_str());
  if (attrs == INVALID_FILE_ATTRIBUTES) return detail::last_error(ops::find_program);
  if ((attrs & FILE_ATTRIBUTE_DIRECTORY) != 0)
    return error{errc::is_a_directory, ops::find_program, ERROR_DIRECTORY, error_domain::win32};
  return {};
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_WIN32_PROCESS_IPP
