// vitte/wasm/wasi/fd.hpp - the WASI calls on descriptors (fd_*): reads
// and writes, seeks, status, directory listings, renumbering.
//
// Member definitions of basic_wasi: the class comes first, so the public
// header is included above the guard (it includes this file back, in its
// order, at its end).
#include <vitte/wasm/wasi.hpp>

#ifndef VITTE_WASM_WASI_FD_HPP
#define VITTE_WASM_WASI_FD_HPP

#include <vitte/sys/directory.hpp>
#include <vitte/sys/file.hpp>
#include <vitte/wasm/wasi/abi.hpp>
#include <vitte/wasm/wasi/context.hpp>
#include <vitte/wasm/wasi/guest.hpp>

#include <cstdint>
#include <cstring>
#include <memory>

namespace vitte::wasm {

template <class P>
std::uint16_t basic_wasi<P>::fd_advise(const std::uint64_t* a) {
  std::uint16_t err;
  if (find_data(a[0], detail::wasi::r_fd_advise, err) == nullptr) return err;
  return a[3] <= 5 ? detail::wasi::e_success : detail::wasi::e_inval;  // advice only: nothing to do
}
template <class P>
std::uint16_t basic_wasi<P>::fd_allocate(const std::uint64_t* a) {
  std::uint16_t err;
  fd_entry* e = find(a[0], 0, err);
  if (e == nullptr) return err;
  if (e->k != fd_entry::kind::file) return detail::wasi::e_badf;
  if ((err = detail::wasi::rights_check(e->rights, detail::wasi::r_fd_allocate)) != detail::wasi::e_success) return err;
  if (a[2] == 0 || a[1] + a[2] < a[1]) return detail::wasi::e_inval;  // posix_fallocate's EINVAL, on every host
  return detail::wasi::errno_of(P::file_allocate(e->handle(), a[1], a[2]));
}
template <class P>
std::uint16_t basic_wasi<P>::fd_close(const std::uint64_t* a) {
  std::uint16_t err;
  if (find(a[0], 0, err) == nullptr) return err;
  fds_[a[0]].reset();
  return detail::wasi::e_success;
}
template <class P>
std::uint16_t basic_wasi<P>::fd_datasync(const std::uint64_t* a) {
  std::uint16_t err;
  fd_entry* e = find_data(a[0], detail::wasi::r_fd_datasync, err);
  if (e == nullptr) return err;
  return detail::wasi::errno_of(P::file_sync(e->handle(), true));
}
template <class P>
std::uint16_t basic_wasi<P>::fd_sync(const std::uint64_t* a) {
  std::uint16_t err;
  fd_entry* e = find_data(a[0], detail::wasi::r_fd_sync, err);
  if (e == nullptr) return err;
  return detail::wasi::errno_of(P::file_sync(e->handle(), false));
}
template <class P>
std::uint16_t basic_wasi<P>::fd_fdstat_get(const std::uint64_t* a) {
  std::uint16_t err;
  fd_entry* e = find(a[0], 0, err);
  if (e == nullptr) return err;
  detail::wasi::guest g = mem();
  if (!g.fits(a[1], 24)) return detail::wasi::e_fault;
  std::memset(g.p + a[1], 0, 24);
  g.put8(a[1], e->filetype);
  g.put16(a[1] + 2, e->flags);
  g.put64(a[1] + 8, e->rights);
  g.put64(a[1] + 16, e->inheriting);
  return detail::wasi::e_success;
}
template <class P>
std::uint16_t basic_wasi<P>::fd_fdstat_set_flags(const std::uint64_t* a) {
  namespace w = detail::wasi;
  std::uint16_t err;
  fd_entry* e = find(a[0], 0, err);
  if (e == nullptr) return err;
  if (e->k == fd_entry::kind::directory) return w::e_badf;  // no flags of a file's to change
  const std::uint16_t flags = static_cast<std::uint16_t>(a[1]);
  const std::uint16_t changed = static_cast<std::uint16_t>(flags ^ e->flags);
  // Append turns on and off on a file (its writes go to its end, in
  // transfer()); other descriptors have no end to go to.
  if ((changed & w::f_append) != 0 && e->k != fd_entry::kind::file) return w::e_notsup;
  if ((err = w::rights_check(e->rights, w::r_fd_fdstat_set_flags)) != w::e_success) return err;
  if ((flags & ~w::f_all) != 0) return w::e_inval;
  // The synchronous flags cannot change after opening (wasmtime: inval).
  if ((changed & (w::f_dsync | w::f_rsync | w::f_sync)) != 0) return w::e_inval;
  // Non-blocking mode is a socket's; on files it is a hint, as wasmtime's.
  if ((changed & w::f_nonblock) != 0 && e->k == fd_entry::kind::socket)
    if (status st = e->socket.set_nonblocking((flags & w::f_nonblock) != 0); !st) return w::errno_of(st.error());
  e->flags = flags;
  return w::e_success;
}
template <class P>
std::uint16_t basic_wasi<P>::fd_fdstat_set_rights(const std::uint64_t* a) {
  std::uint16_t err;
  fd_entry* e = find(a[0], 0, err);
  if (e == nullptr) return err;
  if ((a[1] & ~e->rights) != 0 || (a[2] & ~e->inheriting) != 0) return detail::wasi::e_notcapable;  // only fewer
  e->rights = a[1];
  e->inheriting = a[2];
  return detail::wasi::e_success;
}
template <class P>
std::uint16_t basic_wasi<P>::fd_filestat_get(const std::uint64_t* a) {
  std::uint16_t err;
  fd_entry* e = find(a[0], detail::wasi::r_fd_filestat_get, err);
  if (e == nullptr) return err;
  sys::file_status st;
  // A directory handle is not a file handle everywhere (Windows): its own entry is ".".
  vitte::error x =
      e->k == fd_entry::kind::directory ? P::path_stat(e->handle(), ".", true, st) : P::file_stat(e->handle(), st);
  if (x) return detail::wasi::errno_of(x);
  return put_filestat(a[1], st);
}
template <class P>
std::uint16_t basic_wasi<P>::fd_filestat_set_size(const std::uint64_t* a) {
  std::uint16_t err;
  fd_entry* e = find(a[0], 0, err);
  if (e == nullptr) return err;
  if (e->k != fd_entry::kind::file) return detail::wasi::e_badf;
  if ((err = detail::wasi::rights_check(e->rights, detail::wasi::r_fd_filestat_set_size)) != detail::wasi::e_success)
    return err;
  // A size past the OS's signed offset is no size (ftruncate(2)'s EINVAL for a negative one; WAMR's and
  // wasmtime's inval).
  if (a[1] > static_cast<std::uint64_t>(INT64_MAX)) return detail::wasi::e_inval;
  return detail::wasi::errno_of(P::file_truncate(e->handle(), a[1]));
}
template <class P>
std::uint16_t basic_wasi<P>::fd_filestat_set_times(const std::uint64_t* a) {
  std::uint16_t err;
  fd_entry* e = find(a[0], detail::wasi::r_fd_filestat_set_times, err);
  if (e == nullptr) return err;
  std::int64_t at, mt;
  if (!detail::wasi::times_of(a[3], a[1], a[2], at, mt)) return detail::wasi::e_inval;
  if (e->k == fd_entry::kind::directory)
    return detail::wasi::errno_of(P::path_set_times(e->handle(), ".", at, mt, true));
  return detail::wasi::errno_of(P::file_set_times(e->handle(), at, mt));
}

// Reads or writes through the iovecs at a[1] (count a[2]); positional when
// `at` is not null. The count goes to `out`. A directory is e_badf, a
// positional transfer on what has no position (a socket, a standard stream
// that is no regular file) e_spipe, both before the rights (wasmtime's
// order; WAMR's spipe too). A file with the append flag is written at its
// end, as O_APPEND does on Linux: fd_write moves there first, fd_pwrite
// writes there and leaves the position (wasmtime's too).
template <class P>
std::uint16_t basic_wasi<P>::transfer(std::uint64_t fd, std::uint64_t iovs, std::uint64_t n, const std::uint64_t* at,
                                      std::uint64_t out, bool write) {
  namespace w = detail::wasi;
  std::uint16_t err;
  fd_entry* e = find(fd, 0, err);
  if (e == nullptr) return err;
  if (e->k == fd_entry::kind::directory) return w::e_badf;
  const bool positioned =
      e->k == fd_entry::kind::file || (e->k == fd_entry::kind::stdio && e->filetype == w::t_regular);
  if (at != nullptr && !positioned) return w::e_spipe;
  if ((err = w::rights_check(e->rights, (write ? w::r_fd_write : w::r_fd_read) | (at ? w::r_fd_seek : 0))) !=
      w::e_success)
    return err;
  buffer<sys::mutable_buffer> bufs;
  if ((err = buffers(iovs, n, bufs)) != w::e_success) return err;
  if (!mem().fits(out, 4)) return w::e_fault;
  if (at != nullptr && *at > static_cast<std::uint64_t>(INT64_MAX)) return w::e_inval;
  const sys::native_handle h = e->handle();
  std::uint64_t done = 0, pos = at ? *at : 0;
  if (write && e->k == fd_entry::kind::file && (e->flags & w::f_append) != 0) {
    if (at != nullptr) {
      sys::file_status st;
      if (vitte::error x = P::file_stat(h, st)) return w::errno_of(x);
      pos = st.size;
    } else if (result<std::uint64_t> end = P::file_seek(h, 0, sys::seek_origin::end); !end) {
      return w::errno_of(end.error());
    }
  }
  // Windows moves a file's position on a positional transfer (WriteFile
  // and ReadFile with an offset): fd_pread and fd_pwrite leave it where it was.
  std::uint64_t kept_position = 0;
  const bool keep_position = VITTE_OS_WINDOWS && at != nullptr && e->k == fd_entry::kind::file;
  if (keep_position) {
    result<std::uint64_t> now = P::file_seek(h, 0, sys::seek_origin::current);
    if (!now) return w::errno_of(now.error());
    kept_position = *now;
  }
  for (const sys::mutable_buffer& b : bufs) {
    std::size_t left = b.size;
    auto* p = static_cast<std::uint8_t*>(b.data);
    while (left > 0) {
      result<std::size_t> r = e->k == fd_entry::kind::socket
                                  ? (write ? e->socket.send(as_bytes(span<const std::uint8_t>(p, left)))
                                           : e->socket.receive(as_writable_bytes(span<std::uint8_t>(p, left))))
                              : at ? (write ? P::file_write_at(h, p, left, pos) : P::file_read_at(h, p, left, pos))
                                   : (write ? P::file_write(h, p, left) : P::file_read(h, p, left));
      if (!r) {
        if (r.error().kind() == errc::interrupted) continue;
        if (done > 0) break;  // what went through is reported; the error comes next call
        return w::errno_of(r.error());
      }
      if (*r == 0) break;
      done += *r;
      pos += *r;
      left -= *r;
      p += *r;
      if (!write && left > 0) break;  // a short read ends the call, as read(2)
    }
    if (left > 0) break;
  }
  if (keep_position) (void)P::file_seek(h, static_cast<std::int64_t>(kept_position), sys::seek_origin::begin);
  mem().put32(out, static_cast<std::uint32_t>(done));
  return w::e_success;
}

template <class P>
std::uint16_t basic_wasi<P>::fd_read(const std::uint64_t* a) {
  return transfer(a[0], a[1], a[2], nullptr, a[3], false);
}
template <class P>
std::uint16_t basic_wasi<P>::fd_write(const std::uint64_t* a) {
  return transfer(a[0], a[1], a[2], nullptr, a[3], true);
}
template <class P>
std::uint16_t basic_wasi<P>::fd_pread(const std::uint64_t* a) {
  return transfer(a[0], a[1], a[2], &a[3], a[4], false);
}
template <class P>
std::uint16_t basic_wasi<P>::fd_pwrite(const std::uint64_t* a) {
  return transfer(a[0], a[1], a[2], &a[3], a[4], true);
}

template <class P>
std::uint16_t basic_wasi<P>::fd_prestat_get(const std::uint64_t* a) {
  std::uint16_t err;
  fd_entry* e = find(a[0], 0, err);
  if (e == nullptr) return err;
  if (!e->is_preopen) return detail::wasi::e_badf;
  detail::wasi::guest g = mem();
  if (!g.fits(a[1], 8)) return detail::wasi::e_fault;
  g.put32(a[1], 0);  // a directory
  g.put32(a[1] + 4, static_cast<std::uint32_t>(e->preopen.size()));
  return detail::wasi::e_success;
}
template <class P>
std::uint16_t basic_wasi<P>::fd_prestat_dir_name(const std::uint64_t* a) {
  std::uint16_t err;
  fd_entry* e = find(a[0], 0, err);
  if (e == nullptr) return err;
  if (!e->is_preopen) return detail::wasi::e_badf;
  if (a[2] < e->preopen.size()) return detail::wasi::e_nametoolong;
  detail::wasi::guest g = mem();
  if (!g.fits(a[1], e->preopen.size())) return detail::wasi::e_fault;
  std::memcpy(g.p + a[1], e->preopen.data(), e->preopen.size());
  return detail::wasi::e_success;
}

template <class P>
std::uint16_t basic_wasi<P>::fd_readdir(const std::uint64_t* a) {
  namespace w = detail::wasi;
  std::uint16_t err;
  fd_entry* e = find(a[0], 0, err);
  if (e == nullptr) return err;
  if (e->k != fd_entry::kind::directory) return w::e_notdir;
  if ((err = w::rights_check(e->rights, w::r_fd_readdir)) != w::e_success) return err;
  const std::uint64_t buf = a[1], len = a[2], cookie = a[3];
  w::guest g = mem();
  if (!g.fits(buf, len) || !g.fits(a[4], 4)) return w::e_fault;
  if (cookie == 0 || e->listing.empty()) {
    // A snapshot of the directory, "." and ".." first; cookies index it.
    e->listing.clear();
    sys::file_status self;
    if (vitte::error x = P::path_stat(e->handle(), ".", true, self)) return w::errno_of(x);
    e->listing.push_back({".", self.inode, w::t_directory});
    sys::file_status up;
    e->listing.push_back({"..", P::path_stat(e->handle(), "..", true, up) ? 0 : up.inode, w::t_directory});
    result<sys::basic_directory<P>> again = sys::basic_directory<P>::open_at(e->handle(), ".", false);
    if (!again) return w::errno_of(again.error());
    result<sys::basic_directory_reader<P>> r = sys::basic_directory_reader<P>::open(std::move(*again));
    if (!r) return w::errno_of(r.error());
    for (;;) {
      result<const sys::dir_entry*> next = r->next();
      if (!next) return w::errno_of(next.error());
      if (*next == nullptr) break;
      sys::file_type t = (*next)->type;
      if (t == sys::file_type::unknown) {
        result<sys::file_type> rt = r->resolve_type(**next);
        if (rt) t = *rt;
      }
      e->listing.push_back({text((*next)->name.data(), (*next)->name.size()), (*next)->inode, w::filetype_of(t)});
    }
  }
  std::uint64_t used = 0;
  for (std::uint64_t i = cookie; i < e->listing.size() && used < len; ++i) {
    const w::listed& item = e->listing[i];
    std::uint8_t head[24] = {};
    vitte::detail::store_le(head, i + 1);
    vitte::detail::store_le(head + 8, item.inode);
    vitte::detail::store_le(head + 16, static_cast<std::uint32_t>(item.name.size()));
    head[20] = item.type;
    // Entries that do not fit are cut: the program sees a full buffer and
    // asks again with a larger one.
    std::uint64_t n = len - used < 24 ? len - used : 24;
    std::memcpy(g.p + buf + used, head, static_cast<std::size_t>(n));
    used += n;
    n = len - used < item.name.size() ? len - used : item.name.size();
    std::memcpy(g.p + buf + used, item.name.data(), static_cast<std::size_t>(n));
    used += n;
  }
  g.put32(a[4], static_cast<std::uint32_t>(used));
  return w::e_success;
}

template <class P>
std::uint16_t basic_wasi<P>::fd_renumber(const std::uint64_t* a) {
  std::uint16_t err;
  if (find(a[0], 0, err) == nullptr || find(a[1], 0, err) == nullptr) return err;
  if (a[0] == a[1]) return detail::wasi::e_success;
  fds_[a[1]] = std::move(fds_[a[0]]);
  return detail::wasi::e_success;
}

template <class P>
std::uint16_t basic_wasi<P>::fd_seek(const std::uint64_t* a) {
  namespace w = detail::wasi;
  const bool tell_only = a[1] == 0 && a[2] == 1;
  std::uint16_t err;
  fd_entry* e = find(a[0], 0, err);
  if (e == nullptr) return err;
  if (e->k == fd_entry::kind::directory) return w::e_badf;
  if (e->k == fd_entry::kind::socket) return w::e_spipe;
  if ((err = w::rights_check(e->rights, tell_only ? w::r_fd_tell : w::r_fd_seek)) != w::e_success) return err;
  if (a[2] > 2) return w::e_inval;
  if (!mem().fits(a[3], 8)) return w::e_fault;
  static constexpr sys::seek_origin origins[] = {sys::seek_origin::begin, sys::seek_origin::current,
                                                 sys::seek_origin::end};
  result<std::uint64_t> r = P::file_seek(e->handle(), static_cast<std::int64_t>(a[1]), origins[a[2]]);
  if (!r)
    return r.error().kind() == errc::invalid_argument && e->filetype != w::t_regular ? w::e_spipe
                                                                                     : w::errno_of(r.error());
  mem().put64(a[3], *r);
  return w::e_success;
}
template <class P>
std::uint16_t basic_wasi<P>::fd_tell(const std::uint64_t* a) {
  const std::uint64_t args[] = {a[0], 0, 1, a[1]};
  return fd_seek(args);
}

}  // namespace vitte::wasm

#endif  // VITTE_WASM_WASI_FD_HPP
