// vitte/release/detail/package_tree.ipp - list_package_tree, write_package_tree (package_tree.hpp).
#ifndef VITTE_RELEASE_DETAIL_PACKAGE_TREE_IPP
#define VITTE_RELEASE_DETAIL_PACKAGE_TREE_IPP

#include <vitte/archive/tar.hpp>
#include <vitte/crypto/md5.hpp>              // a .deb's md5sums
#include <vitte/crypto/sha256.hpp>           // the manifest's
#include <vitte/release/detail/failure.hpp>  // refuse
#include <vitte/release/detail/package_tree.hpp>
#include <vitte/release/detail/sha256_hex.hpp>  // digest_hex
#include <vitte/release/operations.hpp>         // ops::package
#include <vitte/sys/directory.hpp>              // walk
#include <vitte/sys/file.hpp>                   // files read in pieces
#include <vitte/sys/metadata.hpp>               // lstat: modes, sizes, device and inode
#include <vitte/sys/path_ops.hpp>               // read_symlink

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace vitte::release::detail {

// A failure about `path`: what, and the system's reason after it.
VITTE_DECL vitte::error tree_failure(vitte::diagnostic* why, vitte::error e, const char* what, text_view path,
                                     bool with_reason = true) {
  (void)refuse(why, e.kind(), vitte::diagnostic::no_offset, path, what);
  if (why != nullptr && with_reason) why->append(" (").append(e.message().view()).append(")");
  return e;
}

// The packed mode of a file or directory whose bits on disk are `mode`;
// `private_kept`: one that others may not read stays private.
VITTE_DECL std::uint32_t packed_mode(std::uint32_t mode, bool directory, bool keep, bool private_kept) {
  if (keep) return mode;
  const bool exec = directory || (mode & 0111) != 0;
  if (private_kept && (mode & 0004) == 0) return exec ? 0700 : 0600;
  return exec ? 0755 : 0644;
}

VITTE_DECL status list_package_tree(text_view directory, text_view top, const package_tree_options& options,
                                    std::vector<tree_item>& out, vitte::diagnostic* why) {
  namespace sys = vitte::sys;
  struct item {
    std::string rel;
    sys::file_type type = sys::file_type::unknown;
    std::uint32_t mode = 0;
    std::uint64_t size = 0, device = 0, inode = 0, links = 0;
  };
  std::vector<item> items;
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
    it.size = st->size;
    it.device = st->device;
    it.inode = st->inode;
    it.links = st->links;
    items.push_back(static_cast<item&&>(it));
    return sys::walk_action::next;
  });
  if (!walked) return tree_failure(why, walked.error(), "cannot read the tree", directory);
  if (walk_error == errc::not_supported)
    return tree_failure(why, walk_error, "a device, FIFO or socket (a package holds none)", walk_path, false);
  if (walk_error != errc::ok) return tree_failure(why, walk_error, "cannot read the tree", walk_path);
  std::sort(items.begin(), items.end(), [](const item& a, const item& b) { return a.rel < b.rel; });

  // What others may not read while they may read the directory that holds
  // it (the tree itself for what is at its top) was made private: a tree
  // made under a umask such as 077 has every directory closed to them too.
  result<sys::file_status> root_status = sys::stat(directory);
  const std::uint32_t root_mode = root_status ? root_status->permissions : 0755;
  const auto private_kept = [&](const item& it) {
    const std::size_t slash = it.rel.rfind('/');
    std::uint32_t parent = root_mode;
    if (slash != std::string::npos) {
      const std::string up = it.rel.substr(0, slash);
      const auto at = std::lower_bound(items.begin(), items.end(), up,
                                       [](const item& a, const std::string& rel) { return a.rel < rel; });
      if (at != items.end() && at->rel == up) parent = at->mode;
    }
    return (parent & 0005) == 0005;
  };
  std::string prefix(top);
  if (!prefix.empty()) {
    tree_item t;
    t.path = prefix;
    t.type = archive::entry_type::directory;
    t.mode = 0755;
    out.push_back(static_cast<tree_item&&>(t));
    prefix += '/';
  }
  std::vector<std::pair<const item*, std::size_t>> firsts;  // the first name of each file with several, its entry
  for (const item& it : items) {
    tree_item t;
    t.path = prefix + it.rel;
    t.source = full + it.rel;
    if (it.type == sys::file_type::directory) {
      t.type = archive::entry_type::directory;
      t.mode = packed_mode(it.mode, true, options.keep_modes, private_kept(it));
    } else if (it.type == sys::file_type::symlink) {
      result<text> target = sys::read_symlink(t.source);
      if (!target) return tree_failure(why, target.error(), "cannot read the symbolic link", t.source);
      t.type = archive::entry_type::symlink;
      t.mode = 0777;
      t.link = std::string(target->view());
    } else {
      t.mode = packed_mode(it.mode, false, options.keep_modes, private_kept(it));
      t.size = it.size;
      if (options.hard_links && it.links > 1) {
        for (const auto& [f, at] : firsts)
          if (f->device == it.device && f->inode == it.inode) {
            t.type = archive::entry_type::hard_link;
            t.link = out[at].path;
            t.size = 0;
          }
        if (t.type != archive::entry_type::hard_link) firsts.push_back({&it, out.size()});
      }
    }
    out.push_back(static_cast<tree_item&&>(t));
  }
  return {};
}

