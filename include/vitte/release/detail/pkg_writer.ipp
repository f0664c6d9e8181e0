// vitte/release/detail/pkg_writer.ipp - pkg_write() and pkg_arch() (pkg.hpp):
// the tree of a tar as a Payload and its Bom, the component's PackageInfo,
// the product's Distribution, all in one xar archive.
#ifndef VITTE_RELEASE_DETAIL_PKG_WRITER_IPP
#define VITTE_RELEASE_DETAIL_PKG_WRITER_IPP

#include <vitte/archive/tar.hpp>  // the tree to package
#include <vitte/base/buffer.hpp>
#include <vitte/base/detail/bytes.hpp>  // bytes_of, text_of
#include <vitte/base/detail/utf8.hpp>   // names macOS can hold
#include <vitte/base/result.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/compress/stream.hpp>  // the Payload's and Scripts' gzip, as they are written
#include <vitte/crypto/sha256.hpp>    // what the manifest lists
#include <vitte/machine/triple.hpp>
#include <vitte/release/detail/bom.hpp>
#include <vitte/release/detail/cpio.hpp>
#include <vitte/release/detail/cpio_odc.hpp>
#include <vitte/release/detail/failure.hpp>       // refuse_error, pass_on
#include <vitte/release/detail/package_name.hpp>  // name_ok
#include <vitte/release/detail/pkg.hpp>
#include <vitte/release/detail/sha256_hex.hpp>  // digest_hex
#include <vitte/release/detail/xar.hpp>
#include <vitte/release/detail/xml.hpp>
#include <vitte/release/operations.hpp>  // ops::package
#include <vitte/sys/file.hpp>            // files read in pieces

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

