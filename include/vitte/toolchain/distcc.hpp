// vitte/toolchain/distcc.hpp - compiles spread over a pool of distcc servers.
//
//   namespace toolchain = vitte::toolchain;
//   vitte::diagnostic why;
//   toolchain::compile_pool_options o;
//   o.servers = toolchain::parse_distcc_hosts("10.0.0.2/8 10.0.0.3:3632/8", &why).value();
//   toolchain::compile_pool pool(std::move(o));
//   toolchain::compile_job job{"/usr/bin/cc", {"-c", "-O2", "-o", "a.o", "a.c"}, "/src"};
//   auto r = pool.compile(job).value();   // r.where: "10.0.0.2:3632" or "local"
//   if (!r.status.success()) std::fputs(r.err.c_str(), stderr);
//
// A compile is preprocessed here (the compiler with -E), its text sent to a
// server with distcc's protocol (version 1: DIST/ARGC/ARGV/DOTI, answered by
// DONE/STAT/SERR/SOUT/DOTO; see detail/distcc_wire.hpp), and the object the
// server compiled is written where -o says, atomically. The servers are
// `distccd` as Debian ships it: they run only compilers named in
// /usr/lib/distcc, so the compiler is sent by the name of the file it
// resolves to (/usr/bin/cc -> "x86_64-linux-gnu-gcc-12"): its target and
// version, not "cc" (see distcc_compiler_name).
//
// Never a wrong object: a server that cannot be reached, answers late,
// answers what is not distcc, or sends what is not a whole object (a
// relocatable ELF, Mach-O or COFF file whose tables lie inside it) is set
// aside for `backoff` and the compile tried on another, at most `tries`
// servers, then here. A compile that fails on a server runs here again and
// its own outcome is the answer (as distcc does: a server's compiler may
// differ), so a lying server cannot fail a build either. Compiles that
// could depend on where they run, or whose output is more than the object,
// stay here and say why (-march=native, -x, -dM and -P, -g3, response
// files, profiling, split DWARF, files written beside the object, Clang
// with debug information, an object path that is a link or a device). A
// server's text is shown with its control bytes escaped. Each server runs
// at most `limit` compiles at a time; a compile waits for a free slot (a
// server's, or one of `local_slots` here) until its deadline.
//
// What it cannot check: a whole object of the right format that another
// compiler, or a lying server, made (run the same compiler packages on
// every server, as with distcc itself).
//
// What the pool reports of each compile: where it ran, why it ran here
// (not distributable, no server left), and each server whose attempt
// failed with what went wrong, so a driver can say which steps were rerun
// and where. Thread safety: compile() may be called from many threads.
#ifndef VITTE_TOOLCHAIN_DISTCC_HPP
#define VITTE_TOOLCHAIN_DISTCC_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/sys/condition_variable.hpp>
#include <vitte/sys/mutex.hpp>
#include <vitte/sys/net.hpp>
#include <vitte/sys/platform.hpp>
#include <vitte/sys/process_types.hpp>  // exit_status
#include <vitte/sys/time.hpp>
#include <vitte/toolchain/detail/distcc_wire.hpp>  // distcc_reply_limits

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace vitte::toolchain {

/// One distcc server.
struct distcc_host {
  text name;                  ///< A host name or address.
  std::uint16_t port = 3632;  ///< distccd's port.
  unsigned limit = 2;         ///< Compiles it runs at a time.
};

/// The servers of a DISTCC_HOSTS-style list, and the slots here.
struct distcc_hosts {
  buffer<distcc_host> servers;
  unsigned local_slots = 0;  ///< From "localhost[/N]" (N defaults to 2); 0 when the list has none.
};

/// Parses the plain forms of distcc's host list: entries separated by
/// blanks, each `HOST[:PORT][/LIMIT]` (an IPv6 address in brackets), or
/// `localhost[/LIMIT]` for compiles here; `#` starts a comment to the end of
/// the line (distcc's hosts files). Options distcc adds after a
/// comma (`,lzo`, `,cpp`) and the ssh form (`@host`) are refused: this
/// client sends plain text and preprocesses here. Errors: malformed, with
/// `why` (when given) naming the entry as its subject, at the entry's line
/// and column in the list, and what is wrong in it ("b,lzo:1:3: options
/// after a comma ...").
VITTE_DECL result<distcc_hosts> parse_distcc_hosts(text_view list, diagnostic* why = nullptr);

/// How the pool works.
struct compile_pool_options {
  buffer<distcc_host> servers;
  unsigned local_slots = 1;                         ///< Compiles run here at a time when no server slot is free.
  std::chrono::milliseconds connect_timeout{3000};  ///< To connect to a server.
  std::chrono::milliseconds job_timeout{300000};    ///< One server's whole attempt: send, compile, answer.
  unsigned tries = 2;                               ///< Servers tried for one compile before it runs here.
  std::chrono::milliseconds backoff{60000};         ///< A server that failed is not tried again before this.
  std::size_t max_source = std::size_t{256} << 20;  ///< Preprocessed text sent at most (larger: compiled here).
  detail::distcc_reply_limits limits;               ///< What a reply may hold.
  bool confirm_failures = true;                     ///< A compile that failed on a server runs here (distcc's default).
};

/// One compile, as it would run here.
struct compile_job {
  text compiler;      ///< The compiler's path.
  buffer<text> args;  ///< Its arguments (the compiler apart): -c, -o OBJECT, one source.
  text cwd;           ///< Where it runs (relative paths in args are from here).
  buffer<text> env;   ///< Variables set for it, each "NAME=value".
};

/// A server's attempt that failed.
struct compile_attempt {
  text where;    ///< "HOST:PORT".
  text trouble;  ///< What went wrong ("timed out after 5000 ms waiting for the answer", ...).
};

/// What happened to one compile.
struct compile_outcome {
  sys::exit_status status;          ///< The compiler's, wherever it ran.
  text out, err;                    ///< What it printed.
  bool timed_out = false;           ///< The deadline passed (a compile here was killed; a server's attempt given up).
  text where;                       ///< "HOST:PORT", or "local".
  text why_local;                   ///< Why it ran here (empty when it ran on a server).
  buffer<compile_attempt> retried;  ///< Servers whose attempt failed, in order.
  std::size_t sent = 0, received = 0;  ///< Preprocessed bytes sent, object bytes received.
};

/// A server as the pool sees it.
struct compile_server_state {
  text where;  ///< "HOST:PORT".
  unsigned limit = 0, running = 0;
  std::uint64_t compiled = 0;  ///< Compiles it answered (with success or the compiler's failure).
  std::uint64_t failed = 0;    ///< Attempts that failed (unreachable, late, garbage).
  bool set_aside = false;      ///< In its backoff now.
  text last_trouble;           ///< What went wrong last.
};

/// Totals over the pool's life.
struct compile_pool_stats {
  std::uint64_t remote = 0;     ///< Compiles a server did.
  std::uint64_t local = 0;      ///< Compiles run here (kept here, or after the servers failed).
  std::uint64_t retried = 0;    ///< Server attempts that failed and were tried again.
  std::uint64_t confirmed = 0;  ///< Failures on a server run again here.
};

/// A pool of distcc servers (see the header).
template <class P = sys::platform>
class basic_compile_pool {
 public:
  explicit basic_compile_pool(compile_pool_options o);
  basic_compile_pool(const basic_compile_pool&) = delete;
  basic_compile_pool& operator=(const basic_compile_pool&) = delete;
  ~basic_compile_pool();

  /// Compiles `job` (see the header) until `d` at most: on a server, or
  /// here. A compile that runs and fails is an outcome with its status,
  /// not an error. Errors: those of running the compiler here (not_found,
  /// ...), and timed_out when `d` passed before a slot was free.
  result<compile_outcome> compile(const compile_job& job, sys::basic_deadline<P> d = sys::basic_deadline<P>::never());

  /// Each server's state now.
  buffer<compile_server_state> servers() const;
  /// Totals so far.
  compile_pool_stats stats() const;

 private:
  struct server;
  struct state;
  std::unique_ptr<state> s_;
};
using compile_pool = basic_compile_pool<sys::platform>;

/// What a probe of one server found.
struct distcc_probe {
  text where;                           ///< "HOST:PORT".
  bool ok = false;                      ///< It compiled the probe and sent a whole object.
  text trouble;                         ///< Why not (unreachable, late, garbage, compiler missing there).
  std::chrono::nanoseconds round_trip;  ///< Preprocessing here, sending, compiling there, receiving.
};

/// Compiles a one-line C source with `compiler` on each server in turn (a
/// pool of that one server: no retry, no compile here), in `scratch` (a
/// directory), each within `timeout`: who is up, has the compiler, and
/// how long a compile takes there now (a loaded server answers later).
/// Errors: those of writing the probe's source into `scratch`.
template <class P = sys::platform>
result<buffer<distcc_probe>> probe_distcc_hosts(span<const distcc_host> servers, text_view compiler, text_view scratch,
                                                std::chrono::milliseconds timeout);

/// The name a distcc server knows `compiler` by: the last name on its chain
/// of symbolic links that is still a driver of the same language
/// ("/usr/bin/cc" -> "x86_64-linux-gnu-gcc-12"; "/usr/bin/clang++" ->
/// "clang++", not the "clang" it finally resolves to, which would compile
/// C++ as C). Errors: those of sys::canonical on the end of the chain.
template <class P = sys::platform>
result<text> distcc_compiler_name(text_view compiler);

/// True when `object` is a whole relocatable object this client knows: an
/// ELF file of type ET_REL, a Mach-O MH_OBJECT or a COFF object, whose
/// header and section tables lie inside it. When it is not, `why` (when
/// given) says what is wrong (malformed) and at which byte offset: the
/// field that says so, or the table or section that lies outside.
VITTE_DECL bool object_is_whole(span<const std::byte> object, diagnostic* why = nullptr);

}  // namespace vitte::toolchain

#include <vitte/toolchain/impl/distcc.hpp>

#if VITTE_HEADER_ONLY
#include <vitte/toolchain/impl/distcc.ipp>
#endif

#endif  // VITTE_TOOLCHAIN_DISTCC_HPP
