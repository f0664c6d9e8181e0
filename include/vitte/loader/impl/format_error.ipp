// vitte/loader/impl/format_error.ipp - format_error's texts (vitte/loader/format_error.hpp).
#ifndef VITTE_LOADER_IMPL_FORMAT_ERROR_IPP
#define VITTE_LOADER_IMPL_FORMAT_ERROR_IPP

#include <vitte/base.hpp>
#include <vitte/loader/format_error.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>  // std::snprintf

namespace vitte::loader {

VITTE_DECL vitte::diagnostic format_error::describe() const noexcept {
  vitte::diagnostic d;
  d.of(kind).at(offset);
  if (section != no_section) d.append("section ").append(std::uint64_t{section}).append(": ");
  return d.append(reason);
}

VITTE_DECL error_message format_error::message() const noexcept {
  error_message m;
  int n = section == no_section ? std::snprintf(m.text, m.capacity, "vitmod: at offset 0x%llx: %s (%s)",
                                                static_cast<unsigned long long>(offset), reason, to_string(kind).data())
                                : std::snprintf(m.text, m.capacity, "vitmod: section %u at offset 0x%llx: %s (%s)",
                                                static_cast<unsigned>(section), static_cast<unsigned long long>(offset),
                                                reason, to_string(kind).data());
  m.length = n < 0 ? 0 : (static_cast<std::size_t>(n) < m.capacity ? static_cast<std::size_t>(n) : m.capacity - 1);
  return m;
}

}  // namespace vitte::loader

#endif  // VITTE_LOADER_IMPL_FORMAT_ERROR_IPP
