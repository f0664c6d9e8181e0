// What the POSIX sandbox backends (detail/linux/sandbox.ipp,
// detail/posix/sandbox.ipp) share: the environment a cleared sandbox
// passes, and the rlimit table with its async-signal-safe application.
// sandbox.hpp ahead of the guard: included first, it brings the backends,
// which include this header once its declarations are there.
#include <vitte/sys/sandbox.hpp>

#ifndef VITTE_SYS_DETAIL_POSIX_SANDBOX_SETUP_HPP
#define VITTE_SYS_DETAIL_POSIX_SANDBOX_SETUP_HPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/text_view.hpp>

#include <cstdint>

#include <errno.h>
#include <sys/resource.h>

extern "C" char** environ;

namespace vitte::sys::detail::posix_sandbox {

// With clear_env: `child.envp` becomes the entries of the request's
// environment (or this process's) whose names are kept; `envp` holds them
// and must outlive the spawn. Returns how many were kept, or -1 when the
// environment is passed as it is.
inline int filter_environment(const sandbox_settings& s, spawn_request& child, buffer<const char*>& envp) {
  if (!s.clear_env) return -1;
  char* const* from = child.envp != nullptr ? const_cast<char* const*>(child.envp) : environ;
  for (char* const* e = from; *e != nullptr; ++e) {
    text_view entry(*e);
    text_view name = entry.substr(0, entry.find('='));
    for (const text& k : s.keep_env)
      if (name == k.view()) envp.push_back(*e);
  }
  envp.push_back(nullptr);
  child.envp = envp.data();
  return static_cast<int>(envp.size() - 1);
}

// The rlimits of `lim`, RLIMIT_NPROC at `processes` (0: not set), made in
// the parent and applied in the child.
struct rlimit_plan {
  struct entry {
    int resource;
    std::uint64_t value;  // 0: left alone
  };
  entry entries[5];

  rlimit_plan(const sandbox_limits& lim, std::uint64_t processes) noexcept
      : entries{{RLIMIT_CPU, lim.cpu_seconds},
                {RLIMIT_AS, lim.address_space},
                {RLIMIT_NOFILE, lim.open_files != 0 && lim.open_files < 4 ? 4 : lim.open_files},
                {RLIMIT_NPROC, processes},
                {RLIMIT_FSIZE, lim.file_size}} {}

  bool any() const noexcept {
    for (const entry& e : entries)
      if (e.value != 0) return true;
    return false;
  }

  // Child side (async-signal-safe): soft and hard alike, CPU's hard limit a
  // second above (SIGXCPU at the limit, SIGKILL a second later). 0 or the
  // first errno.
  int apply() const noexcept {
    int code = 0;
    for (const entry& e : entries) {
      if (e.value == 0) continue;
      struct rlimit v;
      v.rlim_cur = static_cast<rlim_t>(e.value);
      v.rlim_max = static_cast<rlim_t>(e.resource == RLIMIT_CPU ? e.value + 1 : e.value);
      if (::setrlimit(e.resource, &v) != 0 && code == 0) code = errno;
    }
    return code;
  }
};

}  // namespace vitte::sys::detail::posix_sandbox

#endif  // VITTE_SYS_DETAIL_POSIX_SANDBOX_SETUP_HPP
