// Dynamic libraries of posix_platform: dlopen, dlsym, dlclose. Reached
// through the switch vitte/sys/detail/dynlib.ipp.
//
// The text of a failure: dlerror() describes the last failure of the
// calling thread on glibc, musl, Darwin and the BSDs, so it is read right
// after the failing call and copied into the caller's vitte::diagnostic
// (text held in the object: nothing is allocated). Where the C library might keep
// one text for the whole process (VITTE_DLERROR_PER_THREAD 0), every call
// and its dlerror() run under one library-wide lock.
#ifndef VITTE_SYS_DETAIL_POSIX_DYNLIB_IPP
#define VITTE_SYS_DETAIL_POSIX_DYNLIB_IPP

#include <vitte/sys/policy/posix.hpp>

#if !VITTE_OS_POSIX
#error "vitte: detail/posix/dynlib.ipp is for POSIX targets"
#endif

#include <string.h>  // strstr
#if VITTE_HAS_DYNAMIC_LIBRARIES
#include <dlfcn.h>
#if VITTE_OS_LINUX
#include <sys/auxv.h>  // getauxval(AT_BASE): is there a program interpreter
#endif
#endif

// dlvsym (a symbol at one version): glibc's and FreeBSD's; musl, Darwin
// and the other BSDs have none.
#ifndef VITTE_HAS_DLVSYM
#if defined(__GLIBC__) || defined(__FreeBSD__)
#define VITTE_HAS_DLVSYM 1
#else
#define VITTE_HAS_DLVSYM 0
#endif
#endif

#ifndef VITTE_DLERROR_PER_THREAD
#if defined(__GLIBC__) || VITTE_OS_LINUX || VITTE_OS_DARWIN || VITTE_OS_BSD
#define VITTE_DLERROR_PER_THREAD 1
#else
#define VITTE_DLERROR_PER_THREAD 0
#endif
#endif

// ThreadSanitizer does not see dlclose() unmap a library. When another
// library is later mapped at the same addresses, the accesses made to the
// first (a plugin's import slots, its metadata) look like races with those
// to the second (its constructors, a hash of its metadata). The dynamic
// loader serialises dlopen() and dlclose() with its own lock, which TSan
// cannot see, so TSan builds take a lock of ours around both as well
// (recursive: a constructor may load a library). Other builds pay nothing.
#if defined(__SANITIZE_THREAD__)
#define VITTE_DYNLIB_TSAN_ORDER 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define VITTE_DYNLIB_TSAN_ORDER 1
#endif
#endif
#ifndef VITTE_DYNLIB_TSAN_ORDER
#define VITTE_DYNLIB_TSAN_ORDER 0
#endif
#if VITTE_HAS_DYNAMIC_LIBRARIES && (!VITTE_DLERROR_PER_THREAD || VITTE_DYNLIB_TSAN_ORDER)
#include <pthread.h>
#endif

namespace vitte::sys::detail::posix_dynlib {

#if VITTE_HAS_DYNAMIC_LIBRARIES && !VITTE_DLERROR_PER_THREAD
inline pthread_mutex_t dl_lock = PTHREAD_MUTEX_INITIALIZER;
struct guard {
  guard() noexcept { ::pthread_mutex_lock(&dl_lock); }
  ~guard() { ::pthread_mutex_unlock(&dl_lock); }
};
#else
struct guard {};
#endif

#if VITTE_HAS_DYNAMIC_LIBRARIES && VITTE_DYNLIB_TSAN_ORDER
inline pthread_mutex_t map_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
struct map_guard {
  map_guard() noexcept { ::pthread_mutex_lock(&map_lock); }
  ~map_guard() { ::pthread_mutex_unlock(&map_lock); }
};
#else
struct map_guard {};
#endif

// The diagnostic of a failed call about `subject` (a path, a symbol; may be
// null): `kind`, and dlerror's `text` without the "<subject>: " it often
// starts with (the subject is the diagnostic's own).
inline void describe(vitte::diagnostic* why, errc kind, const char* subject, const char* text) noexcept {
  if (why == nullptr) return;
  why->clear();
  why->of(kind);
  if (text == nullptr) text = "unknown error";
  text_view message(text);
  if (subject != nullptr) {
    const text_view s(subject);
    why->about(s);
    if (message.size() > s.size() + 2 && message.starts_with(s) && message.substr(s.size(), 2) == ": ")
      message = message.substr(s.size() + 2);
  }
  why->say(message);
}

// dlerror() has no code: the kind comes from its text.
inline errc classify(const char* text) noexcept {
  if (text == nullptr) return errc::unknown;
  if (::strstr(text, "No such file") != nullptr || ::strstr(text, "not found") != nullptr ||
      ::strstr(text, "undefined symbol") != nullptr || ::strstr(text, "image not found") != nullptr)
    return errc::not_found;
  if (::strstr(text, "Permission denied") != nullptr) return errc::permission_denied;
  if (::strstr(text, "ELF") != nullptr || ::strstr(text, "too short") != nullptr ||
      ::strstr(text, "not a mach-o") != nullptr || ::strstr(text, "wrong architecture") != nullptr)
    return errc::exec_format;
  if (::strstr(text, "Is a directory") != nullptr) return errc::is_a_directory;
  return errc::unknown;
}

}  // namespace vitte::sys::detail::posix_dynlib

