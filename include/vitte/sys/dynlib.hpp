// vitte/sys/dynlib.hpp - shared libraries: open, look up symbols, close.
//
//   namespace sys = vitte::sys;
//   vitte::diagnostic why;
//   auto lib = sys::library::open(sys::library_file_name("plugin"), sys::library_flags::now, &why);
//   if (!lib) { std::fprintf(stderr, "%s\n", why.format().c_str()); return; }   // about the path
//   auto add = lib->sym<int(int, int)>("plugin_add", &why);             // int (*)(int, int)
//   if (add) std::printf("%d\n", (*add)(2, 3));
//   lib->close(&why).value();   // dlclose errors are reported, not dropped
//
// Opening binds every symbol now and keeps the library's symbols local
// (RTLD_NOW | RTLD_LOCAL) unless flags say otherwise. On Windows a path
// with a directory is made absolute and loaded with
// LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR | LOAD_LIBRARY_SEARCH_DEFAULT_DIRS, a bare
// name from the default directories: never from the current directory.
//
// Error texts: each call that fails can fill a vitte::diagnostic of the
// caller's (no allocation on the error path): the error's kind, the path or
// symbol the call was about as its subject, and the text of *that* call
// (dlerror's, FormatMessage's) as its message. dlerror() is
// per thread on glibc, musl, Darwin and the BSDs, and read at once after
// the failing call; elsewhere every loader call runs under one lock with
// its dlerror(). The vitte::error (library_open, library_symbol,
// library_close) carries the kind: not_found, exec_format,
// permission_denied, and not_supported in builds without dynamic loading
// (static binaries: VITTE_HAS_DYNAMIC_LIBRARIES 0).
//
// Thread safety: a library object is a value; lookups on one library may
// run concurrently.
#ifndef VITTE_SYS_DYNLIB_HPP
#define VITTE_SYS_DYNLIB_HPP

#include <vitte/base.hpp>
#include <vitte/base/text.hpp>  // library_file_name
#include <vitte/base/text_view.hpp>
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/operations.hpp>
#include <vitte/sys/platform.hpp>
#include <vitte/sys/process_types.hpp>  // library_flags

#include <cstdint>      // std::uintptr_t
#include <type_traits>  // std::is_function_v

namespace vitte::sys {

/// The platform's file name for library `name`: "libname.so" (Linux, BSD),
/// "libname.dylib" (Darwin), "name.dll" (Windows).
inline text library_file_name(text_view name) {
  text out = VITTE_OS_WINDOWS ? "" : "lib";
  out.append(name);
  out.append(VITTE_OS_WINDOWS ? ".dll" : VITTE_OS_DARWIN ? ".dylib" : ".so");
  return out;
}

/// True when this build can load libraries at all (false in static and
/// freestanding builds, where open() reports errc::not_supported).
inline constexpr bool dynamic_libraries_available = VITTE_HAS_DYNAMIC_LIBRARIES;

/// An open shared library. Move-only; closes the library when destroyed
/// (ignoring errors: call close() to see them) unless pinned.
template <class P>
class basic_library {
  VITTE_REQUIRE_CAPABILITY(P, dynamic_library);

 public:
  using policy = P;
  constexpr basic_library() noexcept = default;
  basic_library(basic_library&& o) noexcept : h_(o.h_) { o.h_ = invalid_handle; }
  basic_library& operator=(basic_library&& o) noexcept {
    if (this != &o) {
      reset();
      h_ = o.h_;
      o.h_ = invalid_handle;
    }
    return *this;
  }
  basic_library(const basic_library&) = delete;
  basic_library& operator=(const basic_library&) = delete;
  ~basic_library() { reset(); }

