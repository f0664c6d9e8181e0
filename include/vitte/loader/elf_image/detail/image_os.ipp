// Definitions of vitte/loader/elf_image/impl/os.hpp: the process's symbols,
// CPU capability bits, the environment and the unwinder's frame registry,
// for the in-memory ELF loader.
//
// A dynamic host asks the dynamic linker (dlvsym, dlsym). A static host
// has none: it answers from the runtime table below (C and C++ runtime
// functions; naming them here also links them into the host), then from
// the static surface when the program links it (static_surface/: the
// whole C and C++ runtime a dynamic host would offer), then from
// the program's own symbol table (.symtab of /proc/self/exe, read once),
// which holds every other function the host links. A host that strips its
// symbol table and needs more offers them with loader::export_symbol or
// image_options::lookup (docs/ELF_IMAGE.md).
#ifndef VITTE_LOADER_ELF_IMAGE_DETAIL_IMAGE_OS_IPP
#define VITTE_LOADER_ELF_IMAGE_DETAIL_IMAGE_OS_IPP

#include <vitte/loader/elf_image/impl/os.hpp>

#if VITTE_OS_LINUX && defined(__ELF__)
#include <vitte/loader/elf.hpp>
#include <vitte/sys/detail/posix/errno.hpp>
#include <vitte/sys/whole_file.hpp>

#include <algorithm>  // std::min, std::max
#include <atomic>
#include <cstddef>  // offsetof
#include <cstdlib>  // std::getenv
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <glob.h>      // glob: ld.so.conf's includes
#include <link.h>      // dl_iterate_phdr (32-bit Arm unwinding, thread-locals of the C library's modules)
#include <sys/auxv.h>  // getauxval
#include <sys/mman.h>  // mmap
#include <sys/stat.h>  // fstat: a file's identity
#if VITTE_HAS_DYNAMIC_LIBRARIES
#include <dlfcn.h>
#endif
// A static host over another C library (musl) offers glibc's own names to
// glibc-built images: glibc_compat.inc.
#if !VITTE_HAS_DYNAMIC_LIBRARIES && !defined(__GLIBC__)
#define VITTE_IMAGE_GLIBC_COMPAT 1
#include <vitte/loader/elf_image/detail/glibc_compat.inc>
#else
#define VITTE_IMAGE_GLIBC_COMPAT 0
#endif

extern "C" char** environ;
#if !defined(__arm__)
extern "C" void __register_frame(void*);    // libgcc (libgcc_s or libgcc_eh)
extern "C" void __deregister_frame(void*);  // libgcc
// LLVM's libunwind (Zig's C++ runtime) takes one FDE in __register_frame;
// a whole .eh_frame goes through these (LLVM 14). Weak: null with libgcc.
extern "C" void __unw_add_dynamic_eh_frame_section(std::uintptr_t) __attribute__((weak));
extern "C" void __unw_remove_dynamic_eh_frame_section(std::uintptr_t) __attribute__((weak));
#endif

#if !VITTE_HAS_DYNAMIC_LIBRARIES
// The runtime table of a static host: names whose address the program
// takes here, so that the linker keeps them. Declared by their assembler
// names (a C++ name's mangling), with a placeholder type: only the address
// is used.
// clang-format off
#define VITTE_IMAGE_RUNTIME_C(X) \
  X(printf) X(fprintf) X(sprintf) X(snprintf) X(vprintf) X(vfprintf) X(vsnprintf) X(puts) \
  X(fputs) X(fputc) X(putchar) X(fwrite) X(fread) X(fopen) X(fclose) X(fflush) \
  X(fgets) X(stdout) X(stderr) X(stdin) X(malloc) X(calloc) X(realloc) X(free) \
  X(aligned_alloc) X(posix_memalign) X(qsort) X(bsearch) X(abort) X(exit) X(atexit) X(getenv) \
  X(strtol) X(strtoul) X(strtoll) X(strtoull) X(strtod) X(atoi) X(memcpy) X(memmove) \
  X(memset) X(memcmp) X(memchr) X(strlen) X(strcmp) X(strncmp) X(strcpy) X(strncpy) \
  X(strchr) X(strrchr) X(strstr) X(strdup) X(__errno_location) X(__stack_chk_fail) X(__assert_fail) X(__cxa_atexit) \
  X(__cxa_finalize) X(pthread_mutex_lock) X(pthread_mutex_unlock) X(pthread_once) X(pthread_self) X(clock_gettime) X(time) \
  X(sqrt) X(sin) X(cos) X(exp) X(log) X(pow) X(floor) X(ceil) \
  X(fabs) \
  X(strerror) X(strerror_r) X(perror) X(strtof) X(strtold) X(strnlen) X(strndup) X(strspn) \
  X(strcspn) X(strpbrk) X(strtok_r) X(strcasecmp) X(strncasecmp) X(memrchr) X(fseek) X(ftell) X(rewind) \
  X(fileno) X(fdopen) X(setvbuf) X(ungetc) X(getc) X(fgetc) X(open) X(close) X(read) X(write) X(lseek) \
  X(unlink) X(rename) X(mkdir) X(getpid) X(usleep) X(nanosleep) X(sleep) X(gettimeofday) X(localtime_r) X(gmtime_r) \
  X(strftime) X(mktime) X(rand) X(srand) X(abs) X(labs) X(llabs) X(div) X(toupper) X(tolower) X(isalpha) X(isdigit) \
  X(isspace) X(isalnum) X(isupper) X(islower) X(isprint) X(isxdigit) \
  X(pthread_create) X(pthread_join) X(pthread_detach) X(pthread_mutex_init) X(pthread_mutex_destroy) \
  X(pthread_mutex_trylock) X(pthread_cond_init) X(pthread_cond_destroy) X(pthread_cond_wait) X(pthread_cond_timedwait) \
  X(pthread_cond_signal) X(pthread_cond_broadcast) X(pthread_key_create) X(pthread_key_delete) X(pthread_getspecific) \
  X(pthread_setspecific) X(pthread_rwlock_rdlock) X(pthread_rwlock_wrlock) X(pthread_rwlock_unlock) X(sched_yield) \
  X(sqrtf) X(sinf) X(cosf) X(tan) X(tanf) X(atan) X(atan2) X(atan2f) X(expf) X(logf) X(log2) X(log10) X(powf) \
  X(floorf) X(ceilf) X(fabsf) X(fmod) X(fmodf) X(round) X(roundf) X(trunc) X(lround) X(hypot) \
  X(fork) X(waitpid) X(kill) X(raise) X(pause) X(alarm) X(signal) X(sigaction) X(sigemptyset) X(getppid) X(prctl) \
  X(pipe) X(dup) X(dup2) X(poll) X(socket) X(connect) X(send) X(recv) X(shutdown) X(fstat) X(stat) X(access) X(getcwd) \
  X(htons) X(htonl) X(ntohs) X(ntohl)
