// libFuzzer target: WASI preview 1 calls with hostile arguments (bad
// pointers, lengths, descriptors, paths, flags), as a program would make
// them, against a fresh granted directory per input. Every call must come
// back with an errno; nothing may escape the directory, crash or hang.
//
// Input: 512 bytes copied to the start of the program's memory (paths,
// iovecs, subscriptions), then calls: a function byte, then per parameter a
// kind byte and its value (a small number, an offset into the first page, an
// address near the end of memory, or 8 raw bytes).
//   fuzz/run.sh 600 wasi
#include <vitte/sys/fs.hpp>
#include <vitte/wasm.hpp>
#include <vitte/wasm/wasi.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace wasm = vitte::wasm;
namespace sys = vitte::sys;

namespace {

// (module (memory (export "memory") 1))
const std::uint8_t memory_module[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01,
                                      0x07, 0x0a, 0x01, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00};

struct reader {
  const std::uint8_t* p;
  std::size_t n;
  bool more() const { return n > 0; }
  std::uint8_t byte() {
    if (n == 0) return 0;
    --n;
    return *p++;
  }
  std::uint64_t raw() {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(byte()) << (8 * i);
    return v;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const wasm::module m = wasm::decode(vitte::as_bytes(vitte::span<const std::uint8_t>(memory_module))).value();
  // The functions and their parameter counts, from the list of vitte/wasm/wasi/functions.hpp.
  namespace list = wasm::detail::wasi;
  constexpr std::size_t count = list::function_count;

  sys::temp_directory root = sys::temp_directory::create().value();
  const std::string box = std::string(sys::path_join(root.path().view(), "box").c_str());
  (void)sys::create_directory(box.c_str());
  (void)sys::write_file((box + "/a").c_str(), "contents");
  (void)sys::create_directory((box + "/d").c_str());
  (void)sys::write_file(sys::path_join(root.path().view(), "outside").c_str(), "secret");
  sys::file in = sys::file::open(sys::path_join(root.path().view(), "in"),
                                 sys::open_mode::read | sys::open_mode::write | sys::open_mode::create)
                     .value();
  wasm::wasi_options o;
  o.args = {"prog", "x"};
  o.env = {"A=1"};
  o.dirs.push_back({vitte::text(box), "/sandbox"});
  for (auto& h : o.stdio) h = in.native();  // reads end at once; writes stay here
  auto w = wasm::wasi::create(o).value();
  wasm::store s;
  wasm::imports env;
  w->define(s, env);
  auto inst = s.instantiate(m, env).value();
  if (!w->bind(inst)) return 0;
  vitte::span<std::uint8_t> mem = inst.memory("memory").bytes();
  const std::size_t head = size < 512 ? size : 512;
  std::memcpy(mem.data(), data, head);
  reader r{data + head, size - head};
  for (int calls = 0; r.more() && calls < 64; ++calls) {
    const std::size_t f = r.byte() % count;
    std::vector<std::uint64_t> a(std::strlen(list::functions[f].params));
    for (auto& v : a) {
      switch (r.byte() % 4) {
        case 0:
          v = r.byte() % 8;
          break;
        case 1:
          v = r.byte() * 2u;
          break;
        case 2:
          v = mem.size() - r.byte();
          break;
        default:
          v = r.raw();
      }
    }
    const std::string_view name = list::functions[f].name;
    // Keep the run short and the disk small: clocks of poll_oneoff sleep
    // at most a microsecond, files grow to at most 1 MiB.
    if (name == "poll_oneoff" && a[0] < mem.size()) {
      for (std::uint64_t k = 0; k < 8 && a[0] + 48 * k + 32 <= mem.size(); ++k)
        std::memset(mem.data() + a[0] + 48 * k + 24, 0, 8);
    }
    if (name == "fd_allocate" || name == "fd_filestat_set_size") a[1] %= 1u << 20, a.back() %= 1u << 20;
    if (name == "fd_pwrite") a[3] %= 1u << 20;
    (void)w->invoke(name, a);
  }
  // Nothing outside the granted directory changed.
  if (sys::read_file_string(sys::path_join(root.path().view(), "outside").c_str()).value_or("") != "secret")
    __builtin_trap();
  return 0;
}
