// IFUNC in every form a linker writes, for the in-memory ELF loader's tests
// (tests/loader/test_image.cpp), built by meson.build plain, with -z now,
// with -fno-plt -z now and with lld: an exported IFUNC called through the
// PLT (JUMP_SLOT) or the GOT (GLOB_DAT), its address taken in data (an
// absolute relocation), a local IFUNC (IRELATIVE), and a constructor that
// calls them. The resolvers call nothing (under -z now, ld.so runs them
// before the PLT is bound) and record the argument ld.so gives them.
#include <cstdint>

#define IFUNC_EXPORT extern "C" __attribute__((visibility("default")))

extern "C" {
// The host's, when it offers one (a test counting what of the image ran);
// null under dlopen.
__attribute__((weak)) void ifunc_host_ran();
static void ran() {
  if (&ifunc_host_ran != nullptr) ifunc_host_ran();
}
static unsigned long seen_hwcap = 0;
static int resolutions = 0;
using fn = int (*)();
static int one() { return 1; }
static int two() { return 2; }
static int three() { return 3; }
static int four() { return 4; }
#if defined(__aarch64__)
struct ifunc_arg {
  unsigned long size, hwcap, hwcap2;
};
// What glibc passes on AArch64: AT_HWCAP with _IFUNC_ARG_HWCAP, and the
// argument block with AT_HWCAP again.
static bool good_arguments(unsigned long hwcap, const ifunc_arg* arg) {
  constexpr unsigned long flag = 1ul << 62;
  return (hwcap & flag) != 0 && arg != nullptr && arg->size >= sizeof(ifunc_arg) && arg->hwcap == (hwcap & ~flag);
}
__attribute__((visibility("hidden"))) fn resolve_exported(unsigned long hwcap, const ifunc_arg* arg) {
  seen_hwcap = hwcap & ~(1ul << 62), ++resolutions, ran();
  return good_arguments(hwcap, arg) ? &two : &one;
}
__attribute__((visibility("hidden"))) fn resolve_local(unsigned long hwcap, const ifunc_arg* arg) {
  ++resolutions, ran();
  return good_arguments(hwcap, arg) ? &four : &three;
}
#else
// x86_64's ld.so passes nothing; 32-bit Arm's passes AT_HWCAP (recorded).
__attribute__((visibility("hidden"))) fn resolve_exported(unsigned long hwcap) {
  seen_hwcap = hwcap, ++resolutions, ran();
  return (void)&one, &two;
}
__attribute__((visibility("hidden"))) fn resolve_local(unsigned long) {
  ++resolutions, ran();
  return (void)&three, &four;
}
#endif
}

IFUNC_EXPORT int ifunc_exported() __attribute__((ifunc("resolve_exported")));
extern "C" __attribute__((visibility("hidden"))) int ifunc_local() __attribute__((ifunc("resolve_local")));

// The exported IFUNC's address in data: an absolute relocation against it.
extern "C" __attribute__((visibility("default"))) fn ifunc_pointer;
fn ifunc_pointer = &ifunc_exported;
// The local one's: an IRELATIVE (or a relative to the PLT entry).
extern "C" __attribute__((visibility("default"))) fn ifunc_local_pointer;
fn ifunc_local_pointer = &ifunc_local;

namespace {
int at_init = 0;
struct init {
  init() {
    ran();
    at_init = ifunc_exported() * 10 + ifunc_local();
  }
} the_init;
}  // namespace

/// 2424 when every call went to the resolvers' choices: through the PLT or
/// GOT, through the data pointers, and from the constructor.
IFUNC_EXPORT int ifunc_call_all() {
  return ifunc_exported() * 1000 + ifunc_local() * 100 + ifunc_pointer() * 10 + ifunc_local_pointer();
}
IFUNC_EXPORT int ifunc_at_init() { return at_init; }
IFUNC_EXPORT unsigned long ifunc_seen_hwcap() { return seen_hwcap; }
IFUNC_EXPORT int ifunc_resolutions() { return resolutions; }
