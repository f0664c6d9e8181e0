// vitte/release/detail/rpm_writer.ipp - rpm_write(): the tree of a tar as
// an .rpm (rpm.hpp says what it holds): the file list sorted by path, the
// main header, the payload (newc cpio, gzip), the signature header with
// every digest rpm -K checks and, with a signer, the OpenPGP header
// signature; and rpm_public_key_block() for that signer's key.
#ifndef VITTE_RELEASE_DETAIL_RPM_WRITER_IPP
#define VITTE_RELEASE_DETAIL_RPM_WRITER_IPP

#include <vitte/archive/tar.hpp>  // the tree to package
#include <vitte/base/buffer.hpp>
#include <vitte/base/detail/bytes.hpp>   // bytes_of
#include <vitte/base/detail/endian.hpp>  // big-endian header fields
#include <vitte/base/detail/hex.hpp>     // digests as text
#include <vitte/base/result.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/compress/stream.hpp>  // the payload's gzip, as it is written
#include <vitte/crypto/md5.hpp>       // rpm -K's MD5 of header and payload
#include <vitte/crypto/sha1.hpp>      // and SHA-1 of the header
#include <vitte/crypto/sha256.hpp>
#include <vitte/machine/triple.hpp>  // rpm_arch
#include <vitte/release/detail/cpio.hpp>
#include <vitte/release/detail/failure.hpp>  // refuse_error, pass_on
#include <vitte/release/detail/openpgp.hpp>  // the header signature
#include <vitte/release/detail/package_entry.hpp>
#include <vitte/release/detail/package_fields.hpp>  // one_line, text_lines
#include <vitte/release/detail/package_name.hpp>    // name, version, release
#include <vitte/release/detail/package_sink.hpp>    // the package and its payload as they are made
#include <vitte/release/detail/package_tree.hpp>    // the tree as listed
#include <vitte/release/detail/rpm.hpp>
#include <vitte/release/detail/rpm_header.hpp>
#include <vitte/release/detail/sha256_hex.hpp>  // sha256_hex
#include <vitte/release/operations.hpp>         // ops::package
#include <vitte/sys/file.hpp>                   // files read in pieces

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vitte::release::detail {

namespace rpm_detail {

// Under rpm's %__docdir_path (rpmlint's doc_regex too): rpmbuild marks
// those files %doc, and rpmlint wants them marked.
VITTE_DECL bool documentation(text_view path) {
  for (const text_view d : {"usr/share/doc/", "usr/share/man/", "usr/share/info/", "usr/doc/", "usr/man/", "usr/info/",
                            "usr/X11R6/doc/", "usr/X11R6/man/", "usr/X11R6/info/", "usr/share/gnome/help"})
    if (path.starts_with(d)) return true;
  return false;
}

struct file {
  std::string path;
  archive::entry_type type = archive::entry_type::file;
  std::uint32_t mode = 0;
  span<const std::byte> data;  // in memory (rpm_write), or
  std::string source;          // read from here in pieces (rpm_write_tree)
  std::uint64_t size = 0;      // a file's data
  std::string link;
  std::string first;  // a hard link's first name (the file the tar holds); empty otherwise
};

// The lead and the signature header of a package whose main header is
// `header` and whose payload, `payload_bytes` long, is `payload_size`
// uncompressed; `md5` of header and payload. Errors: limit_exceeded.
VITTE_DECL result<std::string> lead_and_signature(text_view nevr, text_view arch, text_view header,
                                                  std::uint64_t payload_bytes, std::uint64_t payload_size,
                                                  const crypto::md5::digest_type& md5,
                                                  span<const std::byte> signature) {
  const std::uint64_t signed_size = header.size() + payload_bytes;
  if (signed_size > 0xffffffffu || payload_size > 0xffffffffu) return vitte::error{errc::limit_exceeded, ops::package};
  rpm_header_writer sig;
  sig.string(rpmtag::sha1header, rpm_detail::hex_of(crypto::sha1::hash(header.data(), header.size())));
  sig.string(rpmtag::sha256header, rpm_detail::hex_of(crypto::sha256::hash(header.data(), header.size())));
  sig.int32s(rpmsigtag::size, {static_cast<std::uint32_t>(signed_size)});
  sig.bin(rpmsigtag::md5, span<const std::byte>(reinterpret_cast<const std::byte*>(md5.data()), 16));
  sig.int32s(rpmsigtag::payloadsize, {static_cast<std::uint32_t>(payload_size)});
  if (!signature.empty()) sig.bin(rpmtag::dsaheader, signature);
  std::string sig_header = sig.finish(rpmtag::headersignatures);
  sig_header.append((8 - sig_header.size() % 8) % 8, '\0');

  std::string lead(rpm_lead_size, '\0');
  for (std::size_t i = 0; i < 4; ++i) lead[i] = static_cast<char>(rpm_lead_magic[i]);
  lead[4] = 3;  // format 3.0, type 0: binary
  vitte::detail::store_be<std::uint16_t>(&lead[8], rpm_arch_number(arch));
  for (std::size_t i = 0; i < nevr.size() && i < 65; ++i) lead[10 + i] = nevr[i];
  vitte::detail::store_be<std::uint16_t>(&lead[76], 1);  // linux
  vitte::detail::store_be<std::uint16_t>(&lead[78], static_cast<std::uint16_t>(rpm_sigtype_headersig));
  return lead + sig_header;
}

// The fields rpm refuses, refused with their names.
VITTE_DECL status check_fields(const rpm_fields& f, vitte::diagnostic* why) {
  const auto fail = [&](errc kind, const char* w, text_view d) { return refuse_error(why, kind, d, w); };
  if (!name_ok(f.name, "._+-", true))
    return fail(errc::invalid_argument, "an rpm name is [A-Za-z0-9][A-Za-z0-9._+-]*", f.name);
  if (!name_ok(f.version, "._+~^", false))
    return fail(errc::invalid_argument, "an rpm version is [A-Za-z0-9._+~^]+ (no '-')", f.version);
  if (!name_ok(f.release, "._+~^", false))
    return fail(errc::invalid_argument, "an rpm release is [A-Za-z0-9._+~^]+ (no '-')", f.release);
  if (!name_ok(f.arch, "_", true))
    return fail(errc::invalid_argument, "an rpm architecture is a name like x86_64 (rpm_arch())", f.arch);
  const struct {
    text_view value;
    const char* name;
  } lines[] = {
      {f.summary, "summary"}, {f.license, "license"}, {f.url, "url"}, {f.packager, "packager"}, {f.group, "group"}};
  for (const auto& l : lines)
    if (!one_line(l.value)) return fail(errc::invalid_argument, "a field that is not one line", l.name);
  if (!text_lines(f.description)) return fail(errc::invalid_argument, "a text with a control character", "description");
  if (!text_lines(f.changelog)) return fail(errc::invalid_argument, "a text with a control character", "changelog");
  for (const span<const rpm_dependency>* list : {&f.requirements, &f.conflicts, &f.provides})
    for (const rpm_dependency& d : *list)
      if (d.name.empty() || !one_line(d.name) || !one_line(d.version) || d.name.find(' ') != std::string::npos)
        return fail(errc::invalid_argument, "a dependency that is not one name (and a version)", d.name);
  if (f.build_time < 0 || f.build_time > 0xffffffffLL)
    return fail(errc::invalid_argument, "a build time outside rpm's 32 bits", "build_time");
  return {};
}

// The package of `files` to `out`, its payload set aside in `payload` until
// the header holding its digest is written; what it installs, as rpm_read()
// lists it, to `installs`.
VITTE_DECL status write_files(std::vector<file>& files, const rpm_fields& f, archive_sink& out, set_aside& payload,
                              std::vector<package_entry>& installs, vitte::diagnostic* why) {
  const auto fail = [&](errc kind, const char* w, text_view d) { return refuse_error(why, kind, d, w); };
  const auto time = static_cast<std::uint32_t>(f.build_time);
  const int level = f.level < 1 ? 1 : f.level > 9 ? 9 : f.level;
  std::sort(files.begin(), files.end(), [](const file& a, const file& b) { return a.path < b.path; });
  for (std::size_t i = 1; i < files.size(); ++i)
    if (files[i].path == files[i - 1].path)
      return fail(errc::invalid_argument, "a path twice in the tree", files[i].path);

  // Hard links: every name of a file has the inode number of its first
  // name, the count of its names, and (newc) the data with its last name.
  std::vector<std::uint32_t> inode(files.size()), names(files.size(), 1);
  std::vector<bool> data_here(files.size(), true);
  for (std::size_t i = 0; i < files.size(); ++i) {
    inode[i] = static_cast<std::uint32_t>(i + 1);
    const std::string& first = files[i].first.empty() ? files[i].path : files[i].first;
    for (std::size_t j = 0; j < i; ++j) {
      const std::string& other = files[j].first.empty() ? files[j].path : files[j].first;
      if (files[j].type == archive::entry_type::file && other == first) {
        inode[i] = inode[j];
        data_here[j] = false;
      }
    }
  }
  for (std::size_t i = 0; i < files.size(); ++i)
    for (std::size_t j = 0; j < files.size(); ++j)
      if (j != i && inode[j] == inode[i]) ++names[i];

  // The payload: each member's header, then its data in pieces, through gzip.
  compress::compressor z(compress::format::gzip, level);
  buffer<std::byte> squeezed;
  std::uint64_t cpio_size = 0, installed = 0;
  const auto feed = [&](span<const std::byte> piece) -> status {
    cpio_size += piece.size();
    status s = z.write(piece, squeezed);
    if (s) s = payload.sink.write(squeezed.span());
    squeezed.clear();
    return s;
  };
  std::vector<std::string> digests(files.size());
  buffer<std::byte> piece;
  std::string head;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const file& fl = files[i];
    cpio_fields cf;
    cf.ino = inode[i];
    cf.nlink = names[i];
    cf.mode = fl.mode | (fl.type == archive::entry_type::directory ? rpm_file_directory
                         : fl.type == archive::entry_type::symlink ? rpm_file_symlink
                                                                   : rpm_file_regular);
    if (fl.type == archive::entry_type::symlink) cf.mode = rpm_file_symlink | 0777;
    cf.mtime = time;
    cf.dev_minor = 1;
    const bool symlink = fl.type == archive::entry_type::symlink;
    const std::uint64_t size = symlink ? fl.link.size() : data_here[i] ? fl.size : 0;
    head.clear();
    if (!cpio_header(head, "./" + fl.path, cf, size))
      return fail(errc::limit_exceeded, "a path or file too large for cpio", fl.path);
    if (status s = feed(vitte::detail::bytes_of(head)); !s)
      return fail(s.error().kind(), "cannot write the payload", f.name);
    crypto::sha256 sha;
    if (symlink) {
      if (status s = feed(vitte::detail::bytes_of(fl.link)); !s)
        return fail(s.error().kind(), "cannot write the payload", f.name);
    } else if (size != 0 && fl.source.empty()) {
      sha.update(fl.data);
      if (status s = feed(fl.data); !s) return fail(s.error().kind(), "cannot write the payload", f.name);
    } else if (size != 0) {
      result<vitte::sys::file> in = vitte::sys::file::open(fl.source, vitte::sys::open_mode::read);
      if (!in) return fail(in.error().kind(), "cannot read the file", fl.source);
      if (piece.empty() && !piece.try_resize_for_overwrite(tree_piece))
        return fail(errc::no_memory, "cannot read the file", fl.source);
      for (std::uint64_t left = size; left != 0;) {
        const std::size_t want = left < piece.size() ? static_cast<std::size_t>(left) : piece.size();
        if (status s = in->read_exact(span<std::byte>(piece.data(), want)); !s)
          return fail(s.error().kind(), "cannot read the file (or it shrank while it was packed)", fl.source);
        const span<const std::byte> data(piece.data(), want);
        sha.update(data);
        if (status s = feed(data); !s) return fail(s.error().kind(), "cannot write the payload", f.name);
        left -= want;
      }
    }
    if (fl.type == archive::entry_type::file && data_here[i]) digests[i] = digest_hex(sha.finish());
    static constexpr std::byte zeros[4] = {};
    if (status s = feed(span<const std::byte>(zeros, cpio_pad(static_cast<std::size_t>(size % 4)))); !s)
      return fail(s.error().kind(), "cannot write the payload", f.name);
    installed += size;
  }
  for (std::size_t i = 0; i < files.size(); ++i)  // a hard link's earlier names: the digest of their data
    for (std::size_t j = 0; digests[i].empty() && files[i].type == archive::entry_type::file && j < files.size(); ++j)
      if (inode[j] == inode[i] && data_here[j]) digests[i] = digests[j];
  head.clear();
  cpio_finish(head);
  if (status s = feed(vitte::detail::bytes_of(head)); !s)
    return fail(s.error().kind(), "cannot write the payload", f.name);
  if (status s = z.finish(squeezed); !s) return fail(s.error().kind(), "cannot compress the payload", f.name);
  if (status s = payload.sink.write(squeezed.span()); !s)
    return fail(s.error().kind(), "cannot write the payload", f.name);
  if (installed > 0xffffffffu || cpio_size > 0xffffffffu)
    return fail(errc::limit_exceeded, "a package of 4 GiB or more", f.name);
  // The main header.
  const std::string evr = std::string(f.version) + "-" + std::string(f.release);
  rpm_header_writer h;
  h.strings(rpmtag::headeri18ntable, {"C"});
  h.string(rpmtag::name, f.name);
  h.string(rpmtag::version, f.version);
  h.string(rpmtag::release, f.release);
  const text_view summary = f.summary.empty() ? f.name : f.summary;
  h.i18n(rpmtag::summary, summary);
  h.i18n(rpmtag::description, f.description.empty() ? summary : f.description);
  h.int32s(rpmtag::buildtime, {time});
  h.string(rpmtag::buildhost, "localhost");
  h.int32s(rpmtag::size, {static_cast<std::uint32_t>(installed)});
  h.string(rpmtag::license, f.license.empty() ? text_view("unknown") : f.license);
  if (!f.packager.empty()) h.string(rpmtag::packager, f.packager);
  h.i18n(rpmtag::group, f.group.empty() ? text_view("Unspecified") : f.group);
  if (!f.url.empty()) h.string(rpmtag::url, f.url);
  h.string(rpmtag::os, "linux");
  h.string(rpmtag::arch, f.arch);
  h.string(rpmtag::sourcerpm, std::string(f.name) + "-" + evr + ".src.rpm");
  const std::uint32_t rpmlib = rpm_sense_rpmlib | rpm_sense_less | rpm_sense_equal;
  std::vector<rpm_dependency> provides(f.provides.begin(), f.provides.end()),
      conflicts(f.conflicts.begin(), f.conflicts.end()),
      requirements = {{"rpmlib(CompressedFileNames)", "3.0.4-1", rpmlib},
                      {"rpmlib(FileDigests)", "4.6.0-1", rpmlib},
                      {"rpmlib(PayloadFilesHavePrefix)", "4.0-1", rpmlib}};
  provides.push_back({std::string(f.name), evr, rpm_sense_equal});
  requirements.insert(requirements.end(), f.requirements.begin(), f.requirements.end());
  // Each list sorted by name then version, once each, as rpmbuild writes them.
  const auto put = [&h](std::vector<rpm_dependency>& list, std::uint32_t names, std::uint32_t flags,
                        std::uint32_t versions) {
    if (list.empty()) return;
    std::sort(list.begin(), list.end(), [](const rpm_dependency& a, const rpm_dependency& b) {
      return a.name != b.name ? a.name < b.name : a.version < b.version;
    });
    list.erase(std::unique(list.begin(), list.end(),
                           [](const rpm_dependency& a, const rpm_dependency& b) {
                             return a.name == b.name && a.version == b.version;
                           }),
               list.end());
    std::vector<std::string> n, v;
    std::vector<std::uint32_t> fl;
    for (const rpm_dependency& d : list) {
      n.push_back(d.name);
      v.push_back(d.version);
      fl.push_back(d.flags);
    }
    h.strings(names, n);
    h.int32s(flags, fl);
    h.strings(versions, v);
  };
  put(provides, rpmtag::providename, rpmtag::provideflags, rpmtag::provideversion);
  put(requirements, rpmtag::requirename, rpmtag::requireflags, rpmtag::requireversion);
  put(conflicts, rpmtag::conflictname, rpmtag::conflictflags, rpmtag::conflictversion);
  h.string(rpmtag::rpmversion, "4.18.0");
  h.int32s(rpmtag::changelogtime, {time});
  h.strings(rpmtag::changelogname, {std::string(f.packager.empty() ? f.name : f.packager) + " - " + evr});
  h.strings(rpmtag::changelogtext, {f.changelog.empty() ? "- Release " + evr : std::string(f.changelog)});
  h.string(rpmtag::payloadformat, "cpio");
  h.string(rpmtag::payloadcompressor, "gzip");
  h.string(rpmtag::payloadflags, std::string(1, static_cast<char>('0' + level)));
  h.string(rpmtag::encoding, "utf-8");
  h.strings(rpmtag::payloaddigest, {digest_hex(payload.sink.hash.finish())});
  h.int32s(rpmtag::payloaddigestalgo, {rpm_hash_sha256});
  if (!files.empty()) {
    const std::size_t n = files.size();
    std::vector<std::string> dirnames, basenames(n), links(n), owners(n, "root"), langs(n);
    std::vector<std::uint32_t> dirindexes(n), sizes(n), mtimes(n, time), flags(n, 0), verify(n, 0xffffffffu),
        devices(n, 1), inodes(n);
    std::vector<std::uint16_t> modes(n), rdevs(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const file& fl = files[i];
      const std::size_t slash = fl.path.rfind('/');
      const std::string dir = slash == std::string::npos ? "/" : "/" + fl.path.substr(0, slash + 1);
      basenames[i] = slash == std::string::npos ? fl.path : fl.path.substr(slash + 1);
      std::size_t d = 0;
      while (d < dirnames.size() && dirnames[d] != dir) ++d;
      if (d == dirnames.size()) dirnames.push_back(dir);
      dirindexes[i] = static_cast<std::uint32_t>(d);
      const bool link = fl.type == archive::entry_type::symlink;
      sizes[i] = static_cast<std::uint32_t>(link ? fl.link.size() : fl.size);
      modes[i] = static_cast<std::uint16_t>(
          link ? rpm_file_symlink | 0777
               : fl.mode | (fl.type == archive::entry_type::directory ? rpm_file_directory : rpm_file_regular));
      links[i] = fl.link;
      inodes[i] = inode[i];
      if (documentation(fl.path)) flags[i] = rpm_file_doc;
      if (std::find(f.config_files.begin(), f.config_files.end(), fl.path) != f.config_files.end())
        flags[i] |= rpm_file_config | rpm_file_noreplace;
    }
    h.int32s(rpmtag::filesizes, sizes);
    h.int16s(rpmtag::filemodes, modes);
    h.int16s(rpmtag::filerdevs, rdevs);
    h.int32s(rpmtag::filemtimes, mtimes);
    h.strings(rpmtag::filedigests, digests);
    h.strings(rpmtag::filelinktos, links);
    h.int32s(rpmtag::fileflags, flags);
    h.strings(rpmtag::fileusername, owners);
    h.strings(rpmtag::filegroupname, owners);
    h.int32s(rpmtag::fileverifyflags, verify);
    h.int32s(rpmtag::filedevices, devices);
    h.int32s(rpmtag::fileinodes, inodes);
    h.strings(rpmtag::filelangs, langs);
    h.int32s(rpmtag::dirindexes, dirindexes);
    h.strings(rpmtag::basenames, basenames);
    h.strings(rpmtag::dirnames, dirnames);
    h.int32s(rpmtag::filedigestalgo, {rpm_hash_sha256});
  }
  const std::string header = h.finish(rpmtag::headerimmutable);
  const std::string nevr = std::string(f.name) + "-" + evr;
  buffer<std::byte> signature;
  if (f.signer != nullptr) {
    result<buffer<std::byte>> s =
        openpgp_sign(*f.signer, vitte::detail::bytes_of(header), f.build_time, rpm_key_created);
    if (!s) return fail(s.error().kind(), "cannot sign the header", f.name);
    signature = static_cast<buffer<std::byte>&&>(*s);
  }
  // rpm -K's MD5 of header and payload, then the package: lead and
  // signature header, main header, payload.
  crypto::md5 md5;
  md5.update(header.data(), header.size());
  const auto digest = [&](span<const std::byte> p) { return md5.update(p), status{}; };
  if (status s = payload.read_back(digest); !s) return fail(s.error().kind(), "cannot read the payload back", f.name);
  result<std::string> prefix =
      lead_and_signature(nevr, f.arch, header, payload.sink.size, cpio_size, md5.finish(), signature.span());
  if (!prefix) return fail(prefix.error().kind(), "a package of 4 GiB or more", f.name);
  const auto copy = [&](span<const std::byte> p) { return out.write(p); };
  status s = out.write(vitte::detail::bytes_of(*prefix));
  if (s) s = out.write(vitte::detail::bytes_of(header));
  if (s) s = payload.read_back(copy);
  if (!s) return fail(s.error().kind(), "cannot write the package", f.name);
  for (std::size_t i = 0; i < files.size(); ++i) {
    const file& fl = files[i];
    package_entry e;
    e.path = fl.path;
    e.type = fl.type == archive::entry_type::directory ? "directory"
             : fl.type == archive::entry_type::symlink ? "symlink"
                                                       : "file";
    e.mode = fl.type == archive::entry_type::symlink ? 0777 : fl.mode & 07777;
    e.size = fl.type == archive::entry_type::file ? fl.size : 0;
    e.sha256 = digests[i];
    e.link = fl.link;
    installs.push_back(static_cast<package_entry&&>(e));
  }
  return {};
}

}  // namespace rpm_detail

