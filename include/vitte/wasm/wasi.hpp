// vitte/wasm/wasi.hpp - WASI preview 1 (wasi_snapshot_preview1): programs
// compiled for wasm32-wasi run on vitte::sys, with the directories they are
// granted and nothing else.
//
//   wasm::wasi_options o;
//   o.args = {"prog", "input.txt"};
//   o.env = {"LANG=C"};
//   o.dirs.push_back({"/srv/data", "/data"});        // host directory, seen as /data
//   auto w = wasm::wasi::create(o).value();          // refuses a directory it cannot open
//   wasm::store s;
//   wasm::imports env;
//   w->define(s, env);                               // every wasi_snapshot_preview1 function
//   auto inst = s.instantiate(m, env).value();
//   int status = w->run(s, inst).value();            // _start; proc_exit's code, or 0
//
// Capabilities. A program reaches files only through the directories in
// `dirs` (file descriptors 3, 4, ...). Every path is resolved here, one
// component at a time, from the directory it names: an absolute path, a
// ".." above that directory, or a symbolic link whose target is absolute
// or climbs out of it is refused with the WASI errno `notcapable` at the
// component where it happens; each directory on the way is opened relative
// to the one before (openat), and the last component is opened without
// following links, so a link swapped in meanwhile is refused too.
//
// Rights: every descriptor carries the rights of preview 1; a descriptor
// opened from a directory gets at most that directory's inheriting rights,
// and a call needing a right the descriptor lacks fails with `notcapable`.
//
// Standard streams are the process's own unless `stdio` names other
// handles. Sockets given in `sockets` (listening or connected) follow the
// directories and serve sock_accept, sock_recv, sock_send, sock_shutdown.
//
// Errors a WASI call meets are WASI errnos handed to the program, never
// host errors; bad pointers or lengths from the program are `fault` or
// `inval`. Only proc_exit and the program's own traps end run().
#ifndef VITTE_WASM_WASI_HPP
#define VITTE_WASM_WASI_HPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/result.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/sys/directory.hpp>
#include <vitte/sys/file.hpp>
#include <vitte/sys/net.hpp>
#include <vitte/sys/platform.hpp>
#include <vitte/wasm/module.hpp>
#include <vitte/wasm/operations.hpp>
#include <vitte/wasm/runtime.hpp>
#include <vitte/wasm/wasi/functions.hpp>  // VITTE_WASI_FUNCTIONS: a member per function

#include <cstdint>
#include <memory>

namespace vitte::wasm {

namespace detail::wasi {
struct guest;
template <class P>
struct resolved;
}  // namespace detail::wasi

/// A directory granted to a program: `host` on this machine, seen by the
/// program as `guest` ("/data", ".").
struct wasi_dir {
  text host;
  text guest;
};

/// What a WASI program sees of the world.
struct wasi_options {
  buffer<text> args;      ///< argv, the program's name first
  buffer<text> env;       ///< "NAME=value" entries
  buffer<wasi_dir> dirs;  ///< preopened directories: descriptors 3, 4, ...
  /// Handles for descriptors 0, 1, 2 (not owned); invalid_handle: the
  /// process's own standard streams.
  sys::native_handle stdio[3] = {sys::invalid_handle, sys::invalid_handle, sys::invalid_handle};
  /// Sockets (owned from now on), after the directories.
  buffer<sys::native_handle> sockets;
};

/// The WASI errnos of preview 1 that callers meet most (the program sees
/// all of them).
enum class wasi_errno : std::uint16_t {
  success = 0,
  badf = 8,
  fault = 21,
  inval = 28,
  isdir = 31,
  loop = 32,
  noent = 44,
  notdir = 54,
  notempty = 55,
  notsup = 58,
  perm = 63,
  notcapable = 76,
};

/// One WASI context: descriptors, arguments, environment, exit status.
/// Bound to one instance's memory at a time (run() binds it). Not
/// copyable or movable: its host functions point at it.
template <class P = sys::platform>
class basic_wasi {
 public:
  /// Opens the granted directories. Errors (wasi_preopen): the directory's
  /// own (not_found, not_a_directory, ...), with `why` naming it.
  static result<std::unique_ptr<basic_wasi>> create(wasi_options options, diagnostic* why = nullptr);
  basic_wasi(const basic_wasi&) = delete;
  basic_wasi& operator=(const basic_wasi&) = delete;
  ~basic_wasi() = default;

