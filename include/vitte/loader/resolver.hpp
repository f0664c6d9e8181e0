// vitte/loader/resolver.hpp - from names to files, and from a module to the
// order in which it and its dependencies load.
//
//   namespace vl = vitte::loader;
//   vl::resolver r({.paths = {"/opt/app/plugins"}});        // explicit; never the current directory
//   vitte::diagnostic_list why;
//   r.scan(&why).value();                                     // reads metadata only: nothing is loaded
//   auto order = r.plan("app", {}, &why);                     // dependencies first, "app" last
//   if (!order) std::fputs(why.joined().c_str(), stderr);
//   //  cyc_x: cycle: cyc_x -> cyc_y -> cyc_z -> cyc_x
//   //  miss_dep: missing (needed by): ghost_one ^1.0 (miss_dep), ghost_two * (miss_dep)
//   //  ver_both: version conflict: ver_base: ^1.0 (ver_user1), ^2.0 (ver_user2); available: 1.0.0, 1.5.0, 2.0.0
//
// Search paths are the directories the host gives, in order; the
// directories of an environment variable are added only when the host names
// the variable (search_options::environment_variable). Every file with a
// library suffix (.so, .dll, .dylib, .vitplug) in them is read as a plugin
// (vitte/loader/inspect.hpp), and every .vitmod / .vitbc file as a
// container (vitte/loader/container.hpp: its manifest gives the same module
// model, so containers and plugins depend on each other freely); a module is
// known by the name it declares,
// not by its file name, so several versions can sit side by side.
// Plugins this program cannot load (another architecture, ABI) are set
// aside with the reason (a diagnostic about the module), which a "missing"
// error repeats; so are, when the
// loader requires signatures (verify_policy::require), containers that are
// unsigned or signed by a key it does not trust, so that planning picks the
// highest version that will load. (A forged signature by a trusted key id is
// found when loading: it takes hashing the whole file.)
//
// Planning picks, for every module reached through non-lazy dependencies,
// the highest version that satisfies every range asked of it (and the
// loaded version, for modules already loaded: `pinned`), until the choice
// is stable; then sorts topologically. Optional dependencies that are not
// found are left out; lazy ones are not followed (the loader loads them on
// first use). Errors (module_resolve): not_found (every missing module,
// listed at once), version_mismatch (conflicting ranges), too_many_links
// (a cycle, printed), invalid_argument (a bad range or version text). Each
// problem is an entry of the caller's diagnostic_list, about the module
// planned (or the module whose dependency is bad).
//
// Thread safety: scan() and add() need exclusive use; the rest is const.
#ifndef VITTE_LOADER_RESOLVER_HPP
#define VITTE_LOADER_RESOLVER_HPP

#include <vitte/base.hpp>
#include <vitte/loader/container.hpp>  // read_module_file: plugins and containers
#include <vitte/loader/diagnostics.hpp>
#include <vitte/loader/inspect.hpp>
#include <vitte/loader/module.hpp>
#include <vitte/loader/operations.hpp>
#include <vitte/loader/semver.hpp>
#include <vitte/loader/signature.hpp>  // trust_store
#include <vitte/sys/directory.hpp>
#include <vitte/sys/environment.hpp>
#include <vitte/sys/path.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::loader {

/// Where plugins are looked for.
struct search_options {
  /// Directories, searched in this order. The current directory is never
  /// searched unless listed here (as an absolute path, preferably).
  buffer<text> paths{};
  /// When not empty, the directories listed in this environment variable
  /// (separated by ':' or, on Windows, ';') are searched after `paths`.
  /// Opt-in: nothing is read from the environment otherwise.
  text environment_variable{};
};

/// A module already loaded, which planning must reuse as it is.
struct pinned_module {
  text name;
  std::uint64_t content_hash = 0;
};

/// True when `file` has a suffix a module file can have: a plugin's (.so,
/// .dll, .dylib, .vitplug), a container's (.vitmod, .vitbc) or a
/// WebAssembly module's (.wasm).
inline bool has_plugin_suffix(text_view file) noexcept {
  for (text_view s : {text_view(".so"), text_view(".dll"), text_view(".dylib"), text_view(".vitplug")})
    if (file.size() > s.size() && file.substr(file.size() - s.size()) == s) return true;
  return has_container_suffix(file) || has_wasm_suffix(file);
}

/// Finds plugins in search paths and plans loads (see the header).
class resolver {
 public:
  resolver() = default;
  explicit resolver(search_options options) : options_(static_cast<search_options&&>(options)) {}

  const search_options& options() const noexcept { return options_; }

