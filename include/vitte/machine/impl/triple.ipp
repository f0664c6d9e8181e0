// vitte/machine/impl/triple.ipp - parsing and normalising triples (LLVM's
// rules: llvm/lib/TargetParser/Triple.cpp is the reference for the tables),
// vitte/machine/triple.hpp's bodies. The tables are used by these bodies only.
#ifndef VITTE_MACHINE_IMPL_TRIPLE_IPP
#define VITTE_MACHINE_IMPL_TRIPLE_IPP

#include <vitte/base/config.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/machine/architecture.hpp>
#include <vitte/machine/triple.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace vitte::machine {
namespace detail {

/// What a component says as an architecture.
struct arch_facts {
  bool known = false;
  architecture arch = architecture::unknown;
  std::uint8_t width = 0;
  byte_order order = byte_order::little;
  bool arm_family = false;  // arm, thumb (their default object format follows the OS)
  bool x86_family = false;
};

struct arch_row {
  text_view name;
  architecture arch;
  std::uint8_t width;
  byte_order order;
};

// Rows grouped by first letter, and where each letter's group lies: a
// lookup compares only the rows that start like the name.
struct letter_range {
  std::uint8_t begin = 0, end = 0;
};
struct letter_index {
  letter_range of[26];
  bool grouped = true;  // each letter's rows are contiguous (checked below)
};
template <class Row, std::size_t N>
constexpr letter_index index_by_letter(const Row (&rows)[N]) {
  letter_index x;
  bool seen[26] = {};
  for (std::size_t i = 0; i < N; ++i) {
    const int l = rows[i].name[0] - 'a';
    if (l < 0 || l >= 26) return x.grouped = false, x;
    if (seen[l] && x.of[l].end != i) x.grouped = false;
    if (!seen[l]) x.of[l].begin = static_cast<std::uint8_t>(i);
    seen[l] = true;
    x.of[l].end = static_cast<std::uint8_t>(i + 1);
  }
  return x;
}
inline constexpr letter_range no_rows{};
constexpr letter_range rows_for(const letter_index& x, text_view name) {
  if (name.empty() || name[0] < 'a' || name[0] > 'z') return no_rows;
  return x.of[name[0] - 'a'];
}

inline constexpr byte_order le = byte_order::little;
inline constexpr byte_order be = byte_order::big;
inline constexpr architecture no_code = architecture::unknown;

// LLVM's exact architecture names (its parseArch StringSwitch), plus
// loongarch64, which LLVM knows from version 16.
inline constexpr arch_row arch_rows[] = {
    {"amd64", architecture::x86_64, 64, le},
    {"aarch64", architecture::aarch64, 64, le},
    {"aarch64_be", architecture::aarch64, 64, be},
    {"aarch64_32", architecture::aarch64, 32, le},
    {"arc", no_code, 32, le},
    {"arm64", architecture::aarch64, 64, le},
    {"arm64_32", architecture::aarch64, 32, le},
    {"arm64e", architecture::aarch64, 64, le},
    {"arm", architecture::arm, 32, le},
    {"armeb", architecture::arm, 32, be},
    {"avr", no_code, 16, le},
    {"amdgcn", no_code, 64, le},
    {"amdil", no_code, 32, le},
    {"amdil64", no_code, 64, le},
    {"csky", no_code, 32, le},
    {"hexagon", no_code, 32, le},
    {"hsail", no_code, 32, le},
    {"hsail64", no_code, 64, le},
    {"i386", architecture::x86, 32, le},
    {"i486", architecture::x86, 32, le},
    {"i586", architecture::x86, 32, le},
    {"i686", architecture::x86, 32, le},
    {"i786", architecture::x86, 32, le},
    {"i886", architecture::x86, 32, le},
    {"i986", architecture::x86, 32, le},
    {"le32", no_code, 32, le},
    {"le64", no_code, 64, le},
    {"lanai", no_code, 32, be},
    {"loongarch64", architecture::loongarch64, 64, le},
    {"m68k", no_code, 32, be},
    {"msp430", no_code, 16, le},
    {"mips", architecture::mips, 32, be},
    {"mipseb", architecture::mips, 32, be},
    {"mipsallegrex", architecture::mips, 32, be},
    {"mipsisa32r6", architecture::mips, 32, be},
    {"mipsr6", architecture::mips, 32, be},
    {"mipsel", architecture::mips, 32, le},
    {"mipsallegrexel", architecture::mips, 32, le},
    {"mipsisa32r6el", architecture::mips, 32, le},
    {"mipsr6el", architecture::mips, 32, le},
    {"mips64", architecture::mips64, 64, be},
    {"mips64eb", architecture::mips64, 64, be},
    {"mipsn32", architecture::mips64, 64, be},
    {"mipsisa64r6", architecture::mips64, 64, be},
    {"mips64r6", architecture::mips64, 64, be},
    {"mipsn32r6", architecture::mips64, 64, be},
    {"mips64el", architecture::mips64, 64, le},
    {"mipsn32el", architecture::mips64, 64, le},
    {"mipsisa64r6el", architecture::mips64, 64, le},
    {"mips64r6el", architecture::mips64, 64, le},
    {"mipsn32r6el", architecture::mips64, 64, le},
    {"nvptx", no_code, 32, le},
    {"nvptx64", no_code, 64, le},
    {"powerpc", architecture::ppc, 32, be},
    {"powerpcspe", architecture::ppc, 32, be},
    {"ppc", architecture::ppc, 32, be},
    {"ppc32", architecture::ppc, 32, be},
    {"powerpcle", architecture::ppc, 32, le},
    {"ppcle", architecture::ppc, 32, le},
    {"ppc32le", architecture::ppc, 32, le},
    {"powerpc64", architecture::ppc64, 64, be},
    {"ppu", architecture::ppc64, 64, be},
    {"ppc64", architecture::ppc64, 64, be},
    {"powerpc64le", architecture::ppc64, 64, le},
    {"ppc64le", architecture::ppc64, 64, le},
    {"r600", no_code, 32, le},
    {"riscv32", architecture::riscv32, 32, le},
    {"riscv64", architecture::riscv64, 64, le},
    {"renderscript32", no_code, 32, le},
    {"renderscript64", no_code, 64, le},
    {"s390x", architecture::s390x, 64, be},
    {"systemz", architecture::s390x, 64, be},
    {"sparc", no_code, 32, be},
    {"sparcel", no_code, 32, le},
    {"sparcv9", no_code, 64, be},
    {"sparc64", no_code, 64, be},
    {"spir", no_code, 32, le},
    {"spir64", no_code, 64, le},
    {"spirv32", no_code, 32, le},
    {"spirv64", no_code, 64, le},
    {"shave", no_code, 32, le},
    {"thumb", architecture::arm, 32, le},
    {"thumbeb", architecture::arm, 32, be},
    {"tce", no_code, 32, be},
    {"tcele", no_code, 32, le},
    {"ve", no_code, 64, le},
    {"wasm32", architecture::wasm32, 32, le},
    {"wasm64", architecture::wasm64, 64, le},
    {"x86_64", architecture::x86_64, 64, le},
    {"x86_64h", architecture::x86_64, 64, le},
    {"xscale", architecture::arm, 32, le},
    {"xscaleeb", architecture::arm, 32, be},
    {"xcore", no_code, 32, le},
};

VITTE_DECL arch_facts facts(const arch_row& r) {
  arch_facts f;
  f.known = true;
  f.arch = r.arch;
  f.width = r.width;
  f.order = r.order;
  f.arm_family = r.arch == architecture::arm || r.arch == architecture::aarch64;
  f.x86_family = r.arch == architecture::x86 || r.arch == architecture::x86_64;
  return f;
}

// LLVM's ARM::getCanonicalArchName: the part after arm/thumb/aarch64/arm64
// and an "eb" ("armebv7", "armv7eb"); false for what is not an ARM name.
VITTE_DECL bool arm_canonical(text_view a, text_view& rest) {
  text_view whole = a;
  std::size_t offset = text_view::npos;
  if (a.starts_with("arm64_32"))
    offset = 8;
  else if (a.starts_with("arm64e"))
    offset = 6;
  else if (a.starts_with("arm64"))
    offset = 5;
  else if (a.starts_with("aarch64_32"))
    offset = 10;
  else if (a.starts_with("arm"))
    offset = 3;
  else if (a.starts_with("thumb"))
    offset = 5;
  else if (a.starts_with("aarch64")) {
    offset = 7;
    if (a.contains("eb")) return false;  // AArch64 says "_be"
    if (a.substr(offset, 3) == "_be") offset += 3;
  }
  if (offset != text_view::npos && a.substr(offset, 2) == "eb")
    offset += 2;
  else if (a.ends_with("eb"))
    a = a.substr(0, a.size() - 2);
  if (offset != text_view::npos) a = a.substr(offset < a.size() ? offset : a.size());
  if (a.empty()) {
    rest = whole;
    return true;
  }
  if (offset != text_view::npos) {
    if (a.size() >= 2 && (a[0] != 'v' || a[1] < '0' || a[1] > '9')) return false;
    if (a.contains("eb")) return false;
  }
  rest = a;
  return true;
}

// LLVM's parseARMArch, for names no table holds ("armv7a", "thumbv6m").
VITTE_DECL arch_facts arm_arch(text_view name) {
  arch_facts f;
  const bool aarch64 = name.starts_with("aarch64") || name.starts_with("arm64");
  const bool thumb = !aarch64 && name.starts_with("thumb");
  if (!aarch64 && !thumb && !name.starts_with("arm")) return f;
  byte_order order = le;
  if (name.starts_with("armeb") || name.starts_with("thumbeb") || name.starts_with("aarch64_be"))
    order = be;
  else if (!aarch64 && name.ends_with("eb"))
    order = be;
  text_view rest;
  if (!arm_canonical(name, rest) || rest.empty()) return f;
  if (thumb && (rest.starts_with("v2") || rest.starts_with("v3"))) return f;  // Thumb exists from v4
  f.known = true;
  f.arch = aarch64 ? architecture::aarch64 : architecture::arm;
  f.width = aarch64 && !name.starts_with("arm64_32") && !name.starts_with("aarch64_32") ? 64 : 32;
  f.order = order;
  f.arm_family = true;
  return f;
}

inline constexpr letter_index arch_index = index_by_letter(arch_rows);
static_assert(arch_index.grouped, "arch_rows: group the rows by first letter");

VITTE_DECL arch_facts parse_arch(text_view name) {
  const letter_range in = rows_for(arch_index, name);
  for (std::size_t i = in.begin; i < in.end; ++i)
    if (arch_rows[i].name == name) return facts(arch_rows[i]);
  if (name.starts_with("kalimba")) return facts({name, no_code, 32, le});
  if (name.starts_with("arm") || name.starts_with("thumb") || name.starts_with("aarch64")) return arm_arch(name);
  if (name == "bpf" || name == "bpfel" || name == "bpf_le") return facts({name, no_code, 64, le});
  if (name == "bpfeb" || name == "bpf_be") return facts({name, no_code, 64, be});
  return {};
}

VITTE_DECL bool known_vendor(text_view v) {
  constexpr text_view vendors[] = {"apple",  "pc",  "scei",   "sie", "fsl",  "ibm",  "img", "mti",
                                   "nvidia", "csr", "myriad", "amd", "mesa", "suse", "oe"};
  for (text_view k : vendors)
    if (k == v) return true;
  return false;
}

struct os_row {
  text_view name;  // a prefix
  os value;
};
// LLVM's parseOS: prefixes (in its order within a letter).
inline constexpr os_row os_rows[] = {
    {"ananas", os::other},
    {"aix", os::aix},
    {"amdhsa", os::other},
    {"amdpal", os::other},
    {"cloudabi", os::other},
    {"cuda", os::other},
    {"contiki", os::other},
    {"darwin", os::darwin},
    {"dragonfly", os::dragonfly},
    {"elfiamcu", os::other},
    {"emscripten", os::emscripten},
    {"freebsd", os::freebsd},
    {"fuchsia", os::fuchsia},
    {"haiku", os::haiku},
    {"hermit", os::other},
    {"hurd", os::hurd},
    {"ios", os::ios},
    {"kfreebsd", os::other},
    {"linux", os::linux_os},
    {"lv2", os::other},
    {"macos", os::macos},
    {"minix", os::other},
    {"mesa3d", os::other},
    {"netbsd", os::netbsd},
    {"nacl", os::other},
    {"nvcl", os::other},
    {"openbsd", os::openbsd},
    {"ps4", os::other},
    {"rtems", os::rtems},
    {"solaris", os::solaris},
    {"tvos", os::tvos},
    {"win32", os::windows},
    {"windows", os::windows},
    {"watchos", os::watchos},
    {"wasi", os::wasi},
    {"zos", os::zos},
};

inline constexpr letter_index os_index = index_by_letter(os_rows);
static_assert(os_index.grouped, "os_rows: group the rows by first letter");

VITTE_DECL os parse_os(text_view s) {
  const letter_range in = rows_for(os_index, s);
  for (std::size_t i = in.begin; i < in.end; ++i)
    if (s.starts_with(os_rows[i].name)) return os_rows[i].value;
  return os::unknown;
}

struct environment_row {
  text_view name;  // a prefix
  environment value;
};
inline constexpr environment_row environment_rows[] = {
    {"android", environment::android},
    {"code16", environment::code16},
    {"cygnus", environment::cygnus},
    {"coreclr", environment::coreclr},
    {"eabihf", environment::eabihf},
    {"eabi", environment::eabi},
    {"gnuabin32", environment::gnuabin32},
    {"gnuabi64", environment::gnuabi64},
    {"gnueabihf", environment::gnueabihf},
    {"gnueabi", environment::gnueabi},
    {"gnux32", environment::gnux32},
    {"gnu_ilp32", environment::gnu_ilp32},
    {"gnu", environment::gnu},
    {"itanium", environment::itanium},
    {"musleabihf", environment::musleabihf},
    {"musleabi", environment::musleabi},
    {"muslx32", environment::muslx32},
    {"musl", environment::musl},
    {"msvc", environment::msvc},
    {"macabi", environment::macabi},
    {"simulator", environment::simulator},
};

inline constexpr letter_index environment_index = index_by_letter(environment_rows);
static_assert(environment_index.grouped, "environment_rows: group the rows by first letter");

VITTE_DECL environment parse_environment(text_view s) {
  const letter_range in = rows_for(environment_index, s);
  for (std::size_t i = in.begin; i < in.end; ++i)
    if (s.starts_with(environment_rows[i].name)) return environment_rows[i].value;
  return environment::unknown;
}

VITTE_DECL object_format parse_format(text_view s) {
  if (s.ends_with("xcoff")) return object_format::xcoff;  // before "coff"
  if (s.ends_with("coff")) return object_format::coff;
  if (s.ends_with("elf")) return object_format::elf;
  if (s.ends_with("goff")) return object_format::goff;
  if (s.ends_with("macho")) return object_format::macho;
  if (s.ends_with("wasm")) return object_format::wasm;
  return object_format::unknown;
}

// The components of a triple: inline for up to eight (every real triple),
// on the heap beyond.
class component_list {
 public:
  std::size_t size() const noexcept { return size_; }
  text_view& operator[](std::size_t i) noexcept { return data()[i]; }
  const text_view& operator[](std::size_t i) const noexcept { return heap_.empty() ? inline_[i] : heap_[i]; }
  text_view* begin() noexcept { return data(); }
  text_view* end() noexcept { return data() + size_; }
  void push_back(text_view v) {
    if (heap_.empty() && size_ < inline_capacity) {
      inline_[size_++] = v;
      return;
    }
    if (heap_.empty()) heap_.assign(inline_, inline_ + size_);
    heap_.push_back(v);
    ++size_;
  }
  void resize(std::size_t n) {
    while (size_ < n) push_back(text_view());
    size_ = n;
    if (!heap_.empty()) heap_.resize(n);
  }

