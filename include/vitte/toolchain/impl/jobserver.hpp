// vitte/toolchain/impl/jobserver.hpp - basic_jobserver: MAKEFLAGS read,
// the pipe opened, and the thread that takes tokens.
#ifndef VITTE_TOOLCHAIN_IMPL_JOBSERVER_HPP
#define VITTE_TOOLCHAIN_IMPL_JOBSERVER_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/detail/chrono.hpp>  // how long shut_down() waits for a read
#include <vitte/sys/condition_variable.hpp>
#include <vitte/sys/environment.hpp>
#include <vitte/sys/file.hpp>
#include <vitte/sys/metadata.hpp>  // a FIFO's type
#include <vitte/sys/mutex.hpp>
#include <vitte/sys/poller.hpp>
#include <vitte/sys/thread.hpp>

#include <charconv>  // serve()'s MAKEFLAGS
#include <cstddef>
#include <cstdint>
#include <mutex>  // std::unique_lock
#include <vector>

namespace vitte::toolchain {
namespace detail {

// What the client and its reader thread share.
template <class P>
struct jobserver_state {
  sys::basic_file<P> in;        // the read end
  sys::basic_file<P> out;       // the write end
  bool owned = false;           // opened here (a FIFO): closed at the end; inherited descriptors are left open
  sys::basic_poller<P> poller;  // the read end becoming readable, or wake() at the end
  sys::basic_mutex<P> m;
  sys::basic_condition_variable<P> cv;
  sys::basic_thread<P> reader;
  unsigned wanted = 0;           // requests not yet served
  std::vector<std::byte> ready;  // tokens read, not taken yet
  std::vector<std::byte> taken;  // tokens taken, not given back yet
  bool in_read = false;          // the reader is (about to be) in read()
  bool woken_by_byte = false;    // shut_down() wrote a byte to end a read that waits
  bool stop = false;
  bool dead = false;  // the pipe failed: no more tokens come
  std::function<void()> arrived;

  ~jobserver_state() {
    if (!owned) {
      (void)in.release();
      (void)out.release();
    }
  }

  void write_back(std::byte b) { (void)out.write(span<const std::byte>(&b, 1)); }

  // Waits (in the poller, which wake() interrupts) until the pipe has a
  // byte, then reads one. make 4.3 leaves the pipe non-blocking: another
  // client may take the byte first (would_block), then we wait again. On a
  // blocking pipe the read itself may then wait for the next token.
  void run() {
    sys::poll_event events[2];
    for (;;) {
      std::unique_lock<sys::basic_mutex<P>> hold(m);
      while (!stop && wanted == 0) cv.wait(hold);
      if (stop) return;
      hold.unlock();
      auto ready_now = poller.wait(span<sys::poll_event>(events, 2));
      hold.lock();
      if (stop) return;
      if (!ready_now) {
        dead = true;
        wanted = 0;
        return;
      }
      if (ready_now->empty()) continue;  // woken for nothing
      in_read = true;
      hold.unlock();
      std::byte b{'+'};
      const result<std::size_t> n = in.read_some(span<std::byte>(&b, 1));
      hold.lock();
      in_read = false;
      cv.notify_all();  // shut_down() may wait for the read to end
      if (!n && n.error() == errc::would_block) continue;
      if (!n || *n == 0) {
        dead = true;
        wanted = 0;
        return;
      }
      // Stopping: when shut_down() wrote a byte to end this read, the byte
      // read balances it (whichever of the two it is); otherwise it is a
      // token, and goes back. Either way the pipe keeps its count.
      if (stop) {
        if (!woken_by_byte) write_back(b);
        return;
      }
      if (wanted == 0) {  // withdrawn while we waited
        write_back(b);
        continue;
      }
      --wanted;
      ready.push_back(b);
      std::function<void()> call = arrived;
      hold.unlock();
      if (call) call();
    }
  }

