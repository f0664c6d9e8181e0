// Template bodies of vitte/sys/process.hpp.
#ifndef VITTE_SYS_IMPL_PROCESS_HPP
#define VITTE_SYS_IMPL_PROCESS_HPP

#include <vitte/sys/detail/grow_text.hpp>
#include <vitte/sys/path.hpp>  // path_join, is_separator

#include <cstring>  // std::memchr
#include <utility>  // std::move

namespace vitte::sys {

namespace detail {

inline bool has_nul(text_view s) noexcept { return std::memchr(s.data(), '\0', s.size()) != nullptr; }

inline bool same_env_name(text_view a, text_view b, bool fold) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (fold) {
      if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
      if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
    }
    if (x != y) return false;
  }
  return true;
}

inline text_view env_entry_name(text_view entry) noexcept {
  // Windows keeps per-drive entries such as "=C:=C:\\dir": the name starts
  // after a leading '='.
  std::size_t eq = entry.find('=', entry.empty() ? 0 : 1);
  return eq == text_view::npos ? entry : entry.substr(0, eq);
}

template <class P>
text current_directory_or_empty() {
  result<text> cwd = grow_text([](char* buf, std::size_t n) noexcept { return P::current_directory(buf, n); });
  if (!cwd) return text();
  return std::move(*cwd);
}

constexpr bool is_absolute_path(text_view p) noexcept {
  if (p.empty()) return false;
  if (is_separator(p[0])) return true;
  return VITTE_OS_WINDOWS && p.size() >= 3 && p[1] == ':' && is_separator(p[2]);
}

template <class P>
text absolute_from_cwd(text_view p) {
  if (is_absolute_path(p)) return text(p);
  text cwd = current_directory_or_empty<P>();
  return cwd.empty() ? text(p) : path_join(cwd, p);
}

template <class P>
result<text> env_value(const char* name) {
  return grow_text([name](char* buf, std::size_t n) noexcept { return P::env_get(name, buf, n); });
}

// Candidates for one directory: the name, or on Windows the name with each
// PATHEXT extension when it has none.
template <class P>
result<text> try_candidates(const text& base, text_view exts) {
  if (exts.empty()) {
    if (!P::program_check(base.c_str())) return base;
    return error{errc::not_found, ops::find_program};
  }
  std::size_t start = 0;
  while (start <= exts.size()) {
    std::size_t end = exts.find(';', start);
    if (end == text_view::npos) end = exts.size();
    text_view ext = exts.substr(start, end - start);
    start = end + 1;
    if (ext.empty()) continue;
    text c = base;
    c.append(ext);
    if (!P::program_check(c.c_str())) return c;
  }
  return error{errc::not_found, ops::find_program};
}

template <class P>
text windows_extensions(text_view name) {
  if (!VITTE_OS_WINDOWS) return {};
  text_view leaf = file_name(name);
  if (leaf.find('.') != text_view::npos) return {};
  result<text> pathext = env_value<P>("PATHEXT");
  if (pathext && !pathext->empty()) return std::move(*pathext);
  return text(".COM;.EXE;.BAT;.CMD");
}

// The sink of collect(): appends up to `limit` bytes per stream.
struct capture_sink {
  text* streams[2];
  bool* truncated[2];
  std::size_t limit;
  static void data(void* ctx, std::size_t index, const char* p, std::size_t n) noexcept {
    auto* self = static_cast<capture_sink*>(ctx);
    text& s = *self->streams[index];
    std::size_t room = s.size() < self->limit ? self->limit - s.size() : 0;
    if (n > room) {
      *self->truncated[index] = true;
      n = room;
    }
    s.append(p, n);
  }
};

}  // namespace detail

// --- find_program ---------------------------------------------------------------