  /// Opens the library at `path` (a path, or a bare name the loader
  /// searches for). On failure, `why` (when given) receives the kind and
  /// the loader's text, about the path. Errors (library_open): not_found,
  /// exec_format, permission_denied, not_supported (static builds), unknown.
  static result<basic_library> open(const char* path, library_flags flags = library_flags::now,
                                    vitte::diagnostic* why = nullptr) noexcept {
    if (path == nullptr) return error{errc::invalid_argument, ops::library_open};
    result<native_handle> h = P::library_open(path, flags, why);
    if (!h) return h.error();
    return basic_library(*h);
  }
  /// open() with a vitte::text or std::string path.
  template <vitte::detail::c_string_object S>
  static result<basic_library> open(const S& path, library_flags flags = library_flags::now,
                                    vitte::diagnostic* why = nullptr) noexcept {
    return open(path.c_str(), flags, why);
  }
  /// The running program itself (its exported symbols, and those of the
  /// libraries loaded with it). Errors (library_open): not_supported in
  /// static builds.
  static result<basic_library> open_self(vitte::diagnostic* why = nullptr) noexcept {
    result<native_handle> h = P::library_open(nullptr, library_flags::now, why);
    if (!h) return h.error();
    return basic_library(*h);
  }

  /// The address of symbol `name`. Errors (library_symbol): not_found (the
  /// text, about the symbol, goes to `why`), bad_descriptor when closed.
  result<void*> symbol(const char* name, vitte::diagnostic* why = nullptr) const noexcept {
    if (h_ == invalid_handle) return error{errc::bad_descriptor, ops::library_symbol};
    return P::library_symbol(h_, name, why);
  }
  /// The address of symbol `name` at version `version` ("GLIBC_2.2.5":
  /// that definition, default or not, as dlvsym finds it). Errors
  /// (library_symbol): as symbol(); not_supported where the C library has
  /// no dlvsym (musl, Darwin, Windows).
  result<void*> versioned_symbol(const char* name, const char* version,
                                 vitte::diagnostic* why = nullptr) const noexcept {
    if (h_ == invalid_handle) return error{errc::bad_descriptor, ops::library_symbol};
    return P::library_symbol_version(h_, name, version, why);
  }
  /// The symbol as a pointer to `T`: a function type gives a function
  /// pointer (`sym<int(int)>("f")` is `int (*)(int)`), an object type a
  /// pointer to the object. The type is the caller's promise.
  template <class T>
  result<std::add_pointer_t<T>> sym(const char* name, vitte::diagnostic* why = nullptr) const noexcept {
    result<void*> p = symbol(name, why);
    if (!p) return p.error();
    if constexpr (std::is_function_v<T>)
      return reinterpret_cast<std::add_pointer_t<T>>(reinterpret_cast<std::uintptr_t>(*p));
    else
      return static_cast<std::add_pointer_t<T>>(*p);
  }

  /// Closes the library (dlclose, FreeLibrary) and reports what the loader
  /// says; the object is closed either way. Errors (library_close).
  status close(vitte::diagnostic* why = nullptr) noexcept {
    if (h_ == invalid_handle) return {};
    native_handle h = h_;
    h_ = invalid_handle;
    return P::library_close(h, why);
  }
  /// Keeps the library loaded for the rest of the process: the object
  /// forgets the handle, which is never closed (Windows: also
  /// GET_MODULE_HANDLE_EX_FLAG_PIN, so no FreeLibrary elsewhere unloads it).
  status pin() noexcept {
    if (h_ == invalid_handle) return error{errc::bad_descriptor, ops::library_open};
    native_handle h = h_;
    h_ = invalid_handle;
    return P::library_pin(h);
  }

  /// The loader's handle (void* from dlopen, HMODULE), as an integer.
  native_handle native() const noexcept { return h_; }
  bool is_open() const noexcept { return h_ != invalid_handle; }
  explicit operator bool() const noexcept { return is_open(); }

 private:
  explicit basic_library(native_handle h) noexcept : h_(h) {}
  void reset() noexcept {
    if (h_ != invalid_handle) (void)P::library_close(h_, nullptr);
    h_ = invalid_handle;
  }
  native_handle h_ = invalid_handle;
};

/// Libraries of the default platform.
using library = basic_library<platform>;

}  // namespace vitte::sys

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/dynlib.ipp>
#endif

#endif  // VITTE_SYS_DYNLIB_HPP
