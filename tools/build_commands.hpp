// The build kit's commands: package, verify-package, export, cross,
// toolchain and trace. Keys are signify files or vitte's hex files (`vitte keygen
// --signify` makes the former).
#ifndef VITTE_TOOLS_BUILD_COMMANDS_HPP
#define VITTE_TOOLS_BUILD_COMMANDS_HPP

#include <vitte/archive/pack.hpp>
#include <vitte/compress/deflate.hpp>
#include <vitte/machine/triple.hpp>
#include <vitte/release/package.hpp>
#include <vitte/release/signify.hpp>
#include <vitte/sys/directory.hpp>
#include <vitte/sys/info.hpp>
#include <vitte/sys/metadata.hpp>
#include <vitte/sys/path.hpp>
#include <vitte/sys/path_ops.hpp>
#include <vitte/sys/process.hpp>
#include <vitte/sys/terminal.hpp>
#include <vitte/sys/whole_file.hpp>
#include <vitte/toolchain/build_events.hpp>
#include <vitte/toolchain/build_trace.hpp>
#include <vitte/toolchain/meson_cross.hpp>
#include <vitte/toolchain/toolchain.hpp>

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "cli.hpp"

namespace build_commands {

namespace toolchain = vitte::toolchain;
namespace release = vitte::release;
namespace sg = vitte::release::signify;
namespace sys = vitte::sys;
using cli::context;

inline std::string str(vitte::text_view s) { return std::string(s.data(), s.size()); }

/// A secret key: a signify file, or vitte's 64 hex digits. `why` says what
/// was wrong, about `path`.
inline bool read_secret(std::string_view path, sg::secret_key& out, vitte::diagnostic& why) {
  auto file = sys::read_file_string(std::string(path));
  if (!file) return why = cli::described(path, file.error()), false;
  if (file->starts_with("untrusted comment:")) {
    auto k = sg::read_secret_key(*file, &why);
    if (!k) return why.about(vitte::text_view(path)), false;  // the bytes came from this file
    out = *k;
    return true;
  }
  vitte::crypto::ed25519::seed seed{};
  if (!vitte::crypto::read_key_file(path, seed, &why)) return false;
  out = sg::from_key_pair(vitte::crypto::ed25519::key_pair_from_seed(seed));
  vitte::crypto::ed25519::wipe(seed.data(), seed.size());
  return true;
}

/// A public key: a signify file, or vitte's 64 hex digits. `why` says what
/// was wrong, about `path`.
inline bool read_public(std::string_view path, sg::public_key& out, vitte::diagnostic& why) {
  auto file = sys::read_file_string(std::string(path));
  if (!file) return why = cli::described(path, file.error()), false;
  if (file->starts_with("untrusted comment:")) {
    auto k = sg::read_public_key(*file, &why);
    if (!k) return why.about(vitte::text_view(path)), false;  // the bytes came from this file
    out = *k;
    return true;
  }
  vitte::crypto::ed25519::public_key pk{};
  if (!vitte::crypto::read_key_file(path, pk, &why)) return false;
  out = sg::from_public_key(pk);
  return true;
}

/// Steps on stderr, one line rewritten in place, when stderr is a terminal.
struct progress {
  explicit progress(const char* command)
      : command_(command), on_(sys::is_terminal(sys::standard_handle(sys::standard_stream::error))) {}
  ~progress() { done(); }
  static void step(vitte::text_view what, void* self) {
    auto* p = static_cast<progress*>(self);
    if (!p->on_) return;
    std::fprintf(stderr, "\r\x1b[Kvitte %s: %.*s...", p->command_, static_cast<int>(what.size()), what.data());
    std::fflush(stderr);
    p->shown_ = true;
  }
  void done() {
    if (shown_) std::fprintf(stderr, "\r\x1b[K");
    shown_ = false;
  }
  const char* command_;
  bool on_;
  bool shown_ = false;
};

inline std::string host_target() { return str(vitte::machine::host_triple().str()); }

/// What an output directory holds now.
enum class out_dir_state { absent_or_empty, holds_files, not_a_directory };
inline out_dir_state out_dir_of(const std::string& dir) {
  if (auto st = sys::stat(dir); st && st->type != sys::file_type::directory) return out_dir_state::not_a_directory;
  auto r = sys::directory_reader::open(dir);
  if (!r) return out_dir_state::absent_or_empty;  // absent, or its creation will say why
  for (const auto& e : *r) {
    (void)e;
    return out_dir_state::holds_files;
  }
  return out_dir_state::absent_or_empty;
}

/// What an archive's file name says of its format (letter case ignored).
enum class name_says { nothing, tar, tar_gz, deb, rpm, msi, pkg, other_archive };
inline name_says format_of_name(std::string_view name) {
  std::string lower(name);
  for (char& ch : lower) ch = ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;
  const std::string_view n = lower;
  if (n.ends_with(".tar.gz") || n.ends_with(".tgz")) return name_says::tar_gz;
  if (n.ends_with(".tar")) return name_says::tar;
  if (n.ends_with(".deb")) return name_says::deb;
  if (n.ends_with(".rpm")) return name_says::rpm;
  if (n.ends_with(".msi")) return name_says::msi;
  if (n.ends_with(".pkg")) return name_says::pkg;
  for (std::string_view other : {".tar.xz", ".txz", ".tar.bz2", ".tbz2", ".tbz", ".tar.zst", ".tzst", ".tar.lz",
                                 ".tar.lzma", ".zip", ".7z", ".gz", ".xz", ".bz2", ".zst"})
    if (n.ends_with(other)) return name_says::other_archive;
  return name_says::nothing;
}

// --- package, export --------------------------------------------------------

// The fields a .deb or .rpm takes besides name and version: relations,
// configuration files, Section and Priority, the shared-library dependencies.
inline void read_relations(const cli::parsed& p, release::package_options& o) {
  const auto list = [&](const char* option, vitte::buffer<vitte::text>& out) {
    for (const std::string_view v : p.all(option)) out.push_back(vitte::text(vitte::text_view(v.data(), v.size())));
  };
  list("--depends", o.depends);
  list("--conflicts", o.conflicts);
  list("--provides", o.provides);
  list("--conffile", o.conffiles);
  if (p.has("--section")) o.section = p.get("--section");
  if (p.has("--priority")) o.priority = p.get("--priority");
  if (p.has("--no-shlib-depends")) o.shlib_depends = false;
  if (p.has("--dpkg-admindir")) o.dpkg_admindir = p.get("--dpkg-admindir");
  if (p.has("--keep-modes")) o.keep_modes = true;
  if (p.has("--scripts")) o.scripts = p.get("--scripts");
}

// What a linter would reject in the package: a warning each, on stderr.
inline void warn_defaults(const char* command, const release::package_options& o) {
  for (const vitte::text& w : release::package_warnings(o))
    std::fprintf(stderr, "vitte %s: warning: %s\n", command, w.c_str());
}

inline int package(const cli::parsed& p, const context& c) {
  const std::string host = host_target();
  if (p.operands.size() != 1) return cli::usage_error(c, "package", "one operand: the directory to package");
  release::package_options o;
  o.name = p.get("--name");
  o.version = p.get("--version");
  if (o.name.empty() || o.version.empty()) return cli::usage_error(c, "package", "--name and --version are required");
  o.target = vitte::machine::triple::resolve(p.get("--target", host)).str();
  if (!release::parse_package_format(p.get("--format", "tar.gz"), o.format))
    return cli::usage_error(c, "package", "--format is tar.gz, tar, deb, rpm, msi or pkg");
  o.mtime = vitte::archive::write_options::from_environment().mtime;
  if (p.has("--prefix")) o.prefix = p.get("--prefix");
  if (p.has("--maintainer")) o.maintainer = p.get("--maintainer");
  o.description = p.get("--description");
  if (p.has("--release")) o.release = p.get("--release");
  if (p.has("--license")) o.license = p.get("--license");
  o.url = p.get("--url");
  o.product_code = p.get("--product-code");
  o.upgrade_code = p.get("--upgrade-code");
  o.identifier = p.get("--identifier");
  read_relations(p, o);
  sg::secret_key key;
  if (p.has("--sign")) {
    vitte::diagnostic why;
    if (!read_secret(p.get("--sign"), key, why)) return cli::fail(c, "package", why);
    o.key = &key;
    std::string pub = str(sys::file_name(p.get("--sign")));
    if (pub.ends_with(".sec") || pub.ends_with(".key")) pub = pub.substr(0, pub.size() - 4);
    o.key_name = vitte::text_view(pub + ".pub");
  }
  progress bar("package");
  o.progress = progress::step;
  o.progress_user = &bar;
  vitte::diagnostic why;
  const std::string out_dir = str(p.get("--out", "dist"));
  const out_dir_state state = out_dir.empty() ? out_dir_state::absent_or_empty : out_dir_of(out_dir);
  if (out_dir.empty() || state == out_dir_state::not_a_directory ||
      (state == out_dir_state::holds_files && !p.has("--force"))) {
    sg::wipe(key);
    if (out_dir.empty()) return cli::usage_error(c, "package", "--out names a directory");
    if (state == out_dir_state::not_a_directory) return cli::fail(c, "package", out_dir + ": not a directory");
    return cli::fail(c, "package", out_dir + ": already holds files (--force writes into it anyway)");
  }
  auto r = release::make_package(p.operands[0], out_dir, o, &why);
  bar.done();
  sg::wipe(key);
  if (!r) return cli::fail(c, "package", why);
  warn_defaults("package", o);
  if (c.json) {
    cli::json()
        .schema("package")
        .field("archive", r->archive)
        .field("manifest", r->manifest)
        .field("sums", r->sums)
        .field("signature", r->signature)
        .field("openpgp_key", r->openpgp_key)
        .field("size", r->size)
        .field("entries", r->entries)
        .field("target", o.target)
        .field("format", release::to_string(o.format))
        .end_object()
        .print();
    return 0;
  }
  std::printf("%s (%llu bytes, %u entries)\n%s\n%s\n", r->archive.c_str(), static_cast<unsigned long long>(r->size),
              r->entries, r->manifest.c_str(), r->sums.c_str());
  if (!r->signature.empty()) std::printf("%s\n", r->signature.c_str());
  if (!r->openpgp_key.empty()) std::printf("%s\n", r->openpgp_key.c_str());
  return 0;
}

inline int verify_package(const cli::parsed& p, const context& c) {
  if (p.operands.size() != 1) return cli::usage_error(c, "verify-package", "one operand: the package's directory");
  const bool unsigned_ok = p.has("--no-signature");
  if (p.has("--key") && unsigned_ok)
    return cli::usage_error(c, "verify-package", "--key and --no-signature: one or the other");
  if (!p.has("--key") && !unsigned_ok)
    return cli::usage_error(c, "verify-package", "--key names the public key (or --no-signature: checksums only)");
  sg::public_key key;
  if (p.has("--key")) {
    vitte::diagnostic why;
    if (!read_public(p.get("--key"), key, why)) return cli::fail(c, "verify-package", why);
  }
  vitte::diagnostic why;
  auto r = release::verify_package(p.operands[0], p.has("--key") ? &key : nullptr, &why);
  if (c.json) {
    cli::json j;
    j.schema("verify-package").field("dir", p.operands[0]).field("verified", r.has_value());
    j.field("name", r ? r->name : vitte::text()).field("version", r ? r->version : vitte::text());
    j.field("target", r ? r->target : vitte::text()).field("archive", r ? r->archive : vitte::text());
    j.field("signature_checked", r ? r->signature_checked : false)
        .field("error", r ? vitte::text_view() : why.message());
    // "detail": kept for schema version 1, empty: the error's message says it all.
    j.field("file", r ? vitte::text_view() : why.subject()).field("detail", "").end_object().print();
    if (!r) std::fprintf(stderr, "vitte verify-package: %s\n", why.format().c_str());
    return r ? 0 : 1;
  }
  if (!r && r.error() == vitte::errc::not_found && p.has("--key") && why.subject().ends_with("SHA256SUMS.sig")) {
    cli::fail(c, "verify-package", why);
    std::fprintf(stderr, "hint: --no-signature (instead of --key) checks the checksums of an unsigned package\n");
    return 1;
  }
  if (!r) return cli::fail(c, "verify-package", why);
  std::printf("%s: %s %s %s %s (%s, %llu bytes, %u entries)%s\n", str(p.operands[0]).c_str(),
              cli::paint(c.color_out, "verified", "1;32").c_str(), r->name.c_str(), r->version.c_str(),
              r->target.c_str(), r->archive.c_str(), static_cast<unsigned long long>(r->size), r->entries,
              r->signature_checked ? ", signature checked" : ", checksums only (no key)");
  return 0;
}

inline int export_tree(const cli::parsed& p, const context& c) {
  const std::string host = host_target();
  if (p.operands.size() != 1) return cli::usage_error(c, "export", "one operand: the directory to export");
  release::package_format format = release::package_format::tar_gz;
  if (p.has("--format") && !release::parse_package_format(p.get("--format"), format))
    return cli::usage_error(c, "export", "--format is tar.gz, tar, deb, rpm, msi or pkg");
  // -o's name says the format too: taken when --format is absent, and the
  // two must agree (never gzip data in a .tar).
  if (p.has("-o")) {
    const std::string o = str(p.get("-o"));
    if (o.empty() || o == "-" || o.back() == '/')
      return cli::usage_error(c, "export", "-o names the archive file to write (not standard output, not a directory)");
    const name_says says = format_of_name(o);
    if (says == name_says::other_archive)
      return cli::usage_error(
          c, "export", "-o " + o + " names an archive format export does not write (tar, tar.gz, deb, rpm, msi, pkg)");
    if (says != name_says::nothing) {
      const release::package_format named = says == name_says::tar      ? release::package_format::tar
                                            : says == name_says::tar_gz ? release::package_format::tar_gz
                                            : says == name_says::rpm    ? release::package_format::rpm
                                            : says == name_says::msi    ? release::package_format::msi
                                            : says == name_says::pkg    ? release::package_format::pkg
                                                                        : release::package_format::deb;
      if (p.has("--format") && named != format)
        return cli::usage_error(c, "export",
                                "-o " + o + " names a " + str(release::to_string(named)) + " file, --format says " +
                                    str(release::to_string(format)));
      format = named;
    }
  }
  const std::string dir = str(p.operands[0]);
  const auto st = sys::stat(dir);
  if (!st) return cli::fail(c, "export", dir, st.error());
  if (st->type != sys::file_type::directory) return cli::fail(c, "export", dir + ": not a directory");
  // The default top directory: the tree's own name, also for "stage/" or ".".
  std::string base = dir;
  while (base.size() > 1 && (base.back() == '/' || base.back() == '\\')) base.pop_back();
  auto real = sys::canonical(base);
  const std::string own = str(sys::file_name(real ? real->view() : vitte::text_view(base)));
  std::string top = str(p.get("--top", own));
  if (p.has("--top") && top.empty()) top.clear();
  std::string out = str(p.get("-o"));
  std::vector<std::byte> bytes;
  if (format == release::package_format::deb || format == release::package_format::rpm ||
      format == release::package_format::msi || format == release::package_format::pkg) {  // made as a package is
    release::package_options o;
    o.format = format;
    o.name = p.get("--name");
    o.version = p.get("--version");
    if (o.name.empty() || o.version.empty())
      return cli::usage_error(c, "export", "a ." + str(release::to_string(format)) + " needs --name and --version");
    o.target = vitte::machine::triple::resolve(p.get("--target", host)).str();
    o.mtime = vitte::archive::write_options::from_environment().mtime;
    if (p.has("--prefix")) o.prefix = p.get("--prefix");
    o.identifier = p.get("--identifier");
    if (p.has("--maintainer")) o.maintainer = p.get("--maintainer");
    o.description = p.get("--description");
    read_relations(p, o);
    vitte::diagnostic why;
    auto r = release::make_package_archive(dir, o, &why);
    if (!r) return cli::fail(c, "export", why);
    warn_defaults("export", o);
    bytes.assign(r->bytes.begin(), r->bytes.end());
    if (out.empty()) out = str(r->name);
  } else {
    vitte::diagnostic why;
    auto tar = vitte::archive::pack_tree(dir, top, vitte::archive::write_options::from_environment(), &why);
    if (!tar) return cli::fail(c, "export", why);
    if (format == release::package_format::tar) {
      bytes.assign(tar->begin(), tar->end());
    } else {
      auto z = vitte::compress::gzip_compress(tar->span(), 9);
      if (!z) return cli::fail(c, "export", "cannot compress");
      bytes.assign(z->begin(), z->end());
    }
    if (out.empty()) out = (top.empty() ? std::string("export") : top) + "." + str(release::to_string(format));
  }
  if (auto st = sys::atomic_replace(out, vitte::span<const std::byte>(bytes.data(), bytes.size())); !st)
    return cli::fail(c, "export", out, st.error());
  if (c.json)
    cli::json()
        .schema("export")
        .field("file", out)
        .field("format", release::to_string(format))
        .field("size", std::uint64_t{bytes.size()})
        .end_object()
        .print();
  else
    std::printf("%s (%zu bytes)\n", out.c_str(), bytes.size());
  return 0;
}

// --- toolchain, cross ------------------------------------------------------

inline void print_program(const char* role, const toolchain::program& pr) {
  std::printf("%-8s %s", role, pr.path.c_str());
  for (const vitte::text& arg : pr.args) std::printf(" %s", arg.c_str());
  if (!pr.version.empty()) std::printf("  (%s)", pr.version.c_str());
  std::printf("\n");
}

inline void json_program(cli::json& j, const char* key, const toolchain::program& pr) {
  j.key(key).begin_object().field("path", pr.path).key("args").begin_array();
  for (const vitte::text& arg : pr.args) j.value(arg);
  j.end_array().field("version", pr.version).end_object();
}

// trace: a build's events file (examples/driver --events; one a killed
// build left too: its whole records, the steps still running drawn as
// unfinished) as a Chrome trace, and optionally as a .ninja_log.
inline int trace(const cli::parsed& p, const context& c) {
  if (p.operands.size() != 1) return cli::usage_error(c, "trace", "one events file");
  const std::string path(p.operands[0]);
  vitte::diagnostic why;
  auto bytes = sys::read_file(path, &why);
  if (!bytes) return cli::fail(c, "trace", why);
  auto read = toolchain::read_events(bytes->span(), &why);
  if (!read) return cli::fail(c, "trace", why.about(path));
  if (read->torn) std::fprintf(stderr, "vitte trace: warning: %s\n", why.about(path).format().c_str());
  toolchain::build_summary summary;
  for (const toolchain::build_event& e : read->events) toolchain::apply(summary, e);
  const vitte::text json = toolchain::chrome_trace(summary);
  const vitte::text_view out = p.get("-o");
  if (out.empty()) {
    std::fwrite(json.data(), 1, json.size(), stdout);
  } else if (auto w = sys::write_file(out, json, {}, &why); !w) {
    return cli::fail(c, "trace", why);
  }
  if (const vitte::text_view log = p.get("--ninja-log"); !log.empty())
    if (auto w = sys::write_file(log, toolchain::ninja_log(summary), {}, &why); !w) return cli::fail(c, "trace", why);
  return 0;
}

inline int show_toolchain(const cli::parsed& p, const context& c) {
  if (!p.operands.empty()) return cli::usage_error(c, "toolchain", "no operands (--target names a triple)");
  if (!p.has("--target")) {
    auto all = toolchain::list_compilers();
    if (!all) return cli::fail(c, "toolchain", {}, all.error());
    if (c.json) {
      cli::json j;
      j.schema("toolchain").field("host", host_target()).key("compilers").begin_array();
      for (const toolchain::compiler& k : *all)
        j.begin_object()
            .field("name", k.name)
            .field("path", k.path)
            .field("family", toolchain::to_string(k.family))
            .field("cxx", k.cxx)
            .field("target", k.target)
            .field("version", k.version)
            .end_object();
      j.end_array().end_object().print();
      return 0;
    }
    std::printf("host %s\n", host_target().c_str());
    for (const toolchain::compiler& k : *all)
      std::printf("%-32s %-5s %-24s %s\n", k.name.c_str(), str(toolchain::to_string(k.family)).c_str(),
                  k.target.empty() ? "(any, --target)" : k.target.c_str(), k.version.c_str());
    return 0;
  }
  vitte::diagnostic why;
  auto tc = toolchain::find_toolchain(p.get("--target"), {}, &why);
  if (!tc) return cli::fail(c, "toolchain", why);
  if (c.json) {
    cli::json j;
    j.schema("toolchain").field("host", host_target()).field("target", tc->target.str());
    json_program(j, "cc", tc->cc);
    json_program(j, "cxx", tc->cxx);
    json_program(j, "ar", tc->ar);
    j.field("sysroot", tc->sysroot).field("origin", tc->origin).field("native", tc->native).key("runner").begin_array();
    for (const vitte::text& r : tc->runner) j.value(r);
    j.end_array().end_object().print();
    return 0;
  }
  std::printf("target   %s (%s)\n", tc->target.str().data(), tc->origin.c_str());
  print_program("cc", tc->cc);
  print_program("c++", tc->cxx);
  print_program("ar", tc->ar);
  if (!tc->sysroot.empty()) std::printf("sysroot  %s\n", tc->sysroot.c_str());
  std::string runner;
  for (const vitte::text& r : tc->runner) runner += (runner.empty() ? "" : " ") + str(r);
  if (tc->target.is_wasm()) runner = "vitte run (WASI)";
  std::printf("runner   %s\n", tc->native ? "(native)" : runner.empty() ? "(none here)" : runner.c_str());
  return 0;
}

inline int run_command(sys::command& cmd, const context& c, const char* what) {
  auto line = cmd.dry_run();
  if (line) std::fprintf(stderr, "+ %s\n", line->c_str());
  auto st = cmd.run();
  if (!st) return cli::fail(c, "cross", what, st.error());
  if (!st->success())
    return cli::fail(c, "cross", std::string(what) + " failed (exit " + std::to_string(st->value) + ")");
  return 0;
}

/// Runs `program` (built for tc's target) with `program_args`, through tc's
/// runner, or `vitte run` for WASI.
inline int run_built(const toolchain::toolset& tc, const std::string& program, const cli::args& program_args,
                     const context& c) {
  std::vector<std::string> words;
  if (tc.target.is_wasm()) {
    auto self = sys::executable_path();
    if (!self) return cli::fail(c, "cross", "cannot find this program to run the module");
    words = {str(self->view()), "run"};
  } else {
    for (const vitte::text& r : tc.runner) words.push_back(str(r));
    if (!tc.native && tc.runner.empty())
      return cli::fail(c, "cross", "nothing here runs " + str(tc.target.str()) + " programs (qemu-user, wine)");
  }
  words.push_back(program);
  for (std::string_view a : program_args) words.emplace_back(a);
  sys::command cmd{vitte::text(words[0])};
  for (std::size_t i = 1; i < words.size(); ++i) cmd.arg(words[i]);
  auto line = cmd.dry_run();
  if (line) std::fprintf(stderr, "+ %s\n", line->c_str());
  auto st = cmd.run();
  if (!st) return cli::fail(c, "cross", program, st.error());
  return st->exited() ? st->value : 1;
}

inline bool is_source(std::string_view name) {
  for (std::string_view ext : {".c", ".cc", ".cpp", ".cxx", ".C"})
    if (name.ends_with(ext)) return true;
  return false;
}

inline int cross(const cli::parsed& p, const context& c) {
  if (!p.has("--target")) return cli::usage_error(c, "cross", "--target names the triple to build for");
  if (p.operands.empty()) return cli::usage_error(c, "cross", "a Meson project's directory, or source files");
  if (!p.has("--run") && p.has("--arg")) return cli::usage_error(c, "cross", "--arg is for the program --run runs");
  vitte::diagnostic why;
  auto tc = toolchain::find_toolchain(p.get("--target"), {}, &why);
  if (!tc) return cli::fail(c, "cross", why);
  const std::string triple = str(tc->target.str());
  const std::string build_dir = str(p.get("--build-dir", "build-" + triple));
  const bool run = p.has("--run");

  std::string first = str(p.operands[0]);
  auto meson_file = sys::exists(first + "/meson.build");
  if (p.operands.size() == 1 && meson_file && *meson_file) {  // a Meson project
    const std::string file = build_dir + "/vitte-cross-" + triple + ".ini";
    // ccache when installed, as Meson does for the native compilers it finds
    // (CCACHE_DISABLE=1 makes ccache run the compiler as it is).
    auto ccache = sys::find_program("ccache");
    const vitte::text ini = toolchain::meson_cross_file(*tc, toolchain::find_cross_pkg_config(tc->target),
                                                        ccache ? ccache->view() : vitte::text_view());
    auto before = sys::read_file_string(file);
    const bool changed = !before || before->view() != ini.view();
    auto configured = sys::exists(build_dir + "/build.ninja");
    bool reconfigure = configured && *configured;
    if (reconfigure && changed && !p.has("--dry-run")) {
      // Meson keeps a cross file's options, and its --wipe would remove the
      // new cross file with the rest of the directory: configured afresh.
      if (auto gone = sys::remove_all(build_dir); !gone) return cli::fail(c, "cross", build_dir, gone.error());
      reconfigure = false;
    }
    if (auto made = sys::create_directories(build_dir); !made) return cli::fail(c, "cross", build_dir, made.error());
    if (auto st = sys::atomic_replace(file, ini.view()); !st) return cli::fail(c, "cross", file, st.error());
    if (p.has("--dry-run")) return std::fputs(ini.c_str(), stdout), 0;
    sys::command setup("meson");
    setup.arg("setup");
    if (reconfigure) setup.arg("--reconfigure");
    setup.arg("--cross-file").arg(file).args(p.after_dashes).arg(build_dir).arg(first);
    if (int rc = run_command(setup, c, "meson setup"); rc != 0) return rc;
    sys::command compile("meson");
    compile.arg("compile").arg("-C").arg(build_dir);
    if (int rc = run_command(compile, c, "meson compile"); rc != 0) return rc;
    if (run && !p.has("-o")) return cli::usage_error(c, "cross", "--run needs -o: the built program to run");
    if (run)
      return run_built(*tc, build_dir + "/" + str(p.get("-o")) + str(tc->executable_suffix()), p.all("--arg"), c);
    if (c.json)
      cli::json()
          .schema("cross")
          .field("target", triple)
          .field("output", build_dir)
          .field("origin", tc->origin)
          .end_object()
          .print();
    else
      std::printf("%s: built for %s\n", build_dir.c_str(), triple.c_str());
    return 0;
  }

  // Plain sources: one program from all of them.
  std::vector<std::string> sources;
  bool cxx = false;
  for (std::string_view op : p.operands) {
    auto st = sys::stat(std::string(op));
    if (st && st->type == sys::file_type::directory) {
      auto r = sys::directory_reader::open(std::string(op));
      if (!r) return cli::fail(c, "cross", str(op) + ": cannot read the directory");
      std::vector<std::string> found;
      for (const auto& e : *r)
        if (is_source(e.name)) found.push_back(str(op) + "/" + str(e.name));
      std::sort(found.begin(), found.end());
      sources.insert(sources.end(), found.begin(), found.end());
    } else {
      sources.emplace_back(op);
    }
  }
  if (sources.empty()) return cli::usage_error(c, "cross", "no C or C++ source among the operands");
  for (const std::string& s : sources) cxx = cxx || !s.ends_with(".c");
  std::string name = str(p.get("-o"));
  if (name.empty()) {
    name = str(sys::file_name(sources[0]));
    name = name.substr(0, name.rfind('.'));
  }
  const std::string out = build_dir + "/" + name + str(tc->executable_suffix());
  const toolchain::program& driver = cxx ? tc->cxx : tc->cc;
  sys::command compile(driver.path);
  compile.args(driver.args).arg("-O2");
  if (tc->target.is_windows() && tc->target.env() == vitte::machine::environment::gnu)
    compile.arg("-static");  // no MinGW runtime DLLs to find beside the program
  compile.args(sources).args(p.after_dashes).arg("-o").arg(out);
  if (p.has("--dry-run")) {
    auto line = compile.dry_run();
    return line ? (std::printf("%s\n", line->c_str()), 0) : cli::fail(c, "cross", "cannot form the command");
  }
  if (auto made = sys::create_directories(build_dir); !made) return cli::fail(c, "cross", build_dir, made.error());
  if (int rc = run_command(compile, c, "compile"); rc != 0) return rc;
  if (run) return run_built(*tc, out, p.all("--arg"), c);
  if (c.json)
    cli::json()
        .schema("cross")
        .field("target", triple)
        .field("output", out)
        .field("origin", tc->origin)
        .end_object()
        .print();
  else
    std::printf("%s: built for %s\n", out.c_str(), triple.c_str());
  return 0;
}

}  // namespace build_commands

#endif  // VITTE_TOOLS_BUILD_COMMANDS_HPP