template <class P>
result<text> find_program(text_view name, text_view search_path) {
  VITTE_REQUIRE_CAPABILITY(P, process);
  if (name.empty() || detail::has_nul(name)) return error{errc::invalid_argument, ops::find_program};
  text exts = detail::windows_extensions<P>(name);
  bool has_dir = false;
  for (char c : name) has_dir = has_dir || is_separator(c);
  if (has_dir) {
    text base = detail::absolute_from_cwd<P>(name);
    if (error e = P::program_check(base.c_str()); !e || exts.empty()) {
      if (e) return e;
      return base;
    }
    return detail::try_candidates<P>(base, exts);
  }
  constexpr char list_separator = VITTE_OS_WINDOWS ? ';' : ':';
  std::size_t start = 0;
  while (start <= search_path.size()) {
    std::size_t end = search_path.find(list_separator, start);
    if (end == text_view::npos) end = search_path.size();
    text_view dir = search_path.substr(start, end - start);
    start = end + 1;
    if (dir.empty()) continue;  // an empty entry means "." to a shell: never implicitly
    text base = path_join(detail::absolute_from_cwd<P>(dir), name);
    result<text> found = detail::try_candidates<P>(base, exts);
    if (found) return found;
  }
  return error{errc::not_found, ops::find_program};
}

template <class P>
result<text> find_program(text_view name) {
  result<text> path = detail::env_value<P>("PATH");
  return find_program<P>(name, path ? text_view(*path) : text_view());
}

// --- basic_child ----------------------------------------------------------------

template <class P>
basic_child<P>::basic_child(native_process np, basic_file<P> (&pipes)[3]) noexcept : np_(np) {
  for (int i = 0; i < 3; ++i) pipes_[i] = std::move(pipes[i]);
}

template <class P>
basic_child<P>::basic_child(basic_child&& other) noexcept : np_(other.np_), status_(other.status_) {
  for (int i = 0; i < 3; ++i) pipes_[i] = std::move(other.pipes_[i]);
  other.np_ = native_process{};
  other.status_.reset();
}

template <class P>
basic_child<P>& basic_child<P>::operator=(basic_child&& other) noexcept {
  if (this == &other) return *this;
  release();
  np_ = other.np_;
  status_ = other.status_;
  for (int i = 0; i < 3; ++i) pipes_[i] = std::move(other.pipes_[i]);
  other.np_ = native_process{};
  other.status_.reset();
  return *this;
}

template <class P>
basic_child<P>::~basic_child() {
  release();
}

template <class P>
void basic_child<P>::release() noexcept {
  for (basic_file<P>& f : pipes_) (void)f.close();
  if (np_.id == -1) return;
  if (!status_) (void)kill();
  P::process_release(np_, false);
  np_ = native_process{};
}

template <class P>
result<exit_status> basic_child<P>::wait(basic_deadline<P> d) noexcept {
  if (status_) return *status_;
  if (np_.id == -1) return error{errc::invalid_argument, ops::process_wait};
  (void)pipes_[0].close();
  for (;;) {
    exit_status st;
    error e = P::process_wait(np_, d.ns(), st);
    if (e == errc::interrupted) continue;
    if (e) return e;
    status_ = st;
    return st;
  }
}

template <class P>
result<maybe_exit_status> basic_child<P>::try_wait() noexcept {
  if (status_) return maybe_exit_status{*status_};
  if (np_.id == -1) return error{errc::invalid_argument, ops::process_wait};
  exit_status st;
  error e = P::process_wait(np_, 0, st);  // a deadline in the past: poll once
  if (e == errc::timed_out || e == errc::interrupted) return maybe_exit_status{};
  if (e) return e;
  status_ = st;
  return maybe_exit_status{st};
}

template <class P>
status basic_child<P>::signal(process_signal_kind kind) noexcept {
  if (np_.id == -1) return error{errc::invalid_argument, ops::process_kill};
  return P::process_signal(np_, kind);
}

template <class P>
result<exit_status> basic_child<P>::kill() noexcept {
  if (status_) return *status_;
  if (np_.id == -1) return error{errc::invalid_argument, ops::process_kill};
  // The group first, while the unreaped child still holds its id.
  error e = P::process_signal(np_, process_signal_kind::kill);
  if (e && e != errc::no_such_process) return e;
  return wait();
}

template <class P>
template <class Rep, class Period>
result<exit_status> basic_child<P>::terminate(std::chrono::duration<Rep, Period> grace) noexcept {
  if (status_) return *status_;
  if (np_.id == -1) return error{errc::invalid_argument, ops::process_kill};
  error e = P::process_signal(np_, process_signal_kind::terminate);
  if (!e) {
    result<exit_status> r = wait(basic_deadline<P>::after(grace));
    if (r || r.error() != errc::timed_out) return r;
  }
  return kill();
}

