// vitte/base/detail/json_reader.hpp - the JSON the build kit writes and reads
// back (a package's manifest.json, a compile_commands.json): a string
// escaper and a small reader with a depth limit, which says what was wrong
// and at which byte.
#ifndef VITTE_BASE_DETAIL_JSON_READER_HPP
#define VITTE_BASE_DETAIL_JSON_READER_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/detail/decimal.hpp>      // number_of
#include <vitte/base/detail/hex.hpp>          // hex_value
#include <vitte/base/detail/json.hpp>         // json_escape
#include <vitte/base/detail/utf8_encode.hpp>  // \u escapes
#include <vitte/base/diagnostic.hpp>          // describe()
#include <vitte/base/text_view.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vitte::detail {

/// `s` as a JSON string, quotes included, appended to `out`.
VITTE_DECL void append_json(std::string& out, text_view s);

struct json_value {
  enum class kind : std::uint8_t { null, boolean, number, string, array, object };
  kind type = kind::null;
  bool boolean = false;
  std::string string;             ///< A string's value, or a number as written.
  std::vector<json_value> items;  ///< An array's values, or an object's (names in `names`).
  std::vector<std::string> names;

  /// The member `key` of an object, or nullptr.
  const json_value* get(text_view key) const noexcept;
  /// A string member's value, "" when absent or not a string.
  text_view text_of(text_view key) const noexcept;
  /// A non-negative integer member (false when absent, not one, or > 18 digits).
  bool number_of(text_view key, std::uint64_t& out) const noexcept;
};

/// Parses `s` (RFC 8259; at most 64 levels deep). On failure returns false
/// with `what` and `at` (a byte offset) set.
class json_reader {
 public:
  explicit json_reader(text_view s) : s_(s) {}

  bool parse(json_value& out);
  const char* what = "";
  std::size_t at = 0;

  /// The model (vitte/base/diagnostic.hpp): `what` at byte `at`. The caller
  /// names the file: `jr.describe().of(errc::malformed).about(path)`.
  vitte::diagnostic describe() const noexcept { return vitte::diagnostic().at(at).say(what); }

 private:
  bool fail(const char* w);
  void skip();
  bool literal(text_view word);
  bool code_unit(std::uint32_t& u);
  bool string(std::string& out);
  bool number(std::string& out);
  bool value(json_value& v, int depth);

  text_view s_;
  std::size_t i_ = 0;
};

}  // namespace vitte::detail

#if VITTE_HEADER_ONLY
#include <vitte/base/detail/json_reader.ipp>
#endif

#endif  // VITTE_BASE_DETAIL_JSON_READER_HPP