  /// Forgets what was found and reads every plugin in the search paths.
  /// Unreadable files (an entry about the file) and plugins this program
  /// cannot load (about the module) are noted in `diag` and skipped; a
  /// search path that does not exist is skipped. Errors: none so far (the
  /// call reports problems per file).
  template <class P = sys::platform>
  status scan(diagnostic_list* diag = nullptr);

  /// From the next scan on, sets aside containers that are unsigned or
  /// signed by a key `trust` lacks (the loader does this under
  /// verify_policy::require); nullptr admits every container. `trust` must
  /// outlive the resolver's scans.
  void require_signers(const trust_store* trust) noexcept { signers_ = trust; }

  /// Adds a plugin found otherwise (a file loaded by path). A plugin with
  /// the same name and content hash is not added twice.
  void add(module_info info);

  /// Every usable plugin found, in search order.
  const buffer<module_info>& modules() const noexcept { return found_; }
  /// Files set aside: one diagnostic each, about the module, its message
  /// the file and the reason ("plugins/libx.so: built for aarch64, ...").
  const diagnostic_list& rejected() const noexcept { return rejected_; }

  /// The highest version of `name` that satisfies `range`; nullptr when none.
  const module_info* best(text_view name, text_view range = "*") const noexcept;

  /// The load order of the module called `name` (highest version) or of
  /// `root`: every module it needs, dependencies first, itself last.
  /// Errors: see the header.
  result<buffer<const module_info*>> plan(text_view name, const buffer<pinned_module>& pinned = {},
                                          diagnostic_list* diag = nullptr) const;
  result<buffer<const module_info*>> plan(const module_info& root, const buffer<pinned_module>& pinned = {},
                                          diagnostic_list* diag = nullptr) const;

 private:
  template <class P>
  void scan_directory(const text& dir, diagnostic_list* diag);
  const char* unsigned_refusal(const module_info& info) const noexcept;
  void set_aside(const module_info& info, const char* refusal);
  void note_set_aside(text_view name, diagnostic_list* diag) const;

  search_options options_;
  const trust_store* signers_ = nullptr;
  buffer<module_info> found_;
  diagnostic_list rejected_;
};

// ---------------------------------------------------------------------------

template <class P>
status resolver::scan(diagnostic_list* diag) {
  found_.clear();
  rejected_.clear();
  for (const text& dir : options_.paths) scan_directory<P>(dir, diag);
  if (!options_.environment_variable.empty()) {
    result<text> value = sys::get_env<P>(options_.environment_variable);
    if (value) {
      const char sep = VITTE_OS_WINDOWS ? ';' : ':';
      text_view rest = *value;
      while (!rest.empty()) {
        std::size_t end = rest.find(sep);
        text_view dir = rest.substr(0, end);
        if (!dir.empty()) scan_directory<P>(text(dir), diag);
        if (end == text_view::npos) break;
        rest.remove_prefix(end + 1);
      }
    }
  }
  return {};
}

template <class P>
void resolver::scan_directory(const text& dir, diagnostic_list* diag) {
  result<sys::basic_directory_reader<P>> r = sys::basic_directory_reader<P>::open(dir);
  if (!r) return;  // a search path that does not exist holds no plugin
  buffer<text> files;
  for (;;) {
    result<const sys::dir_entry*> e = r->next();
    if (!e || *e == nullptr) break;
    if (has_plugin_suffix((*e)->name)) files.push_back(sys::path_join(dir, (*e)->name));
  }
  // Listing order is the file system's; sort for a stable search order.
  for (std::size_t i = 1; i < files.size(); ++i)
    for (std::size_t j = i; j > 0 && files[j] < files[j - 1]; --j) files[j].swap(files[j - 1]);
  for (const text& path : files) {
    vitte::diagnostic why;
    result<module_info> info = read_module_file<P>(path, &why);
    if (!info) {
      if (info.error() != errc::not_found) note(diag, why);  // not a plugin at all: silent
      continue;
    }
    const std::size_t before = rejected_.size();
    if (!check_compatible(*info, &rejected_)) {
      if (rejected_.size() > before) note(diag, rejected_.back());
      continue;
    }
    if (const char* refusal = unsigned_refusal(*info); refusal != nullptr) {
      set_aside(*info, refusal);
      note(diag, rejected_.back());
      continue;
    }
    add(static_cast<module_info&&>(*info));
  }
}

}  // namespace vitte::loader

#if VITTE_HEADER_ONLY
#include <vitte/loader/impl/resolver.ipp>
#endif

#endif  // VITTE_LOADER_RESOLVER_HPP
