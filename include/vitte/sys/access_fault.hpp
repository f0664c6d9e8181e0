// vitte/sys/access_fault.hpp - code that may touch guard pages, run so that
// such an access returns instead of ending the process.
//
// An interpreter that reserves guard pages beyond its data (see
// vitte/sys/memory.hpp) can drop its bounds checks and let the hardware
// find the accesses that fall outside:
//
//   namespace sys = vitte::sys;
//   bool in_guard(void* r, const void* at) noexcept {   // called in the handler: read, nothing else
//     auto* g = static_cast<sys::region*>(r);
//     return at >= g->data() && at < g->data() + g->size();
//   }
//   if (!sys::install_access_fault_handler()) return check_every_access();   // boards, and where it cannot
//   sys::access_fault f = sys::run_catching_access_faults(&interpret, &state, &in_guard, &guard);
//   if (f) report_out_of_bounds(f.address);              // interpret() stopped at that access
//
// A fault is claimed only by the calling thread's innermost run, and only
// when its filter accepts the address; every other fault goes to the
// handler installed before (or ends the process as it would have). Code a
// run calls that must not have its faults claimed (a callback into the
// host) runs inside a basic_access_fault_pause. Runs nest.
//
// What a claimed fault skips is gone: no destructor runs in the frames
// between the run and the faulting access, so run only code that owns
// nothing in those frames (an interpreter loop over state it keeps
// elsewhere).
//
// Backends:
//   POSIX      one SIGSEGV and SIGBUS handler (SA_SIGINFO | SA_NODEFER |
//              SA_ONSTACK) that siglongjmps. A handler installed later takes
//              the faults until install_access_fault_handler() runs again
//              (it puts this one back on top, passing on to that one).
//   Windows    a vectored exception handler that resumes the thread in a
//              landing function which jumps back (GCC and Clang).
//   Boards     no capability (access_fault_platform lacks it): check each
//              access instead.
//
// Thread safety: runs are per thread; install_access_fault_handler() may be
// called concurrently.
#ifndef VITTE_SYS_ACCESS_FAULT_HPP
#define VITTE_SYS_ACCESS_FAULT_HPP

#include <vitte/base/config.hpp>
#include <vitte/sys/capabilities.hpp>  // VITTE_REQUIRE_CAPABILITY
#include <vitte/sys/platform.hpp>

#include <concepts>  // std::same_as

namespace vitte::sys {

/// Claims an access fault for a run: called from the fault handler with the
/// address the faulting access touched, it returns true when the run
/// expects faults there (a guard page it reserved). It runs inside a signal
/// handler: read memory, call nothing.
using fault_filter = bool (*)(void* context, const void* address) noexcept;

/// How a run ended: true when an access fault the run's filter claimed
/// stopped it, with the address touched.
struct access_fault {
  bool stopped = false;
  const void* address = nullptr;
  constexpr explicit operator bool() const noexcept { return stopped; }
};

/// What a policy provides for these runs: `fault_install()` installs the
/// handler (false when it cannot); `fault_run(fn, arg, claims, context)`
/// runs fn(arg), returning early when it touches an address
/// claims(context, address) accepts; `fault_swap(scope)` makes scope (a
/// run, or null) the calling thread's innermost run and returns the one it
/// replaces.
template <class P>
concept access_fault_capability = requires(void (*fn)(void*), void* p, fault_filter claims) {
  { P::fault_install() } noexcept -> std::same_as<bool>;
  { P::fault_run(fn, p, claims, p) } -> std::same_as<access_fault>;
  { P::fault_swap(p) } noexcept -> std::same_as<void*>;
};

#if VITTE_OS_POSIX || VITTE_OS_WINDOWS
/// The access faults of an OS. Definitions: vitte/sys/detail/posix/
/// access_fault.ipp and vitte/sys/detail/win32/access_fault.ipp.
struct os_access_faults {
  static VITTE_DECL bool fault_install() noexcept;
  static VITTE_DECL access_fault fault_run(void (*fn)(void*), void* arg, fault_filter claims, void* context);
  static VITTE_DECL void* fault_swap(void* scope) noexcept;
};
/// The default policy of these runs.
using access_fault_platform = os_access_faults;
#else
/// Boards: the platform, which lacks the capability.
using access_fault_platform = platform;
#endif

/// Installs the process's access fault handler; false when it cannot (the
/// OS refuses it, or faults cannot be turned into returns: a compiler
/// without the jump this needs on Windows). Call it before runs: POSIX
/// installs it again when another handler has taken its place since (that
/// one then gets the faults no run claims); Windows installs it once.
/// Thread safety: may be called concurrently.
template <class P = access_fault_platform>
bool install_access_fault_handler() noexcept {
  VITTE_REQUIRE_CAPABILITY(P, access_fault);
  return P::fault_install();
}

/// Runs fn(arg). When fn touches an address for which claims(context,
/// address) returns true, the access does not complete and the run returns
/// at once with that address; otherwise it returns fn's end, an empty
/// access_fault (an exception fn throws passes through). Needs
/// install_access_fault_handler() to have succeeded. POSIX: the first run
/// on a thread unblocks SIGSEGV and SIGBUS there (a blocked fault would end
/// the process; blocking them has no other effect).
template <class P = access_fault_platform>
access_fault run_catching_access_faults(void (*fn)(void*), void* arg, fault_filter claims, void* context) {
  VITTE_REQUIRE_CAPABILITY(P, access_fault);
  return P::fault_run(fn, arg, claims, context);
}

/// While it lives, the calling thread has no innermost run: faults go to
/// the handler before (a callback into code the run's filter does not
/// speak for). Runs started inside it claim their own faults.
template <class P = access_fault_platform>
class basic_access_fault_pause {
  VITTE_REQUIRE_CAPABILITY(P, access_fault);

 public:
  basic_access_fault_pause() noexcept : outer_(P::fault_swap(nullptr)) {}
  ~basic_access_fault_pause() { P::fault_swap(outer_); }
  basic_access_fault_pause(const basic_access_fault_pause&) = delete;
  basic_access_fault_pause& operator=(const basic_access_fault_pause&) = delete;

 private:
  void* outer_;
};

}  // namespace vitte::sys

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/access_fault.ipp>
#endif

#endif  // VITTE_SYS_ACCESS_FAULT_HPP