// What glibc's headers make of C calls (and musl has none of): the
// scanf family's ISO C99 names, the <ctype.h> tables, the LFS names of
// -D_FILE_OFFSET_BITS=64, the thread_local destructors' registry, and
// the fortified calls of Debian's default -D_FORTIFY_SOURCE=2 -O2.
#if defined(__GLIBC__)
#define VITTE_IMAGE_RUNTIME_LIBC(X) \
  X(__isoc99_sscanf) X(__isoc99_fscanf) X(__isoc99_scanf) X(__isoc99_vsscanf) X(__ctype_b_loc) X(__ctype_tolower_loc) \
  X(__ctype_toupper_loc) X(fopen64) X(open64) X(__cxa_thread_atexit_impl)
#define VITTE_IMAGE_RUNTIME_FORTIFY(X) \
  X(__printf_chk) X(__fprintf_chk) X(__sprintf_chk) X(__snprintf_chk) X(__vprintf_chk) X(__vfprintf_chk) \
  X(__vsprintf_chk) X(__vsnprintf_chk) X(__asprintf_chk) X(__vasprintf_chk) X(__dprintf_chk) X(__vdprintf_chk) \
  X(__memcpy_chk) X(__memmove_chk) X(__mempcpy_chk) X(__memset_chk) X(__strcpy_chk) X(__stpcpy_chk) X(__strncpy_chk) \
  X(__stpncpy_chk) X(__strcat_chk) X(__strncat_chk) X(__fgets_chk) X(__fread_chk) X(__read_chk) X(__pread_chk) \
  X(__realpath_chk) X(__getcwd_chk) X(__fdelt_chk) X(__poll_chk) X(__explicit_bzero_chk) X(__wmemcpy_chk) \
  X(__wmemset_chk) X(__wcscpy_chk) X(__mbstowcs_chk) X(__wcstombs_chk) X(__open_2) X(__syslog_chk)
#else
#define VITTE_IMAGE_RUNTIME_LIBC(X)
#define VITTE_IMAGE_RUNTIME_FORTIFY(X)
#endif
// Typeinfo of the fundamental types (throw 42) and of the standard
// exceptions, the ABI's type_info vtables (every polymorphic class's
// typeinfo points at one), dynamic_cast and the exception queries.
#define VITTE_IMAGE_RUNTIME_TYPEINFO(X) \
  X(_ZTIa) X(_ZTIb) X(_ZTIc) X(_ZTId) X(_ZTIe) X(_ZTIf) X(_ZTIh) X(_ZTIi) X(_ZTIj) X(_ZTIl) X(_ZTIm) X(_ZTIs) \
  X(_ZTIt) X(_ZTIv) X(_ZTIw) X(_ZTIx) X(_ZTIy) X(_ZTIDn) X(_ZTIPKc) X(_ZTIPc) X(_ZTIPv) X(_ZTIPKv) X(_ZTIPi) \
  X(_ZTVN10__cxxabiv117__class_type_infoE) X(_ZTVN10__cxxabiv120__si_class_type_infoE) \
  X(_ZTVN10__cxxabiv121__vmi_class_type_infoE) X(__cxa_bad_cast) X(__cxa_bad_typeid) X(__dynamic_cast) \
  X(__cxa_get_exception_ptr) X(__cxa_current_exception_type) X(__cxa_call_unexpected) X(_ZSt9terminatev) \
  X(_ZNSt9exceptionD1Ev) X(_ZNKSt9exception4whatEv) X(_ZTVSt9exception) X(_ZTISt12out_of_range) \
  X(_ZTISt12length_error) X(_ZTISt11range_error) X(_ZTISt14overflow_error) X(_ZTISt8bad_cast) \
  X(_ZNSt12out_of_rangeD1Ev) X(_ZNSt11logic_errorC2EPKc) X(_ZNSt11logic_errorD2Ev) X(_ZNSt13runtime_errorC2EPKc) \
  X(_ZNSt13runtime_errorD2Ev) X(_ZdaPvSt11align_val_t) X(_ZNSt9bad_allocD1Ev) X(_ZTVSt9bad_alloc) \
  X(_ZNSt8bad_castD1Ev) X(_ZTVSt8bad_cast)