  void shut_down() {
    bool write_wake = false;
    {
      std::unique_lock<sys::basic_mutex<P>> hold(m);
      stop = true;
      for (std::byte b : ready) write_back(b);
      for (std::byte b : taken) write_back(b);
      ready.clear();
      taken.clear();
      // A read on a non-blocking pipe (make 4.3) ends at once: wait for it,
      // and the reader gives back what it read. Rare: the poller said
      // readable, another client took the byte, and a read on a blocking
      // pipe now waits for the next one. A byte written here ends it, and
      // the reader drops the one it reads: the count holds.
      (void)cv.wait_for(hold, std::chrono::seconds(2), [&] { return !in_read; });
      write_wake = woken_by_byte = in_read;
    }
    cv.notify_all();
    (void)poller.wake();
    if (write_wake) write_back(std::byte{'+'});
    if (reader.joinable()) (void)reader.join();
  }
};

// A note as it may be printed: MAKEFLAGS is anyone's text, so its control
// bytes (a terminal's escape sequences) come out as \xNN.
VITTE_DECL text shown_note(text_view raw);

// "R,W" as two non-negative descriptors.
VITTE_DECL bool jobserver_descriptors(text_view s, std::uint64_t& r, std::uint64_t& w);

}  // namespace detail

template <class P>
basic_jobserver<P>& basic_jobserver<P>::operator=(basic_jobserver&& o) noexcept {
  if (this != &o) {
    if (state_) state_->shut_down();
    state_ = static_cast<std::shared_ptr<detail::jobserver_state<P>>&&>(o.state_);
    note_ = static_cast<text&&>(o.note_);
  }
  return *this;
}

template <class P>
basic_jobserver<P>::~basic_jobserver() {
  if (state_) state_->shut_down();
}

template <class P>
basic_jobserver<P> basic_jobserver<P>::from_environment() {
  result<text> flags = sys::get_env("MAKEFLAGS");
  return from_makeflags(flags ? text_view(*flags) : text_view());
}

template <class P>
basic_jobserver<P> basic_jobserver<P>::from_makeflags(text_view makeflags) {
  // The last --jobserver-auth (or the older --jobserver-fds) wins; words
  // after "--" are variable assignments.
  text_view auth;
  bool named = false;
  while (!makeflags.empty()) {
    const std::size_t space = makeflags.find(' ');
    const text_view word = makeflags.substr(0, space);
    makeflags = space == text_view::npos ? text_view() : makeflags.substr(space + 1);
    if (word == "--") break;
    for (text_view prefix : {text_view("--jobserver-auth="), text_view("--jobserver-fds=")})
      if (word.starts_with(prefix)) {
        auth = word.substr(prefix.size());
        named = true;
      }
  }
  basic_jobserver js;
  if (!named) return js;
  if (auth.empty()) {
    js.note_ = detail::shown_note("MAKEFLAGS names an empty jobserver: running without it");
    return js;
  }
  auto state = std::make_shared<detail::jobserver_state<P>>();
  std::uint64_t r = 0, w = 0;
  if (VITTE_OS_POSIX && auth.starts_with("fifo:")) {
    const text path(auth.substr(5));
    // Only a FIFO: a regular file or a device would be read as tokens and
    // written over.
    auto kind = sys::stat<P>(path.c_str());
    if (kind && kind->type != sys::file_type::fifo) {
      js.note_ = detail::shown_note(text("make's jobserver ") + path + " is not a FIFO: running without it");
      return js;
    }
    auto in = sys::basic_file<P>::open(path, sys::open_mode::read | sys::open_mode::write);
    auto out = in ? sys::basic_file<P>::open(path, sys::open_mode::read | sys::open_mode::write) : in.error();
    if (!in || !out) {
      js.note_ = detail::shown_note(text("make's jobserver FIFO ") + path + " cannot be opened (" +
                                    (in ? out.error() : in.error()).message().view() + "): running without it");
      return js;
    }
    state->in = static_cast<sys::basic_file<P>&&>(*in);
    state->out = static_cast<sys::basic_file<P>&&>(*out);
    state->owned = true;
    auto st = state->in.stat();
    if (!st || st->type != sys::file_type::fifo) {
      js.note_ = detail::shown_note(text("make's jobserver ") + path + " is not a FIFO: running without it");
      return js;
    }
  } else if (VITTE_OS_POSIX && detail::jobserver_descriptors(auth, r, w)) {
    state->in = sys::basic_file<P>(static_cast<sys::native_handle>(r));
    state->out = sys::basic_file<P>(static_cast<sys::native_handle>(w));
    auto rs = state->in.stat();
    auto ws = state->out.stat();
    if (!rs || !ws || rs->type != sys::file_type::fifo || ws->type != sys::file_type::fifo) {
      js.note_ = detail::shown_note(
          text("make's jobserver descriptors ") + auth +
          " are not open pipes here (make passes them only to recipes marked '+' or running $(MAKE)): "
          "running without it");
      return js;  // the state releases them unclosed
    }
  } else {
    js.note_ =
        detail::shown_note(text("make's jobserver \"") + auth +
                           "\" is not one this client opens (descriptors R,W or fifo:PATH)" + ": running without it");
    return js;
  }
  return started(static_cast<std::shared_ptr<detail::jobserver_state<P>>&&>(state));
}

template <class P>
result<basic_jobserver<P>> basic_jobserver<P>::serve(unsigned jobs) {
  if (!VITTE_OS_POSIX) return error{errc::not_supported, sys::ops::pipe_create};
  sys::native_handle ends[2];
  if (error e = P::pipe_create(ends, false)) return e;  // both close-on-exec: commands get them through pass()
  auto state = std::make_shared<detail::jobserver_state<P>>();
  state->in = sys::basic_file<P>(ends[0]);
  state->out = sys::basic_file<P>(ends[1]);
  state->owned = true;
  // jobs - 1 tokens: every process runs one job without one. At most 4096,
  // which a pipe holds without blocking.
  const unsigned tokens = jobs == 0 ? 0 : jobs - 1 > 4096 ? 4096 : jobs - 1;
  const std::vector<std::byte> bytes(tokens, std::byte{'+'});
  if (status s = state->out.write(span<const std::byte>(bytes.data(), bytes.size())); !s) return s.error();
  basic_jobserver js = started(static_cast<std::shared_ptr<detail::jobserver_state<P>>&&>(state));
  if (!js.active()) return error{errc::limit_exceeded, sys::ops::pipe_create};  // no thread or poller to read it
  char digits[16];
  const auto n = std::to_chars(digits, digits + sizeof digits, jobs);
  js.makeflags_ = text(" -j") + text_view(digits, static_cast<std::size_t>(n.ptr - digits)) + " --jobserver-auth=3,4";
  return js;
}

template <class P>
sys::native_handle basic_jobserver<P>::read_end() const noexcept {
  return state_ && !makeflags_.empty() ? state_->in.native() : sys::invalid_handle;
}

template <class P>
sys::native_handle basic_jobserver<P>::write_end() const noexcept {
  return state_ && !makeflags_.empty() ? state_->out.native() : sys::invalid_handle;
}

template <class P>
basic_jobserver<P> basic_jobserver<P>::started(std::shared_ptr<detail::jobserver_state<P>> state) {
  basic_jobserver js;
  auto poller = sys::basic_poller<P>::create();
  if (!poller || !poller->add(state->in.native(), sys::io_events::readable, 1)) {
    js.note_ = detail::shown_note(text("make's jobserver: its pipe cannot be watched: running without it"));
    return js;
  }
  state->poller = static_cast<sys::basic_poller<P>&&>(*poller);
  auto th = sys::basic_thread<P>::spawn([s = state.get()] { s->run(); });
  if (!th) {
    js.note_ = detail::shown_note(text("make's jobserver: no thread to read it (") + th.error().message().view() +
                                  "): running without it");
    return js;
  }
  state->reader = static_cast<sys::basic_thread<P>&&>(*th);
  js.state_ = static_cast<std::shared_ptr<detail::jobserver_state<P>>&&>(state);
  return js;
}

template <class P>
void basic_jobserver<P>::request() {
  if (!state_) return;
  {
    std::unique_lock<sys::basic_mutex<P>> hold(state_->m);
    if (state_->dead) return;
    ++state_->wanted;
  }
  state_->cv.notify_all();
}

template <class P>
bool basic_jobserver<P>::take() {
  if (!state_) return false;
  std::unique_lock<sys::basic_mutex<P>> hold(state_->m);
  if (state_->ready.empty()) return false;
  state_->taken.push_back(state_->ready.back());
  state_->ready.pop_back();
  return true;
}

template <class P>
void basic_jobserver<P>::give_back() {
  if (!state_) return;
  std::unique_lock<sys::basic_mutex<P>> hold(state_->m);
  if (state_->taken.empty()) return;
  state_->write_back(state_->taken.back());
  state_->taken.pop_back();
}

template <class P>
void basic_jobserver<P>::cancel_requests() {
  if (!state_) return;
  std::unique_lock<sys::basic_mutex<P>> hold(state_->m);
  state_->wanted = 0;
  for (std::byte b : state_->ready) state_->write_back(b);
  state_->ready.clear();
}

template <class P>
void basic_jobserver<P>::on_arrival(std::function<void()> arrived) {
  if (!state_) return;
  std::unique_lock<sys::basic_mutex<P>> hold(state_->m);
  state_->arrived = static_cast<std::function<void()>&&>(arrived);
}

}  // namespace vitte::toolchain

#endif  // VITTE_TOOLCHAIN_IMPL_JOBSERVER_HPP
