// vitte/wasm/wasi/sandbox.hpp - the capability check of WASI paths: a
// path a program names is resolved under one directory it was granted, and
// never leaves it.
//
//   wasm::detail::wasi::resolved<sys::platform> r;
//   std::uint16_t e = wasm::detail::wasi::resolve_path<sys::platform>(dir.native(), "a/b.txt", true, r);
//   // e == e_success: r.dir holds "b.txt" (r.name); r.chain keeps the
//   // directories opened on the way open
//
// The path is walked one component at a time from `base`: an absolute path,
// a ".." above `base`, or a symbolic link whose target is absolute or climbs
// out of it is refused with e_notcapable; more than max_symlinks expansions
// is e_loop; a NUL inside is e_inval; a component longer than max_name
// bytes is e_nametoolong on every host (Windows, and wine, would otherwise
// report such a name as absent, to be created). Each directory on the way
// is opened relative to the one before (openat) without following links,
// and the last component is left to the caller to open without following
// one, so a link swapped in meanwhile is refused too. The result is a WASI
// errno: the program sees it as is.
//
// A trailing slash means "a directory" (POSIX): "sub/" names "sub" in its
// directory, as "sub" does, with `directory` set; when it exists and is not
// a directory (or is a link not followed) the path is e_notdir. Each call
// then does what it does to a directory: path_create_directory("n/") makes
// n, path_remove_directory("d/") and path_rename("d/", "e/") act on d. The
// calls that look at what a path names (stat, open, readlink) follow a
// link named "link/" (basic_wasi::resolve's `looks`); those that act on the
// name itself do not, and find it no directory.
#ifndef VITTE_WASM_WASI_SANDBOX_HPP
#define VITTE_WASM_WASI_SANDBOX_HPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>  // VITTE_OS_WINDOWS
#include <vitte/base/result.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/sys/directory.hpp>  // basic_directory::open_at
#include <vitte/sys/fs_types.hpp>   // native_handle, file_status
#include <vitte/wasm/wasi/abi.hpp>  // errnos, errno_of

#include <cstdint>
#include <utility>

