// libFuzzer target: what a package's ELF files need (release/detail/
// elf_needs.hpp), hostile bytes. elf_read_needs() reads the dynamic
// section, .gnu.version_r and the undefined dynamic symbols; the packager
// runs it on every regular file of a .deb's or .rpm's tree, so a file that
// is not ELF, or a truncated or forged one, must be "not ELF", never a
// crash, a hang or a read out of bounds. What it promises is checked: on
// success every name (needed library, soname, version, symbol) lies inside
// the input (a NUL-terminated string of it), and rpm_elf_dependencies()
// makes only names with "(" and ")" from them. Seeds: the .so files and
// programs of any system (cp /usr/lib/x86_64-linux-gnu/libz.so.1 ...), or
// fuzz/corpus/elf_pe; build and run like fuzz/run.sh does.
#include <vitte/release/detail/elf_needs.hpp>
#include <vitte/release/detail/shlib_deps.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

namespace bd = vitte::release::detail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const vitte::span<const std::byte> in(reinterpret_cast<const std::byte*>(data), size);
  bd::elf_needs n;
  if (!bd::elf_read_needs(in, n)) return 0;
  const auto inside = [&](const std::string& s) {
    if (s.size() >= size) std::abort();  // each name is a string of the input, before its NUL
  };
  for (const std::string& lib : n.needed) inside(lib);
  inside(n.soname);
  for (const bd::elf_version_need& v : n.versions) inside(v.file), inside(v.version);
  for (const bd::elf_import& i : n.imports) inside(i.name), inside(i.version);
  std::vector<std::string> requirements, provides;
  bd::rpm_elf_dependencies(n, true, requirements, provides);
  for (const std::string& r : requirements)
    if (r != "rtld(GNU_HASH)" && (r.find('(') == std::string::npos || r.back() != ')')) std::abort();
  for (const std::string& p : provides)
    if (p.find("()") == std::string::npos) std::abort();
  return 0;
}