namespace vitte::sys {

#if VITTE_HAS_DYNAMIC_LIBRARIES

VITTE_DECL result<native_handle> os_platform_base::library_open(const char* path, library_flags flags,
                                                                vitte::diagnostic* why) noexcept {
  namespace d = detail::posix_dynlib;
  int mode = has(flags, library_flags::lazy) ? RTLD_LAZY : RTLD_NOW;
  mode |= has(flags, library_flags::global) ? RTLD_GLOBAL : RTLD_LOCAL;
#if defined(RTLD_NODELETE)
  if (has(flags, library_flags::no_delete)) mode |= RTLD_NODELETE;
#endif
#if defined(RTLD_NOLOAD)
  if (has(flags, library_flags::no_load)) mode |= RTLD_NOLOAD;
#endif
#if VITTE_OS_LINUX
  // Linked with -static in a build made for dynamic linking: no program
  // interpreter, and static dlopen crashes C++ libraries. Refused, saying why.
  if (::getauxval(AT_BASE) == 0) {
    d::describe(why, errc::not_supported, path,
                "this program is linked statically but vitte was built for dynamic linking: define "
                "VITTE_HAS_DYNAMIC_LIBRARIES=0 (Meson: -Dstatic=true)");
    return error{errc::not_supported, ops::library_open};
  }
#endif
  [[maybe_unused]] d::map_guard m;
  [[maybe_unused]] d::guard g;
  void* h = ::dlopen(path, mode);
  if (h != nullptr) return reinterpret_cast<native_handle>(h);
  const char* text = ::dlerror();
  const errc kind = d::classify(text);
  d::describe(why, kind, path, text);
  return error{kind, ops::library_open};
}

VITTE_DECL result<void*> os_platform_base::library_symbol(native_handle h, const char* name,
                                                          vitte::diagnostic* why) noexcept {
  namespace d = detail::posix_dynlib;
  [[maybe_unused]] d::guard g;
  void* p = ::dlsym(reinterpret_cast<void*>(h), name);
  if (p != nullptr) return p;
  // A symbol whose value is null reads as missing (no caller can use it).
  const char* text = ::dlerror();
  d::describe(why, errc::not_found, name, text != nullptr ? text : "symbol has a null address");
  return error{errc::not_found, ops::library_symbol};
}

VITTE_DECL result<void*> os_platform_base::library_symbol_version(native_handle h, const char* name,
                                                                  const char* version,
                                                                  vitte::diagnostic* why) noexcept {
  namespace d = detail::posix_dynlib;
#if VITTE_HAS_DLVSYM
  [[maybe_unused]] d::guard g;
  void* p = ::dlvsym(reinterpret_cast<void*>(h), name, version);
  if (p != nullptr) return p;
  const char* text = ::dlerror();
  d::describe(why, errc::not_found, name, text != nullptr ? text : "symbol has a null address");
  return error{errc::not_found, ops::library_symbol};
#else
  (void)h, (void)version;
  d::describe(why, errc::not_supported, name, "this C library has no dlvsym: a symbol's version cannot be chosen");
  return error{errc::not_supported, ops::library_symbol};
#endif
}

VITTE_DECL error os_platform_base::library_close(native_handle h, vitte::diagnostic* why) noexcept {
  namespace d = detail::posix_dynlib;
  [[maybe_unused]] d::map_guard m;
  [[maybe_unused]] d::guard g;
  if (::dlclose(reinterpret_cast<void*>(h)) == 0) return {};
  d::describe(why, errc::unknown, nullptr, ::dlerror());
  return error{errc::unknown, ops::library_close};
}

#else  // static builds: no dynamic loader to call

VITTE_DECL result<native_handle> os_platform_base::library_open(const char* path, library_flags,
                                                                vitte::diagnostic* why) noexcept {
  detail::posix_dynlib::describe(why, errc::not_supported, path,
                                 "dynamic libraries are not available in this build (static)");
  return error{errc::not_supported, ops::library_open};
}
VITTE_DECL result<void*> os_platform_base::library_symbol(native_handle, const char* name,
                                                          vitte::diagnostic* why) noexcept {
  detail::posix_dynlib::describe(why, errc::not_supported, name,
                                 "dynamic libraries are not available in this build (static)");
  return error{errc::not_supported, ops::library_symbol};
}
VITTE_DECL result<void*> os_platform_base::library_symbol_version(native_handle h, const char* name, const char*,
                                                                  vitte::diagnostic* why) noexcept {
  return library_symbol(h, name, why);
}
VITTE_DECL error os_platform_base::library_close(native_handle, vitte::diagnostic*) noexcept {
  return error{errc::not_supported, ops::library_close};
}

#endif

// Nothing to do: a pinned handle is never closed, so the library stays.
VITTE_DECL error os_platform_base::library_pin(native_handle) noexcept { return {}; }

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_POSIX_DYNLIB_IPP
