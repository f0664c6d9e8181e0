// vitte - the command-line tool of the Vitte runtime.
//
//   vitte keygen release.key release.pub          new Ed25519 key pair (hex files; the secret is 0600)
//   vitte pack greeter.manifest greeter.bc -o greeter.vitbc [--sign release.key]
//   vitte sign greeter.vitbc release.key [-o signed.vitbc]
//   vitte verify greeter.vitbc release.pub [more.pub...]
//   vitte inspect greeter.vitbc
//   vitte modules -p plugins                       native plugins found, versions, dependencies
//   vitte load calc -p plugins                     load and resolve, print the bindings
//   vitte unload calc -p plugins                   load, release, print the unload order
//   vitte load mods/calc.vitbc --trust release.pub  a container (needs an executor for its payload kind)
//   vitte inspect plugins/libcalc.so               a native plugin's metadata, without loading it
//   vitte inspect prog.wasm                        a wasm module's types, imports, exports, sections
//   vitte run --dir data::/data prog.wasm a b      a WASI program, with the directories it may use
//
//   vitte keygen --signify release.sec release.pub  signify's key files
//   vitte package --name hello --version 1.0 --sign release.sec stage/   dist/: archive, manifest, sums, .sig
//   vitte verify-package --key release.pub dist/   signature, checksums, contents
//   vitte export --format tar.gz stage/            a deterministic archive of a tree
//   vitte cross --target aarch64-linux-gnu .       a Meson project (or sources) for a triple
//   vitte toolchain [--target wasm32-wasi]         the compilers here, or the toolchain for a triple
//
//   vitte help inspect | vitte inspect --help | vitte --version
//   vitte inspect --json greeter.vitbc             one JSON object (docs/schemas/vitte.inspect.json)
//   source <(vitte completion bash)                completions (bash, zsh)
//
// Subcommands live in one table (name, operands, summary, options,
// handler): the help, the man page (docs/vitte.1) and the completions are
// printed from it (tools/cli.hpp has the conventions). Exit status: 0
// success, 1 failure (the reason on stderr), 2 bad usage.
#include <vitte/crypto/key_file.hpp>
#include <vitte/crypto/keygen.hpp>
#include <vitte/loader/description.hpp>
#include <vitte/loader/signature.hpp>
#include <vitte/loader/vitmod.hpp>
#include <vitte/loader/vitmod_file.hpp>
#include <vitte/sys/path.hpp>
#include <vitte/sys/whole_file.hpp>

#include <cstdio>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bindgen_commands.hpp"  // bindgen
#include "build_commands.hpp"    // package, verify-package, export, cross, toolchain, trace
#include "cli.hpp"
#include "cluster_commands.hpp"   // cluster
#include "isolated_commands.hpp"  // load --isolate
#include "loader_commands.hpp"    // modules, load, unload, inspect of native plugins
#include "ninja_commands.hpp"     // build
#include "sandbox_commands.hpp"   // run --sandbox
#include "wasm_commands.hpp"      // run, inspect of .wasm modules

namespace loader = vitte::loader;
namespace ed = vitte::crypto::ed25519;
namespace sys = vitte::sys;

