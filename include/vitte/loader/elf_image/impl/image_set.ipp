// image_set's steps (vitte/loader/elf_image/image_set.hpp): find the
// closure breadth first, load it dependencies first with the unbound names
// of every image collected, then run the initializers in the same order.
#ifndef VITTE_LOADER_ELF_IMAGE_IMPL_IMAGE_SET_IPP
#define VITTE_LOADER_ELF_IMAGE_IMPL_IMAGE_SET_IPP

#include <vitte/loader/elf_image/image_set.hpp>
#include <vitte/loader/elf_image/impl/host.hpp>
#include <vitte/loader/elf_image/impl/image.ipp>
#include <vitte/sys/file.hpp>
#include <vitte/sys/file_map.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>  // std::unique_ptr: staged images
#include <string>
#include <string_view>
#include <vector>

namespace vitte::loader::elf_image {

#if VITTE_IMAGE_HOST
namespace detail {

/// One object of the closure while the set loads: its file, mapped, its
/// identity, the objects it needs (indices into the closure), the one that
/// first needed it, and its stages.
struct set_member {
  std::string path;
  std::string asked;  // the DT_NEEDED name it was found for (the root: its path)
  sys::file file;
  sys::file_map map;
  std::uint64_t device = 0, inode = 0;
  std::vector<std::size_t> needs;
  std::size_t loader = 0;          // the member that first needed it (the root: itself)
  std::vector<std::string> rpath;  // its DT_RPATH, expanded; used when it has no DT_RUNPATH
  bool has_runpath = false;
  std::unique_ptr<staged_image> staged;  // mapped, then bound
  image_state* st = nullptr;             // once mapped, or an image already resident (NODELETE)
  bool bound = false;                    // relocated: its IFUNCs may run
  image img;
};

/// What the set's images bind to, in this order: the set's images in its
/// order (the root, then breadth first: ld.so's global scope for the set),
/// the libraries of the process the set opened, the caller's lookup.
struct set_scope {
  std::vector<set_member>* members;
  const buffer<void*>* handles;
  symbol_lookup next;
  void* next_context;

  static void* find(void* context, text_view name, text_view version) noexcept {
    auto* s = static_cast<set_scope*>(context);
    symbol_key key(name);  // hashed once for every member
    for (set_member& m : *s->members)
      if (m.st != nullptr)
        if (void* a = symbol_address(*m.st, m.bound, key, version)) return a;
    std::string n(name), v(version);
    for (void* h : *s->handles)
      if (void* a = needed_symbol(h, n.c_str(), v.empty() ? nullptr : v.c_str())) return a;
    return s->next != nullptr ? s->next(s->next_context, name, version) : nullptr;
  }
};

/// A member's view of the scope for its own definitions: the members
/// before it (linker::interpose_with).
struct set_interposer {
  std::vector<set_member>* members;
  std::size_t self;

