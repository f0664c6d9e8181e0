// vitte/release/detail/ar.ipp - the ar writer and reader (ar.hpp).
#ifndef VITTE_RELEASE_DETAIL_AR_IPP
#define VITTE_RELEASE_DETAIL_AR_IPP

#include <vitte/base/detail/decimal.hpp>  // member sizes
#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/release/detail/ar.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace vitte::release::detail {

VITTE_DECL bool ar_header(std::string& out, text_view name, std::int64_t mtime, std::uint64_t size) {
  if (out.empty()) out.assign(ar_magic.data(), ar_magic.size());
  char header[128];
  const int n = std::snprintf(header, sizeof header, "%-16.16s%-12lld%-6d%-6d%-8s%-10llu`\n", std::string(name).c_str(),
                              static_cast<long long>(mtime < 0 ? 0 : mtime), 0, 0, "100644",
                              static_cast<unsigned long long>(size));
  if (n != 60 || name.size() > 16) return false;
  out.append(header, 60);
  return true;
}

VITTE_DECL bool ar_append(std::string& out, text_view name, std::int64_t mtime, span<const std::byte> data) {
  if (!ar_header(out, name, mtime, data.size())) return false;
  out.append(reinterpret_cast<const char*>(data.data()), data.size());
  if (data.size() % 2 != 0) out += '\n';
  return true;
}

VITTE_DECL bool ar_member_header(text_view h, std::uint64_t at, text_view& name, std::uint64_t& size,
                                 vitte::diagnostic* why) {
  name = {};
  const auto fail = [&](const char* what, std::uint64_t where) {
    if (why != nullptr) why->clear(), why->of(errc::malformed).at(where).about(name).say(what);
    return false;
  };
  if (h.size() < ar_header_size) return fail("an ar member header cut short", at);
  if (h.substr(58, 2) != "`\n") return fail("an ar member header without its \"`\\n\" end", at);
  name = h.substr(0, 16);
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  if (!name.empty() && name.back() == '/') name.remove_suffix(1);
  const text_view size_field = h.substr(48, 10).substr(0, h.substr(48, 10).find(' '));
  if (size_field.empty()) return fail("an ar member without a size", at + 48);
  if (!vitte::detail::parse_decimal(size_field, SIZE_MAX, size))
    return fail("an ar member size that is not a decimal number", at + 48);
  return true;
}

VITTE_DECL bool ar_read(span<const std::byte> a, std::vector<ar_member>& out, vitte::diagnostic* why) {
  const auto* p = reinterpret_cast<const char*>(a.data());
  text_view member;  // the member being read, once its header names it
  const auto fail = [&](const char* what, std::size_t where) {
    if (why != nullptr) why->clear(), why->of(errc::malformed).at(where).about(member).say(what);
    return false;
  };
  if (a.size() < ar_magic.size() || text_view(p, ar_magic.size()) != ar_magic)
    return fail("not an ar archive (no \"!<arch>\" magic)", 0);
  std::size_t i = ar_magic.size();
  while (i < a.size()) {
    std::uint64_t size64 = 0;
    const std::size_t n = a.size() - i < ar_header_size ? a.size() - i : ar_header_size;
    if (!ar_member_header(text_view(p + i, n), i, member, size64, why)) return false;
    const auto size = static_cast<std::size_t>(size64);
    i += ar_header_size;
    if (size > a.size() - i) return fail("an ar member's data cut short", i);
    out.push_back({std::string(member), span<const std::byte>(a.data() + i, size)});
    i += size + (size % 2);
    if (i > a.size()) return fail("an ar member's padding cut short", a.size());
  }
  return true;
}

}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_AR_IPP
