// vitte/sys/memory.hpp - virtual memory: regions of pages you reserve,
// commit, protect and release.
//
// A region owns a range of address space and releases it when destroyed.
// Reserve much, commit what you use:
//
//   namespace sys = vitte::sys;
//   auto r = sys::region::reserve(std::size_t{1} << 30).value();  // 1 GiB of address space, no memory
//   r.commit(0, 1 << 20).value();              // the first MiB: read-write, zeros
//   r.decommit(0, 1 << 20).value();            // back to the OS; zeros when committed again
//
// Write code, then run it. No page is ever writable and executable at once
// (W^X); make_executable flips pages to read-execute and flushes the
// instruction cache where the processor needs it:
//
//   auto code = sys::region::allocate(sys::region::page_size()).value();
//   std::memcpy(code.data(), bytes, n);
//   code.make_executable(0, code.size()).value();
//
// Guard pages kill the process on any access (SIGSEGV, an access violation):
//
//   std::size_t page = sys::region::page_size();
//   auto stack = sys::region::allocate(64 * page).value();
//   stack.guard(0, page).value();              // overflow hits the guard, not a neighbour
//
// Offsets are multiples of page_size(); sizes are rounded up to whole pages;
// each range lies inside the region. Bad input (a zero size, an unaligned
// offset, a range past the end or one whose end overflows, an invalid
// protection) is errc::invalid_argument with the operation, never undefined
// behaviour; an empty (moved-from) region reports errc::bad_descriptor.
//
// Related headers: vitte/sys/shared_memory.hpp (memory mapped twice),
// vitte/sys/aligned_alloc.hpp, vitte/sys/arena.hpp and virtual_arena.hpp
// (bump allocation), vitte/sys/memory_resource.hpp (std::pmr adapter).
#ifndef VITTE_SYS_MEMORY_HPP
#define VITTE_SYS_MEMORY_HPP

#include <vitte/base.hpp>
#include <vitte/base/span.hpp>  // region::bytes
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/memory_types.hpp>
#include <vitte/sys/operations.hpp>
#include <vitte/sys/platform.hpp>

#include <cstddef>  // std::size_t, std::byte

namespace vitte::sys {

template <class P>
class basic_shared_memory;

/// Page sizes held by value, smallest first.
struct page_size_list {
  static constexpr std::size_t capacity = 8;
  std::size_t sizes[capacity] = {};
  std::size_t count = 0;

  const std::size_t* begin() const noexcept { return sizes; }
  const std::size_t* end() const noexcept { return sizes + count; }
  bool empty() const noexcept { return count == 0; }
};

/// The huge page sizes the OS offers for explicit huge pages (Linux hugetlb:
/// 2 MiB, 1 GiB on x86_64; Windows: the large-page minimum); empty when it
/// offers none. The page size and allocation granularity are in
/// vitte/sys/info.hpp (and basic_region<P>::page_size()).
/// Thread safety: may be called concurrently.
template <class P = platform>
page_size_list huge_page_sizes() noexcept;

/// Makes code written to [p, p + size) visible to instruction fetch: nothing
/// on x86, cache maintenance on Arm (FlushInstructionCache on Windows).
/// basic_region::make_executable calls it; call it yourself after changing
/// code in pages that are already executable (a shared-memory view).
/// Errors: invalid_argument for a null p, a zero size, or a range that wraps.
/// Thread safety: may be called concurrently.
template <class P = platform>
status flush_instruction_cache(const void* p, std::size_t size) noexcept;

/// A range of address space owned by this object: reserved, with parts of it
/// committed (backed by memory) and protected as asked. Move-only; the
/// destructor releases the range. Regions come from reserve() and
/// allocate(), or are views of shared memory (basic_shared_memory::map).
///
/// Thread safety: a value type. Calls on different ranges of one region may
/// run concurrently (the OS serialises them); moving or releasing a region
/// while another thread uses it is a data race.
template <class P>
class basic_region {
  VITTE_REQUIRE_CAPABILITY(P, memory);

 public:
  using policy = P;

  /// An empty region: owns nothing.
  constexpr basic_region() noexcept = default;
  basic_region(basic_region&& other) noexcept;
  basic_region& operator=(basic_region&& other) noexcept;
  basic_region(const basic_region&) = delete;
  basic_region& operator=(const basic_region&) = delete;
  /// Releases the range; errors are ignored (call release() to see them).
  ~basic_region();

  /// Reserves `size` bytes of address space, rounded up to whole pages, and
  /// commits none: every page is inaccessible until commit(). The address is
  /// a multiple of the allocation granularity.
  /// Errors: invalid_argument (size 0, or too large to round up);
  /// no_memory when the address space is exhausted (memory_reserve).
  static result<basic_region> reserve(std::size_t size) noexcept;

