// Threads and synchronisation of win32_platform (see vitte/sys/policy/win32.hpp).
// Header-only mode includes this from the policy header; compiled mode
// compiles it in src/vitte.cpp.
#ifndef VITTE_SYS_DETAIL_WIN32_THREAD_IPP
#define VITTE_SYS_DETAIL_WIN32_THREAD_IPP

#include <vitte/sys/detail/parking_table.hpp>
#include <vitte/sys/detail/win32/platform.ipp>  // proc_address, last_error
#include <vitte/sys/detail/win32/utf.hpp>
#include <vitte/sys/policy/win32.hpp>

#include <climits>  // INT64_MAX
#include <cstring>  // strlen
#include <cwchar>   // wcslen

#include <errno.h>    // errno of _beginthreadex
#include <process.h>  // _beginthreadex

namespace vitte::sys {

static_assert(sizeof(SRWLOCK) <= win32_platform::mutex_size && alignof(SRWLOCK) <= win32_platform::mutex_align,
              "vitte: win32_platform::mutex_size is too small for SRWLOCK");
static_assert(sizeof(CONDITION_VARIABLE) <= win32_platform::condition_size &&
                  alignof(CONDITION_VARIABLE) <= win32_platform::condition_align,
              "vitte: win32_platform::condition_size is too small for CONDITION_VARIABLE");

namespace detail::win32 {

inline unsigned __stdcall thread_main(void* start) noexcept {
  auto* run = static_cast<void (**)(void*)>(start);
  (*run)(start);
  return 0;
}

inline HANDLE to_handle(std::uintptr_t handle) noexcept { return reinterpret_cast<HANDLE>(handle); }
inline SRWLOCK* as_srw(void* m) noexcept { return static_cast<SRWLOCK*>(m); }
inline CONDITION_VARIABLE* as_cv(void* c) noexcept { return static_cast<CONDITION_VARIABLE*>(c); }

// A wait that returned ERROR_TIMEOUT: the deadline has passed, or the
// system's timer rounding ended it early and the caller waits again.
inline error timeout_result(std::int64_t deadline_ns, operation op) noexcept {
  if (qpc_now_ns() < deadline_ns) return {};
  return error{errc::timed_out, op, ERROR_TIMEOUT, error_domain::win32};
}

// SleepConditionVariableSRW until woken or the deadline; false once it passed.
inline bool sleep_on(CONDITION_VARIABLE* c, SRWLOCK* m, std::int64_t deadline_ns) noexcept {
  if (::SleepConditionVariableSRW(c, m, wait_ms(deadline_ns), 0)) return true;
  return qpc_now_ns() < deadline_ns;
}

// WaitOnAddress and WakeByAddress* (Windows 8; KernelBase.dll, also Wine's).
// Looked up at run time: some MinGW import libraries lack them.
struct address_wait_api {
  using wait_fn = BOOL(WINAPI*)(volatile VOID*, PVOID, SIZE_T, DWORD);
  using wake_fn = void(WINAPI*)(PVOID);
  wait_fn wait = nullptr;
  wake_fn wake_one = nullptr;
  wake_fn wake_all = nullptr;
  bool available() const noexcept { return wait != nullptr && wake_one != nullptr && wake_all != nullptr; }
};

inline const address_wait_api& address_wait() noexcept {
  static const address_wait_api api = [] {
    address_wait_api a;
    a.wait = proc_address<address_wait_api::wait_fn>(L"kernelbase.dll", "WaitOnAddress");
    a.wake_one = proc_address<address_wait_api::wake_fn>(L"kernelbase.dll", "WakeByAddressSingle");
    a.wake_all = proc_address<address_wait_api::wake_fn>(L"kernelbase.dll", "WakeByAddressAll");
    return a;
  }();
  return api;
}

// The parking table's native objects, for systems without WaitOnAddress.
struct parking_native {
  using mutex_type = SRWLOCK;
  using cond_type = CONDITION_VARIABLE;
  static void init(SRWLOCK& m, CONDITION_VARIABLE& c) noexcept {
    ::InitializeSRWLock(&m);
    ::InitializeConditionVariable(&c);
  }
  static void lock(SRWLOCK& m) noexcept { ::AcquireSRWLockExclusive(&m); }
  static void unlock(SRWLOCK& m) noexcept { ::ReleaseSRWLockExclusive(&m); }
  static bool wait(CONDITION_VARIABLE& c, SRWLOCK& m, std::int64_t deadline_ns) noexcept {
    return sleep_on(&c, &m, deadline_ns);
  }
  static void wake_all(CONDITION_VARIABLE& c) noexcept { ::WakeAllConditionVariable(&c); }
};

using thread_description_set_fn = HRESULT(WINAPI*)(HANDLE, PCWSTR);
using thread_description_get_fn = HRESULT(WINAPI*)(HANDLE, PWSTR*);

// SetThreadDescription and GetThreadDescription (Windows 10 1607).
inline thread_description_set_fn set_thread_description() noexcept {
  static const auto fn = proc_address<thread_description_set_fn>(L"kernelbase.dll", "SetThreadDescription");
  return fn;
}

inline thread_description_get_fn get_thread_description() noexcept {
  static const auto fn = proc_address<thread_description_get_fn>(L"kernelbase.dll", "GetThreadDescription");
  return fn;
}

inline error hresult_error(HRESULT hr, operation op) noexcept {
  // HRESULT_FROM_WIN32 keeps the Win32 code in the low word.
  return last_error(op, static_cast<DWORD>(hr & 0xFFFF));
}

}  // namespace detail::win32

// Runs (*start)(start) on a new thread; stack_size 0 is the default.
// Errors: limit_exceeded, no_memory, what _beginthreadex reports.
VITTE_DECL error os_platform_base::thread_create(std::uintptr_t& handle, void (**start)(void*),
                                                 std::size_t stack_size) noexcept {
  unsigned stack = stack_size > 0xFFFF'FFFFu ? 0xFFFF'FFFFu : static_cast<unsigned>(stack_size);
  // STACK_SIZE_PARAM_IS_A_RESERVATION: the size reserves address space,
  // as on POSIX, instead of committing it up front.
  std::uintptr_t h =
      ::_beginthreadex(nullptr, stack, &detail::win32::thread_main, start, STACK_SIZE_PARAM_IS_A_RESERVATION, nullptr);
  if (h != 0) {
    handle = h;
    return {};
  }
  int e = errno;
  if (e == EAGAIN) return error{errc::limit_exceeded, ops::thread_create, e, error_domain::posix};
  return detail::last_error(ops::thread_create);
}

VITTE_DECL error os_platform_base::thread_join(std::uintptr_t handle) noexcept {
  HANDLE h = detail::win32::to_handle(handle);
  if (::WaitForSingleObject(h, INFINITE) != WAIT_OBJECT_0) return detail::last_error(ops::thread_join);
  ::CloseHandle(h);
  return {};
}

VITTE_DECL error os_platform_base::thread_detach(std::uintptr_t handle) noexcept {
  if (!::CloseHandle(detail::win32::to_handle(handle))) return detail::last_error(ops::thread_join);
  return {};
}

// GetThreadId / GetCurrentThreadId.
VITTE_DECL std::uint64_t os_platform_base::thread_id_of(std::uintptr_t handle) noexcept {
  return ::GetThreadId(detail::win32::to_handle(handle));
}

VITTE_DECL std::uint64_t os_platform_base::thread_current_id() noexcept { return ::GetCurrentThreadId(); }

VITTE_DECL void os_platform_base::thread_yield() noexcept { ::SwitchToThread(); }

// SetThreadDescription / GetThreadDescription (Windows 10 1607), looked
// up at run time: errc::not_supported where they are missing.
VITTE_DECL error os_platform_base::thread_set_name(const char* name) noexcept {
  auto set = detail::win32::set_thread_description();
  if (set == nullptr) return error{errc::not_supported, ops::thread_set_name};
  wchar_t wide[256];
  std::ptrdiff_t units = detail::win32_utf::utf16_length(name, std::strlen(name));
  if (units < 0) return error{errc::invalid_argument, ops::thread_set_name};  // not UTF-8
  if (!detail::win32_utf::widen_into(name, wide, 256))
    return detail::last_error(ops::thread_set_name, ERROR_INSUFFICIENT_BUFFER);
  HRESULT hr = set(::GetCurrentThread(), wide);
  if (FAILED(hr)) return detail::win32::hresult_error(hr, ops::thread_set_name);
  return {};
}

VITTE_DECL error os_platform_base::thread_get_name(char* buf, std::size_t n) noexcept {
  auto get = detail::win32::get_thread_description();
  if (get == nullptr) return error{errc::not_supported, ops::thread_get_name};
  PWSTR wide = nullptr;
  HRESULT hr = get(::GetCurrentThread(), &wide);
  if (FAILED(hr)) return detail::win32::hresult_error(hr, ops::thread_get_name);
  std::size_t need = detail::win32_utf::narrow_into(wide, std::wcslen(wide), buf, n);
  ::LocalFree(wide);
  if (n > 0 && need >= n) return detail::last_error(ops::thread_get_name, ERROR_INSUFFICIENT_BUFFER);
  return {};
}

// SetThreadAffinityMask: CPUs of the calling thread's processor group
// (the first 64); a mask beyond them is errc::invalid_argument.
VITTE_DECL error os_platform_base::thread_set_affinity(const std::uint64_t* mask, std::size_t words) noexcept {
  for (std::size_t i = 1; i < words; ++i)
    if (mask[i] != 0) return error{errc::invalid_argument, ops::thread_set_affinity};
  std::uint64_t bits = words > 0 ? mask[0] : 0;
  if constexpr (sizeof(DWORD_PTR) < sizeof(std::uint64_t)) {
    if (bits >> 32 != 0) return error{errc::invalid_argument, ops::thread_set_affinity};
  }
  if (bits == 0) return error{errc::invalid_argument, ops::thread_set_affinity};
  if (::SetThreadAffinityMask(::GetCurrentThread(), static_cast<DWORD_PTR>(bits)) == 0)
    return detail::last_error(ops::thread_set_affinity);
  return {};
}

VITTE_DECL int os_platform_base::thread_current_cpu() noexcept {
  return static_cast<int>(::GetCurrentProcessorNumber());
}

VITTE_DECL error os_platform_base::wait_on_address(const void* addr, std::uint32_t expected,
                                                   std::int64_t deadline_ns) noexcept {
  const detail::win32::address_wait_api& api = detail::win32::address_wait();
  if (!api.available())
    return detail::parking_table<detail::win32::parking_native>::instance().wait(addr, expected, deadline_ns);
  if (api.wait(const_cast<void*>(addr), &expected, sizeof expected, detail::win32::wait_ms(deadline_ns))) return {};
  if (::GetLastError() == ERROR_TIMEOUT) return detail::win32::timeout_result(deadline_ns, ops::wait_on_address);
  return detail::last_error(ops::wait_on_address);
}

VITTE_DECL void os_platform_base::wake_on_address(const void* addr, bool all) noexcept {
  const detail::win32::address_wait_api& api = detail::win32::address_wait();
  if (!api.available()) {
    detail::parking_table<detail::win32::parking_native>::instance().wake(addr);
    return;
  }
  (all ? api.wake_all : api.wake_one)(const_cast<void*>(addr));
}

VITTE_DECL void os_platform_base::mutex_init(void* m) noexcept { ::InitializeSRWLock(detail::win32::as_srw(m)); }

VITTE_DECL void os_platform_base::mutex_destroy(void*) noexcept {}

VITTE_DECL void os_platform_base::mutex_lock(void* m) noexcept { ::AcquireSRWLockExclusive(detail::win32::as_srw(m)); }

VITTE_DECL bool os_platform_base::mutex_try_lock(void* m) noexcept {
  return ::TryAcquireSRWLockExclusive(detail::win32::as_srw(m)) != 0;
}

VITTE_DECL void os_platform_base::mutex_unlock(void* m) noexcept {
  ::ReleaseSRWLockExclusive(detail::win32::as_srw(m));
}

VITTE_DECL void os_platform_base::condition_init(void* c) noexcept {
  ::InitializeConditionVariable(detail::win32::as_cv(c));
}

VITTE_DECL void os_platform_base::condition_destroy(void*) noexcept {}

// SleepConditionVariableSRW; errc::timed_out once the monotonic clock
// reaches deadline_ns. May wake spuriously.
VITTE_DECL error os_platform_base::condition_wait(void* c, void* m, std::int64_t deadline_ns) noexcept {
  if (detail::win32::sleep_on(detail::win32::as_cv(c), detail::win32::as_srw(m), deadline_ns)) return {};
  return error{errc::timed_out, ops::condition_wait, ERROR_TIMEOUT, error_domain::win32};
}

VITTE_DECL void os_platform_base::condition_notify(void* c, bool all) noexcept {
  if (all) {
    ::WakeAllConditionVariable(detail::win32::as_cv(c));
    return;
  }
  ::WakeConditionVariable(detail::win32::as_cv(c));
}

VITTE_DECL void os_platform_base::shared_mutex_init(void* m) noexcept { ::InitializeSRWLock(detail::win32::as_srw(m)); }

VITTE_DECL void os_platform_base::shared_mutex_destroy(void*) noexcept {}

VITTE_DECL void os_platform_base::shared_mutex_lock(void* m) noexcept {
  ::AcquireSRWLockExclusive(detail::win32::as_srw(m));
}

VITTE_DECL bool os_platform_base::shared_mutex_try_lock(void* m) noexcept {
  return ::TryAcquireSRWLockExclusive(detail::win32::as_srw(m)) != 0;
}

VITTE_DECL void os_platform_base::shared_mutex_unlock(void* m) noexcept {
  ::ReleaseSRWLockExclusive(detail::win32::as_srw(m));
}

VITTE_DECL void os_platform_base::shared_mutex_lock_shared(void* m) noexcept {
  ::AcquireSRWLockShared(detail::win32::as_srw(m));
}

VITTE_DECL bool os_platform_base::shared_mutex_try_lock_shared(void* m) noexcept {
  return ::TryAcquireSRWLockShared(detail::win32::as_srw(m)) != 0;
}

VITTE_DECL void os_platform_base::shared_mutex_unlock_shared(void* m) noexcept {
  ::ReleaseSRWLockShared(detail::win32::as_srw(m));
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_WIN32_THREAD_IPP