// libstdc++'s own entry points, which its inline code calls (libc++ has
// other names, and a plugin built with it links its own copy).
#if defined(__GLIBCXX__)
#define VITTE_IMAGE_RUNTIME_LIBSTDCXX(X) \
  X(_ZSt20__throw_out_of_rangePKc) X(_ZSt24__throw_out_of_range_fmtPKcz) X(_ZSt28__throw_bad_array_new_lengthv) \
  X(_ZSt16__throw_bad_castv) X(_ZSt25__throw_bad_function_callv) X(_ZNSt12out_of_rangeC1EPKc)
#else
#define VITTE_IMAGE_RUNTIME_LIBSTDCXX(X)
#endif
// C++ names with size_t in their mangling are written for LP64 ("m"); a
// 32-bit static host finds them in its symbol table.
#if __SIZEOF_SIZE_T__ == 8
#define VITTE_IMAGE_RUNTIME_CXX(X) \
  X(_Znwm) X(_Znam) X(_ZdlPv) X(_ZdaPv) X(_ZdlPvm) X(_ZdaPvm) \
  X(_ZnwmRKSt9nothrow_t) X(_ZnamRKSt9nothrow_t) X(_ZnwmSt11align_val_t) X(_ZdlPvSt11align_val_t) \
  X(_ZnwmSt11align_val_tRKSt9nothrow_t) X(_ZdlPvSt11align_val_tRKSt9nothrow_t) X(_ZSt7nothrow) \
  X(__cxa_allocate_exception) X(__cxa_free_exception) X(__cxa_throw) X(__cxa_begin_catch) X(__cxa_end_catch) \
  X(__cxa_rethrow) X(__cxa_guard_acquire) X(__cxa_guard_release) X(__cxa_guard_abort) X(__cxa_pure_virtual) \
  X(__cxa_thread_atexit) X(__gxx_personality_v0) X(_Unwind_Resume) \
  X(_ZTISt9exception) X(_ZTISt13runtime_error) X(_ZTISt11logic_error) X(_ZTISt9bad_alloc) X(_ZTISt16invalid_argument) \
  X(_ZTVSt13runtime_error) X(_ZNSt13runtime_errorC1EPKc) X(_ZNSt13runtime_errorD1Ev) X(_ZNKSt13runtime_error4whatEv) \
  X(_ZNSt16invalid_argumentD1Ev) X(_ZNSt9exceptionD2Ev) \
  X(_ZdlPvmSt11align_val_t) X(_ZnamSt11align_val_t)
#else
#define VITTE_IMAGE_RUNTIME_CXX(X)
#endif
#if __SIZEOF_SIZE_T__ == 8 && defined(__GLIBCXX__)
#define VITTE_IMAGE_RUNTIME_LIBSTDCXX64(X) \
  X(_ZNSt16invalid_argumentC1EPKc) X(_ZSt20__throw_length_errorPKc) X(_ZSt17__throw_bad_allocv) \
  X(_ZSt19__throw_logic_errorPKc) \
  X(_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE9_M_createERmm) \
  X(_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE10_M_replaceEmmPKcm) \
  X(_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE9_M_appendEPKcm) \
  X(_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE9_M_mutateEmmPKcm) \
  X(_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE7reserveEm)
#else
#define VITTE_IMAGE_RUNTIME_LIBSTDCXX64(X)
#endif
// What an unwinder linked into an image asks after the image's frames
// (image_dl_iterate_phdr and image_dl_find_object pass the question on).
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 35)
#define VITTE_IMAGE_RUNTIME_DL(X) X(dl_iterate_phdr) X(_dl_find_object)
#else
#define VITTE_IMAGE_RUNTIME_DL(X) X(dl_iterate_phdr)
#endif
// clang-format on
#define VITTE_IMAGE_DECLARE(n) extern "C" char vitte_image_rt_##n[] __asm__(#n);
VITTE_IMAGE_RUNTIME_C(VITTE_IMAGE_DECLARE)
VITTE_IMAGE_RUNTIME_LIBC(VITTE_IMAGE_DECLARE)
VITTE_IMAGE_RUNTIME_FORTIFY(VITTE_IMAGE_DECLARE)
VITTE_IMAGE_RUNTIME_TYPEINFO(VITTE_IMAGE_DECLARE)
VITTE_IMAGE_RUNTIME_LIBSTDCXX(VITTE_IMAGE_DECLARE)
VITTE_IMAGE_RUNTIME_CXX(VITTE_IMAGE_DECLARE)
VITTE_IMAGE_RUNTIME_LIBSTDCXX64(VITTE_IMAGE_DECLARE)
VITTE_IMAGE_RUNTIME_DL(VITTE_IMAGE_DECLARE)
#undef VITTE_IMAGE_DECLARE
// The static surface (static_surface/generate.py, linked in by
// vitte_static_surface_dep or vitte::static_surface): every global function
// and object of the toolchain's static C and C++ runtime that the shared
// libraries export, by name, ended by a null name; and the names it cannot
// offer, with the reason. Weak: null when the program does not link it.
extern "C" {
struct vitte_static_surface_entry {
  const char* name;
  const void* address;
};
struct vitte_static_surface_refusal {
  const char* name;
  const char* reason;
};
struct vitte_static_surface_tls {  // a thread-local: its address in the calling thread
  const char* name;
  void* (*address)();
};
extern const vitte_static_surface_entry vitte_static_surface[] __attribute__((weak));
extern const vitte_static_surface_refusal vitte_static_surface_absent[] __attribute__((weak));
extern const vitte_static_surface_tls vitte_static_surface_thread_locals[] __attribute__((weak));
}
#endif

