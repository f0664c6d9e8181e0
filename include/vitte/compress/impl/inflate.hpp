// DEFLATE decoding (vitte/compress/deflate.hpp). A 64-bit bit buffer,
// Huffman tables of 2^11 (literal/length) and 2^8 (distance) root entries
// with second-level tables for longer codes, and the output in one growing
// buffer that matches copy from. The types and the per-symbol helpers
// (bit_reader); the bodies are in impl/inflate.ipp. Included after
// vitte/compress/deflate.hpp's declarations (decompress_limits). The input
// is read as octets; the output is a buffer<std::byte>, written through
// detail::octets() (impl/octets.hpp).
#ifndef VITTE_COMPRESS_IMPL_INFLATE_HPP
#define VITTE_COMPRESS_IMPL_INFLATE_HPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/detail/endian.hpp>  // the bit buffer's 8-byte loads
#include <vitte/base/diagnostic.hpp>     // what a failure fills
#include <vitte/base/result.hpp>
#include <vitte/base/span.hpp>
#include <vitte/compress/impl/octets.hpp>  // the output's bytes as octets
#include <vitte/compress/operations.hpp>

#include <cstddef>
#include <cstdint>

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

// A decoding table entry: bits 0-7 the code length plus the extra bits
// that follow the code (lengths, distances), taken in one shift (root
// entries pointing to a subtable: the subtable's index bits, with `sub`
// set), bits 8-12 the code length alone (0 in the code-length code's
// table, whose entries hold no extra bits), flags at 13-15,
// bits 16-31 the value: a literal's byte, a length's or a distance's base,
// a special symbol (`special`: end of block, 286-287, distances 30-31), a
// subtable's offset, or a code-length symbol. An entry of 0 (length 0) is
// no code. The value and flags come from the `payload` of each symbol, so
// one lookup gives what a symbol means with no second table.
struct huffman {
  static constexpr std::uint32_t literal = 0x2000;
  static constexpr std::uint32_t special = 0x4000;
  static constexpr std::uint32_t sub = 0x8000;
  std::uint32_t* table;
  unsigned root;

  // Builds the table for `n` code lengths, symbol i's entries holding
  // payload[i] (nullptr: i << 16); false when they over-subscribe or (with
  // more than one code) under-subscribe the code space. `size` is the
  // table's capacity in entries.
  bool build(const std::uint8_t* lengths, unsigned n, std::size_t size, const std::uint32_t* payload = nullptr);

  static unsigned reverse(unsigned code, unsigned len) noexcept {
    unsigned r = 0;
    for (unsigned i = 0; i < len; ++i) r |= ((code >> i) & 1u) << (len - 1 - i);
    return r;
  }
  // Bits of the subtable for the codes sharing a root prefix, the first of
  // which has length `len` (zlib's rule): grows until the codes not placed
  // yet fill it.
  unsigned subtable_bits(const std::uint16_t* rem, unsigned len) const noexcept;
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

// Fills `why` (nullable) with a failure found at input offset `at`
// (vitte::diagnostic::no_offset: nowhere): nothing of an earlier use stays.
inline void report(vitte::diagnostic* why, errc kind, std::uint64_t at, const char* what) noexcept {
  if (why == nullptr) return;
  why->clear();
  why->of(kind).at(at).say(what);
}

// a + b, or SIZE_MAX when that does not fit (SIZE_MAX: no limit).
constexpr std::size_t add_saturated(std::size_t a, std::size_t b) noexcept {
  return a > static_cast<std::size_t>(-1) - b ? static_cast<std::size_t>(-1) : a + b;
}

// The most output `lim` allows from `in` bytes of input, and in `what` the
// message naming the limit that binds. max_ratio refuses an output above
// 1 MiB whose output / (input + 1) exceeds it, i.e. one of at least
// (ratio + 1) * (input + 1) bytes.
VITTE_DECL std::size_t output_allowed(const decompress_limits& lim, std::uint64_t in, const char*& what) noexcept;

// Bytes written past the output's end by a match copy (8 at a time): the
// output buffer holds at most the limit plus this.
inline constexpr std::size_t copy_slack = 8;
// The longest match.
inline constexpr std::size_t max_match = 258;

// Where a stream decoded in pieces stands between two calls (decompressor).
struct inflate_state {
  enum class at : std::uint8_t { header, stored, codes };
  at where = at::header;
  bool last = false;  // the current block is the final one
  bool end = false;   // the final block has ended
  std::uint16_t nlit = 0, ndist = 0;
  std::uint32_t stored_left = 0;        // bytes of the stored block not copied yet
  std::uint8_t lengths[288 + 32] = {};  // the block's code lengths: literal/length at 0, distance at 288
};

// Why a streaming call stopped without an error.
enum class inflate_flow : std::uint8_t { complete, more_input, paused };

class inflater {
 public:
  // `why` (nullable) gets a failure's kind, offset in `in` and message.
  inflater(span<const std::uint8_t> in, const decompress_limits& lim, vitte::diagnostic* why)
      : r_{in.data(), in.data(), in.data() + in.size()}, lim_(lim), why_(why), in_size_(in.size()) {}

