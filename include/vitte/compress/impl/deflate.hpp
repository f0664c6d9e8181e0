// DEFLATE encoding (vitte/compress/deflate.hpp): hash chains over the
// whole input (a one-shot compressor needs no sliding copy), zlib's
// per-level parameters (greedy below level 4, lazy from 4), blocks of up
// to 16,384 symbols each written as the cheapest of dynamic Huffman, fixed
// Huffman or stored. Code lengths come from Moffat and Katajainen's
// in-place minimum-redundancy algorithm, limited to 15 (7 for the
// code-length code) as miniz does.
#ifndef VITTE_COMPRESS_IMPL_DEFLATE_HPP
#define VITTE_COMPRESS_IMPL_DEFLATE_HPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/detail/endian.hpp>  // the bit writer flushes 32 bits
#include <vitte/base/result.hpp>
#include <vitte/base/span.hpp>
#include <vitte/compress/impl/inflate.hpp>  // the length and distance tables
#include <vitte/compress/operations.hpp>

#include <algorithm>  // std::sort of symbol frequencies
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
  explicit bit_writer(buffer<std::uint8_t>& out, std::uint64_t acc = 0, unsigned n = 0)
      : out_(out), len_(out.size()), acc_(acc), n_(n) {}
  std::uint64_t pending_bits() const noexcept { return acc_; }
  unsigned pending_count() const noexcept { return n_; }
  /// Writes the whole bytes of the pending bits, keeping fewer than 8.
  bool drain() {
    while (n_ >= 8) {
      if (!reserve(1)) return false;
      out_.data()[len_++] = static_cast<std::uint8_t>(acc_);
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
      std::uint8_t* o = out_.data() + len_;
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
      out_.data()[len_++] = static_cast<std::uint8_t>(acc_);
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
  buffer<std::uint8_t>& out_;
  std::size_t len_ = 0;
  std::uint64_t acc_ = 0;
  unsigned n_ = 0;
};

// Code lengths (at most `limit` bits) for `n` symbol frequencies; at least
// two codes get a length when two or more symbols exist (zlib's rule).
inline void huffman_lengths(const std::uint32_t* freq, unsigned n, unsigned limit, std::uint8_t* lengths) {
  struct sym {
    std::uint32_t freq;
    std::uint16_t index;
  };
  sym s[288];
  unsigned used = 0;
  for (unsigned i = 0; i < n; ++i) {
    lengths[i] = 0;
    if (freq[i] != 0) s[used++] = {freq[i], static_cast<std::uint16_t>(i)};
  }
  if (used == 0) return;
  if (used == 1) {
    lengths[s[0].index] = 1;
    return;
  }
  std::sort(s, s + used,
            [](const sym& a, const sym& b) { return a.freq != b.freq ? a.freq < b.freq : a.index < b.index; });
  // Moffat-Katajainen, in place over the sorted frequencies.
  std::uint32_t a[288];
  for (unsigned i = 0; i < used; ++i) a[i] = s[i].freq;
  const int m = static_cast<int>(used);
  a[0] += a[1];
  int root = 0, leaf = 2;
  for (int next = 1; next < m - 1; ++next) {
    if (leaf >= m || a[root] < a[leaf]) {
      a[next] = a[root];
      a[root++] = static_cast<std::uint32_t>(next);
    } else {
      a[next] = a[leaf++];
    }
    if (leaf >= m || (root < next && a[root] < a[leaf])) {
      a[next] += a[root];
      a[root++] = static_cast<std::uint32_t>(next);
    } else {
      a[next] += a[leaf++];
    }
  }
  a[m - 2] = 0;
  for (int next = m - 3; next >= 0; --next) a[next] = a[a[next]] + 1;
  int avail = 1, used_nodes = 0, depth = 0;
  root = m - 2;
  int next = m - 1;
  while (avail > 0) {
    while (root >= 0 && static_cast<int>(a[root]) == depth) {
      ++used_nodes;
      --root;
    }
    while (avail > used_nodes) {
      a[next--] = static_cast<std::uint32_t>(depth);
      --avail;
    }
    avail = 2 * used_nodes;
    ++depth;
    used_nodes = 0;
  }
  // Count per length, then limit (miniz's tdefl_huffman_enforce_max_code_size).
  std::uint32_t count[33] = {};
  for (unsigned i = 0; i < used; ++i) ++count[a[i] > 32 ? 32 : a[i]];
  for (unsigned i = limit + 1; i <= 32; ++i) count[limit] += count[i];
  std::uint32_t total = 0;
  for (unsigned i = limit; i > 0; --i) total += count[i] << (limit - i);
  while (total != (1u << limit)) {
    --count[limit];
    for (unsigned i = limit - 1; i > 0; --i)
      if (count[i] != 0) {
        --count[i];
        count[i + 1] += 2;
        break;
      }
    --total;
  }
  // The shortest lengths to the most frequent symbols.
  unsigned j = used;
  for (unsigned len = 1; len <= limit; ++len)
    for (std::uint32_t k = count[len]; k > 0; --k) lengths[s[--j].index] = static_cast<std::uint8_t>(len);
}

// Canonical codes, bit-reversed for writing LSB first.
inline void canonical_codes(const std::uint8_t* lengths, unsigned n, std::uint16_t* codes) {
  std::uint16_t count[16] = {}, next[16] = {};
  for (unsigned i = 0; i < n; ++i) ++count[lengths[i]];
  count[0] = 0;
  unsigned code = 0;
  for (unsigned len = 1; len <= 15; ++len) {
    code = (code + count[len - 1]) << 1;
    next[len] = static_cast<std::uint16_t>(code);
  }
  for (unsigned i = 0; i < n; ++i) {
    const unsigned len = lengths[i];
    codes[i] = len == 0 ? 0 : static_cast<std::uint16_t>(huffman::reverse(next[len]++, len));
  }
}

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

  vitte::error run(buffer<std::uint8_t>& out) {
    bit_writer w(out);
    if (vitte::error e = run(w, true)) return e;
    if (!w.align()) return vitte::error{errc::no_memory, ops::deflate};
    w.finish();
    return {};
  }

  /// Writes the blocks of in[start, size) to `w`; the last has BFINAL set
  /// when `last` (the caller aligns and finishes `w`).
  vitte::error run(bit_writer& w, bool last) {
    head_.reset(new (std::nothrow) std::uint32_t[1u << hash_bits]);
    prev_.reset(new (std::nothrow) std::uint32_t[window]);
    syms_.reset(new (std::nothrow) std::uint32_t[max_symbols]);
    if (!head_ || !prev_ || !syms_) return vitte::error{errc::no_memory, ops::deflate};
    for (std::size_t i = 0; i < (1u << hash_bits); ++i) head_[i] = none;
    for (std::size_t p = 0; p < start_; ++p) insert(p);  // the history, as a dictionary
    block_at_ = start_;
    w_ = &w;
    if (!(lazy_ ? compress_lazy() : compress_greedy())) return vitte::error{errc::no_memory, ops::deflate};
    if ((last || block_at_ < n_) && !flush(last, true)) return vitte::error{errc::no_memory, ops::deflate};
    return {};
  }

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
    while (c != none && c >= limit && c < p && chain-- != 0) {
      const std::uint8_t* m = in_ + c;
      if (m[best] == s[best] && m[0] == s[0] && m[1] == s[1]) {
        unsigned len = 2;
        while (len < max_len && m[len] == s[len]) ++len;
        if (len > best) {
          best = len;
          dist = static_cast<std::uint32_t>(p - c);
          if (len >= cfg_.nice || len >= max_len) break;
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

  bool compress_greedy() {
    std::size_t p = start_;
    while (p < n_) {
      std::uint32_t dist = 0;
      unsigned len = p + 2 < n_ ? longest(p, 2, cfg_.chain, dist) : 0;
      if (len == 3 && dist > 4096) len = 0;  // zlib's TOO_FAR: a far 3-byte match costs more than it saves
      if (len >= 3) {
        if (!match(len, dist)) return false;
        if (len <= cfg_.lazy) {  // insert every position of short matches (zlib's max_insert_length)
          for (std::size_t k = 0; k < len; ++k) insert(p + k);
        } else {
          insert(p);
        }
        p += len;
      } else {
        insert(p);
        if (!literal(in_[p])) return false;
        ++p;
      }
    }
    return true;
  }

  bool compress_lazy() {
    std::size_t p = start_;
    unsigned prev_len = 0;
    std::uint32_t prev_dist = 0;
    bool have_prev = false;  // a literal at p-1 waits to be emitted
    while (p < n_) {
      std::uint32_t dist = 0;
      unsigned len = 0;
      if (prev_len < cfg_.lazy && p + 2 < n_) {
        len = longest(p, prev_len > 2 ? prev_len : 2, cfg_.chain, dist);
        if (len == 3 && dist > 4096) len = 0;
      }
      insert(p);  // after the search: a position never matches itself
      if (prev_len >= 3 && len <= prev_len) {
        // The previous position's match wins: emit it and skip what it covers.
        if (!match(prev_len, prev_dist)) return false;
        const std::size_t end = p - 1 + prev_len;
        for (++p; p < end; ++p) insert(p);
        prev_len = 0;
        have_prev = false;
        continue;
      }
      if (have_prev && !literal(in_[p - 1])) return false;
      have_prev = true;
      prev_len = len;
      prev_dist = dist;
      ++p;
    }
    if (have_prev && !literal(in_[n_ - 1])) return false;
    return true;
  }

  // Writes the symbols gathered as one block: dynamic, fixed or stored,
  // whichever is smallest.
  bool flush(bool last, bool to_end = false) {
    const std::size_t end = last || to_end ? n_ : block_at_ + raw_bytes();
    ++lit_freq_[256];
    std::uint8_t ll[288 + 32], dl[30], cl[19];
    huffman_lengths(lit_freq_, 286, 15, ll);
    std::uint32_t dfreq[30];
    std::memcpy(dfreq, dist_freq_, sizeof dfreq);
    unsigned dused = 0;
    for (unsigned i = 0; i < 30; ++i) dused += dfreq[i] != 0;
    if (dused < 2) {  // at least two distance codes (zlib's rule), so every decoder accepts the code
      if (dfreq[0] == 0)
        dfreq[0] = 1;
      else
        dfreq[1] = 1;
    }
    huffman_lengths(dfreq, 30, 15, dl);
    unsigned hlit = 286, hdist = 30;
    while (hlit > 257 && ll[hlit - 1] == 0) --hlit;
    while (hdist > 1 && dl[hdist - 1] == 0) --hdist;
    // The code lengths, run-length coded with 16/17/18.
    std::uint8_t seq[286 + 30];
    std::memcpy(seq, ll, hlit);
    std::memcpy(seq + hlit, dl, hdist);
    const unsigned total = hlit + hdist;
    std::uint16_t rle[286 + 30];  // symbol | extra << 8
    unsigned nrle = 0;
    std::uint32_t cfreq[19] = {};
    for (unsigned i = 0; i < total;) {
      const std::uint8_t v = seq[i];
      unsigned run = 1;
      while (i + run < total && seq[i + run] == v) ++run;
      i += run;
      if (v == 0) {
        while (run >= 11) {
          const unsigned k = run < 138 ? run : 138;
          rle[nrle++] = static_cast<std::uint16_t>(18 | (k - 11) << 8);
          ++cfreq[18];
          run -= k;
        }
        if (run >= 3) {
          rle[nrle++] = static_cast<std::uint16_t>(17 | (run - 3) << 8);
          ++cfreq[17];
          run = 0;
        }
      } else {
        rle[nrle++] = v;
        ++cfreq[v];
        --run;
        while (run >= 3) {
          const unsigned k = run < 6 ? run : 6;
          rle[nrle++] = static_cast<std::uint16_t>(16 | (k - 3) << 8);
          ++cfreq[16];
          run -= k;
        }
      }
      while (run-- != 0) {
        rle[nrle++] = v;
        ++cfreq[v];
      }
    }
    huffman_lengths(cfreq, 19, 7, cl);
    unsigned hclen = 19;
    while (hclen > 4 && cl[clen_order[hclen - 1]] == 0) --hclen;
    // Sizes in bits.
    std::uint64_t dyn = 3 + 14 + 3 * hclen, fix = 3;
    for (unsigned i = 0; i < nrle; ++i) {
      const unsigned sym = rle[i] & 0xff;
      dyn += cl[sym] + (sym == 16 ? 2 : sym == 17 ? 3 : sym == 18 ? 7 : 0);
    }
    for (unsigned i = 0; i < 286; ++i) {
      const std::uint64_t extra = i >= 257 ? length_extra[i - 257] : 0;
      dyn += std::uint64_t{lit_freq_[i]} * (ll[i] + extra);
      fix += std::uint64_t{lit_freq_[i]} * ((i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8) + extra);
    }
    for (unsigned i = 0; i < 30; ++i) {
      dyn += std::uint64_t{dist_freq_[i]} * (dl[i] + dist_extra[i]);
      fix += std::uint64_t{dist_freq_[i]} * (5 + dist_extra[i]);
    }
    const std::size_t raw = end - block_at_;
    const std::uint64_t stored = 8 * (raw + 5 * ((raw + 65534) / 65535 + (raw == 0)));
    bool ok = true;
    if (stored + 8 < dyn && stored + 8 < fix) {
      ok = write_stored(last, end);
    } else {
      std::uint16_t lcode[288], dcode[30];
      if (fix <= dyn) {
        std::uint8_t fl[288], fd[30];
        for (unsigned i = 0; i < 288; ++i) fl[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
        for (unsigned i = 0; i < 30; ++i) fd[i] = 5;
        canonical_codes(fl, 288, lcode);
        canonical_codes(fd, 30, dcode);
        ok = w_->put(last ? 1 : 0, 1) && w_->put(1, 2) && symbols(lcode, fl, dcode, fd);
      } else {
        std::uint16_t ccode[19];
        canonical_codes(ll, 286, lcode);
        canonical_codes(dl, 30, dcode);
        canonical_codes(cl, 19, ccode);
        ok = w_->put(last ? 1 : 0, 1) && w_->put(2, 2) && w_->put(hlit - 257, 5) && w_->put(hdist - 1, 5) &&
             w_->put(hclen - 4, 4);
        for (unsigned i = 0; ok && i < hclen; ++i) ok = w_->put(cl[clen_order[i]], 3);
        for (unsigned i = 0; ok && i < nrle; ++i) {
          const unsigned sym = rle[i] & 0xff, extra = rle[i] >> 8;
          ok = w_->put(ccode[sym], cl[sym]);
          if (ok && sym >= 16) ok = w_->put(extra, sym == 16 ? 2 : sym == 17 ? 3 : 7);
        }
        ok = ok && symbols(lcode, ll, dcode, dl);
      }
    }
    block_at_ = end;
    count_ = 0;
    std::memset(lit_freq_, 0, sizeof lit_freq_);
    std::memset(dist_freq_, 0, sizeof dist_freq_);
    return ok;
  }

  // The input bytes the gathered symbols cover.
  std::size_t raw_bytes() const noexcept {
    std::size_t k = 0;
    for (unsigned i = 0; i < count_; ++i) k += syms_[i] & 0x80000000u ? (syms_[i] & 0x1ff) + 3 : 1;
    return k;
  }

  bool symbols(const std::uint16_t* lcode, const std::uint8_t* llen, const std::uint16_t* dcode,
               const std::uint8_t* dlen) {
    for (unsigned i = 0; i < count_; ++i) {
      const std::uint32_t s = syms_[i];
      if (!(s & 0x80000000u)) {
        if (!w_->put(lcode[s], llen[s])) return false;
        continue;
      }
      const unsigned len = (s & 0x1ff) + 3, dist = ((s >> 9) & 0x7fff) + 1;
      const unsigned lc = length_code(len), dc = dist_code(dist);
      if (!w_->put(lcode[257 + lc], llen[257 + lc]) || !w_->put(len - length_base[lc], length_extra[lc]) ||
          !w_->put(dcode[dc], dlen[dc]) || !w_->put(dist - dist_base[dc], dist_extra[dc]))
        return false;
    }
    return w_->put(lcode[256], llen[256]);
  }

  bool write_stored(bool last, std::size_t end) {
    std::size_t at = block_at_;
    do {
      const std::size_t k = end - at < 65535 ? end - at : 65535;
      const bool final = last && at + k == end;
      if (!w_->put(final ? 1 : 0, 1) || !w_->put(0, 2) || !w_->align()) return false;
      const std::uint8_t hdr[4] = {static_cast<std::uint8_t>(k), static_cast<std::uint8_t>(k >> 8),
                                   static_cast<std::uint8_t>(~k), static_cast<std::uint8_t>(~k >> 8)};
      if (!w_->bytes(hdr, 4) || !w_->bytes(in_ + at, k)) return false;
      at += k;
    } while (at < end);
    return true;
  }

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

namespace vitte::compress {

inline result<buffer<std::uint8_t>> deflate(span<const std::uint8_t> data, int level) {
  buffer<std::uint8_t> out;
  detail::deflater d(data, level);
  if (vitte::error e = d.run(out)) return e;
  return out;
}

inline result<buffer<std::uint8_t>> deflate(span<const std::uint8_t> data, span<const std::uint8_t> dictionary,
                                            int level) {
  // The dictionary's last window, then the data: the deflater's history.
  const span<const std::uint8_t> tail =
      dictionary.size() > detail::deflater::window ? dictionary.last(detail::deflater::window) : dictionary;
  buffer<std::uint8_t> joined;
  if (!joined.try_reserve(tail.size() + data.size())) return vitte::error{errc::no_memory, ops::deflate};
  joined.append(tail.data(), tail.size());
  joined.append(data.data(), data.size());
  buffer<std::uint8_t> out;
  detail::deflater d(span<const std::uint8_t>(joined.data(), joined.size()), level, tail.size());
  if (vitte::error e = d.run(out)) return e;
  return out;
}

}  // namespace vitte::compress

#endif  // VITTE_COMPRESS_IMPL_DEFLATE_HPP
