// vitte/release/impl/package.ipp - make_package, verify_package (vitte/release/package.hpp).
#ifndef VITTE_RELEASE_IMPL_PACKAGE_IPP
#define VITTE_RELEASE_IMPL_PACKAGE_IPP

#include <vitte/archive/pack.hpp>
#include <vitte/archive/tar.hpp>
#include <vitte/base/detail/bytes.hpp>        // bytes_of
#include <vitte/base/detail/hex.hpp>          // is_lower_hex
#include <vitte/base/detail/json_reader.hpp>  // manifest.json
#include <vitte/compress/deflate.hpp>
#include <vitte/compress/stream.hpp>  // the tree's tar gzip'd as it is written
#include <vitte/crypto/sha256.hpp>
#include <vitte/machine/triple.hpp>
#include <vitte/release/detail/ar.hpp>
#include <vitte/release/detail/elf_needs.hpp>  // what the tree's programs and libraries need
#include <vitte/release/detail/failure.hpp>    // in_file, refused_in: readers' diagnostics about a file
#include <vitte/release/detail/msi.hpp>
#include <vitte/release/detail/package_entry.hpp>
#include <vitte/release/detail/package_fields.hpp>  // one_line, relations, Debian descriptions
#include <vitte/release/detail/package_name.hpp>    // name_ok
#include <vitte/release/detail/package_sink.hpp>    // the archive written as it is made
#include <vitte/release/detail/package_tree.hpp>    // the tree read: modes, hard links
#include <vitte/release/detail/pkg.hpp>
#include <vitte/release/detail/rpm.hpp>
#include <vitte/release/detail/sha256_hex.hpp>  // sha256_hex
#include <vitte/release/detail/shlib_deps.hpp>  // automatic dependencies on shared libraries
#include <vitte/release/package.hpp>
#include <vitte/release/signify.hpp>
#include <vitte/sys/directory.hpp>
#include <vitte/sys/file.hpp>      // the archive written as it is made
#include <vitte/sys/file_map.hpp>  // ELF files' headers read in place
#include <vitte/sys/metadata.hpp>  // exists, set_permissions
#include <vitte/sys/path.hpp>
#include <vitte/sys/path_ops.hpp>  // rename
#include <vitte/sys/temp.hpp>      // scratch files in the output directory
#include <vitte/sys/whole_file.hpp>

#include <algorithm>
#include <cstring>  // memcpy: decoded bytes handed on
#include <string>
#include <vector>

namespace vitte::release {

VITTE_DECL text_view to_string(package_format f) noexcept {
  switch (f) {
    case package_format::tar_gz:
      return "tar.gz";
    case package_format::tar:
      return "tar";
    case package_format::deb:
      return "deb";
    case package_format::rpm:
      return "rpm";
    case package_format::msi:
      return "msi";
    case package_format::pkg:
      return "pkg";
  }
  return "?";
}

VITTE_DECL bool parse_package_format(text_view s, package_format& out) noexcept {
  if (s == "tar.gz" || s == "tgz")
    out = package_format::tar_gz;
  else if (s == "tar")
    out = package_format::tar;
  else if (s == "deb")
    out = package_format::deb;
  else if (s == "rpm")
    out = package_format::rpm;
  else if (s == "msi")
    out = package_format::msi;
  else if (s == "pkg")
    out = package_format::pkg;
  else
    return false;
  return true;
}

namespace detail {

/// What the manifest says of the tar entry `e` (its SHA-256 comes after: its data).
VITTE_DECL package_entry entry_of(const archive::entry& e) {
  package_entry p;
  p.path = std::string(e.path.view());
  p.type = std::string(archive::to_string(e.type));
  p.mode = e.mode & 07777;
  p.size = e.size;
  p.link = std::string(e.link.view());
  return p;
}

/// The entries of the tar archive `tar`, or false with `why` set.
VITTE_DECL bool entries_of(span<const std::byte> tar, std::vector<package_entry>& out, vitte::diagnostic& why) {
  archive::tar_reader r(tar);
  for (;;) {
    result<const archive::entry*> e = r.next();
    if (!e) return why = r.failure(), false;
    if (*e == nullptr) return true;
    package_entry p = entry_of(**e);
    if ((*e)->type == archive::entry_type::file) p.sha256 = sha256_hex(r.data());
    out.push_back(static_cast<package_entry&&>(p));
  }
}

/// Debian's name for the architecture of `t`, or "" when it has none.
VITTE_DECL text_view debian_arch(const machine::triple& t) {
  using machine::architecture;
  const bool hard_float = t.environment_name().ends_with("hf");
  switch (t.arch()) {
    case architecture::x86_64:
      return "amd64";
    case architecture::x86:
      return "i386";
    case architecture::aarch64:
      return "arm64";
    case architecture::arm:
      return hard_float ? "armhf" : "armel";
    case architecture::riscv64:
      return "riscv64";
    case architecture::ppc64:
      return t.order() == machine::byte_order::little ? "ppc64el" : "ppc64";
    case architecture::s390x:
      return "s390x";
    case architecture::mips64:
      return t.order() == machine::byte_order::little ? "mips64el" : "";
    case architecture::mips:
      return t.order() == machine::byte_order::little ? "mipsel" : "";
    case architecture::loongarch64:
      return "loong64";
    default:
      return "";
  }
}

/// Windows Installer's name for the architecture of a Windows target (the
/// summary's Template platform), or "" when it has none.
VITTE_DECL text_view msi_arch(const machine::triple& t) {
  if (!t.is_windows()) return "";
  switch (t.arch()) {
    case machine::architecture::x86_64:
      return "x64";
    case machine::architecture::x86:
      return "Intel";
    case machine::architecture::aarch64:
      return "Arm64";
    default:
      return "";
  }
}

/// The file a signed .rpm's OpenPGP key goes to: RPM-GPG-KEY-<the key's
/// name without ".pub">, as distributions name theirs.
VITTE_DECL std::string rpm_key_file_name(text_view key_name) {
  text_view stem = key_name;
  if (stem.ends_with(".pub")) stem.remove_suffix(4);
  std::string out = "RPM-GPG-KEY-" + std::string(stem.empty() ? text_view("release") : stem);
  for (char& c : out)
    if (c == '/' || c == '\\') c = '-';
  return out;
}

/// What an .rpm, .msi or .pkg installs, read from its bytes; false with
/// `why` filled by its reader when they do not read.
VITTE_DECL bool read_installed(package_format f, span<const std::byte> bytes, std::vector<package_entry>& out,
                               vitte::diagnostic* why) {
  if (f == package_format::rpm) {
    rpm_contents c;
    if (!rpm_read(bytes, c, why)) return false;
    out = static_cast<std::vector<package_entry>&&>(c.entries);
    return true;
  }
  if (f == package_format::pkg) {
    pkg_contents c;
    if (!pkg_read(bytes, c, why)) return false;
    out = static_cast<std::vector<package_entry>&&>(c.entries);
    return true;
  }
  msi_contents c;
  if (!msi_read(bytes, c, why)) return false;
  out = static_cast<std::vector<package_entry>&&>(c.entries);
  return true;
}

VITTE_DECL void json_field(std::string& j, text_view key, text_view value) {
  vitte::detail::append_json(j, key);
  j += ": ";
  vitte::detail::append_json(j, value);
}
VITTE_DECL void json_field(std::string& j, text_view key, std::uint64_t value) {
  vitte::detail::append_json(j, key);
  j += ": " + std::to_string(value);
}

VITTE_DECL std::string octal_mode(std::uint32_t m) {
  char b[8];
  std::snprintf(b, sizeof b, "%04o", static_cast<unsigned>(m));
  return b;
}

VITTE_DECL std::string manifest_json(const package_options& o, text_view archive_name, std::uint64_t archive_size,
                                     text_view archive_sha256, const std::vector<package_member>& members,
                                     const std::vector<package_entry>& entries) {
  std::string j = "{\n  ";
  json_field(j, "schema", "vitte.package");
  j += ",\n  ";
  json_field(j, "schema_version", 1);
  j += ",\n  ";
  json_field(j, "name", o.name);
  j += ",\n  ";
  json_field(j, "version", o.version);
  j += ",\n  ";
  json_field(j, "target", o.target);
  j += ",\n  ";
  json_field(j, "format", to_string(o.format));
  j += ",\n  \"archive\": {";
  json_field(j, "file", archive_name);
  j += ", ";
  json_field(j, "size", archive_size);
  j += ", ";
  json_field(j, "sha256", archive_sha256);
  j += "},\n  \"members\": [";
  for (std::size_t i = 0; i < members.size(); ++i) {
    j += i == 0 ? "\n    {" : ",\n    {";
    json_field(j, "name", members[i].name);
    j += ", ";
    json_field(j, "size", members[i].size);
    j += ", ";
    json_field(j, "sha256", members[i].sha256);
    j += "}";
  }
  j += members.empty() ? "],\n  \"entries\": [" : "\n  ],\n  \"entries\": [";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const package_entry& e = entries[i];
    j += i == 0 ? "\n    {" : ",\n    {";
    json_field(j, "path", e.path);
    j += ", ";
    json_field(j, "type", e.type);
    j += ", ";
    json_field(j, "mode", octal_mode(e.mode));
    j += ", ";
    json_field(j, "size", e.size);
    if (e.type == "file") {
      j += ", ";
      json_field(j, "sha256", e.sha256);
    } else if (!e.link.empty()) {
      j += ", ";
      json_field(j, "link", e.link);
    }
    j += "}";
  }
  j += entries.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return j;
}

/// The entries and members a parsed manifest lists; false when one is malformed.
VITTE_DECL bool manifest_lists(const vitte::detail::json_value& m, std::vector<package_member>& members,
                               std::vector<package_entry>& entries) {
  const vitte::detail::json_value* ms = m.get("members");
  const vitte::detail::json_value* es = m.get("entries");
  if (ms == nullptr || es == nullptr || ms->type != vitte::detail::json_value::kind::array ||
      es->type != vitte::detail::json_value::kind::array)
    return false;
  for (const vitte::detail::json_value& v : ms->items) {
    package_member p;
    p.name = std::string(v.text_of("name"));
    p.sha256 = std::string(v.text_of("sha256"));
    if (p.name.empty() || !v.number_of("size", p.size)) return false;
    members.push_back(static_cast<package_member&&>(p));
  }
  for (const vitte::detail::json_value& v : es->items) {
    package_entry p;
    p.path = std::string(v.text_of("path"));
    p.type = std::string(v.text_of("type"));
    p.sha256 = std::string(v.text_of("sha256"));
    p.link = std::string(v.text_of("link"));
    const text_view mode = v.text_of("mode");
    if (p.path.empty() || p.type.empty() || mode.size() != 4 || !v.number_of("size", p.size)) return false;
    for (const char c : mode) {
      if (c < '0' || c > '7') return false;
      p.mode = p.mode * 8 + static_cast<std::uint32_t>(c - '0');
    }
    entries.push_back(static_cast<package_entry&&>(p));
  }
  return true;
}

/// The lines of a SHA256SUMS list: ("SHA256 (name) = hex" or "hex  name").
struct sum_line {
  std::string file, sha256;
};
VITTE_DECL bool parse_sums(text_view s, std::vector<sum_line>& out) {
  while (!s.empty()) {
    const std::size_t nl = s.find('\n');
    if (nl == text_view::npos) return false;
    text_view line = s.substr(0, nl);
    s.remove_prefix(nl + 1);
    sum_line l;
    if (line.starts_with("SHA256 (")) {
      const std::size_t close = line.rfind(") = ");
      if (close == text_view::npos || close < 8) return false;
      l.file = std::string(line.substr(8, close - 8));
      l.sha256 = std::string(line.substr(close + 4));
    } else {
      if (line.size() < 67 || line.substr(64, 2) != "  ") return false;
      l.sha256 = std::string(line.substr(0, 64));
      l.file = std::string(line.substr(66));
    }
    if (l.sha256.size() != 64 || !vitte::detail::is_lower_hex(l.sha256)) return false;
    if (l.file.empty() || l.file == "." || l.file == ".." || l.file.find_first_of("/\\") != std::string::npos)
      return false;
    out.push_back(static_cast<sum_line&&>(l));
  }
  return true;
}

}  // namespace detail

