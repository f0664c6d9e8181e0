// vitte/release/detail/cpio.ipp - the newc cpio writer and reader (cpio.hpp).
#ifndef VITTE_RELEASE_DETAIL_CPIO_IPP
#define VITTE_RELEASE_DETAIL_CPIO_IPP

#include <vitte/base/detail/endian.hpp>  // the header's fields, as bytes
#include <vitte/base/detail/hex.hpp>     // and as hexadecimal digits
#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/release/detail/cpio.hpp>
#include <vitte/release/detail/failure.hpp>  // refuse

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vitte::release::detail {

VITTE_DECL bool cpio_append(std::string& out, text_view name, const cpio_fields& f, span<const std::byte> data) {
  if (!cpio_header(out, name, f, data.size())) return false;
  out.append(reinterpret_cast<const char*>(data.data()), data.size());
  out.append(cpio_pad(data.size()), '\0');
  return true;
}

VITTE_DECL bool cpio_header(std::string& out, text_view name, const cpio_fields& f, std::uint64_t size) {
  if (name.empty() || name.size() + 1 > cpio_max_name || name.find('\0') != text_view::npos) return false;
  if (size > 0xffffffffu) return false;
  const std::uint32_t fields[13] = {f.ino,
                                    f.mode,
                                    f.uid,
                                    f.gid,
                                    f.nlink,
                                    f.mtime,
                                    static_cast<std::uint32_t>(size),
                                    f.dev_major,
                                    f.dev_minor,
                                    f.rdev_major,
                                    f.rdev_minor,
                                    static_cast<std::uint32_t>(name.size() + 1),
                                    0};
  char header[cpio_header_size];
  for (std::size_t i = 0; i < cpio_newc_magic.size(); ++i) header[i] = cpio_newc_magic[i];
  for (std::size_t i = 0; i < 13; ++i) {
    std::uint8_t b[4];
    vitte::detail::store_be<std::uint32_t>(b, fields[i]);
    vitte::detail::hex_encode(b, 4, header + 6 + 8 * i);
  }
  out.append(header, sizeof header);
  out.append(name.data(), name.size());
  out.append(1 + cpio_pad(cpio_header_size + name.size() + 1), '\0');
  return true;
}

VITTE_DECL bool cpio_read(span<const std::byte> a, std::vector<cpio_member>& out, vitte::diagnostic* why) {
  const auto* p = reinterpret_cast<const char*>(a.data());
  text_view member;  // the member being read, once its name is
  const auto fail = [&](const char* w, std::size_t where) { return refuse(why, errc::malformed, where, member, w); };
  std::size_t i = 0;
  for (;;) {
    member = {};
    if (a.size() - i < cpio_header_size) return fail("a cpio header cut short (no trailer)", i);
    if (text_view(p + i, 6) != cpio_newc_magic) return fail("not a newc cpio header (no \"070701\" magic)", i);
    std::uint32_t v[13];
    for (std::size_t k = 0; k < 13; ++k) {
      std::uint8_t b[4];
      if (!vitte::detail::hex_decode(text_view(p + i + 6 + 8 * k, 8), b))
        return fail("a cpio header field that is not hexadecimal", i + 6 + 8 * k);
      v[k] = vitte::detail::load_be<std::uint32_t>(b);
    }
    cpio_member m;
    m.offset = i;
    m.fields = {v[0], v[1], v[2], v[3], v[4], v[5], v[7], v[8], v[9], v[10]};
    const std::size_t size = v[6], name_size = v[11];
    i += cpio_header_size;
    if (name_size == 0 || name_size > cpio_max_name) return fail("a cpio name size of 0 or over 4096", m.offset + 94);
    if (name_size > a.size() - i) return fail("a cpio name cut short", i);
    m.name = text_view(p + i, name_size - 1);
    if (p[i + name_size - 1] != '\0' || m.name.find('\0') != text_view::npos)
      return fail("a cpio name that is not one NUL-terminated string", i);
    member = m.name;
    i += name_size;
    const std::size_t name_pad = cpio_pad(cpio_header_size + name_size);
    if (name_pad > a.size() - i) return fail("a cpio name's padding cut short", i);
    i += name_pad;
    if (m.name == cpio_trailer) {
      for (; i < a.size(); ++i)
        if (a[i] != std::byte{0}) return fail("data after the cpio trailer", i);
      return true;
    }
    if (size > a.size() - i) return fail("a cpio member's data cut short", i);
    m.data = span<const std::byte>(a.data() + i, size);
    i += size;
    if (cpio_pad(size) > a.size() - i) return fail("a cpio member's padding cut short", i);
    i += cpio_pad(size);
    out.push_back(m);
  }
}

}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_CPIO_IPP