 private:
  static constexpr std::size_t inline_capacity = 8;
  text_view* data() noexcept { return heap_.empty() ? inline_ : heap_.data(); }

  text_view inline_[inline_capacity];
  std::vector<text_view> heap_;
  std::size_t size_ = 0;
};

VITTE_DECL component_list split_components(text_view s) {
  component_list out;
  for (;;) {
    std::size_t dash = s.find('-');
    out.push_back(s.substr(0, dash));
    if (dash == text_view::npos) return out;
    s = s.substr(dash + 1);
  }
}

// One of vitte's short forms (triple.hpp), expanded; empty when `s` is none.
VITTE_DECL text expand_short_form(text_view s) {
  component_list c = split_components(s);
  if (c.size() == 1 && (s == "wasm32" || s == "wasm64")) return text(s) + text_view("-unknown-unknown");
  if (c.size() == 2 && c[0] == "wasm32" && c[1] == "wasi") return text("wasm32-unknown-wasi");
  if (c.size() < 2 || c.size() > 3 || !parse_arch(c[0]).known) return {};
  const text_view a = c[0], o = c[1];
  const text_view rest = c.size() == 3 ? c[2] : text_view();
  const bool arm32 = parse_arch(a).arm_family && parse_arch(a).width == 32;
  text out(a);
  if (o == "linux" && (rest.empty() || rest == "musl")) {
    out += text_view("-unknown-linux-");
    if (rest.empty()) return out += text_view(arm32 ? "gnueabihf" : "gnu");
    return out += text_view(arm32 ? "musleabihf" : "musl");
  }
  if (!rest.empty()) return {};
  if (o == "android") return out += text_view("-unknown-linux-android");
  if (o == "macos" || o == "ios" || o == "tvos" || o == "watchos" || o == "darwin")
    return (out += text_view("-apple-")) += o;
  if (o == "windows") return out += text_view("-pc-windows-msvc");
  if (o == "mingw") return out += text_view("-w64-windows-gnu");
  if (o == "freebsd" || o == "netbsd" || o == "openbsd" || o == "dragonfly")
    return (out += text_view("-unknown-")) += o;
  if (o == "none") return out += text_view(parse_arch(a).arm_family ? "-none-unknown-eabi" : "-unknown-none-elf");
  return {};
}

}  // namespace detail

