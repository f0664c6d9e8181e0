// The NT declarations the Windows file backend calls through ntdll: the
// structures and constants of NtCreateFile (winternl.h and ntifs.h, which
// MinGW-w64's headers lack or give only in part). Declarations only; the
// functions are looked up where they are used. Internal: reached from .ipp files.
#ifndef VITTE_SYS_DETAIL_WIN32_NT_HPP
#define VITTE_SYS_DETAIL_WIN32_NT_HPP

#include <vitte/base/detail/win32/windows.hpp>

namespace vitte::sys::detail::win32_nt {

struct nt_unicode_string {
  USHORT length;  // bytes, without a terminator
  USHORT maximum_length;
  const wchar_t* buffer;
};
struct nt_object_attributes {
  ULONG length;
  HANDLE root_directory;
  nt_unicode_string* object_name;
  ULONG attributes;
  void* security_descriptor;
  void* security_quality_of_service;
};
struct nt_io_status_block {
  union {
    LONG status;
    void* pointer;
  };
  ULONG_PTR information;
};
using nt_create_file_fn = LONG(WINAPI*)(HANDLE*, ACCESS_MASK, nt_object_attributes*, nt_io_status_block*,
                                        LARGE_INTEGER*, ULONG, ULONG, ULONG, ULONG, void*, ULONG);
using rtl_nt_status_to_dos_error_fn = ULONG(WINAPI*)(LONG);

// NtCreateFile's dispositions and options (ntifs.h), which MinGW's headers lack.
constexpr ULONG nt_file_open = 1, nt_file_create = 2, nt_file_open_if = 3, nt_file_overwrite = 4,
                nt_file_overwrite_if = 5;
constexpr ULONG nt_directory_file = 0x1, nt_synchronous_io_nonalert = 0x20, nt_non_directory_file = 0x40,
                nt_open_reparse_point = 0x200000;
constexpr ULONG nt_obj_case_insensitive = 0x40;
constexpr LONG nt_status_file_is_a_directory = static_cast<LONG>(0xC00000BA);
constexpr LONG nt_status_not_a_directory = static_cast<LONG>(0xC0000103);

}  // namespace vitte::sys::detail::win32_nt

#endif  // VITTE_SYS_DETAIL_WIN32_NT_HPP
