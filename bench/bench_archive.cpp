// Archive benchmarks: vitte's tar reader and writer against libarchive (when
// its headers are there: Debian libarchive-dev, installed by scripts/bench)
// and against a bare walk over the 512-byte headers (the floor), in the same
// run. Both writers build a new archive in memory each time, in room
// reserved up front. Prints JSON lines (docs/BENCHMARKS.md).
#include <vitte/archive/tar.hpp>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#if VITTE_BENCH_LIBARCHIVE
#include <archive.h>
#include <archive_entry.h>
#endif

#include "harness.hpp"

namespace va = vitte::archive;

namespace {

constexpr int files = 10'000;

std::string name_of(int i) { return "pkg/dir" + std::to_string(i % 100) + "/file" + std::to_string(i) + ".txt"; }

vitte::buffer<std::byte> make_archive(const std::string& body) {
  va::tar_writer w;
  w.reserve(files * (512 + (body.size() + 511) / 512 * 512) + 1024);
  for (int i = 0; i < files; ++i)
    (void)w.add_file(name_of(i),
                     vitte::span<const std::byte>(reinterpret_cast<const std::byte*>(body.data()), body.size()));
  return w.finish();
}

}  // namespace

int main() {
  const std::string body(300, 'b');
  const vitte::buffer<std::byte> tar = make_archive(body);
  const vitte::span<const std::byte> bytes(tar.data(), tar.size());

  bench::suite list("archive.list 10,000 entries");
  list.add("vitte", [&] {
    va::tar_reader r(bytes);
    std::size_t n = 0;
    while (const va::entry* e = r.next().value_or(nullptr)) n += e->size;
    return n;
  });
#if VITTE_BENCH_LIBARCHIVE
  list.add("libarchive", [&] {
    struct archive* a = archive_read_new();
    archive_read_support_format_tar(a);
    archive_read_open_memory(a, tar.data(), tar.size());
    struct archive_entry* e = nullptr;
    std::size_t n = 0;
    while (archive_read_next_header(a, &e) == ARCHIVE_OK) n += static_cast<std::size_t>(archive_entry_size(e));
    archive_read_free(a);
    return n;
  });
#else
  std::fprintf(stderr, "bench_archive: no libarchive headers: its lines skipped\n");
#endif
  list.add("header walk (no checks)", [&] {
    std::size_t n = 0;
    for (std::size_t at = 0; at + 512 <= bytes.size();) {
      const char* h = reinterpret_cast<const char*>(bytes.data() + at);
      if (h[0] == '\0') break;
      std::size_t size = std::strtoull(std::string(h + 124, 11).c_str(), nullptr, 8);
      n += size;
      at += 512 + (size + 511) / 512 * 512;
    }
    return n;
  });
  list.run();

  bench::suite write("archive.write 10,000 files of 300 bytes");
  write.add("vitte", [&] { return make_archive(body).size(); });
#if VITTE_BENCH_LIBARCHIVE
  write.add("libarchive", [&] {
    std::vector<char> space(tar.size() + (1 << 20));  // a new archive each time, as vitte makes
    struct archive* a = archive_write_new();
    archive_write_set_format_pax_restricted(a);
    archive_write_set_bytes_in_last_block(a, 1);
    std::size_t used = 0;
    archive_write_open_memory(a, space.data(), space.size(), &used);
    struct archive_entry* e = archive_entry_new();
    for (int i = 0; i < files; ++i) {
      archive_entry_clear(e);
      archive_entry_set_pathname(e, name_of(i).c_str());
      archive_entry_set_size(e, static_cast<la_int64_t>(body.size()));
      archive_entry_set_filetype(e, AE_IFREG);
      archive_entry_set_perm(e, 0644);
      archive_write_header(a, e);
      archive_write_data(a, body.data(), body.size());
    }
    archive_entry_free(e);
    archive_write_close(a);
    archive_write_free(a);
    return used;
  });
#endif
  write.run();
  return 0;
}
