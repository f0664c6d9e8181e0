// vitte/compress/impl/stream.ipp - compressor, decompressor (vitte/compress/stream.hpp).
#ifndef VITTE_COMPRESS_IMPL_STREAM_IPP
#define VITTE_COMPRESS_IMPL_STREAM_IPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/detail/bytes.hpp>  // octets_of: the input as octets
#include <vitte/base/detail/endian.hpp>
#include <vitte/base/result.hpp>
#include <vitte/base/span.hpp>
#include <vitte/compress/checksum.hpp>
#include <vitte/compress/deflate.hpp>
#include <vitte/compress/impl/deflate.hpp>
#include <vitte/compress/impl/inflate.hpp>
#include <vitte/compress/impl/wrappers.ipp>  // the zlib and gzip headers
#include <vitte/compress/operations.hpp>
#include <vitte/compress/stream.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace vitte::compress {

namespace detail {
inline constexpr std::size_t stream_chunk = 256 * 1024;  // input compressed at a time
inline constexpr std::size_t stream_window = 32768;      // history kept for matches and distances

// Drops the first `n` bytes of `b`.
VITTE_DECL void drop_front(buffer<std::byte>& b, std::size_t n) {
  if (n == 0) return;
  if (n < b.size()) std::memmove(b.data(), b.data() + n, b.size() - n);
  (void)b.try_resize_for_overwrite(b.size() - (n < b.size() ? n : b.size()));  // shrinks: as in inflater::finish
}
VITTE_DECL bool append(buffer<std::byte>& b, span<const std::byte> s) {
  // Doubling: a stream appends many times.
  const std::size_t n = s.size();
  if (b.size() + n > b.capacity() && !b.try_reserve(b.size() + n > 2 * b.capacity() ? b.size() + n : 2 * b.capacity()))
    return false;
  b.append(s.data(), n);
  return true;
}
}  // namespace detail

// --- compressor ------------------------------------------------------------

VITTE_DECL compressor::compressor(format f, int level) noexcept
    : format_(f),
      level_(level < 1   ? 1
             : level > 9 ? 9
                         : level),
      check_(f == format::zlib ? 1 : 0) {}

VITTE_DECL compressor::compressor(format f, int level, span<const std::byte> dictionary) noexcept
    : compressor(f, level) {
  if (dictionary.empty()) return;
  if (f == format::gzip) {
    refused_ = errc::invalid_argument;
    return;
  }
  const span<const std::byte> tail = detail::dictionary_window(dictionary);
  if (!window_.try_reserve(tail.size())) {
    refused_ = errc::no_memory;
    return;
  }
  window_.append(tail.data(), tail.size());
  history_ = tail.size();
  has_dictionary_ = true;
  dictionary_id_ = adler32(dictionary);
}

VITTE_DECL status compressor::write(span<const std::byte> data, buffer<std::byte>& out) {
  if (refused_ != errc::ok) return vitte::error{refused_, ops::deflate};
  if (finished_) return vitte::error{errc::invalid_argument, ops::deflate};
  if (!started_) {
    std::uint8_t head[10];
    std::size_t n = 0;
    if (format_ == format::zlib) n = detail::zlib_head(level_, head, has_dictionary_, dictionary_id_);
    if (format_ == format::gzip) detail::gzip_head(level_, head), n = 10;
    if (!detail::append(out, vitte::as_bytes(span<const std::uint8_t>(head, n))))
      return vitte::error{errc::no_memory, ops::deflate};
    started_ = true;
  }
  if (format_ == format::zlib) check_ = adler32(data, check_);
  if (format_ == format::gzip) check_ = crc32(data, check_);
  total_in_ += data.size();
  while (!data.empty()) {  // fixed chunks: the output does not depend on how the input was cut
    const std::size_t pending = window_.size() - history_;
    const std::size_t take =
        data.size() < detail::stream_chunk - pending ? data.size() : detail::stream_chunk - pending;
    if (!detail::append(window_, data.first(take))) return vitte::error{errc::no_memory, ops::deflate};
    data = data.subspan(take);
    if (window_.size() - history_ == detail::stream_chunk)
      if (status s = compress(detail::stream_chunk, false, out); !s) return s;
  }
  return {};
}

VITTE_DECL status compressor::finish(buffer<std::byte>& out) {
  if (status s = write({}, out); !s) return s;
  if (status s = compress(window_.size() - history_, true, out); !s) return s;
  finished_ = true;
  std::uint8_t tail[8];
  std::size_t n = 0;
  if (format_ == format::zlib) {
    for (int i = 0; i < 4; ++i) tail[i] = static_cast<std::uint8_t>(check_ >> (24 - 8 * i));
    n = 4;
  } else if (format_ == format::gzip) {
    for (int i = 0; i < 4; ++i) tail[i] = static_cast<std::uint8_t>(check_ >> (8 * i));
    for (int i = 0; i < 4; ++i) tail[4 + i] = static_cast<std::uint8_t>(total_in_ >> (8 * i));
    n = 8;
  }
  if (!detail::append(out, vitte::as_bytes(span<const std::uint8_t>(tail, n))))
    return vitte::error{errc::no_memory, ops::deflate};
  window_ = buffer<std::byte>();
  return {};
}

