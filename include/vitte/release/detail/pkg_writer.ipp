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
#include <vitte/compress/deflate.hpp>  // the Payload's and Scripts' gzip
#include <vitte/machine/triple.hpp>
#include <vitte/release/detail/bom.hpp>
#include <vitte/release/detail/cpio.hpp>
#include <vitte/release/detail/cpio_odc.hpp>
#include <vitte/release/detail/failure.hpp>       // refuse_error, pass_on
#include <vitte/release/detail/package_name.hpp>  // name_ok
#include <vitte/release/detail/pkg.hpp>
#include <vitte/release/detail/xar.hpp>
#include <vitte/release/detail/xml.hpp>
#include <vitte/release/operations.hpp>  // ops::package

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
  std::uint32_t mode = 0755;  // permission bits
  span<const std::byte> data;
  std::string link;
};

inline std::uint32_t type_bits(archive::entry_type t) noexcept {
  return t == archive::entry_type::directory ? 040000 : t == archive::entry_type::symlink ? 0120000 : 0100000;
}

// A gzip'd odc cpio of `items`, or an error.
inline result<buffer<std::byte>> cpio_gz(const std::vector<item>& items, std::uint32_t time, int level) {
  std::string a;
  std::uint32_t ino = 0;
  for (const item& i : items) {
    cpio_fields c;
    c.ino = ++ino;
    c.mode = type_bits(i.type) | i.mode;
    c.nlink = i.type == archive::entry_type::directory ? 2 : 1;
    c.mtime = time;
    const span<const std::byte> data =
        i.type == archive::entry_type::symlink ? vitte::detail::bytes_of(i.link) : i.data;
    if (!cpio_odc_append(a, i.path, c, data)) return vitte::error{errc::limit_exceeded, ops::package};
  }
  cpio_odc_finish(a);
  return compress::gzip_compress(vitte::detail::bytes_of(a), level);
}

inline std::string attribute(text_view name, text_view value) {
  std::string s = " " + std::string(name) + "=\"";
  xml_escape(s, value);
  return s + "\"";
}

}  // namespace pkg_write_detail

