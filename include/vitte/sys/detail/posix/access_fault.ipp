// Access faults of the POSIX policies as returns (vitte/sys/access_fault.hpp):
// one SIGSEGV and SIGBUS handler for the process (sigaction, SA_SIGINFO |
// SA_NODEFER | SA_ONSTACK), installed by fault_install(), and again when a
// handler installed since has taken its place (a test framework's, around
// each test). A fault the calling thread's innermost run claims ends that
// run with a jump back; any other goes to the handler that was there before
// (or, for the default disposition, comes back once more and ends the
// process as it would have). The jump saves no signal mask (no system call
// per run); the handler puts back the faulting code's mask from its context
// before jumping. Reached through vitte/sys/detail/access_fault.ipp.
#ifndef VITTE_SYS_DETAIL_POSIX_ACCESS_FAULT_IPP
#define VITTE_SYS_DETAIL_POSIX_ACCESS_FAULT_IPP

#include <vitte/sys/access_fault.hpp>

#if !VITTE_OS_POSIX
#error "vitte: detail/posix/access_fault.ipp is for POSIX targets"
#endif

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>

// The jump back. On x86-64 with GCC or Clang, __builtin_setjmp: three
// words saved, against sigsetjmp's eight and its pointer mangling (a run
// costs about 20 instructions less). Under the sanitizers, which follow
// longjmp through their interceptors, and elsewhere, sigsetjmp without
// the signal mask (the handler puts the mask back itself).
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define VITTE_FAULT_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define VITTE_FAULT_SANITIZED 1
#endif
namespace vitte::sys::detail::posix_fault {

#if defined(__x86_64__) && defined(__GNUC__) && !defined(VITTE_FAULT_SANITIZED)
using jump_buffer = void* [5];
#define VITTE_FAULT_SETJMP(b) __builtin_setjmp(b)
#define VITTE_FAULT_LONGJMP(b) __builtin_longjmp(b, 1)
#else
using jump_buffer = sigjmp_buf;
#define VITTE_FAULT_SETJMP(b) sigsetjmp(b, 0)
#define VITTE_FAULT_LONGJMP(b) ::siglongjmp(b, 1)
#endif

struct scope {
  jump_buffer jump;
  fault_filter claims;
  void* context;
  const void* volatile address;
};

inline thread_local scope* innermost = nullptr;
inline struct sigaction before_segv, before_bus;

inline void pass_on(int sig, siginfo_t* info, void* uc) noexcept {
  struct sigaction& before = sig == SIGBUS ? before_bus : before_segv;
  if ((before.sa_flags & SA_SIGINFO) != 0 && before.sa_sigaction != nullptr) {
    before.sa_sigaction(sig, info, uc);
    return;
  }
  if (before.sa_handler != SIG_DFL && before.sa_handler != SIG_IGN) {
    before.sa_handler(sig);
    return;
  }
  // The default: put it back; returning runs the access again, which now
  // ends the process with the signal it would have had without us.
  ::sigaction(sig, &before, nullptr);
}

extern "C" inline void on_fault(int sig, siginfo_t* info, void* uc) {
  scope* s = innermost;
  if (s != nullptr && s->claims(s->context, info->si_addr)) {
    s->address = info->si_addr;
    // The mask of the faulting code: with SA_NODEFER it is already in
    // force, unless a wrapper (ThreadSanitizer's) ran this handler with
    // every signal blocked.
    ::pthread_sigmask(SIG_SETMASK, &static_cast<ucontext_t*>(uc)->uc_sigmask, nullptr);
    VITTE_FAULT_LONGJMP(s->jump);
  }
  pass_on(sig, info, uc);
}

inline bool is_ours(const struct sigaction& a) noexcept {
  return (a.sa_flags & SA_SIGINFO) != 0 && a.sa_sigaction == &on_fault;
}

// Puts the handler on `sig` unless it is there already; what it finds is
// where the faults no run claims go.
inline bool install_on(int sig, struct sigaction& before) noexcept {
  struct sigaction now;
  if (::sigaction(sig, nullptr, &now) != 0) return false;
  if (is_ours(now)) return true;
  struct sigaction sa;
  ::memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = &on_fault;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);  // a macro on macOS
  before = now;
  return ::sigaction(sig, &sa, nullptr) == 0;
}

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

// A thread that blocked SIGSEGV and SIGBUS (sigfillset before starting
// threads) would die of its first claimed fault: Linux delivers a blocked
// synchronous fault with the default action. Blocking them has no other
// effect, so the first run on each thread unblocks them there.
inline void unblock_once() noexcept {
  static thread_local bool done = false;
  if (done) return;
  sigset_t faults;
  sigemptyset(&faults);  // macros on macOS
  sigaddset(&faults, SIGSEGV);
  sigaddset(&faults, SIGBUS);
  ::pthread_sigmask(SIG_UNBLOCK, &faults, nullptr);
  done = true;
}

inline pthread_mutex_t install_lock = PTHREAD_MUTEX_INITIALIZER;

inline bool install() noexcept {
  ::pthread_mutex_lock(&install_lock);
  bool ok = install_on(SIGSEGV, before_segv) && install_on(SIGBUS, before_bus);
  ::pthread_mutex_unlock(&install_lock);
  return ok;
}

}  // namespace vitte::sys::detail::posix_fault

namespace vitte::sys {

VITTE_DECL bool os_access_faults::fault_install() noexcept { return detail::posix_fault::install(); }

VITTE_DECL access_fault os_access_faults::fault_run(void (*fn)(void*), void* arg, fault_filter claims, void* context) {
  namespace f = detail::posix_fault;
  f::unblock_once();
  f::scope s;
  s.claims = claims;
  s.context = context;
  s.address = nullptr;
  f::innermost_until_return restore(&s);  // on every way out: return, jump back, exception
  if (VITTE_FAULT_SETJMP(s.jump) != 0) return {true, s.address};
  fn(arg);
  return {};
}

VITTE_DECL void* os_access_faults::fault_swap(void* scope) noexcept {
  namespace f = detail::posix_fault;
  f::scope* old = f::innermost;
  f::innermost = static_cast<f::scope*>(scope);
  return old;
}

}  // namespace vitte::sys

#undef VITTE_FAULT_SETJMP
#undef VITTE_FAULT_LONGJMP
#undef VITTE_FAULT_SANITIZED

#endif  // VITTE_SYS_DETAIL_POSIX_ACCESS_FAULT_IPP
