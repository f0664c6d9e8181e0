// Template bodies of vitte/toolchain/hermetic.hpp.
#ifndef VITTE_TOOLCHAIN_IMPL_HERMETIC_HPP
#define VITTE_TOOLCHAIN_IMPL_HERMETIC_HPP

#include <vitte/sys/path.hpp>
#include <vitte/sys/path_ops.hpp>  // canonical

#include <chrono>
#include <utility>  // std::move

namespace vitte::toolchain {

namespace detail {

// Each line of `s` with its spaces around taken off, to `f`.
template <class F>
void each_line(text_view s, F f) {
  while (!s.empty()) {
    const std::size_t nl = s.find('\n');
    text_view line = s.substr(0, nl);
    s = nl == text_view::npos ? text_view{} : s.substr(nl + 1);
    while (!line.empty() && (line.front() == ' ' || line.back() == ' ' || line.back() == '\r'))
      line = line.front() == ' ' ? line.substr(1) : line.substr(0, line.size() - 1);
    f(line);
  }
}

inline void add_once(buffer<text>& to, text_view path) {
  if (path.empty()) return;
  for (const text& t : to)
    if (t.view() == path) return;
  to.emplace_back(path);
}

// What `program ARGS...` prints (stdout then stderr), within 30 s.
template <class P>
result<text> ask(const text& program, std::initializer_list<text_view> args) {
  auto out = sys::basic_command<P>(program)
                 .args(args)
                 .env("LANG", "C")
                 .env("LC_ALL", "C")
                 .in(sys::stdio::null())
                 .output(sys::basic_deadline<P>::after(std::chrono::seconds(30)), 1 << 20);
  if (!out) return out.error();
  text all = std::move(out->out);
  all.append(out->err);
  return all;
}

}  // namespace detail

template <class P>
result<compiler_reach> find_compiler_reach(text_view compiler, text_view language) {
  auto program = sys::find_program<P>(compiler);
  if (!program) return program.error();
  compiler_reach c;
  c.program = std::move(*program);
  // The include search list, between its two markers.
  auto verbose = detail::ask<P>(c.program, {"-E", "-v", "-x", language, "/dev/null"});
  if (!verbose) return verbose.error();
  bool listing = false, listed = false;
  detail::each_line(*verbose, [&](text_view line) {
    if (line.starts_with("#include ") && line.ends_with("search starts here:")) {
      listing = listed = true;
    } else if (line == "End of search list.") {
      listing = false;
    } else if (listing) {
      const std::size_t note = line.find(" (framework directory)");
      detail::add_once(c.read, note == text_view::npos ? line : line.substr(0, note));
    }
  });
  if (!listed) return error{errc::malformed, ops::toolchain};
  // Its programs: where it is, what it really is, and what it says.
  detail::add_once(c.exec, sys::parent_path(c.program));
  if (auto real = sys::canonical<P>(c.program.c_str())) {
    const text_view dir = sys::parent_path(*real);
    detail::add_once(c.exec, dir);
    const text_view home = sys::parent_path(dir);
    if (sys::file_name(dir) == "bin" && home != "/usr" && home != "/" && !home.empty()) detail::add_once(c.exec, home);
  }
  if (auto dirs = detail::ask<P>(c.program, {"-print-search-dirs"})) {
    detail::each_line(*dirs, [&](text_view line) {
      const bool install = line.starts_with("install: ");
      if (!install && !line.starts_with("programs: ")) return;
      text_view list = line.substr(install ? 9 : 10);
      if (list.starts_with("=")) list = list.substr(1);
      while (!list.empty()) {
        const std::size_t colon = list.find(':');
        detail::add_once(c.exec, list.substr(0, colon));
        list = colon == text_view::npos ? text_view{} : list.substr(colon + 1);
      }
    });
  }
  for (text_view dir : {"/usr/lib/gcc", "/usr/libexec", "/lib64", "/usr/lib64"}) detail::add_once(c.exec, dir);
  // The loader's directories for the compiler's own target.
  if (auto triple = detail::ask<P>(c.program, {"-print-multiarch"})) {
    text_view t = *triple;
    t = t.substr(0, t.find('\n'));
    if (!t.empty() && t.find('/') == text_view::npos && t.find(' ') == text_view::npos) {
      for (text_view root : {"/lib/", "/usr/lib/"}) {
        text dir(root);
        dir.append(t);
        detail::add_once(c.exec, dir);
      }
    }
  }
  detail::add_once(c.read, "/etc/ld.so.cache");
  return c;
}

template <class P>
result<hermetic_report> run_hermetic(const compiler_reach& c, const sys::basic_command<sys::sandboxed<P>>& cmd,
                                     const hermetic_step& step, const basic_run_options<P>& o) {
  sys::basic_sandbox<P> box;
  for (const text& t : c.exec) box.allow_exec(t);
  for (const text& t : c.read) box.allow_read(t);
  for (const text& t : step.inputs) box.allow_read(t);
  for (const text& t : step.outputs) box.allow_write(t);
  box.allow_read("/dev/urandom").allow_write("/dev/null");
  box.network(sys::sandbox_network::none).namespaces(false);
  box.clear_environment({"PATH", "LANG", "LC_ALL", "SOURCE_DATE_EPOCH", "TMPDIR"});
  sys::basic_command<sys::sandboxed<P>> sealed = cmd;
  if (!step.outputs.empty()) sealed.env("TMPDIR", step.outputs[0]);
  hermetic_report r;
  r.run.command_line = sealed.command_line();
  auto out = box.output(sealed, o.deadline, o.output_limit);
  if (!out) {
    if (out.error() != errc::timed_out) return out.error();
    r.run.timed_out = true;
    r.sandbox = box.last_report();
    return r;
  }
  r.sandbox = out->report;
  if (r.sandbox[sys::sandbox_layer::landlock_fs].state != sys::layer_state::applied)
    return error{errc::not_supported, sys::ops::process_spawn};
  r.run.status = out->output.status;
  r.run.out = std::move(out->output.out);
  r.run.err = std::move(out->output.err);
  if (!r.run.status.success()) {
    r.outside = refused_files(r.run.err);
    for (text& f : refused_files(r.run.out)) detail::add_once(r.outside, f);
  }
  return r;
}

}  // namespace vitte::toolchain

#endif  // VITTE_TOOLCHAIN_IMPL_HERMETIC_HPP
