// libFuzzer target: the sandbox's limit list and network name
// (parse_sandbox_limits, parse_sandbox_network in vitte/sys/sandbox.hpp),
// the syntax of `vitte run --sandbox --limit` and `--net`, with their
// promises asserted against a model written apart from the parser:
//   - a list is accepted exactly when the model accepts it, with the same
//     values: every limit named from 1 to 2^64-1, the others 0;
//   - a refused list leaves the output as it was, and its diagnostic is
//     invalid_argument at the byte the model names (the item, or the value
//     after '='), within the input, with a message and a line without a
//     control byte;
//   - a network name is accepted only as none, loopback or any; a refusal
//     is at offset 0.
#include <vitte/sys/sandbox.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

namespace sys = vitte::sys;

void check(bool ok) {
  if (!ok) std::abort();
}

// The model: what the limit list means, or where it is wrong.
struct verdict {
  bool ok = false;
  std::uint64_t offset = 0;
  std::uint64_t values[7] = {};
};

// A count, or bytes with a unit: 1 to 2^64-1, or false.
bool amount(std::string_view v, bool bytes, std::uint64_t& out) {
  std::size_t digits = 0;
  while (digits < v.size() && v[digits] >= '0' && v[digits] <= '9') ++digits;
  if (digits == 0) return false;
  unsigned __int128 n = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    n = n * 10 + static_cast<unsigned>(v[i] - '0');
    if (n > UINT64_MAX) return false;
  }
  const std::string_view unit = v.substr(digits);
  unsigned __int128 mul = 0;
  if (unit.empty()) mul = 1;
  if (bytes && unit == "B") mul = 1;
  if (bytes && (unit == "k" || unit == "K" || unit == "KiB")) mul = 1024;
  if (bytes && (unit == "M" || unit == "MiB")) mul = 1024 * 1024;
  if (bytes && (unit == "G" || unit == "GiB")) mul = 1024 * 1024 * 1024;
  if (bytes && (unit == "T" || unit == "TiB")) mul = static_cast<unsigned __int128>(1) << 40;
  if (mul == 0 || n == 0 || n * mul > UINT64_MAX) return false;
  out = static_cast<std::uint64_t>(n * mul);
  return true;
}

verdict model(std::string_view spec) {
  static constexpr std::string_view names[7] = {"cpu", "mem", "as", "files", "procs", "fsize", "wall"};
  static constexpr bool bytes[7] = {false, true, true, false, false, true, false};
  verdict v;
  if (spec.empty()) return v;
  bool seen[7] = {};
  std::size_t start = 0;
  for (;;) {
    std::size_t end = spec.find(',', start);
    if (end == std::string_view::npos) end = spec.size();
    const std::string_view item = spec.substr(start, end - start);
    v.offset = start;
    const std::size_t eq = item.find('=');
    if (item.empty() || eq == std::string_view::npos) return v;
    std::size_t f = 0;
    while (f < 7 && item.substr(0, eq) != names[f]) ++f;
    if (f == 7 || seen[f]) return v;
    seen[f] = true;
    if (!amount(item.substr(eq + 1), bytes[f], v.values[f])) {
      v.offset = start + eq + 1;
      return v;
    }
    if (end == spec.size()) break;
    start = end + 1;
  }
  v.ok = true;
  v.offset = 0;
  return v;
}

void check_line(const vitte::diagnostic& d, std::size_t size) {
  check(d.kind() == vitte::errc::invalid_argument);
  check(d.has_offset() && d.offset() <= size);
  check(!d.message().empty());
  const vitte::diagnostic_line line = d.format();
  for (char c : line.view()) check(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view spec(reinterpret_cast<const char*>(data), size);
  const verdict want = model(spec);

  const sys::sandbox_limits sentinel{7, 7, 7, 7, 7, 7, 7};
  sys::sandbox_limits got = sentinel;
  vitte::diagnostic why;
  const bool ok = sys::parse_sandbox_limits(vitte::text_view(spec.data(), spec.size()), got, &why).has_value();
  check(ok == want.ok);
  // In the model's order: cpu, mem, as, files, procs, fsize, wall.
  const std::uint64_t values[7] = {got.cpu_seconds, got.memory,    got.address_space, got.open_files,
                                   got.processes,   got.file_size, got.wall_seconds};
  if (ok) {
    check(!why);
    for (int i = 0; i < 7; ++i) check(values[i] == want.values[i]);
  } else {
    for (std::uint64_t value : values) check(value == 7);
    check_line(why, size);
    check(why.offset() == want.offset);
  }
  // Without a diagnostic the answer is the same.
  sys::sandbox_limits again = sentinel;
  check(sys::parse_sandbox_limits(vitte::text_view(spec.data(), spec.size()), again).has_value() == ok);

  sys::sandbox_network n = sys::sandbox_network::any;
  vitte::diagnostic net_why;
  const bool named = spec == "none" || spec == "loopback" || spec == "any";
  check(sys::parse_sandbox_network(vitte::text_view(spec.data(), spec.size()), n, &net_why).has_value() == named);
  if (named) {
    check(n == (spec == "none"  ? sys::sandbox_network::none
                : spec == "any" ? sys::sandbox_network::any
                                : sys::sandbox_network::loopback));
  } else {
    check(n == sys::sandbox_network::any);
    check_line(net_why, size);
    check(net_why.offset() == 0);
  }
  return 0;
}