namespace vitte::release::detail {

VITTE_DECL text_view pkg_arch(const machine::triple& t) {
  if (!t.is_apple()) return "";
  switch (t.arch()) {
    case machine::architecture::x86_64:
      return "x86_64";
    case machine::architecture::aarch64:
      return "arm64";
    default:
      return "";
  }
}

namespace pkg_write_detail {

// One path of the tree as the Payload and the Bom hold it.
struct item {
  std::string path;  // "." or "./bin/hello"
  archive::entry_type type = archive::entry_type::directory;
  std::uint32_t mode = 0755;   // permission bits
  span<const std::byte> data;  // in memory (pkg_write), or
  std::string source;          // read from here in pieces (pkg_write_tree)
  std::uint64_t size = 0;      // a file's data
  std::string link;
  std::uint32_t checksum = 0;  // bom_cksum of the data or the target, once written
  std::string sha256;          // a file's, once written
};

inline std::uint32_t type_bits(archive::entry_type t) noexcept {
  return t == archive::entry_type::directory ? 040000 : t == archive::entry_type::symlink ? 0120000 : 0100000;
}

// A gzip'd odc cpio of `items` to `out`, each file's data read in pieces
// (and its Bom checksum computed on the way).
VITTE_DECL status cpio_gz(std::vector<item>& items, std::uint32_t time, int level, archive_sink& out,
                          vitte::diagnostic* why) {
  const auto fail = [&](errc kind, const char* w, text_view d) { return refuse_error(why, kind, d, w); };
  compress::compressor z(compress::format::gzip, level);
  buffer<std::byte> squeezed, piece;
  const auto feed = [&](span<const std::byte> data) -> status {
    status s = z.write(data, squeezed);
    if (s) s = out.write(squeezed.span());
    squeezed.clear();
    return s;
  };
  std::string a;
  std::uint32_t ino = 0;
  for (item& i : items) {
    cpio_fields c;
    c.ino = ++ino;
    c.mode = type_bits(i.type) | i.mode;
    c.nlink = i.type == archive::entry_type::directory ? 2 : 1;
    c.mtime = time;
    const bool symlink = i.type == archive::entry_type::symlink;
    const std::uint64_t size = symlink ? i.link.size() : i.type == archive::entry_type::file ? i.size : 0;
    a.clear();
    if (!cpio_odc_header(a, i.path, c, size))
      return fail(errc::limit_exceeded, "a path or file too large for cpio", i.path);
    if (status s = feed(vitte::detail::bytes_of(a)); !s)
      return fail(s.error().kind(), "cannot write the Payload", i.path);
    std::uint32_t crc = 0;
    crypto::sha256 sha;
    if (symlink || i.source.empty()) {
      const span<const std::byte> data = symlink ? vitte::detail::bytes_of(i.link) : i.data;
      crc = bom_cksum_update(crc, data);
      sha.update(data);
      if (status s = feed(data); !s) return fail(s.error().kind(), "cannot write the Payload", i.path);
    } else if (size != 0) {
      result<vitte::sys::file> in = vitte::sys::file::open(i.source, vitte::sys::open_mode::read);
      if (!in) return fail(in.error().kind(), "cannot read the file", i.source);
      if (piece.empty() && !piece.try_resize_for_overwrite(tree_piece))
        return fail(errc::no_memory, "cannot read the file", i.source);
      for (std::uint64_t left = size; left != 0;) {
        const std::size_t want = left < piece.size() ? static_cast<std::size_t>(left) : piece.size();
        if (status s = in->read_exact(span<std::byte>(piece.data(), want)); !s)
          return fail(s.error().kind(), "cannot read the file (or it shrank while it was packed)", i.source);
        const span<const std::byte> data(piece.data(), want);
        crc = bom_cksum_update(crc, data);
        sha.update(data);
        if (status s = feed(data); !s) return fail(s.error().kind(), "cannot write the Payload", i.path);
        left -= want;
      }
    }
    i.checksum = i.type == archive::entry_type::directory ? 0 : bom_cksum_finish(crc, size);
    if (i.type == archive::entry_type::file) i.sha256 = digest_hex(sha.finish());
  }
  a.clear();
  cpio_odc_finish(a);
  status s = feed(vitte::detail::bytes_of(a));
  if (s) s = z.finish(squeezed);
  if (s) s = out.write(squeezed.span());
  if (!s) return fail(s.error().kind(), "cannot write the Payload", "");
  return {};
}

inline std::string attribute(text_view name, text_view value) {
  std::string s = " " + std::string(name) + "=\"";
  xml_escape(s, value);
  return s + "\"";
}

// The fields the formats refuse, refused with their values.
VITTE_DECL status check_fields(const pkg_fields& f, vitte::diagnostic* why) {
  const auto fail = [&](errc kind, const char* w, text_view d) { return refuse_error(why, kind, d, w); };
  if (!name_ok(f.name, "._+-", true))
    return fail(errc::invalid_argument, "a .pkg name is [A-Za-z0-9][A-Za-z0-9._+-]*", f.name);
  if (!name_ok(f.version, "._+~-", false))
    return fail(errc::invalid_argument, "a .pkg version is [A-Za-z0-9._+~-]+", f.version);
  if (!name_ok(f.identifier, "._-", true))
    return fail(errc::invalid_argument, "a .pkg identifier is reverse DNS, [A-Za-z0-9._-]+", f.identifier);
  if (!name_ok(f.architectures, ",_", true))
    return fail(errc::invalid_argument, "a .pkg's architectures are a list of names (x86_64,arm64)", f.architectures);
  const text_view location = f.install_location;
  if (location.empty() || location[0] != '/' || location.find_first_of("\"<>&\n\r\t") != text_view::npos ||
      location.find('\0') != text_view::npos || !vitte::detail::valid_utf8(location))
    return fail(errc::invalid_argument, "the install location is an absolute path", location);
  for (const char c : f.title)
    if (static_cast<unsigned char>(c) < 0x20) return fail(errc::invalid_argument, "a .pkg title is one line", f.title);
  if (!vitte::detail::valid_utf8(f.title)) return fail(errc::invalid_argument, "a .pkg title is UTF-8", f.title);
  return {};
}

// The product archive of `items` ("." first) to `out`, the Payload set
// aside in `payload` until the table of contents is written.
VITTE_DECL status write(std::vector<item>& items, const pkg_fields& f, archive_sink& out, set_aside& payload,
                        vitte::diagnostic* why) {
  const auto fail = [&](errc kind, const char* w, text_view d) { return refuse_error(why, kind, d, w); };
  const text_view location = f.install_location;
  const std::uint32_t time = f.time < 0 ? 0 : f.time > 0xffffffffll ? 0xffffffffu : static_cast<std::uint32_t>(f.time);
  const int level = f.level < 1 ? 1 : f.level > 9 ? 9 : f.level;
  // A directory the tree names only as a parent is listed too (0755), as tar -x makes it.
  std::unordered_set<std::string> listed;
  for (const item& i : items) listed.insert(i.path);
  for (std::size_t k = 1, n = items.size(); k < n; ++k) {
    for (std::string parent = items[k].path.substr(0, items[k].path.rfind('/')); parent.size() > 1;
         parent = parent.substr(0, parent.rfind('/')))
      if (listed.insert(parent).second)
        items.push_back({parent, archive::entry_type::directory, 0755, {}, {}, 0, {}, 0, {}});
  }
  std::sort(items.begin() + 1, items.end(), [](const item& a, const item& b) { return a.path < b.path; });
  if (status s = cpio_gz(items, time, level, payload.sink, why); !s) return s;

  // The Bom (which refuses paths that are not clean, twice, or under no directory).
  std::vector<bom_entry> bom;
  std::uint64_t kib = 0;
  for (const item& i : items) {
    bom_entry b;
    b.path = i.path;
    b.type = i.type == archive::entry_type::directory ? bom_directory
             : i.type == archive::entry_type::symlink ? bom_symlink
                                                      : bom_file;
    b.mode = static_cast<std::uint16_t>(type_bits(i.type) | i.mode);
    b.mtime = time;
    b.checksum = i.checksum;
    if (i.type == archive::entry_type::file) b.size = static_cast<std::uint32_t>(i.size);
    if (i.type == archive::entry_type::symlink) {
      b.size = static_cast<std::uint32_t>(i.link.size());
      b.link = i.link;
    }
    kib += (std::uint64_t{b.size} + 1023) / 1024;
    bom.push_back(static_cast<bom_entry&&>(b));
  }
  result<buffer<std::byte>> bom_bytes = bom_write(bom, why);
  if (!bom_bytes) return bom_bytes.error();
  const bool scripts = !f.preinstall.empty() || !f.postinstall.empty();
  buffer<std::byte> scripts_bytes;
  if (scripts) {
    std::vector<item> s = {{".", archive::entry_type::directory, 0755, {}, {}, 0, {}, 0, {}}};
    if (!f.postinstall.empty())
      s.push_back(
          {"./postinstall", archive::entry_type::file, 0755, f.postinstall, {}, f.postinstall.size(), {}, 0, {}});
    if (!f.preinstall.empty())
      s.push_back({"./preinstall", archive::entry_type::file, 0755, f.preinstall, {}, f.preinstall.size(), {}, 0, {}});
    archive_sink to;
    to.memory = &scripts_bytes;
    if (status z = cpio_gz(s, time, level, to, why); !z)
      return fail(z.error().kind(), "cannot write the Scripts", f.name);
  }

  const std::string component = std::string(f.name) + ".pkg";
  const std::string kbytes = std::to_string(kib);
  std::string info =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<pkg-info overwrite-permissions=\"true\" "
      "relocatable=\"false\"" +
      attribute("identifier", f.identifier) + " postinstall-action=\"none\"" + attribute("version", f.version) +
      " format-version=\"2\" generator-version=\"vitte\"" + attribute("install-location", location) +
      " auth=\"root\">\n    <payload numberOfFiles=\"" + std::to_string(items.size()) + "\" installKBytes=\"" + kbytes +
      "\"/>\n    <bundle-version/>\n    <upgrade-bundle/>\n    <update-bundle/>\n"
      "    <atomic-update-bundle/>\n    <strict-identifier/>\n    <relocate/>\n";
  if (scripts) {
    info += "    <scripts>\n";
    if (!f.preinstall.empty()) info += "        <preinstall file=\"./preinstall\"/>\n";
    if (!f.postinstall.empty()) info += "        <postinstall file=\"./postinstall\"/>\n";
    info += "    </scripts>\n";
  }
  info += "</pkg-info>\n";

  std::string title;
  xml_escape(title, f.title.empty() ? text_view(std::string(f.name) + " " + std::string(f.version)) : f.title);
  const std::string id = attribute("id", f.identifier);
  std::string dist =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<installer-gui-script minSpecVersion=\"2\">\n"
      "    <title>" +
      title + "</title>\n    <pkg-ref" + id + ">\n        <bundle-version/>\n    </pkg-ref>\n" +
      "    <options customize=\"never\" require-scripts=\"false\"" + attribute("hostArchitectures", f.architectures) +
      "/>\n    <choices-outline>\n        <line choice=\"default\">\n            <line" +
      attribute("choice", f.identifier) +
      "/>\n        </line>\n    </choices-outline>\n    <choice id=\"default\"/>\n    <choice" + id +
      " visible=\"false\">\n        <pkg-ref" + id + "/>\n    </choice>\n    <pkg-ref" + id +
      attribute("version", f.version) + " onConclusion=\"none\"" + attribute("installKBytes", kbytes) + ">#" +
      component + "</pkg-ref>\n</installer-gui-script>\n";

  const auto bytes = [](const std::string& s) { return vitte::detail::bytes_of(s); };
  const std::string bom_path = component + "/Bom", payload_path = component + "/Payload",
                    scripts_path = component + "/Scripts", info_path = component + "/PackageInfo";
  std::vector<xar_member> members = {{"Distribution", false, bytes(dist), true, 0, nullptr},
                                     {component, true, {}, false, 0, nullptr},
                                     {bom_path, false, bom_bytes->span(), true, 0, nullptr},
                                     {payload_path, false, {}, false, 0, &payload}};
  if (scripts) members.push_back({scripts_path, false, scripts_bytes.span(), false, 0, nullptr});
  members.push_back({info_path, false, bytes(info), true, 0, nullptr});
  xar_options xo;
  xo.time = time;
  xo.level = level;
  return xar_write_to(members, xo, out, why);
}

}  // namespace pkg_write_detail

VITTE_DECL result<buffer<std::byte>> pkg_write(span<const std::byte> tar, const pkg_fields& f, vitte::diagnostic* why) {
  namespace pw = pkg_write_detail;
  const auto fail = [&](errc kind, const char* w, text_view d) { return refuse_error(why, kind, d, w); };
  if (status s = pw::check_fields(f, why); !s) return s.error();
  // The tree: "." then every entry, sorted (each directory before what it holds).
  std::vector<pw::item> items = {{".", archive::entry_type::directory, 0755, {}, {}, 0, {}, 0, {}}};
  archive::tar_reader r(tar);
  for (;;) {
    result<const archive::entry*> e = r.next();
    if (!e) return pass_on(why, r.failure());  // the tar reader's kind, entry and place
    if (*e == nullptr) break;
    const archive::entry& en = **e;
    const text_view p = en.path;
    if (en.type != archive::entry_type::file && en.type != archive::entry_type::directory &&
        en.type != archive::entry_type::symlink)
      return fail(errc::not_supported, "a .pkg holds files, directories and symlinks only", p);
    if (!vitte::detail::valid_utf8(p)) return fail(errc::invalid_argument, "a .pkg path that is not UTF-8", p);
    if (en.size > 0xffffffffu)
      return fail(errc::limit_exceeded, "a file of 4 GiB or more (a Bom's sizes are 32-bit)", p);
    if (en.type == archive::entry_type::symlink && en.link.empty())
      return fail(errc::invalid_argument, "a symlink without a target", p);
    const bool file = en.type == archive::entry_type::file;
    items.push_back({"./" + std::string(p),
                     en.type,
                     en.mode & 07777,
                     file ? r.data() : span<const std::byte>(),
                     {},
                     file ? r.data().size() : 0,
                     std::string(en.link.view()),
                     0,
                     {}});
  }
  buffer<std::byte> bytes;
  archive_sink out;
  out.memory = &bytes;
  set_aside payload;
  (void)payload.open({});
  if (status s = pw::write(items, f, out, payload, why); !s) return s.error();
  return bytes;
}

VITTE_DECL status pkg_write_tree(span<const tree_item> tree, const pkg_fields& f, archive_sink& out,
                                 text_view scratch_dir, std::vector<package_entry>& installs, vitte::diagnostic* why) {
  namespace pw = pkg_write_detail;
  const auto fail = [&](errc kind, const char* w, text_view d) { return refuse_error(why, kind, d, w); };
  if (status s = pw::check_fields(f, why); !s) return s;
  std::vector<pw::item> items = {{".", archive::entry_type::directory, 0755, {}, {}, 0, {}, 0, {}}};
  for (const tree_item& t : tree) {
    if (t.type != archive::entry_type::file && t.type != archive::entry_type::directory &&
        t.type != archive::entry_type::symlink)
      return fail(errc::not_supported, "a .pkg holds files, directories and symlinks only", t.path);
    if (!vitte::detail::valid_utf8(t.path))
      return fail(errc::invalid_argument, "a .pkg path that is not UTF-8", t.path);
    if (t.size > 0xffffffffu)
      return fail(errc::limit_exceeded, "a file of 4 GiB or more (a Bom's sizes are 32-bit)", t.path);
    items.push_back({"./" + t.path, t.type, t.mode & 07777, {}, t.source, t.size, t.link, 0, {}});
  }
  set_aside payload;
  if (status s = payload.open(scratch_dir); !s)
    return fail(s.error().kind(), "cannot make a scratch file in the output directory", scratch_dir);
  if (status s = pw::write(items, f, out, payload, why); !s) return s;
  std::string prefix(f.install_location.substr(1));
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  for (std::size_t k = 1; k < items.size(); ++k) {  // "." is the install location
    const pw::item& i = items[k];
    package_entry e;
    e.path = prefix.empty() ? i.path.substr(2) : prefix + "/" + i.path.substr(2);
    e.type = std::string(i.type == archive::entry_type::file        ? "file"
                         : i.type == archive::entry_type::directory ? "directory"
                                                                    : "symlink");
    e.mode = i.mode & 07777;
    e.size = i.type == archive::entry_type::file ? i.size : 0;
    e.sha256 = i.sha256;
    e.link = i.link;
    installs.push_back(static_cast<package_entry&&>(e));
  }
  std::sort(installs.begin(), installs.end(),
            [](const package_entry& a, const package_entry& b) { return a.path < b.path; });
  return {};
}

}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_PKG_WRITER_IPP