namespace vitte::loader::elf_image::detail {

#if !VITTE_HAS_DYNAMIC_LIBRARIES
struct static_symbols {
  buffer<std::byte> file;  // /proc/self/exe, whose .symtab the map points into
  std::unordered_map<std::string_view, void*> map;
  std::unordered_map<std::string_view, std::uintptr_t> tls;       // thread-locals: offsets in the program's block
  std::unordered_map<std::string_view, void* (*)()> surface_tls;  // the static surface's thread-locals
#if VITTE_IMAGE_GLIBC_COMPAT
  std::unordered_map<std::string_view, void*> glibc;  // glibc's names over this C library (glibc_compat.inc)
#endif

  static const static_symbols& get() {
    static const static_symbols s = make();
    return s;
  }
  static static_symbols make() {
    static_symbols s;
#define VITTE_IMAGE_ENTRY(n) s.map.emplace(#n, static_cast<void*>(vitte_image_rt_##n));
    VITTE_IMAGE_RUNTIME_DL(VITTE_IMAGE_ENTRY)
    VITTE_IMAGE_RUNTIME_C(VITTE_IMAGE_ENTRY)
    VITTE_IMAGE_RUNTIME_LIBC(VITTE_IMAGE_ENTRY)
    VITTE_IMAGE_RUNTIME_FORTIFY(VITTE_IMAGE_ENTRY)
    VITTE_IMAGE_RUNTIME_TYPEINFO(VITTE_IMAGE_ENTRY)
    VITTE_IMAGE_RUNTIME_LIBSTDCXX(VITTE_IMAGE_ENTRY)
    VITTE_IMAGE_RUNTIME_CXX(VITTE_IMAGE_ENTRY)
    VITTE_IMAGE_RUNTIME_LIBSTDCXX64(VITTE_IMAGE_ENTRY)
#undef VITTE_IMAGE_ENTRY
#if VITTE_IMAGE_GLIBC_COMPAT
    glibc_compat::for_each([&s](const char* n, void* a) { s.glibc.emplace(n, a); });
#endif
    if (vitte_static_surface != nullptr)
      for (const vitte_static_surface_entry* e = vitte_static_surface; e->name != nullptr; ++e)
        s.map.emplace(e->name, const_cast<void*>(e->address));
    if (vitte_static_surface_thread_locals != nullptr)
      for (const vitte_static_surface_tls* e = vitte_static_surface_thread_locals; e->name != nullptr; ++e)
        s.surface_tls.emplace(e->name, e->address);
    auto f = sys::read_file("/proc/self/exe");
    if (!f) return s;
    s.file = static_cast<buffer<std::byte>&&>(*f);
    result<elf::reader> r = elf::reader::parse(std::span<const std::byte>(s.file.data(), s.file.size()));
    if (!r) return s;
    result<elf::section> symtab = r->find_section(".symtab");
    result<elf::section> strtab = r->find_section(".strtab");
    if (!symtab || !strtab) return s;
    std::span<const std::byte> syms = r->section_data(*symtab), strs = r->section_data(*strtab);
    extern const char __ehdr_start[] __attribute__((weak, visibility("hidden")));
    std::uintptr_t bias = r->type() == elf::et_dyn ? reinterpret_cast<std::uintptr_t>(__ehdr_start) : 0;
    constexpr std::size_t entry = sizeof(void*) == 8 ? 24 : 16;
    for (std::size_t i = 0; i + entry <= syms.size(); i += entry) {
      std::uint32_t name;
      std::uintptr_t value;
      unsigned char info;
      std::uint16_t shndx;
      std::memcpy(&name, syms.data() + i, 4);
      if constexpr (sizeof(void*) == 8) {
        info = static_cast<unsigned char>(syms[i + 4]);
        std::memcpy(&shndx, syms.data() + i + 6, 2);
        std::memcpy(&value, syms.data() + i + 8, 8);
      } else {
        std::memcpy(&value, syms.data() + i + 4, 4);
        info = static_cast<unsigned char>(syms[i + 12]);
        std::memcpy(&shndx, syms.data() + i + 14, 2);
      }
      unsigned type = info & 0xf, bind = info >> 4;
      constexpr unsigned stt_tls = 6;
      if (shndx == 0 || name >= strs.size() || (bind != 1 && bind != 2) || (type > 2 && type != 10 && type != stt_tls))
        continue;
      const char* p = reinterpret_cast<const char*>(strs.data()) + name;
      std::size_t n = strnlen(p, strs.size() - name);
      if (n == 0 || n == strs.size() - name) continue;
      if (type == stt_tls) {  // its offset in the program's TLS block, the same in every thread
        s.tls.emplace(std::string_view(p, n), value);
        continue;
      }
      void* a = reinterpret_cast<void*>(value + bias);
      if (type == 10)  // an IFUNC of the static C library (memcpy): its resolver picks the function
        a = reinterpret_cast<void* (*)(unsigned long)>(reinterpret_cast<std::uintptr_t>(a))(getauxval(AT_HWCAP));
      s.map.emplace(std::string_view(p, n), a);  // the first definition wins (the table's)
    }
    return s;
  }
};
#endif

#if VITTE_HAS_DYNAMIC_LIBRARIES && defined(__GLIBC__)
/// True when addresses `a` and `b` lie in two objects the OS loader loaded
/// (false when either is in none). _dl_find_object (glibc 2.35) answers
/// from a sorted table; dladdr scans the object's whole symbol table for
/// the nearest symbol (tens of microseconds in libstdc++).
VITTE_DECL bool in_other_objects(void* a, void* b) noexcept {
#if __GLIBC__ > 2 || __GLIBC_MINOR__ >= 35
  dl_find_object fa{}, fb{};
  if (_dl_find_object(a, &fa) == 0 && _dl_find_object(b, &fb) == 0) return fa.dlfo_link_map != fb.dlfo_link_map;
#endif
  Dl_info x{}, y{};
  return dladdr(a, &x) != 0 && dladdr(b, &y) != 0 && x.dli_fbase != y.dli_fbase;
}
#endif

VITTE_DECL void* process_symbol(const char* name, const char* version) noexcept {
#if VITTE_HAS_DYNAMIC_LIBRARIES
  // As ld.so binds: the first object of the global scope that defines the
  // name. dlsym finds it (its default version); dlvsym finds the first
  // object with the version asked for. When they are two objects, the
  // first is an interposer that ld.so would pick (an allocator in
  // LD_PRELOAD, a sanitizer's runtime in the executable: unversioned
  // definitions match a versioned reference); when they are one object,
  // the version asked for is that object's older definition (memcpy@GLIBC_2.2.5).
  void* first = dlsym(RTLD_DEFAULT, name);
#ifdef __GLIBC__
  if (version == nullptr || *version == '\0') return first;
  void* versioned = dlvsym(RTLD_DEFAULT, name, version);
  if (first == nullptr || versioned == nullptr || first == versioned) return versioned != nullptr ? versioned : first;
  return in_other_objects(first, versioned) ? first : versioned;
#else
  (void)version;
  return first;
#endif
#else
  (void)version;
  const static_symbols& s = static_symbols::get();
#if VITTE_IMAGE_GLIBC_COMPAT
  // A glibc-built image (its references carry GLIBC_ versions) gets glibc's
  // meaning of a name first (strerror_r's char*); a musl-built one (no
  // versions) this C library's, and glibc's only for names it lacks.
  const bool from_glibc = version != nullptr && std::string_view(version).starts_with("GLIBC_");
  if (from_glibc)
    if (auto it = s.glibc.find(std::string_view(name)); it != s.glibc.end()) return it->second;
#endif
  if (auto it = s.map.find(std::string_view(name)); it != s.map.end()) return it->second;
  if (auto it = s.surface_tls.find(std::string_view(name)); it != s.surface_tls.end()) return it->second();
#if VITTE_IMAGE_GLIBC_COMPAT
  if (auto it = s.glibc.find(std::string_view(name)); it != s.glibc.end()) return it->second;
#endif
  auto t = s.tls.find(std::string_view(name));
  if (t == s.tls.end()) return nullptr;
  // A thread-local of the program: its block in the calling thread (module 1, the only one).
  std::byte* block = nullptr;
  dl_iterate_phdr(
      [](dl_phdr_info* info, std::size_t size, void* data) -> int {
        if (size < offsetof(dl_phdr_info, dlpi_tls_data) + sizeof(void*) || info->dlpi_tls_data == nullptr) return 0;
        *static_cast<std::byte**>(data) = static_cast<std::byte*>(info->dlpi_tls_data);
        return 1;
      },
      &block);
  return block != nullptr ? block + t->second : nullptr;
#endif
}

VITTE_DECL bool process_tls_location(const void* address, std::uintptr_t* module, std::uintptr_t* offset) noexcept {
  struct search {
    std::uintptr_t address, module, offset;
  } s{reinterpret_cast<std::uintptr_t>(address), 0, 0};
  dl_iterate_phdr(
      [](dl_phdr_info* info, std::size_t size, void* data) -> int {
        auto* q = static_cast<search*>(data);
        if (size < offsetof(dl_phdr_info, dlpi_tls_data) + sizeof(void*) || info->dlpi_tls_modid == 0 ||
            info->dlpi_tls_data == nullptr)
          return 0;
        std::uintptr_t memsz = 0;
        for (ElfW(Half) i = 0; i < info->dlpi_phnum; ++i)
          if (info->dlpi_phdr[i].p_type == PT_TLS) memsz = info->dlpi_phdr[i].p_memsz;
        const auto block = reinterpret_cast<std::uintptr_t>(info->dlpi_tls_data);
        if (q->address < block || q->address - block >= (memsz == 0 ? 1 : memsz)) return 0;
        q->module = info->dlpi_tls_modid, q->offset = q->address - block;
        return 1;
      },
      &s);
  if (s.module == 0) return false;
  *module = s.module, *offset = s.offset;
  return true;
}

VITTE_DECL void* process_tls_get_addr() noexcept {
#if VITTE_HAS_DYNAMIC_LIBRARIES
  return dlsym(RTLD_DEFAULT, "__tls_get_addr");
#else
  return nullptr;
#endif
}

/// What program_eh_frame_hdr() gives: found once.
struct program_unwind {
  // version 1, eh_frame_ptr absolute (a pointer), no FDE count, no table.
  unsigned char hdr[4 + sizeof(void*)] = {1, 0x00, 0xff, 0xff};
  std::uintptr_t eh_frame = 0;
  std::uintptr_t lo = ~std::uintptr_t{0}, hi = 0;  // the program's PT_LOAD span