template <class P>
result<process_output> basic_child<P>::collect(basic_deadline<P> d, std::size_t limit) {
  process_output out;
  (void)pipes_[0].close();
  native_handle hs[2] = {pipes_[1].native(), pipes_[2].native()};
  detail::capture_sink ctx{{&out.out, &out.err}, {&out.out_truncated, &out.err_truncated}, limit};
  drain_sink sink{&ctx, &detail::capture_sink::data};
  error e = P::pipe_drain(hs, 2, sink, d.ns());
  (void)pipes_[1].close();
  (void)pipes_[2].close();
  if (e) {
    (void)kill();
    return e == errc::timed_out ? error{errc::timed_out, ops::process_wait} : e;
  }
  result<exit_status> st = wait(d);
  if (!st) {
    (void)kill();
    return st.error();
  }
  out.status = *st;
  return out;
}

template <class P>
void basic_child<P>::detach() noexcept {
  for (basic_file<P>& f : pipes_) (void)f.close();
  if (np_.id != -1) P::process_release(np_, true);
  np_ = native_process{};
  status_.reset();
}

// --- basic_command: building ------------------------------------------------------

template <class P>
basic_command<P>& basic_command<P>::arg(text_view a) {
  if (detail::has_nul(a)) invalid_ = errc::invalid_argument;
  args_.emplace_back(a);
  return *this;
}

template <class P>
basic_command<P>& basic_command<P>::args(std::initializer_list<text_view> list) {
  for (text_view a : list) arg(a);
  return *this;
}

template <class P>
basic_command<P>& basic_command<P>::arg0(text_view a) {
  if (detail::has_nul(a)) invalid_ = errc::invalid_argument;
  arg0_ = a;
  has_arg0_ = true;
  return *this;
}

template <class P>
basic_command<P>& basic_command<P>::env(text_view name, text_view value) {
  if (name.empty() || name.find('=', 1) != text_view::npos || detail::has_nul(name) || detail::has_nul(value))
    invalid_ = errc::invalid_argument;
  env_edits_.push_back({text(name), text(value), false});
  return *this;
}

template <class P>
basic_command<P>& basic_command<P>::env_remove(text_view name) {
  env_edits_.push_back({text(name), text(), true});
  return *this;
}

template <class P>
basic_command<P>& basic_command<P>::env_clear() {
  env_cleared_ = true;
  env_edits_.clear();
  return *this;
}

template <class P>
basic_command<P>& basic_command<P>::cwd(text dir) {
  if (detail::has_nul(dir)) invalid_ = errc::invalid_argument;
  cwd_ = std::move(dir);
  return *this;
}

template <class P>
basic_command<P>& basic_command<P>::in(stdio s) {
  stdio_[0] = std::move(s);
  return *this;
}
template <class P>
basic_command<P>& basic_command<P>::out(stdio s) {
  stdio_[1] = std::move(s);
  return *this;
}
template <class P>
basic_command<P>& basic_command<P>::err(stdio s) {
  stdio_[2] = std::move(s);
  return *this;
}
template <class P>
basic_command<P>& basic_command<P>::new_group(bool yes) noexcept {
  new_group_ = yes;
  return *this;
}

template <class P>
basic_command<P>& basic_command<P>::pass(native_handle h) {
  passed_.push_back(h);
  return *this;
}

// --- basic_command: environment and program -------------------------------------------

template <class P>
const text* basic_command<P>::path_override() const noexcept {
  const text* found = nullptr;
  static const text empty;
  for (const env_edit& e : env_edits_)
    if (detail::same_env_name(e.name, "PATH", P::env_case_insensitive)) found = e.remove ? &empty : &e.value;
  return found;
}

template <class P>
buffer<text> basic_command<P>::child_environment() const {
  buffer<text> env;
  if (!env_cleared_) {
    P::env_list([](void* ctx, const char* entry,
                   std::size_t n) noexcept { static_cast<buffer<text>*>(ctx)->emplace_back(entry, n); },
                &env);
  }
  for (const env_edit& e : env_edits_) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < env.size(); ++i) {
      if (detail::same_env_name(detail::env_entry_name(env[i]), e.name, P::env_case_insensitive)) continue;
      if (kept != i) env[kept] = std::move(env[i]);
      ++kept;
    }
    env.resize(kept);
    if (!e.remove) env.push_back(e.name + "=" + e.value);
  }
  return env;
}

