// vitte/cache/impl/depfile.ipp - parse_depfile (vitte/cache/depfile.hpp).
#ifndef VITTE_CACHE_IMPL_DEPFILE_IPP
#define VITTE_CACHE_IMPL_DEPFILE_IPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic.hpp>  // the problem's line and column
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/cache/depfile.hpp>
#include <vitte/cache/operations.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::cache {

VITTE_DECL result<depfile> parse_depfile(text_view s, diagnostic* why) {
  depfile out;
  std::size_t i = 0, line = 1, line_start = 0;
  auto fail = [&](const char* what) -> error {
    if (why != nullptr) {
      why->clear();
      why->of(errc::malformed)
          .at_line(static_cast<std::uint32_t>(line), static_cast<std::uint32_t>(i - line_start + 1))
          .say(what);
    }
    return error(errc::malformed, ops::depfile_read);
  };
  auto seen = [](const buffer<text>& list, const text& w) {
    for (const text& x : list)
      if (x == w) return true;
    return false;
  };
  // A line ends at LF, CRLF, or a CR that ends the text; any other CR is
  // part of a name (GCC writes a path's CR as it is).
  auto line_end = [&](std::size_t j) {
    return s[j] == '\n' || (s[j] == '\r' && (j + 1 == s.size() || s[j + 1] == '\n'));
  };
  bool in_deps = false;          // after the ':' of the current rule
  std::size_t rule_targets = 0;  // targets before it
  for (;;) {
    // Skip blanks and line continuations.
    while (i < s.size()) {
      if (s[i] == ' ' || s[i] == '\t') {
        ++i;
      } else if (s[i] == '\\' && i + 1 < s.size() && line_end(i + 1)) {
        i += s[i + 1] == '\r' && i + 2 < s.size() && s[i + 2] == '\n' ? 3 : 2;
        ++line;
        line_start = i;
      } else {
        break;
      }
    }
    if (i >= s.size()) break;
    if (line_end(i)) {
      i += s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n' ? 2 : 1;
      ++line;
      line_start = i;
      in_deps = false;
      rule_targets = 0;
      continue;
    }
    if (s[i] == '#') {  // a comment runs to the end of the line
      while (i < s.size() && s[i] != '\n') ++i;
      continue;
    }
    if (s[i] == ':') {
      if (in_deps) return fail("a second ':' in one rule");
      if (rule_targets == 0) return fail("a ':' with no target before it");
      in_deps = true;
      ++i;
      continue;
    }
    // A word: up to an unescaped blank, newline, or a ':' that ends the targets.
    text w;
    while (i < s.size()) {
      const char c = s[i];
      if (c == ' ' || c == '\t' || line_end(i)) break;
      if (c == '\\' && i + 1 < s.size()) {
        // As GCC writes them: 2N+1 backslashes before a blank are N
        // backslashes and the blank, 2N are N backslashes ending the name
        // (before a line's end too, the odd one continuing the line);
        // N+1 before '#' are N and the '#'; `\:` is ':'; other
        // backslashes are themselves (a name's `a\\b` is written as it is).
        std::size_t k = 0;
        while (i + k < s.size() && s[i + k] == '\\') ++k;
        const char n = i + k < s.size() ? s[i + k] : '\0';
        if (i + k < s.size() && n == '#') {  // GCC escapes '#' alone: `a\\\#` is `a\\#`
          w.append(k - 1, '\\');
          w.push_back(n);
          i += k + 1;
          continue;
        }
        if (i + k < s.size() && (n == ' ' || n == '\t')) {
          w.append(k / 2, '\\');
          i += k;
          if (k % 2 == 0) break;
          w.push_back(n);
          ++i;
          continue;
        }
        if (k == 1 && n == ':') {
          w.push_back(n);
          i += 2;
          continue;
        }
        if (i + k < s.size() && line_end(i + k)) {  // a continuation when odd
          w.append(k / 2, '\\');
          i += k - k % 2;
          break;
        }
        w.append(k, '\\');
        i += k;
        continue;
      }
      if (c == '$' && i + 1 < s.size() && s[i + 1] == '$') {
        w.push_back('$');
        i += 2;
        continue;
      }
      // ':' ends a target unless it is a drive letter (C:\x, C:/x).
      if (c == ':' && !in_deps && !(w.size() == 1 && i + 1 < s.size() && (s[i + 1] == '\\' || s[i + 1] == '/'))) break;
      w.push_back(c);
      ++i;
    }
    if (w.empty()) return fail("unexpected character");
    if (in_deps) {
      if (!seen(out.dependencies, w)) out.dependencies.push_back(std::move(w));
    } else {
      // Targets must be followed by ':' on the same logical line.
      std::size_t j = i;
      while (j < s.size() && (s[j] == ' ' || s[j] == '\t')) ++j;
      if (j >= s.size() || line_end(j)) {
        i = j;
        return fail("expected ':' after the targets");
      }
      ++rule_targets;
      if (!seen(out.targets, w)) out.targets.push_back(std::move(w));
    }
  }
  // -MP phony rules name dependencies as targets: they are not outputs.
  buffer<text> real;
  for (text& t : out.targets)
    if (!seen(out.dependencies, t)) real.push_back(std::move(t));
  out.targets = std::move(real);
  return out;
}

}  // namespace vitte::cache

#endif  // VITTE_CACHE_IMPL_DEPFILE_IPP
