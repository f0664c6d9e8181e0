// Paths for the Windows file backends (files, directories, the watcher):
// UTF-8 names from the caller to UTF-16 paths for the OS (joined to the
// directory they are relative to, \\?\-prefixed when long), and names read
// back to UTF-8. The UTF-8/16 rule is win32/utf.hpp's: a name that is not
// valid UTF-8 is refused with errc::invalid_argument. Internal: reached from
// .ipp files.
#ifndef VITTE_SYS_DETAIL_WIN32_FS_PATH_HPP
#define VITTE_SYS_DETAIL_WIN32_FS_PATH_HPP

#include <vitte/base/detail/win32/windows.hpp>
#include <vitte/sys/detail/win32/last_error.hpp>
#include <vitte/sys/detail/win32/utf.hpp>
#include <vitte/sys/policy/win32.hpp>

#include <cstddef>
#include <cstdlib>  // malloc, free
#include <cstring>  // memcpy, strlen
#include <cwchar>   // wcslen

namespace vitte::sys::detail::win32_fs {

using detail::last_error;  // brought in by the `using namespace` of the platform functions

constexpr std::size_t long_path_threshold = 248;  // CreateDirectoryW's limit: MAX_PATH less an 8.3 name
constexpr DWORD share_all = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;

// A directory handle as vitte hands it out: the HANDLE, and the directory's
// full path (UTF-16, NUL-terminated) for the calls relative to it.
struct dir_object {
  HANDLE h;
  std::size_t length;
  wchar_t path[1];
};

inline const dir_object* as_dir(native_handle dir) noexcept {
  return dir == cwd_handle ? nullptr : reinterpret_cast<const dir_object*>(dir);
}

// A path for the OS: UTF-16, NUL-terminated, relative names joined to the
// directory they are relative to, long ones absolute with the \\?\ prefix.
// On the stack up to MAX_PATH characters, on the heap beyond.
class wide_path {
 public:
  wide_path() noexcept = default;
  wide_path(const wide_path&) = delete;
  wide_path& operator=(const wide_path&) = delete;
  ~wide_path() {
    if (data_ != inline_) std::free(data_);
  }

  const wchar_t* c_str() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }

  // `utf8` relative to `dir` (a dir_object or cwd_handle).
  error assign(native_handle dir, const char* utf8, operation op) noexcept {
    std::size_t bytes = std::strlen(utf8);
    std::ptrdiff_t n = win32_utf::utf16_length(utf8, bytes);
    if (n < 0) return error{errc::invalid_argument, op};
    const dir_object* base = as_dir(dir);
    std::size_t name_length = static_cast<std::size_t>(n);
    bool join = base != nullptr && !is_absolute(utf8);
    std::size_t prefix = join ? base->length + 1 : 0;
    if (!reserve(prefix + name_length + 1)) return error{errc::no_memory, op};
    if (join) {
      std::memcpy(data_, base->path, base->length * sizeof(wchar_t));
      data_[base->length] = L'\\';
    }
    win32_utf::to_utf16(utf8, bytes, data_ + prefix, name_length);
    size_ = prefix + name_length;
    data_[size_] = L'\0';
    for (std::size_t i = prefix; i < size_; ++i)
      if (data_[i] == L'/') data_[i] = L'\\';
    if (size_ < long_path_threshold || has_verbatim_prefix()) return {};
    return make_verbatim(op);
  }

  // `utf8` as it is (a link's target): UTF-16, separators as Windows writes them.
  error assign_text(const char* utf8, operation op) noexcept {
    std::size_t bytes = std::strlen(utf8);
    std::ptrdiff_t n = win32_utf::utf16_length(utf8, bytes);
    if (n < 0) return error{errc::invalid_argument, op};
    if (!reserve(static_cast<std::size_t>(n) + 1)) return error{errc::no_memory, op};
    win32_utf::to_utf16(utf8, bytes, data_, static_cast<std::size_t>(n));
    size_ = static_cast<std::size_t>(n);
    data_[size_] = L'\0';
    for (std::size_t i = 0; i < size_; ++i)
      if (data_[i] == L'/') data_[i] = L'\\';
    return {};
  }