VITTE_DECL text_view to_string(os o) noexcept {
  switch (o) {
    case os::unknown:
      return "unknown";
    case os::linux_os:
      return "linux";
    case os::darwin:
      return "darwin";
    case os::macos:
      return "macos";
    case os::ios:
      return "ios";
    case os::tvos:
      return "tvos";
    case os::watchos:
      return "watchos";
    case os::windows:
      return "windows";
    case os::freebsd:
      return "freebsd";
    case os::netbsd:
      return "netbsd";
    case os::openbsd:
      return "openbsd";
    case os::dragonfly:
      return "dragonfly";
    case os::solaris:
      return "solaris";
    case os::haiku:
      return "haiku";
    case os::fuchsia:
      return "fuchsia";
    case os::hurd:
      return "hurd";
    case os::aix:
      return "aix";
    case os::zos:
      return "zos";
    case os::wasi:
      return "wasi";
    case os::emscripten:
      return "emscripten";
    case os::rtems:
      return "rtems";
    case os::other:
      return "other";
  }
  return "unknown";
}

VITTE_DECL text_view to_string(environment e) noexcept {
  for (const detail::environment_row& r : detail::environment_rows)
    if (r.value == e) return r.name;
  return "unknown";
}

VITTE_DECL text_view to_string(object_format f) noexcept {
  switch (f) {
    case object_format::unknown:
      return "unknown";
    case object_format::elf:
      return "elf";
    case object_format::coff:
      return "coff";
    case object_format::macho:
      return "macho";
    case object_format::wasm:
      return "wasm";
    case object_format::xcoff:
      return "xcoff";
    case object_format::goff:
      return "goff";
  }
  return "unknown";
}