  static const program_unwind& get() noexcept {
    static const program_unwind p = make();
    return p;
  }
  static program_unwind make() noexcept {
    program_unwind p;
    const auto* ph = reinterpret_cast<const ElfW(Phdr)*>(getauxval(AT_PHDR));
    const std::size_t n = getauxval(AT_PHNUM);
    if (ph == nullptr) return p;
    std::uintptr_t bias = 0;  // ET_EXEC; a PIE or static-pie has PT_PHDR
    for (std::size_t i = 0; i < n; ++i) {
      if (ph[i].p_type == PT_GNU_EH_FRAME) return p;  // the program has its own: nothing to make
      if (ph[i].p_type == PT_PHDR) bias = reinterpret_cast<std::uintptr_t>(ph) - ph[i].p_vaddr;
    }
    for (std::size_t i = 0; i < n; ++i)
      if (ph[i].p_type == PT_LOAD) {
        p.lo = std::min<std::uintptr_t>(p.lo, bias + ph[i].p_vaddr);
        p.hi = std::max<std::uintptr_t>(p.hi, bias + ph[i].p_vaddr + ph[i].p_memsz);
      }
    auto f = sys::read_file("/proc/self/exe");
    if (!f) return p;
    result<elf::reader> r = elf::reader::parse(std::span<const std::byte>(f->data(), f->size()));
    if (!r) return p;
    result<elf::section> eh = r->find_section(".eh_frame");
    if (!eh || eh->address == 0) return p;
    p.eh_frame = static_cast<std::uintptr_t>(eh->address) + bias;
    std::memcpy(p.hdr + 4, &p.eh_frame, sizeof(void*));
    return p;
  }
};

VITTE_DECL const void* program_eh_frame_hdr(std::uintptr_t pc) noexcept {
  const program_unwind& p = program_unwind::get();
  return p.eh_frame != 0 && pc >= p.lo && pc < p.hi ? p.hdr : nullptr;
}

VITTE_DECL void* needed_open(const char* soname) noexcept {
#if VITTE_HAS_DYNAMIC_LIBRARIES
  return dlopen(soname, RTLD_NOW | RTLD_LOCAL);
#else
  (void)soname;
  return nullptr;
#endif
}

/// The C and C++ runtime's libraries: the C library's own (glibc's and
/// musl's), ld.so, libgcc_s and libstdc++. Their symbols are the process's
/// (in a static host, those linked in); none is loaded as an image.
VITTE_DECL bool runtime_library(std::string_view soname) noexcept {
  constexpr std::string_view names[] = {"libc.so.",    "libm.so.",   "libpthread.so.", "libdl.so.",     "librt.so.",
                                        "libutil.so.", "libanl.so.", "libresolv.so.",  "libnsl.so.",    "ld-linux",
                                        "ld64.so.",    "ld.so.",     "libgcc_s.so.",   "libstdc++.so.", "libc.musl-"};
  for (std::string_view n : names)
    if (soname.substr(0, n.size()) == n) return true;
  return false;
}

VITTE_DECL bool process_provides(const char* soname, void** handle) noexcept {
  *handle = nullptr;
#if VITTE_HAS_DYNAMIC_LIBRARIES
  // Already loaded (by the program, or dlopen'ed locally): that copy, as
  // ld.so reuses a loaded object for a DT_NEEDED name.
  if ((*handle = dlopen(soname, RTLD_NOW | RTLD_NOLOAD)) != nullptr) return true;
  if (!runtime_library(soname)) return false;
  *handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);  // a runtime library the host has not loaded (libm)
  return true;
#else
  return runtime_library(soname);
#endif
}