VITTE_DECL status compressor::compress(std::size_t n, bool last, buffer<std::byte>& out) {
  const std::size_t end = history_ + n;
  detail::deflater d(vitte::detail::octets_of(window_.span().first(end)), level_, history_);
  detail::bit_writer w(out, bits_, bit_count_);
  vitte::error e = d.run(w, last);
  if (!e && !(last ? w.align() : w.drain())) e = vitte::error{errc::no_memory, ops::deflate};
  bits_ = w.pending_bits();
  bit_count_ = w.pending_count();
  w.finish();
  if (e) return e;
  // Keep the last window of what was compressed as history, then the rest.
  const std::size_t keep = end < detail::stream_window ? end : detail::stream_window;
  detail::drop_front(window_, end - keep);
  history_ = keep;
  return {};
}

// --- decompressor ----------------------------------------------------------

namespace detail {
// Output decoded between two hand-overs to the caller, beyond the window.
inline constexpr std::size_t stream_pause = 65536;

// Appends to `b`, a caller's buffer that this stream adds at most `more`
// bytes to after these: doubling, but never past what the stream can still
// fill, so a caller keeping every byte holds no more than the limit.
VITTE_DECL bool append_bounded(buffer<std::byte>& b, span<const std::byte> s, std::size_t more) {
  const std::size_t n = s.size();
  if (b.size() + n > b.capacity()) {
    const std::size_t need = b.size() + n, most = add_saturated(need, more);
    std::size_t cap = 2 * b.capacity() > need ? 2 * b.capacity() : need;
    if (cap > most / 2) cap = most;  // as inflater::room(): a copy never holds more than the end
    if (!b.try_reserve(cap)) return false;
  }
  b.append(s.data(), n);
  return true;
}
}  // namespace detail

VITTE_DECL decompressor::decompressor(format f, const decompress_limits& limits) noexcept
    : format_(f), limits_(limits), check_(f == format::zlib ? 1 : 0) {}

VITTE_DECL decompressor::decompressor(format f, const decompress_limits& limits,
                                      span<const std::byte> dictionary) noexcept
    : decompressor(f, limits) {
  if (dictionary.empty()) return;
  if (f == format::gzip) {
    (void)fail(vitte::error{errc::invalid_argument}, nullptr, "gzip has no preset dictionaries",
               vitte::diagnostic::no_offset);
    return;
  }
  const span<const std::byte> tail = detail::dictionary_window(dictionary);
  if (!dictionary_.try_reserve(tail.size())) {
    (void)fail(vitte::error{errc::no_memory}, nullptr, "no memory for the preset dictionary",
               vitte::diagnostic::no_offset);
    return;
  }
  dictionary_.append(tail.data(), tail.size());
  dictionary_id_ = adler32(dictionary);
  has_dictionary_ = true;
}

VITTE_DECL status decompressor::fail(vitte::error e, vitte::diagnostic* why, const char* what, std::uint64_t at) {
  const operation op = format_ == format::gzip   ? ops::gzip_decode
                       : format_ == format::zlib ? ops::zlib_decode
                                                 : ops::inflate;
  error_ = vitte::error{e.kind(), op};
  stage_ = stage::failed;
  failure_ = what;
  failure_at_ = at;
  detail::report(why, e.kind(), at, what);
  return error_;
}

VITTE_DECL status decompressor::write(span<const std::byte> data, buffer<std::byte>& out, vitte::diagnostic* why) {
  if (stage_ == stage::failed) return fail(error_, why, failure_, failure_at_);
  if (!detail::append(in_, data)) return fail(vitte::error{errc::no_memory}, why, "no memory for the input", in_base_);
  total_in_ += data.size();
  return step(out, false, why);
}

VITTE_DECL status decompressor::finish(buffer<std::byte>& out, vitte::diagnostic* why) {
  if (stage_ == stage::failed) return fail(error_, why, failure_, failure_at_);
  if (status s = step(out, true, why); !s) return s;
  if (stage_ == stage::end) return {};
  const char* what = stage_ == stage::header   ? (format_ == format::gzip ? "gzip header cut short" : "no zlib header")
                     : stage_ == stage::blocks ? "stream ends inside a block"
                     : format_ == format::gzip ? "gzip trailer cut short"
                                               : "no Adler-32 trailer";
  return fail(vitte::error{errc::unexpected_eof}, why, what, in_base_ + in_.size());
}

