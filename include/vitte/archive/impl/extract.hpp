// vitte/archive/impl/extract.hpp - extract(): the template that walks the
// entries of either reader, and what it calls; the other bodies are in
// impl/extract.ipp. Included by vitte/archive/extract.hpp after its
// declarations.
#ifndef VITTE_ARCHIVE_IMPL_EXTRACT_HPP
#define VITTE_ARCHIVE_IMPL_EXTRACT_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic.hpp>  // why
#include <vitte/sys/directory.hpp>
#include <vitte/sys/metadata.hpp>
#include <vitte/sys/path_ops.hpp>

#include <set>
#include <string>
#include <vector>

namespace vitte::archive {
namespace detail {

// Splits a member path into its components ("." and empty ones dropped),
// or says why it is refused.
VITTE_DECL refusal split_member(text_view p, std::vector<text_view>& parts);

// A symbolic link's target stays inside the destination when it is
// relative, its ".." come first, and there are no more of them than
// directories between the link and the destination.
VITTE_DECL bool link_stays_inside(text_view target, std::size_t depth);

VITTE_DECL std::string join(const std::vector<text_view>& parts, std::size_t n);

// Writes the data of the entry `r` returned into `f`: a sparse file's runs
// at their offsets, the holes left as holes (ftruncate to the real size;
// where the file system has no holes, zeros). `reading` says whether an
// error came from the archive.
VITTE_DECL status write_entry(tar_reader& r, vitte::sys::file& f, const entry& e, buffer<std::byte>&, bool& reading);

template <class Source>
status write_entry(tar_stream_reader<Source>& r, vitte::sys::file& f, const entry& e, buffer<std::byte>& chunk,
                   bool& reading) {
  const sparse_run whole{0, e.size};
  const span<const sparse_run> runs = e.sparse ? r.sparse_map() : span<const sparse_run>(&whole, 1);
  if (chunk.size() < 65536) chunk.resize(65536);
  for (const sparse_run& run : runs) {
    std::uint64_t left = run.size, offset = run.offset;
    while (left != 0) {
      const std::size_t want = left < chunk.size() ? static_cast<std::size_t>(left) : chunk.size();
      reading = true;
      result<std::size_t> got = r.read_data(span<std::byte>(chunk.data(), want));
      if (!got) return got.error();
      reading = false;
      const span<const std::byte> bytes(chunk.data(), *got);
      if (status w = e.sparse ? f.write_at(bytes, offset) : f.write(bytes); !w) return w;
      offset += *got;
      left -= *got;
    }
  }
  reading = false;
  return e.sparse ? f.truncate(e.size) : status{};
}

template <class Reader>
result<extract_report> extract_entries(Reader& reader, text_view destination, const extract_options& options,
                                       vitte::diagnostic* why, refusal* reason);

}  // namespace detail

template <byte_source Source>
result<extract_report> extract(Source& source, text_view destination, const extract_options& options,
                               vitte::diagnostic* why, refusal* reason) {
  tar_stream_reader<Source> reader(source);
  return detail::extract_entries(reader, destination, options, why, reason);
}

template <class Reader>
result<extract_report> detail::extract_entries(Reader& reader, text_view destination, const extract_options& options,
                                               vitte::diagnostic* why, refusal* reason) {
  namespace sys = vitte::sys;
  namespace d = detail;
  extract_report report;
  const entry* current = nullptr;
  if (reason != nullptr) *reason = refusal::none;
  // A refusal: `what` about the current entry at its header (the destination
  // before any), then the path the file system refused and its message.
  auto refuse = [&](refusal r, errc kind, const char* what, const vitte::error* cause = nullptr,
                    text_view made = {}) -> vitte::error {
    if (reason != nullptr) *reason = r;
    if (why != nullptr) {
      why->clear();
      why->of(kind).say(what);
      if (current != nullptr)
        d::name_subject(why->at(current->offset), current->path);
      else
        why->about(destination);
      if (!made.empty()) d::append_name(why->append(" "), made);
      if (cause != nullptr) why->append(": ").append(cause->message().view());
    }
    return vitte::error{kind, ops::tar_extract};
  };
  // The file system said no (`e`) to `made`.
  auto io = [&](const vitte::error& e, const char* what, text_view made = {}) {
    return refuse(refusal::io_error, e.kind(), what, &e, made);
  };
  const errc rule = errc::permission_denied;

  if (status made = sys::create_directories(destination); !made && made.error() != errc::already_exists)
    return io(made.error(), "cannot create the destination");
  result<sys::directory> root = sys::directory::open(destination);
  if (!root) return io(root.error(), "cannot open the destination");
  if (!options.into_existing) {
    result<sys::directory_reader> listing = sys::directory_reader::open(destination);
    if (!listing) return io(listing.error(), "cannot read the destination");
    result<const sys::dir_entry*> first = listing->next();
    if (first && *first != nullptr)
      return refuse(refusal::destination_not_empty, errc::directory_not_empty,
                    "the destination has files (set into_existing to extract there)");
  }
  const std::string base = std::string(destination) + "/";
  std::set<std::string> files;  // extracted regular files: what hard links may name
  std::vector<text_view> parts, target_parts;
  buffer<std::byte> chunk;  // streaming: one piece of a file at a time
  auto unreadable = [&](const vitte::error& e) -> vitte::error {
    if (reason != nullptr) *reason = refusal::unreadable;
    if (why != nullptr) *why = reader.failure();  // the reader's kind (e's), entry, offset, what
    return vitte::error{e.kind(), ops::tar_extract};
  };
  for (;;) {
    result<const entry*> next = reader.next();
    if (!next) return unreadable(next.error());
    current = *next;
    if (current == nullptr) return report;
    const entry& e = *current;
    if (report.files + report.directories + report.symlinks + report.hard_links >= options.limits.max_entries)
      return refuse(refusal::too_many_entries, errc::limit_exceeded, "more entries than the limit");
    if (refusal r = d::split_member(e.path, parts); r != refusal::none) return refuse(r, rule, to_string(r).data());
    if (parts.size() > options.limits.max_depth)
      return refuse(refusal::too_deep, errc::limit_exceeded, "deeper than the limit");
    if (parts.empty()) {
      if (e.type == entry_type::directory) continue;  // "./": the destination itself
      return refuse(refusal::already_exists, errc::already_exists, "names the destination itself");
    }
    if (e.type == entry_type::char_device || e.type == entry_type::block_device || e.type == entry_type::fifo)
      return refuse(refusal::special_file, rule, "device node or fifo");

    // The directories on the way, each opened from its parent without
    // following a link, created when missing.
    sys::directory held;
    const sys::directory* dir = &*root;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
      result<sys::directory> sub = dir->open_directory(parts[i], true);
      if (!sub && sub.error() == errc::not_found) {
        if (status made = dir->create_directory(parts[i], 0755); !made && made.error() != errc::already_exists)
          return io(made.error(), "cannot create the directory", base + d::join(parts, i + 1));
        ++report.directories;
        sub = dir->open_directory(parts[i], true);
      }
      if (!sub) {
        // A link refused by no_follow reads as too_many_links or, with
        // O_DIRECTORY on Linux, not_a_directory: the entry itself says which.
        result<sys::file_status> what = dir->stat(parts[i], false);
        if (sub.error() == errc::too_many_links || (what && what->type == sys::file_type::symlink))
          return refuse(refusal::through_symlink, rule, "path through a symbolic link");
        if (sub.error() == errc::not_a_directory) return refuse(refusal::not_a_directory, rule, "path through a file");
        return io(sub.error(), "cannot open the directory", base + d::join(parts, i + 1));
      }
      held = static_cast<sys::directory&&>(*sub);
      dir = &held;
    }
    const text_view name = parts.back();
    const std::string joined = d::join(parts, parts.size());
    result<sys::file_status> there = dir->stat(name, false);
    if (e.type == entry_type::directory) {
      if (there) {
        if (there->type == sys::file_type::directory) continue;
        if (there->type == sys::file_type::symlink)
          return refuse(refusal::through_symlink, rule, "a symbolic link where a directory goes");
        return refuse(refusal::already_exists, errc::already_exists, "a file where a directory goes");
      }
      if (status made = dir->create_directory(name, 0755); !made)
        return io(made.error(), "cannot create the directory", base + joined);
      ++report.directories;
      continue;
    }
    if (there) return refuse(refusal::already_exists, errc::already_exists, "name already taken");
    switch (e.type) {
      case entry_type::file: {
        if (e.size > options.limits.max_file_bytes || e.size > options.limits.max_total_bytes - report.bytes)
          return refuse(refusal::too_large, errc::limit_exceeded, "more bytes than the limit");
        result<sys::file> f = dir->open_file(
            name, sys::open_mode::write | sys::open_mode::exclusive | sys::open_mode::no_follow, e.mode & 0777);
        if (!f) {
          if (f.error() == errc::already_exists || f.error() == errc::too_many_links)
            return refuse(refusal::already_exists, errc::already_exists, "name already taken");
          return io(f.error(), "cannot create the file", base + joined);
        }
        bool reading = false;
        if (status w = d::write_entry(reader, *f, e, chunk, reading); !w) {
          // A stream that ends inside a file: the piece written is removed,
          // so that no file differs from its entry.
          (void)f->close();
          (void)dir->remove(name);
          return reading ? unreadable(w.error()) : io(w.error(), "cannot write the file", base + joined);
        }
        if (options.keep_mtime) (void)f->set_times(e.mtime * 1'000'000'000, e.mtime * 1'000'000'000);
        if (status c = f->close(); !c) return io(c.error(), "cannot write the file", base + joined);
        report.bytes += e.size;
        ++report.files;
        files.insert(joined);
        break;
      }
      case entry_type::symlink: {
        if (!options.symlinks) return refuse(refusal::link_escapes, rule, "symbolic links are not extracted");
        if (!d::link_stays_inside(e.link, parts.size() - 1))
          return refuse(refusal::link_escapes, rule, "symbolic link leaving the destination");
        if (status s = sys::create_symlink(e.link, base + joined); !s)
          return io(s.error(), "cannot create the symbolic link", base + joined);
        ++report.symlinks;
        break;
      }
      case entry_type::hard_link: {
        if (!options.hard_links) return refuse(refusal::hard_link_target, rule, "hard links are not extracted");
        if (d::split_member(e.link, target_parts) != refusal::none || target_parts.empty() ||
            files.count(d::join(target_parts, target_parts.size())) == 0)
          return refuse(refusal::hard_link_target, rule, "hard link to a file not extracted by this archive");
        if (status s = sys::create_hard_link(base + d::join(target_parts, target_parts.size()), base + joined); !s)
          return io(s.error(), "cannot create the hard link", base + joined);
        ++report.hard_links;
        break;
      }
      default:
        return refuse(refusal::special_file, rule, "device node or fifo");
    }
  }
}

}  // namespace vitte::archive

#endif  // VITTE_ARCHIVE_IMPL_EXTRACT_HPP
