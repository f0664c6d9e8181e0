// vitte/wasm/wasi/guest.hpp - the program's memory seen from WASI calls:
// bounds-checked reads and writes (guest), the entries of a listing, and
// the layouts calls write there (filestat, argv/environ lists, iovecs).
//
// Member definitions of basic_wasi: the class comes first, so the public
// header is included above the guard (it includes this file back, in its
// order, at its end).
#include <vitte/wasm/wasi.hpp>

#ifndef VITTE_WASM_WASI_GUEST_HPP
#define VITTE_WASM_WASI_GUEST_HPP

#include <vitte/base/detail/bytes.hpp>   // text_of
#include <vitte/base/detail/endian.hpp>  // load_le, store_le
#include <vitte/base/detail/utf8.hpp>    // valid_utf8
#include <vitte/wasm/wasi/abi.hpp>

#include <cstdint>
#include <cstring>

namespace vitte::wasm {

namespace detail::wasi {

// The program's linear memory, bounds-checked: every access says whether
// it fits, and a miss is the program's `fault`.
struct guest {
  std::uint8_t* p = nullptr;
  std::uint64_t n = 0;
  bool fits(std::uint64_t at, std::uint64_t len) const noexcept { return at <= n && len <= n - at; }
  std::uint32_t u32(std::uint64_t at) const noexcept { return vitte::detail::load_le<std::uint32_t>(p + at); }
  std::uint64_t u64(std::uint64_t at) const noexcept { return vitte::detail::load_le<std::uint64_t>(p + at); }
  void put8(std::uint64_t at, std::uint8_t v) const noexcept { p[at] = v; }
  void put16(std::uint64_t at, std::uint16_t v) const noexcept { vitte::detail::store_le(p + at, v); }
  void put32(std::uint64_t at, std::uint32_t v) const noexcept { vitte::detail::store_le(p + at, v); }
  void put64(std::uint64_t at, std::uint64_t v) const noexcept { vitte::detail::store_le(p + at, v); }
  // Writes a u32 result; fault when it does not fit.
  std::uint16_t out32(std::uint64_t at, std::uint32_t v) const noexcept {
    if (!fits(at, 4)) return e_fault;
    put32(at, v);
    return e_success;
  }
  std::uint16_t out64(std::uint64_t at, std::uint64_t v) const noexcept {
    if (!fits(at, 8)) return e_fault;
    put64(at, v);
    return e_success;
  }
  // A string argument: fault when outside memory, ilseq when not UTF-8,
  // inval with a NUL inside.
  std::uint16_t text(std::uint64_t at, std::uint64_t len, text_view& out) const noexcept {
    if (!fits(at, len)) return e_fault;
    out = vitte::detail::text_of(span<const std::uint8_t>(p + at, static_cast<std::size_t>(len)));
    if (out.find('\0') != text_view::npos) return e_inval;
    if (!vitte::detail::valid_utf8(out)) return e_ilseq;
    return e_success;
  }
};

// The entries of one listing: what fd_readdir hands out, cookie by cookie.
struct listed {
  vitte::text name;
  std::uint64_t inode = 0;
  std::uint8_t type = t_unknown;
};

}  // namespace detail::wasi

template <class P>
detail::wasi::guest basic_wasi<P>::mem() const noexcept {
  if (!memory_) return {};
  span<std::uint8_t> b = memory_.bytes();
  return {b.data(), b.size()};
}

template <class P>
std::uint16_t basic_wasi<P>::put_filestat(std::uint64_t at, const sys::file_status& st) {
  detail::wasi::guest g = mem();
  if (!g.fits(at, 64)) return detail::wasi::e_fault;
  std::memset(g.p + at, 0, 64);
  g.put64(at, st.device);
  g.put64(at + 8, st.inode);
  g.put8(at + 16, detail::wasi::filetype_of(st.type));
  g.put64(at + 24, st.links);
  g.put64(at + 32, st.size);
  g.put64(at + 40, static_cast<std::uint64_t>(st.atime_ns));
  g.put64(at + 48, static_cast<std::uint64_t>(st.mtime_ns));
  g.put64(at + 56, static_cast<std::uint64_t>(st.ctime_ns));
  return detail::wasi::e_success;
}

// Writes a list of strings the way argv and environ travel: a pointer per
// string at `ptrs`, the NUL-terminated strings one after another at `buf`.
template <class P>
std::uint16_t basic_wasi<P>::put_strings(const buffer<text>& list, std::uint64_t ptrs, std::uint64_t buf) {
  detail::wasi::guest g = mem();
  if (!g.fits(ptrs, 4ull * list.size())) return detail::wasi::e_fault;
  std::uint64_t at = buf;
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::uint64_t n = list[i].size() + 1;
    if (!g.fits(at, n)) return detail::wasi::e_fault;
    g.put32(ptrs + 4 * i, static_cast<std::uint32_t>(at));
    std::memcpy(g.p + at, list[i].c_str(), static_cast<std::size_t>(n));
    at += n;
  }
  return detail::wasi::e_success;
}

template <class P>
std::uint16_t basic_wasi<P>::put_sizes(const buffer<text>& list, std::uint64_t count, std::uint64_t size) {
  std::uint64_t total = 0;
  for (const text& t : list) total += t.size() + 1;
  if (std::uint16_t e = mem().out32(count, static_cast<std::uint32_t>(list.size()))) return e;
  return mem().out32(size, static_cast<std::uint32_t>(total));
}

// Gathers the iovecs at `iovs` (count `n`): fault when any lies outside memory.
template <class P>
std::uint16_t basic_wasi<P>::buffers(std::uint64_t iovs, std::uint64_t n, buffer<sys::mutable_buffer>& out) {
  detail::wasi::guest g = mem();
  if (n > 1024) return detail::wasi::e_inval;
  if (!g.fits(iovs, 8 * n)) return detail::wasi::e_fault;
  out.clear();
  for (std::uint64_t i = 0; i < n; ++i) {
    std::uint32_t p = g.u32(iovs + 8 * i), len = g.u32(iovs + 8 * i + 4);
    if (!g.fits(p, len)) return detail::wasi::e_fault;
    out.push_back(sys::mutable_buffer{g.p + p, len});
  }
  return detail::wasi::e_success;
}

}  // namespace vitte::wasm

#endif  // VITTE_WASM_WASI_GUEST_HPP