  /// Reserves and commits `size` bytes (rounded up to whole pages) with
  /// `prot` in one call; the pages read as zeros. With protection::none this
  /// is reserve(). `options` are hints (populate, huge pages).
  /// Errors: as reserve(); invalid_argument for an invalid protection.
  static result<basic_region> allocate(std::size_t size, protection prot = protection::read_write,
                                       commit_options options = {}) noexcept;

  /// The policy's page size: the unit of offsets and sizes.
  static std::size_t page_size() noexcept { return P::page_size(); }

  /// The first byte; nullptr when empty.
  std::byte* data() const noexcept { return base_; }
  /// The size in bytes, a multiple of page_size(); 0 when empty.
  std::size_t size() const noexcept { return size_; }
  /// [data(), data() + size()).
  span<std::byte> bytes() const noexcept { return {base_, size_}; }
  /// True when the region owns nothing.
  bool empty() const noexcept { return base_ == nullptr; }
  /// True when the region owns a range.
  explicit operator bool() const noexcept { return base_ != nullptr; }
  /// True for a view of shared memory (which is always committed).
  bool is_view() const noexcept { return view_; }

  /// Commits [offset, offset + size) with `prot` (not none): the pages get
  /// memory; pages that were not committed read as zeros. Committed pages
  /// keep their contents and take the new protection.
  /// Errors (memory_commit): invalid_argument (see the header), no_memory
  /// when the OS cannot back the pages, not_supported for a view or for a
  /// protection the platform cannot give (read-only on a board without MPU).
  status commit(std::size_t offset, std::size_t size, protection prot = protection::read_write,
                commit_options options = {}) noexcept;

  /// Decommits [offset, offset + size): the memory goes back to the OS, the
  /// pages stay reserved and inaccessible, and read as zeros once committed
  /// again. Errors (memory_decommit): invalid_argument; not_supported for a view.
  status decommit(std::size_t offset, std::size_t size) noexcept;

  /// Changes what the committed pages of [offset, offset + size) allow.
  /// Needs the memory_protection capability. On POSIX, protecting reserved
  /// pages commits them; Windows refuses them (invalid_argument).
  /// Errors (memory_protect): invalid_argument; permission_denied for a
  /// protection the mapping cannot take (executable pages of a read-only view).
  status protect(std::size_t offset, std::size_t size, protection prot) noexcept;

  /// W^X, writing done: makes [offset, offset + size) read-execute and flushes
  /// the instruction cache over it. Needs the memory_protection capability.
  /// Errors: as protect(); memory_flush_icache when the flush fails.
  status make_executable(std::size_t offset, std::size_t size) noexcept;

  /// W^X, to write again: makes [offset, offset + size) read-write.
  /// Errors: as protect().
  status make_writable(std::size_t offset, std::size_t size) noexcept;

  /// Turns [offset, offset + size) into guard pages: any access kills the
  /// process (SIGSEGV or SIGBUS; an access violation on Windows). Anonymous
  /// pages are decommitted, so guards cost no memory; a view's pages are
  /// protected none. Needs the memory_protection capability.
  /// Errors: as decommit() (as protect() for a view).
  status guard(std::size_t offset, std::size_t size) noexcept;

  /// Tells the OS how [offset, offset + size) will be used (see advice).
  /// Errors (memory_advise): invalid_argument; what the OS reports.
  status advise(std::size_t offset, std::size_t size, advice a) noexcept;

  /// Locks [offset, offset + size) in RAM (mlock, VirtualLock): no paging out.
  /// Errors (memory_lock): invalid_argument; no_memory over the process's
  /// limit (RLIMIT_MEMLOCK, the working-set size); permission_denied.
  status lock(std::size_t offset, std::size_t size) noexcept;

  /// Undoes lock(). Errors (memory_unlock): invalid_argument; what the OS reports.
  status unlock(std::size_t offset, std::size_t size) noexcept;

  /// Releases the range now; the region is empty afterwards. On error it
  /// still owns the range (the destructor tries again). An empty region
  /// succeeds. Errors (memory_release): what the OS reports.
  status release() noexcept;

 private:
  template <class>
  friend class basic_shared_memory;

  basic_region(std::byte* base, std::size_t size, bool view) noexcept : base_(base), size_(size), view_(view) {}

  // [offset, offset + size) rounded up to whole pages, or the error of `op`.
  result<span<std::byte>> pages(std::size_t offset, std::size_t size, operation op) const noexcept;
  // Checks the range, then calls f(pointer, bytes) -> error.
  template <class F>
  status on_pages(std::size_t offset, std::size_t size, operation op, F f) const noexcept;
  error unmap() noexcept;

  std::byte* base_ = nullptr;
  std::size_t size_ = 0;
  bool view_ = false;
};

/// A region of the default platform.
using region = basic_region<platform>;

}  // namespace vitte::sys

#include <vitte/sys/impl/memory.hpp>

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/memory.ipp>  // the backend's definitions
#endif

#endif  // VITTE_SYS_MEMORY_HPP
