# vitte::static_surface: the C and C++ runtime surface of a static host
# (docs/ELF_IMAGE.md, "Static hosts: the C library surface"). A program
# linked with -static that loads shared objects as in-memory images adds
#   target_link_libraries(app PRIVATE vitte::static_surface)
# and its images find the whole C and C++ runtime a dynamic host offers.
# At build time the generator reads this compiler's static runtime archives
# and writes one source (an object library, linked whole into the program).
# Included by vitteConfig.cmake (installed, beside vitte_static_surface.py)
# and by the source tree's CMakeLists.txt (static_surface/generate.py).
# Elsewhere than Linux it is an empty target.
if(TARGET vitte::static_surface)
  return()
endif()
if(NOT CMAKE_SYSTEM_NAME STREQUAL "Linux")
  add_library(vitte_static_surface INTERFACE)
  add_library(vitte::static_surface ALIAS vitte_static_surface)
  return()
endif()

set(_vitte_surface_script "${CMAKE_CURRENT_LIST_DIR}/vitte_static_surface.py")
if(NOT EXISTS "${_vitte_surface_script}")
  set(_vitte_surface_script "${CMAKE_CURRENT_LIST_DIR}/../static_surface/generate.py")
endif()
find_package(Python3 REQUIRED COMPONENTS Interpreter)

set(_vitte_surface_out "${CMAKE_CURRENT_BINARY_DIR}/vitte_static_surface.cpp")
set(_vitte_surface_args "")
# VITTE_STATIC_SURFACE_C_ONLY: the C runtime alone (glibc: about 1.7 MB, not 4 MB).
if(VITTE_STATIC_SURFACE_C_ONLY)
  list(APPEND _vitte_surface_args "--c-only")
endif()
# VITTE_STATIC_SURFACE_EXCLUDE: names, globs or archive members left out
# (malloc.o for a host that links its own allocator).
foreach(_x IN LISTS VITTE_STATIC_SURFACE_EXCLUDE)
  list(APPEND _vitte_surface_args "--exclude=${_x}")
endforeach()
# glibc's libresolv (ns_initparse...: Kerberos, so libcurl's closure):
# offered and linked when its archive is there (musl's libc.a holds all).
include(CheckCXXSymbolExists)
check_cxx_symbol_exists(__GLIBC__ "limits.h" VITTE_SURFACE_GLIBC)
if(VITTE_SURFACE_GLIBC)
  find_library(VITTE_RESOLV_ARCHIVE NAMES libresolv.a)
endif()
if(VITTE_RESOLV_ARCHIVE)
  list(APPEND _vitte_surface_args "--link-arg=-lresolv")
endif()
separate_arguments(_vitte_surface_flags NATIVE_COMMAND "${CMAKE_EXE_LINKER_FLAGS}")
foreach(_a IN LISTS _vitte_surface_flags)
  list(APPEND _vitte_surface_args "--link-arg=${_a}")
endforeach()
add_custom_command(OUTPUT "${_vitte_surface_out}"
  COMMAND Python3::Interpreter "${_vitte_surface_script}" --output "${_vitte_surface_out}"
          --list "${CMAKE_CURRENT_BINARY_DIR}/vitte_static_surface.txt" ${_vitte_surface_args}
          -- "${CMAKE_CXX_COMPILER}"
  DEPENDS "${_vitte_surface_script}"
  COMMENT "vitte: the C and C++ runtime surface of a static host"
  VERBATIM)
# An object library: its object is linked whole, which is what takes each address.
add_library(vitte_static_surface OBJECT EXCLUDE_FROM_ALL "${_vitte_surface_out}")
add_library(vitte::static_surface ALIAS vitte_static_surface)
if(VITTE_RESOLV_ARCHIVE)
  target_link_libraries(vitte_static_surface INTERFACE "${VITTE_RESOLV_ARCHIVE}")
endif()
unset(_vitte_surface_script)
unset(_vitte_surface_out)
unset(_vitte_surface_args)
unset(_vitte_surface_flags)
