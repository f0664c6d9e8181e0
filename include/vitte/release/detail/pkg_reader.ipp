// vitte/release/detail/pkg_reader.ipp - pkg_read() (pkg.hpp): the xar, the
// Distribution's component, its PackageInfo, Bom and Payload, and the
// Payload checked against the Bom.
#ifndef VITTE_RELEASE_DETAIL_PKG_READER_IPP
#define VITTE_RELEASE_DETAIL_PKG_READER_IPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/detail/bytes.hpp>    // text_of
#include <vitte/base/detail/decimal.hpp>  // numberOfFiles
#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/compress/deflate.hpp>  // the Payload's gzip
#include <vitte/release/detail/bom.hpp>
#include <vitte/release/detail/cpio.hpp>
#include <vitte/release/detail/cpio_odc.hpp>
#include <vitte/release/detail/failure.hpp>  // refuse, refused_in
#include <vitte/release/detail/package_entry.hpp>
#include <vitte/release/detail/pkg.hpp>
#include <vitte/release/detail/sha256_hex.hpp>
#include <vitte/release/detail/xar.hpp>
#include <vitte/release/detail/xml.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace vitte::release::detail {

namespace pkg_read_detail {

// The largest XML member (Distribution, PackageInfo) and Bom read.
inline constexpr std::uint64_t max_xml = std::uint64_t{1} << 20;
inline constexpr std::uint64_t max_bom = std::uint64_t{256} << 20;

}  // namespace pkg_read_detail

