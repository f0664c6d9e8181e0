// vitte/wasm/wasi/context.hpp - one WASI context: its descriptor table,
// creation from wasi_options, the host functions define() adds, and run().
//
// Member definitions of basic_wasi: the class comes first, so the public
// header is included above the guard (it includes this file back, in its
// order, at its end).
#include <vitte/wasm/wasi.hpp>

#ifndef VITTE_WASM_WASI_CONTEXT_HPP
#define VITTE_WASM_WASI_CONTEXT_HPP

#include <vitte/sys/terminal.hpp>  // standard_handle
#include <vitte/wasm/wasi/abi.hpp>
#include <vitte/wasm/wasi/functions.hpp>
#include <vitte/wasm/wasi/guest.hpp>

#include <cstdint>
#include <cstring>
#include <memory>

namespace vitte::wasm {

namespace detail::wasi {

constexpr std::uint32_t max_descriptors = 4096;  // per context

inline vitte::error trampoline_error(bool exited) noexcept {
  return exited ? vitte::error{errc::unknown, ops::wasi_exit} : vitte::error{};
}

}  // namespace detail::wasi

template <class P>
struct basic_wasi<P>::fd_entry {
  enum class kind : std::uint8_t { file, directory, stdio, socket };
  kind k = kind::file;
  sys::basic_file<P> file;
  sys::basic_directory<P> dir;
  sys::basic_socket<P> socket;
  sys::native_handle raw = sys::invalid_handle;  // stdio: not owned
  text preopen;                                  // a preopened directory's guest name
  bool is_preopen = false;
  std::uint8_t filetype = detail::wasi::t_unknown;
  // fdflags. Append is applied here, not by the OS (files open without it),
  // so that fd_fdstat_set_flags can turn it on and off: while it is set, a
  // file's writes go to its end (transfer()).
  std::uint16_t flags = 0;
  std::uint64_t rights = 0, inheriting = 0;
  buffer<detail::wasi::listed> listing;  // fd_readdir's snapshot, taken at cookie 0

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

template <class P>
struct basic_wasi<P>::function_entry {
  basic_wasi* self;
  std::size_t index;
};

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
      if (why)
        why->of(dir.error().kind()).about(d.host).say("cannot open the directory (for ").append(d.guest).append(")");
      return vitte::error{dir.error().kind(), ops::wasi_preopen, dir.error().native(), dir.error().domain()};
    }
    auto e = std::make_unique<fd_entry>();
    e->k = fd_entry::kind::directory;
    e->dir = std::move(*dir);
    e->is_preopen = true;
    e->preopen = d.guest;
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
    const bool exits = text_view(w::functions[i].name) == "proc_exit";
    if (!exits) t.results.push_back(value_type::i32);
    functions_.push_back(std::unique_ptr<function_entry>(new function_entry{this, i}));
    // The raw call: each function reads its own parameters from the
    // caller's frame in place (i32 zero-extended), then the errno goes to
    // words[0] (proc_exit has no result; it traps with exited_ set).
    raw_host_callback cb = [](void* user, std::uint64_t* words) -> vitte::error {
      auto* fe = static_cast<function_entry*>(user);
      std::uint16_t r = fe->self->dispatch(fe->index, words);
      if (fe->self->exited_) return w::trampoline_error(true);
      words[0] = r;
      return {};
    };
    env.add("wasi_snapshot_preview1", w::functions[i].name,
            s.raw_host_function(t, cb, functions_.back().get()).value());
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

// The descriptor `fd`: e_badf when there is none, e_notcapable when it
// lacks `right`. A call that needs one kind of descriptor finds it with no
// right, checks the kind, then the rights (rights_check), so that the
// errors come in wasmtime's order: badf, the kind's (notdir, notsock, ...),
// notcapable.
template <class P>
typename basic_wasi<P>::fd_entry* basic_wasi<P>::find(std::uint64_t fd, std::uint64_t right, std::uint16_t& err) {
  if (fd >= fds_.size() || fds_[fd] == nullptr) {
    err = detail::wasi::e_badf;
    return nullptr;
  }
  fd_entry* e = fds_[fd].get();
  err = detail::wasi::rights_check(e->rights, right);
  return err == detail::wasi::e_success ? e : nullptr;
}

// A descriptor that carries data, for the calls on a file's contents:
// as find(), but a directory is e_badf before its rights are looked at
// (wasmtime's p1_dir_fd_op_failures: fd_advise, fd_datasync, fd_sync, ...).
template <class P>
typename basic_wasi<P>::fd_entry* basic_wasi<P>::find_data(std::uint64_t fd, std::uint64_t right, std::uint16_t& err) {
  fd_entry* e = find(fd, 0, err);
  if (e == nullptr) return nullptr;
  if (e->k == fd_entry::kind::directory) {
    err = detail::wasi::e_badf;
    return nullptr;
  }
  err = detail::wasi::rights_check(e->rights, right);
  return err == detail::wasi::e_success ? e : nullptr;
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

}  // namespace vitte::wasm

#endif  // VITTE_WASM_WASI_CONTEXT_HPP
