// vitte/wasm/impl/wasi.hpp - WASI preview 1 on vitte::sys. Included by
// vitte/wasm/wasi.hpp; do not include directly.
#ifndef VITTE_WASM_IMPL_WASI_HPP
#define VITTE_WASM_IMPL_WASI_HPP

#include <vitte/config.hpp>
#include <vitte/detail/endian.hpp>
#include <vitte/detail/utf8.hpp>
#include <vitte/sys/clock_id.hpp>
#include <vitte/sys/random.hpp>
#include <vitte/sys/terminal.hpp>
#include <vitte/sys/thread.hpp>
#include <vitte/sys/time.hpp>

#include <cstring>

namespace vitte::wasm::detail::wasi {

// The errnos of preview 1 (wasi_snapshot_preview1's `errno` enum).
inline constexpr std::uint16_t e_success = 0;
inline constexpr std::uint16_t e_2big = 1;
inline constexpr std::uint16_t e_acces = 2;
inline constexpr std::uint16_t e_addrinuse = 3;
inline constexpr std::uint16_t e_addrnotavail = 4;
inline constexpr std::uint16_t e_again = 6;
inline constexpr std::uint16_t e_badf = 8;
inline constexpr std::uint16_t e_busy = 10;
inline constexpr std::uint16_t e_connaborted = 13;
inline constexpr std::uint16_t e_connrefused = 14;
inline constexpr std::uint16_t e_connreset = 15;
inline constexpr std::uint16_t e_exist = 20;
inline constexpr std::uint16_t e_fault = 21;
inline constexpr std::uint16_t e_fbig = 22;
inline constexpr std::uint16_t e_hostunreach = 23;
inline constexpr std::uint16_t e_ilseq = 25;
inline constexpr std::uint16_t e_inprogress = 26;
inline constexpr std::uint16_t e_intr = 27;
inline constexpr std::uint16_t e_inval = 28;
inline constexpr std::uint16_t e_io = 29;
inline constexpr std::uint16_t e_isdir = 31;
inline constexpr std::uint16_t e_loop = 32;
inline constexpr std::uint16_t e_mfile = 33;
inline constexpr std::uint16_t e_msgsize = 35;
inline constexpr std::uint16_t e_nametoolong = 37;
inline constexpr std::uint16_t e_netunreach = 40;
inline constexpr std::uint16_t e_noent = 44;
inline constexpr std::uint16_t e_noexec = 45;
inline constexpr std::uint16_t e_nomem = 48;
inline constexpr std::uint16_t e_nospc = 51;
inline constexpr std::uint16_t e_notconn = 53;
inline constexpr std::uint16_t e_notdir = 54;
inline constexpr std::uint16_t e_notempty = 55;
inline constexpr std::uint16_t e_notsock = 57;
inline constexpr std::uint16_t e_notsup = 58;
inline constexpr std::uint16_t e_pipe = 64;
inline constexpr std::uint16_t e_rofs = 69;
inline constexpr std::uint16_t e_spipe = 70;
inline constexpr std::uint16_t e_srch = 71;
inline constexpr std::uint16_t e_timedout = 73;
inline constexpr std::uint16_t e_xdev = 75;
inline constexpr std::uint16_t e_notcapable = 76;

// The errno of a sys error.
inline std::uint16_t errno_of(vitte::error e) noexcept {
  switch (e.kind()) {
    case errc::ok:
      return e_success;
    case errc::interrupted:
      return e_intr;
    case errc::would_block:
      return e_again;
    case errc::timed_out:
      return e_timedout;
    case errc::not_found:
      return e_noent;
    case errc::already_exists:
      return e_exist;
    case errc::permission_denied:
      return e_acces;
    case errc::bad_descriptor:
      return e_badf;
    case errc::too_many_open_files:
      return e_mfile;
    case errc::no_space:
      return e_nospc;
    case errc::no_memory:
      return e_nomem;
    case errc::busy:
      return e_busy;
    case errc::not_supported:
      return e_notsup;
    case errc::not_a_directory:
      return e_notdir;
    case errc::is_a_directory:
      return e_isdir;
    case errc::directory_not_empty:
      return e_notempty;
    case errc::name_too_long:
      return e_nametoolong;
    case errc::too_many_links:
      return e_loop;
    case errc::cross_device:
      return e_xdev;
    case errc::read_only:
      return e_rofs;
    case errc::broken_pipe:
      return e_pipe;
    case errc::connection_refused:
      return e_connrefused;
    case errc::connection_reset:
      return e_connreset;
    case errc::connection_aborted:
      return e_connaborted;
    case errc::not_connected:
      return e_notconn;
    case errc::address_in_use:
      return e_addrinuse;
    case errc::address_unavailable:
      return e_addrnotavail;
    case errc::network_unreachable:
      return e_netunreach;
    case errc::host_unreachable:
      return e_hostunreach;
    case errc::in_progress:
      return e_inprogress;
    case errc::message_too_long:
      return e_msgsize;
    case errc::no_such_process:
      return e_srch;
    case errc::exec_format:
      return e_noexec;
    case errc::limit_exceeded:
      return e_fbig;
    case errc::invalid_argument:
    case errc::malformed:
    case errc::version_mismatch:
    case errc::verification_failed:
      return e_inval;
    case errc::io_error:
    case errc::unexpected_eof:
    case errc::unknown:
      return e_io;
  }
  return e_io;
}

// Rights (bit numbers of preview 1's `rights`).
inline constexpr std::uint64_t r_fd_datasync = 1ull << 0;
inline constexpr std::uint64_t r_fd_read = 1ull << 1;
inline constexpr std::uint64_t r_fd_seek = 1ull << 2;
inline constexpr std::uint64_t r_fd_fdstat_set_flags = 1ull << 3;
inline constexpr std::uint64_t r_fd_sync = 1ull << 4;
inline constexpr std::uint64_t r_fd_tell = 1ull << 5;
inline constexpr std::uint64_t r_fd_write = 1ull << 6;
inline constexpr std::uint64_t r_fd_advise = 1ull << 7;
inline constexpr std::uint64_t r_fd_allocate = 1ull << 8;
inline constexpr std::uint64_t r_path_create_directory = 1ull << 9;
inline constexpr std::uint64_t r_path_create_file = 1ull << 10;
inline constexpr std::uint64_t r_path_link_source = 1ull << 11;
inline constexpr std::uint64_t r_path_link_target = 1ull << 12;
inline constexpr std::uint64_t r_path_open = 1ull << 13;
inline constexpr std::uint64_t r_fd_readdir = 1ull << 14;
inline constexpr std::uint64_t r_path_readlink = 1ull << 15;
inline constexpr std::uint64_t r_path_rename_source = 1ull << 16;
inline constexpr std::uint64_t r_path_rename_target = 1ull << 17;
inline constexpr std::uint64_t r_path_filestat_get = 1ull << 18;
inline constexpr std::uint64_t r_path_filestat_set_size = 1ull << 19;
inline constexpr std::uint64_t r_path_filestat_set_times = 1ull << 20;
inline constexpr std::uint64_t r_fd_filestat_get = 1ull << 21;
inline constexpr std::uint64_t r_fd_filestat_set_size = 1ull << 22;
inline constexpr std::uint64_t r_fd_filestat_set_times = 1ull << 23;
inline constexpr std::uint64_t r_path_symlink = 1ull << 24;
inline constexpr std::uint64_t r_path_remove_directory = 1ull << 25;
inline constexpr std::uint64_t r_path_unlink_file = 1ull << 26;
inline constexpr std::uint64_t r_poll_fd_readwrite = 1ull << 27;
inline constexpr std::uint64_t r_sock_shutdown = 1ull << 28;
inline constexpr std::uint64_t r_sock_accept = 1ull << 29;
inline constexpr std::uint64_t r_all = (1ull << 30) - 1;
inline constexpr std::uint64_t r_file = r_fd_datasync | r_fd_read | r_fd_seek | r_fd_fdstat_set_flags | r_fd_sync |
                                        r_fd_tell | r_fd_write | r_fd_advise | r_fd_allocate | r_fd_filestat_get |
                                        r_fd_filestat_set_size | r_fd_filestat_set_times | r_poll_fd_readwrite;
inline constexpr std::uint64_t r_directory =
    r_fd_fdstat_set_flags | r_fd_sync | r_fd_advise | r_path_create_directory | r_path_create_file |
    r_path_link_source | r_path_link_target | r_path_open | r_fd_readdir | r_path_readlink | r_path_rename_source |
    r_path_rename_target | r_path_filestat_get | r_path_filestat_set_size | r_path_filestat_set_times |
    r_fd_filestat_get | r_fd_filestat_set_times | r_path_symlink | r_path_remove_directory | r_path_unlink_file;
inline constexpr std::uint64_t r_socket = r_fd_read | r_fd_write | r_fd_fdstat_set_flags | r_fd_filestat_get |
                                          r_poll_fd_readwrite | r_sock_shutdown | r_sock_accept;

// File types (preview 1's `filetype`).
inline constexpr std::uint8_t t_unknown = 0;
inline constexpr std::uint8_t t_block = 1;
inline constexpr std::uint8_t t_character = 2;
inline constexpr std::uint8_t t_directory = 3;
inline constexpr std::uint8_t t_regular = 4;
inline constexpr std::uint8_t t_socket_stream = 6;
inline constexpr std::uint8_t t_symlink = 7;

inline std::uint8_t filetype_of(sys::file_type t) noexcept {
  switch (t) {
    case sys::file_type::regular:
      return t_regular;
    case sys::file_type::directory:
      return t_directory;
    case sys::file_type::symlink:
      return t_symlink;
    case sys::file_type::block:
      return t_block;
    case sys::file_type::character:
      return t_character;
    case sys::file_type::socket:
      return t_socket_stream;
    default:
      return t_unknown;
  }
}

// The program's linear memory, bounds-checked: every access says whether
// it fits, and a miss is the program's `fault`.
struct guest {
  std::uint8_t* p = nullptr;
  std::uint64_t n = 0;
  bool fits(std::uint64_t at, std::uint64_t len) const noexcept { return at <= n && len <= n - at; }
  std::uint32_t u32(std::uint64_t at) const noexcept { return vitte::detail::load_le<std::uint32_t>(p + at); }
  std::uint64_t u64(std::uint64_t at) const noexcept { return vitte::detail::load_le<std::uint64_t>(p + at); }
  void put8(std::uint64_t at, std::uint8_t v) const noexcept { p[at] = v; }
  void put16(std::uint64_t at, std::uint16_t v) const noexcept { vitte::detail::store_le(p + at, v); }
  void put32(std::uint64_t at, std::uint32_t v) const noexcept { vitte::detail::store_le(p + at, v); }
  void put64(std::uint64_t at, std::uint64_t v) const noexcept { vitte::detail::store_le(p + at, v); }
  // Writes a u32 result; fault when it does not fit.
  std::uint16_t out32(std::uint64_t at, std::uint32_t v) const noexcept {
    if (!fits(at, 4)) return e_fault;
    put32(at, v);
    return e_success;
  }
  std::uint16_t out64(std::uint64_t at, std::uint64_t v) const noexcept {
    if (!fits(at, 8)) return e_fault;
    put64(at, v);
    return e_success;
  }
  // A string argument: fault when outside memory, ilseq when not UTF-8,
  // inval with a NUL inside.
  std::uint16_t text(std::uint64_t at, std::uint64_t len, std::string_view& out) const noexcept {
    if (!fits(at, len)) return e_fault;
    out = std::string_view(reinterpret_cast<const char*>(p + at), static_cast<std::size_t>(len));
    if (out.find('\0') != std::string_view::npos) return e_inval;
    if (!vitte::detail::valid_utf8(out)) return e_ilseq;
    return e_success;
  }
};

// The entries of one listing: what fd_readdir hands out, cookie by cookie.
struct listed {
  std::string name;
  std::uint64_t inode = 0;
  std::uint8_t type = t_unknown;
};

constexpr std::uint32_t max_descriptors = 4096;  // per context
constexpr int max_symlinks = 32;                 // expansions in one path

}  // namespace vitte::wasm::detail::wasi