  // Decodes one DEFLATE stream appended to `out`, whose last `dictionary`
  // bytes are a preset dictionary distances may reach (the output follows
  // them); `used` gets the input bytes it spanned (to the byte after its
  // last bit). The output never passes the limits: out.size() stays within
  // their bytes plus copy_slack past what it held. With `limit_what`,
  // limits.max_output already folds every limit, and is refused as that.
  vitte::error run(buffer<std::byte>& out, std::size_t& used, std::size_t dictionary = 0,
                   const char* limit_what = nullptr);

  // Streaming: goes on decoding from `st`, `skip` bits into the input,
  // appending to `window` (all of it history distances may reach), at most
  // limits.max_output bytes (refused as `limit_what`). With `partial` more
  // input may follow: it stops after the last symbol the input holds whole
  // (inflate_flow::more_input). It pauses once the window holds `pause_at`
  // bytes, so the window never passes pause_at + max_match + copy_slack.
  // `end_bit` gets the input bit where it stopped.
  vitte::error resume(buffer<std::byte>& window, unsigned skip, bool partial, std::size_t pause_at,
                      const char* limit_what, inflate_state& st, std::size_t& end_bit, inflate_flow& how);

  // The last failure's message (static text) and input offset, for a
  // caller that reports it at its own offsets (the decompressor).
  const char* failure() const noexcept { return failed_; }
  std::size_t failure_offset() const noexcept { return failed_at_; }

 private:
  void start(buffer<std::byte>& out, std::size_t history_from, std::size_t allowed);
  vitte::error finish(vitte::error e) {
    // Shrinks (never allocates) without a pass over the bytes let go,
    // which resize() makes in builds without optimisation.
    (void)out_->try_resize_for_overwrite(len_);
    return e;
  }
  vitte::error fail(errc kind, const char* what);

  // Room for `k` more bytes at len_, within the limit, and copy_slack more
  // in the buffer. The buffer grows by doubling up to the limit (or the
  // pause) plus the slack, and jumps there once past half of it: a grown
  // block and the one it is copied from together never hold more than that.
  vitte::error room(std::size_t k);

  // Blocks from `st` on, until the final one ends (or, streaming, the input
  // runs out or the window is full: flow_ says which).
  vitte::error decode(inflate_state& st);

  vitte::error header(inflate_state& st);

  vitte::error stored(inflate_state& st);

  static void fixed(inflate_state& st);

  vitte::error dynamic(inflate_state& st);

  // Decodes the Huffman block whose code lengths `st` holds, until its end
  // (or, streaming, a pause).
  vitte::error codes(inflate_state& st);

  bit_reader r_;
  bit_reader mark_{};  // where a header or symbol cut short starts (streaming)
  decompress_limits lim_;
  vitte::diagnostic* why_;
  std::size_t in_size_;
  buffer<std::byte>* out_ = nullptr;
  std::size_t len_ = 0;   // the output's end
  std::size_t base_ = 0;  // where this call's output starts
  std::size_t hist_ = 0;  // the first byte distances may reach
  std::size_t stop_ = 0;  // the limit: the output ends here at most
  std::size_t mark_len_ = 0;
  std::size_t pause_at_ = static_cast<std::size_t>(-1);
  const char* limit_what_ = "output larger than the limit";
  const char* failed_ = "";
  std::size_t failed_at_ = 0;
  bool partial_ = false;
  inflate_flow flow_ = inflate_flow::complete;
  // Root and subtables. Each subtable covers codes that fill it, at least
  // one more code than its index bits, so 286 and 30 codes stay far below
  // these sizes; build() refuses rather than overflow.
  std::uint32_t lit_table_[4096];
  std::uint32_t dist_table_[4096];
};

// The last window of a preset dictionary: what distances may reach.
VITTE_DECL span<const std::byte> dictionary_window(span<const std::byte> dictionary) noexcept;

// Decodes the DEFLATE stream `data` primed with `dictionary`, appended to
// `out`; `used` as inflater::run().
VITTE_DECL vitte::error inflate_primed(span<const std::uint8_t> data, span<const std::byte> dictionary,
                                       buffer<std::byte>& out, const decompress_limits& limits, vitte::diagnostic* why,
                                       std::size_t& used);

}  // namespace vitte::compress::detail

#endif  // VITTE_COMPRESS_IMPL_INFLATE_HPP
