// vitte/base/config.hpp - the one place where vitte looks at the build environment.
//
// Everything vitte knows about the target is decided here, once: which OS it
// is, which platform policy is the default, and which optional OS features
// each backend may use. Every decision is a macro guarded by #ifndef, so a
// build can override any of them on the command line:
//
//   -DVITTE_POLICY=VITTE_POLICY_POSIX   use the generic POSIX policy on Linux
//   -DVITTE_HAS_COARSE_CLOCKS=0         pretend the OS has no coarse clocks
//   -DVITTE_SEPARATE_COMPILATION        compiled mode: link src/vitte.cpp
//
// This header includes nothing. No other vitte header tests the OS macros
// (_WIN32, __linux__, ...) directly: they test the VITTE_ macros below.
#ifndef VITTE_BASE_CONFIG_HPP
#define VITTE_BASE_CONFIG_HPP

// ---------------------------------------------------------------------------
// Version.
#define VITTE_VERSION_MAJOR 0
#define VITTE_VERSION_MINOR 1
#define VITTE_VERSION_PATCH 0

// ---------------------------------------------------------------------------
// Operating system we compile for. Exactly one VITTE_OS_* is 1.
#if !defined(VITTE_OS_LINUX) && !defined(VITTE_OS_DARWIN) && !defined(VITTE_OS_BSD) && !defined(VITTE_OS_WINDOWS) && \
    !defined(VITTE_OS_UNIX) && !defined(VITTE_OS_NONE)
#if defined(_WIN32)
#define VITTE_OS_WINDOWS 1
#elif defined(__linux__)
#define VITTE_OS_LINUX 1
#elif defined(__APPLE__) && defined(__MACH__)
#define VITTE_OS_DARWIN 1
#elif defined(__FreeBSD__) || defined(__NetBSD__) || defined(__OpenBSD__) || defined(__DragonFly__)
#define VITTE_OS_BSD 1
#elif defined(__unix__) || defined(__unix)
#define VITTE_OS_UNIX 1  // some other POSIX system: the generic policy
#else
#define VITTE_OS_NONE 1  // bare metal: only the freestanding policy
#endif
#endif
#ifndef VITTE_OS_LINUX
#define VITTE_OS_LINUX 0
#endif
#ifndef VITTE_OS_DARWIN
#define VITTE_OS_DARWIN 0
#endif
#ifndef VITTE_OS_BSD
#define VITTE_OS_BSD 0
#endif
#ifndef VITTE_OS_WINDOWS
#define VITTE_OS_WINDOWS 0
#endif
#ifndef VITTE_OS_UNIX
#define VITTE_OS_UNIX 0
#endif
#ifndef VITTE_OS_NONE
#define VITTE_OS_NONE 0
#endif
#define VITTE_OS_POSIX (VITTE_OS_LINUX || VITTE_OS_DARWIN || VITTE_OS_BSD || VITTE_OS_UNIX)

// ---------------------------------------------------------------------------
// The default platform policy (what vitte::sys::platform names).
#define VITTE_POLICY_LINUX 1
#define VITTE_POLICY_POSIX 2
#define VITTE_POLICY_DARWIN 3
#define VITTE_POLICY_BSD 4
#define VITTE_POLICY_WIN32 5
#define VITTE_POLICY_FREESTANDING 6

#ifndef VITTE_POLICY
#if VITTE_OS_LINUX
#define VITTE_POLICY VITTE_POLICY_LINUX
#elif VITTE_OS_DARWIN
#define VITTE_POLICY VITTE_POLICY_DARWIN
#elif VITTE_OS_BSD
#define VITTE_POLICY VITTE_POLICY_BSD
#elif VITTE_OS_WINDOWS
#define VITTE_POLICY VITTE_POLICY_WIN32
#elif VITTE_OS_UNIX
#define VITTE_POLICY VITTE_POLICY_POSIX
#else
#define VITTE_POLICY VITTE_POLICY_FREESTANDING
#endif
#endif

#if VITTE_POLICY < VITTE_POLICY_LINUX || VITTE_POLICY > VITTE_POLICY_FREESTANDING
#error "vitte: VITTE_POLICY must be one of the VITTE_POLICY_* values"
#endif
#if VITTE_POLICY == VITTE_POLICY_LINUX && !VITTE_OS_LINUX
#error "vitte: VITTE_POLICY_LINUX needs a Linux target"
#endif
#if VITTE_POLICY == VITTE_POLICY_WIN32 && !VITTE_OS_WINDOWS
#error "vitte: VITTE_POLICY_WIN32 needs a Windows target"
#endif
#if VITTE_POLICY == VITTE_POLICY_POSIX && !VITTE_OS_POSIX
#error "vitte: VITTE_POLICY_POSIX needs a POSIX target"
#endif