VITTE_DECL result<buffer<std::byte>> rpm_assemble(text_view nevr, text_view arch, text_view header,
                                                  span<const std::byte> payload, std::uint64_t payload_size,
                                                  span<const std::byte> signature) {
  crypto::md5 md5;
  md5.update(header.data(), header.size());
  md5.update(payload.data(), payload.size());
  result<std::string> prefix =
      rpm_detail::lead_and_signature(nevr, arch, header, payload.size(), payload_size, md5.finish(), signature);
  if (!prefix) return prefix.error();
  buffer<std::byte> out;
  out.reserve(prefix->size() + header.size() + payload.size());
  out.append(reinterpret_cast<const std::byte*>(prefix->data()), prefix->size());
  out.append(reinterpret_cast<const std::byte*>(header.data()), header.size());
  out.append(payload.data(), payload.size());
  return out;
}

VITTE_DECL result<buffer<std::byte>> rpm_write(span<const std::byte> tar, const rpm_fields& f, vitte::diagnostic* why) {
  const auto fail = [&](errc kind, const char* w, text_view d) { return refuse_error(why, kind, d, w); };
  if (status s = rpm_detail::check_fields(f, why); !s) return s.error();
  // The tree, sorted by path; the standard directories left out.
  std::vector<rpm_detail::file> files;
  archive::tar_reader r(tar);
  for (;;) {
    result<const archive::entry*> e = r.next();
    if (!e) return pass_on(why, r.failure());  // the tar reader's kind, entry and place
    if (*e == nullptr) break;
    const archive::entry& x = **e;
    const text_view path = x.path.view();
    if (!rpm_path_ok(path)) return fail(errc::invalid_argument, "an entry path that is not relative and clean", path);
    if (x.type != archive::entry_type::file && x.type != archive::entry_type::directory &&
        x.type != archive::entry_type::symlink && x.type != archive::entry_type::hard_link)
      return fail(errc::not_supported, "an entry that is not a file, directory, symlink or hard link", path);
    if (x.sparse) return fail(errc::not_supported, "a sparse file", path);
    if (x.type == archive::entry_type::directory && rpm_standard_directory(path)) continue;
    rpm_detail::file fl;
    fl.path = std::string(path);
    fl.type = x.type;
    fl.mode = x.mode & 07777;
    if (x.type == archive::entry_type::file) fl.data = r.data();
    if (x.type == archive::entry_type::symlink) {
      fl.link = std::string(x.link.view());
      if (fl.link.empty()) return fail(errc::invalid_argument, "a symlink without a target", path);
    }
    if (x.type == archive::entry_type::hard_link) {  // the same file under another name: shares its inode
      const auto target = std::find_if(files.begin(), files.end(), [&](const rpm_detail::file& t) {
        return t.type == archive::entry_type::file && t.first.empty() && text_view(t.path) == x.link.view();
      });
      if (target == files.end()) return fail(errc::invalid_argument, "a hard link to no file before it", path);
      fl.type = archive::entry_type::file;
      fl.mode = target->mode;
      fl.data = target->data;
      fl.first = target->path;
    }
    fl.size = fl.data.size();
    if (fl.data.size() > 0xffffffffu) return fail(errc::limit_exceeded, "a file of 4 GiB or more", path);
    files.push_back(static_cast<rpm_detail::file&&>(fl));
  }
  buffer<std::byte> bytes;
  archive_sink out;
  out.memory = &bytes;
  set_aside payload;
  (void)payload.open({});
  std::vector<package_entry> installs;
  if (status s = rpm_detail::write_files(files, f, out, payload, installs, why); !s) return s.error();
  return bytes;
}