namespace vitte::wasm {

template <class P>
struct basic_wasi<P>::fd_entry {
  enum class kind : std::uint8_t { file, directory, stdio, socket };
  kind k = kind::file;
  sys::basic_file<P> file;
  sys::basic_directory<P> dir;
  sys::basic_socket<P> socket;
  sys::native_handle raw = sys::invalid_handle;  // stdio: not owned
  std::string preopen;                           // a preopened directory's guest name
  bool is_preopen = false;
  std::uint8_t filetype = detail::wasi::t_unknown;
  std::uint16_t flags = 0;  // fdflags
  std::uint64_t rights = 0, inheriting = 0;
  std::vector<detail::wasi::listed> listing;  // fd_readdir's snapshot, taken at cookie 0

  sys::native_handle handle() const noexcept {
    switch (k) {
      case kind::file:
        return file.native();
      case kind::directory:
        return dir.native();
      case kind::socket:
        return socket.native();
      case kind::stdio:
        return raw;
    }
    return sys::invalid_handle;
  }
};

// A path resolved under a directory descriptor: the directory holding its
// last component (opened on the way, or the descriptor's own) and that
// component ("." for the directory itself).
template <class P>
struct basic_wasi<P>::resolved {
  std::vector<sys::basic_directory<P>> chain;
  sys::native_handle dir = sys::invalid_handle;
  std::string name;
};

template <class P>
struct basic_wasi<P>::function_entry {
  basic_wasi* self;
  std::size_t index;
};

namespace detail::wasi {

struct function_info {
  const char* name;
  const char* params;
};
// clang-format off
inline constexpr function_info functions[] = {
#define VITTE_WASI_INFO(name, sig) {#name, sig},
  VITTE_WASI_FUNCTIONS(VITTE_WASI_INFO)
#undef VITTE_WASI_INFO
};
// clang-format on
constexpr std::size_t function_count = sizeof functions / sizeof functions[0];

inline vitte::error trampoline_error(bool exited) noexcept {
  return exited ? vitte::error{errc::unknown, ops::wasi_exit} : vitte::error{};
}

}  // namespace detail::wasi

template <class P>
result<std::unique_ptr<basic_wasi<P>>> basic_wasi<P>::create(wasi_options options, diagnostic* why) {
  namespace w = detail::wasi;
  std::unique_ptr<basic_wasi> self(new basic_wasi());
  for (int i = 0; i < 3; ++i) {
    auto e = std::make_unique<fd_entry>();
    e->k = fd_entry::kind::stdio;
    e->raw = options.stdio[i] != sys::invalid_handle ? options.stdio[i]
                                                     : sys::standard_handle<P>(static_cast<sys::standard_stream>(i));
    e->filetype = w::t_character;
    e->rights = w::r_file & ~(w::r_fd_seek | w::r_fd_tell);
    sys::file_status st;
    if (!P::file_stat(e->raw, st)) {
      e->filetype = w::filetype_of(st.type);
      if (st.type == sys::file_type::regular) e->rights = w::r_file;
    }
    self->fds_.push_back(std::move(e));
  }
  for (const wasi_dir& d : options.dirs) {
    result<sys::basic_directory<P>> dir = sys::basic_directory<P>::open(d.host.c_str());
    if (!dir) {
      if (why) why->message = "cannot open the directory " + d.host + " (for " + d.guest + ")";
      return vitte::error{dir.error().kind(), ops::wasi_preopen, dir.error().native(), dir.error().domain()};
    }
    auto e = std::make_unique<fd_entry>();
    e->k = fd_entry::kind::directory;
    e->dir = std::move(*dir);
    e->is_preopen = true;
    e->preopen = std::string(d.guest.view());
    e->filetype = w::t_directory;
    e->rights = w::r_directory;
    e->inheriting = w::r_all;
    self->fds_.push_back(std::move(e));
  }
  for (sys::native_handle h : options.sockets) {
    auto e = std::make_unique<fd_entry>();
    e->k = fd_entry::kind::socket;
    e->socket = sys::basic_socket<P>(h);
    e->filetype = w::t_socket_stream;
    e->rights = w::r_socket;
    self->fds_.push_back(std::move(e));
  }
  options.sockets.clear();
  self->options_ = std::move(options);
  return self;
}

template <class P>
void basic_wasi<P>::define(store& s, imports& env) {
  namespace w = detail::wasi;
  for (std::size_t i = 0; i < w::function_count; ++i) {
    func_type t;
    for (const char* c = w::functions[i].params; *c; ++c)
      t.params.push_back(*c == 'I' ? value_type::i64 : value_type::i32);
    const bool exits = std::string_view(w::functions[i].name) == "proc_exit";
    if (!exits) t.results.push_back(value_type::i32);
    functions_.push_back(std::unique_ptr<function_entry>(new function_entry{this, i}));
    host_callback cb = [](void* user, span<const value> args, span<value> results) -> vitte::error {
      auto* fe = static_cast<function_entry*>(user);
      std::uint64_t a[12] = {};
      for (std::size_t k = 0; k < args.size() && k < 12; ++k) a[k] = args[k].bits;
      std::uint16_t r = fe->self->dispatch(fe->index, a);
      if (!results.empty()) results[0] = value::from_i32(static_cast<std::int32_t>(r));
      return w::trampoline_error(fe->self->exited_);
    };
    env.add("wasi_snapshot_preview1", w::functions[i].name, s.host_function(t, cb, functions_.back().get()));
  }
}

template <class P>
std::uint16_t basic_wasi<P>::dispatch(std::size_t index, const std::uint64_t* a) {
  using member = std::uint16_t (basic_wasi::*)(const std::uint64_t*);
  static constexpr member members[] = {
#define VITTE_WASI_MEMBER(name, sig) &basic_wasi::name,
      VITTE_WASI_FUNCTIONS(VITTE_WASI_MEMBER)
#undef VITTE_WASI_MEMBER
  };
  return (this->*members[index])(a);
}

template <class P>
result<std::uint32_t> basic_wasi<P>::invoke(text_view name, span<const std::uint64_t> args) {
  namespace w = detail::wasi;
  for (std::size_t i = 0; i < w::function_count; ++i) {
    if (name != text_view(w::functions[i].name)) continue;
    if (args.size() != std::strlen(w::functions[i].params)) return vitte::error{errc::invalid_argument, ops::wasi_run};
    std::uint64_t a[12] = {};
    for (std::size_t k = 0; k < args.size(); ++k) a[k] = args[k];
    return static_cast<std::uint32_t>(dispatch(i, a));
  }
  return vitte::error{errc::not_found, ops::wasi_run};
}

template <class P>
status basic_wasi<P>::bind(instance inst) {
  memory m = inst.memory("memory");
  if (!m) return vitte::error{errc::invalid_argument, ops::wasi_run};
  memory_ = m;
  return {};
}

template <class P>
result<int> basic_wasi<P>::outcome(vitte::error e) {
  if (!e) return exit_code_;
  if (e.op() == ops::wasi_exit && exited_) return exit_code_;
  return e;
}

template <class P>
result<int> basic_wasi<P>::run(store& s, instance inst) {
  if (status st = bind(inst); !st) return st.error();
  function start = inst.function("_start");
  if (!start || !start.type().params.empty() || !start.type().results.empty())
    return vitte::error{errc::invalid_argument, ops::wasi_run};
  exited_ = false;
  exit_code_ = 0;
  return outcome(s.call(start, {}, {}));
}

template <class P>
result<int> basic_wasi<P>::finish(store& s) {
  return outcome(s.resume({}));
}

// ---- helpers ------------------------------------------------------------------

template <class P>
typename basic_wasi<P>::fd_entry* basic_wasi<P>::find(std::uint64_t fd, std::uint64_t right, std::uint16_t& err) {
  if (fd >= fds_.size() || fds_[fd] == nullptr) {
    err = detail::wasi::e_badf;
    return nullptr;
  }
  fd_entry* e = fds_[fd].get();
  if ((e->rights & right) != right) {
    err = detail::wasi::e_notcapable;
    return nullptr;
  }
  err = detail::wasi::e_success;
  return e;
}

template <class P>
detail::wasi::guest basic_wasi<P>::mem() const noexcept {
  if (!memory_) return {};
  span<std::uint8_t> b = memory_.bytes();
  return {b.data(), b.size()};
}

template <class P>
std::uint32_t basic_wasi<P>::add_fd(std::unique_ptr<fd_entry> e) {
  for (std::size_t i = 0; i < fds_.size(); ++i)
    if (fds_[i] == nullptr) {
      fds_[i] = std::move(e);
      return static_cast<std::uint32_t>(i);
    }
  fds_.push_back(std::move(e));
  return static_cast<std::uint32_t>(fds_.size() - 1);
}

template <class P>
std::uint16_t basic_wasi<P>::resolve(std::uint64_t fd, std::uint64_t right, std::uint64_t path, std::uint64_t len,
                                     bool follow, resolved& out) {
  namespace w = detail::wasi;
  std::uint16_t err;
  fd_entry* base = find(fd, right, err);
  if (base == nullptr) return err;
  if (base->k != fd_entry::kind::directory) return w::e_notdir;
  std::string_view p;
  if ((err = mem().text(path, len, p)) != w::e_success) return err;
  if (p.empty()) return w::e_noent;
  if (p.front() == '/') return w::e_notcapable;
  // A ".." above the directory is refused whether or not the names before
  // it exist; links are checked again as the walk meets them.
  int depth = 0;
  for (std::size_t i = 0; i <= p.size();) {
    std::size_t j = p.find('/', i);
    if (j == std::string_view::npos) j = p.size();
    const std::string_view c = p.substr(i, j - i);
    depth += c == ".." ? -1 : (c.empty() || c == ".") ? 0 : 1;
    if (depth < 0) return w::e_notcapable;
    i = j + 1;
  }
  // The components still to walk, last first.
  std::vector<std::string> todo;
  auto push_path = [&](std::string_view s) {
    std::vector<std::string> parts;
    std::size_t i = 0;
    while (i <= s.size()) {
      std::size_t j = s.find('/', i);
      if (j == std::string_view::npos) j = s.size();
      parts.emplace_back(s.substr(i, j - i));
      i = j + 1;
    }
    for (std::size_t k = parts.size(); k-- > 0;) todo.push_back(std::move(parts[k]));
  };
  push_path(p);
  out.chain.clear();
  out.dir = base->dir.native();
  int links = 0;
  while (!todo.empty()) {
    std::string c = std::move(todo.back());
    todo.pop_back();
    const bool last = todo.empty();
    if (c.empty() || c == ".") {
      if (last) out.name = ".";
      continue;
    }
#if VITTE_OS_WINDOWS
    // Separators and drive letters of the host are not names here.
    if (c.find_first_of("\\:") != std::string::npos) return w::e_notcapable;
#endif
    if (c == "..") {
      if (out.chain.empty()) return w::e_notcapable;  // above the directory granted
      out.chain.pop_back();
      out.dir = out.chain.empty() ? base->dir.native() : out.chain.back().native();
      if (last) out.name = ".";
      continue;
    }
    if (last && !follow) {
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
      if (++links > w::max_symlinks) return w::e_loop;
      char buf[4096];
      result<std::size_t> n = P::path_read_link(out.dir, c.c_str(), buf, sizeof buf);
      if (!n) return w::errno_of(n.error());
      if (*n >= sizeof buf) return w::e_nametoolong;
      std::string_view target(buf, *n);
      if (target.empty()) return w::e_noent;
      if (target.front() == '/' || target.find('\\') != std::string_view::npos ||
          (target.size() > 1 && target[1] == ':'))
        return w::e_notcapable;  // an absolute target leaves the directory
      if (last) todo.clear();
      push_path(target);
      continue;
    }
    if (last) {
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

template <class P>
std::uint16_t basic_wasi<P>::put_filestat(std::uint64_t at, const sys::file_status& st) {
  detail::wasi::guest g = mem();
  if (!g.fits(at, 64)) return detail::wasi::e_fault;
  std::memset(g.p + at, 0, 64);
  g.put64(at, st.device);
  g.put64(at + 8, st.inode);
  g.put8(at + 16, detail::wasi::filetype_of(st.type));
  g.put64(at + 24, st.links);
  g.put64(at + 32, st.size);
  g.put64(at + 40, static_cast<std::uint64_t>(st.atime_ns));
  g.put64(at + 48, static_cast<std::uint64_t>(st.mtime_ns));
  g.put64(at + 56, static_cast<std::uint64_t>(st.ctime_ns));
  return detail::wasi::e_success;
}

// Writes a list of strings the way argv and environ travel: a pointer per
// string at `ptrs`, the NUL-terminated strings one after another at `buf`.
template <class P>
std::uint16_t basic_wasi<P>::put_strings(const std::vector<text>& list, std::uint64_t ptrs, std::uint64_t buf) {
  detail::wasi::guest g = mem();
  if (!g.fits(ptrs, 4ull * list.size())) return detail::wasi::e_fault;
  std::uint64_t at = buf;
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::uint64_t n = list[i].size() + 1;
    if (!g.fits(at, n)) return detail::wasi::e_fault;
    g.put32(ptrs + 4 * i, static_cast<std::uint32_t>(at));
    std::memcpy(g.p + at, list[i].c_str(), static_cast<std::size_t>(n));
    at += n;
  }
  return detail::wasi::e_success;
}

template <class P>
std::uint16_t basic_wasi<P>::put_sizes(const std::vector<text>& list, std::uint64_t count, std::uint64_t size) {
  std::uint64_t total = 0;
  for (const text& t : list) total += t.size() + 1;
  if (std::uint16_t e = mem().out32(count, static_cast<std::uint32_t>(list.size()))) return e;
  return mem().out32(size, static_cast<std::uint32_t>(total));
}

// Gathers the iovecs at `iovs` (count `n`): fault when any lies outside memory.
template <class P>
std::uint16_t basic_wasi<P>::buffers(std::uint64_t iovs, std::uint64_t n, std::vector<sys::mutable_buffer>& out) {
  detail::wasi::guest g = mem();
  if (n > 1024) return detail::wasi::e_inval;
  if (!g.fits(iovs, 8 * n)) return detail::wasi::e_fault;
  out.clear();
  for (std::uint64_t i = 0; i < n; ++i) {
    std::uint32_t p = g.u32(iovs + 8 * i), len = g.u32(iovs + 8 * i + 4);
    if (!g.fits(p, len)) return detail::wasi::e_fault;
    out.push_back(sys::mutable_buffer{g.p + p, len});
  }
  return detail::wasi::e_success;
}

// ---- arguments, environment, clocks, random, scheduling -----------------------

template <class P>
std::uint16_t basic_wasi<P>::args_get(const std::uint64_t* a) {
  return put_strings(options_.args, a[0], a[1]);
}
template <class P>
std::uint16_t basic_wasi<P>::args_sizes_get(const std::uint64_t* a) {
  return put_sizes(options_.args, a[0], a[1]);
}
template <class P>
std::uint16_t basic_wasi<P>::environ_get(const std::uint64_t* a) {
  return put_strings(options_.env, a[0], a[1]);
}
template <class P>
std::uint16_t basic_wasi<P>::environ_sizes_get(const std::uint64_t* a) {
  return put_sizes(options_.env, a[0], a[1]);
}

namespace detail::wasi {
inline bool clock_of(std::uint64_t id, sys::clock_id& out) noexcept {
  static constexpr sys::clock_id ids[] = {sys::clock_id::realtime, sys::clock_id::monotonic, sys::clock_id::process_cpu,
                                          sys::clock_id::thread_cpu};
  if (id >= 4) return false;
  out = ids[id];
  return true;
}
}  // namespace detail::wasi

template <class P>
std::uint16_t basic_wasi<P>::clock_res_get(const std::uint64_t* a) {
  sys::clock_id id;
  if (!detail::wasi::clock_of(a[0], id)) return detail::wasi::e_inval;
  std::int64_t r = P::clock_resolution_ns(id);
  return mem().out64(a[1], static_cast<std::uint64_t>(r > 0 ? r : 1));
}
template <class P>
std::uint16_t basic_wasi<P>::clock_time_get(const std::uint64_t* a) {
  sys::clock_id id;
  if (!detail::wasi::clock_of(a[0], id)) return detail::wasi::e_inval;
  return mem().out64(a[2], static_cast<std::uint64_t>(P::clock_now_ns(id)));
}
template <class P>
std::uint16_t basic_wasi<P>::random_get(const std::uint64_t* a) {
  detail::wasi::guest g = mem();
  if (!g.fits(a[0], a[1])) return detail::wasi::e_fault;
  if (status st = sys::random_fill<P>(g.p + a[0], static_cast<std::size_t>(a[1])); !st)
    return detail::wasi::errno_of(st.error());
  return detail::wasi::e_success;
}
template <class P>
std::uint16_t basic_wasi<P>::sched_yield(const std::uint64_t*) {
  P::thread_yield();
  return detail::wasi::e_success;
}
template <class P>
std::uint16_t basic_wasi<P>::proc_exit(const std::uint64_t* a) {
  exited_ = true;
  exit_code_ = static_cast<int>(static_cast<std::uint32_t>(a[0]));
  return detail::wasi::e_success;
}
template <class P>
std::uint16_t basic_wasi<P>::proc_raise(const std::uint64_t* a) {
  // The default action of the signal: those ignored by default do nothing
  // (chld, cont, urg, winch; stop and its kin cannot stop a program here),
  // the others end it as a shell reports a signal: 128 + its number.
  const std::uint64_t sig = a[0];
  if (sig == 0 || sig > 30) return detail::wasi::e_inval;
  if (sig == 16 || sig == 17 || sig == 18 || sig == 19 || sig == 20 || sig == 21 || sig == 22 || sig == 27)
    return detail::wasi::e_success;
  exited_ = true;
  exit_code_ = 128 + static_cast<int>(sig);
  return detail::wasi::e_success;
}

// ---- descriptors ----------------------------------------------------------------

template <class P>
std::uint16_t basic_wasi<P>::fd_advise(const std::uint64_t* a) {
  std::uint16_t err;
  if (find(a[0], detail::wasi::r_fd_advise, err) == nullptr) return err;
  return a[3] <= 5 ? detail::wasi::e_success : detail::wasi::e_inval;  // advice only: nothing to do
}
template <class P>
std::uint16_t basic_wasi<P>::fd_allocate(const std::uint64_t* a) {
  std::uint16_t err;
  fd_entry* e = find(a[0], detail::wasi::r_fd_allocate, err);
  if (e == nullptr) return err;
  if (e->k != fd_entry::kind::file) return detail::wasi::e_badf;
  if (a[1] + a[2] < a[1]) return detail::wasi::e_inval;
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
  fd_entry* e = find(a[0], detail::wasi::r_fd_datasync, err);
  if (e == nullptr) return err;
  return detail::wasi::errno_of(P::file_sync(e->handle(), true));
}
template <class P>
std::uint16_t basic_wasi<P>::fd_sync(const std::uint64_t* a) {
  std::uint16_t err;
  fd_entry* e = find(a[0], detail::wasi::r_fd_sync, err);
  if (e == nullptr) return err;
  if (e->k == fd_entry::kind::directory) return detail::wasi::errno_of(P::dir_sync(e->handle()));
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
  std::uint16_t err;
  fd_entry* e = find(a[0], detail::wasi::r_fd_fdstat_set_flags, err);
  if (e == nullptr) return err;
  const std::uint16_t flags = static_cast<std::uint16_t>(a[1]);
  if (flags & ~0x1fu) return detail::wasi::e_inval;
  // Append is fixed when a file opens (the OS appends atomically); the
  // others are hints with nothing to change here.
  if ((flags & 1u) != (e->flags & 1u)) return detail::wasi::e_notsup;
  e->flags = flags;
  return detail::wasi::e_success;
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
  fd_entry* e = find(a[0], detail::wasi::r_fd_filestat_set_size, err);
  if (e == nullptr) return err;
  if (e->k != fd_entry::kind::file) return detail::wasi::e_badf;
  if (a[1] > static_cast<std::uint64_t>(INT64_MAX)) return detail::wasi::e_fbig;
  return detail::wasi::errno_of(P::file_truncate(e->handle(), a[1]));
}

namespace detail::wasi {
// The times of fd/path_filestat_set_times from fstflags: atim 1, atim_now
// 2, mtim 4, mtim_now 8.
inline bool times_of(std::uint64_t flags, std::uint64_t atim, std::uint64_t mtim, std::int64_t& at,
                     std::int64_t& mt) noexcept {
  if ((flags & ~0xfull) != 0 || ((flags & 3) == 3) || ((flags & 12) == 12)) return false;
  at = (flags & 1) ? static_cast<std::int64_t>(atim) : (flags & 2) ? sys::now_time : sys::keep_time;
  mt = (flags & 4) ? static_cast<std::int64_t>(mtim) : (flags & 8) ? sys::now_time : sys::keep_time;
  return true;
}
}  // namespace detail::wasi

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
// `at` is not null. The count goes to `out`.
template <class P>
std::uint16_t basic_wasi<P>::transfer(std::uint64_t fd, std::uint64_t iovs, std::uint64_t n, const std::uint64_t* at,
                                      std::uint64_t out, bool write) {
  namespace w = detail::wasi;
  std::uint16_t err;
  fd_entry* e = find(fd, (write ? w::r_fd_write : w::r_fd_read) | (at ? w::r_fd_seek : 0), err);
  if (e == nullptr) return err;
  if (e->k == fd_entry::kind::directory) return w::e_isdir;
  std::vector<sys::mutable_buffer> bufs;
  if ((err = buffers(iovs, n, bufs)) != w::e_success) return err;
  if (!mem().fits(out, 4)) return w::e_fault;
  if (at != nullptr && *at > static_cast<std::uint64_t>(INT64_MAX)) return w::e_inval;
  const sys::native_handle h = e->handle();
  std::uint64_t done = 0, pos = at ? *at : 0;
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
  fd_entry* e = find(a[0], w::r_fd_readdir, err);
  if (e == nullptr) return err;
  if (e->k != fd_entry::kind::directory) return w::e_notdir;
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
      e->listing.push_back(
          {std::string((*next)->name.data(), (*next)->name.size()), (*next)->inode, w::filetype_of(t)});
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
  fd_entry* e = find(a[0], tell_only ? w::r_fd_tell : w::r_fd_seek, err);
  if (e == nullptr) return err;
  if (a[2] > 2) return w::e_inval;
  if (e->k == fd_entry::kind::directory) return w::e_badf;
  if (e->k == fd_entry::kind::socket) return w::e_spipe;
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

// ---- paths ------------------------------------------------------------------------

template <class P>
std::uint16_t basic_wasi<P>::path_create_directory(const std::uint64_t* a) {
  resolved r;
  if (std::uint16_t e = resolve(a[0], detail::wasi::r_path_create_directory, a[1], a[2], false, r)) return e;
  return detail::wasi::errno_of(P::dir_create(r.dir, r.name.c_str(), 0777));
}
template <class P>
std::uint16_t basic_wasi<P>::path_filestat_get(const std::uint64_t* a) {
  resolved r;
  if (std::uint16_t e = resolve(a[0], detail::wasi::r_path_filestat_get, a[2], a[3], a[1] & 1, r)) return e;
  sys::file_status st;
  if (vitte::error x = P::path_stat(r.dir, r.name.c_str(), false, st)) return detail::wasi::errno_of(x);
  return put_filestat(a[4], st);
}
template <class P>
std::uint16_t basic_wasi<P>::path_filestat_set_times(const std::uint64_t* a) {
  resolved r;
  std::int64_t at, mt;
  if (!detail::wasi::times_of(a[6], a[4], a[5], at, mt)) return detail::wasi::e_inval;
  if (std::uint16_t e = resolve(a[0], detail::wasi::r_path_filestat_set_times, a[2], a[3], a[1] & 1, r)) return e;
  return detail::wasi::errno_of(P::path_set_times(r.dir, r.name.c_str(), at, mt, false));
}
template <class P>
std::uint16_t basic_wasi<P>::path_link(const std::uint64_t* a) {
  resolved from, to;
  if (std::uint16_t e = resolve(a[0], detail::wasi::r_path_link_source, a[2], a[3], a[1] & 1, from)) return e;
  if (std::uint16_t e = resolve(a[4], detail::wasi::r_path_link_target, a[5], a[6], false, to)) return e;
  return detail::wasi::errno_of(P::path_link(from.dir, from.name.c_str(), to.dir, to.name.c_str()));
}

template <class P>
std::uint16_t basic_wasi<P>::path_open(const std::uint64_t* a) {
  namespace w = detail::wasi;
  // fd, dirflags, path, path_len, oflags, rights_base, rights_inheriting, fdflags, out fd
  const std::uint64_t oflags = a[4], rights = a[5], inheriting = a[6], fdflags = a[7];
  if ((oflags & ~0xfull) != 0 || (fdflags & ~0x1full) != 0) return w::e_inval;
  const bool creat = oflags & 1, directory = oflags & 2, excl = oflags & 4, trunc = oflags & 8;
  std::uint64_t need = w::r_path_open | (creat ? w::r_path_create_file : 0) | (trunc ? w::r_path_filestat_set_size : 0);
  resolved r;
  if (std::uint16_t e = resolve(a[0], need, a[2], a[3], a[1] & 1, r)) return e;
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
  if (directory || (exists && st.type == sys::file_type::directory && !wants_write && !creat)) {
    if (creat || trunc) return directory ? w::e_inval : w::e_isdir;
    result<sys::basic_directory<P>> d = sys::basic_directory<P>::open_at(r.dir, r.name.c_str(), true);
    if (!d) return w::errno_of(d.error());
    e->k = fd_entry::kind::directory;
    e->dir = std::move(*d);
    e->filetype = w::t_directory;
    e->rights = rights & parent->inheriting & w::r_directory;
    e->inheriting = inheriting & parent->inheriting;
  } else {
    sys::open_mode mode = sys::open_mode::no_follow;
    const bool reads = (rights & w::r_fd_read) != 0 || !wants_write;
    if (reads) mode = mode | sys::open_mode::read;
    if (fdflags & 1)
      mode = mode | sys::open_mode::append;
    else if (wants_write)
      mode = mode | sys::open_mode::write;
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
  if (std::uint16_t e = resolve(a[0], w::r_path_readlink, a[1], a[2], false, r)) return e;
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
  return detail::wasi::errno_of(P::path_rename(from.dir, from.name.c_str(), to.dir, to.name.c_str()));
}
template <class P>
std::uint16_t basic_wasi<P>::path_symlink(const std::uint64_t* a) {
  namespace w = detail::wasi;
  std::string_view target;
  if (std::uint16_t e = mem().text(a[0], a[1], target)) return e;
  // A link may name anything relative (resolving it is checked), never an
  // absolute path.
  if (target.empty()) return w::e_noent;
  if (target.front() == '/' || target.find('\\') != std::string_view::npos) return w::e_notcapable;
  std::string t(target);
  resolved r;
  if (std::uint16_t e = resolve(a[2], w::r_path_symlink, a[3], a[4], false, r)) return e;
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

// ---- poll ---------------------------------------------------------------------------

template <class P>
std::uint16_t basic_wasi<P>::poll_oneoff(const std::uint64_t* a) {
  namespace w = detail::wasi;
  const std::uint64_t in = a[0], out = a[1], n = a[2];
  w::guest g = mem();
  if (n == 0) return w::e_inval;
  if (n > 4096) return w::e_inval;
  if (!g.fits(in, 48 * n) || !g.fits(out, 32 * n) || !g.fits(a[3], 4)) return w::e_fault;
  // Descriptors are ready at once (files, directories, standard streams),
  // or, for sockets, when the OS says so; clocks fire when their time
  // comes. The call waits for the first of them.
  std::int64_t wake = INT64_MAX;  // monotonic
  const std::int64_t now = P::clock_now_ns(sys::clock_id::monotonic);
  std::uint32_t events = 0;
  auto event = [&](std::uint64_t sub, std::uint16_t error, std::uint8_t type, std::uint64_t nbytes) {
    const std::uint64_t at = out + 32ull * events++;
    std::memset(g.p + at, 0, 32);
    g.put64(at, g.u64(sub));
    g.put16(at + 8, error);
    g.put8(at + 10, type);
    g.put64(at + 16, nbytes);
  };
  for (int pass = 0; pass < 2 && events == 0; ++pass) {
    // pass 0: what is ready now; pass 1: after waiting for the earliest.
    for (std::uint64_t i = 0; i < n; ++i) {
      const std::uint64_t sub = in + 48 * i;
      const std::uint8_t tag = g.p[sub + 8];
      if (tag == 0) {  // clock
        sys::clock_id id;
        if (!w::clock_of(g.u32(sub + 16), id)) {
          event(sub, w::e_inval, 0, 0);
          continue;
        }
        const std::uint64_t timeout = g.u64(sub + 24);
        const bool absolute = g.u32(sub + 40) & 1;
        std::int64_t due = absolute
                               ? now + (static_cast<std::int64_t>(timeout) - P::clock_now_ns(id))
                               : now + static_cast<std::int64_t>(timeout > INT64_MAX / 2 ? INT64_MAX / 2 : timeout);
        if (pass == 0 && due < wake) wake = due;
        if (P::clock_now_ns(sys::clock_id::monotonic) >= due) event(sub, w::e_success, 0, 0);
      } else if (tag == 1 || tag == 2) {
        std::uint16_t err;
        fd_entry* e = find(g.u32(sub + 16), w::r_poll_fd_readwrite, err);
        if (e == nullptr) {
          event(sub, err, tag, 0);
          continue;
        }
        if (e->k == fd_entry::kind::socket) {
          const sys::io_events want = tag == 1 ? sys::io_events::readable : sys::io_events::writable;
          result<sys::io_events> r = e->socket.wait(want, sys::basic_deadline<P>::at_ns(now));
          if (r && *r != sys::io_events::none) event(sub, w::e_success, tag, 0);
          if (pass == 0 && wake > now + 10'000'000) wake = now + 10'000'000;  // sockets: look again soon
          continue;
        }
        std::uint64_t nbytes = 0;
        sys::file_status st;
        if (tag == 1 && e->k == fd_entry::kind::file && !P::file_stat(e->handle(), st)) {
          result<std::uint64_t> pos = P::file_seek(e->handle(), 0, sys::seek_origin::current);
          if (pos && *pos < st.size) nbytes = st.size - *pos;
        }
        event(sub, w::e_success, tag, nbytes);
      } else {
        event(sub, w::e_inval, tag, 0);
      }
    }
    if (events == 0 && pass == 0 && wake != INT64_MAX) (void)P::sleep_until_ns(sys::clock_id::monotonic, wake);
  }
  g.put32(a[3], events);
  return w::e_success;
}

// ---- sockets --------------------------------------------------------------------------

template <class P>
std::uint16_t basic_wasi<P>::sock_accept(const std::uint64_t* a) {
  namespace w = detail::wasi;
  std::uint16_t err;
  fd_entry* e = find(a[0], w::r_sock_accept, err);
  if (e == nullptr) return err;
  if (e->k != fd_entry::kind::socket) return w::e_notsock;
  if ((a[1] & ~4ull) != 0) return w::e_inval;
  if (!mem().fits(a[2], 4)) return w::e_fault;
  result<sys::basic_socket<P>> s = e->socket.accept(nullptr, (a[1] & 4) != 0);
  if (!s) return w::errno_of(s.error());
  auto c = std::make_unique<fd_entry>();
  c->k = fd_entry::kind::socket;
  c->socket = std::move(*s);
  c->filetype = w::t_socket_stream;
  c->rights = w::r_socket & ~w::r_sock_accept;
  c->flags = static_cast<std::uint16_t>(a[1]);
  mem().put32(a[2], add_fd(std::move(c)));
  return w::e_success;
}
template <class P>
std::uint16_t basic_wasi<P>::sock_recv(const std::uint64_t* a) {
  namespace w = detail::wasi;
  // fd, ri_data, ri_data_len, ri_flags (peek 1, waitall 2), out ro_datalen, out ro_flags
  std::uint16_t err;
  fd_entry* e = find(a[0], w::r_fd_read, err);
  if (e == nullptr) return err;
  if (e->k != fd_entry::kind::socket) return w::e_notsock;
  if ((a[3] & ~3ull) != 0) return w::e_inval;
  if (a[3] & 1) return w::e_notsup;  // peeking would need a buffer between the socket and the program
  if (!mem().fits(a[5], 2)) return w::e_fault;
  std::vector<sys::mutable_buffer> bufs;
  if ((err = buffers(a[1], a[2], bufs)) != w::e_success) return err;
  std::uint64_t done = 0;
  for (const sys::mutable_buffer& b : bufs) {
    std::size_t got = 0;
    while (got < b.size) {
      result<std::size_t> r = e->socket.receive(
          as_writable_bytes(span<std::uint8_t>(static_cast<std::uint8_t*>(b.data) + got, b.size - got)));
      if (!r) {
        if (done + got > 0) break;
        return w::errno_of(r.error());
      }
      if (*r == 0) break;
      got += *r;
      if (!(a[3] & 2)) break;
    }
    done += got;
    if (got < b.size) break;
  }
  if (std::uint16_t x = mem().out32(a[4], static_cast<std::uint32_t>(done))) return x;
  mem().put16(a[5], 0);
  return w::e_success;
}
template <class P>
std::uint16_t basic_wasi<P>::sock_send(const std::uint64_t* a) {
  namespace w = detail::wasi;
  std::uint16_t err;
  fd_entry* e = find(a[0], w::r_fd_write, err);
  if (e == nullptr) return err;
  if (e->k != fd_entry::kind::socket) return w::e_notsock;
  if (a[3] != 0) return w::e_inval;
  return transfer(a[0], a[1], a[2], nullptr, a[4], true);
}
template <class P>
std::uint16_t basic_wasi<P>::sock_shutdown(const std::uint64_t* a) {
  namespace w = detail::wasi;
  std::uint16_t err;
  fd_entry* e = find(a[0], w::r_sock_shutdown, err);
  if (e == nullptr) return err;
  if (e->k != fd_entry::kind::socket) return w::e_notsock;
  if (a[1] == 0 || a[1] > 3) return w::e_inval;
  const sys::shutdown_how how = a[1] == 1   ? sys::shutdown_how::receive
                                : a[1] == 2 ? sys::shutdown_how::send
                                            : sys::shutdown_how::both;
  if (status st = e->socket.shutdown(how); !st) return w::errno_of(st.error());
  return w::e_success;
}

}  // namespace vitte::wasm

#endif  // VITTE_WASM_IMPL_WASI_HPP