// LLVM's Triple::normalize, step for step.
VITTE_DECL text normalize(text_view s) {
  namespace d = detail;
  d::component_list c = d::split_components(s);
  bool mingw = false, cygwin = false;
  d::arch_facts arch;
  bool vendor = false;
  os system = os::unknown;
  environment env = environment::unknown;
  object_format format = object_format::unknown;
  if (c.size() > 0) arch = d::parse_arch(c[0]);
  if (c.size() > 1) vendor = d::known_vendor(c[1]);
  if (c.size() > 2) {
    system = d::parse_os(c[2]);
    cygwin = c[2].starts_with("cygwin");
    mingw = c[2].starts_with("mingw");
  }
  if (c.size() > 3) env = d::parse_environment(c[3]);
  if (c.size() > 4) format = d::parse_format(c[4]);

  // Components already in place are never moved.
  bool found[4] = {arch.known, vendor, system != os::unknown, env != environment::unknown};
  for (std::size_t pos = 0; pos < 4; ++pos) {
    if (found[pos]) continue;
    for (std::size_t idx = 0; idx < c.size(); ++idx) {
      if (idx < 4 && found[idx]) continue;
      const text_view comp = c[idx];
      bool valid = false;
      switch (pos) {
        case 0:
          arch = d::parse_arch(comp);
          valid = arch.known;
          break;
        case 1:
          vendor = d::known_vendor(comp);
          valid = vendor;
          break;
        case 2:
          system = d::parse_os(comp);
          cygwin = comp.starts_with("cygwin");
          mingw = comp.starts_with("mingw");
          valid = system != os::unknown || cygwin || mingw;
          break;
        default:
          env = d::parse_environment(comp);
          valid = env != environment::unknown;
          if (!valid) {
            format = d::parse_format(comp);
            valid = format != object_format::unknown;
          }
          break;
      }
      if (!valid) continue;
      if (pos < idx) {
        // Insert at pos, pushing what is in the way (not fixed) right.
        text_view moving;
        const text_view taken = c[idx];
        c[idx] = text_view();
        moving = taken;
        for (std::size_t i = pos; !moving.empty(); ++i) {
          while (i < 4 && found[i]) ++i;
          const text_view displaced = c[i];
          c[i] = moving;
          moving = displaced;
        }
      } else if (pos > idx) {
        // Push right with empty components until it reaches pos.
        do {
          text_view moving;
          for (std::size_t i = idx; i < c.size();) {
            const text_view displaced = c[i];
            c[i] = moving;
            moving = displaced;
            if (moving.empty()) break;
            while (++i < 4 && found[i]) {
            }
          }
          if (!moving.empty()) c.push_back(moving);
          while (++idx < 4 && found[idx]) {
          }
        } while (idx < pos);
      }
      found[pos] = true;
      break;
    }
  }
  for (text_view& comp : c)
    if (comp.empty()) comp = "unknown";

  text android;
  if (env == environment::android && c[3].starts_with("androideabi")) {
    android = text("android") + c[3].substr(11);
    c[3] = android;
  }
  if (c[1] == "suse" && env == environment::gnueabi) c[3] = "gnueabihf";
  if (system == os::windows) {
    c.resize(4);
    c[2] = "windows";
    if (env == environment::unknown)
      c[3] = format == object_format::unknown || format == object_format::coff ? text_view("msvc") : to_string(format);
  } else if (mingw) {
    c.resize(4);
    c[2] = "windows";
    c[3] = "gnu";
  } else if (cygwin) {
    c.resize(4);
    c[2] = "windows";
    c[3] = "cygnus";
  }
  if ((mingw || cygwin || (system == os::windows && env != environment::unknown)) && format != object_format::unknown &&
      format != object_format::coff) {
    c.resize(5);
    c[4] = to_string(format);
  }
  std::size_t length = c.size();
  for (text_view comp : c) length += comp.size();
  text out;
  out.reserve(length);
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (i != 0) out += '-';
    out += c[i];
  }
  return out;
}