VITTE_DECL bool file_identity(int fd, std::uint64_t* device, std::uint64_t* inode) noexcept {
  struct stat st{};
  if (::fstat(fd, &st) != 0) return false;
  *device = static_cast<std::uint64_t>(st.st_dev), *inode = static_cast<std::uint64_t>(st.st_ino);
  return true;
}

/// Appends the directories of ld.so.conf `path` (and of the files it
/// includes) to `out`; `depth` bounds the includes.
VITTE_DECL void read_ld_so_conf(const char* path, std::vector<std::string>& out, int depth) {
  if (depth > 8) return;
  auto f = sys::read_file(path);
  if (!f) return;
  std::string_view all(reinterpret_cast<const char*>(f->data()), f->size());
  while (!all.empty()) {
    std::size_t eol = all.find('\n');
    std::string_view line = all.substr(0, eol);
    all = eol == std::string_view::npos ? std::string_view{} : all.substr(eol + 1);
    line = line.substr(0, line.find('#'));
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.remove_suffix(1);
    if (line.empty()) continue;
    if (line.substr(0, 8) == "include " || line.substr(0, 8) == "include\t") {
      std::string pattern(line.substr(8));
      while (!pattern.empty() && (pattern.front() == ' ' || pattern.front() == '\t')) pattern.erase(0, 1);
      if (!pattern.empty() && pattern.front() != '/') pattern = "/etc/" + pattern;
      glob_t g{};
      if (glob(pattern.c_str(), 0, nullptr, &g) == 0)
        for (std::size_t i = 0; i < g.gl_pathc; ++i) read_ld_so_conf(g.gl_pathv[i], out, depth + 1);
      globfree(&g);
      continue;
    }
    if (line.front() == '/') out.emplace_back(line);
  }
}

