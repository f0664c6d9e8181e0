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
// Subcommands live in one table (name, usage, handler); the loader adds its
// own (load, run) the same way. Exit status: 0 success, 1 failure (the
// reason on stderr), 2 bad usage.
#include <vitte/crypto/keygen.hpp>
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

#include "loader_commands.hpp"  // modules, load, unload, inspect of native plugins
#include "wasm_commands.hpp"    // run, inspect of .wasm modules

namespace loader = vitte::loader;
namespace ed = vitte::crypto::ed25519;
namespace sys = vitte::sys;

namespace {

using args = std::vector<std::string_view>;

int fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "vitte: %s: %.*s\n", what, static_cast<int>(detail.size()), detail.data());
  return 1;
}
int fail(const char* what, const vitte::error& e) { return fail(what, e.message().view()); }
int fail(const char* what, const loader::format_error& e) { return fail(what, e.message().view()); }

std::string hex(std::span<const std::uint8_t> bytes) {
  std::string s;
  for (std::uint8_t b : bytes) {
    s += "0123456789abcdef"[b >> 4];
    s += "0123456789abcdef"[b & 15];
  }
  return s;
}

// Reads a key file: 64 hex digits (whitespace around them ignored).
template <class Key>
bool read_key(std::string_view path, Key& out, std::string& why) {
  auto text = sys::read_file_string(std::string(path));
  if (!text) return why = text.error().message().view(), false;
  std::string digits;
  for (char c : *text)
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') digits += c;
  if (digits.size() != out.size() * 2) return why = "expected 64 hexadecimal digits", false;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto nib = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    const int hi = nib(digits[2 * i]), lo = nib(digits[2 * i + 1]);
    if (hi < 0 || lo < 0) return why = "not a hexadecimal key", false;
    out[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return true;
}

// --- keygen ---------------------------------------------------------------

int cmd_keygen(const args& a) {
  if (a.size() != 2) return 2;
  auto kp = ed::generate_key_pair();
  if (!kp) return fail("keygen", kp.error());
  sys::write_options secret;
  secret.permissions = 0600;
  secret.exclusive = true;  // never overwrite a key
  const std::string seed = hex(kp->seed) + "\n";
  if (auto st = sys::write_file(std::string(a[0]), seed, secret); !st) return fail("keygen", st.error());
  if (auto st = sys::write_file(std::string(a[1]), hex(kp->public_key) + "\n"); !st) return fail("keygen", st.error());
  std::printf("key id %s\n", hex(loader::key_id_of(kp->public_key)).c_str());
  return 0;
}

// --- pack -----------------------------------------------------------------

// The manifest description: one "key = value" per line, '#' comments.
//   name = greeter            version = 1.2.0            kind = bytecode|native|wasm
//   target = <arch> <os>      depends = <module> <range...>
//   depends-optional = <module> <range...>
//   export = <name> [function|data|type] [version]
//   import = <module> <name> [function|data|type]
//   custom = <name> <file> [required]
bool parse_description(std::string_view text, loader::vitmod_builder& b, std::string& why) {
  const auto kind_of = [](std::string_view k, loader::symbol_kind& out) {
    if (k == "function") return out = loader::symbol_kind::function, true;
    if (k == "data") return out = loader::symbol_kind::data, true;
    if (k == "type") return out = loader::symbol_kind::type, true;
    return false;
  };
  const auto words = [](std::string_view s) {
    std::vector<std::string_view> w;
    std::size_t i = 0;
    while (i < s.size()) {
      while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
      std::size_t j = i;
      while (j < s.size() && s[j] != ' ' && s[j] != '\t') ++j;
      if (j > i) w.push_back(s.substr(i, j - i));
      i = j;
    }
    return w;
  };
  int line_no = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    if (const std::size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t')) line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    const std::size_t eq = line.find('=');
    const auto bad = [&](const char* what) {
      why = "line " + std::to_string(line_no) + ": " + what;
      return false;
    };
    if (eq == std::string_view::npos) return bad("expected key = value");
    const std::vector<std::string_view> key = words(line.substr(0, eq));
    std::string_view value = line.substr(eq + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    const std::vector<std::string_view> w = words(value);
    if (key.size() != 1 || w.empty()) return bad("expected key = value");
    const std::string_view k = key[0];
    if (k == "name") {
      b.manifest.name = std::string(value);
    } else if (k == "version") {
      b.manifest.version = std::string(value);
    } else if (k == "kind") {
      if (value == "bytecode")
        b.payload_kind = loader::payload_kind::bytecode;
      else if (value == "native")
        b.payload_kind = loader::payload_kind::native;
      else if (value == "wasm")
        b.payload_kind = loader::payload_kind::wasm;
      else
        return bad("kind is bytecode, native or wasm");
    } else if (k == "target") {
      if (w.size() != 2) return bad("target = <arch> <os>");
      b.target = {static_cast<std::uint16_t>(std::stoul(std::string(w[0]))),
                  static_cast<std::uint16_t>(std::stoul(std::string(w[1])))};
    } else if (k == "depends" || k == "depends-optional") {
      if (w.size() < 2) return bad("depends = <module> <range>");
      const std::string_view range = value.substr(static_cast<std::size_t>(w[1].data() - value.data()));
      if (const char* e = loader::semver_range::validate(range)) return bad(e);
      b.manifest.dependencies.push_back({std::string(w[0]), std::string(range), k == "depends-optional"});
    } else if (k == "export") {
      loader::export_entry e{std::string(w[0]), loader::symbol_kind::function, 1};
      if (w.size() > 1 && !kind_of(w[1], e.kind)) return bad("kind is function, data or type");
      if (w.size() > 2) e.version = static_cast<std::uint32_t>(std::stoul(std::string(w[2])));
      b.manifest.exports.push_back(e);
    } else if (k == "import") {
      if (w.size() < 2) return bad("import = <module> <name> [kind]");
      loader::import_entry i{std::string(w[0]), std::string(w[1]), loader::symbol_kind::function};
      if (w.size() > 2 && !kind_of(w[2], i.kind)) return bad("kind is function, data or type");
      b.manifest.imports.push_back(i);
    } else if (k == "custom") {
      if (w.size() < 2) return bad("custom = <name> <file> [required]");
      auto bytes = sys::read_file(std::string(w[1]));
      if (!bytes) return bad("cannot read the custom section's file");
      b.custom.push_back({std::string(w[0]), std::move(*bytes), w.size() > 2 && w[2] == "required"});
    } else {
      return bad("unknown key");
    }
  }
  if (b.manifest.name.empty() || b.manifest.version.empty()) return why = "name and version are required", false;
  loader::semver v;
  if (const char* e = loader::semver::parse(b.manifest.version, v)) return why = std::string("version: ") + e, false;
  return true;
}

int cmd_pack(const args& a) {
  std::string out, key_path;
  std::vector<std::string_view> pos;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if ((a[i] == "-o" || a[i] == "--sign") && i + 1 < a.size()) {
      std::string& target = a[i] == "-o" ? out : key_path;
      target = std::string(a[++i]);
    } else {
      pos.push_back(a[i]);
    }
  }
  if (pos.size() != 2 || out.empty()) return 2;
  auto desc = sys::read_file_string(std::string(pos[0]));
  if (!desc) return fail("pack", desc.error());
  loader::vitmod_builder b;
  std::string why;
  if (!parse_description(*desc, b, why)) return fail("pack: manifest", why);
  auto payload = sys::read_file(std::string(pos[1]));
  if (!payload) return fail("pack: payload", payload.error());
  b.payload = std::move(*payload);
  ed::key_pair kp;
  if (!key_path.empty()) {
    ed::seed seed{};
    if (!read_key(key_path, seed, why)) return fail("pack: key", why);
    kp = ed::key_pair_from_seed(seed);
    ed::wipe(seed.data(), seed.size());
  }
  const std::vector<std::byte> file = b.build(key_path.empty() ? nullptr : &kp);
  ed::wipe(kp.seed.data(), kp.seed.size());
  if (auto st = sys::atomic_replace(out, file); !st) return fail("pack", st.error());
  return 0;
}

// --- sign -----------------------------------------------------------------

int cmd_sign(const args& a) {
  std::string out;
  std::vector<std::string_view> pos;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] == "-o" && i + 1 < a.size())
      out = std::string(a[++i]);
    else
      pos.push_back(a[i]);
  }
  if (pos.size() != 2) return 2;
  if (out.empty()) out = std::string(pos[0]);
  ed::seed seed{};
  std::string why;
  if (!read_key(pos[1], seed, why)) return fail("sign: key", why);
  ed::key_pair kp = ed::key_pair_from_seed(seed);
  ed::wipe(seed.data(), seed.size());
  auto in = sys::read_file(std::string(pos[0]));
  if (!in) return fail("sign", in.error());
  auto signed_file = loader::sign_vitmod(*in, kp);
  ed::wipe(kp.seed.data(), kp.seed.size());
  if (!signed_file) return fail("sign", signed_file.error());
  if (auto st = sys::atomic_replace(out, *signed_file); !st) return fail("sign", st.error());
  std::printf("signed with key id %s\n", hex(loader::key_id_of(kp.public_key)).c_str());
  return 0;
}