namespace vitte::wasm::detail::wasi {

constexpr int max_symlinks = 32;       // expansions in one path
constexpr std::size_t max_name = 255;  // bytes in one component (NAME_MAX; NTFS's 255 UTF-16 units)

// A path resolved under a directory descriptor: the directory holding its
// last component (opened on the way, or the descriptor's own) and that
// component ("." for the directory itself); `directory`: the path ended with
// a slash, so what it names is a directory or does not exist yet.
template <class P>
struct resolved {
  buffer<sys::basic_directory<P>> chain;
  sys::native_handle dir = sys::invalid_handle;
  text name;
  bool directory = false;
};

// Resolves `p` under the directory `base` (not owned); `follow`: whether a
// symbolic link in the last component is followed. The WASI errno; on
// e_success, `out` names what `p` names.
template <class P>
std::uint16_t resolve_path(sys::native_handle base, text_view p, bool follow, resolved<P>& out) {
  namespace w = vitte::wasm::detail::wasi;
  if (p.find('\0') != text_view::npos) return w::e_inval;  // the guest's text() refuses it first
  if (p.empty()) return w::e_noent;
  if (p.front() == '/') return w::e_notcapable;
  // A ".." above the directory is refused whether or not the names before
  // it exist; links are checked again as the walk meets them.
  int depth = 0;
  for (std::size_t i = 0; i <= p.size();) {
    std::size_t j = p.find('/', i);
    if (j == text_view::npos) j = p.size();
    const text_view c = p.substr(i, j - i);
    depth += c == ".." ? -1 : (c.empty() || c == ".") ? 0 : 1;
    if (depth < 0) return w::e_notcapable;
    i = j + 1;
  }
  // The components still to walk, last first. Trailing slashes are cut
  // off; on the text that ends the path (the path itself, or the target of
  // a link met last) they ask for a directory.
  buffer<text> todo;
  out.directory = false;
  auto push_path = [&](text_view s) {
    const std::size_t end = s.find_last_not_of("/");
    if (end != text_view::npos && end + 1 < s.size()) {
      if (todo.empty()) out.directory = true;
      s = s.substr(0, end + 1);
    }
    buffer<text> parts;
    std::size_t i = 0;
    while (i <= s.size()) {
      std::size_t j = s.find('/', i);
      if (j == text_view::npos) j = s.size();
      parts.emplace_back(s.substr(i, j - i));
      i = j + 1;
    }
    for (std::size_t k = parts.size(); k-- > 0;) todo.push_back(std::move(parts[k]));
  };
  push_path(p);
  out.chain.clear();
  out.dir = base;
  int links = 0;
  while (!todo.empty()) {
    text c = std::move(todo.back());
    todo.pop_back();
    const bool last = todo.empty();
    if (c.empty() || c == ".") {
      if (last) out.name = ".";
      continue;
    }
#if VITTE_OS_WINDOWS
    // Separators and drive letters of the host are not names here.
    if (c.view().find_first_of("\\:") != text_view::npos) return w::e_notcapable;
#endif
    if (c == "..") {
      if (out.chain.empty()) return w::e_notcapable;  // above the directory granted
      out.chain.pop_back();
      out.dir = out.chain.empty() ? base : out.chain.back().native();
      if (last) out.name = ".";
      continue;
    }
    if (c.size() > w::max_name) return w::e_nametoolong;
    if (last && !follow && !out.directory) {
      out.name = std::move(c);
      return w::e_success;
    }
    sys::file_status st;
    if (vitte::error e = P::path_stat(out.dir, c.c_str(), false, st)) {
      if (last && e.kind() == errc::not_found) {
        out.name = std::move(c);
        return w::e_success;  // to be created
      }
      return w::errno_of(e);
    }
    if (st.type == sys::file_type::symlink) {
      if (last && !follow) return w::e_notdir;  // "link/", the link itself: not a directory
      if (++links > w::max_symlinks) return w::e_loop;
      char buf[4096];
      result<std::size_t> n = P::path_read_link(out.dir, c.c_str(), buf, sizeof buf);
      if (!n) return w::errno_of(n.error());
      if (*n >= sizeof buf) return w::e_nametoolong;
      text_view target(buf, *n);
      if (target.empty()) return w::e_noent;
      if (target.front() == '/' || target.find('\\') != text_view::npos || (target.size() > 1 && target[1] == ':'))
        return w::e_notcapable;  // an absolute target leaves the directory
      if (last) todo.clear();
      push_path(target);
      continue;
    }
    if (last) {
      if (out.directory && st.type != sys::file_type::directory) return w::e_notdir;
      out.name = std::move(c);
      return w::e_success;
    }
    if (st.type != sys::file_type::directory) return w::e_notdir;
    result<sys::basic_directory<P>> d = sys::basic_directory<P>::open_at(out.dir, c.c_str(), true);
    if (!d) return w::errno_of(d.error());
    out.chain.push_back(std::move(*d));
    out.dir = out.chain.back().native();
  }
  if (out.name.empty()) out.name = ".";
  return w::e_success;
}

// The errno of making something other than a directory (a link) at `r`, a
// path that ended with a slash: e_exist when a directory is there (the
// resolver refused anything else), e_noent when nothing is (POSIX's
// symlink("x", "new/")).
template <class P>
std::uint16_t slash_on_new_name(const resolved<P>& r) {
  sys::file_status st;
  const vitte::error e = P::path_stat(r.dir, r.name.c_str(), false, st);
  if (!e) return e_exist;
  return e.kind() == errc::not_found ? e_noent : errno_of(e);
}

}  // namespace vitte::wasm::detail::wasi

#endif  // VITTE_WASM_WASI_SANDBOX_HPP
