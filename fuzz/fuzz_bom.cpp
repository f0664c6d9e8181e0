// libFuzzer target: a macOS package's bill of materials (Bom) and its odc
// cpio Payload, hostile bytes. The first byte picks the reader (mod 2):
// 0 bom_read() (the BOMStore header, the block index, the variables, the
//   Paths tree walked from its root);
// 1 cpio_odc_read() (the Payload's and Scripts' cpio, once gunzipped).
// None may crash, hang or read out of bounds, and what they promise is
// checked: every path read is "." or "./" and clean components, and its
// parent was listed before it; a link's target is what its length says;
// the paths and links together stay within 32 bytes per byte of input (the
// reader's bound on memory); cpio members lie inside the input; on failure
// the diagnostic is errc::malformed with a message and an offset inside the
// input (release_refusal.hpp). Build and run like
// fuzz/run.sh does; seeds: fuzz/corpus/bom (Boms bom_write wrote, with one
// and with several leaves of the tree, cut; odc archives, one from GNU cpio).
#include <vitte/release/detail/bom.hpp>
#include <vitte/release/detail/cpio.hpp>
#include <vitte/release/detail/cpio_odc.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "release_refusal.hpp"  // check_refusal

namespace rd = vitte::release::detail;

namespace {

bool clean_below_root(const std::string& p) {
  if (p == ".") return true;
  if (p.size() < 3 || p.compare(0, 2, "./") != 0) return false;
  std::size_t at = 2;
  for (;;) {
    const std::size_t slash = p.find('/', at);
    const std::string c = p.substr(at, slash == std::string::npos ? std::string::npos : slash - at);
    if (c.empty() || c == "." || c == "..") return false;
    if (slash == std::string::npos) return true;
    at = slash + 1;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > (std::size_t{1} << 20)) return 0;
  const vitte::span<const std::byte> in(reinterpret_cast<const std::byte*>(data + 1), size - 1);
  vitte::diagnostic why;
  if (data[0] % 2 == 0) {
    std::vector<rd::bom_entry> out;
    if (!rd::bom_read(in, out, &why)) {
      release_fuzz::check_refusal(why, in.size());
      return 0;
    }
    std::uint64_t text = 0;
    std::set<std::string> seen;
    for (const rd::bom_entry& e : out) {
      if (!clean_below_root(e.path)) std::abort();
      if (e.path != "." && seen.count(e.path.substr(0, e.path.rfind('/'))) == 0) std::abort();
      seen.insert(e.path);
      if (e.link.find('\0') != std::string::npos) std::abort();
      text += e.path.size() + e.link.size();
    }
    if (text > 32 * std::uint64_t{in.size()} + 65536) std::abort();
    return 0;
  }
  std::vector<rd::cpio_member> members;
  if (!rd::cpio_odc_read(in, members, &why)) {
    release_fuzz::check_refusal(why, in.size());
    return 0;
  }
  const auto* begin = reinterpret_cast<const char*>(in.data());
  const auto* end = begin + in.size();
  for (const rd::cpio_member& m : members) {
    if (m.name.empty() || m.name == rd::cpio_trailer) std::abort();
    if (m.name.data() < begin || m.name.data() + m.name.size() > end) std::abort();
    if (reinterpret_cast<const char*>(m.data.data()) < begin && !m.data.empty()) std::abort();
    if (!m.data.empty() && reinterpret_cast<const char*>(m.data.data()) + m.data.size() > end) std::abort();
  }
  return 0;
}
