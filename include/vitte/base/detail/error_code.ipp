// Out-of-line part of vitte/base/error_code.hpp: vitte's categories (and
// Windows' codes through vitte's classification) and the conversion.
#ifndef VITTE_BASE_DETAIL_ERROR_CODE_IPP
#define VITTE_BASE_DETAIL_ERROR_CODE_IPP

#include <vitte/base/error_code.hpp>

#include <string>
#include <system_error>

namespace vitte {

namespace detail {
class vitte_category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "vitte"; }
  std::string message(int value) const override { return std::string(to_string(static_cast<errc>(value))); }
  std::error_condition default_error_condition(int value) const noexcept override {
    std::errc c = to_std_errc(static_cast<errc>(value));
    if (c == std::errc{}) return {value, *this};
    return std::make_error_condition(c);
  }
};

#if VITTE_OS_WINDOWS
class win32_category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "win32"; }
  std::string message(int value) const override {
    char text[256];
    std::size_t n = native_error_text(error_domain::win32, value, text, sizeof text);
    return std::string(text, n);
  }
  std::error_condition default_error_condition(int value) const noexcept override {
    std::errc c = to_std_errc(classify_native(value));
    if (c == std::errc{}) return {value, *this};
    return std::make_error_condition(c);
  }
};

VITTE_DECL const std::error_category& win32_error_category() noexcept {
  static const win32_category category;
  return category;
}
#endif
}  // namespace detail

VITTE_DECL const std::error_category& error_category() noexcept {
  static const detail::vitte_category category;
  return category;
}

VITTE_DECL std::error_code to_error_code(const error& e) noexcept {
  if (!e) return {};
  if (e.domain() == error_domain::posix) return {e.native(), std::generic_category()};
#if VITTE_OS_WINDOWS
  if (e.domain() == error_domain::win32) return {e.native(), detail::win32_error_category()};
#else
  if (e.domain() == error_domain::win32) return {e.native(), std::system_category()};
#endif
  return make_error_code(e.kind());
}

}  // namespace vitte

#endif  // VITTE_BASE_DETAIL_ERROR_CODE_IPP
