// A few helpers that write WebAssembly binaries by hand for the tests, the
// fuzz seeds and the benchmarks: sections, vectors, names, function bodies.
#ifndef VITTE_TESTS_WASM_BUILDER_HPP
#define VITTE_TESTS_WASM_BUILDER_HPP

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace wasm_builder {

using bytes = std::vector<std::uint8_t>;

inline bytes leb(std::uint64_t v) {
  bytes out;
  do {
    std::uint8_t b = v & 0x7f;
    v >>= 7;
    out.push_back(static_cast<std::uint8_t>(b | (v ? 0x80 : 0)));
  } while (v);
  return out;
}

inline bytes sleb(std::int64_t v) {
  bytes out;
  for (;;) {
    std::uint8_t b = v & 0x7f;
    v >>= 7;
    bool done = (v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40));
    out.push_back(static_cast<std::uint8_t>(b | (done ? 0 : 0x80)));
    if (done) return out;
  }
}

inline bytes cat(std::initializer_list<bytes> parts) {
  bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline bytes name(const std::string& s) { return cat({leb(s.size()), bytes(s.begin(), s.end())}); }

/// A vector: its count, then the items.
inline bytes vec(std::initializer_list<bytes> items) {
  bytes out = leb(items.size());
  for (const auto& i : items) out.insert(out.end(), i.begin(), i.end());
  return out;
}

inline bytes section(std::uint8_t id, const bytes& content) { return cat({{id}, leb(content.size()), content}); }

/// A function type: 0x60, params, results (value type bytes).
inline bytes functype(bytes params, bytes results) {
  return cat({{0x60}, leb(params.size()), params, leb(results.size()), results});
}

/// A function body: local groups (count, type) and code (without the final end).
inline bytes body(std::initializer_list<std::pair<std::uint32_t, std::uint8_t>> locals, const bytes& code) {
  bytes l = leb(locals.size());
  for (const auto& [n, t] : locals) {
    bytes c = leb(n);
    l.insert(l.end(), c.begin(), c.end());
    l.push_back(t);
  }
  bytes all = cat({l, code, {0x0b}});
  return cat({leb(all.size()), all});
}

inline bytes header() { return {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}; }

inline bytes export_func(const std::string& n, std::uint32_t index) { return cat({name(n), {0x00}, leb(index)}); }

/// A name section naming functions: (index, name) pairs.
inline bytes names(std::initializer_list<std::pair<std::uint32_t, std::string>> fns) {
  bytes m = leb(fns.size());
  for (const auto& [i, n] : fns) {
    bytes e = cat({leb(i), name(n)});
    m.insert(m.end(), e.begin(), e.end());
  }
  bytes sub = cat({{0x01}, leb(m.size()), m});
  return section(0, cat({name("name"), sub}));
}

}  // namespace wasm_builder

#endif  // VITTE_TESTS_WASM_BUILDER_HPP
