// vitte/archive/impl/extract.ipp - extract() (vitte/archive/extract.hpp): the
// rules on names and links, writing an entry from memory, extract() of an
// archive in memory.
#ifndef VITTE_ARCHIVE_IMPL_EXTRACT_IPP
#define VITTE_ARCHIVE_IMPL_EXTRACT_IPP

#include <vitte/archive/extract.hpp>
#include <vitte/archive/tar.hpp>
#include <vitte/sys/file.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace vitte::archive {
namespace detail {

// CON, PRN, AUX, NUL, COM1-9, LPT1-9 (any case, any extension): device
// names on Windows wherever they appear.
VITTE_DECL bool windows_device(text_view part) {
  const text_view base = part.substr(0, part.find('.'));
  if (base.size() < 3 || base.size() > 7) return false;
  char up[8] = {};
  for (std::size_t i = 0; i < base.size(); ++i)
    up[i] = base[i] >= 'a' && base[i] <= 'z' ? static_cast<char>(base[i] - 'a' + 'A') : base[i];
  const text_view u(up, base.size());
  if (u == "CON" || u == "PRN" || u == "AUX" || u == "NUL" || u == "CONIN$" || u == "CONOUT$") return true;
  return u.size() == 4 && (u.starts_with("COM") || u.starts_with("LPT")) && u[3] >= '1' && u[3] <= '9';
}

VITTE_DECL bool absolute_name(text_view p) {
  return p.starts_with('/') || p.starts_with('\\') ||
         (p.size() >= 2 && p[1] == ':' && ((p[0] >= 'a' && p[0] <= 'z') || (p[0] >= 'A' && p[0] <= 'Z')));
}

// Splits a member path into its components ("." and empty ones dropped),
// or says why it is refused.
VITTE_DECL refusal split_member(text_view p, std::vector<text_view>& parts) {
  parts.clear();
  if (absolute_name(p)) return refusal::absolute_path;
  while (!p.empty()) {
    const std::size_t slash = p.find('/');
    const text_view part = p.substr(0, slash);
    p = slash == text_view::npos ? text_view() : p.substr(slash + 1);
    if (part.empty() || part == ".") continue;
    if (part == "..") return refusal::parent_reference;
    for (char c : part)
      if (static_cast<unsigned char>(c) < 0x20 || text_view("<>:\"|?*\\").contains(c)) return refusal::windows_name;
    if (part.ends_with('.') || part.ends_with(' ') || windows_device(part)) return refusal::windows_name;
    parts.push_back(part);
  }
  return refusal::none;
}

// A symbolic link's target stays inside the destination when it is
// relative, its ".." come first, and there are no more of them than
// directories between the link and the destination.
VITTE_DECL bool link_stays_inside(text_view target, std::size_t depth) {
  if (target.empty() || absolute_name(target) || target.contains('\\')) return false;
  bool descended = false;
  while (!target.empty()) {
    const std::size_t slash = target.find('/');
    const text_view part = target.substr(0, slash);
    target = slash == text_view::npos ? text_view() : target.substr(slash + 1);
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (descended || depth == 0) return false;
      --depth;
      continue;
    }
    descended = true;
  }
  return true;
}

VITTE_DECL std::string join(const std::vector<text_view>& parts, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    if (i != 0) out += '/';
    out += std::string_view(parts[i]);
  }
  return out;
}

// Writes the data of the entry `r` returned into `f`: a sparse file's runs
// at their offsets, the holes left as holes (ftruncate to the real size;
// where the file system has no holes, zeros). `reading` says whether an
// error came from the archive.
VITTE_DECL status write_entry(tar_reader& r, vitte::sys::file& f, const entry& e, buffer<std::byte>&, bool& reading) {
  reading = false;
  const span<const std::byte> data = r.data();
  if (!e.sparse) return f.write(data);
  std::size_t at = 0;
  for (const sparse_run& run : r.sparse_map()) {
    if (run.size == 0) continue;
    if (status w = f.write_at(data.subspan(at, static_cast<std::size_t>(run.size)), run.offset); !w) return w;
    at += static_cast<std::size_t>(run.size);
  }
  return f.truncate(e.size);
}

}  // namespace detail

VITTE_DECL text_view to_string(refusal r) noexcept {
  switch (r) {
    case refusal::none:
      return "none";
    case refusal::absolute_path:
      return "absolute path";
    case refusal::parent_reference:
      return "parent reference (..)";
    case refusal::windows_name:
      return "name Windows cannot hold";
    case refusal::through_symlink:
      return "path through a symbolic link";
    case refusal::not_a_directory:
      return "path through a file";
    case refusal::link_escapes:
      return "symbolic link leaving the destination";
    case refusal::hard_link_target:
      return "hard link to a file not extracted by this archive";
    case refusal::special_file:
      return "device node or fifo";
    case refusal::already_exists:
      return "name already taken";
    case refusal::destination_not_empty:
      return "destination not empty";
    case refusal::too_many_entries:
      return "more entries than the limit";
    case refusal::too_large:
      return "more bytes than the limit";
    case refusal::too_deep:
      return "deeper than the limit";
    case refusal::unreadable:
      return "unreadable archive";
    case refusal::io_error:
      return "file system error";
  }
  return "unknown";
}

VITTE_DECL result<extract_report> extract(span<const std::byte> archive, text_view destination,
                                          const extract_options& options, vitte::diagnostic* why, refusal* reason) {
  tar_reader reader(archive);
  return detail::extract_entries(reader, destination, options, why, reason);
}

}  // namespace vitte::archive

#endif  // VITTE_ARCHIVE_IMPL_EXTRACT_IPP