// ---------------------------------------------------------------------------
// Language features.
#ifndef VITTE_HAS_EXCEPTIONS
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS) || defined(_CPPUNWIND)
#define VITTE_HAS_EXCEPTIONS 1
#else
#define VITTE_HAS_EXCEPTIONS 0
#endif
#endif

// Threads exist unless the build is freestanding or says otherwise. With 0,
// locks compile to nothing (single-threaded and bare-metal builds).
#ifndef VITTE_HAS_THREADS
#if VITTE_POLICY == VITTE_POLICY_FREESTANDING
#define VITTE_HAS_THREADS 0
#else
#define VITTE_HAS_THREADS 1
#endif
#endif

// ---------------------------------------------------------------------------
// Optional OS features. Each backend uses a feature only when its macro is 1.

// Linux CLOCK_*_COARSE, FreeBSD CLOCK_*_FAST: cheap clocks with tick resolution.
#ifndef VITTE_HAS_COARSE_CLOCKS
#if VITTE_OS_LINUX || VITTE_OS_WINDOWS || defined(__FreeBSD__) || defined(__DragonFly__) || VITTE_OS_DARWIN
#define VITTE_HAS_COARSE_CLOCKS 1
#else
#define VITTE_HAS_COARSE_CLOCKS 0
#endif
#endif

// Linux CLOCK_BOOTTIME: monotonic, and counts time spent suspended (the
// linux policy falls back to CLOCK_MONOTONIC when this is 0).
#ifndef VITTE_HAS_CLOCK_BOOTTIME
#define VITTE_HAS_CLOCK_BOOTTIME VITTE_OS_LINUX
#endif

// epoll: the Linux poller backend. -DVITTE_DISABLE_EPOLL (or
// -DVITTE_HAS_EPOLL=0) makes the linux policy poll with poll(2) instead.
#ifndef VITTE_HAS_EPOLL
#if VITTE_OS_LINUX && !defined(VITTE_DISABLE_EPOLL)
#define VITTE_HAS_EPOLL 1
#else
#define VITTE_HAS_EPOLL 0
#endif
#endif

// clock_nanosleep(TIMER_ABSTIME): Darwin lacks it.
#ifndef VITTE_HAS_CLOCK_NANOSLEEP
#if VITTE_OS_DARWIN || defined(__OpenBSD__)
#define VITTE_HAS_CLOCK_NANOSLEEP 0
#else
#define VITTE_HAS_CLOCK_NANOSLEEP VITTE_OS_POSIX
#endif
#endif

// dlopen / LoadLibrary. 0 in static builds (meson -Dstatic=true sets it:
// a static binary cannot load shared libraries safely) and without an OS;
// opening a library then reports errc::not_supported.
#ifndef VITTE_HAS_DYNAMIC_LIBRARIES
#define VITTE_HAS_DYNAMIC_LIBRARIES (VITTE_OS_POSIX || VITTE_OS_WINDOWS)
#endif

// posix_spawn: 0 makes the POSIX policies spawn with fork/exec.
#ifndef VITTE_HAS_POSIX_SPAWN
#define VITTE_HAS_POSIX_SPAWN VITTE_OS_POSIX
#endif

// ---------------------------------------------------------------------------
// Header-only (default) or compiled mode.
//
// Non-template functions are declared VITTE_DECL in the public headers and
// defined in .ipp files. Header-only: the .ipp files are included at the end
// of their header and VITTE_DECL is `inline`. Compiled mode
// (VITTE_SEPARATE_COMPILATION): public headers include no .ipp, hence no OS
// header, and src/vitte.cpp compiles every .ipp once.
#if defined(VITTE_SEPARATE_COMPILATION)
#define VITTE_HEADER_ONLY 0
#define VITTE_DECL
#else
#define VITTE_HEADER_ONLY 1
#define VITTE_DECL inline
#endif

// ---------------------------------------------------------------------------
// Small helpers.
#if defined(__GNUC__) || defined(__clang__)
#define VITTE_LIKELY(x) __builtin_expect(!!(x), 1)
#define VITTE_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define VITTE_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define VITTE_LIKELY(x) (x)
#define VITTE_UNLIKELY(x) (x)
#define VITTE_ALWAYS_INLINE inline
#endif
// A pointer a member function returns lives as long as its object: Clang
// then refuses (-Wdangling) `const char* p = make_line().c_str();`.
#if defined(__clang__)
#define VITTE_LIFETIMEBOUND [[clang::lifetimebound]]
#else
#define VITTE_LIFETIMEBOUND
#endif

#endif  // VITTE_BASE_CONFIG_HPP