  static void* find(void* context, text_view name, text_view version) noexcept {
    auto* s = static_cast<set_interposer*>(context);
    symbol_key key(name);
    for (std::size_t i = 0; i < s->self; ++i) {
      const set_member& m = (*s->members)[i];
      if (m.st != nullptr)
        if (void* a = symbol_address(*m.st, m.bound, key, version)) return a;
    }
    return nullptr;
  }
};

/// `list` (DT_RPATH or DT_RUNPATH: directories separated by ':') with
/// $ORIGIN and ${ORIGIN} replaced by the directory of `path`, appended to `out`.
VITTE_DECL void expand_path_list(std::string_view list, std::string_view path, std::vector<std::string>& out) {
  std::string_view origin = path.substr(0, path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/'));
  if (origin.empty()) origin = path.find('/') == 0 ? std::string_view("/") : std::string_view(".");
  while (!list.empty()) {
    std::size_t sep = list.find(':');
    std::string_view d = list.substr(0, sep);
    list = sep == std::string_view::npos ? std::string_view{} : list.substr(sep + 1);
    if (d.empty()) continue;
    std::string e;
    for (std::size_t i = 0; i < d.size();) {
      if (d.substr(i, 7) == "$ORIGIN") {
        e.append(origin), i += 7;
      } else if (d.substr(i, 9) == "${ORIGIN}") {
        e.append(origin), i += 9;
      } else {
        e.push_back(d[i++]);
      }
    }
    out.push_back(static_cast<std::string&&>(e));
  }
}

VITTE_DECL bool listed(span<const text_view> names, std::string_view name) noexcept {
  for (std::string_view n : names)
    if (n == name) return true;
  return false;
}

/// Opens and maps `path`, and checks that it is an object this host loads
/// (ld.so skips a library of another architecture on its search path too).
VITTE_DECL bool open_member(set_member& m, const image_options& options) {
  result<sys::file> f = sys::file::open(sys::path_arg(m.path.c_str()), sys::open_mode::read);
  if (!f) return false;
  result<sys::file_map> map = sys::file_map::map(*f);
  if (!map) return false;
  parser p(std::span<const std::byte>(map->data(), map->size()), nullptr);
  if (!p.header(options)) return false;
  if (!file_identity(f->native(), &m.device, &m.inode)) return false;
  m.file = static_cast<sys::file&&>(*f);
  m.map = static_cast<sys::file_map&&>(*map);
  return true;
}

/// The member already in the closure that is the same file as `m` (two
/// names, or a link), or members.size().
VITTE_DECL std::size_t same_file(const std::vector<set_member>& members, const set_member& m) noexcept {
  std::size_t i = 0;
  while (i < members.size() && (members[i].device != m.device || members[i].inode != m.inode)) ++i;
  return i;
}

/// The closure of members[0] (opened), breadth first: each member's
/// needed libraries found and opened, or bound to the process (`handles`
/// gets the runtime libraries opened for the set); `lost` names each needed
/// library found nowhere and who needs it.
VITTE_DECL status find_closure(std::vector<set_member>& members, const image_set_options& o, buffer<void*>& handles,
                               std::vector<std::string>& lost, vitte::diagnostic* why) {
  std::vector<std::string> from_env, system;
  library_dirs(from_env, system);
  for (std::size_t i = 0; i < members.size(); ++i) {
    parser p(std::span<const std::byte>(members[i].map.data(), members[i].map.size()), why);
    if (status s = p.header(o.image); !s) return s;
    if (status s = p.dynamic_section(false); !s) return s;  // load() checks the rest
    members[i].has_runpath = p.dyn.has_runpath;
    if (p.dyn.has_rpath) expand_path_list(p.name(p.dyn.rpath), members[i].path, members[i].rpath);
    // ld.so's order: without DT_RUNPATH, the DT_RPATH of the object and of
    // each object that loaded it (those without DT_RUNPATH of their own).
    std::vector<std::string> dirs;
    if (!p.dyn.has_runpath)
      for (std::size_t k = i;; k = members[k].loader) {
        if (!members[k].has_runpath) dirs.insert(dirs.end(), members[k].rpath.begin(), members[k].rpath.end());
        if (k == 0) break;
      }
    for (std::string_view d : o.search) dirs.emplace_back(d);
    dirs.insert(dirs.end(), from_env.begin(), from_env.end());
    if (p.dyn.has_runpath) expand_path_list(p.name(p.dyn.runpath), members[i].path, dirs);
    dirs.insert(dirs.end(), system.begin(), system.end());
    for (std::uint64_t off : p.dyn.needed) {
      std::string name = p.name(off);
      std::size_t known = 0;
      while (known < members.size() && members[known].asked != name && members[known].path != name) ++known;
      if (known < members.size()) {
        members[i].needs.push_back(known);
        continue;
      }
      if (!listed(o.as_image, name)) {
        void* h = nullptr;
        if (listed(o.from_process, name)) continue;
        if (process_provides(name.c_str(), &h)) {
          if (h != nullptr) handles.push_back(h);
          continue;
        }
      }
      set_member m;
      m.asked = name;
      bool found = false;
      if (name.find('/') != std::string::npos) {
        m.path = name;
        found = open_member(m, o.image);
      }
      for (std::size_t d = 0; !found && name.find('/') == std::string::npos && d < dirs.size(); ++d) {
        m.path = dirs[d].empty() || dirs[d].back() != '/' ? dirs[d] + "/" + name : dirs[d] + name;
        found = open_member(m, o.image);
      }
      if (!found) {
        lost.push_back(name + " (needed by " + members[i].path + ")");
        continue;
      }
      if (std::size_t same = same_file(members, m); same < members.size()) {  // reached under another name
        members[i].needs.push_back(same);
        continue;
      }
      m.loader = i;
      members[i].needs.push_back(members.size());
      members.push_back(static_cast<set_member&&>(m));
    }
  }
  return {};
}

/// Marks member `i` and everything it needs, transitively, as staying loaded.
VITTE_DECL void mark_staying(const std::vector<set_member>& members, std::size_t i, std::vector<std::uint8_t>& stays) {
  if (stays[i] != 0) return;
  stays[i] = 1;
  for (std::size_t d : members[i].needs) mark_staying(members, d, stays);
}

/// The members in dependency order (each after what it needs; a cycle
/// broken where it closes), as ld.so initialises them.
VITTE_DECL void dependency_order(const std::vector<set_member>& members, std::size_t i, std::vector<std::uint8_t>& seen,
                                 buffer<std::size_t>& out) {
  seen[i] = 1;
  for (std::size_t k = members[i].needs.size(); k-- > 0;)  // the last needed first, as ld.so's sort
    if (std::size_t d = members[i].needs[k]; seen[d] == 0) dependency_order(members, d, seen, out);
  out.push_back(i);
}

}  // namespace detail
#endif

VITTE_DECL result<image_set> image_set::load(text_view path, const image_set_options& options, vitte::diagnostic* why,
                                             diagnostic_list* diag) noexcept {
#if VITTE_IMAGE_HOST
  namespace d = detail;
  if (d::static_process_in_dynamic_build()) return d::refuse_static_process(why);
  std::vector<d::set_member> members(1);
  members[0].path.assign(path.data(), path.size());
  members[0].asked = members[0].path;
  result<sys::file> root = sys::file::open(sys::path_arg(members[0].path.c_str()), sys::open_mode::read);
  if (!root) {
    (void)vitte::loader::detail::refuse(why, root.error().kind(), vitte::diagnostic::no_offset, "cannot open");
    if (why != nullptr) why->about(members[0].path);
    return root.error();
  }
  result<sys::file_map> root_map = sys::file_map::map(*root);
  if (!root_map) {
    (void)vitte::loader::detail::refuse(why, root_map.error().kind(), vitte::diagnostic::no_offset, "cannot map");
    if (why != nullptr) why->about(members[0].path);
    return root_map.error();
  }
  (void)d::file_identity(root->native(), &members[0].device, &members[0].inode);
  members[0].file = static_cast<sys::file&&>(*root);
  members[0].map = static_cast<sys::file_map&&>(*root_map);
  image_set set;
  std::vector<std::string> lost;
  if (status s = d::find_closure(members, options, set.handles_, lost, why); !s) return s.error();
  if (!lost.empty()) {
    for (const std::string& l : lost)
      if (diag != nullptr) diag->add(errc::not_found, members[0].path, "needed library not found: " + l);
    if (vitte::loader::detail::refuse(why, errc::not_found, vitte::diagnostic::no_offset,
                                      "needed library not found: ") &&
        why != nullptr)
      why->append(lost[0]);
    return error{errc::not_found, ops::module_load};
  }
  std::vector<std::uint8_t> seen(members.size(), 0);
  d::dependency_order(members, 0, seen, set.init_order_);
  // Every image mapped, then every one bound in the whole set (a cycle, a
  // dependency using its dependent's definitions), dependencies first;
  // none of their initializers has run when an unbound name anywhere
  // refuses the set. A NODELETE library already resident is that image.
  for (d::set_member& m : members) {
    if ((m.st = d::resident_images::get().find(m.device, m.inode)) != nullptr) {
      m.bound = true;
      m.img = d::image_access::make(m.st);  // a handle only: close() leaves a resident image
      continue;
    }
    image_options o = options.image;
    o.run_init = false, o.os_needed = false, o.name = m.path;
    m.staged = std::make_unique<d::staged_image>(std::span<const std::byte>(m.map.data(), m.map.size()), o, why, diag);
    if (status s = m.staged->map(m.file.native()); !s) {
      if (why != nullptr) vitte::loader::detail::name_file(*why, m.path);  // the member refused
      if (diag != nullptr && why != nullptr) diag->add(*why);
      return s.error();  // what is mapped so far goes with `members`
    }
    m.st = m.staged->st;
    m.st->device = m.device, m.st->inode = m.inode;
  }
  d::set_scope scope{&members, &set.handles_, options.image.lookup, options.image.lookup_context};
  std::vector<d::set_interposer> interposers(members.size());
  diagnostic_list unbound;  // every member's unbound names, about the member
  for (std::size_t i : set.init_order_) {
    d::set_member& m = members[i];
    if (m.staged == nullptr) continue;  // resident
    interposers[i] = d::set_interposer{&members, i};
    m.staged->options.lookup = &d::set_scope::find, m.staged->options.lookup_context = &scope;
    m.staged->l.interpose_with(&d::set_interposer::find, &interposers[i]);
    if (status s = m.staged->bind(&unbound); !s) {
      if (why != nullptr) vitte::loader::detail::name_file(*why, m.path);  // the member refused
      if (diag != nullptr && why != nullptr) diag->add(*why);
      return s.error();
    }
    m.bound = !m.st->dormant;
    m.img = m.staged->release();
  }
  if (!unbound.empty()) {
    if (diag != nullptr) diag->add_all(unbound);
    if (why != nullptr) {  // the first; the list has them all
      *why = unbound.items()[0];
      if (unbound.size() > 1) why->append(" (and ").append(unbound.size() - 1).append(" more)");
    }
    return error{errc::not_found, ops::module_link};
  }
  // What stays loaded keeps what it binds to loaded too, as ld.so keeps a
  // NODELETE object's dependencies.
  std::vector<std::uint8_t> stays(members.size(), 0);
  for (std::size_t i = 0; i < members.size(); ++i)
    if (members[i].st->nodelete ||
        (members[i].staged != nullptr &&
         (options.image.unload == unload_policy::never ||
          (options.image.unload == unload_policy::as_marked && members[i].st->marked_nodelete))))
      d::mark_staying(members, i, stays);
  for (std::size_t i : set.init_order_) {
    d::image_state& st = *members[i].st;
    if (members[i].staged != nullptr) d::settle(st, stays[i] != 0 ? unload_policy::never : unload_policy::always);
    d::run_init(st);
  }
  for (d::set_member& m : members) {
    set.images_.push_back(static_cast<image&&>(m.img));
    set.paths_.emplace_back(text_view(m.path.data(), m.path.size()));
  }
  return set;
#else
  (void)path, (void)options, (void)diag;
  return vitte::loader::detail::refuse(why, errc::not_supported, vitte::diagnostic::no_offset,
                                       "in-memory ELF images are not supported on this host", ops::module_load);
#endif
}

VITTE_DECL void* image_set::symbol(text_view name, text_view version) const noexcept {
#if VITTE_IMAGE_HOST
  detail::symbol_key key(name);  // hashed once for every image
  for (const image& i : images_)
    if (detail::image_state* st = detail::image_access::state(i))
      if (void* a = detail::symbol_address(*st, true, key, version)) return a;
  std::string n(name), v(version);
  for (void* h : handles_)
    if (void* a = detail::needed_symbol(h, n.c_str(), v.empty() ? nullptr : v.c_str())) return a;
#else
  (void)name, (void)version;
#endif
  return nullptr;
}

VITTE_DECL void image_set::close() noexcept {
  for (std::size_t k = init_order_.size(); k-- > 0;)
    if (init_order_[k] < images_.size()) images_[init_order_[k]].close();
  images_.clear();
  paths_.clear();
  init_order_.clear();
#if VITTE_IMAGE_HOST
  for (void* h : handles_) detail::needed_close(h);
#endif
  handles_.clear();
}

}  // namespace vitte::loader::elf_image

#endif  // VITTE_LOADER_ELF_IMAGE_IMPL_IMAGE_SET_IPP