VITTE_DECL result<buffer<std::byte>> pkg_write(span<const std::byte> tar, const pkg_fields& f, vitte::diagnostic* why) {
  namespace pw = pkg_write_detail;
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
  const std::uint32_t time = f.time < 0 ? 0 : f.time > 0xffffffffll ? 0xffffffffu : static_cast<std::uint32_t>(f.time);
  const int level = f.level < 1 ? 1 : f.level > 9 ? 9 : f.level;

  // The tree: "." then every entry, sorted (each directory before what it holds).
  std::vector<pw::item> items = {{".", archive::entry_type::directory, 0755, {}, {}}};
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
    items.push_back({"./" + std::string(p), en.type, en.mode & 07777,
                     en.type == archive::entry_type::file ? r.data() : span<const std::byte>(),
                     std::string(en.link.view())});
  }
  // A directory the tar names only as a parent is listed too (0755), as tar -x makes it.
  std::unordered_set<std::string> listed;
  for (const pw::item& i : items) listed.insert(i.path);
  for (std::size_t k = 1, n = items.size(); k < n; ++k) {
    for (std::string parent = items[k].path.substr(0, items[k].path.rfind('/')); parent.size() > 1;
         parent = parent.substr(0, parent.rfind('/')))
      if (listed.insert(parent).second) items.push_back({parent, archive::entry_type::directory, 0755, {}, {}});
  }
  std::sort(items.begin() + 1, items.end(), [](const pw::item& a, const pw::item& b) { return a.path < b.path; });

  // The Bom (which refuses paths that are not clean, twice, or under no directory).
  std::vector<bom_entry> bom;
  std::uint64_t kib = 0;
  for (const pw::item& i : items) {
    bom_entry b;
    b.path = i.path;
    b.type = i.type == archive::entry_type::directory ? bom_directory
             : i.type == archive::entry_type::symlink ? bom_symlink
                                                      : bom_file;
    b.mode = static_cast<std::uint16_t>(pw::type_bits(i.type) | i.mode);
    b.mtime = time;
    if (i.type == archive::entry_type::file) {
      b.size = static_cast<std::uint32_t>(i.data.size());
      b.checksum = bom_cksum(i.data);
    } else if (i.type == archive::entry_type::symlink) {
      b.size = static_cast<std::uint32_t>(i.link.size());
      b.checksum = bom_cksum(vitte::detail::bytes_of(i.link));
      b.link = i.link;
    }
    kib += (std::uint64_t{b.size} + 1023) / 1024;
    bom.push_back(static_cast<bom_entry&&>(b));
  }
  result<buffer<std::byte>> bom_bytes = bom_write(bom, why);
  if (!bom_bytes) return bom_bytes.error();
  result<buffer<std::byte>> payload = pw::cpio_gz(items, time, level);
  if (!payload) return fail(payload.error().kind(), "cannot write the Payload", f.name);
  const bool scripts = !f.preinstall.empty() || !f.postinstall.empty();
  buffer<std::byte> scripts_bytes;
  if (scripts) {
    std::vector<pw::item> s = {{".", archive::entry_type::directory, 0755, {}, {}}};
    if (!f.postinstall.empty()) s.push_back({"./postinstall", archive::entry_type::file, 0755, f.postinstall, {}});
    if (!f.preinstall.empty()) s.push_back({"./preinstall", archive::entry_type::file, 0755, f.preinstall, {}});
    result<buffer<std::byte>> z = pw::cpio_gz(s, time, level);
    if (!z) return fail(z.error().kind(), "cannot write the Scripts", f.name);
    scripts_bytes = static_cast<buffer<std::byte>&&>(*z);
  }

  const std::string component = std::string(f.name) + ".pkg";
  const std::string kbytes = std::to_string(kib);
  std::string info =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<pkg-info overwrite-permissions=\"true\" "
      "relocatable=\"false\"" +
      pw::attribute("identifier", f.identifier) + " postinstall-action=\"none\"" + pw::attribute("version", f.version) +
      " format-version=\"2\" generator-version=\"vitte\"" + pw::attribute("install-location", location) +
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
  const std::string id = pw::attribute("id", f.identifier);
  std::string dist =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<installer-gui-script minSpecVersion=\"2\">\n"
      "    <title>" +
      title + "</title>\n    <pkg-ref" + id + ">\n        <bundle-version/>\n    </pkg-ref>\n" +
      "    <options customize=\"never\" require-scripts=\"false\"" +
      pw::attribute("hostArchitectures", f.architectures) +
      "/>\n    <choices-outline>\n        <line choice=\"default\">\n            <line" +
      pw::attribute("choice", f.identifier) +
      "/>\n        </line>\n    </choices-outline>\n    <choice id=\"default\"/>\n    <choice" + id +
      " visible=\"false\">\n        <pkg-ref" + id + "/>\n    </choice>\n    <pkg-ref" + id +
      pw::attribute("version", f.version) + " onConclusion=\"none\"" + pw::attribute("installKBytes", kbytes) + ">#" +
      component + "</pkg-ref>\n</installer-gui-script>\n";

  const auto bytes = [](const std::string& s) { return vitte::detail::bytes_of(s); };
  const std::string bom_path = component + "/Bom", payload_path = component + "/Payload",
                    scripts_path = component + "/Scripts", info_path = component + "/PackageInfo";
  std::vector<xar_member> members = {{"Distribution", false, bytes(dist), true, 0},
                                     {component, true, {}, false, 0},
                                     {bom_path, false, bom_bytes->span(), true, 0},
                                     {payload_path, false, payload->span(), false, 0}};
  if (scripts) members.push_back({scripts_path, false, scripts_bytes.span(), false, 0});
  members.push_back({info_path, false, bytes(info), true, 0});
  xar_options xo;
  xo.time = time;
  xo.level = level;
  return xar_write(members, xo, why);
}

}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_PKG_WRITER_IPP
