// vitte/sys/path.hpp - paths as UTF-8 strings: arguments and pure helpers.
//
// vitte takes and returns paths as UTF-8 text on every platform. Functions
// take a `const path_arg&`, built implicitly from a string literal, a
// `const char*`, a std::string or a string view; the OS gets a
// NUL-terminated copy only when the argument is a view that lacks the NUL
// (on the stack up to 255 bytes). On Windows the backend converts to UTF-16
// and, for paths of 248 characters and more, to the \\?\ long-path form, so
// long paths work without the caller's help.
//
//   vitte::text p = vitte::sys::path_join("logs", "today.txt");   // "logs/today.txt"
//   std::string_view dir = vitte::sys::parent_path(p);         // "logs"
//   std::string_view name = vitte::sys::file_name(p);          // "today.txt"
//   auto f = vitte::sys::file::open(p, vitte::sys::open_mode::read);
//
// The helpers below work on text only: they touch no file system. Both '/'
// and, on Windows, '\' separate components.
#ifndef VITTE_SYS_PATH_HPP
#define VITTE_SYS_PATH_HPP

#include <vitte/base.hpp>
#include <vitte/base/text.hpp>       // path_join
#include <vitte/base/text_view.hpp>  // views of paths
#include <vitte/sys/operations.hpp>

#include <cstddef>  // std::size_t
#include <cstdlib>  // std::malloc, std::free
#include <cstring>  // std::memcpy, std::strlen, std::memchr

namespace vitte::sys {

/// The separator vitte writes: '\' on Windows, '/' elsewhere.
inline constexpr char preferred_separator = VITTE_OS_WINDOWS ? '\\' : '/';

/// True for a character that separates path components ('/', and '\' on Windows).
constexpr bool is_separator(char c) noexcept { return c == '/' || (VITTE_OS_WINDOWS && c == '\\'); }

/// The last component of `path`: "c" for "a/b/c", "" for "a/b/".
constexpr text_view file_name(text_view path) noexcept {
  std::size_t i = path.size();
  while (i > 0 && !is_separator(path[i - 1])) --i;
  return path.substr(i);
}

/// `path` without its last component and the separators before it: "a/b"
/// for "a/b/c", "/" for "/c", "" for "c".
constexpr text_view parent_path(text_view path) noexcept {
  std::size_t i = path.size();
  while (i > 0 && !is_separator(path[i - 1])) --i;  // drop the name
  std::size_t keep = i;
  while (keep > 1 && is_separator(path[keep - 1])) --keep;  // and the separators, but keep a root
  return path.substr(0, keep);
}

/// `a` and `b` joined by one separator; `b` alone when it is absolute or `a`
/// is empty. Allocates.
inline text path_join(text_view a, text_view b) {
  bool b_absolute = !b.empty() && is_separator(b.front());
  if (a.empty() || b_absolute) return text(b);
  text out;
  out.reserve(a.size() + 1 + b.size());
  out.append(a);
  if (!is_separator(a.back())) out.push_back(preferred_separator);
  out.append(b);
  return out;
}

/// A path passed to vitte: UTF-8, NUL-terminated for the OS. Implicit from
/// const char*, vitte::text, std::string and views (text_view, std::string_view); a view is copied (inline
/// up to 255 bytes, on the heap beyond). A path with a NUL byte inside is
/// refused with errc::invalid_argument by the call it is passed to.
/// Thread safety: a temporary; not copyable or movable.
class path_arg {
 public:
  /// A NUL-terminated string, used in place.
  path_arg(const char* s) noexcept : ptr_(s), len_(std::strlen(s)), given_(s, len_) {}
  /// A NUL-terminated string object with c_str() and size() (vitte::text,
  /// std::string), used in place.
  template <vitte::detail::c_string_object S>
  path_arg(const S& s) noexcept : ptr_(s.c_str()), len_(s.size()), given_(ptr_, len_) {
    if (std::memchr(ptr_, '\0', len_) != nullptr) state_ = errc::invalid_argument;
  }
  /// A view, copied with a NUL appended.
  path_arg(text_view s) noexcept : len_(s.size()), given_(s) {
    if (std::memchr(s.data(), '\0', s.size()) != nullptr) {
      state_ = errc::invalid_argument;
      return;
    }
    char* dst = inline_;
    if (s.size() >= sizeof inline_) {
      heap_ = static_cast<char*>(std::malloc(s.size() + 1));
      if (heap_ == nullptr) {
        state_ = errc::no_memory;
        return;
      }
      dst = heap_;
    }
    if (!s.empty()) std::memcpy(dst, s.data(), s.size());
    dst[s.size()] = '\0';
    ptr_ = dst;
  }
  /// Any other contiguous char range (std::string_view, std::vector<char>),
  /// copied as a view.
  template <vitte::detail::char_range S>
    requires(!vitte::detail::c_string_object<S> && !std::is_same_v<S, text_view>)
  path_arg(const S& s) noexcept : path_arg(text_view(s)) {}
  path_arg(const path_arg&) = delete;
  path_arg& operator=(const path_arg&) = delete;
  ~path_arg() { std::free(heap_); }

  /// The NUL-terminated path; "" when check() reports an error.
  const char* c_str() const noexcept { return ptr_; }
  /// The path without the NUL.
  text_view view() const noexcept { return {ptr_, state_ == errc::ok ? len_ : 0}; }
  /// The path as the caller gave it, a NUL byte included: what a diagnostic
  /// names (it prints the NUL as \x00), valid while the call runs.
  text_view given() const noexcept { return given_; }
  /// Success, or why the path cannot reach the OS (invalid_argument for a
  /// NUL inside, no_memory), as an error of `op`.
  error check(operation op) const noexcept { return state_ == errc::ok ? error{} : error{state_, op}; }

 private:
  const char* ptr_ = "";
  std::size_t len_ = 0;
  char* heap_ = nullptr;
  text_view given_;
  errc state_ = errc::ok;
  char inline_[256];
};

}  // namespace vitte::sys

#endif  // VITTE_SYS_PATH_HPP
