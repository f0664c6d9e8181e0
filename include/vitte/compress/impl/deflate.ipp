// vitte/compress/impl/deflate.ipp - DEFLATE encoding (vitte/compress/deflate.hpp):
// code lengths, the deflater's matching and blocks, deflate().
#ifndef VITTE_COMPRESS_IMPL_DEFLATE_IPP
#define VITTE_COMPRESS_IMPL_DEFLATE_IPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/detail/bytes.hpp>  // octets_of: the input as octets
#include <vitte/base/result.hpp>
#include <vitte/base/span.hpp>
#include <vitte/compress/deflate.hpp>
#include <vitte/compress/impl/deflate.hpp>
#include <vitte/compress/impl/inflate.hpp>  // the length and distance tables
#include <vitte/compress/operations.hpp>

#include <algorithm>  // std::sort of symbol frequencies
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>  // the compressor's tables

namespace vitte::compress::detail {

// Code lengths (at most `limit` bits) for `n` symbol frequencies; at least
// two codes get a length when two or more symbols exist (zlib's rule).
VITTE_DECL void huffman_lengths(const std::uint32_t* freq, unsigned n, unsigned limit, std::uint8_t* lengths) {
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
VITTE_DECL void canonical_codes(const std::uint8_t* lengths, unsigned n, std::uint16_t* codes) {
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

VITTE_DECL vitte::error deflater::run(buffer<std::byte>& out) {
  bit_writer w(out);
  if (vitte::error e = run(w, true)) return e;
  if (!w.align()) return vitte::error{errc::no_memory, ops::deflate};
  w.finish();
  return {};
}

VITTE_DECL vitte::error deflater::run(bit_writer& w, bool last) {
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

VITTE_DECL bool deflater::compress_greedy() {
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

VITTE_DECL bool deflater::compress_lazy() {
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

VITTE_DECL bool deflater::flush(bool last, bool to_end) {
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

VITTE_DECL std::size_t deflater::raw_bytes() const noexcept {
  std::size_t k = 0;
  for (unsigned i = 0; i < count_; ++i) k += syms_[i] & 0x80000000u ? (syms_[i] & 0x1ff) + 3 : 1;
  return k;
}

VITTE_DECL bool deflater::symbols(const std::uint16_t* lcode, const std::uint8_t* llen, const std::uint16_t* dcode,
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

VITTE_DECL bool deflater::write_stored(bool last, std::size_t end) {
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

}  // namespace vitte::compress::detail

namespace vitte::compress {

VITTE_DECL result<buffer<std::byte>> deflate(span<const std::byte> data, int level) {
  buffer<std::byte> out;
  detail::deflater d(vitte::detail::octets_of(data), level);
  if (vitte::error e = d.run(out)) return e;
  return out;
}

VITTE_DECL result<buffer<std::byte>> deflate(span<const std::byte> data, span<const std::byte> dictionary, int level) {
  // The dictionary's last window, then the data: the deflater's history.
  const span<const std::byte> tail =
      dictionary.size() > detail::deflater::window ? dictionary.last(detail::deflater::window) : dictionary;
  buffer<std::byte> joined;
  if (!joined.try_reserve(tail.size() + data.size())) return vitte::error{errc::no_memory, ops::deflate};
  joined.append(tail.data(), tail.size());
  joined.append(data.data(), data.size());
  buffer<std::byte> out;
  detail::deflater d(vitte::detail::octets_of(joined.span()), level, tail.size());
  if (vitte::error e = d.run(out)) return e;
  return out;
}

}  // namespace vitte::compress

#endif  // VITTE_COMPRESS_IMPL_DEFLATE_IPP
