// vitte/wasm/wasi/path.hpp - the WASI calls on paths (path_*), each
// resolved under a granted directory by the sandbox (sandbox.hpp).
//
// Member definitions of basic_wasi: the class comes first, so the public
// header is included above the guard (it includes this file back, in its
// order, at its end).
#include <vitte/wasm/wasi.hpp>

#ifndef VITTE_WASM_WASI_PATH_HPP
#define VITTE_WASM_WASI_PATH_HPP

#include <vitte/sys/directory.hpp>
#include <vitte/sys/file.hpp>
#include <vitte/wasm/wasi/abi.hpp>
#include <vitte/wasm/wasi/context.hpp>
#include <vitte/wasm/wasi/guest.hpp>
#include <vitte/wasm/wasi/sandbox.hpp>

#include <cstdint>
#include <memory>

namespace vitte::wasm {

// A path argument of a call, resolved under the directory descriptor `fd`
// (which must hold `right`) by the sandbox. Another descriptor is e_notdir
// whatever its rights. `looks`: the call looks at what the path names
// (stat, set times, open, readlink), so a link named with a trailing slash
// is followed even when links are not, as Linux, wasmtime (cap-std) and
// WAMR do; the calls that act on a name itself (unlink, rmdir, rename,
// link) find such a link no directory (e_notdir).
template <class P>
std::uint16_t basic_wasi<P>::resolve(std::uint64_t fd, std::uint64_t right, std::uint64_t path, std::uint64_t len,
                                     bool follow, resolved& out, bool looks) {
  namespace w = detail::wasi;
  std::uint16_t err;
  fd_entry* base = find(fd, 0, err);
  if (base == nullptr) return err;
  if (base->k != fd_entry::kind::directory) return w::e_notdir;
  if ((err = w::rights_check(base->rights, right)) != w::e_success) return err;
  text_view p;
  if ((err = mem().text(path, len, p)) != w::e_success) return err;
  const bool slashed = !p.empty() && p.back() == '/';
  return w::resolve_path<P>(base->dir.native(), p, follow || (looks && slashed), out);
}

// A trailing slash asks for what mkdir makes anyway: "n/" makes n, and a
// name already there is e_exist whatever it is ("file/", "link/"), as
// mkdir(2) on Linux, wasmtime and WAMR.
template <class P>
std::uint16_t basic_wasi<P>::path_create_directory(const std::uint64_t* a) {
  std::uint64_t len = a[2];
  text_view p;
  if (mem().text(a[1], a[2], p) == detail::wasi::e_success)
    while (len > 1 && p[static_cast<std::size_t>(len - 1)] == '/') --len;
  resolved r;
  if (std::uint16_t e = resolve(a[0], detail::wasi::r_path_create_directory, a[1], len, false, r)) return e;
  return detail::wasi::errno_of(P::dir_create(r.dir, r.name.c_str(), 0777));
}
template <class P>
std::uint16_t basic_wasi<P>::path_filestat_get(const std::uint64_t* a) {
  resolved r;
  if (std::uint16_t e = resolve(a[0], detail::wasi::r_path_filestat_get, a[2], a[3], a[1] & 1, r, true)) return e;
  sys::file_status st;
  if (vitte::error x = P::path_stat(r.dir, r.name.c_str(), false, st)) return detail::wasi::errno_of(x);
  return put_filestat(a[4], st);
}
template <class P>
std::uint16_t basic_wasi<P>::path_filestat_set_times(const std::uint64_t* a) {
  resolved r;
  std::int64_t at, mt;
  if (!detail::wasi::times_of(a[6], a[4], a[5], at, mt)) return detail::wasi::e_inval;
  if (std::uint16_t e = resolve(a[0], detail::wasi::r_path_filestat_set_times, a[2], a[3], a[1] & 1, r, true)) return e;
  return detail::wasi::errno_of(P::path_set_times(r.dir, r.name.c_str(), at, mt, false));
}
// The link is made to the name itself: following a link (symlink_follow)
// is e_inval, and a directory is e_perm (linkat(2)'s EPERM), as wasmtime.
template <class P>
std::uint16_t basic_wasi<P>::path_link(const std::uint64_t* a) {
  namespace w = detail::wasi;
  resolved from, to;
  if (std::uint16_t e = resolve(a[0], w::r_path_link_source, a[2], a[3], false, from)) return e;
  if (std::uint16_t e = resolve(a[4], w::r_path_link_target, a[5], a[6], false, to)) return e;
  if ((a[1] & 1) != 0) return w::e_inval;
  if (to.directory) return w::slash_on_new_name<P>(to);
  sys::file_status st;
  if (!P::path_stat(from.dir, from.name.c_str(), false, st) && st.type == sys::file_type::directory) return w::e_perm;
  return w::errno_of(P::path_link(from.dir, from.name.c_str(), to.dir, to.name.c_str()));
}

template <class P>
std::uint16_t basic_wasi<P>::path_open(const std::uint64_t* a) {
  namespace w = detail::wasi;
  // fd, dirflags, path, path_len, oflags, rights_base, rights_inheriting, fdflags, out fd
  const std::uint64_t oflags = a[4], rights = a[5], inheriting = a[6], fdflags = a[7];
  const bool creat = oflags & 1, directory = oflags & 2, excl = oflags & 4, trunc = oflags & 8;
  if ((oflags & ~0xfull) != 0 || (fdflags & ~0x1full) != 0) return w::e_inval;
  // The synchronous modes are not offered (the OS would have to keep
  // them): notsup, as wasmtime, rather than a flag reported but not kept.
  if ((fdflags & (w::f_dsync | w::f_rsync | w::f_sync)) != 0) return w::e_notsup;
  if (directory && (creat || excl || trunc)) return w::e_inval;  // a directory is neither made nor cut here
  std::uint64_t need = w::r_path_open | (creat ? w::r_path_create_file : 0) | (trunc ? w::r_path_filestat_set_size : 0);
  resolved r;
  if (std::uint16_t e = resolve(a[0], need, a[2], a[3], a[1] & 1, r, true)) return e;
  if (!mem().fits(a[8], 4)) return w::e_fault;
  fd_entry* parent = fds_[a[0]].get();
  if (fds_.size() >= w::max_descriptors) {
    bool free_slot = false;
    for (const auto& f : fds_) free_slot = free_slot || f == nullptr;
    if (!free_slot) return w::e_mfile;
  }
  auto e = std::make_unique<fd_entry>();
  e->flags = static_cast<std::uint16_t>(fdflags);
  const bool wants_write = (rights & (w::r_fd_write | w::r_fd_allocate | w::r_fd_filestat_set_size)) != 0 || trunc;
  sys::file_status st;
  const bool exists = !P::path_stat(r.dir, r.name.c_str(), false, st);
  if (exists && st.type == sys::file_type::symlink) return w::e_loop;  // not followed (dirflags), or swapped in
  if (exists && st.type == sys::file_type::directory) {
    // A directory opens for reading only, as open(2) and wasmtime on every
    // host: asking to write it (fd_write among the rights), to create or
    // to truncate it is e_isdir.
    if (creat && excl) return w::e_exist;
    if ((rights & w::r_fd_write) != 0 || creat || trunc) return w::e_isdir;
    result<sys::basic_directory<P>> d = sys::basic_directory<P>::open_at(r.dir, r.name.c_str(), true);
    if (!d) return w::errno_of(d.error());
    e->k = fd_entry::kind::directory;
    e->dir = std::move(*d);
    e->filetype = w::t_directory;
    e->rights = rights & parent->inheriting & w::r_directory;
    e->inheriting = inheriting & parent->inheriting;
  } else if (directory || r.directory) {
    if (exists) return w::e_notdir;
    return creat ? w::e_isdir : w::e_noent;  // "new/" is no file to create (open(2))
  } else {
    sys::open_mode mode = sys::open_mode::no_follow;
    const bool reads = (rights & w::r_fd_read) != 0 || !wants_write;
    if (reads) mode = mode | sys::open_mode::read;
    // Append is the descriptor's flag (fd_entry::flags), not the OS's, so
    // that fd_fdstat_set_flags can turn it off again.
    if (wants_write || (fdflags & w::f_append) != 0) mode = mode | sys::open_mode::write;
    if (creat) mode = mode | sys::open_mode::create;
    if (excl) mode = mode | sys::open_mode::exclusive;
    if (trunc) mode = mode | sys::open_mode::truncate;
    result<sys::basic_file<P>> f = sys::basic_file<P>::open_at(r.dir, r.name.c_str(), mode);
    if (!f) return w::errno_of(f.error());
    e->k = fd_entry::kind::file;
    e->file = std::move(*f);
    sys::file_status fst;
    e->filetype = P::file_stat(e->file.native(), fst) ? w::t_regular : w::filetype_of(fst.type);
    e->rights = rights & parent->inheriting & w::r_file;
    e->inheriting = inheriting & parent->inheriting;
  }
  mem().put32(a[8], add_fd(std::move(e)));
  return w::e_success;
}

template <class P>
std::uint16_t basic_wasi<P>::path_readlink(const std::uint64_t* a) {
  namespace w = detail::wasi;
  resolved r;
  if (std::uint16_t e = resolve(a[0], w::r_path_readlink, a[1], a[2], false, r, true)) return e;
  w::guest g = mem();
  if (!g.fits(a[3], a[4]) || !g.fits(a[5], 4)) return w::e_fault;
  char buf[4096];
  result<std::size_t> n = P::path_read_link(r.dir, r.name.c_str(), buf, sizeof buf);
  if (!n) return w::errno_of(n.error());
  std::size_t len = *n < sizeof buf ? *n : sizeof buf;
  if (len > a[4]) len = static_cast<std::size_t>(a[4]);
  std::memcpy(g.p + a[3], buf, len);
  g.put32(a[5], static_cast<std::uint32_t>(len));
  return w::e_success;
}
template <class P>
std::uint16_t basic_wasi<P>::path_remove_directory(const std::uint64_t* a) {
  resolved r;
  if (std::uint16_t e = resolve(a[0], detail::wasi::r_path_remove_directory, a[1], a[2], false, r)) return e;
  if (r.name == "." || r.name == "..") return detail::wasi::e_inval;
  sys::file_status st;
  if (vitte::error x = P::path_stat(r.dir, r.name.c_str(), false, st)) return detail::wasi::errno_of(x);
  if (st.type != sys::file_type::directory) return detail::wasi::e_notdir;
  return detail::wasi::errno_of(P::path_remove(r.dir, r.name.c_str(), true));
}
template <class P>
std::uint16_t basic_wasi<P>::path_rename(const std::uint64_t* a) {
  resolved from, to;
  if (std::uint16_t e = resolve(a[0], detail::wasi::r_path_rename_source, a[1], a[2], false, from)) return e;
  if (std::uint16_t e = resolve(a[3], detail::wasi::r_path_rename_target, a[4], a[5], false, to)) return e;
  // rename(2)'s answers, in its order, whatever the host's rename says
  // (Windows replies otherwise): a source that is not there; a directory
  // moved into itself; a file onto a directory, a directory onto a file;
  // a trailing slash on what is not a directory.
  namespace w = detail::wasi;
  sys::file_status st;
  if (vitte::error x = P::path_stat(from.dir, from.name.c_str(), false, st)) return w::errno_of(x);
  const bool from_dir = st.type == sys::file_type::directory;
  text_view from_path, to_path;
  if (from_dir && a[0] == a[3] && !mem().text(a[1], a[2], from_path) && !mem().text(a[4], a[5], to_path)) {
    while (from_path.ends_with("/")) from_path.remove_suffix(1);
    if (to_path.size() > from_path.size() && to_path.starts_with(from_path) && to_path[from_path.size()] == '/')
      return w::e_inval;
  }
  if (to.name == "." || to.name == "..") return w::e_busy;  // "dir/.": the directory itself, in use
  sys::file_status target;
  if (!P::path_stat(to.dir, to.name.c_str(), false, target)) {
    const bool to_dir = target.type == sys::file_type::directory;
    if (!from_dir && to_dir) return w::e_isdir;
    if (from_dir && !to_dir) return w::e_notdir;
  }
  if (to.directory && !from.directory && !from_dir) return w::e_notdir;
  return w::errno_of(P::path_rename(from.dir, from.name.c_str(), to.dir, to.name.c_str()));
}
template <class P>
std::uint16_t basic_wasi<P>::path_symlink(const std::uint64_t* a) {
  namespace w = detail::wasi;
  text_view target;
  if (std::uint16_t e = mem().text(a[0], a[1], target)) return e;
  // A link may name anything relative (resolving it is checked), never an
  // absolute path.
  if (target.empty()) return w::e_noent;
  if (target.front() == '/' || target.find('\\') != text_view::npos) return w::e_notcapable;
  text t(target);
  resolved r;
  if (std::uint16_t e = resolve(a[2], w::r_path_symlink, a[3], a[4], false, r)) return e;
  if (r.directory) return w::slash_on_new_name<P>(r);
  return w::errno_of(P::path_symlink(t.c_str(), r.dir, r.name.c_str()));
}
template <class P>
std::uint16_t basic_wasi<P>::path_unlink_file(const std::uint64_t* a) {
  resolved r;
  if (std::uint16_t e = resolve(a[0], detail::wasi::r_path_unlink_file, a[1], a[2], false, r)) return e;
  sys::file_status st;
  if (vitte::error x = P::path_stat(r.dir, r.name.c_str(), false, st)) return detail::wasi::errno_of(x);
  if (st.type == sys::file_type::directory) return detail::wasi::e_isdir;
  return detail::wasi::errno_of(P::path_remove(r.dir, r.name.c_str(), false));
}

}  // namespace vitte::wasm

#endif  // VITTE_WASM_WASI_PATH_HPP
