// vitte/release/detail/rpm_reader.ipp - rpm_read(): an .rpm taken apart
// again, bounded everywhere (rpm.hpp says how): lead, both headers, every
// digest, the payload within the header's sizes, its cpio against the
// header's file list; and rpm_verify_signature() against a key.
#ifndef VITTE_RELEASE_DETAIL_RPM_READER_IPP
#define VITTE_RELEASE_DETAIL_RPM_READER_IPP

#include <vitte/archive/tar.hpp>  // the tree to package
#include <vitte/base/buffer.hpp>
#include <vitte/base/detail/endian.hpp>  // big-endian header fields
#include <vitte/base/detail/hex.hpp>     // digests as text
#include <vitte/base/result.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/compress/deflate.hpp>  // the payload's gzip
#include <vitte/crypto/md5.hpp>        // rpm -K's MD5 of header and payload
#include <vitte/crypto/sha1.hpp>       // and SHA-1 of the header
#include <vitte/crypto/sha256.hpp>
#include <vitte/machine/triple.hpp>  // rpm_arch
#include <vitte/release/detail/cpio.hpp>
#include <vitte/release/detail/failure.hpp>  // refuse, refused_at
#include <vitte/release/detail/openpgp.hpp>  // the header signature
#include <vitte/release/detail/package_entry.hpp>
#include <vitte/release/detail/rpm.hpp>
#include <vitte/release/detail/rpm_header.hpp>
#include <vitte/release/detail/sha256_hex.hpp>  // sha256_hex
#include <vitte/release/operations.hpp>         // ops::package

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vitte::release::detail {

VITTE_DECL bool rpm_read(span<const std::byte> rpm, rpm_contents& out, vitte::diagnostic* why) {
  text_view part;  // the header or the payload's file at fault, once known
  const auto fail = [&](const char* w, std::size_t where, errc kind = errc::malformed) {
    return refuse(why, kind, where > rpm.size() ? rpm.size() : where, part, w);
  };
  const std::byte* p = rpm.data();
  part = "lead";
  if (rpm.size() < rpm_lead_size) return fail("not an rpm package (shorter than its 96-byte lead)", rpm.size());
  for (std::size_t i = 0; i < 4; ++i)
    if (std::to_integer<std::uint8_t>(p[i]) != rpm_lead_magic[i])
      return fail("not an rpm package (no \"ed ab ee db\" magic)", 0);
  const auto major = std::to_integer<std::uint8_t>(p[4]);
  if (major < 3 || major > 4) return fail("an rpm lead of an unsupported version", 4);
  if (vitte::detail::load_be<std::uint16_t>(p + 78) != rpm_sigtype_headersig)
    return fail("an rpm lead whose signature type is not a header (5)", 78);

  rpm_header sig, h;
  if (!rpm_read_header(rpm, rpm_lead_size, rpmtag::headersignatures, 32, 64u << 20, sig, why)) return false;
  part = "signature header";
  const std::size_t header_at = rpm_lead_size + sig.bytes.size() + (8 - sig.bytes.size() % 8) % 8;
  if (header_at > rpm.size()) return fail("the signature header's padding cut short", rpm.size());
  for (std::size_t i = rpm_lead_size + sig.bytes.size(); i < header_at; ++i)
    if (p[i] != std::byte{0}) return fail("the signature header's padding is not zeros", i);
  if (!rpm_read_header(rpm, header_at, rpmtag::headerimmutable, 0xffff, 0x0fffffff, h, why)) return false;
  out.header_offset = header_at;
  out.payload_offset = header_at + h.bytes.size();
  const span<const std::byte> payload(p + out.payload_offset, rpm.size() - out.payload_offset);

  // The digests: of the header, then of the payload, then of both.
  const auto sig_string = [&](std::uint32_t tag, text_view& s) {
    const rpm_index_entry* e = sig.find(tag);
    if (e == nullptr || e->type != rpm_type::string) return false;
    s = sig.strings(*e)[0];
    return true;
  };
  const auto sig_at = [&](std::uint32_t tag) {
    const rpm_index_entry* e = sig.find(tag);
    return e == nullptr ? sig.offset : sig.offset + 16 + 16 * static_cast<std::size_t>(e - sig.entries.data() + 1);
  };
  // All five, as rpmbuild writes them: a signature header that lost one
  // (its tag changed) is refused rather than read with fewer checks.
  for (const std::uint32_t tag :
       {rpmtag::sha1header, rpmtag::sha256header, rpmsigtag::size, rpmsigtag::md5, rpmsigtag::payloadsize})
    if (sig.find(tag) == nullptr)
      return fail("a signature header without its SHA-1, SHA-256, MD5 or sizes", rpm_lead_size + 16);
  text_view expected;
  if (!sig_string(rpmtag::sha256header, expected))
    return fail("no header SHA-256 in the signature header", sig_at(rpmtag::sha256header));
  if (expected != text_view(rpm_detail::hex_of(crypto::sha256::hash(h.bytes.data(), h.bytes.size()))))
    return fail("the header's SHA-256 differs from the signature header's", header_at);
  if (sig.find(rpmtag::sha1header) != nullptr &&
      (!sig_string(rpmtag::sha1header, expected) ||
       expected != text_view(rpm_detail::hex_of(crypto::sha1::hash(h.bytes.data(), h.bytes.size())))))
    return fail("the header's SHA-1 differs from the signature header's", header_at);
  const auto string_of = [&](std::uint32_t tag, text_view& s) {
    const rpm_index_entry* e = h.find(tag);
    if (e == nullptr ||
        (e->type != rpm_type::string && e->type != rpm_type::string_array && e->type != rpm_type::i18nstring))
      return false;
    s = h.strings(*e)[0];
    return true;
  };
  const auto tag_at = [&](std::uint32_t tag) {
    const rpm_index_entry* e = h.find(tag);
    return e == nullptr ? header_at : header_at + 16 + 16 * static_cast<std::size_t>(e - h.entries.data() + 1);
  };
  part = "header";
  if (!string_of(rpmtag::payloaddigest, expected))
    return fail("no PAYLOADDIGEST in the header", tag_at(rpmtag::payloaddigest));
  if (const rpm_index_entry* e = h.find(rpmtag::payloaddigestalgo);
      e != nullptr && (e->type != rpm_type::int32 || h.int32_at(*e, 0) != rpm_hash_sha256))
    return fail("a payload digest that is not SHA-256", tag_at(rpmtag::payloaddigestalgo));
  if (expected != text_view(sha256_hex(payload)))
    return fail("the payload's SHA-256 differs from PAYLOADDIGEST", out.payload_offset);
  part = "signature header";
  if (const rpm_index_entry* e = sig.find(rpmsigtag::md5); e != nullptr) {
    crypto::md5 md5;
    md5.update(h.bytes.data(), h.bytes.size());
    md5.update(payload.data(), payload.size());
    const crypto::md5::digest_type d = md5.finish();
    if (e->type != rpm_type::bin || e->count != 16 ||
        !std::equal(d.begin(), d.end(), sig.data.data() + e->offset,
                    [](std::uint8_t a, std::byte b) { return a == std::to_integer<std::uint8_t>(b); }))
      return fail("the MD5 of header and payload differs from the signature header's", sig_at(rpmsigtag::md5));
  }
  if (const rpm_index_entry* e = sig.find(rpmsigtag::size);
      e != nullptr && (e->type != rpm_type::int32 || sig.int32_at(*e, 0) != h.bytes.size() + payload.size()))
    return fail("a header and payload size that differs from the signature header's", sig_at(rpmsigtag::size));
  // The header's signature: well-formed, of a binary document (verified by rpm_verify_signature()).
  out.has_signature = false;
  if (const rpm_index_entry* e = sig.find(rpmtag::dsaheader); e != nullptr) {
    if (e->type != rpm_type::bin)
      return fail("a header signature (tag 267) that is not binary data", sig_at(rpmtag::dsaheader));
    const span<const std::byte> packet(sig.data.data() + e->offset, e->length);
    const std::size_t packet_at = static_cast<std::size_t>(packet.data() - p);
    openpgp_signature s;
    if (!openpgp_read_signature(packet, s, why)) {  // its message and place, in the signature header's tag 267
      if (why != nullptr) why->about(part).append(" (tag 267)");
      return refused_at(why, packet_at);
    }
    if (s.type != openpgp::sig_binary)
      return fail("a header signature (tag 267) that is not of a binary document (type 0)", packet_at);
    out.has_signature = true;
    out.signer_key_id = s.key_id;
    out.signature_time = s.created;
    out.signature_offset = packet_at;
    out.signature_size = packet.size();
  }

  // The package's names.
  part = "header";
  text_view s;
  if (!string_of(rpmtag::name, s)) return fail("no NAME in the header", header_at);
  out.name = std::string(s);
  if (!string_of(rpmtag::version, s)) return fail("no VERSION in the header", header_at);
  out.version = std::string(s);
  if (!string_of(rpmtag::release, s)) return fail("no RELEASE in the header", header_at);
  out.release = std::string(s);
  out.arch = string_of(rpmtag::arch, s) ? std::string(s) : std::string();
  if (string_of(rpmtag::payloadformat, s) && s != "cpio")
    return fail("a payload that is not a cpio archive", tag_at(rpmtag::payloadformat));
  if (string_of(rpmtag::payloadcompressor, s) && s != "gzip")
    return fail("a payload compressed otherwise than with gzip", tag_at(rpmtag::payloadcompressor));

  // The file list: one path per BASENAMES item, each array as long.
  const rpm_index_entry* basenames = h.find(rpmtag::basenames);
  if (basenames != nullptr && basenames->type != rpm_type::string_array)
    return fail("a BASENAMES that is not a string array", tag_at(rpmtag::basenames));
  const std::size_t n = basenames == nullptr ? 0 : basenames->count;
  const auto array = [&](std::uint32_t tag, rpm_type type) -> const rpm_index_entry* {
    const rpm_index_entry* e = h.find(tag);
    return e != nullptr && e->type == type && e->count == n ? e : nullptr;
  };
  std::vector<std::string> paths(n);
  std::vector<text_view> digests(n), links(n);
  const rpm_index_entry *sizes = nullptr, *modes = nullptr;
  std::uint32_t algo = rpm_hash_md5;
  std::uint64_t expected_cpio = 124;  // the trailer
  if (n != 0) {
    const rpm_index_entry* dirnames = h.find(rpmtag::dirnames);
    const rpm_index_entry* dirindexes = array(rpmtag::dirindexes, rpm_type::int32);
    const rpm_index_entry* digest_entry = array(rpmtag::filedigests, rpm_type::string_array);
    const rpm_index_entry* link_entry = array(rpmtag::filelinktos, rpm_type::string_array);
    sizes = array(rpmtag::filesizes, rpm_type::int32);
    modes = array(rpmtag::filemodes, rpm_type::int16);
    if (dirnames == nullptr || dirnames->type != rpm_type::string_array || dirindexes == nullptr || sizes == nullptr ||
        modes == nullptr || digest_entry == nullptr || link_entry == nullptr)
      return fail("a file list without its arrays (dirnames, sizes, modes, digests, links)", tag_at(rpmtag::basenames));
    if (const rpm_index_entry* e = h.find(rpmtag::filedigestalgo); e != nullptr) {
      if (e->type != rpm_type::int32)
        return fail("a FILEDIGESTALGO that is not a number", tag_at(rpmtag::filedigestalgo));
      algo = h.int32_at(*e, 0);
    }
    if (algo != rpm_hash_md5 && algo != rpm_hash_sha1 && algo != rpm_hash_sha256)
      return fail("file digests neither MD5, SHA-1 nor SHA-256", tag_at(rpmtag::filedigestalgo));
    const std::vector<text_view> dirs = h.strings(*dirnames), bases = h.strings(*basenames);
    digests = h.strings(*digest_entry);
    links = h.strings(*link_entry);
    for (const text_view d : dirs)
      if (d.empty() || d.front() != '/' || d.back() != '/')
        return fail("a directory name not between '/'", tag_at(rpmtag::dirnames));
    // Every path is a directory name and a base name joined: a header can
    // name one long directory for every file. What the joined paths may
    // take is bounded by the file's size (16 bytes per byte; a real
    // package's paths take less than its header), before any is built.
    const std::uint64_t path_budget = 16 * std::uint64_t{rpm.size()} + (std::uint64_t{1} << 20);
    std::uint64_t path_bytes = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t d = h.int32_at(*dirindexes, i);
      if (d >= dirs.size()) return fail("a directory index out of range", tag_at(rpmtag::dirindexes));
      if (bases[i].find('/') != text_view::npos) return fail("a base name with a '/'", tag_at(rpmtag::basenames));
      path_bytes += dirs[d].size() + bases[i].size();
      if (path_bytes > path_budget)
        return fail("file paths longer in all than 16 bytes per byte of the package", tag_at(rpmtag::dirnames));
      paths[i] = std::string(dirs[d].substr(1)) + std::string(bases[i]);
      if (!rpm_path_ok(paths[i])) return fail("a file path that is not relative and clean", tag_at(rpmtag::basenames));
      expected_cpio += cpio_header_size + 3 + paths[i].size() + 3 + h.int32_at(*sizes, i) + 3;
    }
  }
  std::vector<std::uint32_t> by_path(n);  // indexes sorted by path, for the payload's look-ups
  for (std::size_t i = 0; i < n; ++i) by_path[i] = static_cast<std::uint32_t>(i);
  std::sort(by_path.begin(), by_path.end(), [&](std::uint32_t a, std::uint32_t b) { return paths[a] < paths[b]; });
  for (std::size_t i = 1; i < n; ++i)
    if (paths[by_path[i]] == paths[by_path[i - 1]])
      return fail("a file path twice in the header", tag_at(rpmtag::basenames));

  // The payload, no larger than the file list says (and than DEFLATE allows).
  std::uint64_t limit = expected_cpio + 512;
  if (limit > std::uint64_t{1032} * payload.size() + 4096) limit = std::uint64_t{1032} * payload.size() + 4096;
  const std::uint64_t cap = std::uint64_t{1} << (sizeof(std::size_t) >= 8 ? 34 : 30);
  compress::decompress_limits dl;
  dl.max_output = static_cast<std::size_t>(limit > cap ? cap : limit);
  dl.max_ratio = 1032;
  vitte::diagnostic cp;
  result<buffer<std::byte>> raw = compress::gzip_decompress(payload, dl, &cp);
  part = "payload";
  if (!raw) {
    if (raw.error().kind() == errc::limit_exceeded)
      return fail("a payload larger than its header's file list (a gzip bomb?)", out.payload_offset,
                  errc::limit_exceeded);
    // `what` outlives this call: a static text; the place is the decoder's.
    return fail(raw.error() == errc::unexpected_eof ? "a payload cut short" : "a payload that does not decompress",
                out.payload_offset + (cp.offset() < payload.size() ? cp.offset() : payload.size()));
  }
  out.payload_size = raw->size();
  if (const rpm_index_entry* e = sig.find(rpmsigtag::payloadsize);
      e != nullptr && (e->type != rpm_type::int32 || sig.int32_at(*e, 0) != raw->size())) {
    part = "signature header";
    return fail("a payload whose size differs from the signature header's", sig_at(rpmsigtag::payloadsize));
  }

  // The cpio, member by member against the file list.
  std::vector<cpio_member> members;
  if (!cpio_read(raw->span(), members, why)) return refused_in(why, out.payload_offset, "payload");
  std::vector<bool> seen(n, false);
  out.entries.clear();
  // Hard links: the names of one file share its inode number, and its data
  // comes with the last of them (newc); the others stand for the same data.
  // Each such inode has exactly as many names as its nlink says, one of
  // them with the data.
  struct linked {
    std::uint32_t ino = 0, names = 0, with_data = 0;
    span<const std::byte> data;
  };
  std::vector<linked> links_of;
  for (const cpio_member& m : members) {
    if (m.fields.nlink < 2 || (m.fields.mode & rpm_file_type_mask) != rpm_file_regular) continue;
    auto l = std::lower_bound(links_of.begin(), links_of.end(), m.fields.ino,
                              [](const linked& x, std::uint32_t ino) { return x.ino < ino; });
    if (l == links_of.end() || l->ino != m.fields.ino) l = links_of.insert(l, linked{m.fields.ino, 0, 0, {}});
    ++l->names;
    if (!m.data.empty()) ++l->with_data, l->data = m.data;
  }
  for (const cpio_member& m : members) {
    if (m.fields.nlink < 2 || (m.fields.mode & rpm_file_type_mask) != rpm_file_regular) continue;
    const auto l = std::lower_bound(links_of.begin(), links_of.end(), m.fields.ino,
                                    [](const linked& x, std::uint32_t ino) { return x.ino < ino; });
    if (l->names != m.fields.nlink || l->with_data > 1) {
      part = m.name;
      return fail("hard links whose count or data differ from their nlink", out.payload_offset);
    }
  }
  const auto data_of = [&](const cpio_member& m) -> span<const std::byte> {
    if (m.fields.nlink < 2 || !m.data.empty() || (m.fields.mode & rpm_file_type_mask) != rpm_file_regular)
      return m.data;
    const auto l = std::lower_bound(links_of.begin(), links_of.end(), m.fields.ino,
                                    [](const linked& x, std::uint32_t ino) { return x.ino < ino; });
    return l->data;
  };
  for (const cpio_member& member : members) {
    part = member.name;
    cpio_member m = member;
    m.data = data_of(member);
    if (!m.name.starts_with("./")) return fail("a payload name without its \"./\" prefix", out.payload_offset);
    const text_view path = m.name.substr(2);
    const auto it = std::lower_bound(by_path.begin(), by_path.end(), path,
                                     [&](std::uint32_t i, text_view v) { return text_view(paths[i]) < v; });
    if (it == by_path.end() || text_view(paths[*it]) != path)
      return fail("a payload file the header does not list", out.payload_offset);
    const std::uint32_t i = *it;
    if (seen[i]) return fail("a payload file twice", out.payload_offset);
    seen[i] = true;
    const std::uint32_t mode = h.int16_at(*modes, i);
    if (m.fields.mode != mode) return fail("a payload file whose mode differs from the header's", out.payload_offset);
    const std::uint32_t type = mode & rpm_file_type_mask;
    if (type != rpm_file_directory && m.data.size() != h.int32_at(*sizes, i))  // rpmbuild lists a directory's st_size
      return fail("a payload file whose size differs from the header's", out.payload_offset);
    package_entry pe;
    pe.path = std::string(path);
    pe.mode = mode & 07777;
    if (type == rpm_file_regular) {
      pe.type = "file";
      pe.size = m.data.size();
      pe.sha256 = sha256_hex(m.data);
      const std::string digest = algo == rpm_hash_sha256 ? pe.sha256
                                 : algo == rpm_hash_sha1
                                     ? rpm_detail::hex_of(crypto::sha1::hash(m.data.data(), m.data.size()))
                                     : rpm_detail::hex_of(crypto::md5::hash(m.data.data(), m.data.size()));
      if (digests[i] != text_view(digest))
        return fail("a file whose digest differs from the header's", out.payload_offset);
    } else if (type == rpm_file_directory) {
      pe.type = "directory";
      if (!m.data.empty()) return fail("a directory with data", out.payload_offset);
    } else if (type == rpm_file_symlink) {
      pe.type = "symlink";
      pe.link = std::string(links[i]);
      if (pe.link.empty() || text_view(reinterpret_cast<const char*>(m.data.data()), m.data.size()) != links[i])
        return fail("a symlink whose target differs from the header's", out.payload_offset);
    } else {
      return fail("a file that is not a regular file, directory or symlink", out.payload_offset);
    }
    out.entries.push_back(static_cast<package_entry&&>(pe));
  }
  for (std::size_t i = 0; i < n; ++i)
    if (!seen[i]) {
      part = paths[i];
      return fail("a file the header lists but the payload lacks", out.payload_offset);
    }
  return true;
}

VITTE_DECL bool rpm_verify_signature(span<const std::byte> rpm, const crypto::ed25519::public_key& key,
                                     vitte::diagnostic* why) {
  rpm_contents c;
  if (!rpm_read(rpm, c, why)) return false;
  if (!c.has_signature)
    return refuse(why, errc::verification_failed, rpm_lead_size, "signature header",
                  "an unsigned package (no header signature, tag 267)");
  openpgp_signature s;
  const span<const std::byte> packet(rpm.data() + c.signature_offset, c.signature_size);
  const span<const std::byte> header(rpm.data() + c.header_offset, c.payload_offset - c.header_offset);
  if (openpgp_read_signature(packet, s, why) &&
      openpgp_verify(s, key, static_cast<std::uint32_t>(rpm_key_created), header, why))
    return true;
  if (why != nullptr) why->about("signature header").at(why->has_offset() ? why->offset() : 0);
  return refused_at(why, c.signature_offset);  // at the packet, or where in it the reader stopped
}

}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_RPM_READER_IPP
