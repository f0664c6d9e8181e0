// vitte/toolchain/tool.hpp - a tool's identity, and the fingerprint of a command.
//
//   namespace cache = vitte::cache;
//   namespace toolchain = vitte::toolchain;
//   auto cc = toolchain::find_tool("cc").value();     // path, "cc (Debian 12.2.0-14) 12.2.0", identity
//   cache::fingerprint key = toolchain::command_key(cc).args({"-c", "-O2"}).cwd("/src").env("LANG", "C").finish();
//
// A tool's identity is the SHA-256 of its resolved path, the first line of
// its `--version` output and the content of the executable: a compiler
// upgraded in place, or another one earlier on PATH, is another tool. The
// command key adds the arguments, the working directory (so that two
// checkouts never share an output that embeds their paths) and the
// environment variables the caller names as relevant.
#ifndef VITTE_TOOLCHAIN_TOOL_HPP
#define VITTE_TOOLCHAIN_TOOL_HPP

#include <vitte/base.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/cache/file_hasher.hpp>
#include <vitte/cache/fingerprint.hpp>
#include <vitte/cache/index.hpp>  // find_tool_remembered
#include <vitte/sys/platform.hpp>
#include <vitte/sys/process.hpp>
#include <vitte/toolchain/operations.hpp>

#include <chrono>
#include <initializer_list>

namespace vitte::toolchain {

/// A program found on PATH, with its version and identity.
struct tool {
  text path;                    ///< Resolved (sys::find_program).
  text version;                 ///< First non-empty line of `path --version` (stdout, else stderr).
  cache::fingerprint identity;  ///< SHA-256 of path, version and the executable's content.
};

/// Finds `name` on PATH (or takes it as a path) and asks its version with
/// `version_flag` (default --version; the run is cut after 10 s; a tool
/// that prints nothing has an empty version). Errors: find_program's
/// (not_found, ...); those of reading the executable to hash it.
template <class P = sys::platform>
result<tool> find_tool(text_view name, text_view version_flag = "--version") {
  auto path = sys::find_program<P>(name);
  if (!path) return path.error();
  tool t;
  t.path = std::move(*path);
  auto out = sys::basic_command<P>(t.path)
                 .arg(version_flag)
                 .in(sys::stdio::null())
                 .output(sys::basic_deadline<P>::after(std::chrono::seconds(10)), 1 << 16);
  if (out) {
    for (const text* stream : {&out->out, &out->err}) {
      text_view s(*stream);
      while (!s.empty() && t.version.empty()) {
        const std::size_t nl = s.find('\n');
        text_view line = s.substr(0, nl);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
        if (!line.empty()) t.version = text(line);
        s = nl == text_view::npos ? text_view{} : s.substr(nl + 1);
      }
      if (!t.version.empty()) break;
    }
  }
  cache::basic_file_hasher<P> files;
  auto content = files.digest(t.path);
  if (!content) return content.error();
  t.identity = cache::hasher{}.add("vitte.tool").add(t.path).add(t.version).add(*content).finish();
  return t;
}

/// find_tool, remembered in a build's index (`index`, step "tool PATH") by
/// the stamp of the program's file: while that file is unchanged, the
/// identity comes from the index and the program does not run (`version`
/// is then empty). A tool whose --version answer depends on anything but
/// its file (a wrapper script reading the environment) needs find_tool.
/// Errors: find_tool's; those of hashing the program's file.
template <class P = sys::platform>
result<tool> find_tool_remembered(text_view name, cache::basic_index<P>& index, cache::basic_file_hasher<P>& files,
                                  text_view version_flag = "--version") {
  auto path = sys::find_program<P>(name);
  if (!path) return path.error();
  text step("tool ");
  step.append(*path);
  if (const cache::step_record* r = index.find(step); r != nullptr && index.check(step, r->command, files).up_to_date())
    return tool{std::move(*path), text(), r->command};
  auto t = find_tool<P>(*path, version_flag);
  if (!t) return t.error();
  const text inputs[] = {t->path};
  if (auto ok = index.record(step, t->identity, inputs, {}, files); !ok) return ok.error();
  return t;
}

/// The fingerprint of one run of a tool: identity, arguments, working
/// directory, relevant environment. Fields go in tagged, in call order.
///
/// After base_dir(dir) (absolute, as cache_step::base_dir), paths under
/// `dir` in the arguments and the working directory go in relative to it,
/// marked as such, so that two checkouts at different paths make the same
/// key: an argument that is such a path ("/src/a.c"), the path after an
/// option's letters ("-I/src/include", "-L...") and after the '=' of a
/// path option ("--sysroot=", "-ffile-prefix-map=/src=.", the other
/// "*-prefix-map=" and "-fprofile-*=" options). A path inside any other
/// argument stays as written: `-DROOT="/src/share"` puts the path into the
/// program, so checkouts at other paths must not share that object.
/// "/src2/x" is not under "/src"; a relocated path never equals a relative
/// one written as such ("-I/src/inc" is not "-Iinc").
class command_key {
 public:
  explicit command_key(const tool& t) { h_.add("vitte.command").add(t.identity); }
  explicit command_key(const cache::fingerprint& tool_identity) { h_.add("vitte.command").add(tool_identity); }
  command_key& base_dir(text_view dir) {
    base_ = text(dir);
    return *this;
  }
  command_key& arg(text_view a) {
    h_.add(std::uint64_t{1}).add(relocated(a));
    return *this;
  }
  command_key& args(std::initializer_list<text_view> list) {
    for (text_view a : list) arg(a);
    return *this;
  }
  template <class Range>
  command_key& args(const Range& range) {
    for (const auto& a : range) arg(text_view(a));
    return *this;
  }
  command_key& cwd(text_view dir) {
    h_.add(std::uint64_t{2}).add(relocated(dir));
    return *this;
  }
  command_key& env(text_view name, text_view value) {
    h_.add(std::uint64_t{3}).add(name).add(value);
    return *this;
  }
  cache::fingerprint finish() { return h_.finish(); }

 private:
  // Whether a path may start at a[i] (see the class comment).
  static bool path_may_start(text_view a, std::size_t i);
  // `a` with the paths under base_ relative to it, each after a NUL (no
  // argument holds one): "-I/src/inc" is "-I\0inc", never "-Iinc". `a`
  // itself when nothing in it moves; otherwise a view of scratch_, valid
  // until the next call (the hasher takes it at once).
  text_view relocated(text_view a);
  cache::hasher h_;
  text scratch_;  // relocated()'s result, its capacity reused
  text base_;
};

}  // namespace vitte::toolchain

#if VITTE_HEADER_ONLY
#include <vitte/toolchain/impl/tool.ipp>
#endif

#endif  // VITTE_TOOLCHAIN_TOOL_HPP
