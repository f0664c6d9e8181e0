// vitte/toolchain/jobserver.hpp - GNU make's jobserver, as a client: a
// build run by `make -jN` shares make's budget of N jobs.
//
//   namespace toolchain = vitte::toolchain;
//   toolchain::jobserver js = toolchain::jobserver::from_environment();   // MAKEFLAGS
//   if (!js.active() && !js.note().empty()) std::fprintf(stderr, "%s\n", js.note().data());
//   toolchain::schedule_options o;
//   o.tokens = js.active() ? &js : nullptr;
//
// serve() is the other side: `vitte build -j N` hands the commands it
// runs a jobserver of its own, so that a `make` among them shares the N.
//
// make announces its jobserver in MAKEFLAGS to the recipes it marks as
// recursive ("+" or $(MAKE)): `--jobserver-auth=R,W` (two inherited
// descriptors of one pipe, make 4.2-4.3; `--jobserver-fds=R,W` before) or
// `--jobserver-auth=fifo:PATH` (make 4.4). The pipe holds N-1 tokens, one
// byte each; every process runs one job for free and takes a token for each
// job beyond that, and writes it back when that job ends. run_schedule()
// (vitte/toolchain/schedule.hpp) does exactly that with a jobserver given.
//
// A jobserver that MAKEFLAGS names but that cannot be used (descriptors
// make closed because the rule was not marked recursive, a FIFO that is
// gone) leaves the client inactive, with a note saying why, as make's own
// "jobserver unavailable" warning does; the build then runs with its own job
// count. On Windows make's jobserver is a named semaphore, which this client
// does not open: it stays inactive, with that note.
//
// Tokens are taken by a thread of the client's own (reading a pipe blocks),
// and every token taken is written back, at the latest when the client is
// destroyed: the pipe never loses a token, whatever the build did.
// Thread safety: request(), take() and give_back() may be called from any
// thread.
#ifndef VITTE_TOOLCHAIN_JOBSERVER_HPP
#define VITTE_TOOLCHAIN_JOBSERVER_HPP

#include <vitte/base.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/sys/platform.hpp>

#include <functional>  // the arrival callback
#include <memory>      // the shared state of the reader thread

namespace vitte::toolchain {

namespace detail {
template <class P>
struct jobserver_state;
}

/// A client of make's jobserver (see the header). Move-only.
template <class P = sys::platform>
class basic_jobserver {
 public:
  /// No jobserver: inactive, no note.
  basic_jobserver() noexcept = default;
  basic_jobserver(basic_jobserver&&) noexcept = default;
  basic_jobserver& operator=(basic_jobserver&& o) noexcept;
  ~basic_jobserver();

  /// The jobserver MAKEFLAGS announces (inactive when it names none).
  static basic_jobserver from_environment();
  /// The jobserver `makeflags` announces (inactive when it names none).
  static basic_jobserver from_makeflags(text_view makeflags);
  /// A jobserver of our own for `jobs` jobs at once (the server's side,
  /// as `make -jN` is): a pipe holding jobs - 1 tokens (at most 4096), this
  /// client taking from it as from make's. The commands run share it when
  /// given its ends as their descriptors 3 and 4 (sys::basic_command::pass)
  /// with MAKEFLAGS set to makeflags(), " -jN --jobserver-auth=3,4", which
  /// GNU make 4.3 and 4.4 read as their parent's jobserver. Errors:
  /// pipe_create; not_supported on Windows (make's is a semaphore there).
  static result<basic_jobserver> serve(unsigned jobs);
  /// serve()'s pipe: its read and write ends (invalid_handle otherwise).
  sys::native_handle read_end() const noexcept;
  sys::native_handle write_end() const noexcept;
  /// serve()'s MAKEFLAGS for the commands (empty otherwise).
  text_view makeflags() const noexcept { return makeflags_; }

  /// True when tokens can be taken.
  bool active() const noexcept { return state_ != nullptr; }
  /// Why a jobserver MAKEFLAGS names is not used; empty otherwise.
  text_view note() const noexcept { return note_; }

  /// Asks for one more token. When it arrives, `arrived` (set by
  /// on_arrival) is called on the client's thread; take() then has it.
  void request();
  /// Takes a token that arrived; false when none is waiting.
  bool take();
  /// Writes a token taken with take() back to the pipe.
  void give_back();
  /// Withdraws the requests not yet served (their tokens, when they come,
  /// go back to the pipe).
  void cancel_requests();
  /// Sets the callback run (on the client's thread) when a token arrives.
  void on_arrival(std::function<void()> arrived);

 private:
  static basic_jobserver started(std::shared_ptr<detail::jobserver_state<P>> state);

  std::shared_ptr<detail::jobserver_state<P>> state_;
  text note_;
  text makeflags_;  // serve() only
};
using jobserver = basic_jobserver<sys::platform>;

}  // namespace vitte::toolchain

#include <vitte/toolchain/impl/jobserver.hpp>

#if VITTE_HEADER_ONLY
#include <vitte/toolchain/impl/jobserver.ipp>
#endif

#endif  // VITTE_TOOLCHAIN_JOBSERVER_HPP