  /// Defines every function of wasi_snapshot_preview1 in `env`, made in `s`.
  void define(store& s, imports& env);
  /// Makes `inst`'s exported memory the one WASI calls read and write.
  /// Errors (wasi_run): invalid_argument when it exports no "memory".
  status bind(instance inst);
  /// Binds `inst`, then calls its `_start`: the status proc_exit gave, or 0
  /// when _start returns. Errors (wasi_run): invalid_argument without
  /// _start or memory; otherwise the trap or limit that ended the program
  /// (a call stopped for fuel or an interruption stays resumable in `s`;
  /// finish() takes it up).
  result<int> run(store& s, instance inst);
  /// Resumes a run() that stopped for fuel, an interruption or the
  /// deadline: as run().
  result<int> finish(store& s);

  /// Whether the program called proc_exit, and with what.
  bool exited() const noexcept { return exited_; }
  int exit_code() const noexcept { return exit_code_; }

  /// Calls one WASI function by name with raw arguments, as a program
  /// would (tests and fuzzing drive it this way); the errno it returns.
  /// not_found when no such function exists.
  result<std::uint32_t> invoke(text_view name, span<const std::uint64_t> args);

 private:
  basic_wasi() = default;
  struct fd_entry;
  using resolved = detail::wasi::resolved<P>;
  struct function_entry;
  // The implementation: vitte/wasm/wasi/ (context.hpp, guest.hpp, path.hpp
  // over sandbox.hpp, and a header per family of calls).
  std::uint16_t dispatch(std::size_t index, const std::uint64_t* a);
  result<int> outcome(vitte::error e);
  fd_entry* find(std::uint64_t fd, std::uint64_t right, std::uint16_t& err);
  fd_entry* find_data(std::uint64_t fd, std::uint64_t right, std::uint16_t& err);
  detail::wasi::guest mem() const noexcept;
  std::uint32_t add_fd(std::unique_ptr<fd_entry> e);
  std::uint16_t resolve(std::uint64_t fd, std::uint64_t right, std::uint64_t path, std::uint64_t len, bool follow,
                        resolved& out, bool looks = false);
  std::uint16_t put_filestat(std::uint64_t at, const sys::file_status& st);
  std::uint16_t put_strings(const buffer<text>& list, std::uint64_t ptrs, std::uint64_t buf);
  std::uint16_t put_sizes(const buffer<text>& list, std::uint64_t count, std::uint64_t size);
  std::uint16_t buffers(std::uint64_t iovs, std::uint64_t n, buffer<sys::mutable_buffer>& out);
  std::uint16_t transfer(std::uint64_t fd, std::uint64_t iovs, std::uint64_t n, const std::uint64_t* at,
                         std::uint64_t out, bool write);

  wasi_options options_;
  buffer<std::unique_ptr<fd_entry>> fds_;
  memory memory_;
  bool exited_ = false;
  int exit_code_ = 0;
  buffer<std::unique_ptr<function_entry>> functions_;

#define VITTE_WASI_MEMBER_DECL(name, sig) std::uint16_t name(const std::uint64_t* a);
  VITTE_WASI_FUNCTIONS(VITTE_WASI_MEMBER_DECL)
#undef VITTE_WASI_MEMBER_DECL
};

/// The default platform's WASI.
using wasi = basic_wasi<sys::platform>;

}  // namespace vitte::wasm

// The implementation. Each header below includes this one above its guard,
// then the headers it needs, so any of them may be included alone.
#include <vitte/wasm/wasi/context.hpp>
#include <vitte/wasm/wasi/fd.hpp>
#include <vitte/wasm/wasi/guest.hpp>
#include <vitte/wasm/wasi/path.hpp>
#include <vitte/wasm/wasi/poll.hpp>
#include <vitte/wasm/wasi/proc.hpp>
#include <vitte/wasm/wasi/sock.hpp>

#endif  // VITTE_WASM_WASI_HPP