VITTE_DECL void library_dirs(std::vector<std::string>& from_env, std::vector<std::string>& system) noexcept {
  if (const char* env = std::getenv("LD_LIBRARY_PATH"); env != nullptr && getauxval(AT_SECURE) == 0) {
    std::string_view rest(env);
    while (!rest.empty()) {
      std::size_t sep = rest.find_first_of(":;");
      if (std::string_view d = rest.substr(0, sep); !d.empty()) from_env.emplace_back(d);
      rest = sep == std::string_view::npos ? std::string_view{} : rest.substr(sep + 1);
    }
  }
  // Read once, as ld.so reads its cache once per process.
  static const std::vector<std::string> dirs = [] {
    std::vector<std::string> d;
    read_ld_so_conf("/etc/ld.so.conf", d, 0);
    for (const char* x : {"/lib", "/usr/lib", "/lib64", "/usr/lib64"}) d.emplace_back(x);
    return d;
  }();
  system.insert(system.end(), dirs.begin(), dirs.end());
}

VITTE_DECL void* needed_symbol(void* handle, const char* name, const char* version) noexcept {
#if VITTE_HAS_DYNAMIC_LIBRARIES
#ifdef __GLIBC__
  if (version != nullptr && *version != '\0')
    if (void* p = dlvsym(handle, name, version)) return p;
#else
  (void)version;
#endif
  return dlsym(handle, name);
#else
  (void)handle, (void)name, (void)version;
  return nullptr;
#endif
}

VITTE_DECL void needed_close(void* handle) noexcept {
#if VITTE_HAS_DYNAMIC_LIBRARIES
  if (handle != nullptr) dlclose(handle);
#else
  (void)handle;
#endif
}

VITTE_DECL bool static_process_in_dynamic_build() noexcept {
#if VITTE_HAS_DYNAMIC_LIBRARIES
  return getauxval(AT_BASE) == 0;  // no program interpreter: nothing answers dlsym
#else
  return false;
#endif
}

VITTE_DECL unsigned long cpu_hwcap(int which) noexcept { return getauxval(which == 2 ? AT_HWCAP2 : AT_HWCAP); }

VITTE_DECL char** process_environment() noexcept { return environ; }

// 32-bit Arm unwinds through .ARM.exidx tables, which libgcc asks of
// __gnu_Unwind_Find_exidx (impl/runtime.ipp answers for images): no registry.
VITTE_DECL void unwind_register(const void* eh_frame) noexcept {
#if !defined(__arm__)
  if (&__unw_add_dynamic_eh_frame_section != nullptr)
    return __unw_add_dynamic_eh_frame_section(reinterpret_cast<std::uintptr_t>(eh_frame));
  __register_frame(const_cast<void*>(eh_frame));
#else
  (void)eh_frame;
#endif
}
VITTE_DECL void unwind_deregister(const void* eh_frame) noexcept {
#if !defined(__arm__)
  if (&__unw_remove_dynamic_eh_frame_section != nullptr)
    return __unw_remove_dynamic_eh_frame_section(reinterpret_cast<std::uintptr_t>(eh_frame));
  __deregister_frame(const_cast<void*>(eh_frame));
#else
  (void)eh_frame;
#endif
}