namespace detail {

/// The tar of a tree on its way to a sink: through gzip or as it is, with
/// a progress line for a tree of more than progress_from bytes of files.
struct tar_pipe {
  static constexpr std::uint64_t progress_from = std::uint64_t{64} << 20;
  archive_sink* sink = nullptr;
  compress::compressor* gzip = nullptr;  // null: the tar as it is
  buffer<std::byte> squeezed;
  const package_options* options = nullptr;
  std::uint64_t total = 0;  // bytes of files in the tree
  std::uint64_t shown = 0;  // the last percentage told, plus one
  bool failed = false;      // put() could not write
  static status put(span<const std::byte> piece, void* self) {
    auto& p = *static_cast<tar_pipe*>(self);
    status s = p.gzip == nullptr ? p.sink->write(piece) : p.gzip->write(piece, p.squeezed);
    if (s && p.gzip != nullptr) s = p.sink->write(p.squeezed.span());
    p.squeezed.clear();
    p.failed = p.failed || !s;
    return s;
  }
  static void read(std::uint64_t bytes, void* self) {
    auto& p = *static_cast<tar_pipe*>(self);
    if (p.options->progress == nullptr || p.total < progress_from) return;
    const std::uint64_t percent = bytes * 100 / p.total;
    if (percent + 1 == p.shown) return;
    p.shown = percent + 1;
    const std::string line = "packing the files: " + std::to_string(percent) + "% (" + std::to_string(bytes >> 20) +
                             " of " + std::to_string(p.total >> 20) + " MiB)";
    p.options->progress(line, p.options->progress_user);
  }
  status finish() {
    if (gzip == nullptr) return {};
    if (status s = gzip->finish(squeezed); !s) return s;
    const status s = sink->write(squeezed.span());
    squeezed.clear();
    return s;
  }
};

/// What the ELF file at `path` needs, read through a map of it (only the
/// pages its headers and dynamic section are on are read); false for a
/// file that is not ELF or does not read as one.
VITTE_DECL bool elf_needs_of(text_view path, std::uint64_t size, elf_needs& out) {
  namespace sys = vitte::sys;
  if (size < 4) return false;
  result<sys::file> f = sys::file::open(path, sys::open_mode::read);
  std::byte magic[4];
  if (!f || !f->read_exact(span<std::byte>(magic, 4))) return false;
  if (magic[0] != std::byte{0x7f} || magic[1] != std::byte{'E'} || magic[2] != std::byte{'L'} ||
      magic[3] != std::byte{'F'})
    return false;
  result<sys::file_map> m = sys::file_map::map(*f);
  return m && elf_read_needs(span<const std::byte>(m->data(), m->size()), out);
}

/// What a package's archive is, with what its manifest lists; the archive
/// itself went to the sink assemble_package() was given.
struct assembled_package {
  std::string name;
  std::string sha256;  ///< the archive's
  std::uint64_t size = 0;
  std::vector<package_member> members;  ///< a .deb's ar members
  std::vector<package_entry> entries;
};

/// Fills `why`, when there is one, with what failed and in which file, and
/// returns the error: how every step of packaging and verifying fails.
VITTE_DECL vitte::error package_failure(vitte::diagnostic* why, vitte::operation op, errc kind, const char* what,
                                        text_view file, text_view detail = {}) {
  if (why != nullptr) {
    why->clear();
    why->of(kind).about(file).say(what);
    if (!detail.empty()) why->append(" (").append(detail).append(")");
  }
  return vitte::error{kind, op};
}

/// Checks the options, then reads `tree` into the archive `o.format` names,
/// written to `sink` as it is made; a .deb's data.tar.gz waits in a scratch
/// file in `scratch_dir` (in memory when empty) until its control is known.
VITTE_DECL result<assembled_package> assemble_package(text_view tree, const package_options& o, archive_sink& sink,
                                                      text_view scratch_dir, vitte::diagnostic* why) {
  const auto fail = [&](errc kind, const char* what, text_view file, text_view detail = {}) {
    return package_failure(why, ops::package, kind, what, file, detail);
  };
  const package_format f = o.format;
  const bool deb = f == package_format::deb;
  const bool rpm = f == package_format::rpm;
  const bool msi = f == package_format::msi;
  const bool pkg = f == package_format::pkg;
  // One rule per kind of field, for every format: a line break in a
  // one-line field would start another control field of a .deb.
  const struct {
    text_view value;
    const char* field;
    bool lines;
  } fields[] = {{o.name, "name", false},
                {o.version, "version", false},
                {o.target, "target", false},
                {o.prefix, "prefix", false},
                {o.maintainer, "maintainer", false},
                {o.description, "description", true},
                {o.release, "release", false},
                {o.license, "license", false},
                {o.url, "url", false},
                {o.product_code, "product_code", false},
                {o.upgrade_code, "upgrade_code", false},
                {o.identifier, "identifier", false},
                {o.scripts, "scripts", false},
                {o.section, "section", false},
                {o.priority, "priority", false},
                {o.dpkg_admindir, "dpkg_admindir", false},
                {o.key_name, "key_name", false}};
  for (const auto& field : fields)
    if (!(field.lines ? detail::text_lines(field.value) : detail::one_line(field.value)))
      return fail(errc::invalid_argument,
                  field.lines ? "holds a control character (lines of printable text only)"
                              : "holds a line break or a control character (one line of printable text only)",
                  field.field);
  const struct {
    const buffer<text>& list;
    const char* field;
  } lists[] = {
      {o.depends, "depends"}, {o.conflicts, "conflicts"}, {o.provides, "provides"}, {o.conffiles, "conffiles"}};
  for (const auto& l : lists) {
    for (const text& item : l.list) {
      if (!detail::one_line(item))
        return fail(errc::invalid_argument,
                    "holds a line break or a control character (one line of printable text only)", l.field);
      detail::relation r;
      if (&l.list != &o.conffiles && !detail::parse_relation(item, r))
        return fail(errc::invalid_argument,
                    "is not a relation (\"name\", \"name (>= 1.0)\" or \"name >= 1.0\"; one per item)", l.field, item);
      if (deb && &l.list == &o.provides && !r.op.empty() && r.op != "=")
        return fail(errc::invalid_argument, "in a .deb is a name or \"name (= version)\" (dpkg allows no other)",
                    l.field, item);
      if (&l.list == &o.conffiles && (!item.view().starts_with('/') || item.view().ends_with('/')))
        return fail(errc::invalid_argument, "is not an absolute path to a file", l.field, item);
    }
  }
  if (deb && !detail::name_ok(o.section, "/+-.", true))
    return fail(errc::invalid_argument, "is not a Debian section ([a-z0-9][a-z0-9/+-.]*)", "section", o.section);
  if (deb && o.priority != "required" && o.priority != "important" && o.priority != "standard" &&
      o.priority != "optional" && o.priority != "extra")
    return fail(errc::invalid_argument, "is not required, important, standard, optional or extra", "priority",
                o.priority);
  if (!detail::name_ok(o.name, "._+-", true) ||
      (deb && o.name.view().find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ_") != text_view::npos))
    return fail(
        errc::invalid_argument,
        deb ? "a package name is [a-z0-9][a-z0-9.+-]* for Debian" : "a package name is [A-Za-z0-9][A-Za-z0-9._+-]*",
        o.name);
  if (!detail::name_ok(o.version, "._+~-", false) ||
      (deb && (o.version[0] < '0' || o.version[0] > '9' || o.version.view().find('_') != text_view::npos)))
    return fail(
        errc::invalid_argument,
        deb ? "a Debian version starts with a digit and holds [A-Za-z0-9.+~-]" : "a version is [A-Za-z0-9._+~-]+",
        o.version);
  if (rpm && o.version.view().find('-') != text_view::npos)
    return fail(errc::invalid_argument, "an rpm version holds no '-' (it separates the release)", o.version);
  if (rpm && !detail::name_ok(o.release, "._+~", false))
    return fail(errc::invalid_argument, "an rpm release is [A-Za-z0-9._+~]+", o.release);
  if (!detail::name_ok(o.target, "._-", true)) return fail(errc::invalid_argument, "a target is a triple", o.target);
  const machine::triple t = machine::triple::parse(o.target);
  const text_view arch = deb   ? detail::debian_arch(t)
                         : rpm ? detail::rpm_arch(t)
                         : msi ? detail::msi_arch(t)
                         : pkg ? detail::pkg_arch(t)
                               : "";
  if ((deb || rpm || msi || pkg) && arch.empty())
    return fail(errc::invalid_argument,
                deb   ? "Debian has no architecture for the target"
                : rpm ? "rpm has no architecture for the target"
                : msi ? "an .msi is for a Windows target on x86, x86_64 or aarch64"
                      : "a .pkg is for a macOS target on x86_64 or aarch64",
                o.target);
  // Where a .deb, .rpm or .pkg installs the tree.
  const text_view prefix = !o.prefix.empty() ? text_view(o.prefix) : pkg ? "/usr/local" : "/usr";
  if ((deb || rpm || pkg) && prefix[0] != '/')
    return fail(errc::invalid_argument, "the prefix is an absolute path", o.prefix);
  const std::string identifier =
      o.identifier.empty() ? "local." + std::string(o.name.view()) : std::string(o.identifier.view());
  if (pkg && !detail::name_ok(identifier, "._-", true))
    return fail(errc::invalid_argument, "a .pkg identifier is reverse DNS, [A-Za-z0-9._-]+", identifier);
  if (!pkg && !o.scripts.empty())
    return fail(errc::invalid_argument, "only a .pkg runs scripts (a .deb's and an .rpm's are not written)", "scripts",
                o.scripts);
  // A .pkg's scripts, read whole (small, and checked before the tree).
  buffer<std::byte> scripts[2];  // preinstall, postinstall
  if (pkg && !o.scripts.empty()) {
    const char* names[2] = {"preinstall", "postinstall"};
    for (int i = 0; i < 2; ++i) {
      const text path = vitte::sys::path_join(o.scripts, names[i]);
      result<buffer<std::byte>> b = vitte::sys::read_file(path);
      if (!b && b.error() == errc::not_found) continue;
      if (!b) return fail(b.error().kind(), "cannot read the script", path, b.error().message().view());
      if (b->size() < 2 || (*b)[0] != std::byte{'#'} || (*b)[1] != std::byte{'!'})
        return fail(errc::invalid_argument, "a script that does not start with its \"#!\" line", path);
      scripts[i] = static_cast<buffer<std::byte>&&>(*b);
    }
    if (scripts[0].empty() && scripts[1].empty())
      return fail(errc::invalid_argument, "holds neither preinstall nor postinstall", "scripts", o.scripts);
  }
  const int level = o.level < 1 ? 1 : o.level > 9 ? 9 : o.level;
  const auto step = [&](text_view what) {
    if (o.progress != nullptr) o.progress(what, o.progress_user);
  };
  step("reading the tree");

  // The tree, listed: what the package holds, in its order, no file read yet.
  std::vector<tree_item> items;
  std::string top;
  if (deb || rpm) {  // the tree under prefix, each parent of it listed first
    text_view p = prefix.substr(1);
    while (p.ends_with('/')) p.remove_suffix(1);
    if (archive::tar_writer probe; !p.empty() && !probe.add_directory(p))
      return fail(errc::invalid_argument, "a bad prefix", o.prefix);
    for (std::size_t at = p.find('/'); at != text_view::npos; at = p.find('/', at + 1)) {
      tree_item parent;
      parent.path = std::string(p.substr(0, at));
      parent.type = archive::entry_type::directory;
      parent.mode = 0755;
      items.push_back(static_cast<tree_item&&>(parent));
    }
    top = std::string(p);
  } else if (!msi && !pkg) {  // an .msi or .pkg holds the tree itself: the installer places it
    top = std::string(o.name.view()) + "-" + std::string(o.version.view()) + "-" + std::string(o.target.view());
  }
  {
    detail::package_tree_options to;
    to.keep_modes = o.keep_modes;
    to.hard_links = !msi && !pkg;  // Windows Installer and a .pkg's Bom get copies
    if (status s = detail::list_package_tree(tree, top, to, items, why); !s)  // the file and the system's reason
      return vitte::error{s.error().kind(), ops::package};
  }
  assembled_package out;
  std::vector<detail::package_entry>& entries = out.entries;

  // The regular files (a hard link: another name of the file before it),
  // for conffiles, md5sums and the ELF files' needs.
  struct tree_file {
    std::string path;
    std::uint32_t mode = 0;
    std::size_t item = 0;  // the entry whose data it is
  };
  std::vector<tree_file> files;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const tree_item& x = items[i];
    if (x.type == archive::entry_type::file) files.push_back({x.path, x.mode, i});
    if (x.type == archive::entry_type::hard_link)
      for (const tree_file& f : files)
        if (f.path == x.link) {
          files.push_back({x.path, f.mode, f.item});
          break;
        }
  }
  // Configuration files: every regular file under /etc (an .msi: the
  // tree's etc/), and those asked for.
  std::vector<std::string> config;
  for (const tree_file& file : files)
    if (text_view(file.path).starts_with("etc/")) config.push_back(file.path);
  for (const text& c : o.conffiles) {
    const std::string path(c.view().substr(1));
    if (std::none_of(files.begin(), files.end(), [&](const tree_file& x) { return x.path == path; }))
      return fail(errc::invalid_argument, "names no regular file of the package", "conffiles", c);
    if (std::find(config.begin(), config.end(), path) == config.end()) config.push_back(path);
  }
  std::sort(config.begin(), config.end());
  // What the ELF files need from other packages.
  std::vector<std::string> auto_depends;                             // a .deb's
  std::vector<detail::rpm_dependency> auto_requires, auto_provides;  // an .rpm's
  std::vector<std::string> public_libraries;  // sonames in ldconfig's directories: a .deb's shlibs and trigger
  if (deb || rpm) {
    std::vector<detail::elf_needs> needs;
    std::vector<std::string> own, requirements, provided;
    for (const tree_file& file : files) {
      detail::elf_needs n;
      if (!detail::elf_needs_of(items[file.item].source, items[file.item].size, n)) continue;
      if (!n.soname.empty()) own.push_back(n.soname);
      if (deb && !n.soname.empty() && !n.has_interpreter &&
          detail::deb_library_directory(file.path, detail::deb_multiarch(arch)))
        public_libraries.push_back(n.soname);
      own.push_back(file.path.substr(file.path.rfind('/') + 1));
      if (rpm) detail::rpm_elf_dependencies(n, (file.mode & 0111) != 0, requirements, provided);
      needs.push_back(static_cast<detail::elf_needs&&>(n));
    }
    if (deb && o.shlib_depends) {
      const text_view admindir = o.dpkg_admindir.empty() ? text_view("/var/lib/dpkg") : text_view(o.dpkg_admindir);
      if (!detail::deb_shlib_depends(needs, own, detail::deb_multiarch(arch), admindir, auto_depends, why))
        return vitte::error{errc::not_found, ops::package};  // the library, or the database that is not there
    }
    // A library the package ships itself needs no other package.
    if (!o.shlib_depends) requirements.clear(), provided.clear();
    for (const std::string& req : requirements) {
      const std::string lib = req.substr(0, req.find('('));
      if (std::find(own.begin(), own.end(), lib) == own.end() || lib == "rtld")
        auto_requires.push_back({req, "", detail::rpm_sense_find_requires});
    }
    for (const std::string& p : provided) auto_provides.push_back({p, "", detail::rpm_sense_find_provides});
  }

  // The tree's tar, written file by file in pieces: straight to the sink
  // (a .tar), through gzip to it (a .tar.gz), or through gzip to a .deb's
  // data.tar.gz (in memory, or a scratch file beside the package). The
  // writers of an .rpm, .msi and .pkg read the files themselves.
  step(o.format == package_format::tar ? "writing" : "compressing");
  std::string& archive_name = out.name;
  std::vector<detail::package_member>& members = out.members;
  archive::write_options wo;
  wo.mtime = o.mtime;
  archive::tar_writer w(wo);
  compress::compressor z(compress::format::gzip, level);
  set_aside data;  // a .deb's data.tar.gz
  tar_pipe pipe;
  pipe.options = &o;
  for (const tree_item& it : items) pipe.total += it.type == archive::entry_type::file ? it.size : 0;
  if (o.format == package_format::tar || o.format == package_format::tar_gz) {
    pipe.sink = &sink;
    pipe.gzip = o.format == package_format::tar_gz ? &z : nullptr;
    archive_name = top + (pipe.gzip != nullptr ? ".tar.gz" : ".tar");
  } else if (deb) {
    if (status s = data.open(scratch_dir); !s)
      return fail(s.error().kind(), "cannot make a scratch file in the output directory", scratch_dir);
    pipe.sink = &data.sink;
    pipe.gzip = &z;
  }
  // A write that failed, about the file it went to.
  const auto written = [&](const status& s, text_view file) { return fail(s.error().kind(), "cannot write", file); };
  if (!rpm && !msi && !pkg) {
    const detail::tar_drain drain{&tar_pipe::put, &pipe, &tar_pipe::read};
    if (status s = detail::write_package_tree(w, items, deb, drain, why); !s) {
      if (pipe.failed) return written(s, archive_name.empty() ? text_view(scratch_dir) : text_view(archive_name));
      return vitte::error{s.error().kind(), ops::package};  // the file and the system's reason
    }
    const buffer<std::byte> end = w.finish();
    if (status s = tar_pipe::put(end.span(), &pipe); !s) return written(s, archive_name);
    if (status s = pipe.finish(); !s) return written(s, archive_name);
  }
  for (const tree_item& it : items) {
    if (rpm || msi || pkg) break;
    detail::package_entry e;
    e.path = it.path;
    e.type = std::string(archive::to_string(it.type));
    e.mode = it.mode & 07777;
    e.size = it.size;
    e.link = it.link;
    e.sha256 = it.sha256;
    entries.push_back(static_cast<detail::package_entry&&>(e));
  }

  const auto gzip = [&](span<const std::byte> data) -> result<buffer<std::byte>> {
    return compress::gzip_compress(data, level);
  };
  if (o.format == package_format::tar || o.format == package_format::tar_gz) {
    // written already
  } else if (rpm || msi || pkg) {
    text_view summary = o.description.empty() ? text_view(o.name) : text_view(o.description);
    summary = summary.substr(0, summary.find('\n'));
    vitte::diagnostic md;  // the writer's
    result<buffer<std::byte>> made = vitte::error{errc::invalid_argument, ops::package};
    if (rpm) {
      archive_name = std::string(o.name.view()) + "-" + std::string(o.version.view()) + "-" +
                     std::string(o.release.view()) + "." + std::string(arch) + ".rpm";
      detail::rpm_fields rf;
      rf.name = o.name;
      rf.version = o.version;
      rf.release = o.release;
      rf.arch = arch;
      rf.summary = summary;
      rf.description = o.description.empty() ? summary : text_view(o.description);
      rf.license = o.license;
      rf.url = o.url;
      rf.packager = o.maintainer;
      rf.group = "Applications/System";  // rpmlint refuses a missing group and "Unspecified"
      rf.signer = o.key != nullptr ? &o.key->pair : nullptr;
      rf.build_time = o.mtime;
      rf.level = level;
      const auto rpm_list = [](const buffer<text>& items, std::vector<detail::rpm_dependency>& out) {
        for (const text& item : items) {
          detail::relation r;
          if (!detail::parse_relation(item, r)) continue;  // checked above
          const std::uint32_t sense = (r.op.find('<') != std::string::npos ? detail::rpm_sense_less : 0u) |
                                      (r.op.find('>') != std::string::npos ? detail::rpm_sense_greater : 0u) |
                                      (r.op.find('=') != std::string::npos ? detail::rpm_sense_equal : 0u);
          out.push_back({r.name, r.version, sense});
        }
      };
      std::vector<detail::rpm_dependency> requirements = auto_requires, conflicts, provides = auto_provides;
      rpm_list(o.depends, requirements);
      rpm_list(o.conflicts, conflicts);
      rpm_list(o.provides, provides);
      rf.requirements = requirements;
      rf.conflicts = conflicts;
      rf.provides = provides;
      rf.config_files = config;
      // Written to the sink as it is made; read back when it is in memory.
      if (status s = detail::rpm_write_tree(items, rf, sink, scratch_dir, entries, &md); !s)
        made = s.error();
      else
        made = sink.memory != nullptr ? buffer<std::byte>(sink.memory->span()) : buffer<std::byte>();
    } else if (pkg) {
      archive_name =
          std::string(o.name.view()) + "-" + std::string(o.version.view()) + "-" + std::string(arch) + ".pkg";
      detail::pkg_fields pf;
      pf.name = o.name;
      pf.version = o.version;
      pf.identifier = identifier;
      pf.install_location = prefix;
      pf.architectures = arch;
      pf.time = o.mtime;
      pf.level = level;
      pf.preinstall = scripts[0].span();
      pf.postinstall = scripts[1].span();
      // Written to the sink as it is made; read back when it is in memory.
      if (status s = detail::pkg_write_tree(items, pf, sink, scratch_dir, entries, &md); !s)
        made = s.error();
      else
        made = sink.memory != nullptr ? buffer<std::byte>(sink.memory->span()) : buffer<std::byte>();
    } else {
      archive_name =
          std::string(o.name.view()) + "-" + std::string(o.version.view()) + "-" + std::string(arch) + ".msi";
      detail::msi_fields mf;
      mf.name = o.name;
      mf.version = o.version;
      mf.manufacturer = o.maintainer;
      mf.description = summary;
      mf.product_code = o.product_code;
      mf.upgrade_code = o.upgrade_code;
      mf.arch = arch;
      mf.time = o.mtime;
      mf.level = level;
      mf.config_files = config;
      // Written to the sink as it is made; read back when it is in memory.
      if (status s = detail::msi_write_tree(items, mf, sink, scratch_dir, entries, &md); !s)
        made = s.error();
      else
        made = sink.memory != nullptr ? buffer<std::byte>(sink.memory->span()) : buffer<std::byte>();
    }
    // The writer's entry or field, in the message: an entry the format
    // cannot hold (an .msi's file too large for a cabinet folder too) about
    // the tree (the archive's name is not the subject: nothing was written,
    // and `vitte export -o` names it otherwise), anything else about the
    // archive.
    if (!made) {
      const bool entry = !md.subject().empty() &&
                         (made.error() == errc::not_supported || (msi && made.error() == errc::limit_exceeded));
      if (why != nullptr) detail::in_file(*why = md, entry ? tree : text_view(archive_name));
      return vitte::error{made.error().kind(), ops::package};
    }
    // The manifest lists what the package installs, as its reader (the one
    // verify_package() uses) finds it in the bytes just written (written
    // to a file: as its writer says its reader finds it).
    std::vector<detail::package_entry> installs;
    if (!made->empty() && !detail::read_installed(f, made->span(), installs, &md)) {
      if (why != nullptr) detail::in_file(*why = md, archive_name, "the package written does not read back");
      return vitte::error{md.kind(), ops::package};
    }
    if (!made->empty() && installs != entries)
      return fail(errc::io_error, "the package written does not read back as its writer says", archive_name);
  } else {
    archive_name = std::string(o.name.view()) + "_" + std::string(o.version.view()) + "_" + std::string(arch) + ".deb";
    std::uint64_t installed = 0;
    for (const auto& e : entries) installed += (e.size + 1023) / 1024;
    // The relations: those asked for, then those the ELF files need from
    // packages not named already.
    const auto deb_list = [](const buffer<text>& items, const std::vector<std::string>& more) {
      std::string out;
      std::vector<std::string> named;
      for (const text& item : items) {
        detail::relation r;
        if (!detail::parse_relation(item, r)) continue;  // checked above
        named.push_back(r.name);
        out += (out.empty() ? "" : ", ") + detail::deb_relation(r);
      }
      for (const std::string& m : more)
        if (std::find(named.begin(), named.end(), m.substr(0, m.find(' '))) == named.end())
          out += (out.empty() ? "" : ", ") + m;
      return out;
    };
    std::string control = "Package: " + std::string(o.name.view()) + "\nVersion: " + std::string(o.version.view()) +
                          "\nArchitecture: " + std::string(arch) + "\nMaintainer: " + std::string(o.maintainer.view()) +
                          "\nInstalled-Size: " + std::to_string(installed) + "\n";
    const struct {
      const char* field;
      std::string value;
    } relations[] = {{"Depends", deb_list(o.depends, auto_depends)},
                     {"Conflicts", deb_list(o.conflicts, {})},
                     {"Provides", deb_list(o.provides, {})}};
    for (const auto& r : relations)
      if (!r.value.empty()) control += std::string(r.field) + ": " + r.value + "\n";
    control += "Section: " + std::string(o.section.view()) + "\nPriority: " + std::string(o.priority.view()) + "\n";
    if (!o.url.empty()) control += "Homepage: " + std::string(o.url.view()) + "\n";
    control += "Description: " + detail::deb_description(o.description, o.name) + "\n";
    // conffiles, and the md5sums dpkg --verify checks (not of conffiles, as dh_md5sums).
    std::string conffiles, md5sums;
    for (const std::string& c : config) conffiles += "/" + c + "\n";
    for (const tree_file& file : files)
      if (!std::binary_search(config.begin(), config.end(), file.path))
        md5sums += items[file.item].md5 + "  " + file.path + "\n";
    // A shared library in ldconfig's directories: the shlibs entry other
    // packages' dpkg-shlibdeps reads, and the ldconfig trigger (as
    // dh_makeshlibs writes them).
    std::string shlibs, triggers;
    std::sort(public_libraries.begin(), public_libraries.end());
    for (const std::string& soname : public_libraries) {
      std::string lib, so_version;
      if (!detail::shlibs_key(soname, lib, so_version)) continue;
      text_view upstream = o.version;
      if (const std::size_t dash = upstream.rfind('-'); dash != text_view::npos) upstream = upstream.substr(0, dash);
      shlibs += lib + " " + so_version + " " + std::string(o.name.view()) + " (>= " + std::string(upstream) + ")\n";
    }
    if (!public_libraries.empty()) triggers = "activate-noawait ldconfig\n";
    archive::tar_writer cw(wo);
    if (status s = cw.add_file("control", vitte::detail::bytes_of(control)); !s)
      return fail(s.error().kind(), "cannot write the control archive", archive_name);
    if (status s = shlibs.empty() ? status{} : cw.add_file("shlibs", vitte::detail::bytes_of(shlibs)); !s)
      return fail(s.error().kind(), "cannot write the control archive", archive_name);
    if (status s = triggers.empty() ? status{} : cw.add_file("triggers", vitte::detail::bytes_of(triggers)); !s)
      return fail(s.error().kind(), "cannot write the control archive", archive_name);
    if (status s = conffiles.empty() ? status{} : cw.add_file("conffiles", vitte::detail::bytes_of(conffiles)); !s)
      return fail(s.error().kind(), "cannot write the control archive", archive_name);
    if (status s = md5sums.empty() ? status{} : cw.add_file("md5sums", vitte::detail::bytes_of(md5sums)); !s)
      return fail(s.error().kind(), "cannot write the control archive", archive_name);
    const buffer<std::byte> control_tar = cw.finish();
    result<buffer<std::byte>> control_gz = gzip(control_tar.span());
    if (!control_gz) return fail(errc::no_memory, "cannot compress the archive", archive_name);
    // The ar: debian-binary and control.tar.gz, then data.tar.gz's header
    // and its bytes, from memory or from the scratch file.
    const text_view binary = "2.0\n";
    std::string head;
    const struct {
      text_view name;
      span<const std::byte> data;
    } parts[] = {{"debian-binary", vitte::detail::bytes_of(binary)}, {"control.tar.gz", control_gz->span()}};
    for (const auto& part : parts) {
      (void)detail::ar_append(head, part.name, o.mtime, part.data);  // small: they fit
      members.push_back({std::string(part.name), detail::sha256_hex(part.data), part.data.size()});
    }
    if (!detail::ar_header(head, "data.tar.gz", o.mtime, data.sink.size))
      return fail(errc::limit_exceeded, "a member too large for ar's size field", archive_name, "data.tar.gz");
    members.push_back({"data.tar.gz", detail::digest_hex(data.sink.hash.finish()), data.sink.size});
    if (status s = sink.write(vitte::detail::bytes_of(head)); !s) return written(s, archive_name);
    bool out_failed = false;
    status copied = data.read_back([&](span<const std::byte> piece) {
      status s = sink.write(piece);
      out_failed = !s;
      return s;
    });
    if (!copied && out_failed) return written(copied, archive_name);
    if (!copied) return fail(copied.error().kind(), "cannot read back", data.scratch.path());
    if (data.sink.size % 2 != 0)
      if (status s = sink.write(vitte::detail::bytes_of(text_view("\n"))); !s) return written(s, archive_name);
  }
  out.sha256 = detail::digest_hex(sink.hash.finish());
  out.size = sink.size;
  return out;
}

}  // namespace detail

VITTE_DECL buffer<text> package_warnings(const package_options& o) {
  buffer<text> out;
  const bool deb = o.format == package_format::deb;
  const bool rpm = o.format == package_format::rpm;
  if (!deb && !rpm) return out;
  if (deb && o.maintainer.view() == package_options{}.maintainer.view())
    out.push_back(text("maintainer: left at its default, \"") + o.maintainer.view() +
                  "\", which lintian rejects (bogus-mail-host): give a name and a mail address");
  if (o.description.empty())
    out.push_back(text(deb ? "description: empty, so the name stands for it, which lintian rejects "
                             "(description-is-pkg-name, extended-description-is-empty)"
                           : "description: empty, so the name stands for the summary, which rpmlint warns of "
                             "(name-repeated-in-summary)"));
  else if (deb && o.description.view().find('\n') == text_view::npos)
    out.push_back(
        text("description: one line, so the extended description is empty, which lintian rejects "
             "(extended-description-is-empty): add lines after the first"));
  if (deb && o.mtime < 157'766'400)  // lintian: before 1975
    out.push_back(
        text("time: every file is dated before 1975 (SOURCE_DATE_EPOCH unset?), which lintian rejects "
             "(package-contains-ancient-file)"));
  if (rpm && o.license.view() == package_options{}.license.view())
    out.push_back(text("license: left at its default, \"unknown\", which rpmlint warns of (invalid-license)"));
  if (rpm && o.url.empty()) out.push_back(text("url: empty, which rpmlint warns of (no-url-tag)"));
  return out;
}

VITTE_DECL result<package_archive> make_package_archive(text_view tree, const package_options& o,
                                                        vitte::diagnostic* why) {
  package_archive out;
  detail::archive_sink sink;
  sink.memory = &out.bytes;
  result<detail::assembled_package> a = detail::assemble_package(tree, o, sink, {}, why);
  if (!a) return a.error();
  out.name = text(a->name.data(), a->name.size());
  out.entries = static_cast<std::uint32_t>(a->entries.size());
  return out;
}

VITTE_DECL result<package_output> make_package(text_view tree, text_view out_dir, const package_options& o,
                                               vitte::diagnostic* why) {
  namespace sys = vitte::sys;
  const auto fail = [&](errc kind, const char* what, text_view file) {
    return detail::package_failure(why, ops::package, kind, what, file);
  };
  // The archive is written as it is made, to a scratch file in out_dir
  // named as the archive once whole: memory does not grow with the tree.
  const result<bool> existed = sys::exists(out_dir);
  if (status s = sys::create_directories(out_dir); !s)
    return fail(s.error().kind(), "cannot create the output directory", out_dir);
  result<sys::temp_file> scratch = sys::temp_file::create(out_dir, ".vitte-package-");
  if (!scratch) return fail(scratch.error().kind(), "cannot write in the output directory", out_dir);
  detail::archive_sink sink;
  sink.file = &scratch->file();
  result<detail::assembled_package> a = detail::assemble_package(tree, o, sink, out_dir, why);
  if (!a) {
    (void)scratch->remove();
    if (existed && !*existed) (void)sys::remove(out_dir);  // made for nothing (and empty)
    return a.error();
  }
  const std::string& archive_name = a->name;
  const std::vector<detail::package_entry>& entries = a->entries;
  const std::vector<detail::package_member>& members = a->members;
  const auto step = [&](text_view what) {
    if (o.progress != nullptr) o.progress(what, o.progress_user);
  };
  const std::string manifest = detail::manifest_json(o, archive_name, a->size, a->sha256, members, entries);
  std::vector<std::pair<std::string, std::string>> sums = {
      {archive_name, a->sha256}, {"manifest.json", detail::sha256_hex(vitte::detail::bytes_of(manifest))}};
  // A signed .rpm's key, as `rpm --import` takes it.
  const std::string key_file = detail::rpm_key_file_name(o.key_name);
  text key_block;
  if (o.format == package_format::rpm && o.key != nullptr) {
    result<text> block = detail::rpm_public_key_block(o.key->pair, o.maintainer);
    if (!block) return fail(block.error().kind(), "cannot write the OpenPGP key", o.maintainer);
    key_block = static_cast<text&&>(*block);
    sums.push_back({key_file, detail::sha256_hex(vitte::detail::bytes_of(key_block.view()))});
  }
  std::sort(sums.begin(), sums.end());
  std::string list;
  for (const auto& [file, sum] : sums) list += "SHA256 (" + file + ") = " + sum + "\n";

  step("writing");
  package_output out;
  out.archive = sys::path_join(out_dir, archive_name);
  out.manifest = sys::path_join(out_dir, "manifest.json");
  out.sums = sys::path_join(out_dir, "SHA256SUMS");
  const text sig_path = sys::path_join(out_dir, "SHA256SUMS.sig");
  out.size = a->size;
  out.entries = static_cast<std::uint32_t>(entries.size());
  const auto put = [&](const text& path, span<const std::byte> data) -> status {
    if (status s = sys::atomic_replace(path, data); !s) return fail(s.error().kind(), "cannot write", path);
    return {};
  };
  {  // the archive, whole: under its name, readable as atomic_replace's files are
    if (status s = scratch->file().sync(); !s) return fail(s.error().kind(), "cannot write", scratch->path());
    if (status s = scratch->file().close(); !s) return fail(s.error().kind(), "cannot write", scratch->path());
    if (status s = sys::set_permissions(scratch->path(), 0644); !s)
      return fail(s.error().kind(), "cannot write", scratch->path());
    if (status s = sys::rename(scratch->path(), out.archive); !s)
      return fail(s.error().kind(), "cannot write", out.archive);
    (void)scratch->release();
  }
  if (status s = put(out.manifest, vitte::detail::bytes_of(manifest)); !s) return s.error();
  if (status s = put(out.sums, vitte::detail::bytes_of(list)); !s) return s.error();
  const text key_path = sys::path_join(out_dir, key_file);
  if (!key_block.empty()) {
    if (status s = put(key_path, vitte::detail::bytes_of(key_block.view())); !s) return s.error();
    out.openpgp_key = key_path;
  } else if (result<bool> stale = sys::exists(key_path); stale && *stale) {
    if (result<bool> gone = sys::remove(key_path); !gone)
      return fail(gone.error().kind(), "cannot remove the old OpenPGP key", key_path);
  }
  if (o.key != nullptr) {
    step("signing");
    const text sig =
        signify::sign(*o.key, vitte::detail::bytes_of(list), text("verify with ") + o.key_name.view(), true);
    if (status s = put(sig_path, vitte::detail::bytes_of(sig)); !s) return s.error();
    out.signature = sig_path;
  } else if (result<bool> stale = sys::exists(sig_path); stale && *stale) {
    if (result<bool> gone = sys::remove(sig_path); !gone)
      return fail(gone.error().kind(), "cannot remove the old signature", sig_path);
  }
  return out;
}

namespace detail {

/// What verify_package() reads of an archive at once, and of gzip'd bytes
/// it decodes at once: DEFLATE expands 8 KiB to at most about 8.3 MiB, so
/// that decoded piece is the most it holds.
inline constexpr std::size_t verify_piece = std::size_t{1} << 16;
inline constexpr std::size_t verify_gzip_piece = std::size_t{1} << 13;

/// The archive file read once, front to back, in pieces: the SHA-256 of the
/// whole and of the current part (a .deb's member) counted as the bytes
/// pass. A byte_source whose reads stop at `end` (a part's end).
struct archive_stream {
  vitte::sys::file* file = nullptr;
  crypto::sha256 whole, part;
  std::uint64_t at = 0, end = UINT64_MAX;
  buffer<std::byte> piece;  // drain()'s
  result<std::size_t> read(span<std::byte> into) {
    if (into.size() > end - at) into = into.first(static_cast<std::size_t>(end - at));
    if (into.empty()) return std::size_t{0};
    result<std::size_t> n = file->read(into);
    if (!n) return n;
    const span<const std::byte> got(into.data(), *n);
    whole.update(got);
    part.update(got);
    at += *n;
    return n;
  }
  /// Reads on to `end` or the file's end. Errors: the file's.
  status drain() {
    if (piece.empty() && !piece.try_resize_for_overwrite(verify_piece))
      return vitte::error{errc::no_memory, ops::verify_package};
    for (;;) {
      result<std::size_t> n = read(piece.span());
      if (!n) return n.error();
      if (*n == 0) return {};
    }
  }
};

/// A byte_source of what the gzip stream `in` reads decodes to, decoded a
/// verify_gzip_piece at a time. `failed`: the decoder refused (`why`).
template <class Source>
struct gunzip_stream {
  Source* in = nullptr;
  compress::decompressor gz;
  buffer<std::byte> out, piece;
  std::size_t taken = 0;  // of out
  bool ended = false, failed = false;
  vitte::diagnostic why;
  result<std::size_t> read(span<std::byte> into) {
    std::size_t filled = 0;
    while (filled < into.size()) {
      if (taken < out.size()) {
        const std::size_t n = std::min(into.size() - filled, out.size() - taken);
        std::memcpy(into.data() + filled, out.data() + taken, n);
        taken += n;
        filled += n;
        continue;
      }
      out.clear();
      taken = 0;
      if (ended) break;
      if (piece.empty() && !piece.try_resize_for_overwrite(verify_gzip_piece))
        return vitte::error{errc::no_memory, ops::verify_package};
      result<std::size_t> n = in->read(piece.span());
      if (!n) return n.error();
      ended = *n == 0;
      status s = ended ? gz.finish(out, &why) : gz.write(span<const std::byte>(piece.data(), *n), out, &why);
      if (!s) return failed = true, s.error();
    }
    return filled;
  }
};

/// The SHA-256 of the file at `path`, read in pieces. Errors: the file's.
VITTE_DECL result<std::string> sha256_of_file(text_view path) {
  result<vitte::sys::file> file = vitte::sys::file::open(path, vitte::sys::open_mode::read);
  if (!file) return file.error();
  archive_stream src;
  src.file = &*file;
  if (status s = src.drain(); !s) return s.error();
  return digest_hex(src.whole.finish());
}

/// The entries of the tar `src` reads, each file's data hashed in pieces
/// of `piece`; stops after one entry more than `most` (the manifest's
/// count: what differs is known then). False with `why` set.
template <class Source>
bool stream_entries(Source& src, std::size_t most, std::vector<package_entry>& out, buffer<std::byte>& piece,
                    vitte::diagnostic& why) {
  archive::tar_stream_reader<Source> r(src);
  for (;;) {
    result<const archive::entry*> e = r.next();
    if (!e) return why = r.failure(), false;
    if (*e == nullptr) return true;
    package_entry p = entry_of(**e);
    if ((*e)->type == archive::entry_type::file) {
      crypto::sha256 h;
      for (;;) {
        result<std::size_t> n = r.read_data(piece.span());
        if (!n) return why = r.failure(), false;
        if (*n == 0) break;
        h.update(span<const std::byte>(piece.data(), *n));
      }
      p.sha256 = digest_hex(h.finish());
    }
    out.push_back(static_cast<package_entry&&>(p));
    if (out.size() > most) return true;
  }
}

/// The most a gzip'd tar of `compressed` bytes may decode to: what the
/// manifest's entries take, and never more than DEFLATE can expand it to
/// (1032:1), so that a forged manifest cannot make the check take longer.
VITTE_DECL std::size_t gunzip_limit(const std::vector<package_entry>& entries, std::uint64_t compressed) {
  std::uint64_t limit = std::uint64_t{1} << 20;
  for (const auto& e : entries) limit += e.size + 1536;
  if (compressed < (UINT64_MAX - 4096) / 1032 && limit > std::uint64_t{1032} * compressed + 4096)
    limit = std::uint64_t{1032} * compressed + 4096;
  const std::uint64_t cap = std::uint64_t{1} << (sizeof(std::size_t) >= 8 ? 40 : 30);  // 1 TiB, 1 GiB
  return static_cast<std::size_t>(limit > cap ? cap : limit);
}

/// What reading an archive in pieces found: its members (a .deb's) and
/// entries, or why it does not read (`ar_failed`: a .deb's ar itself).
struct archive_found {
  std::vector<package_member> members;
  std::vector<package_entry> entries;
  bool unreadable = false, ar_failed = false;
  vitte::diagnostic why;
};

/// The tar, gzip'd or not, that `src` reads up to its end (its offset
/// `base` in the file), into `f`: a gzip refusal about `member` at its
/// place in the file, a tar's placed at `base` ("at offset ... of the tar").
VITTE_DECL void stream_tar(archive_stream& src, bool gzipped, std::size_t most,
                           const std::vector<package_entry>& entries, text_view member, archive_found& f,
                           buffer<std::byte>& piece) {
  const std::uint64_t base = src.at;
  if (!gzipped) {
    f.unreadable = !stream_entries(src, most, f.entries, piece, f.why);
    return;
  }
  compress::decompress_limits dl;
  dl.max_output = gunzip_limit(entries, src.end == UINT64_MAX ? src.file->size().value_or(0) : src.end - base);
  gunzip_stream<archive_stream> gz{&src, compress::decompressor(compress::format::gzip, dl), {}, {}, 0, false, false,
                                   {}};
  bool ok = stream_entries(gz, most, f.entries, piece, f.why);
  while (ok && !gz.ended) {  // the rest of the stream, to its trailer
    result<std::size_t> n = gz.read(piece.span());
    if (!n && !gz.failed) (void)refuse(&f.why, n.error().kind(), src.at, member, "cannot read");
    ok = static_cast<bool>(n);
  }
  f.unreadable = !ok || gz.failed;
  if (gz.failed) {  // the decoder's place, in the file; what it met, after what it means here
    f.why.clear();
    f.why.of(gz.why.kind()).about(member).at(base + (gz.why.has_offset() ? gz.why.offset() : 0));
    f.why.say(gz.why.kind() == errc::unexpected_eof ? "a gzip stream cut short" : "not a whole gzip stream");
    if (!gz.why.message().empty()) f.why.append(" (").append(gz.why.message()).append(")");
  } else if (!ok && f.why.subject() != member) {
    (void)refused_in(&f.why, base, "tar");  // an offset once unpacked
  }
}

/// A .deb's ar read from `src`: each member hashed as it passes, the data
/// in data.tar.gz unpacked on the way.
VITTE_DECL void stream_deb(archive_stream& src, const std::vector<package_entry>& entries, archive_found& f,
                           buffer<std::byte>& piece) {
  const auto ar_fail = [&](errc kind, std::uint64_t at, text_view member, text_view what) {
    f.unreadable = f.ar_failed = true;
    (void)refuse(&f.why, kind, at, member, what);
  };
  char magic[8] = {};
  result<std::size_t> n = src.read(as_writable_bytes(span<char>(magic, sizeof magic)));
  if (!n || *n != sizeof magic || text_view(magic, sizeof magic) != ar_magic)
    return ar_fail(errc::malformed, 0, {}, "not an ar archive (no \"!<arch>\" magic)");
  bool data_seen = false;
  archive_found data;
  for (;;) {
    char h[ar_header_size];
    const std::uint64_t at = src.at;
    n = src.read(as_writable_bytes(span<char>(h, sizeof h)));
    if (!n) return ar_fail(n.error().kind(), at, {}, "cannot read");
    if (*n == 0) break;
    text_view name;
    std::uint64_t size = 0;
    if (!ar_member_header(text_view(h, *n), at, name, size, &f.why)) {
      f.unreadable = f.ar_failed = true;
      return;
    }
    const std::string member(name);
    const std::uint64_t start = src.at;
    src.part = crypto::sha256{};
    src.end = size > UINT64_MAX - start ? UINT64_MAX : start + size;
    if (member == "data.tar.gz" && !data_seen) {
      data_seen = true;
      stream_tar(src, true, entries.size(), entries, member, data, piece);
    }
    if (status s = src.drain(); !s) return ar_fail(s.error().kind(), src.at, member, "cannot read");
    src.end = UINT64_MAX;
    if (src.at - start < size) return ar_fail(errc::malformed, src.at, member, "an ar member's data cut short");
    f.members.push_back({member, digest_hex(src.part.finish()), size});
    if (size % 2 == 0) continue;
    std::byte pad{};
    n = src.read(span<std::byte>(&pad, 1));
    if (!n || *n != 1) return ar_fail(errc::malformed, src.at, member, "an ar member's padding cut short");
  }
  if (!data_seen) return ar_fail(errc::malformed, src.at, {}, "no data.tar.gz member");
  f.entries = static_cast<std::vector<package_entry>&&>(data.entries);
  f.unreadable = data.unreadable;
  f.why = data.why;
}

}  // namespace detail

VITTE_DECL result<package_info> verify_package(text_view dir, const signify::public_key* key, vitte::diagnostic* why) {
  namespace sys = vitte::sys;
  const auto fail = [&](errc kind, const char* what, text_view file, text_view detail = {}) {
    return detail::package_failure(why, ops::verify_package, kind, what, file, detail);
  };
  const text sums_path = sys::path_join(dir, "SHA256SUMS");
  const text sig_path = sys::path_join(dir, "SHA256SUMS.sig");
  package_info info;
  text list;
  result<text> plain = sys::read_file_string(sums_path);
  if (key != nullptr) {
    result<text> sig = sys::read_file_string(sig_path);
    if (!sig && sig.error() == errc::not_found && !plain && plain.error() == errc::not_found)
      return fail(errc::not_found, "not a package: it has no SHA256SUMS", sums_path);
    if (!sig && sig.error() == errc::not_found)
      return fail(errc::not_found, "the package is unsigned: it has no SHA256SUMS.sig", sig_path);
    if (!sig) return fail(sig.error().kind(), "cannot read the signature", sig_path);
    result<text_view> signed_list = signify::verify_embedded(*key, *sig, why);
    if (!signed_list) {  // signify's kind and message (both key numbers for another key's), about the file
      if (why != nullptr) why->about(sig_path);
      return vitte::error{signed_list.error().kind(), ops::verify_package};
    }
    list = *signed_list;
    info.signature_checked = true;
    if (plain && plain->view() != list.view())
      return fail(errc::verification_failed, "SHA256SUMS is not the list SHA256SUMS.sig signs", sums_path);
  } else {
    if (!plain && plain.error() == errc::not_found)
      return fail(errc::not_found, "not a package: it has no SHA256SUMS", sums_path);
    if (!plain) return fail(plain.error().kind(), "cannot read the checksums", sums_path);
    list = static_cast<text&&>(*plain);
  }
  std::vector<detail::sum_line> sums;
  if (!detail::parse_sums(list, sums))
    return fail(errc::malformed, "a line is not \"SHA256 (file) = <64 hex digits>\"", sums_path);
  const auto listed = [&](text_view file) -> const detail::sum_line* {
    for (const auto& l : sums)
      if (text_view(l.file) == file) return &l;
    return nullptr;
  };

  const detail::sum_line* manifest_sum = listed("manifest.json");
  if (manifest_sum == nullptr) return fail(errc::not_found, "manifest.json is not in the checksums", sums_path);
  const text manifest_path = sys::path_join(dir, "manifest.json");
  result<buffer<std::byte>> manifest_bytes = sys::read_file(manifest_path);
  if (!manifest_bytes) return fail(manifest_bytes.error().kind(), "cannot read", manifest_path);
  if (detail::sha256_hex(manifest_bytes->span()) != manifest_sum->sha256)
    return fail(errc::verification_failed, "checksum mismatch: the file is not the one SHA256SUMS lists",
                manifest_path);
  vitte::detail::json_value m;
  vitte::detail::json_reader jr(
      text_view(reinterpret_cast<const char*>(manifest_bytes->data()), manifest_bytes->size()));
  if (!jr.parse(m)) {
    const vitte::error e = fail(errc::malformed, jr.what, manifest_path);
    if (why != nullptr) why->at(jr.describe().offset());
    return e;
  }
  const vitte::detail::json_value* a = m.get("archive");
  std::uint64_t expected_size = 0;
  if (m.text_of("schema") != "vitte.package" || a == nullptr || a->text_of("file").empty() ||
      !a->number_of("size", expected_size) || !parse_package_format(m.text_of("format"), info.format))
    return fail(errc::malformed, "not a vitte.package manifest (schema, format, archive)", manifest_path);
  std::vector<detail::package_member> members;
  std::vector<detail::package_entry> entries;
  if (!detail::manifest_lists(m, members, entries))
    return fail(errc::malformed, "a member or entry without its fields", manifest_path);
  info.name = m.text_of("name");
  info.version = m.text_of("version");
  info.target = m.text_of("target");
  info.archive = a->text_of("file");
  info.size = expected_size;
  info.entries = static_cast<std::uint32_t>(entries.size());

  const detail::sum_line* archive_sum = listed(info.archive);
  if (archive_sum == nullptr || archive_sum->sha256 != a->text_of("sha256"))
    return fail(errc::verification_failed, "the manifest and SHA256SUMS disagree on the archive", manifest_path);
  const text archive_path = sys::path_join(dir, info.archive);
  // A reader's diagnostic `d`, about the archive, after `lead`.
  const auto fail_read = [&](errc kind, const vitte::diagnostic& d, text_view lead) {
    if (why != nullptr) detail::in_file(*why = d, archive_path, lead).of(kind);
    return vitte::error{kind, ops::verify_package};
  };
  // What the archive holds, against the manifest: tells a swapped member
  // from bytes altered in place. `found.why` says why it does not read,
  // when it does not: the reader's message, the place in the archive.
  // A tar, a tar.gz and a .deb are read once, in pieces, hashed and
  // unpacked as they pass; an .rpm, an .msi and a .pkg whole.
  const bool installer =
      info.format == package_format::rpm || info.format == package_format::msi || info.format == package_format::pkg;
  detail::archive_found found;
  std::string sha256;
  std::uint64_t size = 0;
  buffer<std::byte> bytes;  // an installer's
  if (installer) {
    result<buffer<std::byte>> whole = sys::read_file(archive_path);
    if (!whole) return fail(whole.error().kind(), "cannot read", archive_path);
    bytes = static_cast<buffer<std::byte>&&>(*whole);
    sha256 = detail::sha256_hex(bytes.span());
    size = bytes.size();
    found.unreadable = !detail::read_installed(info.format, bytes.span(), found.entries, &found.why);
  } else {
    result<sys::file> file = sys::file::open(archive_path, sys::open_mode::read);
    if (!file) return fail(file.error().kind(), "cannot read", archive_path);
    detail::archive_stream src;
    src.file = &*file;
    buffer<std::byte> piece;
    if (!piece.try_resize_for_overwrite(detail::verify_piece))
      return fail(errc::no_memory, "cannot read", archive_path);
    if (info.format == package_format::deb)
      detail::stream_deb(src, entries, found, piece);
    else
      detail::stream_tar(src, info.format == package_format::tar_gz, entries.size(), entries, {}, found, piece);
    src.end = UINT64_MAX;
    if (status s = src.drain(); !s) return fail(s.error().kind(), "cannot read", archive_path);
    sha256 = detail::digest_hex(src.whole.finish());
    size = src.at;
  }
  const bool sum_ok = sha256 == archive_sum->sha256;
  const bool unreadable = found.unreadable;
  const vitte::diagnostic& rd = found.why;
  if (info.format == package_format::deb && !found.ar_failed) {
    for (std::size_t i = 0; i < members.size() || i < found.members.size(); ++i) {
      if (i >= found.members.size() || i >= members.size())
        return fail(errc::verification_failed, "a member differs from the manifest (swapped or missing)", archive_path,
                    i < members.size() ? text_view(members[i].name) : text_view(found.members[i].name));
      if (!(found.members[i] == members[i]))
        return fail(errc::verification_failed, "a member differs from the manifest (swapped or altered)", archive_path,
                    members[i].name);
    }
  }
  const std::vector<detail::package_entry>& found_entries = found.entries;
  // Shorter than the manifest says, and cut off in the middle: truncated
  // (a shorter archive that reads to its end was swapped: see below).
  if (size < expected_size && unreadable) {
    const text lead = text("truncated: shorter than the manifest says, ") + std::to_string(size).c_str() + " of " +
                      std::to_string(expected_size).c_str() + " bytes";
    return fail_read(errc::unexpected_eof, rd, lead);
  }
  if (!unreadable) {
    for (std::size_t i = 0; i < entries.size() || i < found_entries.size(); ++i) {
      if (i >= found_entries.size() || i >= entries.size() || !(found_entries[i] == entries[i]))
        return fail(errc::verification_failed, "an entry differs from the manifest (swapped or altered)", archive_path,
                    i < entries.size() ? text_view(entries[i].path) : text_view(found_entries[i].path));
    }
  }
  if (!sum_ok)
    return fail(errc::verification_failed, "checksum mismatch: the file is not the one SHA256SUMS lists", archive_path,
                unreadable ? text("its SHA-256 differs; read back: ") + rd.message() : text("its SHA-256 differs"));
  if (unreadable)  // the listed checksum, yet the manifest's entries cannot be read back
    return fail_read(errc::malformed, rd, "the archive does not read back as its manifest says");
  // A signed .rpm: its own signature is by the package's key too.
  if (info.format == package_format::rpm && key != nullptr) {
    detail::rpm_contents c;
    vitte::diagnostic sd;
    if (detail::rpm_read(bytes.span(), c, &sd) && c.has_signature &&
        !detail::rpm_verify_signature(bytes.span(), key->key, &sd))
      return fail_read(errc::verification_failed, sd, "the rpm's OpenPGP signature is not by the package's key");
  }
  // Every other file the list names (a signed .rpm's OpenPGP key).
  for (const detail::sum_line& l : sums) {
    if (text_view(l.file) == "manifest.json" || text_view(l.file) == info.archive.view()) continue;
    const text path = sys::path_join(dir, l.file);
    result<std::string> other = detail::sha256_of_file(path);
    if (!other) return fail(other.error().kind(), "cannot read", path);
    if (*other != l.sha256)
      return fail(errc::verification_failed, "checksum mismatch: the file is not the one SHA256SUMS lists", path);
  }
  return info;
}

}  // namespace vitte::release

#endif  // VITTE_RELEASE_IMPL_PACKAGE_IPP
