// Definition of win32_platform::random_fill (see the random block of
// vitte/sys/policy/win32.hpp): BCryptGenRandom with the system-preferred
// RNG, looked up in bcrypt.dll at run time; RtlGenRandom otherwise.
#ifndef VITTE_SYS_DETAIL_WIN32_RANDOM_IPP
#define VITTE_SYS_DETAIL_WIN32_RANDOM_IPP

#include <vitte/base/detail/win32/windows.hpp>
#include <vitte/sys/policy/win32.hpp>

namespace vitte::sys {

namespace detail::win32_random {

using bcrypt_gen_random_fn = long(__stdcall*)(void*, unsigned char*, unsigned long, unsigned long);
using rtl_gen_random_fn = unsigned char(__stdcall*)(void*, unsigned long);

template <class Fn>
Fn lookup(const wchar_t* module, const char* name) noexcept {
  HMODULE m = ::LoadLibraryExW(module, nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32);
  if (m == nullptr) return nullptr;  // the module stays loaded for the process
  return reinterpret_cast<Fn>(reinterpret_cast<void (*)()>(::GetProcAddress(m, name)));
}

}  // namespace detail::win32_random

VITTE_DECL result<std::size_t> os_platform_base::random_fill(void* buf, std::size_t n) noexcept {
  using namespace detail::win32_random;
  if (n == 0) return std::size_t{0};
  const unsigned long chunk = n < 0x10000000u ? static_cast<unsigned long>(n) : 0x10000000u;
  static const bcrypt_gen_random_fn bcrypt = lookup<bcrypt_gen_random_fn>(L"bcrypt.dll", "BCryptGenRandom");
  if (bcrypt != nullptr) {
    constexpr unsigned long use_system_preferred_rng = 0x00000002;  // BCRYPT_USE_SYSTEM_PREFERRED_RNG
    const long status = bcrypt(nullptr, static_cast<unsigned char*>(buf), chunk, use_system_preferred_rng);
    if (status >= 0) return std::size_t{chunk};
    return error{errc::io_error, ops::random, static_cast<std::int32_t>(status), error_domain::win32};
  }
  static const rtl_gen_random_fn rtl = lookup<rtl_gen_random_fn>(L"advapi32.dll", "SystemFunction036");
  if (rtl == nullptr) return error{errc::not_supported, ops::random};
  if (rtl(buf, chunk) == 0) return error{errc::io_error, ops::random};
  return std::size_t{chunk};
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_WIN32_RANDOM_IPP
