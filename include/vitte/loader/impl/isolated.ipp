// vitte/loader/impl/isolated.ipp - what an isolated plugin's failure says
// (vitte/loader/isolated.hpp): signal names and isolated_failure::message.
#ifndef VITTE_LOADER_IMPL_ISOLATED_IPP
#define VITTE_LOADER_IMPL_ISOLATED_IPP

#include <vitte/base.hpp>
#include <vitte/loader/isolated.hpp>

#include <csignal>  // signal numbers
#include <string>   // std::to_string

namespace vitte::loader {

VITTE_DECL text_view signal_name(int signal) noexcept {
  struct named {
    int number;
    const char* name;
  };
  static constexpr named names[] = {
      {SIGSEGV, "SIGSEGV"}, {SIGABRT, "SIGABRT"}, {SIGFPE, "SIGFPE"},
      {SIGILL, "SIGILL"},   {SIGTERM, "SIGTERM"}, {SIGINT, "SIGINT"},
#ifdef SIGKILL
      {SIGKILL, "SIGKILL"},
#endif
#ifdef SIGBUS
      {SIGBUS, "SIGBUS"},
#endif
#ifdef SIGSYS
      {SIGSYS, "SIGSYS"},
#endif
#ifdef SIGXCPU
      {SIGXCPU, "SIGXCPU"},
#endif
#ifdef SIGXFSZ
      {SIGXFSZ, "SIGXFSZ"},
#endif
#ifdef SIGPIPE
      {SIGPIPE, "SIGPIPE"},
#endif
  };
  for (const named& n : names)
    if (n.number == signal) return n.name;
  return {};
}

VITTE_DECL text isolated_failure::message() const {
  const text during = call.empty() ? text(" while loading the plugin") : " during the call to '" + call + "'";
  const text more = detail.empty() ? text() : ": " + detail;
  switch (what) {
    case isolated_outcome::none:
      return "no failure";
    case isolated_outcome::refused:
      return "the plugin host refused the call to '" + call + "'" + more;
    case isolated_outcome::spawn_failed:
      return "the plugin host could not be started" + more;
    case isolated_outcome::load_failed:
      return "the plugin host could not load the plugin" + more;
    case isolated_outcome::signaled: {
      text_view name = signal_name(status.signal());
      text sig = std::to_string(status.signal());
      if (!name.empty()) sig += " (" + text(name) + ")";
      return "the plugin host died of signal " + sig + during + more;
    }
    case isolated_outcome::exited:
      return "the plugin host exited with code " + std::to_string(status.code()) + during + more;
    case isolated_outcome::timed_out:
      return "the plugin host passed its deadline" + during + "; it was killed" + more;
    case isolated_outcome::protocol:
      return "the plugin host broke the protocol" + during + "; it was killed" + more;
    case isolated_outcome::gone:
      return "the plugin host is gone (restart it)" + during;
  }
  return "failure";
}

}  // namespace vitte::loader

#endif  // VITTE_LOADER_IMPL_ISOLATED_IPP
