// DEFLATE encoding (vitte/compress/deflate.hpp): hash chains over the
// whole input (a one-shot compressor needs no sliding copy), zlib's
// per-level parameters (greedy below level 4, lazy from 4), blocks of up
// to 16,384 symbols each written as the cheapest of dynamic Huffman, fixed
// Huffman or stored. Code lengths come from Moffat and Katajainen's
// in-place minimum-redundancy algorithm, limited to 15 (7 for the
// code-length code) as miniz does. The types and the per-symbol helpers
// (bit_writer, the match finder); the bodies are in impl/deflate.ipp.
#ifndef VITTE_COMPRESS_IMPL_DEFLATE_HPP
#define VITTE_COMPRESS_IMPL_DEFLATE_HPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/detail/endian.hpp>  // the bit writer flushes 32 bits
#include <vitte/base/result.hpp>
#include <vitte/base/span.hpp>
#include <vitte/compress/impl/inflate.hpp>  // the length and distance tables
#include <vitte/compress/operations.hpp>

#include <bit>  // std::countr_zero: where two words of a match differ
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>  // the compressor's tables

namespace vitte::compress::detail {

struct level_config {
  std::uint16_t good, lazy, nice, chain;
};
// zlib's configuration_table (deflate.c), levels 1-9.
inline constexpr level_config level_configs[10] = {
    {0, 0, 0, 0},    {4, 4, 8, 4},      {4, 5, 16, 8},     {4, 6, 32, 32},       {4, 4, 16, 16},
    {8, 16, 32, 32}, {8, 16, 128, 128}, {8, 32, 128, 256}, {32, 128, 258, 1024}, {32, 258, 258, 4096}};

class bit_writer {
 public:
  /// Appends to `out`; `acc`/`n` carry the bits a previous writer left
  /// (a stream written in pieces).
  explicit bit_writer(buffer<std::byte>& out, std::uint64_t acc = 0, unsigned n = 0)
      : out_(out), len_(out.size()), acc_(acc), n_(n) {}
  std::uint64_t pending_bits() const noexcept { return acc_; }
  unsigned pending_count() const noexcept { return n_; }
  /// Writes the whole bytes of the pending bits, keeping fewer than 8.
  bool drain() {
    while (n_ >= 8) {
      if (!reserve(1)) return false;
      octets(out_.data())[len_++] = static_cast<std::uint8_t>(acc_);
      acc_ >>= 8;
      n_ -= 8;
    }
    return true;
  }
  bool put(std::uint32_t v, unsigned k) {
    acc_ |= std::uint64_t{v} << n_;
    n_ += k;
    if (n_ >= 32) {
      if (!reserve(4)) return false;
      std::uint8_t* o = octets(out_.data()) + len_;
      vitte::detail::store_le(o, static_cast<std::uint32_t>(acc_));
      len_ += 4;
      acc_ >>= 32;
      n_ -= 32;
    }
    return true;
  }
  // Flushes to a byte boundary (zero bits).
  bool align() {
    while (n_ > 0) {
      if (!reserve(1)) return false;
      octets(out_.data())[len_++] = static_cast<std::uint8_t>(acc_);
      acc_ >>= 8;
      n_ = n_ >= 8 ? n_ - 8 : 0;
    }
    acc_ = 0;
    return true;
  }
  bool bytes(const std::uint8_t* p, std::size_t k) {
    if (!reserve(k)) return false;
    std::memcpy(out_.data() + len_, p, k);
    len_ += k;
    return true;
  }
  void finish() { (void)out_.try_resize_for_overwrite(len_); }  // shrinks: as in inflater::finish

 private:
  bool reserve(std::size_t k) {
    if (len_ + k <= out_.size()) return true;
    std::size_t cap = out_.size() < 4096 ? 4096 : out_.size() * 2;
    while (cap < len_ + k) cap *= 2;
    return out_.try_resize_for_overwrite(cap);
  }
  buffer<std::byte>& out_;
  std::size_t len_ = 0;
  std::uint64_t acc_ = 0;
  unsigned n_ = 0;
};

// Code lengths (at most `limit` bits) for `n` symbol frequencies; at least
// two codes get a length when two or more symbols exist (zlib's rule).
VITTE_DECL void huffman_lengths(const std::uint32_t* freq, unsigned n, unsigned limit, std::uint8_t* lengths);
// Canonical codes, bit-reversed for writing LSB first.
VITTE_DECL void canonical_codes(const std::uint8_t* lengths, unsigned n, std::uint16_t* codes);

struct length_codes {
  std::uint8_t code[259];
};
constexpr length_codes make_length_codes() noexcept {
  length_codes t{};
  for (unsigned len = 3; len <= 258; ++len) {
    unsigned i = 0;
    while (i < 28 && length_base[i + 1] <= len) ++i;
    t.code[len] = static_cast<std::uint8_t>(i);
  }
  return t;
}
inline constexpr length_codes length_code_table = make_length_codes();
inline unsigned length_code(unsigned len) noexcept { return length_code_table.code[len]; }  // 3..258 -> 0..28
inline unsigned dist_code(unsigned d) noexcept {                                            // 1..32768 -> 0..29
  if (d <= 4) return d - 1;
  const unsigned b = 31 - static_cast<unsigned>(__builtin_clz(d - 1));  // d-1 has b+1 bits
  return 2 * b + (((d - 1) >> (b - 1)) & 1);
}

class deflater {
 public:
  static constexpr unsigned window = 32768, hash_bits = 15, max_symbols = 16384;

