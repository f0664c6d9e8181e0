// vitte/machine/triple.hpp - target triples: arch-vendor-os-environment.
//
//   using namespace vitte::machine;
//   triple t = triple::parse("x86_64-w64-mingw32");
//   t.str();            // "x86_64-w64-windows-gnu", as LLVM normalises it
//   t.system();         // os::windows
//   t.format();         // object_format::coff
//   t.pointer_width();  // 64
//
//   triple::resolve("aarch64-macos").str();  // "aarch64-apple-macos" (a short form)
//   host_triple().str();                      // "x86_64-unknown-linux-gnu" here
//
// parse() normalises exactly as LLVM's Triple::normalize (and so as
// `clang -target T -print-target-triple`): known components move to their
// place, missing ones read "unknown", mingw32 and cygwin become
// windows-gnu and windows-cygnus. It never fails: what no table knows stays
// as written, and the accessors report it as unknown.
//
// resolve() first expands vitte's short forms, then parses:
//
//   ARCH-linux        ARCH-unknown-linux-gnu  (armv7/arm: ...-gnueabihf)
//   ARCH-linux-musl   ARCH-unknown-linux-musl (arm: ...-musleabihf)
//   ARCH-android      ARCH-unknown-linux-android
//   ARCH-macos        ARCH-apple-macos        (also ios, tvos, watchos, darwin)
//   ARCH-windows      ARCH-pc-windows-msvc
//   ARCH-mingw        ARCH-w64-windows-gnu
//   ARCH-freebsd      ARCH-unknown-freebsd    (also netbsd, openbsd, dragonfly)
//   ARCH-none         ARCH-none-unknown-eabi on ARM, ARCH-unknown-none-elf elsewhere
//   wasm32, wasm64    wasm32-unknown-unknown, wasm64-unknown-unknown
//   wasm32-wasi       wasm32-unknown-wasi
//
// Anything else resolves as parse() would.
#ifndef VITTE_MACHINE_TRIPLE_HPP
#define VITTE_MACHINE_TRIPLE_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/machine/architecture.hpp>  // architecture, byte_order

#include <cstdint>

namespace vitte::machine {

/// Operating systems a triple names. `linux_os`: `linux` is a macro in the
/// GNU dialects of C++.
enum class os : std::uint8_t {
  unknown,
  linux_os,
  darwin,
  macos,
  ios,
  tvos,
  watchos,
  windows,
  freebsd,
  netbsd,
  openbsd,
  dragonfly,
  solaris,
  haiku,
  fuchsia,
  hurd,
  aix,
  zos,
  wasi,
  emscripten,
  rtems,
  other,  // known to LLVM (cuda, amdhsa, ps4, ...), not named here
};

/// Environments (C library and ABI) a triple names.
enum class environment : std::uint8_t {
  unknown,
  gnu,
  gnuabin32,
  gnuabi64,
  gnueabi,
  gnueabihf,
  gnux32,
  gnu_ilp32,
  code16,
  eabi,
  eabihf,
  android,
  musl,
  musleabi,
  musleabihf,
  muslx32,
  msvc,
  itanium,
  cygnus,
  coreclr,
  simulator,
  macabi,
};

/// Object file formats.
enum class object_format : std::uint8_t { unknown, elf, coff, macho, wasm, xcoff, goff };

/// "linux", "windows", ...; "unknown".
VITTE_DECL text_view to_string(os o) noexcept;
/// "gnu", "musleabihf", ...; "unknown".
VITTE_DECL text_view to_string(environment e) noexcept;
/// "elf", "coff", "macho", "wasm", "xcoff", "goff"; "unknown".
VITTE_DECL text_view to_string(object_format f) noexcept;

/// LLVM's normalisation of `s` (see the file comment): the text parse() keeps.
VITTE_DECL text normalize(text_view s);

/// A normalised target triple. Copyable; compares by its text.
class triple {
 public:
  /// "unknown".
  triple();
  /// `s` normalised as LLVM does. Never fails.
  static triple parse(text_view s);
  /// `s` with vitte's short forms expanded (file comment), then parse().
  static triple resolve(text_view s);

  /// The normalised text.
  text_view str() const noexcept { return text_; }
  /// The components as written after normalisation ("" when absent).
  text_view arch_name() const noexcept { return component(0); }
  text_view vendor_name() const noexcept { return component(1); }
  text_view os_name() const noexcept { return component(2); }
  text_view environment_name() const noexcept { return component(3); }

  /// The architecture, or architecture::unknown for one vitte has no code
  /// for (arch_name() still says which).
  architecture arch() const noexcept { return arch_; }
  os system() const noexcept { return os_; }
  environment env() const noexcept { return env_; }
  /// The object format: the one the triple names, or its OS's default.
  object_format format() const noexcept { return format_; }
  /// 16, 32 or 64; 0 for an architecture LLVM does not know.
  unsigned pointer_width() const noexcept { return width_; }
  byte_order order() const noexcept { return order_; }
  /// LLVM knows the architecture (arch() may still be unknown to vitte).
  bool known_arch() const noexcept { return width_ != 0; }

  bool is_windows() const noexcept { return os_ == os::windows; }
  bool is_apple() const noexcept {
    return os_ == os::darwin || os_ == os::macos || os_ == os::ios || os_ == os::tvos || os_ == os::watchos;
  }
  bool is_wasm() const noexcept { return arch_ == architecture::wasm32 || arch_ == architecture::wasm64; }

  friend bool operator==(const triple& a, const triple& b) noexcept { return a.text_ == b.text_; }

 private:
  text_view component(unsigned i) const noexcept;

  text text_;
  architecture arch_ = architecture::unknown;
  os os_ = os::unknown;
  environment env_ = environment::unknown;
  object_format format_ = object_format::unknown;
  byte_order order_ = byte_order::little;
  std::uint8_t width_ = 0;
};

/// The triple this program was compiled for (from the compiler's macros),
/// e.g. x86_64-unknown-linux-gnu, x86_64-w64-windows-gnu, aarch64-apple-darwin.
VITTE_DECL triple host_triple();

}  // namespace vitte::machine

#if VITTE_HEADER_ONLY
#include <vitte/machine/impl/triple.ipp>
#endif

#endif  // VITTE_MACHINE_TRIPLE_HPP
