// DEFLATE decoding (vitte/compress/deflate.hpp). A 64-bit bit buffer,
// Huffman tables of 2^10 (literal/length) and 2^8 (distance) root entries
// with second-level tables for longer codes, and the output in one growing
// buffer that matches copy from.
#ifndef VITTE_COMPRESS_IMPL_INFLATE_HPP
#define VITTE_COMPRESS_IMPL_INFLATE_HPP

#include <vitte/buffer.hpp>
#include <vitte/compress/operations.hpp>
#include <vitte/detail/endian.hpp>  // the bit buffer's 8-byte loads
#include <vitte/result.hpp>
#include <vitte/span.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>  // std::memcpy, std::memset

namespace vitte::compress::detail {

inline constexpr std::uint16_t length_base[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                                  31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
inline constexpr std::uint8_t length_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                                  2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
inline constexpr std::uint16_t dist_base[30] = {1,    2,    3,    4,    5,    7,    9,    13,    17,    25,
                                                33,   49,   65,   97,   129,  193,  257,  385,   513,   769,
                                                1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
inline constexpr std::uint8_t dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                                6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
// The order code-length code lengths are sent in.
inline constexpr std::uint8_t clen_order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

// A decoding table entry: bits 0-7 the code length (root entries pointing
// to a subtable: the subtable's index bits, with bit 15 set), bits 16-31
// the symbol (or the subtable's offset).
struct huffman {
  static constexpr std::uint32_t sub = 0x8000;
  std::uint32_t* table;
  unsigned root;

  // Builds the table for `n` code lengths; false when they over-subscribe
  // or (with more than one code) under-subscribe the code space. `size` is
  // the table's capacity in entries.
  bool build(const std::uint8_t* lengths, unsigned n, std::size_t size) {
    std::uint16_t count[16] = {}, offs[16];
    std::uint16_t sorted[320];
    for (unsigned i = 0; i < n; ++i) ++count[lengths[i]];
    count[0] = 0;
    int left = 1;
    for (unsigned len = 1; len <= 15; ++len) {
      left = (left << 1) - count[len];
      if (left < 0) return false;  // over-subscribed
    }
    unsigned codes = 0;
    for (unsigned len = 1; len <= 15; ++len) codes += count[len];
    // An incomplete code is allowed only for a single code of length 1
    // (RFC 1951 lets a distance code have one code; zlib accepts it too).
    if (left > 0 && !(codes == 1 && count[1] == 1) && codes != 0) return false;
    offs[1] = 0;
    for (unsigned len = 1; len < 15; ++len) offs[len + 1] = static_cast<std::uint16_t>(offs[len] + count[len]);
    for (unsigned i = 0; i < n; ++i)
      if (lengths[i] != 0) sorted[offs[lengths[i]]++] = static_cast<std::uint16_t>(i);
    // Fill: canonical codes in order, bit-reversed (DEFLATE sends codes MSB first).
    const std::size_t root_size = std::size_t{1} << root;
    std::memset(table, 0, root_size * sizeof(std::uint32_t));  // 0: an invalid entry (length 0)
    std::size_t next_sub = root_size;
    std::uint16_t rem[16];  // codes of each length not placed yet
    std::memcpy(rem, count, sizeof rem);
    unsigned code = 0, k = 0;
    std::uint32_t sub_prefix = ~0u;
    std::size_t sub_at = 0;
    unsigned sub_bits = 0;
    for (unsigned len = 1; len <= 15; ++len) {
      for (unsigned c = 0; c < count[len]; ++c, ++k) {
        const std::uint32_t sym = sorted[k];
        const unsigned rev = reverse(code, len);
        if (len <= root) {
          const std::uint32_t e = sym << 16 | len;
          for (std::size_t j = rev; j < root_size; j += std::size_t{1} << len) table[j] = e;
        } else {
          const std::uint32_t prefix = rev & (root_size - 1);
          if (prefix != sub_prefix) {
            // A new subtable: as many bits as the longest code under this prefix needs.
            sub_bits = subtable_bits(rem, len);
            sub_at = next_sub;
            next_sub += std::size_t{1} << sub_bits;
            if (next_sub > size) return false;
            std::memset(table + sub_at, 0, (std::size_t{1} << sub_bits) * sizeof(std::uint32_t));
            table[prefix] = static_cast<std::uint32_t>(sub_at) << 16 | sub | sub_bits;
            sub_prefix = prefix;
          }
          const std::uint32_t e = sym << 16 | (len - root);
          for (std::size_t j = rev >> root; j < (std::size_t{1} << sub_bits); j += std::size_t{1} << (len - root))
            table[sub_at + j] = e;
        }
        ++code;
        --rem[len];
      }
      code <<= 1;
    }
    return true;
  }

  static unsigned reverse(unsigned code, unsigned len) noexcept {
    unsigned r = 0;
    for (unsigned i = 0; i < len; ++i) r |= ((code >> i) & 1u) << (len - 1 - i);
    return r;
  }
  // Bits of the subtable for the codes sharing a root prefix, the first of
  // which has length `len` (zlib's rule): grows until the codes not placed
  // yet fill it.
  unsigned subtable_bits(const std::uint16_t* rem, unsigned len) const noexcept {
    unsigned cur = len - root;
    int left = 1 << cur;
    for (;;) {
      left -= rem[cur + root];
      if (left <= 0 || cur + root >= 15) return cur;
      ++cur;
      left <<= 1;
    }
  }
};

struct bit_reader {
  const std::uint8_t* begin;
  const std::uint8_t* p;
  const std::uint8_t* end;
  std::uint64_t bits = 0;
  unsigned n = 0;
  std::size_t pad = 0;  // zero bytes added past the end

  void refill() noexcept {
    if (end - p >= 8) {
      bits |= vitte::detail::load_le<std::uint64_t>(p) << n;
      p += (63 - n) >> 3;
      n |= 56;
      return;
    }
    while (n <= 56) {
      if (p < end)
        bits |= std::uint64_t{*p++} << n;
      else
        ++pad;
      n += 8;
    }
  }
  bool overrun() const noexcept { return pad * 8 > n; }
  std::uint32_t take(unsigned k) noexcept {
    const std::uint32_t v = static_cast<std::uint32_t>(bits & ((std::uint64_t{1} << k) - 1));
    bits >>= k;
    n -= k;
    return v;
  }
  std::size_t offset() const noexcept {
    const std::size_t consumed = static_cast<std::size_t>(p - begin) + pad;
    return consumed - n / 8;
  }
};

class inflater {
 public:
  inflater(span<const std::uint8_t> in, const decompress_limits& lim, problem* why)
      : r_{in.data(), in.data(), in.data() + in.size()}, lim_(lim), why_(why), in_size_(in.size()) {}

  /// Decodes the one block starting `skip` bits into the input, appending to
  /// `out`, all of whose bytes are history that distances may reach.
  /// `end_bit` gets the bit after the block, `last` whether it was the final
  /// one. unexpected_eof: the input ends inside the block (`out` then holds
  /// part of it).
  vitte::error block(buffer<std::uint8_t>& out, unsigned skip, std::size_t& end_bit, bool& last) {
    out_ = &out;
    len_ = out.size();
    start_ = 0;
    r_.refill();
    r_.take(skip);
    r_.refill();
    last = r_.take(1) != 0;
    const std::uint32_t type = r_.take(2);
    vitte::error e;
    if (type == 0)
      e = stored();
    else if (type == 1)
      e = fixed();
    else if (type == 2)
      e = dynamic();
    else
      e = fail(errc::malformed, "reserved block type 3");
    if (!e && r_.overrun()) e = fail(errc::unexpected_eof, "block cut short");
    end_bit = (static_cast<std::size_t>(r_.p - r_.begin) + r_.pad) * 8 - r_.n;
    return finish(e);
  }

  // Decodes one DEFLATE stream into out (appending); `used` gets the input
  // bytes it spanned (to the byte after its last bit).
  vitte::error run(buffer<std::uint8_t>& out, std::size_t& used) {
    out_ = &out;
    len_ = out.size();
    start_ = len_;
    for (bool last = false; !last;) {
      r_.refill();
      last = r_.take(1) != 0;
      const std::uint32_t type = r_.take(2);
      vitte::error e;
      if (type == 0)
        e = stored();
      else if (type == 1)
        e = fixed();
      else if (type == 2)
        e = dynamic();
      else
        e = fail(errc::malformed, "reserved block type 3");
      if (e) return finish(e);
    }
    if (r_.overrun()) return finish(fail(errc::unexpected_eof, "stream ends inside its last block"));
    used = r_.offset();  // whole bytes: the bits of the last byte after the stream are padding
    return finish({});
  }

 private:
  vitte::error finish(vitte::error e) {
    out_->resize(len_);
    return e;
  }
  vitte::error fail(errc kind, const char* what) {
    // A decision made on the zero bits past the end: the input was cut short,
    // whatever those zeros looked like.
    if (kind == errc::malformed && r_.overrun()) kind = errc::unexpected_eof, what = "stream cut short";
    if (why_ != nullptr) {
      why_->what = what;
      why_->offset = r_.offset();
      if (why_->offset > in_size_) why_->offset = in_size_;
    }
    return vitte::error{kind, ops::inflate};
  }

  // Room for `k` more bytes at len_.
  vitte::error room(std::size_t k) {
    if (len_ - start_ + k > lim_.max_output) return fail(errc::limit_exceeded, "output larger than the limit");
    if (lim_.max_ratio != 0 && len_ - start_ + k > (std::size_t{1} << 20) &&
        (len_ - start_ + k) / (in_size_ + 1) > lim_.max_ratio)
      return fail(errc::limit_exceeded, "output-to-input ratio above the limit");
    if (len_ + k <= out_->size()) return {};
    // Start at four times the input (a typical ratio), then double.
    std::size_t cap = out_->size() < 4096 ? 4096 : out_->size() * 2;
    if (out_->size() == start_ && cap < 4 * in_size_) cap = 4 * in_size_;
    if (cap < out_->capacity()) cap = out_->capacity();  // memory the caller gave: use it all first
    while (cap < len_ + k) cap *= 2;
    if (!out_->try_resize_for_overwrite(cap)) return fail(errc::no_memory, "no memory for the output");
    return {};
  }

  vitte::error stored() {
    // To the byte boundary, then LEN and NLEN.
    r_.take(r_.n % 8);
    r_.refill();
    const std::uint32_t len = r_.take(16), nlen = r_.take(16);
    if (r_.overrun()) return fail(errc::unexpected_eof, "stored block header cut short");
    if ((len ^ 0xffff) != nlen) return fail(errc::malformed, "stored block length and its complement differ");
    if (auto e = room(len)) return e;
    std::uint8_t* o = out_->data() + len_;
    std::uint32_t k = len;
    while (k != 0 && r_.n >= 8) {  // what the bit buffer holds first
      *o++ = static_cast<std::uint8_t>(r_.take(8));
      --k;
    }
    if (r_.overrun()) return fail(errc::unexpected_eof, "stored block cut short");
    if (k != 0) {
      // The bit buffer is empty: the rest comes straight from the input
      // (what the buffer held beyond its bits was these same bytes).
      if (static_cast<std::size_t>(r_.end - r_.p) < k) return fail(errc::unexpected_eof, "stored block cut short");
      r_.bits = 0;
      std::memcpy(o, r_.p, k);
      r_.p += k;
    }
    len_ += len;
    return {};
  }

  vitte::error fixed() {
    std::uint8_t l[288 + 32];
    unsigned i = 0;
    for (; i < 144; ++i) l[i] = 8;
    for (; i < 256; ++i) l[i] = 9;
    for (; i < 280; ++i) l[i] = 7;
    for (; i < 288; ++i) l[i] = 8;
    for (; i < 320; ++i) l[i] = 5;
    return codes(l, 288, 32);  // all 32 five-bit codes (a complete code); 30 and 31 are refused when met
  }

  vitte::error dynamic() {
    r_.refill();
    const unsigned hlit = r_.take(5) + 257, hdist = r_.take(5) + 1, hclen = r_.take(4) + 4;
    if (hlit > 286) return fail(errc::malformed, "more than 286 literal/length codes");
    if (hdist > 30) return fail(errc::malformed, "more than 30 distance codes");
    std::uint8_t cl[19] = {};
    for (unsigned i = 0; i < hclen; ++i) {
      if (r_.n < 3) r_.refill();
      cl[clen_order[i]] = static_cast<std::uint8_t>(r_.take(3));
    }
    std::uint32_t ctab[1 << 7];
    huffman ch{ctab, 7};
    if (!ch.build(cl, 19, 1 << 7)) return fail(errc::malformed, "bad code-length code");
    std::uint8_t lens[286 + 30] = {};
    for (unsigned i = 0; i < hlit + hdist;) {
      r_.refill();
      if (r_.overrun()) return fail(errc::unexpected_eof, "code lengths cut short");
      const std::uint32_t e = ctab[r_.bits & 0x7f];
      if ((e & 0xff) == 0) return fail(errc::malformed, "bad code-length symbol");
      r_.take(e & 0xff);
      const unsigned sym = e >> 16;
      if (sym < 16) {
        lens[i++] = static_cast<std::uint8_t>(sym);
        continue;
      }
      unsigned rep;
      std::uint8_t v = 0;
      if (sym == 16) {
        if (i == 0) return fail(errc::malformed, "repeat of a code length with none before");
        v = lens[i - 1];
        rep = 3 + r_.take(2);
      } else if (sym == 17) {
        rep = 3 + r_.take(3);
      } else {
        rep = 11 + r_.take(7);
      }
      if (i + rep > hlit + hdist) return fail(errc::malformed, "code lengths repeat past their count");
      while (rep-- != 0) lens[i++] = v;
    }
    if (lens[256] == 0) return fail(errc::malformed, "no end-of-block code");
    std::uint8_t all[288 + 32] = {};
    std::memcpy(all, lens, hlit);
    std::memcpy(all + 288, lens + hlit, hdist);
    return codes(all, hlit, hdist);
  }

  // Decodes one Huffman block with litlen lengths all[0..nlit) and distance
  // lengths all[288..288+ndist).
  vitte::error codes(const std::uint8_t* all, unsigned nlit, unsigned ndist) {
    huffman lit{lit_table_, 10}, dist{dist_table_, 8};
    if (!lit.build(all, nlit, sizeof lit_table_ / 4)) return fail(errc::malformed, "bad literal/length code lengths");
    if (!dist.build(all + 288, ndist, sizeof dist_table_ / 4))
      return fail(errc::malformed, "bad distance code lengths");
    // The hot state in locals: writes through the output's byte pointer
    // would otherwise make the compiler reload every member after each one.
    bit_reader r = r_;
    std::uint8_t* out = out_->data();
    std::size_t len = len_, cap = out_->size();
    const std::uint32_t* lt = lit_table_;
    const std::uint32_t* dt = dist_table_;
    auto sync = [&] {
      r_ = r;
      len_ = len;
    };
    auto grow = [&](std::size_t k) -> vitte::error {
      sync();
      if (auto err = room(k)) return err;
      out = out_->data();
      cap = out_->size();
      return {};
    };
    auto bad = [&](errc kind, const char* what) {
      sync();
      return fail(kind, what);
    };
    for (;;) {
      r.refill();
      // Past the end, the bits are zeros a literal's code may be made of:
      // checked here, where the input runs out, so that a cut stream never
      // decodes literals until the output limit.
      if (r.p == r.end && r.overrun()) return bad(errc::unexpected_eof, "block cut short");
      std::uint32_t e = lt[r.bits & 0x3ff];
      if (e & huffman::sub) {
        r.take(10);
        e = lt[(e >> 16) + (r.bits & ((1u << (e & 0xff)) - 1))];
      }
      if ((e & 0xff) == 0) return bad(errc::malformed, "bad literal/length code");
      r.take(e & 0xff);
      const unsigned sym = e >> 16;
      if (sym < 256) {
        if (len == cap)
          if (auto err = grow(1)) return err;
        out[len++] = static_cast<std::uint8_t>(sym);
        continue;
      }
      if (r.overrun()) return bad(errc::unexpected_eof, "block cut short");
      if (sym == 256) {
        sync();
        return {};
      }
      if (sym > 285) return bad(errc::malformed, "literal/length symbol 286 or 287");
      const unsigned li = sym - 257;
      const std::size_t length = length_base[li] + r.take(length_extra[li]);
      std::uint32_t d = dt[r.bits & 0xff];
      if (d & huffman::sub) {
        r.take(8);
        d = dt[(d >> 16) + (r.bits & ((1u << (d & 0xff)) - 1))];
      }
      if ((d & 0xff) == 0) return bad(errc::malformed, "bad distance code");
      r.take(d & 0xff);
      const unsigned ds = d >> 16;
      if (ds > 29) return bad(errc::malformed, "distance symbol 30 or 31");
      r.refill();
      const std::size_t distance = dist_base[ds] + r.take(dist_extra[ds]);
      if (r.overrun()) return bad(errc::unexpected_eof, "block cut short");
      if (distance > len - start_) return bad(errc::malformed, "distance too far back");
      if (len + length + 8 > cap)
        if (auto err = grow(length + 8)) return err;
      std::uint8_t* o = out + len;
      const std::uint8_t* from = o - distance;
      if (distance >= 8) {
        // 8 bytes at a time; may write up to 7 bytes past the match, within the buffer.
        for (std::size_t k = 0; k < length; k += 8) std::memcpy(o + k, from + k, 8);
      } else if (distance == 1) {
        std::memset(o, *from, length);
      } else {
        for (std::size_t k = 0; k < length; ++k) o[k] = from[k];
      }
      len += length;
    }
  }

  bit_reader r_;
  decompress_limits lim_;
  problem* why_;
  std::size_t in_size_;
  buffer<std::uint8_t>* out_ = nullptr;
  std::size_t len_ = 0, start_ = 0;
  // Root and subtables. Each subtable covers codes that fill it, at least
  // one more code than its index bits, so 286 and 30 codes stay far below
  // these sizes; build() refuses rather than overflow.
  std::uint32_t lit_table_[4096];
  std::uint32_t dist_table_[4096];
};

}  // namespace vitte::compress::detail

namespace vitte::compress {

inline status inflate(span<const std::uint8_t> data, buffer<std::uint8_t>& out, const decompress_limits& limits,
                      problem* why) {
  out.clear();
  detail::inflater in(data, limits, why);
  std::size_t used = 0;
  if (vitte::error e = in.run(out, used)) return e;
  return {};
}

inline result<buffer<std::uint8_t>> inflate(span<const std::uint8_t> data, const decompress_limits& limits,
                                            problem* why) {
  buffer<std::uint8_t> out;
  detail::inflater in(data, limits, why);
  std::size_t used = 0;
  if (vitte::error e = in.run(out, used)) return e;
  return out;
}

}  // namespace vitte::compress

#endif  // VITTE_COMPRESS_IMPL_INFLATE_HPP
