// The system calls the sandbox's seccomp profiles refuse
// (detail/linux/sandbox.ipp): numbers of this architecture, each present
// only where the architecture has the call. The compiler profile's
// allow-list is in sandbox_compiler_calls.hpp.
#ifndef VITTE_SYS_DETAIL_LINUX_SANDBOX_REFUSED_CALLS_HPP
#define VITTE_SYS_DETAIL_LINUX_SANDBOX_REFUSED_CALLS_HPP

#include <sys/syscall.h>

namespace vitte::sys::detail::linux_sandbox {

// syscall_profile::standard refuses these (and mount_calls, below, which
// every profile refuses): tracing other processes, namespaces, kernel modules and keyrings, BPF, handles that escape
// path checks, clocks and host names (and io_uring_calls, below).
inline constexpr long dangerous_calls[] = {
#ifdef __NR_ptrace
    __NR_ptrace,
#endif
#ifdef __NR_process_vm_readv
    __NR_process_vm_readv,
#endif
#ifdef __NR_process_vm_writev
    __NR_process_vm_writev,
#endif
#ifdef __NR_chroot
    __NR_chroot,
#endif
#ifdef __NR_setns
    __NR_setns,
#endif
#ifdef __NR_unshare
    __NR_unshare,
#endif
#ifdef __NR_bpf
    __NR_bpf,
#endif
#ifdef __NR_perf_event_open
    __NR_perf_event_open,
#endif
#ifdef __NR_userfaultfd
    __NR_userfaultfd,
#endif
#ifdef __NR_keyctl
    __NR_keyctl,
#endif
#ifdef __NR_add_key
    __NR_add_key,
#endif
#ifdef __NR_request_key
    __NR_request_key,
#endif
#ifdef __NR_kexec_load
    __NR_kexec_load,
#endif
#ifdef __NR_kexec_file_load
    __NR_kexec_file_load,
#endif
#ifdef __NR_init_module
    __NR_init_module,
#endif
#ifdef __NR_finit_module
    __NR_finit_module,
#endif
#ifdef __NR_delete_module
    __NR_delete_module,
#endif
#ifdef __NR_reboot
    __NR_reboot,
#endif
#ifdef __NR_swapon
    __NR_swapon,
#endif
#ifdef __NR_swapoff
    __NR_swapoff,
#endif
#ifdef __NR_acct
    __NR_acct,
#endif
#ifdef __NR_quotactl
    __NR_quotactl,
#endif
#ifdef __NR_quotactl_fd
    __NR_quotactl_fd,
#endif
#ifdef __NR_syslog
    __NR_syslog,
#endif
#ifdef __NR_open_by_handle_at
    __NR_open_by_handle_at,
#endif
#ifdef __NR_name_to_handle_at
    __NR_name_to_handle_at,
#endif
#ifdef __NR_kcmp
    __NR_kcmp,
#endif
#ifdef __NR_lookup_dcookie
    __NR_lookup_dcookie,
#endif
#ifdef __NR_fanotify_init
    __NR_fanotify_init,
#endif
#ifdef __NR_uselib
    __NR_uselib,
#endif
#ifdef __NR_vhangup
    __NR_vhangup,
#endif
#ifdef __NR_settimeofday
    __NR_settimeofday,
#endif
#ifdef __NR_clock_settime
    __NR_clock_settime,
#endif
#ifdef __NR_clock_adjtime
    __NR_clock_adjtime,
#endif
#ifdef __NR_adjtimex
    __NR_adjtimex,
#endif
#ifdef __NR_stime
    __NR_stime,
#endif
#ifdef __NR_sethostname
    __NR_sethostname,
#endif
#ifdef __NR_setdomainname
    __NR_setdomainname,
#endif
#ifdef __NR_iopl
    __NR_iopl,
#endif
#ifdef __NR_ioperm
    __NR_ioperm,
#endif
#ifdef __NR_pidfd_getfd
    __NR_pidfd_getfd,
#endif
#ifdef __NR_nfsservctl
    __NR_nfsservctl,
#endif
#ifdef __NR_vm86
    __NR_vm86,
#endif
#ifdef __NR_vm86old
    __NR_vm86old,
#endif
    -1};

// Refused under every profile but unfiltered, with EPERM: metadata
// changes by path (Landlock does not cover them), extended attributes
// (fsetxattr too: security.capability), chmod by path.
inline constexpr long path_metadata_calls[] = {
#ifdef __NR_chmod
    __NR_chmod,
#endif
#ifdef __NR_fchmodat
    __NR_fchmodat,
#endif
#ifdef __NR_fchmodat2
    __NR_fchmodat2,
#else
    452,  // fchmodat2: the same number everywhere (Linux 6.6)
#endif
#ifdef __NR_chown
    __NR_chown,
#endif
#ifdef __NR_chown32
    __NR_chown32,
#endif
#ifdef __NR_lchown
    __NR_lchown,
#endif
#ifdef __NR_lchown32
    __NR_lchown32,
#endif
#ifdef __NR_fchownat
    __NR_fchownat,
#endif
#ifdef __NR_utime
    __NR_utime,
#endif
#ifdef __NR_utimes
    __NR_utimes,
#endif
#ifdef __NR_futimesat
    __NR_futimesat,
#endif
#ifdef __NR_setxattr
    __NR_setxattr,
#endif
#ifdef __NR_lsetxattr
    __NR_lsetxattr,
#endif
#ifdef __NR_fsetxattr
    __NR_fsetxattr,
#endif
#ifdef __NR_removexattr
    __NR_removexattr,
#endif
#ifdef __NR_lremovexattr
    __NR_lremovexattr,
#endif
#ifdef __NR_fremovexattr
    __NR_fremovexattr,
#endif
#ifdef __NR_setxattrat
    __NR_setxattrat,
#else
    463,  // setxattrat (Linux 6.13)
#endif
#ifdef __NR_removexattrat
    __NR_removexattrat,
#else
    466,  // removexattrat (Linux 6.13)
#endif
#ifdef __NR_file_setattr
    __NR_file_setattr,
#else
    469,  // file_setattr (Linux 6.17): a file's flags by path, as FS_IOC_SETFLAGS
#endif
    -1};

// Refused under every profile, unfiltered included: what changes the
// sandbox's mounts (a read-only tree made writable again, or cloned
// without its read-only flag), whatever the profile lets through.
inline constexpr long mount_calls[] = {
#ifdef __NR_mount
    __NR_mount,
#endif
#ifdef __NR_umount
    __NR_umount,
#endif
#ifdef __NR_umount2
    __NR_umount2,
#endif
#ifdef __NR_pivot_root
    __NR_pivot_root,
#endif
#ifdef __NR_mount_setattr
    __NR_mount_setattr,
#else
    442,
#endif
#ifdef __NR_move_mount
    __NR_move_mount,
#else
    429,
#endif
#ifdef __NR_open_tree
    __NR_open_tree,
#else
    428,
#endif
#ifdef __NR_fsopen
    __NR_fsopen,
#else
    430,
#endif
#ifdef __NR_fsconfig
    __NR_fsconfig,
#else
    431,
#endif
#ifdef __NR_fsmount
    __NR_fsmount,
#else
    432,
#endif
#ifdef __NR_fspick
    __NR_fspick,
#else
    433,
#endif
#ifdef __NR_open_tree_attr
    __NR_open_tree_attr,
#else
    467,  // open_tree_attr (Linux 6.15): a clone of a mount with new attributes
#endif
    -1};

// Without a mount namespace (where the read-only trees are remounted
// read-only), metadata changes through a descriptor too: a file opened
// for reading in a read-only tree could otherwise be chmod'ed, chown'ed
// or have its times set by root. (utimensat without a path is handled by
// the filter beside these.)
inline constexpr long descriptor_metadata_calls[] = {
#ifdef __NR_fchmod
    __NR_fchmod,
#endif
#ifdef __NR_fchown
    __NR_fchown,
#endif
#ifdef __NR_fchown32
    __NR_fchown32,
#endif
    -1};

// Refused whenever the network is not `any`, under every profile: io_uring's
// operations (a connect among them) are not seen by the filter.
inline constexpr long io_uring_calls[] = {
#ifdef __NR_io_uring_setup
    __NR_io_uring_setup,
#endif
#ifdef __NR_io_uring_enter
    __NR_io_uring_enter,
#endif
#ifdef __NR_io_uring_register
    __NR_io_uring_register,
#endif
    -1};

}  // namespace vitte::sys::detail::linux_sandbox

#endif  // VITTE_SYS_DETAIL_LINUX_SANDBOX_REFUSED_CALLS_HPP
