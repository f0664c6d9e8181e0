// vitte/compress/impl/inflate.ipp - DEFLATE decoding (vitte/compress/deflate.hpp):
// the Huffman table builder, the inflater's blocks and symbols, inflate().
#ifndef VITTE_COMPRESS_IMPL_INFLATE_IPP
#define VITTE_COMPRESS_IMPL_INFLATE_IPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/detail/bytes.hpp>  // octets_of: the input as octets
#include <vitte/base/result.hpp>
#include <vitte/base/span.hpp>
#include <vitte/compress/deflate.hpp>
#include <vitte/compress/impl/inflate.hpp>
#include <vitte/compress/operations.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>  // std::memcpy, std::memset

namespace vitte::compress::detail {

// What each symbol's table entries hold (huffman): literal/length symbols
// 0-287, distance symbols 0-31.
struct symbol_payloads {
  std::uint32_t lit[288];
  std::uint32_t dist[32];
};
constexpr symbol_payloads make_symbol_payloads() noexcept {
  symbol_payloads t{};
  for (std::uint32_t i = 0; i < 256; ++i) t.lit[i] = i << 16 | huffman::literal;
  for (std::uint32_t i = 256; i < 288; ++i) t.lit[i] = i << 16 | huffman::special;  // end of block, 286, 287
  for (std::uint32_t i = 0; i < 29; ++i) t.lit[257 + i] = std::uint32_t{length_base[i]} << 16 | length_extra[i];
  for (std::uint32_t i = 0; i < 30; ++i) t.dist[i] = std::uint32_t{dist_base[i]} << 16 | dist_extra[i];
  for (std::uint32_t i = 30; i < 32; ++i) t.dist[i] = i << 16 | huffman::special;
  return t;
}
inline constexpr symbol_payloads symbol_payload = make_symbol_payloads();

VITTE_DECL bool huffman::build(const std::uint8_t* lengths, unsigned n, std::size_t size,
                               const std::uint32_t* payload) {
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
      // With a payload: its extra bits plus the code length at bits 0-7, the
      // code length at 8-12 (huffman).
      const std::uint32_t sym = payload != nullptr ? payload[sorted[k]] : std::uint32_t{sorted[k]} << 16;
      const std::uint32_t with_len = payload != nullptr ? 0x101 : 1;
      const unsigned rev = reverse(code, len);
      if (len <= root) {
        const std::uint32_t e = sym + with_len * len;
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
        const std::uint32_t e = sym + with_len * (len - root);
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

VITTE_DECL unsigned huffman::subtable_bits(const std::uint16_t* rem, unsigned len) const noexcept {
  unsigned cur = len - root;
  int left = 1 << cur;
  for (;;) {
    left -= rem[cur + root];
    if (left <= 0 || cur + root >= 15) return cur;
    ++cur;
    left <<= 1;
  }
}

VITTE_DECL vitte::error inflater::run(buffer<std::byte>& out, std::size_t& used, std::size_t dictionary,
                                      const char* limit_what) {
  start(out, out.size() - dictionary, output_allowed(lim_, in_size_, limit_what_));
  if (limit_what != nullptr) stop_ = add_saturated(len_, lim_.max_output), limit_what_ = limit_what;
  partial_ = false;
  inflate_state st;
  vitte::error e = decode(st);
  if (!e && r_.overrun()) e = fail(errc::unexpected_eof, "stream ends inside its last block");
  if (!e) used = r_.offset();  // whole bytes: the bits of the last byte after the stream are padding
  return finish(e);
}

VITTE_DECL vitte::error inflater::resume(buffer<std::byte>& window, unsigned skip, bool partial, std::size_t pause_at,
                                         const char* limit_what, inflate_state& st, std::size_t& end_bit,
                                         inflate_flow& how) {
  start(window, 0, lim_.max_output);
  limit_what_ = limit_what;
  partial_ = partial;
  pause_at_ = pause_at;
  r_.refill();
  r_.take(skip);
  mark_ = r_;
  vitte::error e = decode(st);
  if (e == errc::unexpected_eof && partial_) {  // the input stops inside a header or a symbol: wait for more
    r_ = mark_;
    len_ = mark_len_;
    flow_ = inflate_flow::more_input;
    e = {};
  }
  how = flow_;
  end_bit = (static_cast<std::size_t>(r_.p - r_.begin) + r_.pad) * 8 - r_.n;
  return finish(e);
}

VITTE_DECL void inflater::start(buffer<std::byte>& out, std::size_t history_from, std::size_t allowed) {
  out_ = &out;
  len_ = out.size();
  base_ = len_;
  hist_ = history_from;
  mark_len_ = len_;
  stop_ = add_saturated(len_, allowed);
}

VITTE_DECL vitte::error inflater::fail(errc kind, const char* what) {
  // A decision made on the zero bits past the end: the input was cut short,
  // whatever those zeros looked like.
  if (kind != errc::no_memory && r_.overrun()) kind = errc::unexpected_eof, what = "stream cut short";
  const std::size_t at = r_.offset();
  failed_ = what;
  failed_at_ = at > in_size_ ? in_size_ : at;
  report(why_, kind, failed_at_, what);
  return vitte::error{kind, ops::inflate};
}

VITTE_DECL vitte::error inflater::room(std::size_t k) {
  if (k > stop_ - len_) return fail(errc::limit_exceeded, limit_what_);
  const std::size_t want = len_ + k + copy_slack;
  if (want <= out_->size()) return {};
  std::size_t ceiling = add_saturated(stop_, copy_slack);
  const std::size_t paused = add_saturated(pause_at_, max_match + copy_slack);
  if (paused < ceiling) ceiling = paused;
  // Start at four times the input (a typical ratio), then double.
  std::size_t cap = out_->size() < 4096 ? 4096 : out_->size() * 2;
  const std::size_t guess = in_size_ > static_cast<std::size_t>(-1) / 4 ? static_cast<std::size_t>(-1) : in_size_ * 4;
  if (out_->size() == base_ && cap < guess) cap = guess;
  if (cap > ceiling / 2) cap = ceiling;
  if (cap < out_->capacity())
    cap = out_->capacity() < ceiling ? out_->capacity() : ceiling;  // memory held: use it first
  if (cap < want) cap = want;
  if (!out_->try_resize_for_overwrite(cap)) return fail(errc::no_memory, "no memory for the output");
  return {};
}

VITTE_DECL vitte::error inflater::decode(inflate_state& st) {
  flow_ = inflate_flow::complete;
  while (!st.end) {
    if (st.where == inflate_state::at::header) {
      mark_ = r_;  // a header cut short is read again from here
      mark_len_ = len_;
      if (vitte::error e = header(st)) return e;
    }
    const vitte::error e = st.where == inflate_state::at::stored ? stored(st) : codes(st);
    if (e || flow_ != inflate_flow::complete) return e;
    st.where = inflate_state::at::header;
    st.end = st.last;
  }
  return {};
}

VITTE_DECL vitte::error inflater::header(inflate_state& st) {
  r_.refill();
  const bool last = r_.take(1) != 0;
  const std::uint32_t type = r_.take(2);
  if (type == 3) return fail(errc::malformed, "reserved block type 3");
  if (type == 0) {
    // To the byte boundary, then LEN and NLEN.
    r_.take(r_.n % 8);
    r_.refill();
    const std::uint32_t len = r_.take(16), nlen = r_.take(16);
    if (r_.overrun()) return fail(errc::unexpected_eof, "stored block header cut short");
    if ((len ^ 0xffff) != nlen) return fail(errc::malformed, "stored block length and its complement differ");
    st.stored_left = len;
  } else if (type == 1) {
    fixed(st);
  } else if (vitte::error e = dynamic(st)) {
    return e;
  }
  if (r_.overrun()) return fail(errc::unexpected_eof, "block header cut short");
  st.last = last;
  st.where = type == 0 ? inflate_state::at::stored : inflate_state::at::codes;
  return {};
}

VITTE_DECL vitte::error inflater::stored(inflate_state& st) {
  while (st.stored_left != 0) {
    if (len_ >= pause_at_) {
      flow_ = inflate_flow::paused;
      return {};
    }
    std::size_t k = st.stored_left;
    if (k > pause_at_ - len_) k = pause_at_ - len_;
    // The bit buffer holds whole bytes here (after the header's alignment).
    const std::size_t avail = (r_.n / 8 - r_.pad) + static_cast<std::size_t>(r_.end - r_.p);
    if (k > avail) {
      if (!partial_) return fail(errc::unexpected_eof, "stored block cut short");
      k = avail;
    }
    if (k == 0) {
      flow_ = inflate_flow::more_input;
      return {};
    }
    if (vitte::error e = room(k)) return e;
    std::uint8_t* o = octets(out_->data()) + len_;
    std::size_t left = k;
    while (left != 0 && r_.n >= 8) {  // what the bit buffer holds first
      *o++ = static_cast<std::uint8_t>(r_.take(8));
      --left;
    }
    if (left != 0) {
      // The bit buffer is empty: the rest comes straight from the input
      // (what the buffer held beyond its bits was these same bytes).
      r_.bits = 0;
      std::memcpy(o, r_.p, left);
      r_.p += left;
    }
    len_ += k;
    st.stored_left -= static_cast<std::uint32_t>(k);
  }
  return {};
}

VITTE_DECL void inflater::fixed(inflate_state& st) {
  std::uint8_t* l = st.lengths;
  unsigned i = 0;
  for (; i < 144; ++i) l[i] = 8;
  for (; i < 256; ++i) l[i] = 9;
  for (; i < 280; ++i) l[i] = 7;
  for (; i < 288; ++i) l[i] = 8;
  for (; i < 320; ++i) l[i] = 5;
  st.nlit = 288;
  st.ndist = 32;  // all 32 five-bit codes (a complete code); 30 and 31 are refused when met
}

VITTE_DECL vitte::error inflater::dynamic(inflate_state& st) {
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
  std::memset(st.lengths, 0, sizeof st.lengths);
  std::memcpy(st.lengths, lens, hlit);
  std::memcpy(st.lengths + 288, lens + hlit, hdist);
  st.nlit = static_cast<std::uint16_t>(hlit);
  st.ndist = static_cast<std::uint16_t>(hdist);
  return {};
}

namespace {
// Copies a match of `length` bytes from `distance` back to `o`; writes up
// to copy_overrun bytes past its end. Most matches are short: the first 40
// bytes (five words) are copied whatever the length, so that a match of up
// to 40 bytes takes no branch on its length, which is hard to predict.
constexpr std::size_t copy_overrun = 40 - 3;
VITTE_ALWAYS_INLINE void copy_match(std::uint8_t* o, std::size_t distance, std::size_t length) noexcept {
  const std::uint8_t* from = o - distance;
  if (distance >= 8) {
    // Each word reads bytes written before it (distance >= 8).
    std::size_t k = 0;
    do {
      std::memcpy(o + k, from + k, 8);
      std::memcpy(o + k + 8, from + k + 8, 8);
      std::memcpy(o + k + 16, from + k + 16, 8);
      std::memcpy(o + k + 24, from + k + 24, 8);
      std::memcpy(o + k + 32, from + k + 32, 8);
      k += 40;
    } while (k < length);
    return;
  }
  if (distance == 1) {
    const std::uint64_t v = std::uint64_t{*from} * 0x0101010101010101u;  // the same on every byte order
    std::size_t k = 0;
    do {
      std::memcpy(o + k, &v, 8);
      std::memcpy(o + k + 8, &v, 8);
      std::memcpy(o + k + 16, &v, 8);
      std::memcpy(o + k + 24, &v, 8);
      k += 32;
    } while (k < length);
    return;
  }
  // A period of 2-7: words `distance` apart, each right in its first
  // `distance` bytes, until 8 bytes are; then words from a multiple of the
  // period at least 8 back, which hold the same bytes.
  for (std::size_t k = 0; k < 8; k += distance) {
    std::uint64_t w;  // through a word: the two overlap
    std::memcpy(&w, o + k - distance, 8);
    std::memcpy(o + k, &w, 8);
  }
  constexpr std::uint8_t steps[8] = {0, 0, 8, 9, 8, 10, 12, 14};  // the least multiple of each period >= 8
  const std::size_t step = steps[distance];
  for (std::size_t k = 8; k < length; k += 8) std::memcpy(o + k, o + k - step, 8);
}

// The fast loop's bit buffer (inflater::codes), forced inline: called from
// several places in a large function, they are otherwise left as calls in
// some units. Only the low byte of n counts (see there).
// Takes a table entry's code and extra bits (28 at most) in one shift;
// gives its value: the base plus the extra bits.
VITTE_ALWAYS_INLINE std::uint32_t fast_take(std::uint64_t& bits, unsigned& n, std::uint32_t e) noexcept {
  const std::uint32_t low = static_cast<std::uint32_t>(bits) & ((1u << (e & 0xff)) - 1);
  bits >>= static_cast<std::uint8_t>(e);
  n -= e;
  return (e >> 16) + (low >> ((e >> 8) & 0x1f));
}
// Fills the bit buffer to 56 bits or more with one 8-byte load.
VITTE_ALWAYS_INLINE void fast_refill(std::uint64_t& bits, unsigned& n, const std::uint8_t*& p) noexcept {
  bits |= vitte::detail::load_le<std::uint64_t>(p) << (n & 63);
  p += 7 - ((n >> 3) & 7);
  n |= 56;
}
}  // namespace

VITTE_DECL vitte::error inflater::codes(inflate_state& st) {
  constexpr unsigned lit_root = 11, lit_mask = (1u << lit_root) - 1;
  huffman lit{lit_table_, lit_root}, dist{dist_table_, 8};
  if (!lit.build(st.lengths, st.nlit, sizeof lit_table_ / 4, symbol_payload.lit))
    return fail(errc::malformed, "bad literal/length code lengths");
  if (!dist.build(st.lengths + 288, st.ndist, sizeof dist_table_ / 4, symbol_payload.dist))
    return fail(errc::malformed, "bad distance code lengths");
  // The hot state in locals: writes through the output's byte pointer
  // would otherwise make the compiler reload every member after each one.
  bit_reader r = r_;
  std::uint8_t* out = octets(out_->data());
  std::size_t len = len_;
  const std::size_t hist = hist_;
  // A literal at len < lit_end, a match ending by match_end - copy_slack:
  // within both the buffer and the limit. The fast loop runs while
  // len < fast_end: a literal and a match, with the bytes a match copy may
  // write past its end, stay within the buffer and the limit, and the
  // symbols start before the pause.
  constexpr std::size_t fast_margin = 1 + max_match + copy_overrun;
  std::size_t lit_end = 0, match_end = 0, fast_end = 0;
  const std::size_t pause_at = pause_at_;
  auto bounds = [&] {
    const std::size_t cap = out_->size(), stop_slack = add_saturated(stop_, copy_slack);
    lit_end = cap < stop_ ? cap : stop_;
    match_end = cap < stop_slack ? cap : stop_slack;
    fast_end = lit_end > fast_margin ? lit_end - fast_margin : 0;
    if (pause_at <= fast_end) fast_end = pause_at == 0 ? 0 : pause_at - 1;
  };
  bounds();
  const std::uint32_t* lt = lit_table_;
  const std::uint32_t* dt = dist_table_;
  auto sync = [&] {
    r_ = r;
    len_ = len;
  };
  auto grow = [&](std::size_t k) -> vitte::error {
    sync();
    if (auto err = room(k)) return err;
    out = octets(out_->data());
    bounds();
    return {};
  };
  auto bad = [&](errc kind, const char* what) {
    sync();
    return fail(kind, what);
  };
  for (;;) {
    // The fast loop: at least 24 input bytes left at each round's start
    // (three word refills per round at most; 32 before the first, which
    // refills once more), room for a literal and a match. A refill leaves
    // 56 bits or more: two literals take 30 at most, a length with its
    // extra bits 20 (then a refill), a distance 28. The next symbol's entry
    // is looked up before the refill that follows it (at least 11 bits
    // are left then, which the refill does not change), so that the lookup
    // need not wait for the load. Only the low byte of n counts: table
    // entries are subtracted whole (their low byte is the bits they take).
    // Anything unusual (end of block, a bad code) goes to the careful path
    // below, which decodes it again. Its state is in plain locals, which
    // the compiler keeps in registers.
    if (len < fast_end && r.end - r.p >= 32) {
      std::uint64_t bits = r.bits;
      unsigned n = r.n;
      const std::uint8_t* p = r.p;
      const std::uint8_t* const in_end = r.end;
      std::uint8_t* const o = out;
      const std::size_t o_end = fast_end;
      std::size_t at = len;
      const char* error = nullptr;
      // Each round starts refilled, with the entry of the next symbol
      // looked up (after a match, before its copy: the two overlap).
      fast_refill(bits, n, p);
      std::uint32_t e = lt[bits & lit_mask];
      do {
        if (e & huffman::literal) {
          bits >>= static_cast<std::uint8_t>(e);
          n -= e;
          o[at++] = static_cast<std::uint8_t>(e >> 16);
          e = lt[bits & lit_mask];
          if (e & huffman::literal) {
            bits >>= static_cast<std::uint8_t>(e);
            n -= e;
            o[at++] = static_cast<std::uint8_t>(e >> 16);
            e = lt[bits & lit_mask];
            fast_refill(bits, n, p);
            continue;
          }
          fast_refill(bits, n, p);
        }
        if (e & huffman::sub) {
          const std::uint32_t s = lt[(e >> 16) + ((bits >> lit_root) & ((1u << (e & 0xff)) - 1))];
          if (s & huffman::literal) {
            bits >>= lit_root + static_cast<std::uint8_t>(s);
            n -= lit_root + s;
            o[at++] = static_cast<std::uint8_t>(s >> 16);
            e = lt[bits & lit_mask];
            fast_refill(bits, n, p);
            continue;
          }
          if ((s & huffman::special) || (s & 0xff) == 0) break;
          bits >>= lit_root;
          n -= lit_root;
          e = s;
        } else if ((e & huffman::special) || (e & 0xff) == 0) {
          break;
        }
        const std::size_t length = fast_take(bits, n, e);
        std::uint32_t d = dt[bits & 0xff];
        fast_refill(bits, n, p);
        if (d & huffman::sub) {
          bits >>= 8;
          n -= 8;
          d = dt[(d >> 16) + (bits & ((1u << (d & 0xff)) - 1))];
        }
        if ((d & 0xff) == 0) {
          error = "bad distance code";
          break;
        }
        if (d & huffman::special) {
          bits >>= static_cast<std::uint8_t>(d);
          n -= d;
          error = "distance symbol 30 or 31";
          break;
        }
        const std::size_t distance = fast_take(bits, n, d);
        if (distance > at - hist) {
          error = "distance too far back";
          break;
        }
        e = lt[bits & lit_mask];
        fast_refill(bits, n, p);
        copy_match(o + at, distance, length);
        at += length;
      } while (at < o_end && in_end - p >= 24);
      r.bits = bits;
      r.n = n & 0xff;
      r.p = p;
      len = at;
      if (error != nullptr) return bad(errc::malformed, error);
    }
    // Past the end, the bits are zeros a literal's code may be made of:
    // checked here, where the input runs out, so that a cut stream never
    // decodes literals until the output limit.
    if (r.p == r.end && r.overrun()) return bad(errc::unexpected_eof, "block cut short");
    if (len >= pause_at) {
      sync();
      flow_ = inflate_flow::paused;
      return {};
    }
    // Near the end of the input a symbol may be cut: remember where it
    // starts (a symbol that starts with 8 bytes left is whole: 48 bits at most).
    if (r.end - r.p < 8) {
      mark_ = r;
      mark_len_ = len;
    }
    r.refill();
    std::uint32_t e = lt[r.bits & lit_mask];
    if (e & huffman::sub) {
      r.take(lit_root);
      e = lt[(e >> 16) + (r.bits & ((1u << (e & 0xff)) - 1))];
    }
    if ((e & 0xff) == 0) return bad(errc::malformed, "bad literal/length code");
    if (e & huffman::literal) {
      r.take(e & 0xff);
      if (len >= lit_end)
        if (auto err = grow(1)) return err;
      out[len++] = static_cast<std::uint8_t>(e >> 16);
      continue;
    }
    if (e & huffman::special) {
      r.take(e & 0xff);
      if (r.overrun()) return bad(errc::unexpected_eof, "block cut short");
      if (e >> 16 == 256) {
        sync();
        return {};
      }
      return bad(errc::malformed, "literal/length symbol 286 or 287");
    }
    // A length: its code, checked for a cut before its extra bits are read.
    r.take((e >> 8) & 0x1f);
    if (r.overrun()) return bad(errc::unexpected_eof, "block cut short");
    const std::size_t length = (e >> 16) + r.take((e & 0xff) - ((e >> 8) & 0x1f));
    std::uint32_t d = dt[r.bits & 0xff];
    if (d & huffman::sub) {
      r.take(8);
      d = dt[(d >> 16) + (r.bits & ((1u << (d & 0xff)) - 1))];
    }
    if ((d & 0xff) == 0) return bad(errc::malformed, "bad distance code");
    r.take((d >> 8) & 0x1f);
    if (d & huffman::special) return bad(errc::malformed, "distance symbol 30 or 31");
    r.refill();
    const std::size_t distance = (d >> 16) + r.take((d & 0xff) - ((d >> 8) & 0x1f));
    if (r.overrun()) return bad(errc::unexpected_eof, "block cut short");
    if (distance > len - hist) return bad(errc::malformed, "distance too far back");
    if (len + length + copy_slack > match_end)
      if (auto err = grow(length)) return err;
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

// The most output `lim` allows from `in` bytes of input, and in `what` the
// message naming the limit that binds. max_ratio refuses an output above
// 1 MiB whose output / (input + 1) exceeds it, i.e. one of at least
// (ratio + 1) * (input + 1) bytes.
VITTE_DECL std::size_t output_allowed(const decompress_limits& lim, std::uint64_t in, const char*& what) noexcept {
  what = "output larger than the limit";
  if (lim.max_ratio == 0) return lim.max_output;
  const std::uint64_t per = std::uint64_t{lim.max_ratio} + 1;
  std::uint64_t by_ratio =
      in + 1 > static_cast<std::uint64_t>(-1) / per ? static_cast<std::uint64_t>(-1) : per * (in + 1) - 1;
  if (by_ratio < (std::uint64_t{1} << 20)) by_ratio = std::uint64_t{1} << 20;
  if (by_ratio >= lim.max_output) return lim.max_output;
  what = "output-to-input ratio above the limit";
  return static_cast<std::size_t>(by_ratio);
}

}  // namespace vitte::compress::detail

namespace vitte::compress {

VITTE_DECL status inflate(span<const std::byte> data, buffer<std::byte>& out, const decompress_limits& limits,
                          vitte::diagnostic* why) {
  out.clear();
  detail::inflater in(vitte::detail::octets_of(data), limits, why);
  std::size_t used = 0;
  if (vitte::error e = in.run(out, used)) return e;
  return {};
}

VITTE_DECL result<buffer<std::byte>> inflate(span<const std::byte> data, const decompress_limits& limits,
                                             vitte::diagnostic* why) {
  buffer<std::byte> out;
  detail::inflater in(vitte::detail::octets_of(data), limits, why);
  std::size_t used = 0;
  if (vitte::error e = in.run(out, used)) return e;
  return out;
}

namespace detail {
VITTE_DECL span<const std::byte> dictionary_window(span<const std::byte> dictionary) noexcept {
  constexpr std::size_t window = 32768;
  return dictionary.size() > window ? dictionary.last(window) : dictionary;
}

VITTE_DECL vitte::error inflate_primed(span<const std::uint8_t> data, span<const std::byte> dictionary,
                                       buffer<std::byte>& out, const decompress_limits& limits, vitte::diagnostic* why,
                                       std::size_t& used) {
  const span<const std::byte> tail = dictionary_window(dictionary);
  const std::size_t start = out.size();
  if (!out.try_reserve(start + tail.size())) {
    report(why, errc::no_memory, vitte::diagnostic::no_offset, "no memory for the preset dictionary");
    return vitte::error{errc::no_memory, ops::inflate};
  }
  out.append(tail.data(), tail.size());
  inflater in(data, limits, why);
  const vitte::error e = in.run(out, used, tail.size());
  // The output moves down over the dictionary.
  const std::size_t produced = out.size() - start - tail.size();
  if (tail.size() != 0 && produced != 0) std::memmove(out.data() + start, out.data() + start + tail.size(), produced);
  out.resize(start + produced);
  return e;
}
}  // namespace detail

VITTE_DECL result<buffer<std::byte>> inflate(span<const std::byte> data, span<const std::byte> dictionary,
                                             const decompress_limits& limits, vitte::diagnostic* why) {
  buffer<std::byte> out;
  std::size_t used = 0;
  if (vitte::error e = detail::inflate_primed(vitte::detail::octets_of(data), dictionary, out, limits, why, used))
    return e;
  return out;
}

}  // namespace vitte::compress

#endif  // VITTE_COMPRESS_IMPL_INFLATE_IPP
