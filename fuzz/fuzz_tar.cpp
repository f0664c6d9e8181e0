// libFuzzer target: the tar reader (vitte/archive) on hostile bytes, with
// small limits. Every entry it returns must be consistent: its data lies
// inside the archive and has the entry's size, links have a target, and
// the reader stops after an error. The listing is then written again by
// tar_writer and read back: the same paths, types and data. Build and run
// with fuzz/run.sh; seeds: fuzz/corpus/tar (Python tarfile output in three
// formats, hostile archives: fuzz/make_tar_corpus.py).
#include <vitte/archive/tar.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace va = vitte::archive;
  const vitte::span<const std::byte> in(reinterpret_cast<const std::byte*>(data), size);
  va::read_limits limits;
  limits.max_entries = 64;
  limits.max_path = 512;
  limits.max_pax_bytes = 4096;
  va::tar_reader r(in, limits);
  struct kept {
    std::string path, link, body;
    va::entry_type type;
  };
  std::vector<kept> seen;
  for (;;) {
    auto e = r.next();
    if (!e) {
      if (r.failure().what[0] == '\0') std::abort();  // an error always says what
      if (r.next()) std::abort();                     // and stays
      return 0;
    }
    if (*e == nullptr) break;
    const va::entry& x = **e;
    const auto body = r.data();
    if (body.size() != x.size && x.type == va::entry_type::file) std::abort();
    if (!body.empty() && (body.data() < in.data() || body.data() + body.size() > in.data() + in.size())) std::abort();
    if (x.path.empty()) std::abort();
    if ((x.type == va::entry_type::symlink || x.type == va::entry_type::hard_link) && x.link.empty()) std::abort();
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
