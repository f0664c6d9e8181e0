// vitte/log/level.hpp - log levels and the compile-time floor.
//
// Five levels, most severe first: error, warn, info, debug, trace. A build
// sets VITTE_LOG_FLOOR (0 off, 1 error ... 5 trace; default 5) to remove the
// calls below it entirely: VITTE_LOGGER_DEBUG(...) under -DVITTE_LOG_FLOOR=3
// compiles to nothing, its arguments unevaluated.
#ifndef VITTE_LOG_LEVEL_HPP
#define VITTE_LOG_LEVEL_HPP

#include <vitte/base/text_view.hpp>

#include <cstdint>

#ifndef VITTE_LOG_FLOOR
#define VITTE_LOG_FLOOR 5
#endif

namespace vitte::log {

/// How severe a line is. `off` as a threshold lets nothing through.
enum class level : std::uint8_t { off = 0, error = 1, warn = 2, info = 3, debug = 4, trace = 5 };

/// The lowest level compiled in (VITTE_LOG_FLOOR).
inline constexpr level compiled_floor = static_cast<level>(VITTE_LOG_FLOOR);

/// "error", "warn", "info", "debug", "trace"; "off".
constexpr text_view to_string(level l) noexcept {
  switch (l) {
    case level::off:
      return "off";
    case level::error:
      return "error";
    case level::warn:
      return "warn";
    case level::info:
      return "info";
    case level::debug:
      return "debug";
    case level::trace:
      return "trace";
  }
  return "off";
}

/// The level named `name` (as to_string spells it, or "warning"); false
/// when it names none.
constexpr bool parse_level(text_view name, level& out) noexcept {
  constexpr level all[] = {level::off, level::error, level::warn, level::info, level::debug, level::trace};
  for (level l : all)
    if (name == to_string(l)) {
      out = l;
      return true;
    }
  if (name != "warning") return false;
  out = level::warn;
  return true;
}

}  // namespace vitte::log

#endif  // VITTE_LOG_LEVEL_HPP
