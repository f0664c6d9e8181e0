// Environment variables and host information of win32_platform, in UTF-8
// over the UTF-16 calls. Reached through vitte/sys/detail/environment.ipp.
#ifndef VITTE_SYS_DETAIL_WIN32_ENVIRONMENT_IPP
#define VITTE_SYS_DETAIL_WIN32_ENVIRONMENT_IPP

#include <vitte/base/detail/win32/windows.hpp>
#include <vitte/sys/detail/win32/last_error.hpp>
#include <vitte/sys/detail/win32/platform.ipp>  // detail::win32::proc_address
#include <vitte/sys/detail/win32/utf.hpp>
#include <vitte/sys/policy/win32.hpp>

#if !VITTE_OS_WINDOWS
#error "vitte: detail/win32/environment.ipp is for Windows targets"
#endif

#include <cstring>
#include <string>

namespace vitte::sys::detail::win32_env {

inline std::size_t copy_out(text_view s, char* buf, std::size_t n) noexcept {
  if (s.size() < n) {
    std::memcpy(buf, s.data(), s.size());
    buf[s.size()] = '\0';
  } else if (n > 0) {
    buf[0] = '\0';
  }
  return s.size();
}

}  // namespace vitte::sys::detail::win32_env

namespace vitte::sys {

// GetEnvironmentVariableW, SetEnvironmentVariableW, GetEnvironmentStringsW,
// converted from and to UTF-8. The C runtime's copy (getenv) is not updated.
VITTE_DECL result<std::size_t> os_platform_base::env_get(const char* name, char* buf, std::size_t n) noexcept {
  namespace d = detail::win32_env;
  std::wstring wname;
  if (!detail::win32_utf::widen(name, wname)) return error{errc::invalid_argument, ops::environment};
  std::wstring value(64, L'\0');
  for (;;) {
    ::SetLastError(ERROR_SUCCESS);
    DWORD got = ::GetEnvironmentVariableW(wname.c_str(), value.data(), static_cast<DWORD>(value.size()));
    if (got == 0) {
      DWORD code = ::GetLastError();
      if (code == ERROR_ENVVAR_NOT_FOUND)
        return error{errc::not_found, ops::environment, static_cast<std::int32_t>(code), error_domain::win32};
      if (code != ERROR_SUCCESS) return detail::last_error(ops::environment, code);
      return detail::win32_utf::narrow_into(value.data(), 0, buf, n);  // set and empty
    }
    if (got < value.size()) return detail::win32_utf::narrow_into(value.data(), got, buf, n);
    value.assign(got, L'\0');  // got: the size needed, with the NUL
  }
}

VITTE_DECL error os_platform_base::env_set(const char* name, const char* value) noexcept {
  std::wstring wname, wvalue;
  if (!detail::win32_utf::widen(name, wname) || !detail::win32_utf::widen(value, wvalue))
    return error{errc::invalid_argument, ops::environment};
  if (!::SetEnvironmentVariableW(wname.c_str(), wvalue.c_str())) return detail::last_error(ops::environment);
  return {};
}

VITTE_DECL error os_platform_base::env_unset(const char* name) noexcept {
  std::wstring wname;
  if (!detail::win32_utf::widen(name, wname)) return error{errc::invalid_argument, ops::environment};
  if (!::SetEnvironmentVariableW(wname.c_str(), nullptr) && ::GetLastError() != ERROR_ENVVAR_NOT_FOUND)
    return detail::last_error(ops::environment);
  return {};
}

VITTE_DECL void os_platform_base::env_list(void (*each)(void*, const char*, std::size_t), void* ctx) noexcept {
  wchar_t* block = ::GetEnvironmentStringsW();
  if (block == nullptr) return;
  for (const wchar_t* p = block; *p != L'\0';) {
    std::size_t len = std::wcslen(p);
    std::string entry = detail::win32_utf::narrow(p, len);
    each(ctx, entry.c_str(), entry.size());
    p += len + 1;
  }
  ::FreeEnvironmentStringsW(block);
}

// GetModuleFileNameW.
VITTE_DECL result<std::size_t> os_platform_base::executable_path(char* buf, std::size_t n) noexcept {
  std::wstring path(260, L'\0');
  for (;;) {
    DWORD got = ::GetModuleFileNameW(nullptr, path.data(), static_cast<DWORD>(path.size()));
    if (got == 0) return detail::last_error(ops::host_info);
    if (got < path.size()) return detail::win32_utf::narrow_into(path.data(), got, buf, n);
    path.assign(path.size() * 2, L'\0');
  }
}

// GetComputerNameExW(ComputerNameDnsHostname).
VITTE_DECL result<std::size_t> os_platform_base::host_name(char* buf, std::size_t n) noexcept {
  wchar_t name[256];
  DWORD size = 256;
  if (!::GetComputerNameExW(ComputerNameDnsHostname, name, &size)) return detail::last_error(ops::host_info);
  return detail::win32_utf::narrow_into(name, size, buf, n);
}

// GlobalMemoryStatusEx.
VITTE_DECL std::uint64_t os_platform_base::physical_memory() noexcept {
  MEMORYSTATUSEX status;
  status.dwLength = sizeof status;
  if (!::GlobalMemoryStatusEx(&status)) return 0;
  return status.ullTotalPhys;
}

// "Windows" and RtlGetVersion's "major.minor.build".
VITTE_DECL std::size_t os_platform_base::os_name(char* buf, std::size_t n) noexcept {
  return n > 7 ? detail::win32_env::copy_out("Windows", buf, n) : 0;
}

VITTE_DECL std::size_t os_platform_base::os_version(char* buf, std::size_t n) noexcept {
  // GetVersionEx reports what the manifest claims; RtlGetVersion the truth.
  using rtl_get_version_fn = LONG(WINAPI*)(PRTL_OSVERSIONINFOW);
  auto get_version = detail::win32::proc_address<rtl_get_version_fn>(L"ntdll.dll", "RtlGetVersion");
  RTL_OSVERSIONINFOW v{};
  v.dwOSVersionInfoSize = sizeof v;
  if (get_version == nullptr || get_version(&v) != 0) return 0;
  std::string text =
      std::to_string(v.dwMajorVersion) + "." + std::to_string(v.dwMinorVersion) + "." + std::to_string(v.dwBuildNumber);
  return text.size() < n ? detail::win32_env::copy_out(text, buf, n) : 0;
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_WIN32_ENVIRONMENT_IPP