VITTE_DECL std::uintptr_t process_unwind_table(std::uintptr_t pc, int* count) noexcept {
  *count = 0;
#if defined(__arm__)
#if VITTE_HAS_DYNAMIC_LIBRARIES
  // The C library's own (found once, past the host's, which is the caller).
  using find_fn = std::uintptr_t (*)(std::uintptr_t, int*);
  static std::atomic<find_fn> next{nullptr};
  find_fn f = next.load(std::memory_order_acquire);
  if (f == nullptr) {
    f = reinterpret_cast<find_fn>(dlsym(RTLD_NEXT, "__gnu_Unwind_Find_exidx"));
    next.store(f, std::memory_order_release);
  }
  if (f != nullptr) return f(pc, count);
#endif
  struct search {
    std::uintptr_t pc, table;
    int count;
  } s{pc, 0, 0};
  dl_iterate_phdr(
      [](dl_phdr_info* info, std::size_t, void* data) -> int {
        auto* q = static_cast<search*>(data);
        const ElfW(Phdr)* exidx = nullptr;
        bool inside = false;
        for (ElfW(Half) i = 0; i < info->dlpi_phnum; ++i) {
          const ElfW(Phdr)& ph = info->dlpi_phdr[i];
          std::uintptr_t start = info->dlpi_addr + ph.p_vaddr;
          if (ph.p_type == PT_LOAD && q->pc >= start && q->pc - start < ph.p_memsz) inside = true;
          if (ph.p_type == PT_ARM_EXIDX) exidx = &ph;
        }
        if (!inside) return 0;
        if (exidx != nullptr)
          q->table = info->dlpi_addr + exidx->p_vaddr, q->count = static_cast<int>(exidx->p_memsz / 8);
        return 1;
      },
      &s);
  *count = s.count;
  return s.table;
#else
  (void)pc;
  return 0;
#endif
}

VITTE_DECL status map_file_pages(void* at, std::size_t size, int fd, std::uint64_t offset, bool writable,
                                 bool executable) noexcept {
  const int prot = PROT_READ | (writable ? PROT_WRITE : executable ? PROT_EXEC : 0);
  void* p = ::mmap(at, size, prot, MAP_PRIVATE | MAP_FIXED, fd, static_cast<off_t>(offset));
  if (p == MAP_FAILED) return sys::detail::errno_error(ops::module_load);
  return {};
}

VITTE_DECL const char* process_cannot_supply(const char* name, const char* version) noexcept {
#if VITTE_HAS_DYNAMIC_LIBRARIES
  (void)name;
  (void)version;
  return nullptr;
#else
  std::string_view n(name != nullptr ? name : "");
  if (version != nullptr && std::string_view(version) == "GLIBC_PRIVATE")
    return "glibc's private interface between its own libraries (GLIBC_PRIVATE): a static host has neither ld.so "
           "nor libc.so.6";
  if (n.starts_with("_dl_") || n.starts_with("_rtld_") || n == "_r_debug")
    return "an ld.so internal: a static host has no dynamic linker";
#if VITTE_IMAGE_GLIBC_COMPAT
  if (const char* why = glibc_compat::refusal(n)) return why;
#endif
#if !defined(__GLIBCXX__)
  if (version != nullptr && std::string_view(version).starts_with("GLIBCXX_"))
    return "libstdc++'s (GLIBCXX_): this host's C++ library is another (libc++), whose classes have other layouts";
#endif
  if (vitte_static_surface_absent != nullptr)
    for (const vitte_static_surface_refusal* r = vitte_static_surface_absent; r->name != nullptr; ++r)
      if (n == r->name) return r->reason;
  return nullptr;
#endif
}

}  // namespace vitte::loader::elf_image::detail

#else  // not an ELF host: load() refuses before it asks any of these

namespace vitte::loader::elf_image::detail {
VITTE_DECL void* process_symbol(const char*, const char*) noexcept { return nullptr; }
VITTE_DECL bool process_tls_location(const void*, std::uintptr_t*, std::uintptr_t*) noexcept { return false; }
VITTE_DECL void* process_tls_get_addr() noexcept { return nullptr; }
VITTE_DECL const void* program_eh_frame_hdr(std::uintptr_t) noexcept { return nullptr; }
VITTE_DECL void* needed_open(const char*) noexcept { return nullptr; }
VITTE_DECL void* needed_symbol(void*, const char*, const char*) noexcept { return nullptr; }
VITTE_DECL void needed_close(void*) noexcept {}
VITTE_DECL bool process_provides(const char*, void** handle) noexcept {
  *handle = nullptr;
  return false;
}
VITTE_DECL void library_dirs(std::vector<std::string>&, std::vector<std::string>&) noexcept {}
VITTE_DECL bool file_identity(int, std::uint64_t*, std::uint64_t*) noexcept { return false; }
VITTE_DECL bool static_process_in_dynamic_build() noexcept { return false; }
VITTE_DECL unsigned long cpu_hwcap(int) noexcept { return 0; }
VITTE_DECL char** process_environment() noexcept { return nullptr; }
VITTE_DECL void unwind_register(const void*) noexcept {}
VITTE_DECL void unwind_deregister(const void*) noexcept {}
VITTE_DECL std::uintptr_t process_unwind_table(std::uintptr_t, int* count) noexcept {
  *count = 0;
  return 0;
}
VITTE_DECL status map_file_pages(void*, std::size_t, int, std::uint64_t, bool, bool) noexcept {
  return error{errc::not_supported, ops::module_load};
}
VITTE_DECL const char* process_cannot_supply(const char*, const char*) noexcept { return nullptr; }
}  // namespace vitte::loader::elf_image::detail

#endif

#endif  // VITTE_LOADER_ELF_IMAGE_DETAIL_IMAGE_OS_IPP