VITTE_DECL status write_package_tree(archive::tar_writer& w, std::vector<tree_item>& items, bool md5,
                                     const tar_drain& drain, vitte::diagnostic* why) {
  namespace sys = vitte::sys;
  buffer<std::byte> piece;
  std::uint64_t read = 0;
  const auto hand_on = [&]() -> status {
    buffer<std::byte> written = w.take();
    return drain.put(written.span(), drain.user);
  };
  for (tree_item& it : items) {
    status s;
    if (it.type == archive::entry_type::directory)
      s = w.add_directory(it.path, it.mode);
    else if (it.type == archive::entry_type::symlink)
      s = w.add_symlink(it.path, it.link);
    else if (it.type == archive::entry_type::hard_link)
      s = w.add_hard_link(it.path, it.link, it.mode);
    else
      s = w.begin_file(it.path, it.size, it.mode);
    if (!s)
      return tree_failure(why, s.error(), "a name tar cannot hold", it.source.empty() ? it.path : it.source, false);
    if (it.type != archive::entry_type::file) continue;
    result<sys::file> f = sys::file::open(it.source, sys::open_mode::read);
    if (!f) return tree_failure(why, f.error(), "cannot read the file", it.source);
    if (piece.empty() && it.size != 0 && !piece.try_resize_for_overwrite(tree_piece))
      return tree_failure(why, vitte::error{errc::no_memory, ops::package}, "cannot read the file", it.source);
    crypto::sha256 sha;
    crypto::md5 sum;
    for (std::uint64_t left = it.size; left != 0;) {
      const std::size_t want = left < piece.size() ? static_cast<std::size_t>(left) : piece.size();
      result<std::size_t> got = f->read(span<std::byte>(piece.data(), want));
      if (!got) return tree_failure(why, got.error(), "cannot read the file", it.source);
      if (*got != want)
        return tree_failure(why, vitte::error{errc::io_error, ops::package},
                            "cannot read the file (it shrank while it was packed)", it.source, false);
      const span<const std::byte> data(piece.data(), want);
      sha.update(data);
      if (md5) sum.update(data);
      if (status a = w.append(data); !a) return tree_failure(why, a.error(), "cannot write", it.path, false);
      left -= want;
      read += want;
      if (status h = hand_on(); !h) return h;
      if (drain.read != nullptr) drain.read(read, drain.user);
    }
    std::byte extra[1];
    if (result<std::size_t> more = f->read(span<std::byte>(extra, 1)); more && *more != 0)
      return tree_failure(why, vitte::error{errc::io_error, ops::package},
                          "cannot read the file (it grew while it was packed)", it.source, false);
    it.sha256 = digest_hex(sha.finish());
    if (md5) it.md5 = digest_hex(sum.finish());
  }
  return hand_on();
}

}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_PACKAGE_TREE_IPP
