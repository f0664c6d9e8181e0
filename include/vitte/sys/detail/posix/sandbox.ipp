// The sandbox of Darwin and the BSDs (vitte/sys/sandbox.hpp): rlimits and
// the environment only. Darwin's sandbox_init profiles are deprecated and
// undocumented, FreeBSD's Capsicum and OpenBSD's pledge/unveil confine the
// calling process rather than describe a child: the report says that
// paths, network and system calls are not enforced here. Reached through
// detail/sandbox.ipp.
#ifndef VITTE_SYS_DETAIL_POSIX_SANDBOX_IPP
#define VITTE_SYS_DETAIL_POSIX_SANDBOX_IPP

#include <vitte/sys/detail/posix/errno.hpp>
#include <vitte/sys/detail/posix/process.ipp>        // posix_process::fork_exec
#include <vitte/sys/detail/posix/sandbox_setup.hpp>  // the environment, rlimits
#include <vitte/sys/sandbox.hpp>

#include <errno.h>
#include <grp.h>     // setgroups
#include <unistd.h>  // getuid, setgid, setuid

namespace vitte::sys {

VITTE_DECL int sandbox_kernel::landlock_abi() noexcept { return -ENOSYS; }
VITTE_DECL int sandbox_kernel::unshare(int) noexcept { return ENOSYS; }
VITTE_DECL int sandbox_kernel::seccomp_install(const void*) noexcept { return ENOSYS; }

VITTE_DECL error detail::sandbox_spawn(sandbox_session& session, const spawn_request& req,
                                       native_process& out) noexcept {
  const sandbox_settings& s = *session.settings;
  sandbox_report& r = session.report;
  r = sandbox_report{};
  const char* none = "not enforced on this platform";
  const sandbox_layer absent[] = {sandbox_layer::landlock_fs, sandbox_layer::seccomp, sandbox_layer::no_new_privs};
  for (sandbox_layer l : absent) r[l] = layer_outcome{layer_state::unsupported, 0, none};
  if (s.network != sandbox_network::any) r[sandbox_layer::net_namespace] = {layer_state::unsupported, 0, none};
  if (s.namespaces) r[sandbox_layer::user_namespace] = {layer_state::unsupported, 0, none};
  r[sandbox_layer::readonly_mounts] = {layer_state::unsupported, 0, none};
  if (s.limits.memory != 0) r[sandbox_layer::memory_limit] = {layer_state::unsupported, 0, none};
  if (s.limits.wall_seconds != 0) r[sandbox_layer::wall_clock] = {layer_state::unsupported, 0, none};
  if (s.missing == sandbox_missing::fail) return error{errc::not_supported, ops::process_spawn};

  spawn_request child = req;
  buffer<const char*> envp;
  if (int kept = detail::posix_sandbox::filter_environment(s, child, envp); kept >= 0)
    r[sandbox_layer::environment] = {layer_state::applied, kept, "cleared"};
  const detail::posix_sandbox::rlimit_plan limits(s.limits, s.limits.processes);
  if (limits.any()) r[sandbox_layer::rlimits] = {layer_state::applied, 0, "setrlimit"};
  if (s.limits.processes != 0) {
    // RLIMIT_NPROC counts every process of the user, and binds none of root's.
    if (::getuid() == 0)
      r[sandbox_layer::process_limit] = {layer_state::refused, EPERM, "RLIMIT_NPROC binds no process of root"};
    else
      r[sandbox_layer::process_limit] = {layer_state::applied, 0, "RLIMIT_NPROC (all the user's processes count)"};
  }
  // run_as: the caller must be root; the child changes its ids first.
  const bool run_as = s.uid >= 0 || s.gid >= 0;
  if (run_as && ::getuid() != 0) return error{errc::permission_denied, ops::process_spawn, EPERM, error_domain::posix};
  const uid_t uid = s.uid >= 0 ? static_cast<uid_t>(s.uid) : ::getuid();
  const gid_t gid = s.gid >= 0 ? static_cast<gid_t>(s.gid) : ::getgid();
  return posix_process::fork_exec(child, out, ops::process_spawn, [&] {
    if (run_as && (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0)) return errno;
    return limits.apply();
  });
}

VITTE_DECL void detail::sandbox_reaped(std::int64_t) noexcept {}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_POSIX_SANDBOX_IPP
