// Dynamic libraries of win32_platform: LoadLibraryExW with the safe search
// flags, GetProcAddress, FreeLibrary. Error texts come from FormatMessageW of
// the calling thread's GetLastError(), converted into the caller's
// vitte::diagnostic without allocating. Reached through
// vitte/sys/detail/dynlib.ipp.
#ifndef VITTE_SYS_DETAIL_WIN32_DYNLIB_IPP
#define VITTE_SYS_DETAIL_WIN32_DYNLIB_IPP

#include <vitte/base/detail/win32/windows.hpp>
#include <vitte/sys/detail/win32/last_error.hpp>
#include <vitte/sys/detail/win32/utf.hpp>
#include <vitte/sys/policy/win32.hpp>

#if !VITTE_OS_WINDOWS
#error "vitte: detail/win32/dynlib.ipp is for Windows targets"
#endif

#include <string>

namespace vitte::sys::detail::win32_dynlib {

// The diagnostic of `e`, about `subject` (may be null): the system's text for `code`.
inline error describe(vitte::diagnostic* why, error e, const char* subject, DWORD code) noexcept {
  if (why == nullptr) return e;
  why->clear();
  why->of(e.kind());
  if (subject != nullptr) why->about(subject);
  wchar_t text[256];
  DWORD n = ::FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr, code, 0, text, 256,
                             nullptr);
  while (n > 0 && (text[n - 1] == L'\r' || text[n - 1] == L'\n' || text[n - 1] == L' ')) --n;
  char narrow[vitte::diagnostic::message_capacity + 1];
  std::size_t len = win32_utf::narrow_into(text, n, narrow, sizeof narrow);
  if (n == 0 || len >= sizeof narrow) {
    why->say("error ").append(std::uint64_t{code});
    return e;
  }
  why->say(text_view(narrow, len));
  return e;
}

}  // namespace vitte::sys::detail::win32_dynlib

namespace vitte::sys {

#if VITTE_HAS_DYNAMIC_LIBRARIES

VITTE_DECL result<native_handle> os_platform_base::library_open(const char* path, library_flags flags,
                                                                vitte::diagnostic* why) noexcept {
  namespace d = detail::win32_dynlib;
  HMODULE h = nullptr;
  if (path == nullptr) {  // the program itself, counted like a load
    if (::GetModuleHandleExW(0, nullptr, &h)) return reinterpret_cast<native_handle>(h);
    DWORD code = ::GetLastError();
    return d::describe(why, detail::last_error(ops::library_open, code), "(the program)", code);
  }
  std::wstring w;
  if (!detail::win32_utf::widen(path, w)) return error{errc::invalid_argument, ops::library_open};
  bool has_dir = w.find_first_of(L"/\\") != std::wstring::npos;
  if (has_dir) {  // LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR wants a full path
    DWORD need = ::GetFullPathNameW(w.c_str(), 0, nullptr, nullptr);
    std::wstring full(need, L'\0');
    DWORD got = ::GetFullPathNameW(w.c_str(), need, full.data(), nullptr);
    if (got > 0 && got < need) {
      full.resize(got);
      w = full;
    }
  }
  if (has(flags, library_flags::no_load)) {
    if (::GetModuleHandleExW(0, w.c_str(), &h)) return reinterpret_cast<native_handle>(h);
  } else {
    DWORD search = LOAD_LIBRARY_SEARCH_DEFAULT_DIRS | (has_dir ? LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR : 0);
    h = ::LoadLibraryExW(w.c_str(), nullptr, search);
    // Windows 7 without KB2533623 lacks the flags: a full path alone is safe.
    if (h == nullptr && ::GetLastError() == ERROR_INVALID_PARAMETER && has_dir)
      h = ::LoadLibraryExW(w.c_str(), nullptr, LOAD_WITH_ALTERED_SEARCH_PATH);
    if (h != nullptr) {
      if (has(flags, library_flags::no_delete)) {
        HMODULE pinned;
        ::GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_PIN | GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS,
                             reinterpret_cast<LPCWSTR>(h), &pinned);
      }
      return reinterpret_cast<native_handle>(h);
    }
  }
  DWORD code = ::GetLastError();
  return d::describe(why, detail::last_error(ops::library_open, code), path, code);
}

VITTE_DECL result<void*> os_platform_base::library_symbol(native_handle h, const char* name,
                                                          vitte::diagnostic* why) noexcept {
  namespace d = detail::win32_dynlib;
  FARPROC p = ::GetProcAddress(reinterpret_cast<HMODULE>(h), name);
  if (p != nullptr) return reinterpret_cast<void*>(p);
  DWORD code = ::GetLastError();
  return d::describe(why,
                     error{errc::not_found, ops::library_symbol, static_cast<std::int32_t>(code), error_domain::win32},
                     name, code);
}

VITTE_DECL result<void*> os_platform_base::library_symbol_version(native_handle, const char* name, const char*,
                                                                  vitte::diagnostic* why) noexcept {
  if (why != nullptr) {
    why->clear();
    why->of(errc::not_supported).say("a DLL's exports have no versions");
    if (name != nullptr) why->about(name);
  }
  return error{errc::not_supported, ops::library_symbol};
}

VITTE_DECL error os_platform_base::library_close(native_handle h, vitte::diagnostic* why) noexcept {
  namespace d = detail::win32_dynlib;
  if (::FreeLibrary(reinterpret_cast<HMODULE>(h))) return {};
  DWORD code = ::GetLastError();
  return d::describe(why, detail::last_error(ops::library_close, code), nullptr, code);
}

VITTE_DECL error os_platform_base::library_pin(native_handle h) noexcept {
  HMODULE pinned;
  if (::GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_PIN | GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS,
                           reinterpret_cast<LPCWSTR>(h), &pinned))
    return {};
  return detail::last_error(ops::library_open, ::GetLastError());
}

#else  // static builds

VITTE_DECL result<native_handle> os_platform_base::library_open(const char* path, library_flags,
                                                                vitte::diagnostic* why) noexcept {
  if (why != nullptr) {
    why->clear();
    why->of(errc::not_supported).say("dynamic libraries are not available in this build (static)");
    if (path != nullptr) why->about(path);
  }
  return error{errc::not_supported, ops::library_open};
}
VITTE_DECL result<void*> os_platform_base::library_symbol(native_handle, const char*, vitte::diagnostic*) noexcept {
  return error{errc::not_supported, ops::library_symbol};
}
VITTE_DECL result<void*> os_platform_base::library_symbol_version(native_handle, const char*, const char*,
                                                                  vitte::diagnostic*) noexcept {
  return error{errc::not_supported, ops::library_symbol};
}
VITTE_DECL error os_platform_base::library_close(native_handle, vitte::diagnostic*) noexcept {
  return error{errc::not_supported, ops::library_close};
}
VITTE_DECL error os_platform_base::library_pin(native_handle) noexcept { return {}; }

#endif

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_WIN32_DYNLIB_IPP