namespace {

using args = std::vector<std::string_view>;
using cli::context;

using cli::hex;

// --- keygen ---------------------------------------------------------------

int cmd_keygen(const cli::parsed& p, const context& c) {
  const args& a = p.operands;
  const bool signify = p.has("--signify");
  if (a.size() != 2) return cli::usage_error(c, "keygen", "two files: the secret key's and the public key's");
  auto kp = ed::generate_key_pair();
  if (!kp) return cli::fail(c, "keygen", {}, kp.error());
  vitte::diagnostic why;
  if (signify) {  // signify's files: `signify -G -n` makes the same
    namespace sg = vitte::release::signify;
    sys::write_options secret;
    secret.permissions = 0600;
    secret.exclusive = true;  // never overwrite a key
    sg::secret_key k = sg::from_key_pair(*kp);
    vitte::text file = sg::secret_key_file(k, "vitte secret key");
    const vitte::status written = sys::write_file(std::string(a[0]), file.view(), secret);
    ed::wipe(file.data(), file.size());
    const vitte::text pub = sg::public_key_file(sg::public_of(k), "vitte public key");
    sg::wipe(k);
    ed::wipe(kp->seed.data(), kp->seed.size());
    if (!written) return cli::fail(c, "keygen", a[0], written.error());
    if (auto st = sys::write_file(std::string(a[1]), pub.view()); !st) return cli::fail(c, "keygen", a[1], st.error());
  } else {
    const vitte::status written =
        vitte::crypto::write_key_file(a[0], kp->seed, vitte::crypto::key_kind::secret_seed, &why);
    ed::wipe(kp->seed.data(), kp->seed.size());
    if (!written) return cli::fail(c, "keygen", why);
    if (!vitte::crypto::write_key_file(a[1], kp->public_key, vitte::crypto::key_kind::public_key, &why))
      return cli::fail(c, "keygen", why);
  }
  const std::string id = hex(loader::key_id_of(kp->public_key));
  if (c.json)
    cli::json()
        .schema("keygen")
        .field("key_id", id)
        .field("secret_key", a[0])
        .field("public_key", a[1])
        .end_object()
        .print();
  else
    std::printf("key id %s\n", id.c_str());
  return 0;
}

// --- pack -----------------------------------------------------------------

int cmd_pack(const cli::parsed& p, const context& c) {
  const std::string out(p.get("-o")), key_path(p.get("--sign"));
  const args& pos = p.operands;
  if (pos.size() != 2) return cli::usage_error(c, "pack", "two operands: the manifest description and the payload");
  if (out.empty()) return cli::usage_error(c, "pack", "-o names the container to write");
  auto desc = sys::read_file_string(std::string(pos[0]));
  if (!desc) return cli::fail(c, "pack", pos[0], desc.error());
  loader::vitmod_builder b;
  vitte::buffer<loader::custom_file> files;
  vitte::diagnostic problem;
  if (auto parsed = loader::parse_description(vitte::text_view(desc->data(), desc->size()), b, files, &problem);
      !parsed)
    return cli::fail(c, "pack", problem.about(pos[0]));
  for (const loader::custom_file& f : files) {
    auto bytes = sys::read_file(f.path);
    if (!bytes) return cli::fail(c, "pack", std::string(pos[0]) + ": custom " + f.name + ": " + f.path, bytes.error());
    b.custom.push_back({f.name, std::move(*bytes), f.required});
  }
  vitte::diagnostic why;
  auto payload = sys::read_file(std::string(pos[1]));
  if (!payload) return cli::fail(c, "pack", pos[1], payload.error());
  b.payload = std::move(*payload);
  ed::key_pair kp;
  if (!key_path.empty()) {
    ed::seed seed{};
    if (!vitte::crypto::read_key_file(key_path, seed, &why)) return cli::fail(c, "pack", why);
    kp = ed::key_pair_from_seed(seed);
    ed::wipe(seed.data(), seed.size());
  }
  const std::vector<std::byte> file = b.build(key_path.empty() ? nullptr : &kp);
  ed::wipe(kp.seed.data(), kp.seed.size());
  if (auto st = sys::atomic_replace(out, file); !st) return cli::fail(c, "pack", out, st.error());
  return 0;
}

// --- sign -----------------------------------------------------------------

int cmd_sign(const cli::parsed& p, const context& c) {
  std::string out(p.get("-o"));
  const args& pos = p.operands;
  if (pos.size() != 2) return cli::usage_error(c, "sign", "two operands: the container and the secret key file");
  if (out.empty()) out = std::string(pos[0]);
  ed::seed seed{};
  vitte::diagnostic why;
  if (!vitte::crypto::read_key_file(pos[1], seed, &why)) return cli::fail(c, "sign", why);
  ed::key_pair kp = ed::key_pair_from_seed(seed);
  ed::wipe(seed.data(), seed.size());
  auto in = sys::read_file(std::string(pos[0]));
  if (!in) return cli::fail(c, "sign", pos[0], in.error());
  auto signed_file = loader::sign_vitmod(*in, kp, {}, &why);
  ed::wipe(kp.seed.data(), kp.seed.size());
  if (!signed_file) {
    if (why.subject().empty()) why.about(pos[0]);  // the bytes came from this file
    return cli::fail(c, "sign", why);
  }
  if (auto st = sys::atomic_replace(out, *signed_file); !st) return cli::fail(c, "sign", out, st.error());
  const std::string id = hex(loader::key_id_of(kp.public_key));
  if (c.json)
    cli::json().schema("sign").field("file", out).field("key_id", id).end_object().print();
  else
    std::printf("signed with key id %s\n", id.c_str());
  return 0;
}

// --- verify ---------------------------------------------------------------

int cmd_verify(const cli::parsed& p, const context& c) {
  const args& a = p.operands;
  if (a.size() < 2) return cli::usage_error(c, "verify", "a container and at least one public key file");
  loader::trust_store store;
  for (std::size_t i = 1; i < a.size(); ++i) {
    ed::public_key pk{};
    vitte::diagnostic why;
    if (!vitte::crypto::read_key_file(a[i], pk, &why)) return cli::fail(c, "verify", why);
    store.add(pk, std::string(a[i]));
  }
  vitte::diagnostic why;
  auto f = loader::open_vitmod(std::string(a[0]), store, loader::verify_policy::require, {}, &why);
  cli::json j;
  if (c.json) j.schema("verify").field("file", a[0]).field("verified", f.has_value());
  if (!f) {
    const vitte::diagnostic_line line = why.format();
    if (c.json) j.field("key_id", "").field("key_name", "").field("error", line.view()).end_object().print();
    return cli::fail(c, "verify", why);
  }
  const std::string id = hex(f->signature.signer->id);
  if (c.json) {
    j.field("key_id", id).field("key_name", f->signature.signer->name).field("error", "").end_object().print();
    return 0;
  }
  std::printf("%.*s: %s (key %s, %s)\n", static_cast<int>(a[0].size()), a[0].data(),
              cli::paint(c.color_out, "verified", "1;32").c_str(), id.c_str(), f->signature.signer->name.c_str());
  return 0;
}

// --- load, unload (containers' signature options) -------------------------

// Reads --trust <public-key-file> (repeatable), --policy off|warn|require
// (default require: a container no trusted key signed is refused) and
// --backend auto|os|image (what runs native ELF plugins), in the order given.
int with_container_options(const cli::parsed& p, const context& c, const char* name,
                           int (*command)(const cli::parsed&, const context&, loader_commands::container_options)) {
  loader_commands::container_options co;
  for (const auto& [option, value] : p.options) {
    if (option == "--trust") {
      ed::public_key pk{};
      vitte::diagnostic why;
      if (!vitte::crypto::read_key_file(value, pk, &why)) return cli::fail(c, name, why);
      co.trust.add(pk, std::string(value));
    } else if (option == "--policy") {
      if (value == "off")
        co.verify = loader::verify_policy::off;
      else if (value == "warn")
        co.verify = loader::verify_policy::warn;
      else if (value == "require")
        co.verify = loader::verify_policy::require;
      else
        return cli::usage_error(c, name, "--policy is off, warn or require");
    } else if (option == "--backend") {
      if (value == "auto")
        co.native = loader::native_backend_choice::automatic;
      else if (value == "os")
        co.native = loader::native_backend_choice::os;
      else if (value == "image")
        co.native = loader::native_backend_choice::image;
      else
        return cli::usage_error(c, name, "--backend is auto, os or image");
    }
  }
  return command(p, c, static_cast<loader_commands::container_options&&>(co));
}
int cmd_load(const cli::parsed& p, const context& c) {
  if (p.has("--isolate")) return isolated_commands::load(p, c);
  return with_container_options(p, c, "load", loader_commands::load);
}
int cmd_unload(const cli::parsed& p, const context& c) {
  return with_container_options(p, c, "unload", loader_commands::unload);
}

// --- inspect --------------------------------------------------------------

const char* kind_name(std::uint32_t k) {
  switch (k) {
    case 1:
      return "strings";
    case 2:
      return "manifest";
    case 3:
      return "payload";
    default:
      return k >= 0x1000 ? "custom" : "unknown";
  }
}

std::string_view symbol_kind_name(loader::symbol_kind k) {
  return k == loader::symbol_kind::function ? "function" : k == loader::symbol_kind::data ? "data" : "type";
}

void inspect_json(std::string_view path, const loader::vitmod_view& v) {
  cli::json j;
  j.schema("inspect").field("file", path).field("format", "vitmod").field("size", std::uint64_t{v.bytes().size()});
  j.key("module").begin_object().field("name", v.manifest().name()).field("version", v.manifest().version_text());
  j.end_object().key("dependencies").begin_array();
  for (const auto& d : v.manifest().dependencies())
    j.begin_object()
        .field("name", d.module)
        .field("range", d.range)
        .field("optional", d.optional)
        .field("lazy", false)
        .end_object();
  j.end_array().key("exports").begin_array();
  for (const auto& e : v.manifest().exports())
    j.begin_object()
        .field("name", e.name)
        .field("kind", symbol_kind_name(e.kind))
        .field("version", e.version)
        .end_object();
  j.end_array().key("imports").begin_array();
  for (const auto& i : v.manifest().imports())
    j.begin_object()
        .field("module", i.module)
        .field("name", i.name)
        .field("kind", symbol_kind_name(i.kind))
        .end_object();
  j.end_array().key("container").begin_object();
  j.field("format_version", std::to_string(v.version_major()) + "." + std::to_string(v.version_minor()));
  j.field("payload_kind", loader::to_string(v.payload_kind())).field("payload_size", std::uint64_t{v.payload().size()});
  j.field("target_arch", std::uint64_t{v.target().arch}).field("target_os", std::uint64_t{v.target().os});
  j.field("signed", v.is_signed()).field("key_id", v.is_signed() ? hex(v.key_id()) : std::string());
  j.key("sections").begin_array();
  for (std::uint32_t i = 0; i < v.section_count(); ++i) {
    const loader::section_view s = v.section(i);
    j.begin_object().field("kind", kind_name(s.kind)).field("name", v.section_name(s)).field("offset", s.offset);
    j.field("size", std::uint64_t{s.bytes.size()}).field("alignment", std::uint64_t{s.alignment});
    j.field("required", s.required()).end_object();
  }
  j.end_array().end_object().end_object().print();
}

int cmd_inspect(const cli::parsed& p, const context& c) {
  const args& a = p.operands;
  if (a.size() != 1) return cli::usage_error(c, "inspect", "one file to inspect");
  if (int rc = 0; loader_commands::inspect(a[0], rc, c)) return rc;  // a native plugin (ELF, PE)
  if (wasm_commands::is_wasm(a[0])) return wasm_commands::inspect(a[0], c);
  vitte::diagnostic why;
  auto f = loader::open_vitmod(std::string(a[0]), loader::trust_store{}, loader::verify_policy::off, {}, &why);
  if (!f) return cli::fail(c, "inspect", why);
  const loader::vitmod_view& v = f->view;
  if (c.json) return inspect_json(a[0], v), 0;
  std::printf("format      vitmod %u.%u, %zu bytes\n", v.version_major(), v.version_minor(), v.bytes().size());
  std::printf("module      %.*s %.*s\n", static_cast<int>(v.manifest().name().size()), v.manifest().name().data(),
              static_cast<int>(v.manifest().version_text().size()), v.manifest().version_text().data());
  std::printf("payload     %s, %zu bytes, target %u/%u\n", std::string(loader::to_string(v.payload_kind())).c_str(),
              v.payload().size(), v.target().arch, v.target().os);
  std::printf("signature   %s\n", v.is_signed() ? ("ed25519, key id " + hex(v.key_id())).c_str() : "none");
  for (const auto& d : v.manifest().dependencies())
    std::printf("depends     %.*s %.*s%s\n", static_cast<int>(d.module.size()), d.module.data(),
                static_cast<int>(d.range.size()), d.range.data(), d.optional ? " (optional)" : "");
  for (const auto& e : v.manifest().exports())
    std::printf("export      %.*s v%u\n", static_cast<int>(e.name.size()), e.name.data(), e.version);
  for (const auto& i : v.manifest().imports())
    std::printf("import      %.*s.%.*s\n", static_cast<int>(i.module.size()), i.module.data(),
                static_cast<int>(i.name.size()), i.name.data());
  for (std::uint32_t i = 0; i < v.section_count(); ++i) {
    const loader::section_view s = v.section(i);
    const std::string_view name = v.section_name(s);
    std::printf("section %u   %-8s offset %llu size %zu align %u%s%s%.*s\n", i, kind_name(s.kind),
                static_cast<unsigned long long>(s.offset), s.bytes.size(), s.alignment, s.required() ? " required" : "",
                name.empty() ? "" : " ", static_cast<int>(name.size()), name.data());
  }
  return 0;
}

int cmd_help(const cli::parsed& p, const context& c);
int cmd_completion(const cli::parsed& p, const context& c);

// --- the table ------------------------------------------------------------

constexpr cli::option no_options[] = {cli::json_option};
constexpr cli::option keygen_options[] = {
    {"--signify", nullptr, "write signify's key files (signify -G -n) instead of hex"},
    cli::json_option,
};
// The options of a package's relations and layout, which `package` and
// `export` share (one list).
#define VITTE_TOOL_PACKAGE_RELATIONS                                                                             \
  {"--depends", "<relation>",                                                                                    \
   "a .deb's Depends, an .rpm's Requires: \"libc6 (>= 2.36)\" or \"glibc >= 2.36\" (repeatable)"},               \
      {"--conflicts", "<relation>", "a .deb's or .rpm's Conflicts (repeatable)"},                                \
      {"--provides", "<relation>", "a .deb's or .rpm's Provides (repeatable)"},                                  \
      {"--conffile", "<path>", "an installed file kept on upgrade, besides those under /etc (repeatable)"},      \
      {"--section", "<section>", "a .deb's Section (default misc)"},                                             \
      {"--priority", "<priority>", "a .deb's Priority (default optional)"},                                      \
      {"--no-shlib-depends", nullptr, "no dependencies on the shared libraries the ELF files need"},             \
      {"--dpkg-admindir", "<dir>", "the dpkg database that maps libraries to packages (default /var/lib/dpkg)"}, \
      {"--keep-modes", nullptr,                                                                                  \
       "each file's permission bits as in the tree (default: 0755 or 0644, a private one 0700 or 0600)"},        \
      {"--scripts", "<dir>", "a .pkg's preinstall and postinstall: the files of those names in <dir>"},

constexpr cli::option package_options[] = {
    {"--name", "<name>", "the package's name (required)"},
    {"--version", "<version>", "its version (required)"},
    {"--target", "<triple>", "the triple its files are built for (default: this machine's)"},
    {"--format", "tar.gz|tar|deb|rpm|msi|pkg", "the archive (default tar.gz)"},
    {"--out", "<dir>", "where to write it (default dist)"},
    {"--force", nullptr, "write into --out even when it already holds files (they may be replaced)"},
    {"--sign", "<secret-key-file>", "sign SHA256SUMS (a signify key, or vitte keygen's hex key)"},
    {"--prefix", "<path>", "a .deb, .rpm or .pkg installs the tree there (default /usr; a .pkg: /usr/local)"},
    {"--maintainer", "<text>", "a .deb's Maintainer, an .rpm's Packager, an .msi's Manufacturer"},
    {"--description", "<text>", "the package's description (its first line: the summary)"},
    {"--release", "<release>", "an .rpm's Release (default 1)"},
    {"--license", "<text>", "an .rpm's License (default unknown)"},
    {"--url", "<url>", "an .rpm's URL"},
    {"--product-code", "<{guid}>", "an .msi's ProductCode (default: derived from the name and version)"},
    {"--upgrade-code", "<{guid}>", "an .msi's UpgradeCode (default: derived from the name)"},
    {"--identifier", "<id>", "a .pkg's package identifier, reverse DNS (default local.<name>)"},
    VITTE_TOOL_PACKAGE_RELATIONS cli::json_option,
};
constexpr cli::option verify_package_options[] = {
    {"--key", "<public-key-file>", "the key SHA256SUMS.sig must be signed with (signify or hex)"},
    {"--no-signature", nullptr, "check the checksums and the manifest only"},
    cli::json_option,
};
constexpr cli::option export_options[] = {
    {"--format", "tar.gz|tar|deb|rpm|msi|pkg", "the archive (default tar.gz)"},
    {"-o", "<file>",
     "the archive to write (default: <top>.<format>); its name gives the format when --format does not"},
    {"--top", "<name>", "the one top directory of a tar (default: the directory's name; empty: none)"},
    {"--name", "<name>", "a .deb, .rpm, .msi or .pkg's package name"},
    {"--version", "<version>", "a .deb, .rpm, .msi or .pkg's version"},
    {"--target", "<triple>", "a .deb, .rpm, .msi or .pkg's target (default: this machine's)"},
    {"--prefix", "<path>", "a .deb, .rpm or .pkg installs the tree there (default /usr; a .pkg: /usr/local)"},
    {"--identifier", "<id>", "a .pkg's package identifier, reverse DNS (default local.<name>)"},
    {"--maintainer", "<text>", "a .deb's Maintainer, an .rpm's Packager, an .msi's Manufacturer"},
    {"--description", "<text>", "the package's description (its first line: the summary)"},
    VITTE_TOOL_PACKAGE_RELATIONS cli::json_option,
};
constexpr cli::option cross_options[] = {
    {"--target", "<triple>", "the triple to build for (short forms: aarch64-linux, wasm32-wasi, x86_64-mingw)"},
    {"--build-dir", "<dir>", "where to build (default build-<triple>)"},
    {"-o", "<name>", "the program: what sources build, or the Meson target --run runs"},
    {"--run", nullptr, "run the program after building it (qemu-user, wine, vitte run)"},
    {"--arg", "<word>", "an argument for the program --run runs (repeatable; what follows -- goes to the compiler)"},
    {"--dry-run", nullptr, "print the cross file or the compile command, run nothing"},
    cli::json_option,
};
constexpr cli::option toolchain_options[] = {
    {"--target", "<triple>", "the toolchain for this triple (default: list every compiler)"},
    cli::json_option,
};
constexpr cli::option pack_options[] = {
    {"-o", "<file>", "the container to write"},
    {"--sign", "<secret-key-file>", "sign it with this key"},
};
constexpr cli::option sign_options[] = {
    {"-o", "<file>", "write the signed container there (default: in place)"},
    cli::json_option,
};
constexpr cli::option modules_options[] = {
    {"-p", "<dir>", "a directory to search for plugins (repeatable; then VITTE_PLUGIN_PATH)"},
    cli::json_option,
};
constexpr cli::option unload_options[] = {
    {"-p", "<dir>", "a directory to search for plugins (repeatable; then VITTE_PLUGIN_PATH)"},
    {"--trust", "<public-key-file>", "a key whose signatures are trusted (repeatable)"},
    {"--policy", "off|warn|require", "what an unsigned or untrusted container gets (default require)"},
    {"--backend", "auto|os|image",
     "what runs native ELF plugins: the OS loader, or in-memory images (default auto: images in a static build)"},
    cli::json_option,
};
constexpr cli::option load_options[] = {
    {"-p", "<dir>", "a directory to search for plugins (repeatable; then VITTE_PLUGIN_PATH)"},
    {"--trust", "<public-key-file>", "a key whose signatures are trusted (repeatable)"},
    {"--policy", "off|warn|require", "what an unsigned or untrusted container gets (default require)"},
    {"--backend", "auto|os|image",
     "what runs native ELF plugins: the OS loader, or in-memory images (default auto: images in a static build)"},
    {"--isolate", nullptr,
     "load a native plugin out of process, in a sandboxed plugin host (docs/SANDBOX.md); print its exports"},
    {"--host", "<program>",
     "with --isolate: the plugin host (default $VITTE_PLUGIN_HOST, else vitte-plugin-host beside vitte, else on PATH)"},
    cli::json_option,
};
constexpr cli::option run_options[] = {
    {"--dir", "<host-dir>[::<guest>]", "a directory the program may use (repeatable; WASI only)"},
    {"--env", "NAME=value", "an environment variable for the program (repeatable)"},
    {"--fuel", "<count>", "stop after this many instructions (WASI only)"},
    {"--timeout", "<seconds>",
     "stop after this long (with --sandbox: every process of the sandbox is killed; exit 124)"},
    {"--max-memory", "<bytes>", "cap its memory (65536, 64MiB, 1GiB; with --sandbox: all its processes together)"},
    {"--invoke", "<export>", "call this export with the operands as arguments, print its results (WASI only)"},
    {"--sandbox", nullptr, "run a native program under vitte::sys::sandbox instead (docs/SANDBOX.md)"},
    {"--allow-read", "<path>", "with --sandbox: a tree the program may read (repeatable)"},
    {"--allow-write", "<path>", "with --sandbox: a tree the program may read and write (repeatable)"},
    {"--allow-exec", "<path>", "with --sandbox: a tree the program may read and execute (repeatable)"},
    {"--net", "none|loopback|any", "with --sandbox: the network it gets (default none)"},
    {"--limit", "cpu=S,mem=B,as=B,files=N,procs=N,fsize=B,wall=S",
     "with --sandbox: resource limits (mem: the whole sandbox's memory; as: each process's address space)"},
    {"--syscalls", "standard|compiler|unfiltered", "with --sandbox: the system-call profile (default standard)"},
    {"--clear-env", nullptr, "with --sandbox: pass only PATH, HOME, LANG and TERM"},
    {"--strict", nullptr, "with --sandbox: refuse to run when a protection is missing"},
    {"--max-output", "<bytes>",
     "with --sandbox --json: keep at most this much of stdout and of stderr (default 16MiB)"},
    {"--runtime", "system|minimal|none",
     "with --sandbox: the system trees allowed (default system: /usr, /lib*, all of /etc; minimal: the dynamic "
     "loader's files of /etc only)"},
    {"--user", "NAME[:GROUP]|UID[:GID]", "with --sandbox: run the program as this user (the caller must be root)"},
    cli::json_option,
};

// run: a .wasm program, or with --sandbox a native one.
int cmd_run(const cli::parsed& p, const context& c) {
  return p.has("--sandbox") ? sandbox_commands::run(p, c) : wasm_commands::run(p, c);
}

constexpr cli::option trace_options[] = {
    {"-o", "<file>", "write the Chrome trace there (default: standard output)"},
    {"--ninja-log", "<file>", "also write the steps that finished as a .ninja_log"},
};
constexpr cli::option build_options[] = {
    {"-C", "<dir>", "change to this directory first (where build.ninja is)"},
    {"-f", "<file>", "the manifest (default build.ninja)"},
    {"-j", "<N>",
     "run N commands at once (default: CPUs + 2; 0: no limit); a make they run shares the N (make's jobserver)"},
    {"-k", "<N>", "keep going until N commands fail (default 1; 0: never stop)"},
    {"-n", nullptr, "dry run: show what would run, run nothing"},
    {"-v", nullptr, "show each command line instead of its description"},
    {"-t", "<tool>", "run a subtool instead of building: clean, commands, compdb, targets (-t list)"},
    {"--content-hashes", nullptr,
     "a touched input whose bytes did not change reruns nothing (digests in .vitte_digests; ninja agrees after)"},
    {"--cache", "<dir>", "take compiles' objects from this shared output cache, and store them there"},
    {"--remote", "<url>", "with --cache: a remote cache under it (http://... Bazel or redis://...)"},
    {"--base-dir", "<dir>", "with --cache: keys relative to this directory, so other checkouts share objects"},
    {"--distcc", "<hosts>",
     "compile on these distcc servers (DISTCC_HOSTS form: HOST[:PORT][/LIMIT]... localhost/N); -j counts their "
     "slots"},
};

const cli::option cluster_options[] = {
    {"--compiler", "<cc>", "the compiler the servers are probed with (default cc)"},
    {"--timeout", "<seconds>", "how long each server gets to answer the probe (default 5)"},
    {"--cache", "<dir>", "also show this build cache's hits and misses"},
    cli::json_option,
};

const cli::command commands[] = {
    {"keygen", "<secret-key-file> <public-key-file>", "make an Ed25519 key pair (hex or signify; the secret is 0600)",
     keygen_options, cmd_keygen},
    {"pack", "<manifest-description> <payload>", "make a container from a manifest description and a payload",
     pack_options, cmd_pack},
    {"sign", "<container> <secret-key-file>", "sign a container (replacing any signature)", sign_options, cmd_sign},
    {"verify", "<container> <public-key-file>...", "check a container's signature against trusted keys", no_options,
     cmd_verify},
    {"inspect", "<container|plugin|module.wasm>",
     "show a container's, a plugin's or a wasm module's metadata (never loads it)", no_options, cmd_inspect},
    {"modules", "", "list the native plugins in the search paths", modules_options, loader_commands::modules},
    {"load", "<module|file>", "load a module and its dependencies, print the bindings", load_options, cmd_load},
    {"unload", "<module|file>", "load, then release a module: print the unload order", unload_options, cmd_unload},
    {"run", "<prog.wasm> [args...] | --sandbox <program> [args...]",
     "run a WASI program (or call one export), or a native program sandboxed; exit with its status", run_options,
     cmd_run, true},
    {"package", "<dir>", "package a tree: archive, manifest.json, SHA256SUMS and its signature", package_options,
     build_commands::package},
    {"verify-package", "<dist-dir>", "check a package's signature, checksums and contents", verify_package_options,
     build_commands::verify_package},
    {"export", "<dir>", "write a tree as a deterministic tar, tar.gz, .deb, .rpm, .msi or .pkg", export_options,
     build_commands::export_tree},
    {"cross", "<meson-project-dir>|<sources...> [-- compiler or meson-setup args]",
     "build a Meson project or sources for a target triple with the toolchain found", cross_options,
     build_commands::cross, false, true},
    {"build", "[<target>...]", "run a build.ninja as ninja does (its .ninja_log and .ninja_deps kept)", build_options,
     ninja_commands::build},
    {"trace", "<events-file>", "a build's events file (a killed build's too) as a Chrome trace and a .ninja_log",
     trace_options, build_commands::trace},
    {"bindgen", "<header>...",
     "a C library's headers as C++ bindings: declarations, layouts checked, a signature-checked symbol table",
     bindgen_commands::options, bindgen_commands::run},
    {"toolchain", "", "list this machine's compilers, or show the toolchain for a triple", toolchain_options,
     build_commands::show_toolchain},
    {"cluster", "<host-list>",
     "probe distcc servers (\"HOST[:PORT][/LIMIT] ...\"): up, compiler there, a compile's time; a cache's hits",
     cluster_options, cluster_commands::status},
    {"completion", "bash|zsh", "print the shell completion script", {}, cmd_completion},
    {"help", "[<command>]", "the list of commands, or one command's help", {}, cmd_help},
};

const cli::command* find_command(std::string_view name) {
  for (const cli::command& c : commands)
    if (name == c.name) return &c;
  return nullptr;
}

// Its words arrive unparsed, as operands (main): `help --man` is not an option.
int cmd_help(const cli::parsed& p, const context& c) {
  const args& a = p.operands;
  if (a.empty()) return cli::print_overview(stdout, commands), 0;
  if (a.size() == 1 && (a[0] == "--help" || a[0] == "-h")) return cli::print_help(stdout, *find_command("help")), 0;
  if (a.size() == 1 && a[0] == "--man") return std::fputs(cli::man_page(commands).c_str(), stdout), 0;
  const cli::command* cmd = a.size() == 1 ? find_command(a[0]) : nullptr;
  if (cmd == nullptr) return cli::usage_error(c, "help", "no command '" + std::string(a.empty() ? "" : a[0]) + "'");
  cli::print_help(stdout, *cmd);
  return 0;
}

int cmd_completion(const cli::parsed& p, const context& c) {
  const args& a = p.operands;
  if (a.size() == 1 && a[0] == "bash") return std::fputs(cli::bash_completion(commands).c_str(), stdout), 0;
  if (a.size() == 1 && a[0] == "zsh") return std::fputs(cli::zsh_completion(commands).c_str(), stdout), 0;
  return cli::usage_error(c, "completion", "the shell is bash or zsh");
}

}  // namespace

