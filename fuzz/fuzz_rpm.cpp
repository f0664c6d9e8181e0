// libFuzzer target: .rpm packages and newc cpio archives, hostile bytes. The
// first byte picks the reader (mod 3):
// 0 rpm_read() on the bytes as they are (lead, both headers, the digests,
//   the gzip payload, the cpio against the file list);
// 1 cpio_read() alone;
// 2 rpm_read() past the digests: the input is a 4-byte big-endian length,
//   that many bytes of main header, then a raw cpio; the cpio is gzipped,
//   the header's PAYLOADDIGEST rewritten when it has one, and rpm_assemble()
//   adds lead and signature header with every digest right, so that the
//   fuzzer reaches the header's file list and the cpio behind it.
// None may crash, hang or read out of bounds, and what they promise is
// checked: on success the entries' sizes (each content once: the names of a
// hard-linked file share its data) sum to at most the payload's size,
// every path is non-empty, relative and free of ".."; cpio members lie
// inside the input; on failure the diagnostic has the kind rpm.hpp and
// cpio.hpp document (malformed; limit_exceeded for a payload past its file
// list), a message and an offset inside the input (release_refusal.hpp).
// Build and run like fuzz/run.sh does; seeds: fuzz/corpus/rpm
// (packages rpm_write wrote, cut; cpio archives; header + cpio pairs).
#include <vitte/base/detail/bytes.hpp>  // bytes_of
#include <vitte/compress/deflate.hpp>
#include <vitte/release/detail/cpio.hpp>
#include <vitte/release/detail/rpm.hpp>
#include <vitte/release/detail/sha256_hex.hpp>  // sha256_hex

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "release_refusal.hpp"  // check_refusal

namespace bd = vitte::release::detail;

namespace {

bool clean_path(const std::string& p) {
  if (p.empty() || p[0] == '/') return false;
  std::size_t at = 0;
  for (;;) {
    const std::size_t slash = p.find('/', at);
    const std::string c = p.substr(at, slash == std::string::npos ? std::string::npos : slash - at);
    if (c.empty() || c == "..") return false;
    if (slash == std::string::npos) return true;
    at = slash + 1;
  }
}

// Mode 2's package: the header (PAYLOADDIGEST fixed) and the gzipped cpio, sealed.
bool seal(vitte::span<const std::byte> in, vitte::buffer<std::byte>& out) {
  if (in.size() < 4) return false;
  const std::uint32_t n = vitte::detail::load_be<std::uint32_t>(in.data());
  if (n > in.size() - 4) return false;
  std::string header(reinterpret_cast<const char*>(in.data()) + 4, n);
  const vitte::span<const std::byte> cpio(in.data() + 4 + n, in.size() - 4 - n);
  auto z = vitte::compress::gzip_compress(cpio, 1);
  if (!z) return false;
  const vitte::span<const std::byte> payload = z->span();
  bd::rpm_header h;
  if (bd::rpm_read_header(vitte::detail::bytes_of(header), 0, bd::rpmtag::headerimmutable, 0xffff, 0x0fffffff, h))
    if (const bd::rpm_index_entry* e = h.find(bd::rpmtag::payloaddigest);
        e != nullptr && e->type == bd::rpm_type::string_array && h.strings(*e)[0].size() == 64)
      header.replace(
          static_cast<std::size_t>(h.data.data() - reinterpret_cast<const std::byte*>(header.data())) + e->offset, 64,
          bd::sha256_hex(payload));
  auto r = bd::rpm_assemble("fuzz-1-1", "x86_64", header, payload, cpio.size());
  if (!r) return false;
  out = static_cast<vitte::buffer<std::byte>&&>(*r);
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > (1u << 20)) return 0;
  vitte::span<const std::byte> in(reinterpret_cast<const std::byte*>(data + 1), size - 1);
  vitte::diagnostic why;
  vitte::buffer<std::byte> sealed;
  if (data[0] % 3 == 2) {
    if (!seal(in, sealed)) return 0;
    in = sealed.span();
  }
  if (data[0] % 3 != 1) {
    bd::rpm_contents c;
    if (bd::rpm_read(in, c, &why)) {
      std::uint64_t sum = 0;
      std::vector<std::string> counted;  // hard links: the names of one file carry its data once
      for (const bd::package_entry& e : c.entries) {
        if (e.type != "file" || std::find(counted.begin(), counted.end(), e.sha256) == counted.end()) sum += e.size;
        if (e.type == "file") counted.push_back(e.sha256);
        if (!clean_path(e.path)) std::abort();
        if (e.type != "file" && e.type != "directory" && e.type != "symlink") std::abort();
        if (e.type == "file" && e.sha256.size() != 64) std::abort();
        if (e.type == "symlink" && e.link.empty()) std::abort();
        if (e.type != "file" && e.size != 0) std::abort();
      }
      if (sum > c.payload_size) std::abort();
      if (c.header_offset < bd::rpm_lead_size || c.payload_offset > in.size()) std::abort();
    } else {
      release_fuzz::check_refusal(why, in.size(), {vitte::errc::malformed, vitte::errc::limit_exceeded});
    }
    return 0;
  }
  std::vector<bd::cpio_member> members;
  if (bd::cpio_read(in, members, &why)) {
    for (const bd::cpio_member& m : members) {
      if (m.name.empty() || m.name == bd::cpio_trailer) std::abort();
      if (m.data.data() < in.data() || m.data.data() + m.data.size() > in.data() + in.size()) std::abort();
      if (m.name.data() < reinterpret_cast<const char*>(in.data()) ||
          m.name.data() + m.name.size() > reinterpret_cast<const char*>(in.data()) + in.size())
        std::abort();
    }
  } else {
    release_fuzz::check_refusal(why, in.size());
  }
  return 0;
}
