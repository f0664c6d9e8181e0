// The template bodies of vitte/toolchain/distcc.hpp (the others: impl/distcc.ipp).
#ifndef VITTE_TOOLCHAIN_IMPL_DISTCC_HPP
#define VITTE_TOOLCHAIN_IMPL_DISTCC_HPP

#include <vitte/base/config.hpp>
#include <vitte/sys/metadata.hpp>    // lstat
#include <vitte/sys/path.hpp>        // path_join, file_name
#include <vitte/sys/path_ops.hpp>    // canonical, read_symlink
#include <vitte/sys/whole_file.hpp>  // atomic_replace
#include <vitte/toolchain/detail/distcc_args.hpp>
#include <vitte/toolchain/run.hpp>

#include <mutex>  // std::unique_lock

namespace vitte::toolchain {

template <class P>
result<text> distcc_compiler_name(text_view compiler) {
  // A C++ driver is one whose name holds "++" (c++, g++-12, clang++).
  const auto cxx = [](text_view name) { return name.find("++") != text_view::npos; };
  const bool want_cxx = cxx(sys::file_name(compiler));
  text at(compiler), chosen(sys::file_name(compiler));
  for (int links = 0; links < 40; ++links) {
    auto next = sys::read_symlink<P>(at);
    if (!next) break;  // not a link: the end of the chain
    text target = std::move(*next);
    if (!text_view(target).starts_with("/")) target = sys::path_join(sys::parent_path(at), target);
    at = std::move(target);
    if (cxx(sys::file_name(at)) == want_cxx) chosen = text(sys::file_name(at));
  }
  if (auto real = sys::canonical<P>(at); !real) return real.error();
  return chosen;
}

template <class P>
struct basic_compile_pool<P>::server {
  distcc_host host;
  text where;
  buffer<sys::socket_address> address;  // resolved once
  unsigned running = 0;
  std::uint64_t compiled = 0, failed = 0;
  sys::basic_deadline<P> aside_until = sys::basic_deadline<P>::at_ns(0);
  text last_trouble;
};

template <class P>
struct basic_compile_pool<P>::state {
  compile_pool_options o;
  buffer<server> servers;
  mutable sys::basic_mutex<P> m;
  sys::basic_condition_variable<P> freed;
  unsigned local_running = 0;
  compile_pool_stats stats;
  std::size_t next = 0;  // round robin among equals
};

namespace detail {

// `from` (a server's stderr or stdout) appended to `to` with every control
// byte but the newline escaped (\xHH): a server's text cannot move the
// cursor, retitle the window or redraw a line of the user's terminal.
VITTE_DECL void append_printable(text& to, text_view from);

// A port number in decimal.
VITTE_DECL text port_text(std::uint16_t port);

// `job`'s compiler with `args`, where and as `job` runs it.
template <class P>
sys::basic_command<P> compiler_command(const compile_job& job, const buffer<text>& args) {
  sys::basic_command<P> cmd(job.compiler);
  cmd.args(args).cwd(job.cwd);
  for (const text& e : job.env) {
    const text_view v(e);
    const std::size_t eq = v.find('=');
    cmd.env(v.substr(0, eq), eq == text_view::npos ? text_view() : v.substr(eq + 1));
  }
  return cmd;
}

// One run of the compiler here, as the outcome of `job`.
template <class P>
result<compile_outcome> compile_here(const compile_job& job, sys::basic_deadline<P> d, compile_outcome o) {
  basic_run_options<P> ro;
  ro.deadline = d;
  auto r = run<P>(compiler_command<P>(job, job.args), ro);
  if (!r) return r.error();
  o.status = r->status;
  o.out = std::move(r->out);
  o.err = std::move(r->err);
  o.timed_out = r->timed_out;
  o.where = text("local");
  return o;
}

}  // namespace detail

template <class P>
basic_compile_pool<P>::basic_compile_pool(compile_pool_options o) : s_(new state) {
  s_->o = std::move(o);
  for (const distcc_host& h : s_->o.servers) {
    server sv;
    sv.host = h;
    sv.where = h.name;
    if (text_view(h.name).find(':') != text_view::npos) {
      sv.where = text("[");
      sv.where.append(h.name).append("]");
    }
    sv.where.append(":").append(text_view(detail::port_text(h.port)));
    s_->servers.push_back(std::move(sv));
  }
}

template <class P>
basic_compile_pool<P>::~basic_compile_pool() = default;

template <class P>
result<compile_outcome> basic_compile_pool<P>::compile(const compile_job& job, sys::basic_deadline<P> d) {
  state& s = *s_;
  compile_outcome o;
  // The compiler as servers know it; Clang also behind a name like "cc".
  auto compiler_name = distcc_compiler_name<P>(job.compiler);
  const bool clang = sys::file_name(job.compiler).find("clang") != text_view::npos ||
                     (compiler_name && text_view(*compiler_name).find("clang") != text_view::npos);
  const detail::distcc_split split =
      detail::split_for_distcc(span<const text>(job.args.data(), job.args.size()), clang);
  // Waits for a slot: a server's (its index) or one here (`here`); false
  // when `d` passes first. A server is a candidate when it was not tried
  // for this compile, is not set aside, and has a free slot; the least
  // loaded (running / limit) wins. Without servers allowed or left to try,
  // the compile takes a slot here (with no local slots, here it is at once:
  // a pool never waits for servers that cannot come back).
  constexpr std::size_t here = static_cast<std::size_t>(-1);
  buffer<std::size_t> tried;
  const auto was_tried = [&](std::size_t i) {
    for (std::size_t t : tried)
      if (t == i) return true;
    return false;
  };
  const auto take_slot = [&](bool servers_allowed, std::size_t& slot) -> bool {
    std::unique_lock<sys::basic_mutex<P>> lock(s.m);
    for (;;) {
      std::size_t best = here;
      bool some_left = false;  // a server that may free a slot
      for (std::size_t k = 0; servers_allowed && k < s.servers.size(); ++k) {
        const std::size_t i = (s.next + k) % s.servers.size();
        const server& sv = s.servers[i];
        if (was_tried(i) || !sv.aside_until.expired()) continue;
        some_left = true;
        if (sv.running >= sv.host.limit) continue;
        if (best == here || sv.running * s.servers[best].host.limit < s.servers[best].running * sv.host.limit) best = i;
      }
      if (best != here) {
        ++s.servers[best].running;
        s.next = best + 1;
        slot = best;
        return true;
      }
      if (s.local_running < s.o.local_slots || (s.o.local_slots == 0 && !some_left)) {
        ++s.local_running;
        slot = here;
        return true;
      }
      if (!s.freed.wait_until(lock, d)) return false;
    }
  };
  const auto give_back = [&](std::size_t slot) {
    {
      std::lock_guard<sys::basic_mutex<P>> lock(s.m);
      if (slot == here)
        --s.local_running;
      else
        --s.servers[slot].running;
    }
    s.freed.notify_all();
  };
  const auto run_here = [&](text_view why) -> result<compile_outcome> {
    std::size_t slot = here;
    if (!take_slot(false, slot)) return error{errc::timed_out};
    o.why_local = text(why);
    auto r = detail::compile_here<P>(job, d, std::move(o));
    give_back(slot);
    std::lock_guard<sys::basic_mutex<P>> lock(s.m);
    ++s.stats.local;
    return r;
  };

  if (!split.why_local.empty()) return run_here(split.why_local);
  if (s.servers.empty()) return run_here("no server in the pool");

  // Preprocessed here, into memory (the compiler's stdout).
  text preprocessed;
  {
    basic_run_options<P> ro;
    ro.deadline = d;
    ro.output_limit = s.o.max_source + 1;
    auto r = run<P>(detail::compiler_command<P>(job, split.preprocess), ro);
    if (!r) return r.error();
    if (r->timed_out || !r->status.success()) {
      // The preprocessor's own failure is the compile's.
      o.status = r->status;
      o.err = std::move(r->err);
      o.timed_out = r->timed_out;
      o.where = text("local");
      o.why_local = text("preprocessing failed");
      std::lock_guard<sys::basic_mutex<P>> lock(s.m);
      ++s.stats.local;
      return o;
    }
    if (r->out.size() > s.o.max_source) return run_here("the preprocessed source is over max_source");
    preprocessed = std::move(r->out);
    o.err = std::move(r->err);  // the preprocessor's warnings
  }
  const text_view source_text(preprocessed);
  if (!compiler_name) return run_here("the compiler's file could not be resolved");
  buffer<text> argv;
  argv.push_back(std::move(*compiler_name));
  for (const text& a : split.server) argv.push_back(a);
  text head;
  if (!detail::distcc_request_head(head, argv, source_text.size()))
    return run_here("an argument too long for distcc's protocol");
  const text object_path = sys::path_join(job.cwd, split.object);
  // Written by renaming over it: a link, a device (-o /dev/null) or a
  // directory there would be replaced, where the compiler writes through it.
  if (auto st = sys::lstat<P>(object_path); st && st->type != sys::file_type::regular)
    return run_here("the object's path is not a regular file (a link, a device or a directory)");

  for (unsigned attempt = 0; attempt < s.o.tries; ++attempt) {
    std::size_t slot = here;
    if (!take_slot(true, slot)) return error{errc::timed_out};
    if (slot == here) {
      o.why_local = text(attempt == 0 ? "every server slot busy or set aside" : "no other server to try");
      auto r = detail::compile_here<P>(job, d, std::move(o));
      give_back(slot);
      std::lock_guard<sys::basic_mutex<P>> lock(s.m);
      ++s.stats.local;
      return r;
    }
    tried.push_back(slot);
    server& sv = s.servers[slot];
    // One attempt; `trouble` empty when the server answered well.
    text trouble;
    detail::distcc_reply reply;
    const auto attempt_deadline = sys::basic_deadline<P>::earliest(d, sys::basic_deadline<P>::after(s.o.job_timeout));
    {
      buffer<sys::socket_address> addr;
      {
        std::lock_guard<sys::basic_mutex<P>> lock(s.m);
        addr = sv.address;
      }
      if (addr.empty()) {
        auto found = sys::resolve<P>(sv.host.name, text_view(detail::port_text(sv.host.port)));
        if (found && !found->empty()) {
          addr = std::move(*found);
          std::lock_guard<sys::basic_mutex<P>> lock(s.m);
          sv.address = addr;
        } else {
          trouble = text("its name does not resolve");
        }
      }
      result<sys::basic_socket<P>> sock = error{errc::not_found};
      if (trouble.empty()) {
        const auto connect_by =
            sys::basic_deadline<P>::earliest(attempt_deadline, sys::basic_deadline<P>::after(s.o.connect_timeout));
        // Non-blocking, so that every send and receive keeps the deadline
        // (a blocking send to a server that stopped reading never returns).
        // Each address in turn (a name may give ::1 before 127.0.0.1).
        for (const sys::socket_address& a : addr) {
          sock = sys::basic_socket<P>::connect_to(a, connect_by, true);
          if (sock || connect_by.expired()) break;
        }
        if (!sock) {
          trouble = text("connect: ");
          trouble.append(sock.error().message().view());
        }
      }
      if (trouble.empty()) {
        auto sent = sock->send_all(text_view(head), attempt_deadline);
        if (sent)
          sent = sock->send_all(
              span<const std::byte>(reinterpret_cast<const std::byte*>(source_text.data()), source_text.size()),
              attempt_deadline);
        if (!sent) {
          trouble = text("sending the source: ");
          trouble.append(sent.error().message().view());
        }
      }
      if (trouble.empty()) {
        diagnostic why;
        auto got = detail::read_distcc_reply(
            [&](std::byte* p, std::size_t n) -> status {
              return sock->receive_exact(span<std::byte>(p, n), attempt_deadline);
            },
            s.o.limits, reply, why);
        if (!got) {
          trouble = text(got.error() == errc::timed_out ? "timed out waiting for the answer: " : "its answer: ");
          const diagnostic_line line = why.format();
          trouble.append(line.view());
        }
      }
    }
    if (trouble.empty() && reply.status == 0) {
      diagnostic bad;
      if (!object_is_whole(span<const std::byte>(reply.object.data(), reply.object.size()), &bad)) {
        trouble = text("it sent an object that is not whole: ");
        const diagnostic_line line = bad.format();
        trouble.append(line.view());
      }
    }
    if (trouble.empty() && reply.status == 0) {
      if (auto ok = sys::atomic_replace<P>(object_path, span<const std::byte>(reply.object.data(), reply.object.size()),
                                           sys::replace_options{sys::keep_permissions, false});
          !ok) {
        // Not the server's fault: the compile here says what is wrong.
        give_back(slot);
        return run_here("the object could not be written where -o says");
      }
    }
    if (!trouble.empty() && d.expired()) {
      // The caller's deadline passed: that is no fault of the server's.
      give_back(slot);
      o.timed_out = true;
      o.status = sys::exit_status{sys::exit_status::how::exited, -1};
      o.where = sv.where;
      return o;
    }
    {
      std::lock_guard<sys::basic_mutex<P>> lock(s.m);
      if (trouble.empty()) {
        ++sv.compiled;
      } else {
        ++sv.failed;
        ++s.stats.retried;
        sv.last_trouble = trouble;
        sv.aside_until = sys::basic_deadline<P>::after(s.o.backoff);
      }
    }
    give_back(slot);
    if (!trouble.empty()) {
      o.retried.push_back(compile_attempt{sv.where, std::move(trouble)});
      continue;
    }
    o.sent = source_text.size();
    o.received = reply.object.size();
    if (reply.status != 0 && s.o.confirm_failures) {
      {
        std::lock_guard<sys::basic_mutex<P>> lock(s.m);
        ++s.stats.confirmed;
      }
      text why("it failed on ");
      why.append(sv.where).append(": run here to confirm");
      return run_here(why);
    }
    o.status = reply.status == 0 ? sys::exit_status{}
               : (reply.status & 0x7f) != 0
                   ? sys::exit_status{sys::exit_status::how::signaled, static_cast<int>(reply.status & 0x7f)}
                   : sys::exit_status{sys::exit_status::how::exited, static_cast<int>((reply.status >> 8) & 0xff)};
    detail::append_printable(o.err, reply.err);
    detail::append_printable(o.out, reply.out);
    o.where = sv.where;
    std::lock_guard<sys::basic_mutex<P>> lock(s.m);
    ++s.stats.remote;
    return o;
  }
  return run_here("every server tried failed");
}

template <class P>
buffer<compile_server_state> basic_compile_pool<P>::servers() const {
  buffer<compile_server_state> out;
  std::lock_guard<sys::basic_mutex<P>> lock(s_->m);
  for (const server& sv : s_->servers)
    out.push_back(compile_server_state{sv.where, sv.host.limit, sv.running, sv.compiled, sv.failed,
                                       !sv.aside_until.expired(), sv.last_trouble});
  return out;
}

template <class P>
compile_pool_stats basic_compile_pool<P>::stats() const {
  std::lock_guard<sys::basic_mutex<P>> lock(s_->m);
  return s_->stats;
}

template <class P>
result<buffer<distcc_probe>> probe_distcc_hosts(span<const distcc_host> servers, text_view compiler, text_view scratch,
                                                std::chrono::milliseconds timeout) {
  const text source = sys::path_join(scratch, "vitte-probe.c");
  if (auto ok = sys::write_file(source, text_view("int vitte_probe(int x) { return x + 1; }\n")); !ok)
    return ok.error();
  buffer<distcc_probe> out;
  for (const distcc_host& h : servers) {
    compile_pool_options o;
    o.servers.push_back(h);
    o.local_slots = 0;
    o.tries = 1;
    o.job_timeout = timeout;
    o.connect_timeout = timeout;
    o.confirm_failures = false;
    basic_compile_pool<P> pool(std::move(o));
    compile_job job{text(compiler), {}, text(scratch), {text("LANG=C")}};
    for (text_view a : {"-c", "-O2", "-o", "vitte-probe.o", "vitte-probe.c"}) job.args.push_back(text(a));
    distcc_probe probe;
    probe.where = pool.servers()[0].where;
    const auto started = sys::basic_clock<P, sys::clock_id::monotonic>::now();
    auto r = pool.compile(job, sys::basic_deadline<P>::after(timeout * 2));
    probe.round_trip = sys::basic_clock<P, sys::clock_id::monotonic>::now() - started;
    if (!r) {
      probe.trouble = text(r.error().message().view());
    } else if (!r->retried.empty()) {
      probe.trouble = std::move(r->retried[0].trouble);
    } else if (!r->why_local.empty()) {
      probe.trouble = std::move(r->why_local);
    } else if (!r->status.success()) {
      probe.trouble = text("the compile failed there (is the compiler installed and named in /usr/lib/distcc?): ");
      probe.trouble.append(r->err);
      while (!probe.trouble.empty() && probe.trouble.back() == '\n') probe.trouble.pop_back();
    } else {
      probe.ok = true;
    }
    out.push_back(std::move(probe));
  }
  return out;
}

}  // namespace vitte::toolchain

#endif  // VITTE_TOOLCHAIN_IMPL_DISTCC_HPP
