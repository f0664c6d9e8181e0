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
//   if (auto s = sys::install_access_fault_handler(); !s) return s.error();   // not_supported: check instead
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
//   Boards     no capability: check each access instead.
//
// Thread safety: runs are per thread; install_access_fault_handler() may be
// called concurrently.
#ifndef VITTE_SYS_ACCESS_FAULT_HPP
#define VITTE_SYS_ACCESS_FAULT_HPP

#include <vitte/base.hpp>
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/memory_types.hpp>  // fault_filter, access_fault
#include <vitte/sys/operations.hpp>
#include <vitte/sys/platform.hpp>

namespace vitte::sys {

/// Installs the process's access fault handler. Call it before runs: POSIX
/// installs it again when another handler has taken its place since (that
/// one then gets the faults no run claims); Windows installs it once.
/// Errors: memory_fault_handler with the OS's reason; not_supported where
/// faults cannot be turned into returns (a compiler without the jump this
/// needs on Windows).
/// Thread safety: may be called concurrently.
template <class P = platform>
status install_access_fault_handler() noexcept {
  VITTE_REQUIRE_CAPABILITY(P, access_fault);
  return P::fault_install();
}

/// Runs fn(arg). When fn touches an address for which claims(context,
/// address) returns true, the access does not complete and the run returns
/// at once with that address; otherwise it returns fn's end, an empty
/// access_fault. Needs install_access_fault_handler() to have succeeded.
template <class P = platform>
access_fault run_catching_access_faults(void (*fn)(void*), void* arg, fault_filter claims, void* context) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, access_fault);
  return P::fault_run(fn, arg, claims, context);
}

/// While it lives, the calling thread has no innermost run: faults go to
/// the handler before (a callback into code the run's filter does not
/// speak for). Runs started inside it claim their own faults.
template <class P = platform>
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
