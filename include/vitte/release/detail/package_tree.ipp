// vitte/release/detail/package_tree.ipp - add_package_tree (package_tree.hpp).
#ifndef VITTE_RELEASE_DETAIL_PACKAGE_TREE_IPP
#define VITTE_RELEASE_DETAIL_PACKAGE_TREE_IPP

#include <vitte/archive/tar.hpp>
#include <vitte/release/detail/failure.hpp>  // refuse
#include <vitte/release/detail/package_tree.hpp>
#include <vitte/release/operations.hpp>  // ops::package
#include <vitte/sys/directory.hpp>       // walk
#include <vitte/sys/metadata.hpp>        // lstat: modes, device and inode
#include <vitte/sys/path_ops.hpp>        // read_symlink
#include <vitte/sys/whole_file.hpp>      // read_file

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace vitte::release::detail {

VITTE_DECL status add_package_tree(archive::tar_writer& w, text_view directory, text_view top,
                                   const package_tree_options& options, vitte::diagnostic* why) {
  namespace sys = vitte::sys;
  struct item {
    std::string rel;
    sys::file_type type = sys::file_type::unknown;
    std::uint32_t mode = 0;
    std::uint64_t device = 0, inode = 0, links = 0;
  };
  std::vector<item> items;
  const auto fail = [&](vitte::error e, const char* what, text_view path, bool with_reason = true) -> vitte::error {
    (void)refuse(why, e.kind(), vitte::diagnostic::no_offset, path, what);
    if (why != nullptr && with_reason) why->append(" (").append(e.message().view()).append(")");
    return e;
  };
  std::string full(directory);
  if (!full.empty() && full.back() != '/') full += '/';
  const std::size_t root = full.size();
  vitte::error walk_error;
  std::string walk_path;
  status walked = sys::walk(directory, [&](const sys::walk_entry& e) {
    std::string rel(text_view(e.path).substr(root));
    for (char& c : rel)
      if (c == '\\') c = '/';  // Windows separators
    item it;
    it.rel = rel;
    it.type = e.is_symlink ? sys::file_type::symlink : e.type;
    if (it.type != sys::file_type::regular && it.type != sys::file_type::directory &&
        it.type != sys::file_type::symlink) {
      walk_error = vitte::error{errc::not_supported, ops::package};
      walk_path = std::string(e.path);
      return sys::walk_action::stop;
    }
    result<sys::file_status> st = sys::lstat(e.path);
    if (!st) {
      walk_error = st.error();
      walk_path = std::string(e.path);
      return sys::walk_action::stop;
    }
    it.mode = st->permissions & 07777;
    it.device = st->device;
    it.inode = st->inode;
    it.links = st->links;
    items.push_back(static_cast<item&&>(it));
    return sys::walk_action::next;
  });
  if (!walked) return fail(walked.error(), "cannot read the tree", directory);
  if (walk_error == errc::not_supported)
    return fail(walk_error, "a device, FIFO or socket (a package holds none)", walk_path, false);
  if (walk_error != errc::ok) return fail(walk_error, "cannot read the tree", walk_path);
  std::sort(items.begin(), items.end(), [](const item& a, const item& b) { return a.rel < b.rel; });

  std::string prefix(top);
  if (!prefix.empty()) {
    if (status s = w.add_directory(prefix); !s) return fail(s.error(), "a bad top directory name", top, false);
    prefix += '/';
  }
  std::vector<const item*> firsts;  // the first name of each file with several
  for (const item& it : items) {
    const std::string name = prefix + it.rel;
    const std::string source = full + it.rel;
    status s;
    if (it.type == sys::file_type::directory) {
      s = w.add_directory(name, options.keep_modes ? it.mode : 0755);
    } else if (it.type == sys::file_type::symlink) {
      result<text> target = sys::read_symlink(source);
      if (!target) return fail(target.error(), "cannot read the symbolic link", source);
      s = w.add_symlink(name, *target);
    } else {
      const item* first = nullptr;
      if (options.hard_links && it.links > 1) {
        for (const item* f : firsts)
          if (f->device == it.device && f->inode == it.inode) first = f;
        if (first == nullptr) firsts.push_back(&it);
      }
      if (first != nullptr) {
        s = w.add_hard_link(name, prefix + first->rel);
      } else {
        result<buffer<std::byte>> bytes = sys::read_file(source);
        if (!bytes) return fail(bytes.error(), "cannot read the file", source);
        const std::uint32_t mode = options.keep_modes ? it.mode : (it.mode & 0111) != 0 ? 0755 : 0644;
        s = w.add_file(name, span<const std::byte>(bytes->data(), bytes->size()), mode);
      }
    }
    if (!s) return fail(s.error(), "a name tar cannot hold", source, false);
  }
  return {};
}

}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_PACKAGE_TREE_IPP