int main(int argc, char** argv) {
  context ctx;
  ctx.color_out = cli::color_for(sys::standard_stream::output);
  ctx.color_err = cli::color_for(sys::standard_stream::error);
  const std::string_view name = argc > 1 ? argv[1] : "";
  if (name == "--version" || name == "-V") return std::printf("vitte %s\n", cli::version_text().c_str()), 0;
  if (name == "--help" || name == "-h") return cli::print_overview(stdout, commands), 0;
  if (argc < 2) return cli::print_overview(stderr, commands), 2;
  const cli::command* c = find_command(name);
  if (c == nullptr) {
    cli::fail(ctx, name, "unknown command");
    std::vector<std::string_view> names;
    for (const cli::command& k : commands) names.emplace_back(k.name);
    if (const auto guesses = cli::closest(name, names); !guesses.empty())
      std::fprintf(stderr, "hint: did you mean %s?\n", cli::quoted_choices(guesses).c_str());
    std::fprintf(stderr, "hint: vitte help lists the commands\n");
    return 2;
  }
  const args in(argv + 2, argv + argc);
  if (c->run == cmd_help) {  // help --man is the man page's generator, not an option
    cli::parsed words;
    words.operands = in;
    return cmd_help(words, ctx);
  }
  const cli::parsed p = cli::parse_args(*c, in, ctx);
  switch (p.outcome) {
    case cli::verdict::help:
      return cli::print_help(stdout, *c), 0;
    case cli::verdict::bad:
      return cli::usage_error(ctx, c->name, p.why, p.suggestion);
    case cli::verdict::run:
      break;
  }
  return c->run(p, ctx);
}
