// The Windows sandbox (vitte/sys/sandbox.hpp): the child's job object gets
// limits (active processes, committed memory per process, user CPU time,
// kill on close) and UI restrictions (no other desktop, clipboard, global
// atoms, display settings, system parameters or exit of Windows). Paths,
// network and system calls are not enforced: the report says so. The
// limits reach the job as soon as the spawn returns: the child's first
// instructions run before them (the platform resumes it at creation).
// Reached through detail/sandbox.ipp.
#ifndef VITTE_SYS_DETAIL_WIN32_SANDBOX_IPP
#define VITTE_SYS_DETAIL_WIN32_SANDBOX_IPP

#include <vitte/base/detail/win32/windows.hpp>
#include <vitte/sys/detail/win32/last_error.hpp>
#include <vitte/sys/policy/win32.hpp>
#include <vitte/sys/sandbox.hpp>

namespace vitte::sys {

VITTE_DECL int sandbox_kernel::landlock_abi() noexcept { return -38; }  // ENOSYS
VITTE_DECL int sandbox_kernel::unshare(int) noexcept { return 38; }
VITTE_DECL int sandbox_kernel::seccomp_install(const void*) noexcept { return 38; }

VITTE_DECL error detail::sandbox_spawn(sandbox_session& session, const spawn_request& req,
                                       native_process& out) noexcept {
  const sandbox_settings& s = *session.settings;
  sandbox_report& r = session.report;
  r = sandbox_report{};
  const char* none = "not enforced on Windows";
  r[sandbox_layer::landlock_fs] = {layer_state::unsupported, 0, none};
  r[sandbox_layer::seccomp] = {layer_state::unsupported, 0, none};
  if (s.network != sandbox_network::any) r[sandbox_layer::net_namespace] = {layer_state::unsupported, 0, none};
  r[sandbox_layer::readonly_mounts] = {layer_state::unsupported, 0, none};
  if (s.missing == sandbox_missing::fail) return error{errc::not_supported, ops::process_spawn};
  if (s.uid >= 0 || s.gid >= 0) return error{errc::not_supported, ops::process_spawn};  // run_as: no POSIX ids
  if (s.clear_env && req.envp == nullptr) {
    // The command's own environment edits come as envp; without any, the
    // parent's would be inherited: give none but the kept names.
    r[sandbox_layer::environment] = {layer_state::refused, 0, "clear the command's environment (env_clear)"};
  } else if (s.clear_env) {
    r[sandbox_layer::environment] = {layer_state::applied, 0, "the command's environment"};
  }
  spawn_request child = req;
  child.new_group = true;  // the job is the sandbox
  if (error e = platform::process_spawn(child, out)) return e;
  HANDLE job = reinterpret_cast<HANDLE>(out.group);
  if (out.group == invalid_handle) {
    r[sandbox_layer::job_object] = {layer_state::refused, 0, "the child could not be put in a job"};
    return {};
  }
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits;
  ::ZeroMemory(&limits, sizeof limits);
  DWORD flags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE | JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION;
  const sandbox_limits& lim = s.limits;
  if (lim.processes != 0) {
    r[sandbox_layer::process_limit] = {layer_state::applied, 0, "the job's active process count"};
    flags |= JOB_OBJECT_LIMIT_ACTIVE_PROCESS;
    limits.BasicLimitInformation.ActiveProcessLimit = static_cast<DWORD>(lim.processes);
  }
  if (lim.address_space != 0) {
    flags |= JOB_OBJECT_LIMIT_PROCESS_MEMORY;
    limits.ProcessMemoryLimit = static_cast<SIZE_T>(lim.address_space);
  }
  if (lim.memory != 0) {
    flags |= JOB_OBJECT_LIMIT_JOB_MEMORY;
    limits.JobMemoryLimit = static_cast<SIZE_T>(lim.memory);
    r[sandbox_layer::memory_limit] = {layer_state::applied, 0, "the job's committed memory"};
  }
  if (lim.wall_seconds != 0)
    r[sandbox_layer::wall_clock] = {layer_state::unsupported, 0, "on Windows the caller's deadline ends the job"};
  if (lim.cpu_seconds != 0) {
    flags |= JOB_OBJECT_LIMIT_JOB_TIME;
    limits.BasicLimitInformation.PerJobUserTimeLimit.QuadPart = static_cast<LONGLONG>(lim.cpu_seconds) * 10000000;
  }
  limits.BasicLimitInformation.LimitFlags = flags;
  if (::SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof limits)) {
    r[sandbox_layer::job_object] = {layer_state::applied, 0, "job limits (after the first instructions)"};
  } else {
    const int code = static_cast<int>(::GetLastError());
    r[sandbox_layer::job_object] = {layer_state::refused, code, "job limits refused"};
    if (lim.processes != 0) r[sandbox_layer::process_limit] = {layer_state::refused, code, "job limits refused"};
    if (lim.memory != 0) r[sandbox_layer::memory_limit] = {layer_state::refused, code, "job limits refused"};
  }
  if (lim.open_files != 0 || lim.file_size != 0)
    r[sandbox_layer::rlimits] = {layer_state::unsupported, 0, "no descriptor or file-size limit on Windows"};
  if (s.ui_restrictions) {
    JOBOBJECT_BASIC_UI_RESTRICTIONS ui;
    ui.UIRestrictionsClass = JOB_OBJECT_UILIMIT_DESKTOP | JOB_OBJECT_UILIMIT_DISPLAYSETTINGS |
                             JOB_OBJECT_UILIMIT_EXITWINDOWS | JOB_OBJECT_UILIMIT_GLOBALATOMS |
                             JOB_OBJECT_UILIMIT_HANDLES | JOB_OBJECT_UILIMIT_READCLIPBOARD |
                             JOB_OBJECT_UILIMIT_SYSTEMPARAMETERS | JOB_OBJECT_UILIMIT_WRITECLIPBOARD;
    if (::SetInformationJobObject(job, JobObjectBasicUIRestrictions, &ui, sizeof ui))
      r[sandbox_layer::ui_restrictions] = {layer_state::applied, 0, "no desktop, clipboard or global atoms"};
    else
      r[sandbox_layer::ui_restrictions] = {layer_state::refused, static_cast<int>(::GetLastError()),
                                           "UI restrictions refused"};
  }
  return {};
}

VITTE_DECL void detail::sandbox_reaped(std::int64_t) noexcept {}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_WIN32_SANDBOX_IPP
