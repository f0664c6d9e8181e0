// libFuzzer target: the readers of Windows Installer packages fed hostile
// bytes. The first byte picks the reader: 0 msi_read (the whole package:
// compound file, string pool, tables, embedded cabinets), 1 cfb_read (the
// compound file alone), 2 cab_read (a cabinet alone). None may crash, hang
// or read out of bounds. What reads must be sane: entry paths not empty,
// relative, without ".." components; streams no larger than the input
// together; cabinet files inside their folders, their sizes together no
// more than the data blocks declare. What fails fills the diagnostic as
// release_refusal.hpp checks: the kind documented (malformed; a cabinet's
// not_supported and limit_exceeded), a message, an offset within the input. Seeds: fuzz/corpus/msi (small
// packages and cabinets vitte writes, one made by wixl).
//
//   clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -Iinclude fuzz/fuzz_msi.cpp -o fuzz_msi
//   ./fuzz_msi -max_total_time=600 corpus-copy/
#include <vitte/release/detail/cab.hpp>
#include <vitte/release/detail/cfb.hpp>
#include <vitte/release/detail/msi.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "release_refusal.hpp"  // check_refusal

namespace bd = vitte::release::detail;

namespace {

bool path_ok(const std::string& p) {
  if (p.empty() || p[0] == '/' || p[0] == '\\') return false;
  std::size_t start = 0;
  for (;;) {
    const std::size_t slash = p.find('/', start);
    const std::string part = p.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part.empty() || part == "." || part == ".." || part.find('\\') != std::string::npos) return false;
    if (slash == std::string::npos) return true;
    start = slash + 1;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > (std::size_t{1} << 20)) return 0;
  const vitte::span<const std::byte> in(reinterpret_cast<const std::byte*>(data + 1), size - 1);
  vitte::diagnostic why;
  const auto cab_kinds = {vitte::errc::malformed, vitte::errc::not_supported, vitte::errc::limit_exceeded};
  switch (data[0] % 3) {
    case 0: {
      bd::msi_contents c;
      if (!bd::msi_read(in, c, &why)) {
        release_fuzz::check_refusal(why, in.size(), cab_kinds);
        break;
      }
      std::uint64_t sum = 0;
      for (const bd::package_entry& e : c.entries) {
        if (!path_ok(e.path)) std::abort();
        if (e.type == "file" && e.sha256.size() != 64) std::abort();
        if (e.type != "file" && e.type != "directory") std::abort();
        sum += e.size;
      }
      if (sum > c.unpacked) std::abort();
      break;
    }
    case 1: {
      bd::cfb_contents c;
      if (!bd::cfb_read(in, c, &why)) {
        release_fuzz::check_refusal(why, in.size());
        break;
      }
      std::uint64_t sum = 0;
      for (const bd::cfb_stream& s : c.streams) {
        if (s.name.empty() || s.name.size() > 31) std::abort();
        sum += s.data.size();
      }
      if (sum > in.size()) std::abort();
      break;
    }
    default: {
      bd::cab_contents c;
      if (!bd::cab_read(in, c, &why, std::uint64_t{64} << 20)) {
        release_fuzz::check_refusal(why, in.size(), cab_kinds);
        break;
      }
      std::uint64_t sum = 0;
      for (const bd::cab_file& f : c.files) {
        if (f.folder >= c.folders.size() || std::uint64_t{f.offset} + f.size > c.folders[f.folder].size()) std::abort();
        if (f.name.empty()) std::abort();
        sum += f.size;
      }
      std::uint64_t folders = 0;
      for (const auto& d : c.folders) folders += d.size();
      if (sum > c.declared || folders != c.declared) std::abort();
      break;
    }
  }
  return 0;
}