VITTE_DECL bool pkg_read(span<const std::byte> pkg, pkg_contents& out, vitte::diagnostic* why) {
  namespace pr = pkg_read_detail;
  std::string name;  // the member read, for messages
  const auto fail = [&](const char* w, std::uint64_t where) {
    return refuse(why, errc::malformed, where > pkg.size() ? pkg.size() : where, name, w);
  };
  xar_contents x;
  if (!xar_read(pkg, x, why)) return false;
  // A member's bytes, extracted and checked; `where` is where its data starts.
  const auto member = [&](text_view path, std::uint64_t max, buffer<std::byte>& data, std::uint64_t& where) {
    name = std::string(path);
    const xar_file* f = x.find(path);
    if (f == nullptr || !f->has_data) return fail("a .pkg member missing", x.heap);
    where = x.heap + f->offset;
    return xar_extract(pkg, x, *f, max, data, why);
  };
  const auto xml = [&](const buffer<std::byte>& data, std::uint64_t where, xml_element& root) {
    return xml_read(vitte::detail::text_of(data.span()), root, why) || refused_in(why, where, name);
  };

  // The Distribution: its one component.
  buffer<std::byte> data;
  std::uint64_t where = 0;
  xml_element dist;
  if (!member("Distribution", pr::max_xml, data, where) || !xml(data, where, dist)) return false;
  if (dist.name != "installer-gui-script") return fail("a Distribution that is not an installer-gui-script", where);
  for (const xml_element& e : dist.children) {
    if (e.name == "options") out.architectures = std::string(e.attribute("hostArchitectures"));
    if (e.name != "pkg-ref" || !text_view(e.text).starts_with("#")) continue;
    if (!out.component.empty()) return fail("a product of more than one component package (not read)", where);
    out.component = e.text.substr(1);
  }
  const xar_file* dir = x.find(out.component);
  if (out.component.empty() || dir == nullptr || dir->type != "directory")
    return fail("a Distribution whose component package is not a directory of the archive", where);

  // PackageInfo.
  xml_element info;
  if (!member(out.component + "/PackageInfo", pr::max_xml, data, where) || !xml(data, where, info)) return false;
  if (info.name != "pkg-info") return fail("a PackageInfo that is not a pkg-info", where);
  out.identifier = std::string(info.attribute("identifier"));
  out.version = std::string(info.attribute("version"));
  out.install_location = std::string(info.attribute("install-location"));
  if (out.install_location.empty()) out.install_location = "/";
  if (out.identifier.empty() || out.install_location[0] != '/')
    return fail("a PackageInfo without an identifier or an absolute install location", where);
  if (const xml_element* p = info.child("payload");
      p != nullptr && !p->attribute("numberOfFiles").empty() &&
      !vitte::detail::parse_decimal(p->attribute("numberOfFiles"), UINT32_MAX, out.files))
    return fail("a PackageInfo whose numberOfFiles is not a number", where);
  out.has_scripts = x.find(out.component + "/Scripts") != nullptr;

  // The Bom.
  if (!member(out.component + "/Bom", pr::max_bom, data, where)) return false;
  if (!bom_read(data.span(), out.bom, why)) return refused_in(why, where, name);
  std::unordered_map<std::string, std::size_t> listed;  // path: its entry in out.bom
  std::uint64_t bound = 512;                            // the cpio the Bom describes, at most
  for (std::size_t i = 0; i < out.bom.size(); ++i) {
    if (!listed.emplace(out.bom[i].path, i).second) return fail("a path the Bom lists twice", where);
    bound += cpio_odc_header_size + out.bom[i].path.size() + 1 + out.bom[i].size;
  }

  // The Payload: a gzip'd odc cpio, inflated no further than the Bom allows.
  const xar_file* payload = x.find(out.component + "/Payload");
  name = out.component + "/Payload";
  if (payload == nullptr || !payload->has_data) return fail("a component package without its Payload", x.heap);
  if (!member(out.component + "/Payload", payload->length, data, where)) return false;
  compress::decompress_limits limits;
  const std::uint64_t ratio = std::uint64_t{1032} * data.size() + 4096;
  const std::uint64_t cap = std::uint64_t{1} << (sizeof(std::size_t) >= 8 ? 34 : 30);
  limits.max_output = static_cast<std::size_t>(std::min({bound, ratio, cap}));
  result<buffer<std::byte>> cpio = compress::gzip_decompress(data.span(), limits);
  if (!cpio)
    return fail(cpio.error() == errc::limit_exceeded ? "a Payload larger than its Bom says"
                                                     : "a Payload that is not a whole gzip stream",
                where);
  out.payload_size = cpio->size();
  std::vector<cpio_member> members;
  if (!cpio_odc_read(cpio->span(), members, why)) return refused_in(why, where, name);

  // Path for path, the Payload against the Bom.
  if (members.size() != out.bom.size()) return fail("a Payload and a Bom of different lengths", where);
  std::vector<bool> seen(out.bom.size());
  std::string prefix(text_view(out.install_location).substr(1));
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  for (const cpio_member& m : members) {
    name = std::string(m.name);  // a Payload entry's fault names it
    const auto it = listed.find(std::string(m.name));
    if (it == listed.end() || seen[it->second]) return fail("a Payload path the Bom does not list", where);
    seen[it->second] = true;
    const bom_entry& b = out.bom[it->second];
    const std::uint32_t kind = m.fields.mode & 0170000;
    const bool file = kind == 0100000, directory = kind == 040000, symlink = kind == 0120000;
    if (!file && !directory && !symlink) return fail("a Payload entry that is not a file, directory or symlink", where);
    const std::uint8_t type = file ? bom_file : directory ? bom_directory : bom_symlink;
    const text_view link = symlink ? vitte::detail::text_of(m.data) : "";
    if (b.type != type || b.mode != m.fields.mode || b.uid != m.fields.uid || b.gid != m.fields.gid ||
        (directory ? b.size != 0 || !m.data.empty() : b.size != m.data.size()) ||
        (!directory && b.checksum != bom_cksum(m.data)) || text_view(b.link) != link)
      return fail("a Payload entry that differs from its Bom entry", where);
    if (m.name == ".") continue;
    if (!m.name.starts_with("./")) return fail("a Payload path outside \".\"", where);
    package_entry e;
    e.path = prefix.empty() ? std::string(m.name.substr(2)) : prefix + "/" + std::string(m.name.substr(2));
    e.type = file ? "file" : directory ? "directory" : "symlink";
    e.mode = m.fields.mode & 07777;
    e.size = file ? m.data.size() : 0;
    if (file) e.sha256 = sha256_hex(m.data);
    e.link = std::string(link);
    out.entries.push_back(static_cast<package_entry&&>(e));
  }
  std::sort(out.entries.begin(), out.entries.end(),
            [](const package_entry& a, const package_entry& b) { return a.path < b.path; });
  return true;
}

}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_PKG_READER_IPP