VITTE_DECL triple::triple() : text_("unknown") {}

VITTE_DECL text_view triple::component(unsigned i) const noexcept {
  text_view rest = text_;
  for (unsigned k = 0; k < i; ++k) {
    std::size_t dash = rest.find('-');
    if (dash == text_view::npos) return {};
    rest = rest.substr(dash + 1);
  }
  return rest.substr(0, rest.find('-'));
}

VITTE_DECL triple triple::parse(text_view s) {
  namespace d = detail;
  triple t;
  t.text_ = normalize(s);
  const d::arch_facts a = d::parse_arch(t.arch_name());
  t.arch_ = a.arch;
  t.width_ = a.width;
  t.order_ = a.order;
  t.os_ = d::parse_os(t.os_name());
  const text_view env = t.environment_name();
  t.env_ = d::parse_environment(env);
  t.format_ = d::parse_format(env);
  if (t.format_ == object_format::unknown) t.format_ = d::parse_format(t.component(4));
  if (t.format_ == object_format::unknown) {
    if (t.is_wasm())
      t.format_ = object_format::wasm;
    else if ((a.arm_family || a.x86_family) && t.is_apple())
      t.format_ = object_format::macho;
    else if ((a.arm_family || a.x86_family) && t.is_windows())
      t.format_ = object_format::coff;
    else if ((t.arch_ == architecture::ppc || t.arch_ == architecture::ppc64) && t.os_ == os::aix)
      t.format_ = object_format::xcoff;
    else if (t.arch_ == architecture::s390x && t.os_ == os::zos)
      t.format_ = object_format::goff;
    else
      t.format_ = object_format::elf;
  }
  return t;
}

