// vitte/sys/shared_memory.hpp - memory that can be mapped more than once.
//
// One block of memory, several views of it. A JIT compiler writes code
// through a read-write view and runs it through a read-execute view, so no
// page is ever writable and executable at once (W^X), even while it patches
// code in place:
//
//   namespace sys = vitte::sys;
//   auto shm = sys::shared_memory::create(65536).value();
//   auto rw = shm.map(sys::protection::read_write).value();
//   auto rx = shm.map(sys::protection::read_execute).value();
//   std::memcpy(rw.data(), code, n);
//   sys::flush_instruction_cache(rx.data(), n).value();
//   // call rx.data() as a function
//
// The memory has no name anywhere (Linux memfd_create; shm_open then
// shm_unlink on other POSIX systems; a pagefile-backed section on Windows)
// and child processes do not inherit it. Views are basic_region objects:
// they stay valid after the shared memory object is destroyed, and the
// memory lives until the last view is released.
#ifndef VITTE_SYS_SHARED_MEMORY_HPP
#define VITTE_SYS_SHARED_MEMORY_HPP

#include <vitte/base.hpp>
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/memory.hpp>
#include <vitte/sys/operations.hpp>
#include <vitte/sys/platform.hpp>

#include <cstddef>  // std::size_t
#include <cstdint>  // std::intptr_t

namespace vitte::sys {

/// A block of zeroed memory that can be mapped several times, with a
/// different protection each time. Move-only; owns the OS handle.
/// Thread safety: a value type; map() may be called concurrently.
template <class P>
class basic_shared_memory {
  VITTE_REQUIRE_CAPABILITY(P, shared_memory);

 public:
  using policy = P;

  /// Owns nothing.
  constexpr basic_shared_memory() noexcept = default;
  basic_shared_memory(basic_shared_memory&& other) noexcept;
  basic_shared_memory& operator=(basic_shared_memory&& other) noexcept;
  basic_shared_memory(const basic_shared_memory&) = delete;
  basic_shared_memory& operator=(const basic_shared_memory&) = delete;
  /// Closes the handle; views stay valid.
  ~basic_shared_memory();

  /// `size` bytes of zeroed memory, rounded up to whole pages.
  /// Errors (shared_memory_create): invalid_argument (size 0, or too large
  /// to round up); no_memory; too_many_open_files.
  static result<basic_shared_memory> create(std::size_t size) noexcept;

  /// A new view of all the memory with `prot` (not none).
  /// Errors (shared_memory_map): bad_descriptor when empty; invalid_argument
  /// for protection::none or an invalid value; permission_denied when the
  /// system forbids executable shared memory; no_memory.
  result<basic_region<P>> map(protection prot) const noexcept;

  /// The size in bytes, a multiple of the page size; 0 when empty.
  std::size_t size() const noexcept { return size_; }
  /// True when this owns no memory.
  bool empty() const noexcept { return size_ == 0; }
  explicit operator bool() const noexcept { return size_ != 0; }
  /// The descriptor (POSIX) or HANDLE (Windows), as an integer.
  std::intptr_t native_handle() const noexcept { return handle_; }

  /// Closes the handle now; views stay valid. Empty afterwards.
  void close() noexcept;

 private:
  basic_shared_memory(std::intptr_t handle, std::size_t size) noexcept : handle_(handle), size_(size) {}

  std::intptr_t handle_ = 0;
  std::size_t size_ = 0;  // 0: empty
};

/// Shared memory of the default platform.
using shared_memory = basic_shared_memory<platform>;

}  // namespace vitte::sys

#include <vitte/sys/impl/shared_memory.hpp>

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/memory.ipp>  // the backend's definitions
#endif

#endif  // VITTE_SYS_SHARED_MEMORY_HPP
