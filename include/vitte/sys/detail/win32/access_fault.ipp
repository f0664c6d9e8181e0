// Access faults of win32_platform as returns (vitte/sys/access_fault.hpp):
// a vectored exception handler, added on the first fault_install(). An
// access violation the calling thread's innermost run claims does not
// unwind from inside the handler: the handler points the faulting thread's
// context at a landing function, as if the access had called it, and lets
// execution continue there; the landing jumps back into fault_run
// (__builtin_longjmp: registers only, no unwinding). Any other exception
// goes on to the next handler. Needs GCC or Clang (__builtin_setjmp); other
// compilers cannot install it, and callers check every access instead.
// Reached through vitte/sys/detail/access_fault.ipp.
#ifndef VITTE_SYS_DETAIL_WIN32_ACCESS_FAULT_IPP
#define VITTE_SYS_DETAIL_WIN32_ACCESS_FAULT_IPP

#include <vitte/base/detail/win32/windows.hpp>
#include <vitte/sys/access_fault.hpp>

namespace vitte::sys::detail::win32_fault {

struct scope {
  void* jump[5];  // __builtin_setjmp's buffer
  fault_filter claims;
  void* context;
  const void* volatile address;
};

inline thread_local scope* innermost = nullptr;

// Makes `s` the thread's innermost run while it lives.
class innermost_until_return {
 public:
  explicit innermost_until_return(scope* s) noexcept : outer_(innermost) { innermost = s; }
  ~innermost_until_return() { innermost = outer_; }
  innermost_until_return(const innermost_until_return&) = delete;
  innermost_until_return& operator=(const innermost_until_return&) = delete;

 private:
  scope* outer_;
};

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__aarch64__))
[[noreturn]] inline void land() noexcept { __builtin_longjmp(innermost->jump, 1); }

inline LONG WINAPI on_exception(EXCEPTION_POINTERS* e) {
  if (e->ExceptionRecord->ExceptionCode != EXCEPTION_ACCESS_VIOLATION) return EXCEPTION_CONTINUE_SEARCH;
  scope* s = innermost;
  const void* at = reinterpret_cast<const void*>(e->ExceptionRecord->ExceptionInformation[1]);
  if (s == nullptr || !s->claims(s->context, at)) return EXCEPTION_CONTINUE_SEARCH;
  s->address = at;
  CONTEXT* c = e->ContextRecord;
#if defined(__x86_64__)
  c->Rsp = (c->Rsp & ~static_cast<DWORD64>(15)) - 8;  // as after a call
  c->Rip = reinterpret_cast<DWORD64>(&land);
#else
  c->Sp &= ~static_cast<DWORD64>(15);
  c->Pc = reinterpret_cast<DWORD64>(&land);
#endif
  return EXCEPTION_CONTINUE_EXECUTION;
}

inline bool install() noexcept { return ::AddVectoredExceptionHandler(1, &on_exception) != nullptr; }
#else
inline bool install() noexcept { return false; }
#endif

}  // namespace vitte::sys::detail::win32_fault

namespace vitte::sys {

VITTE_DECL bool os_access_faults::fault_install() noexcept {
  static const bool installed = detail::win32_fault::install();
  return installed;
}

VITTE_DECL access_fault os_access_faults::fault_run(void (*fn)(void*), void* arg, fault_filter claims, void* context) {
  namespace f = detail::win32_fault;
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__aarch64__))
  f::scope s;
  s.claims = claims;
  s.context = context;
  s.address = nullptr;
  f::innermost_until_return restore(&s);  // on every way out: return, jump back, exception
  if (__builtin_setjmp(s.jump) != 0) return {true, s.address};
  fn(arg);
  return {};
#else
  (void)claims;
  (void)context;
  fn(arg);  // fault_install() said no: nothing is claimed
  return {};
#endif
}

VITTE_DECL void* os_access_faults::fault_swap(void* scope) noexcept {
  namespace f = detail::win32_fault;
  f::scope* old = f::innermost;
  f::innermost = static_cast<f::scope*>(scope);
  return old;
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_WIN32_ACCESS_FAULT_IPP