VITTE_DECL status rpm_write_tree(span<const tree_item> items, const rpm_fields& f, archive_sink& out,
                                 text_view scratch_dir, std::vector<package_entry>& installs, vitte::diagnostic* why) {
  const auto fail = [&](errc kind, const char* w, text_view d) { return refuse_error(why, kind, d, w); };
  if (status s = rpm_detail::check_fields(f, why); !s) return s;
  std::vector<rpm_detail::file> files;
  for (const tree_item& x : items) {
    if (!rpm_path_ok(x.path))
      return fail(errc::invalid_argument, "an entry path that is not relative and clean", x.path);
    if (x.type == archive::entry_type::directory && rpm_standard_directory(x.path)) continue;
    rpm_detail::file fl;
    fl.path = x.path;
    fl.type = x.type;
    fl.mode = x.mode & 07777;
    fl.source = x.source;
    fl.size = x.size;
    fl.link = x.link;
    if (x.type == archive::entry_type::hard_link) {  // the same file under another name: shares its inode
      const auto target = std::find_if(files.begin(), files.end(), [&](const rpm_detail::file& t) {
        return t.type == archive::entry_type::file && t.first.empty() && t.path == x.link;
      });
      if (target == files.end()) return fail(errc::invalid_argument, "a hard link to no file before it", x.path);
      fl.type = archive::entry_type::file;
      fl.mode = target->mode;
      fl.source = target->source;
      fl.size = target->size;
      fl.first = target->path;
      fl.link.clear();
    }
    if (fl.size > 0xffffffffu) return fail(errc::limit_exceeded, "a file of 4 GiB or more", x.path);
    files.push_back(static_cast<rpm_detail::file&&>(fl));
  }
  set_aside payload;
  if (status s = payload.open(scratch_dir); !s)
    return fail(s.error().kind(), "cannot make a scratch file in the output directory", scratch_dir);
  return rpm_detail::write_files(files, f, out, payload, installs, why);
}

VITTE_DECL result<text> rpm_public_key_block(const crypto::ed25519::key_pair& kp, text_view user_id) {
  return openpgp_public_key_block(kp, user_id, rpm_key_created);
}

}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_RPM_WRITER_IPP