template <class P>
result<text> basic_command<P>::resolve() const {
  if (const text* path = path_override()) return find_program<P>(program_, *path);
  return find_program<P>(program_);
}

// --- basic_command: running --------------------------------------------------------

template <class P>
result<basic_child<P>> basic_command<P>::start(bool capture) const {
  if (invalid_ != errc::ok) return error{invalid_, ops::process_spawn};
  result<text> program = resolve();
  if (!program) return program.error();

  buffer<const char*> argv;
  argv.reserve(args_.size() + 2);
  // Windows: argv[0] is the resolved path, so the command line is exactly
  // what dry_run() prints. POSIX: argv[0] is the name as given.
  argv.push_back(has_arg0_ ? arg0_.c_str() : (VITTE_OS_WINDOWS ? program->c_str() : program_.c_str()));
  for (const text& a : args_) argv.push_back(a.c_str());
  argv.push_back(nullptr);

  buffer<text> env_storage;
  buffer<const char*> envp;
  if (env_edited()) {
    env_storage = child_environment();
    envp.reserve(env_storage.size() + 1);
    for (const text& e : env_storage) envp.push_back(e.c_str());
    envp.push_back(nullptr);
  }

  if (stdio_[0].what() == stdio::kind::merge ||
      (stdio_[1].what() == stdio::kind::merge && stdio_[2].what() == stdio::kind::merge))
    return error{errc::invalid_argument, ops::process_spawn};

  basic_file<P> parent_ends[3];
  basic_file<P> child_owned[3];  // closed once the child has its copies
  native_handle child_ends[3] = {invalid_handle, invalid_handle, invalid_handle};
  for (int i = 0; i < 3; ++i) {
    const stdio& s = stdio_[i];
    switch (s.what()) {
      case stdio::kind::inherit:
      case stdio::kind::merge:
        break;
      case stdio::kind::null: {
        result<native_handle> h = P::null_device_open(i != 0);
        if (!h) return h.error();
        child_owned[i] = basic_file<P>(*h);
        child_ends[i] = *h;
        break;
      }
      case stdio::kind::pipe: {
        native_handle ends[2] = {invalid_handle, invalid_handle};
        if (error e = P::pipe_create(ends, capture && i != 0)) return e;
        basic_file<P> read_end(ends[0]), write_end(ends[1]);
        child_ends[i] = i == 0 ? ends[0] : ends[1];
        child_owned[i] = i == 0 ? std::move(read_end) : std::move(write_end);
        parent_ends[i] = i == 0 ? std::move(write_end) : std::move(read_end);
        break;
      }
      case stdio::kind::file: {
        open_mode mode = i == 0 ? open_mode::read
                                : (s.append() ? open_mode::append | open_mode::create
                                              : open_mode::write | open_mode::create | open_mode::truncate);
        result<basic_file<P>> f = basic_file<P>::open(s.path(), mode);
        if (!f) return f.error();
        child_ends[i] = f->native();
        child_owned[i] = std::move(*f);
        break;
      }
      case stdio::kind::handle:
        child_ends[i] = s.native();
        break;
    }
  }
  if (stdio_[2].what() == stdio::kind::merge)
    child_ends[2] = child_ends[1] != invalid_handle ? child_ends[1] : P::std_handle(1);
  if (stdio_[1].what() == stdio::kind::merge)
    child_ends[1] = child_ends[2] != invalid_handle ? child_ends[2] : P::std_handle(2);

  spawn_request req;
  req.program = program->c_str();
  req.argv = argv.data();
  req.argc = argv.size() - 1;
  req.envp = env_edited() ? envp.data() : nullptr;
  req.cwd = cwd_.empty() ? nullptr : cwd_.c_str();
  for (int i = 0; i < 3; ++i) req.stdio[i] = child_ends[i];
  req.new_group = new_group_;
  req.passed = passed_.data();
  req.passed_count = passed_.size();
  native_process np;
  error e = P::process_spawn(req, np);
  for (basic_file<P>& f : child_owned) (void)f.close();
  if (e) return e;
  return basic_child<P>(np, parent_ends);
}