// --- verify ---------------------------------------------------------------

int cmd_verify(const args& a) {
  if (a.size() < 2) return 2;
  loader::trust_store store;
  for (std::size_t i = 1; i < a.size(); ++i) {
    ed::public_key pk{};
    std::string why;
    if (!read_key(a[i], pk, why)) return fail("verify: key", why);
    store.add(pk, std::string(a[i]));
  }
  auto f = loader::open_vitmod(std::string(a[0]), store, loader::verify_policy::require);
  if (!f) return fail("verify", f.error());
  std::printf("%.*s: verified (key %s, %s)\n", static_cast<int>(a[0].size()), a[0].data(),
              hex(f->signature.signer->id).c_str(), f->signature.signer->name.c_str());
  return 0;
}

// --- load, unload (containers' signature options) -------------------------

// Takes --trust <public-key-file> (repeatable) and --policy off|warn|require
// out of `a` (default require: a container no trusted key signed is refused).
int with_container_options(const args& a, int (*command)(const args&, loader_commands::container_options)) {
  loader_commands::container_options c;
  args rest;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] == "--trust" && i + 1 < a.size()) {
      ed::public_key pk{};
      std::string why;
      if (!read_key(a[++i], pk, why)) return fail("load: key", why);
      c.trust.add(pk, std::string(a[i]));
    } else if (a[i] == "--policy" && i + 1 < a.size()) {
      const std::string_view p = a[++i];
      if (p == "off")
        c.verify = loader::verify_policy::off;
      else if (p == "warn")
        c.verify = loader::verify_policy::warn;
      else if (p == "require")
        c.verify = loader::verify_policy::require;
      else
        return 2;
    } else {
      rest.push_back(a[i]);
    }
  }
  return command(rest, static_cast<loader_commands::container_options&&>(c));
}
int cmd_load(const args& a) { return with_container_options(a, loader_commands::load); }
int cmd_unload(const args& a) { return with_container_options(a, loader_commands::unload); }

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

