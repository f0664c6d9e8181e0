// Days since 1970-01-01 as a civil (proleptic Gregorian) date, written once
// for every layer that prints or packs a date: the log's timestamps, a
// cabinet's DOS times, a xar archive's ISO 8601 times. Howard Hinnant's
// algorithm: exact for every 64-bit day count a time in seconds gives.
//
//   std::int64_t y; unsigned m, d;
//   vitte::detail::civil_from_days(19675, y, m, d);   // 2023-11-14
#ifndef VITTE_BASE_DETAIL_CIVIL_HPP
#define VITTE_BASE_DETAIL_CIVIL_HPP

#include <cstdint>

namespace vitte::detail {

/// The year, month (1..12) and day (1..31) of day `z` counted from 1970-01-01 (negative: before it).
constexpr void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
}

/// The day (counted from 1970-01-01) and the second of that day (0..86399) of `seconds` since 1970.
constexpr void split_seconds(std::int64_t seconds, std::int64_t& day, std::uint32_t& second_of_day) noexcept {
  day = seconds >= 0 ? seconds / 86400 : -((-(seconds + 1)) / 86400) - 1;
  second_of_day = static_cast<std::uint32_t>(seconds - day * 86400);
}

}  // namespace vitte::detail

#endif  // VITTE_BASE_DETAIL_CIVIL_HPP
