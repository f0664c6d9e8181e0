// File-system benchmarks: vitte against the raw POSIX calls, std::ifstream
// and std::filesystem, in the same run. Prints JSON lines
// (docs/BENCHMARKS.md). Files go to $TMPDIR (or /tmp); everything made is
// removed at the end.
//
//   fs.read_file.256MiB   whole-file read (256 MiB, not 1 GiB, to stay quick)
//   fs.walk.100k          a tree of 100 directories of 1000 files
//   fs.stat.10k           stat of 10,000 files
//   fs.atomic_replace.4k  replacing a 4 KiB file, durable and not
#include <vitte/sys/fs.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.hpp"

namespace sys = vitte::sys;

namespace {

// The raw loop a careful C programmer writes: open, fstat, one buffer of
// the right size, read until done.
template <class Buffer>
std::size_t raw_read(const char* path, Buffer& buf) {
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  struct ::stat st;
  ::fstat(fd, &st);
  buf.resize(static_cast<std::size_t>(st.st_size));
  std::size_t done = 0;
  while (done < buf.size()) {
    ssize_t n = ::read(fd, reinterpret_cast<char*>(buf.data()) + done, buf.size() - done);
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return done;
}

std::size_t raw_read_malloc(const char* path) {
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  struct ::stat st;
  ::fstat(fd, &st);
  std::size_t size = static_cast<std::size_t>(st.st_size);
  std::unique_ptr<char[]> buf(new char[size]);  // not zero-filled
  std::size_t done = 0;
  while (done < size) {
    ssize_t n = ::read(fd, buf.get() + done, size - done);
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  bench::do_not_optimize(buf[done / 2]);
  return done;
}

void bench_read_file(const std::string& dir) {
  std::string path = sys::path_join(dir, "big.bin");
  constexpr std::size_t size = std::size_t{256} << 20;
  {
    std::vector<std::byte> data(size);
    for (std::size_t i = 0; i < size; i += 4096) data[i] = std::byte(i >> 12);
    sys::write_file(path, data).value();
  }
  const char* p = path.c_str();
  bench::suite("fs.read_file.256MiB", 7)
      .batch_size(1)
      .add("vitte::sys::read_file", [p] { return sys::read_file(p).value().size(); })
      .add("raw read loop into std::vector",
           [p] {
             std::vector<std::byte> v;
             return raw_read(p, v);
           })
      .add("raw read loop into new char[]", [p] { return raw_read_malloc(p); })
      // vitte against itself: the noise of this machine, to read the lines above by.
      .add("vitte::sys::read_file again", [p] { return sys::read_file(p).value().size(); })
      .add("std::ifstream seekg/tellg/read",
           [p] {
             std::ifstream in(p, std::ios::binary);
             in.seekg(0, std::ios::end);
             std::vector<std::byte> v(static_cast<std::size_t>(in.tellg()));
             in.seekg(0);
             in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(v.size()));
             return v.size();
           })
      .add("std::ifstream istreambuf_iterator",
           [p] {
             std::ifstream in(p, std::ios::binary);
             std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
             return s.size();
           })
      .run();
  (void)sys::remove(path);
}

void bench_walk(const std::string& dir) {
  std::string root = sys::path_join(dir, "tree");
  sys::create_directory(root).value();
  char name[32];
  for (int d = 0; d < 100; ++d) {
    std::snprintf(name, sizeof name, "d%03d", d);
    std::string sub = sys::path_join(root, name);
    sys::create_directory(sub).value();
    auto h = sys::directory::open(sub).value();
    for (int f = 0; f < 1000; ++f) {
      std::snprintf(name, sizeof name, "file-%04d.txt", f);
      (void)h.open_file(name, sys::open_mode::write | sys::open_mode::create).value();
    }
  }
  bench::suite("fs.walk.100k", 11)
      .batch_size(1)
      .add("vitte::sys::walk",
           [&] {
             std::size_t n = 0;
             sys::walk(root, [&](const sys::walk_entry& e) { n += e.name.size(); }).value();
             return n;
           })
      .add("std::filesystem::recursive_directory_iterator",
           [&] {
             std::size_t n = 0;
             for (const auto& e : std::filesystem::recursive_directory_iterator(root))
               n += e.path().filename().native().size();
             return n;
           })
      .run();

  std::vector<std::string> files;
  for (int f = 0; f < 10'000; ++f) {
    std::snprintf(name, sizeof name, "d%03d/file-%04d.txt", f / 1000, f % 1000);
    files.push_back(sys::path_join(root, name));
  }
  bench::suite("fs.stat.10k", 11)
      .batch_size(1)
      .add("vitte::sys::stat",
           [&] {
             std::uint64_t n = 0;
             for (const std::string& f : files) n += sys::stat(f).value().inode;
             return n;
           })
      .add("stat(2)",
           [&] {
             std::uint64_t n = 0;
             struct ::stat st;
             for (const std::string& f : files) n += ::stat(f.c_str(), &st) == 0 ? st.st_ino : 0;
             return n;
           })
      .add("std::filesystem::status",
           [&] {
             std::uint64_t n = 0;
             for (const std::string& f : files)
               n += std::filesystem::status(f).type() == std::filesystem::file_type::regular;
             return n;
           })
      .run();
  (void)sys::remove_all(root).value();
}

void bench_atomic_replace(const std::string& dir) {
  std::string path = sys::path_join(dir, "state.bin");
  std::vector<std::byte> data(4096, std::byte{42});
  sys::write_file(path, data).value();
  auto plain = [&] {
    int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    ssize_t n = ::write(fd, data.data(), data.size());
    ::close(fd);
    return n;
  };
  auto plain_fsync = [&] {
    int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    ssize_t n = ::write(fd, data.data(), data.size());
    ::fsync(fd);
    ::close(fd);
    return n;
  };
  bench::suite("fs.atomic_replace.4k.durable", 11)
      .add("vitte::sys::atomic_replace", [&] { return sys::atomic_replace(path, data).has_value(); })
      .add("rewrite in place + fsync", plain_fsync)
      .add("rewrite in place", plain)
      .run();
  bench::suite("fs.atomic_replace.4k.no_sync", 11)
      .add("vitte::sys::atomic_replace {.sync = false}",
           [&] { return sys::atomic_replace(path, data, {.sync = false}).has_value(); })
      .add("rewrite in place", plain)
      .run();
  (void)sys::remove(path);
}

}  // namespace

int main() {
  auto dir = sys::temp_directory::create({}, "vitte-bench-fs-").value();
  bench_read_file(dir.path());
  bench_walk(dir.path());
  bench_atomic_replace(dir.path());
  return 0;
}
