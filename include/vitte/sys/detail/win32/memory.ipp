// Memory functions of win32_platform (see vitte/sys/policy/win32.hpp):
// VirtualAlloc and friends, file mappings, _aligned_malloc.
#ifndef VITTE_SYS_DETAIL_WIN32_MEMORY_IPP
#define VITTE_SYS_DETAIL_WIN32_MEMORY_IPP

#include <vitte/sys/detail/pages.hpp>
#include <vitte/sys/detail/win32/platform.ipp>  // last_error
#include <vitte/sys/policy/win32.hpp>

#include <malloc.h>  // _aligned_malloc

namespace vitte::sys {

namespace detail::win32 {

// Win32 codes some SDKs do not define.
constexpr DWORD error_invalid_address = 487;     // ERROR_INVALID_ADDRESS
constexpr DWORD error_working_set_quota = 1453;  // ERROR_WORKING_SET_QUOTA

inline DWORD native_protection(protection p) noexcept {
  switch (p) {
    case protection::none:
      return PAGE_NOACCESS;
    case protection::read:
      return PAGE_READONLY;
    case protection::read_write:
      return PAGE_READWRITE;
    case protection::read_execute:
      return PAGE_EXECUTE_READ;
  }
  return PAGE_NOACCESS;
}

inline DWORD view_access(protection p) noexcept {
  switch (p) {
    case protection::none:
    case protection::read:
      return FILE_MAP_READ;
    case protection::read_write:
      return FILE_MAP_READ | FILE_MAP_WRITE;
    case protection::read_execute:
      return FILE_MAP_READ | FILE_MAP_EXECUTE;
  }
  return FILE_MAP_READ;
}

// GetLastError() of a memory call: an address outside what is reserved or
// committed is bad input, a full working set is lack of memory.
inline error memory_error(operation op) noexcept {
  DWORD code = ::GetLastError();
  if (code == error_invalid_address)
    return error{errc::invalid_argument, op, static_cast<int>(code), error_domain::win32};
  if (code == error_working_set_quota) return error{errc::no_memory, op, static_cast<int>(code), error_domain::win32};
  return last_error(op);
}

inline error memory_status(BOOL ok, operation op) noexcept { return ok ? error{} : memory_error(op); }

inline void populate_by_touching(void* p, std::size_t size, protection prot) noexcept {
  if (prot == protection::none) return;
  touch_pages(p, size, win32_platform::page_size(), prot == protection::read_write);
}

}  // namespace detail::win32

// GetLargePageMinimum, when the processor has large pages.
VITTE_DECL std::size_t os_platform_base::huge_page_sizes(std::size_t* out, std::size_t n) noexcept {
  SIZE_T large = ::GetLargePageMinimum();
  if (n == 0 || large == 0) return 0;
  out[0] = large;
  return 1;
}

// VirtualAlloc(MEM_RESERVE), with MEM_COMMIT unless `prot` is none; the
// address is a multiple of allocation_granularity(). `populate` touches
// each page; `huge_pages` is ignored (large pages need a privilege).
// A size beyond the address space (ERROR_INVALID_PARAMETER) is no_memory.
VITTE_DECL result<void*> os_platform_base::memory_reserve(std::size_t size, protection prot,
                                                          commit_options options) noexcept {
  DWORD type = prot == protection::none ? MEM_RESERVE : MEM_RESERVE | MEM_COMMIT;
  void* p = ::VirtualAlloc(nullptr, size, type, detail::win32::native_protection(prot));
  if (p == nullptr && ::GetLastError() == ERROR_INVALID_PARAMETER) {
    // The facility checked the input: the size exceeds the address space.
    return error{errc::no_memory, ops::memory_reserve, ERROR_INVALID_PARAMETER, error_domain::win32};
  }
  if (p == nullptr) return detail::win32::memory_error(ops::memory_reserve);
  if (options.populate) detail::win32::populate_by_touching(p, size, prot);
  return p;
}

// VirtualAlloc(MEM_COMMIT); `populate` touches each page.
VITTE_DECL error os_platform_base::memory_commit(void* p, std::size_t size, protection prot,
                                                 commit_options options) noexcept {
  if (::VirtualAlloc(p, size, MEM_COMMIT, detail::win32::native_protection(prot)) == nullptr)
    return detail::win32::memory_error(ops::memory_commit);
  if (options.populate) detail::win32::populate_by_touching(p, size, prot);
  return {};
}

// VirtualFree(MEM_DECOMMIT): the pages are reserved again, and read as
// zeros once committed again.
VITTE_DECL error os_platform_base::memory_decommit(void* p, std::size_t size) noexcept {
  return detail::win32::memory_status(::VirtualFree(p, size, MEM_DECOMMIT), ops::memory_decommit);
}

// VirtualProtect; the pages must be committed.
VITTE_DECL error os_platform_base::memory_protect(void* p, std::size_t size, protection prot) noexcept {
  DWORD old = 0;
  return detail::win32::memory_status(::VirtualProtect(p, size, detail::win32::native_protection(prot), &old),
                                      ops::memory_protect);
}

// VirtualFree(MEM_RELEASE) of the whole reservation at p.
VITTE_DECL error os_platform_base::memory_release(void* p, std::size_t) noexcept {
  return detail::win32::memory_status(::VirtualFree(p, 0, MEM_RELEASE), ops::memory_release);
}

// will_need: PrefetchVirtualMemory; dont_need: VirtualAlloc(MEM_RESET).
VITTE_DECL error os_platform_base::memory_advise(void* p, std::size_t size, advice a) noexcept {
  if (a == advice::dont_need) {
    // MEM_RESET ignores the protection, but it must be a valid one.
    return detail::win32::memory_status(::VirtualAlloc(p, size, MEM_RESET, PAGE_NOACCESS) != nullptr,
                                        ops::memory_advise);
  }
  WIN32_MEMORY_RANGE_ENTRY range{p, size};
  return detail::win32::memory_status(::PrefetchVirtualMemory(::GetCurrentProcess(), 1, &range, 0), ops::memory_advise);
}

// VirtualLock, VirtualUnlock (bounded by the working-set size: no_memory).
VITTE_DECL error os_platform_base::memory_lock(void* p, std::size_t size) noexcept {
  return detail::win32::memory_status(::VirtualLock(p, size), ops::memory_lock);
}

VITTE_DECL error os_platform_base::memory_unlock(void* p, std::size_t size) noexcept {
  return detail::win32::memory_status(::VirtualUnlock(p, size), ops::memory_unlock);
}

// FlushInstructionCache on this process.
VITTE_DECL error os_platform_base::flush_instruction_cache(const void* p, std::size_t size) noexcept {
  return detail::win32::memory_status(::FlushInstructionCache(::GetCurrentProcess(), p, size),
                                      ops::memory_flush_icache);
}

// The section's HANDLE (not inheritable), of `size` zeroed bytes.
VITTE_DECL result<std::intptr_t> os_platform_base::shared_memory_create(std::size_t size) noexcept {
  auto wide = static_cast<std::uint64_t>(size);
  HANDLE h = ::CreateFileMappingW(INVALID_HANDLE_VALUE, nullptr, PAGE_EXECUTE_READWRITE, static_cast<DWORD>(wide >> 32),
                                  static_cast<DWORD>(wide), nullptr);
  if (h == nullptr) return detail::win32::memory_error(ops::shared_memory_create);
  return reinterpret_cast<std::intptr_t>(h);
}

// MapViewOfFile of the whole section; `prot` none is invalid_argument.
VITTE_DECL result<void*> os_platform_base::shared_memory_map(std::intptr_t handle, std::size_t size,
                                                             protection prot) noexcept {
  void* p = ::MapViewOfFile(reinterpret_cast<HANDLE>(handle), detail::win32::view_access(prot), 0, 0, size);
  if (p == nullptr) return detail::win32::memory_error(ops::shared_memory_map);
  return p;
}

// UnmapViewOfFile.
VITTE_DECL error os_platform_base::shared_memory_unmap(void* p, std::size_t) noexcept {
  return detail::win32::memory_status(::UnmapViewOfFile(p), ops::memory_release);
}

// CloseHandle; the views keep the section alive.
VITTE_DECL void os_platform_base::shared_memory_close(std::intptr_t handle) noexcept {
  ::CloseHandle(reinterpret_cast<HANDLE>(handle));
}

VITTE_DECL result<void*> os_platform_base::aligned_allocate(std::size_t size, std::size_t alignment) noexcept {
  void* p = ::_aligned_malloc(size, alignment);
  if (p == nullptr) return make_error(errc::no_memory, ops::allocate);
  return p;
}

VITTE_DECL void os_platform_base::aligned_free(void* p) noexcept { ::_aligned_free(p); }

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_WIN32_MEMORY_IPP
