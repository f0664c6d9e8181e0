// vitte/archive/impl/pack.ipp - pack_tree, add_tree (vitte/archive/pack.hpp).
#ifndef VITTE_ARCHIVE_IMPL_PACK_IPP
#define VITTE_ARCHIVE_IMPL_PACK_IPP

#include <vitte/archive/pack.hpp>
#include <vitte/archive/tar.hpp>
#include <vitte/sys/directory.hpp>
#include <vitte/sys/metadata.hpp>
#include <vitte/sys/path_ops.hpp>
#include <vitte/sys/whole_file.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace vitte::archive {

VITTE_DECL status add_tree(tar_writer& w, text_view directory, text_view top, vitte::diagnostic* why) {
  namespace sys = vitte::sys;
  struct item {
    std::string rel;
    sys::file_type type;
    bool executable;
  };
  std::vector<item> items;
  const char* refused = nullptr;
  std::string refused_path;
  const std::size_t root = directory.size() + (directory.ends_with('/') ? 0 : 1);
  status walked = sys::walk(directory, [&](const sys::walk_entry& e) {
    std::string rel(text_view(e.path).substr(root));
    for (char& c : rel)
      if (c == '\\') c = '/';  // Windows separators
    sys::file_type t = e.is_symlink ? sys::file_type::symlink : e.type;
    if (t != sys::file_type::regular && t != sys::file_type::directory && t != sys::file_type::symlink) {
      refused = "a device, FIFO or socket (not packed)";
      refused_path = rel;
      return sys::walk_action::stop;
    }
    bool exec = false;
    if (t == sys::file_type::regular) {
      result<sys::file_status> st = sys::stat(e.path);
      if (st) exec = (st->permissions & 0111) != 0;
    }
    items.push_back({static_cast<std::string&&>(rel), t, exec});
    return sys::walk_action::next;
  });
  // `what` about `path`; the system's message when `err` came from it.
  auto failed = [&](vitte::error err, const char* what, text_view path, bool system = true) -> vitte::error {
    if (why != nullptr) {
      why->clear();
      why->of(err.kind()).about(path).say(what);
      if (system) why->append(": ").append(err.message().view());
    }
    return vitte::error{err.kind(), ops::tar_pack};
  };
  std::string full(directory);
  if (!full.empty() && full.back() != '/') full += '/';
  if (!walked) return failed(walked.error(), "cannot read the tree", directory);
  if (refused != nullptr)
    return failed(vitte::error{errc::not_supported, ops::tar_pack}, refused, full + refused_path, false);
  std::sort(items.begin(), items.end(), [](const item& a, const item& b) { return a.rel < b.rel; });

  std::string prefix(top);
  if (!prefix.empty()) {
    if (status s = w.add_directory(prefix); !s) return failed(s.error(), "bad top directory name", top, false);
    prefix += '/';
  }
  for (const item& it : items) {
    const std::string name = prefix + it.rel;
    const std::string source = full + it.rel;
    status s;
    if (it.type == sys::file_type::directory) {
      s = w.add_directory(name, 0755);
    } else if (it.type == sys::file_type::symlink) {
      result<text> target = sys::read_symlink(source);
      if (!target) return failed(target.error(), "cannot read the symbolic link", source);
      s = w.add_symlink(name, *target);
    } else {
      result<buffer<std::byte>> bytes = sys::read_file(source);
      if (!bytes) return failed(bytes.error(), "cannot read the file", source);
      s = w.add_file(name, span<const std::byte>(bytes->data(), bytes->size()), it.executable ? 0755 : 0644);
    }
    if (!s) return failed(s.error(), "a name tar cannot hold", source, false);
  }
  return {};
}

VITTE_DECL result<buffer<std::byte>> pack_tree(text_view directory, text_view top, const write_options& options,
                                               vitte::diagnostic* why) {
  tar_writer w(options);
  if (status s = add_tree(w, directory, top, why); !s) return s.error();
  return w.finish();
}

}  // namespace vitte::archive

#endif  // VITTE_ARCHIVE_IMPL_PACK_IPP
