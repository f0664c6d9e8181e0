// libFuzzer target: the tar reader (vitte/archive) on hostile bytes, with
// small limits. Every entry it returns must be consistent: its data lies
// inside the archive and has the entry's size (the sparse map's bytes for a
// sparse file), links have a target, and the reader stops after an error.
// The listing is then written again by tar_writer and read back: the same
// paths, types and data. The streaming reader must see the same entries and
// data, and the same error.
//
// Then extract() runs on every input, into a fresh root beside a sentinel
// directory (under /dev/shm when there is one: a tmpfs), and the promise is
// checked: the sentinel and its parent are untouched, and everything under
// the root is what an entry says: a directory an entry names or lies under,
// a file with the first same-named entry's size and bytes (a hard link: its
// target's; a sparse file: its runs, zeros between), a symbolic link with
// the entry's target, nothing else (no device, no FIFO).
// Build and run with fuzz/run.sh; seeds: fuzz/corpus/tar (Python tarfile
// output in three formats, GNU tar's sparse formats, hostile archives:
// fuzz/make_tar_corpus.py).
#include <vitte/archive/extract.hpp>
#include <vitte/archive/tar.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include <unistd.h>  // getpid

namespace {

namespace fs = std::filesystem;
namespace va = vitte::archive;

// What an entry says, by its normalised path (no "", "." components).
struct expected {
  va::entry_type type;
  std::string link, content;  // content: a file's bytes, holes as zeros
  std::size_t index;
};

bool normalise(const std::string& path, std::string& out) {
  out.clear();
  std::size_t at = 0;
  while (at <= path.size()) {
    std::size_t slash = path.find('/', at);
    if (slash == std::string::npos) slash = path.size();
    const std::string part = path.substr(at, slash - at);
    at = slash + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") return false;
    if (!out.empty()) out += '/';
    out += part;
  }
  return !out.empty() && path[0] != '/';
}

// A bytes source over memory, for tar_stream_reader.
struct chunked {
  const std::byte* p;
  std::size_t left, step;
  vitte::result<std::size_t> read(vitte::span<std::byte> into) {
    std::size_t n = into.size() < left ? into.size() : left;
    std::memcpy(into.data(), p, n);
    p += n;
    left -= n;
    return n;
  }
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct place {
  fs::path base, root, sentinel;
  place() {
    std::error_code ec;
    const fs::path shm = "/dev/shm";
    base = (fs::is_directory(shm, ec) ? shm : fs::temp_directory_path()) /
           ("vitte-fuzz-tar-" + std::to_string(::getpid()));
    fs::remove_all(base, ec);
    root = base / "root";
    sentinel = base / "sentinel";
    fs::create_directories(sentinel);
    std::ofstream(sentinel / "file") << "sentinel";
  }
  ~place() {
    std::error_code ec;
    fs::remove_all(base, ec);
  }
};

void check_extraction(const vitte::span<const std::byte> in) {
  static place where;
  // What the entries say, first one per path.
  std::map<std::string, expected> says;
  std::vector<std::pair<std::string, std::size_t>> parents;  // directory, index of the entry under it
  va::tar_reader r(in);
  std::string name, target;
  for (std::size_t index = 0;; ++index) {
    auto e = r.next();
    if (!e || *e == nullptr) break;
    const va::entry& x = **e;
    if (!normalise(std::string(x.path), name)) continue;
    for (std::size_t slash = name.find('/'); slash != std::string::npos; slash = name.find('/', slash + 1))
      parents.emplace_back(name.substr(0, slash), index);
    if (says.count(name) != 0) continue;
    expected want{x.type, std::string(x.link), {}, index};
    const auto body = r.data();
    if (x.type == va::entry_type::file && x.size <= (1u << 20)) {
      if (x.sparse) {
        want.content.assign(static_cast<std::size_t>(x.size), '\0');
        std::size_t at = 0;
        for (const va::sparse_run& run : r.sparse_map()) {
          std::memcpy(&want.content[static_cast<std::size_t>(run.offset)], body.data() + at,
                      static_cast<std::size_t>(run.size));
          at += static_cast<std::size_t>(run.size);
        }
      } else {
        want.content.assign(reinterpret_cast<const char*>(body.data()), body.size());
      }
    }
    if (x.type == va::entry_type::hard_link) {
      if (!normalise(std::string(x.link), target) || says.count(target) == 0) continue;  // refused
      want.content = says[target].content;
      want.type = va::entry_type::file;
    }
    says.emplace(name, want);
  }

  std::error_code ec;
  fs::remove_all(where.root, ec);
  va::extract_options options;
  options.limits.max_file_bytes = 1u << 20;
  options.limits.max_total_bytes = 4u << 20;
  options.keep_mtime = false;
  vitte::diagnostic why;
  va::refusal reason = va::refusal::none;
  auto x = va::extract(in, where.root.string(), options, &why, &reason);
  if (reason != va::refusal::none && why.message().empty()) std::abort();                   // a refusal says what
  if (!x && (why.kind() != x.error().kind() || reason == va::refusal::none)) std::abort();  // with its kind and rule

  // Beside the root: only the sentinel, unchanged.
  std::size_t beside = 0;
  for (const auto& d : fs::directory_iterator(where.base, ec)) {
    ++beside;
    if (d.path() != where.root && d.path() != where.sentinel) std::abort();
  }
  if (beside > 2 || slurp(where.sentinel / "file") != "sentinel") std::abort();
  std::size_t inside = 0;
  for (const auto& d : fs::directory_iterator(where.sentinel, ec)) (void)d, ++inside;
  if (inside != 1) std::abort();

  // Under the root: what the entries say.
  for (auto it = fs::recursive_directory_iterator(where.root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const fs::path p = it->path();
    const std::string rel = p.lexically_relative(where.root).generic_string();
    const fs::file_status st = fs::symlink_status(p, ec);
    const auto found = says.find(rel);
    if (fs::is_directory(st)) {
      bool under = false;
      for (const auto& [dir, index] : parents)
        if (dir == rel && (found == says.end() || index < found->second.index)) under = true;
      if (!under && (found == says.end() || found->second.type != va::entry_type::directory)) std::abort();
      continue;
    }
    if (found == says.end()) std::abort();  // nothing says so
    for (const auto& [dir, index] : parents)
      if (dir == rel && index < found->second.index) std::abort();  // made a directory first
    if (fs::is_symlink(st)) {
      if (found->second.type != va::entry_type::symlink || fs::read_symlink(p, ec).string() != found->second.link)
        std::abort();
    } else if (fs::is_regular_file(st)) {
      if (found->second.type != va::entry_type::file || slurp(p) != found->second.content) std::abort();
    } else {
      std::abort();  // a device, a FIFO, a socket
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const vitte::span<const std::byte> in(reinterpret_cast<const std::byte*>(data), size);
  check_extraction(in);
  va::read_limits limits;
  limits.max_entries = 64;
  limits.max_path = 512;
  limits.max_pax_bytes = 4096;
  va::tar_reader r(in, limits);
  chunked stream{in.data(), in.size(), 0};
  va::tar_stream_reader s(stream, limits);
  struct kept {
    std::string path, link, body;
    va::entry_type type;
  };
  std::vector<kept> seen;
  for (;;) {
    auto e = r.next();
    auto f = s.next();
    if (!e) {
      if (r.failure().message().empty()) std::abort();           // an error always says what,
      if (r.failure().kind() != e.error().kind()) std::abort();  // of its kind
      if (r.next()) std::abort();                                // and stays
      // The stream reader fails too, at this entry or when its data runs out.
      if (f) {
        if (*f == nullptr) std::abort();
        std::byte sink[512];
        for (;;) {
          auto n = s.read_data(sink);
          if (!n || *n == 0) break;
        }
        if (s.next()) std::abort();
      }
      return 0;
    }
    if (*e == nullptr) {
      if (!f || *f != nullptr) std::abort();
      break;
    }
    const va::entry& x = **e;
    const auto body = r.data();
    if (!f || *f == nullptr || (*f)->path != x.path || (*f)->type != x.type || (*f)->size != x.size) std::abort();
    std::string streamed(body.size(), '\0');
    if (s.read_data(vitte::span<std::byte>(reinterpret_cast<std::byte*>(streamed.data()), streamed.size()))
                .value_or(~std::size_t(0)) != body.size() &&
        !body.empty())
      std::abort();
    if (std::memcmp(streamed.data(), body.data(), body.size()) != 0) std::abort();
    std::uint64_t stored = 0;
    for (const va::sparse_run& run : r.sparse_map()) stored += run.size;
    if (x.type == va::entry_type::file && body.size() != (x.sparse ? stored : x.size)) std::abort();
    if (x.sparse && stored > x.size) std::abort();
    if (!body.empty() && (body.data() < in.data() || body.data() + body.size() > in.data() + in.size())) std::abort();
    if (x.path.empty()) std::abort();
    if ((x.type == va::entry_type::symlink || x.type == va::entry_type::hard_link) && x.link.empty()) std::abort();
    if (x.sparse) continue;  // the writer writes no sparse files
    seen.push_back({std::string(x.path), std::string(x.link),
                    std::string(reinterpret_cast<const char*>(body.data()), body.size()), x.type});
  }
  // Round trip through the writer, for the entries it accepts.
  va::tar_writer w;
  std::vector<const kept*> written;
  for (const kept& k : seen) {
    vitte::status s;
    const vitte::span<const std::byte> b(reinterpret_cast<const std::byte*>(k.body.data()), k.body.size());
    switch (k.type) {
      case va::entry_type::file:
        s = w.add_file(k.path, b);
        break;
      case va::entry_type::directory:
        s = w.add_directory(k.path);
        break;
      case va::entry_type::symlink:
        s = w.add_symlink(k.path, k.link);
        break;
      default:
        continue;
    }
    if (s) written.push_back(&k);
  }
  const auto again = w.finish();
  va::tar_reader back(vitte::span<const std::byte>(again.data(), again.size()));
  for (const kept* k : written) {
    auto e = back.next();
    if (!e || *e == nullptr || std::string((*e)->path) != k->path || (*e)->type != k->type) std::abort();
    if (std::string(reinterpret_cast<const char*>(back.data().data()), back.data().size()) != k->body) std::abort();
  }
  auto end = back.next();
  if (!end || *end != nullptr) std::abort();
  return 0;
}