int cmd_inspect(const args& a) {
  if (a.size() != 1) return 2;
  if (int rc = 0; loader_commands::inspect(a[0], rc)) return rc;  // a native plugin (ELF, PE)
  if (wasm_commands::is_wasm(a[0])) return wasm_commands::inspect(a[0]);
  auto f = loader::open_vitmod(std::string(a[0]), loader::trust_store{}, loader::verify_policy::off);
  if (!f) return fail("inspect", f.error());
  const loader::vitmod_view& v = f->view;
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

// --- the table ------------------------------------------------------------

struct subcommand {
  const char* name;
  const char* usage;
  const char* summary;
  int (*run)(const args&);
};

int cmd_help(const args&);

const subcommand commands[] = {
    {"keygen", "keygen <secret-key-file> <public-key-file>", "make an Ed25519 key pair (hex; the secret is 0600)",
     cmd_keygen},
    {"pack", "pack <manifest-description> <payload> -o <out> [--sign <secret-key-file>]",
     "make a container from a manifest description and a payload", cmd_pack},
    {"sign", "sign <container> <secret-key-file> [-o <out>]", "sign a container (replacing any signature)", cmd_sign},
    {"verify", "verify <container> <public-key-file>...", "check the signature against trusted keys", cmd_verify},
    {"inspect", "inspect <container|plugin|module.wasm>",
     "show a container's or a native plugin's metadata (never loads it)", cmd_inspect},
    {"modules", "modules [-p <dir>]...", "list the native plugins in the search paths", loader_commands::modules},
    {"load", "load <module|file> [-p <dir>]... [--trust <public-key-file>]... [--policy off|warn|require]",
     "load a plugin or container and its dependencies, print the bindings", cmd_load},
    {"unload", "unload <module> [-p <dir>]... [--trust <public-key-file>]... [--policy off|warn|require]",
     "load, then release a module: print the unload order", cmd_unload},
    {"run",
     "run [--dir <host>[::<guest>]]... [--env NAME=value]... [--fuel N] [--timeout S] [--max-memory B] [--invoke NAME] "
     "<prog.wasm> [args...]",
     "run a WASI program (or call one export); exit with its status", wasm_commands::run},
    {"help", "help", "this list", cmd_help},
};

int cmd_help(const args&) {
  std::printf("usage: vitte <command> [arguments]\n\n");
  for (const subcommand& c : commands) std::printf("  %-70s %s\n", c.usage, c.summary);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return cmd_help({}), 2;
  const std::string_view name = argv[1];
  for (const subcommand& c : commands) {
    if (name != c.name) continue;
    const args a(argv + 2, argv + argc);
    const int rc = c.run(a);
    // run exits with the program's status, which may be 2; its own bad usage is 2 with nothing run.
    if (rc == 2 && (c.run != wasm_commands::run || wasm_commands::bad_usage))
      std::fprintf(stderr, "usage: vitte %s\n", c.usage);
    return rc;
  }
  std::fprintf(stderr, "vitte: unknown command '%s' (vitte help lists them)\n", argv[1]);
  return 2;
}