  /// Compresses in[start, size): the bytes before `start` (at most a
  /// window) are history that matches may refer to, never written.
  deflater(span<const std::uint8_t> in, int level, std::size_t start = 0)
      : in_(in.data()),
        n_(in.size()),
        start_(start),
        cfg_(level_configs[level < 1   ? 1
                           : level > 9 ? 9
                                       : level]),
        lazy_(level >= 4) {}

  vitte::error run(buffer<std::byte>& out);

  /// Writes the blocks of in[start, size) to `w`; the last has BFINAL set
  /// when `last` (the caller aligns and finishes `w`).
  vitte::error run(bit_writer& w, bool last);

 private:
  static constexpr std::uint32_t none = 0xffffffffu;

  std::uint32_t hash(std::size_t p) const noexcept {
    const std::uint32_t v = std::uint32_t{in_[p]} | std::uint32_t{in_[p + 1]} << 8 | std::uint32_t{in_[p + 2]} << 16;
    return (v * 0x9e3779b1u) >> (32 - hash_bits);
  }
  void insert(std::size_t p) noexcept {
    if (p + 2 >= n_) return;
    const std::uint32_t h = hash(p);
    prev_[p & (window - 1)] = head_[h];
    head_[h] = static_cast<std::uint32_t>(p);
  }
  // How many of the first `max` bytes at a and b are equal: 8 at a time
  // (the first that differs is the lowest set byte of the words' xor, read
  // little-endian on every host), then one at a time.
  static unsigned common_prefix(const std::uint8_t* a, const std::uint8_t* b, unsigned max) noexcept {
    unsigned k = 0;
    for (; k + 8 <= max; k += 8) {
      const std::uint64_t x =
          vitte::detail::load_le<std::uint64_t>(a + k) ^ vitte::detail::load_le<std::uint64_t>(b + k);
      if (x != 0) return k + static_cast<unsigned>(std::countr_zero(x)) / 8;
    }
    while (k < max && a[k] == b[k]) ++k;
    return k;
  }
  // The longest match at p (length 0 when shorter than 3), at most `chain`
  // candidates, stopping at `nice`.
  unsigned longest(std::size_t p, unsigned best_len, unsigned chain, std::uint32_t& dist) const noexcept {
    const std::size_t avail = n_ - p;
    const unsigned max_len = avail < 258 ? static_cast<unsigned>(avail) : 258;
    if (max_len < 3 || best_len >= max_len) return 0;
    unsigned best = best_len;
    const std::size_t limit = p > window - 262 ? p - (window - 262) : 0;
    std::uint32_t c = head_[hash(p)];
    if (best >= cfg_.good) chain >>= 2;
    const std::uint8_t* s = in_ + p;
    // A candidate longer than `best` repeats s[0, best]: its first two bytes
    // and the two that end at s[best] are compared first, as words.
    const std::uint16_t s_start = vitte::detail::load_le<std::uint16_t>(s);
    std::uint16_t s_end = vitte::detail::load_le<std::uint16_t>(s + best - 1);
    while (c != none && c >= limit && c < p && chain-- != 0) {
      const std::uint8_t* m = in_ + c;
      if (vitte::detail::load_le<std::uint16_t>(m + best - 1) == s_end &&
          vitte::detail::load_le<std::uint16_t>(m) == s_start) {
        const unsigned len = 2 + common_prefix(m + 2, s + 2, max_len - 2);
        if (len > best) {
          best = len;
          dist = static_cast<std::uint32_t>(p - c);
          if (len >= cfg_.nice || len >= max_len) break;
          s_end = vitte::detail::load_le<std::uint16_t>(s + best - 1);
        }
      }
      const std::uint32_t nc = prev_[c & (window - 1)];
      if (nc >= c) break;  // older entries only
      c = nc;
    }
    return best > best_len ? best : 0;
  }

  bool literal(std::uint8_t b) {
    syms_[count_++] = b;
    ++lit_freq_[b];
    return count_ < max_symbols || flush(false);
  }
  bool match(unsigned len, unsigned dist) {
    syms_[count_++] = 0x80000000u | (dist - 1) << 9 | (len - 3);
    ++lit_freq_[257 + length_code(len)];
    ++dist_freq_[dist_code(dist)];
    return count_ < max_symbols || flush(false);
  }

  bool compress_greedy();

  bool compress_lazy();

  // Writes the symbols gathered as one block: dynamic, fixed or stored,
  // whichever is smallest.
  bool flush(bool last, bool to_end = false);

  // The input bytes the gathered symbols cover.
  std::size_t raw_bytes() const noexcept;

  bool symbols(const std::uint16_t* lcode, const std::uint8_t* llen, const std::uint16_t* dcode,
               const std::uint8_t* dlen);

  bool write_stored(bool last, std::size_t end);

  const std::uint8_t* in_;
  std::size_t n_;
  std::size_t start_;
  level_config cfg_;
  bool lazy_;
  std::unique_ptr<std::uint32_t[]> head_, prev_, syms_;
  unsigned count_ = 0;
  std::uint32_t lit_freq_[288] = {}, dist_freq_[30] = {};
  std::size_t block_at_ = 0;
  bit_writer* w_ = nullptr;
};

}  // namespace vitte::compress::detail

#endif  // VITTE_COMPRESS_IMPL_DEFLATE_HPP
