// detail::owned_handle: the move-only ownership of a native handle shared by
// basic_file and basic_directory.
#ifndef VITTE_SYS_DETAIL_OWNED_HANDLE_HPP
#define VITTE_SYS_DETAIL_OWNED_HANDLE_HPP

#include <vitte/sys/fs_types.hpp>

namespace vitte::sys::detail {

// Owns a handle and gives it to Close::close(h) when destroyed or replaced.
template <class Close>
class owned_handle {
 public:
  constexpr owned_handle() noexcept = default;
  constexpr explicit owned_handle(native_handle h) noexcept : h_(h) {}
  owned_handle(owned_handle&& other) noexcept : h_(other.release()) {}
  owned_handle& operator=(owned_handle&& other) noexcept {
    if (this != &other) {
      reset();
      h_ = other.release();
    }
    return *this;
  }
  owned_handle(const owned_handle&) = delete;
  owned_handle& operator=(const owned_handle&) = delete;
  ~owned_handle() { reset(); }

  /// The handle; invalid_handle when none is held.
  native_handle native() const noexcept { return h_; }
  /// True when a handle is held.
  bool is_open() const noexcept { return h_ != invalid_handle; }
  explicit operator bool() const noexcept { return is_open(); }
  /// Gives up the handle without closing it.
  native_handle release() noexcept {
    native_handle h = h_;
    h_ = invalid_handle;
    return h;
  }

 protected:
  void reset() noexcept {
    if (h_ != invalid_handle) Close::close(release());
  }
  native_handle h_ = invalid_handle;
};

}  // namespace vitte::sys::detail

#endif  // VITTE_SYS_DETAIL_OWNED_HANDLE_HPP