  // The absolute form of the path (GetFullPathNameW), \\?\-prefixed when long.
  error make_absolute(operation op) noexcept {
    if (has_verbatim_prefix()) return {};
    return full_path(op, size_ >= long_path_threshold);
  }

 private:
  static bool is_absolute(const char* p) noexcept {
    bool rooted = p[0] == '\\' || p[0] == '/';
    bool drive = p[0] != '\0' && p[1] == ':';
    return rooted || drive;
  }
  bool has_verbatim_prefix() const noexcept {
    return size_ >= 4 && data_[0] == L'\\' && data_[1] == L'\\' && data_[2] == L'?' && data_[3] == L'\\';
  }
  bool reserve(std::size_t n) noexcept {
    if (n <= capacity_) return true;
    void* mem = std::malloc(n * sizeof(wchar_t));
    if (mem == nullptr) return false;
    if (size_ != 0) std::memcpy(mem, data_, (size_ + 1) * sizeof(wchar_t));
    if (data_ != inline_) std::free(data_);
    data_ = static_cast<wchar_t*>(mem);
    capacity_ = n;
    return true;
  }
  error make_verbatim(operation op) noexcept { return full_path(op, true); }

  // Replaces the path by GetFullPathNameW's result, prefixed with \\?\ (or
  // \\?\UNC\ for \\server\share) when `verbatim`.
  error full_path(operation op, bool verbatim) noexcept {
    DWORD need = ::GetFullPathNameW(data_, 0, nullptr, nullptr);
    if (need == 0) return last_error(op);
    std::size_t room = need + 8;
    wchar_t* full = static_cast<wchar_t*>(std::malloc(room * sizeof(wchar_t)));
    if (full == nullptr) return error{errc::no_memory, op};
    DWORD got = ::GetFullPathNameW(data_, need, full + 8, nullptr);
    if (got == 0 || got >= need) {
      std::free(full);
      return last_error(op);
    }
    const wchar_t* src = full + 8;
    std::size_t len = got;
    const wchar_t* prefix = L"";
    if (verbatim && src[0] == L'\\' && src[1] == L'\\') {
      prefix = L"\\\\?\\UNC";  // \\server\share -> \\?\UNC\server\share
      ++src;
      --len;
    } else if (verbatim) {
      prefix = L"\\\\?\\";
    }
    std::size_t plen = std::wcslen(prefix);
    if (!reserve(plen + len + 1)) {
      std::free(full);
      return error{errc::no_memory, op};
    }
    std::memcpy(data_, prefix, plen * sizeof(wchar_t));
    std::memcpy(data_ + plen, src, (len + 1) * sizeof(wchar_t));
    size_ = plen + len;
    std::free(full);
    return {};
  }

  wchar_t inline_[MAX_PATH + 1];
  wchar_t* data_ = inline_;
  std::size_t size_ = 0;
  std::size_t capacity_ = MAX_PATH + 1;
};

// UTF-16 to UTF-8 into buf when it fits (NUL-terminated); returns the UTF-8
// length either way. Unpaired surrogates become U+FFFD (win32/utf.hpp).
inline result<std::size_t> to_utf8(const wchar_t* w, std::size_t len, char* buf, std::size_t n, operation op) noexcept {
  if (len == 0) {
    if (n > 0) buf[0] = '\0';
    return std::size_t{0};
  }
  std::size_t size = win32_utf::utf8_length(w, len);
  if (size == 0) return last_error(op);
  if (size >= n) return size;
  win32_utf::to_utf8(w, len, buf, size);
  buf[size] = '\0';
  return size;
}

}  // namespace vitte::sys::detail::win32_fs

#endif  // VITTE_SYS_DETAIL_WIN32_FS_PATH_HPP
