// Out-of-line part of vitte/base/error.hpp: error::message(), and the
// native errors (picks the OS family's file: text and classification).
#ifndef VITTE_BASE_DETAIL_ERROR_IPP
#define VITTE_BASE_DETAIL_ERROR_IPP

#include <vitte/base/detail/text.hpp>  // text_writer
#include <vitte/base/error.hpp>

#if VITTE_OS_POSIX
#include <vitte/base/detail/posix/native_error.ipp>
#elif VITTE_OS_WINDOWS
#include <vitte/base/detail/win32/native_error.ipp>
#else
namespace vitte::detail {
VITTE_DECL std::size_t native_error_text(error_domain, std::int32_t, char* buf, std::size_t n) noexcept {
  if (n != 0) buf[0] = '\0';
  return 0;  // bare metal: there is no OS to describe its codes
}
VITTE_DECL errc classify_native(std::int32_t c) noexcept { return c == 0 ? errc::ok : errc::unknown; }
}  // namespace vitte::detail
#endif

namespace vitte {

VITTE_DECL error_message error::message() const noexcept {
  error_message m;
  detail::text_writer w{m.text, error_message::capacity};
  if (text_view name = to_string(op_); !name.empty()) {
    w.append(name);
  } else {  // a facility that registered no names
    w.append("facility ");
    w.append_int(static_cast<std::uint8_t>(op_.facility()));
    w.append(" op ");
    w.append_int(op_.code());
  }
  w.append(": ");
  w.append(to_string(kind_));
  if (domain_ == error_domain::none) return w.finish(m);

  w.append(domain_ == error_domain::posix ? " (errno " : " (win32 ");
  w.append_int(native_);
  char os_text[96];
  std::size_t n = detail::native_error_text(domain_, native_, os_text, sizeof os_text);
  if (n != 0) {
    w.append(": ");
    w.append(text_view{os_text, n});
  }
  w.append(")");
  return w.finish(m);
}

}  // namespace vitte

#endif  // VITTE_BASE_DETAIL_ERROR_IPP