VITTE_DECL triple triple::resolve(text_view s) {
  text expanded = detail::expand_short_form(s);
  return parse(expanded.empty() ? s : text_view(expanded));
}

VITTE_DECL triple host_triple() {
  text_view arch =
#if defined(__x86_64__) || defined(_M_X64)
      "x86_64";
#elif defined(__i386__) || defined(_M_IX86)
      "i686";
#elif defined(__aarch64__) && defined(__AARCH64EB__)
      "aarch64_be";
#elif defined(__aarch64__) || defined(_M_ARM64)
      "aarch64";
#elif (defined(__arm__) || defined(_M_ARM)) && defined(__ARM_ARCH_7M__)
      "thumbv7m";
#elif (defined(__arm__) || defined(_M_ARM)) && defined(__ARMEB__)
      "armeb";
#elif defined(__arm__) || defined(_M_ARM)
      "arm";
#elif defined(__riscv) && __riscv_xlen == 64
      "riscv64";
#elif defined(__riscv)
      "riscv32";
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
      "powerpc64le";
#elif defined(__powerpc64__)
      "powerpc64";
#elif defined(__powerpc__)
      "powerpc";
#elif defined(__s390x__)
      "s390x";
#elif defined(__mips__) && defined(__mips64) && defined(__MIPSEL__)
      "mips64el";
#elif defined(__mips__) && defined(__mips64)
      "mips64";
#elif defined(__mips__) && defined(__MIPSEL__)
      "mipsel";
#elif defined(__mips__)
      "mips";
#elif defined(__loongarch64)
      "loongarch64";
#elif defined(__wasm64__)
      "wasm64";
#elif defined(__wasm32__)
      "wasm32";
#else
      "unknown";
#endif
  text_view rest =
#if defined(__APPLE__)
      "-apple-darwin";
#elif defined(_WIN32) && defined(__MINGW32__)
      "-w64-windows-gnu";
#elif defined(_WIN32)
      "-pc-windows-msvc";
#elif defined(__ANDROID__)
      "-unknown-linux-android";
#elif defined(__linux__) && defined(__x86_64__) && defined(__ILP32__)
      "-unknown-linux-gnux32";
#elif defined(__linux__) && defined(__arm__) && defined(__GLIBC__) && defined(__ARM_PCS_VFP)
      "-unknown-linux-gnueabihf";
#elif defined(__linux__) && defined(__arm__) && defined(__GLIBC__)
      "-unknown-linux-gnueabi";
#elif defined(__linux__) && defined(__arm__) && defined(__ARM_PCS_VFP)
      "-unknown-linux-musleabihf";
#elif defined(__linux__) && defined(__arm__)
      "-unknown-linux-musleabi";
#elif defined(__linux__) && defined(__mips64) && defined(__GLIBC__)
      "-unknown-linux-gnuabi64";
#elif defined(__linux__) && defined(__GLIBC__)
      "-unknown-linux-gnu";
#elif defined(__linux__)
      "-unknown-linux-musl";
#elif defined(__FreeBSD__)
      "-unknown-freebsd";
#elif defined(__NetBSD__)
      "-unknown-netbsd";
#elif defined(__OpenBSD__)
      "-unknown-openbsd";
#elif defined(__DragonFly__)
      "-unknown-dragonfly";
#elif defined(__wasi__)
      "-unknown-wasi";
#elif defined(__EMSCRIPTEN__)
      "-unknown-emscripten";
#elif defined(__arm__)
      "-none-eabi";
#else
      "-unknown-unknown";
#endif
  return triple::parse(text(arch) += rest);
}

}  // namespace vitte::machine

#endif  // VITTE_MACHINE_IMPL_TRIPLE_IPP