VITTE_DECL status decompressor::step(buffer<std::byte>& out, bool at_end, vitte::diagnostic* why) {
  for (;;) {
    switch (stage_) {
      case stage::failed:
        return fail(error_, why, failure_, failure_at_);
      case stage::end:
        if (in_.empty()) return {};
        if (format_ != format::gzip)
          return fail(vitte::error{errc::malformed}, why, "bytes after the end of the stream", in_base_);
        stage_ = stage::header;  // gzip: another member
        break;
      case stage::header: {
        std::size_t size = 0, at = 0;
        const char* what = "";
        errc k = errc::ok;
        bool primed = format_ == format::raw && has_dictionary_;
        if (format_ == format::gzip) {
          // A header cut short is read again once twice as much input has
          // come (linear time, however the writes cut it), and never held
          // past detail::gzip_header_limit (a name or comment without end).
          if (!at_end && in_.size() < header_retry_ && in_.size() <= detail::gzip_header_limit) return {};
          k = detail::gzip_header(vitte::detail::octets_of(in_.span()), size, what, at);
          check_ = 0;
          header_retry_ = k == errc::unexpected_eof ? 2 * in_.size() + 16 : 0;
          if (k == errc::unexpected_eof && in_.size() > detail::gzip_header_limit)
            return fail(vitte::error{errc::limit_exceeded}, why,
                        "gzip header longer than 128 KiB (a file name or comment without end)", in_base_ + in_.size());
        } else if (format_ == format::zlib) {
          const span<const std::uint8_t> head = vitte::detail::octets_of(in_.span());
          k = head.size() < 2 ? errc::unexpected_eof : detail::zlib_header(head[0], head[1], what, at);
          size = 2;
          if (k == errc::ok && (head[1] & detail::zlib_fdict) != 0) {
            size = 6;
            at = 2;
            primed = true;
            if (in_.size() < 6)
              k = errc::unexpected_eof;
            else if (!has_dictionary_)
              k = errc::invalid_argument, what = "a preset dictionary is required";
            else if (vitte::detail::load_be<std::uint32_t>(in_.data() + 2) != dictionary_id_)
              k = errc::invalid_argument, what = "not the preset dictionary the stream names (DICTID)";
          }
        }
        if (k == errc::unexpected_eof) return {};  // more to come (finish() says if not)
        if (k != errc::ok) return fail(vitte::error{k}, why, what, in_base_ + at);
        detail::drop_front(in_, size);
        in_base_ += size;
        member_out_ = 0;
        history_.clear();
        if (primed && !detail::append(history_, dictionary_.span()))
          return fail(vitte::error{errc::no_memory}, why, "no memory for the window", in_base_);
        state_ = detail::inflate_state{};
        skip_ = 0;
        stage_ = stage::blocks;
        break;
      }
      case stage::blocks: {
        // What the limits leave: max_output over the whole stream, max_ratio
        // against the input so far.
        const char* limit_what = "";
        const std::size_t allowed = detail::output_allowed(limits_, total_in_, limit_what);
        const std::size_t left = allowed > total_out_ ? allowed - static_cast<std::size_t>(total_out_) : 0;
        const std::size_t old = history_.size();
        detail::inflater inf(vitte::detail::octets_of(in_.span()), {.max_output = left, .max_ratio = 0}, nullptr);
        std::size_t end_bit = 0;
        detail::inflate_flow how = detail::inflate_flow::complete;
        const vitte::error e =
            inf.resume(history_, skip_, !at_end, old + detail::stream_pause, limit_what, state_, end_bit, how);
        // What was decoded (before an error too) goes to the caller.
        const std::size_t produced = history_.size() - old;
        const span<const std::byte> fresh(history_.data() + old, produced);
        if (!detail::append_bounded(out, fresh, left - produced))
          return fail(vitte::error{errc::no_memory}, why, "no memory for the output", in_base_);
        if (format_ == format::gzip) check_ = crc32(fresh, check_);
        if (format_ == format::zlib) check_ = adler32(fresh, check_);
        member_out_ += produced;
        total_out_ += produced;
        if (e) return fail(e, why, inf.failure(), in_base_ + inf.failure_offset());
        if (history_.size() > detail::stream_window)
          detail::drop_front(history_, history_.size() - detail::stream_window);
        std::size_t used = end_bit / 8;
        skip_ = static_cast<unsigned>(end_bit % 8);
        if (state_.end && skip_ != 0) ++used, skip_ = 0;  // the final block's last byte: padding after it
        detail::drop_front(in_, used);
        in_base_ += used;
        if (how == detail::inflate_flow::more_input) return {};
        if (state_.end) stage_ = format_ == format::raw ? stage::end : stage::trailer;
        break;  // complete, or paused with the window handed over: go on
      }
      case stage::trailer: {
        const std::size_t need = format_ == format::gzip ? 8 : 4;
        if (in_.size() < need) return {};
        if (format_ == format::zlib) {
          if (vitte::detail::load_be<std::uint32_t>(in_.data()) != check_)
            return fail(vitte::error{errc::malformed}, why, "Adler-32 of the data does not match", in_base_);
        } else {
          if (vitte::detail::load_le<std::uint32_t>(in_.data()) != check_)
            return fail(vitte::error{errc::malformed}, why, "CRC-32 of the data does not match", in_base_);
          if (vitte::detail::load_le<std::uint32_t>(in_.data() + 4) != static_cast<std::uint32_t>(member_out_))
            return fail(vitte::error{errc::malformed}, why, "size of the data does not match (ISIZE)", in_base_ + 4);
        }
        detail::drop_front(in_, need);
        in_base_ += need;
        stage_ = stage::end;
        break;
      }
    }
  }
}

}  // namespace vitte::compress

#endif  // VITTE_COMPRESS_IMPL_STREAM_IPP