template <class P>
result<basic_child<P>> basic_command<P>::spawn() const {
  return start(false);
}

template <class P>
result<exit_status> basic_command<P>::run(basic_deadline<P> d) const {
  result<basic_child<P>> c = start(false);
  if (!c) return c.error();
  result<exit_status> st = c->wait(d);
  if (st || st.error() != errc::timed_out) return st;
  (void)c->kill();
  return st.error();
}

template <class P>
result<process_output> basic_command<P>::output(basic_deadline<P> d, std::size_t limit) const {
  basic_command copy = *this;
  copy.stdio_[1] = stdio::pipe();
  if (copy.stdio_[2].what() != stdio::kind::merge) copy.stdio_[2] = stdio::pipe();
  result<basic_child<P>> c = copy.start(true);
  if (!c) return c.error();
  return c->collect(d, limit);
}

// --- basic_command: printing -----------------------------------------------------------

template <class P>
text basic_command<P>::command_line() const {
  text line;
  if (VITTE_OS_WINDOWS) {
    if (!detail::append_windows_program(line, program_)) detail::append_windows_argument(line, program_);
    for (const text& a : args_) {
      line.push_back(' ');
      detail::append_windows_argument(line, a);
    }
    return line;
  }
  detail::append_shell_argument(line, program_);
  for (const text& a : args_) {
    line.push_back(' ');
    detail::append_shell_argument(line, a);
  }
  return line;
}

template <class P>
result<text> basic_command<P>::dry_run() const {
  if (invalid_ != errc::ok) return error{invalid_, ops::process_spawn};
  result<text> program = resolve();
  if (!program) return program.error();
  text line;
  if (VITTE_OS_WINDOWS) {
    if (!cwd_.empty()) line.append("cd /d \"").append(cwd_).append("\" && ");
    if (env_cleared_) line += "(environment cleared) ";
    for (const env_edit& e : env_edits_)
      line.append("set \"").append(e.name).append("=").append(e.remove ? text_view() : e.value.view()).append("\" && ");
    if (!detail::append_windows_program(line, *program)) return error{errc::invalid_argument, ops::process_spawn};
    for (const text& a : args_) {
      line.push_back(' ');
      detail::append_windows_argument(line, a);
    }
  } else {
    if (!cwd_.empty()) {
      line += "cd ";
      detail::append_shell_argument(line, cwd_);
      line += " && ";
    }
    if (env_edited()) {
      line += "env";
      if (env_cleared_) line += " -i";
      for (const env_edit& e : env_edits_) {
        if (!e.remove) continue;
        line += " -u ";
        detail::append_shell_argument(line, e.name);
      }
      for (const env_edit& e : env_edits_) {
        if (e.remove) continue;
        line.push_back(' ');
        detail::append_shell_argument(line, e.name + "=" + e.value);
      }
      line.push_back(' ');
    }
    detail::append_shell_argument(line, *program);
    for (const text& a : args_) {
      line.push_back(' ');
      detail::append_shell_argument(line, a);
    }
  }
  static constexpr const char* redirect[3] = {"<", ">", "2>"};
  static constexpr const char* append[3] = {"<", ">>", "2>>"};
  const char* null_device = VITTE_OS_WINDOWS ? "NUL" : "/dev/null";
  for (int i = 0; i < 3; ++i) {
    const stdio& s = stdio_[i];
    if (s.what() == stdio::kind::null) line.append(" ").append(redirect[i]).append(null_device);
    if (s.what() == stdio::kind::file) {
      line.append(" ").append(s.append() ? append[i] : redirect[i]);
      if (VITTE_OS_WINDOWS)
        detail::append_windows_argument(line, s.path());
      else
        detail::append_shell_argument(line, s.path());
    }
  }
  if (stdio_[2].what() == stdio::kind::merge) line += " 2>&1";
  if (stdio_[1].what() == stdio::kind::merge) line += " 1>&2";
  return line;
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_IMPL_PROCESS_HPP
