// vitte/release/detail/rpm_names.ipp - what rpm calls things: the
// architecture of a target triple and its number in the lead, the system's
// standard directories no package but the filesystem's may own, and the
// paths a package may hold.
#ifndef VITTE_RELEASE_DETAIL_RPM_NAMES_IPP
#define VITTE_RELEASE_DETAIL_RPM_NAMES_IPP

#include <vitte/base/text_view.hpp>
#include <vitte/machine/triple.hpp>       // rpm_arch
#include <vitte/release/detail/cpio.hpp>  // cpio_max_name
#include <vitte/release/detail/rpm.hpp>   // the declarations

#include <cstddef>
#include <cstdint>

namespace vitte::release::detail {

VITTE_DECL bool rpm_path_ok(text_view p) {
  if (p.empty() || p.size() > cpio_max_name - 3 || p.find('\0') != text_view::npos) return false;
  for (;;) {
    const std::size_t slash = p.find('/');
    const text_view c = p.substr(0, slash);
    if (c.empty() || c == "." || c == "..") return false;
    if (slash == text_view::npos) return true;
    p.remove_prefix(slash + 1);
  }
}

VITTE_DECL text_view rpm_arch(const machine::triple& t) {
  using machine::architecture;
  const bool hard_float = t.environment_name().ends_with("hf");
  const text_view a = t.arch_name();
  switch (t.arch()) {
    case architecture::x86_64:
      return "x86_64";
    case architecture::x86:
      return "i686";
    case architecture::aarch64:
      return "aarch64";
    case architecture::arm:
      if (a.starts_with("armv6")) return hard_float ? "armv6hl" : "armv6l";
      if (a.starts_with("armv7") || a.starts_with("armv8") || a.starts_with("thumbv7"))
        return hard_float ? "armv7hl" : "armv7l";
      return hard_float ? "armv7hl" : "armv5tel";
    case architecture::riscv64:
      return "riscv64";
    case architecture::ppc64:
      return t.order() == machine::byte_order::little ? "ppc64le" : "ppc64";
    case architecture::ppc:
      return "ppc";
    case architecture::s390x:
      return "s390x";
    case architecture::mips64:
      return t.order() == machine::byte_order::little ? "mips64el" : "mips64";
    case architecture::mips:
      return t.order() == machine::byte_order::little ? "mipsel" : "mips";
    case architecture::loongarch64:
      return "loongarch64";
    default:
      return "";
  }
}

VITTE_DECL std::uint16_t rpm_arch_number(text_view arch) {
  static constexpr struct {
    text_view prefix;
    std::uint16_t number;
  } table[] = {{"x86_64", 1},   {"i686", 1}, {"i586", 1},     {"i486", 1},        {"i386", 1},
               {"aarch64", 19}, {"arm", 12}, {"ppc64", 16},   {"ppc", 5},         {"s390x", 15},
               {"mips64", 11},  {"mips", 4}, {"riscv64", 22}, {"loongarch64", 23}};
  for (const auto& e : table)
    if (arch.starts_with(e.prefix)) return e.number;
  return 0;
}

VITTE_DECL bool rpm_standard_directory(text_view path) {
  // rpmlint's STANDARD_DIRS (checks/FilesCheck.py, kept in sync with the
  // filesystem package), without the leading '/', plus what the filesystem
  // package also owns (usr/libexec, usr/share/licenses, usr/share/locale...).
  static constexpr text_view dirs[] = {"bin",
                                       "boot",
                                       "etc",
                                       "etc/X11",
                                       "etc/opt",
                                       "etc/profile.d",
                                       "etc/skel",
                                       "etc/xinetd.d",
                                       "home",
                                       "lib",
                                       "lib/modules",
                                       "lib64",
                                       "media",
                                       "mnt",
                                       "mnt/cdrom",
                                       "mnt/disk",
                                       "mnt/floppy",
                                       "opt",
                                       "proc",
                                       "root",
                                       "run",
                                       "sbin",
                                       "selinux",
                                       "srv",
                                       "sys",
                                       "tmp",
                                       "usr",
                                       "usr/X11R6",
                                       "usr/X11R6/bin",
                                       "usr/X11R6/doc",
                                       "usr/X11R6/include",
                                       "usr/X11R6/lib",
                                       "usr/X11R6/lib64",
                                       "usr/X11R6/man",
                                       "usr/X11R6/man/man1",
                                       "usr/X11R6/man/man2",
                                       "usr/X11R6/man/man3",
                                       "usr/X11R6/man/man4",
                                       "usr/X11R6/man/man5",
                                       "usr/X11R6/man/man6",
                                       "usr/X11R6/man/man7",
                                       "usr/X11R6/man/man8",
                                       "usr/X11R6/man/man9",
                                       "usr/X11R6/man/mann",
                                       "usr/bin",
                                       "usr/bin/X11",
                                       "usr/etc",
                                       "usr/games",
                                       "usr/include",
                                       "usr/lib",
                                       "usr/lib/X11",
                                       "usr/lib/games",
                                       "usr/lib/gcc-lib",
                                       "usr/lib/menu",
                                       "usr/lib64",
                                       "usr/lib64/gcc-lib",
                                       "usr/libexec",
                                       "usr/local",
                                       "usr/local/bin",
                                       "usr/local/doc",
                                       "usr/local/etc",
                                       "usr/local/games",
                                       "usr/local/info",
                                       "usr/local/lib",
                                       "usr/local/lib64",
                                       "usr/local/libexec",
                                       "usr/local/man",
                                       "usr/local/man/man1",
                                       "usr/local/man/man2",
                                       "usr/local/man/man3",
                                       "usr/local/man/man4",
                                       "usr/local/man/man5",
                                       "usr/local/man/man6",
                                       "usr/local/man/man7",
                                       "usr/local/man/man8",
                                       "usr/local/man/man9",
                                       "usr/local/man/mann",
                                       "usr/local/sbin",
                                       "usr/local/share",
                                       "usr/local/share/man",
                                       "usr/local/share/man/man1",
                                       "usr/local/share/man/man2",
                                       "usr/local/share/man/man3",
                                       "usr/local/share/man/man4",
                                       "usr/local/share/man/man5",
                                       "usr/local/share/man/man6",
                                       "usr/local/share/man/man7",
                                       "usr/local/share/man/man8",
                                       "usr/local/share/man/man9",
                                       "usr/local/share/man/mann",
                                       "usr/local/src",
                                       "usr/sbin",
                                       "usr/share",
                                       "usr/share/applications",
                                       "usr/share/dict",
                                       "usr/share/doc",
                                       "usr/share/icons",
                                       "usr/share/info",
                                       "usr/share/licenses",
                                       "usr/share/locale",
                                       "usr/share/man",
                                       "usr/share/man/man1",
                                       "usr/share/man/man2",
                                       "usr/share/man/man3",
                                       "usr/share/man/man4",
                                       "usr/share/man/man5",
                                       "usr/share/man/man6",
                                       "usr/share/man/man7",
                                       "usr/share/man/man8",
                                       "usr/share/man/man9",
                                       "usr/share/man/mann",
                                       "usr/share/misc",
                                       "usr/share/pixmaps",
                                       "usr/src",
                                       "usr/tmp",
                                       "var",
                                       "var/cache",
                                       "var/db",
                                       "var/lib",
                                       "var/lib/games",
                                       "var/lib/misc",
                                       "var/lib/rpm",
                                       "var/local",
                                       "var/log",
                                       "var/mail",
                                       "var/nis",
                                       "var/opt",
                                       "var/preserve",
                                       "var/spool",
                                       "var/spool/mail",
                                       "var/tmp"};
  if (path.empty()) return true;  // "/"
  for (const text_view d : dirs)
    if (d == path) return true;
  return false;
}

}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_RPM_NAMES_IPP
