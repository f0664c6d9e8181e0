// vitte/loader/isolated_protocol.hpp - the frames between a process and the
// plugin host that runs its isolated plugin (vitte/loader/isolated.hpp).
//
// One frame is a 4-byte little-endian payload length, then the payload; a
// payload starts with its message byte. Every integer is little-endian;
// a string is a 16-bit length and its bytes (at most max_name), a byte
// buffer a 32-bit length and its bytes. Nothing is optional and nothing
// trails: a payload decodes to exactly one message or is malformed, and
// encoding a decoded message gives back the same bytes.
//
//   host -> caller   ready        module name, version, the exports
//                                 (name, version, kind, form, signature hash)
//                    load_failed  the loader's text
//   caller -> host   call         sequence number, export name, version,
//                                 signature hash, form, cells (form cells)
//                                 or input bytes and output capacity (forms
//                                 bytes, text)
//   host -> caller   returned     the call's sequence number, form, the
//                                 result cell (or size), output bytes
//                    refused      the call's sequence number, an errc and a
//                                 text (no such export, ...)
//
// A call's sequence number is one more than the previous call's; a reply
// carries the number of the call it answers, so a frame the plugin forged
// on the channel shows up as a reply out of sequence.
//
//   auto frame = vitte::loader::wire::encode(call);          // header + payload
//   auto len = vitte::loader::wire::frame_length(header, max).value();
//   auto reply = vitte::loader::wire::decode_reply(payload, call.out_capacity);
//
// Limits, checked by every decoder: a frame's payload is at most the
// caller's maximum (default_max_frame), checked from the header before a
// byte of it is read or allocated; names at most max_name bytes, at most
// max_cells cells, max_exports exports; a returned output at most the
// capacity the call gave. Errors: errc::malformed (truncated, a bad message
// byte or form, trailing bytes), errc::limit_exceeded (a limit above).
// Thread safety: pure functions.
#ifndef VITTE_LOADER_ISOLATED_PROTOCOL_HPP
#define VITTE_LOADER_ISOLATED_PROTOCOL_HPP

#include <vitte/base.hpp>
#include <vitte/base/detail/byte_view.hpp>  // bounded reads
#include <vitte/base/detail/endian.hpp>     // store_le
#include <vitte/loader/operations.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vitte::loader::wire {

/// A payload's default maximum size (16 MiB).
inline constexpr std::uint32_t default_max_frame = 16u << 20;
/// Bytes before each payload: its length.
inline constexpr std::size_t header_size = 4;
/// Longest name or text.
inline constexpr std::size_t max_name = 1024;
/// Most cells a call carries.
inline constexpr std::size_t max_cells = 16;
/// Most exports a ready message lists.
inline constexpr std::size_t max_exports = 4096;

/// The first byte of a payload.
enum class message : std::uint8_t { ready = 1, load_failed = 2, call = 3, returned = 4, refused = 5 };

/// How a call's arguments and result travel.
enum class call_form : std::uint8_t {
  none = 0,   ///< (ready only) an export the host cannot call: an object, or a type neither form carries.
  cells = 1,  ///< Arguments and result as 64-bit cells (vitte/loader/plugin.h's cell call).
  bytes = 2,  ///< std::size_t(const unsigned char*, std::size_t, unsigned char*, std::size_t).
  text = 3,   ///< std::size_t(const char*, std::size_t, char*, std::size_t).
};

/// One export as the host announces it.
struct export_desc {
  std::string name;
  std::uint32_t version = 0;
  std::uint8_t kind = 0;  ///< VITTE_EXPORT_FUNCTION, VITTE_EXPORT_OBJECT
  call_form form = call_form::none;
  std::uint64_t signature = 0;
  friend bool operator==(const export_desc&, const export_desc&) = default;
};

/// message::ready
struct ready {
  std::string module;
  std::string version;
  std::vector<export_desc> exports;
  friend bool operator==(const ready&, const ready&) = default;
};

/// message::call
struct call {
  std::uint32_t sequence = 0;  ///< one more than the previous call's
  std::string name;
  std::uint32_t version = 0;
  std::uint64_t signature = 0;
  call_form form = call_form::cells;
  std::vector<std::uint64_t> cells;  ///< form cells
  std::string input;                 ///< forms bytes, text
  std::uint32_t out_capacity = 0;    ///< forms bytes, text
  friend bool operator==(const call&, const call&) = default;
};

/// message::returned, refused or load_failed: what came back.
struct reply {
  message kind = message::returned;
  std::uint32_t sequence = 0;  ///< returned, refused: the sequence number of the call answered
  call_form form = call_form::cells;
  std::uint64_t value = 0;  ///< returned: the result cell, or the size the export returned
  std::string output;       ///< returned (bytes, text): the bytes written
  std::uint8_t code = 0;    ///< refused: an errc
  std::string text;         ///< refused, load_failed
  friend bool operator==(const reply&, const reply&) = default;
};

/// The payload length in a frame header; errc::limit_exceeded (module_read)
/// when it is above `max`, malformed when it is 0.
inline result<std::uint32_t> frame_length(std::span<const std::byte, header_size> header, std::uint32_t max) noexcept {
  const auto n = vitte::detail::load_le<std::uint32_t>(header.data());
  if (n == 0) return error{errc::malformed, ops::module_read};
  if (n > max) return error{errc::limit_exceeded, ops::module_read};
  return n;
}

namespace detail {

class writer {
 public:
  writer() { out_.resize(header_size); }
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  template <class T>
  void le(T v) {
    char b[sizeof(T)];
    vitte::detail::store_le<T>(b, v);
    out_.append(b, sizeof(T));
  }
  void name(std::string_view s) {
    le<std::uint16_t>(static_cast<std::uint16_t>(s.size()));
    out_.append(s);
  }
  void blob(std::string_view s) {
    le<std::uint32_t>(static_cast<std::uint32_t>(s.size()));
    out_.append(s);
  }
  /// The frame: the header filled in.
  std::string done() {
    vitte::detail::store_le<std::uint32_t>(out_.data(), static_cast<std::uint32_t>(out_.size() - header_size));
    return std::move(out_);
  }

 private:
  std::string out_;
};

class reader {
 public:
  explicit reader(std::span<const std::byte> p) noexcept : v_{p, false} {}
  template <class T>
  bool le(T& out) noexcept {
    if (!v_.read(at_, out)) return false;
    at_ += sizeof(T);
    return true;
  }
  bool name(std::string& out, errc& why) {
    std::uint16_t n = 0;
    if (!le(n)) return false;
    if (n > max_name) return why = errc::limit_exceeded, false;
    return take(n, out);
  }
  bool blob(std::string& out, std::uint32_t limit, errc& why) {
    std::uint32_t n = 0;
    if (!le(n)) return false;
    if (n > limit) return why = errc::limit_exceeded, false;
    return take(n, out);
  }
  bool end() const noexcept { return at_ == v_.size(); }

 private:
  bool take(std::uint64_t n, std::string& out) {
    if (!v_.contains(at_, n)) return false;
    const auto s = v_.sub(at_, n);
    out.assign(reinterpret_cast<const char*>(s.data()), s.size());
    at_ += n;
    return true;
  }
  vitte::detail::byte_view v_;
  std::uint64_t at_ = 0;
};

inline bool valid_form(std::uint8_t f, bool none_ok) noexcept { return (f == 0 && none_ok) || (f >= 1 && f <= 3); }

inline error refusal(errc why) noexcept { return error{why, ops::module_read}; }

}  // namespace detail

/// The frame of a ready message.
inline std::string encode(const ready& m) {
  detail::writer w;
  w.u8(static_cast<std::uint8_t>(message::ready));
  w.name(m.module);
  w.name(m.version);
  w.le<std::uint32_t>(static_cast<std::uint32_t>(m.exports.size()));
  for (const export_desc& e : m.exports) {
    w.name(e.name);
    w.le<std::uint32_t>(e.version);
    w.u8(e.kind);
    w.u8(static_cast<std::uint8_t>(e.form));
    w.le<std::uint64_t>(e.signature);
  }
  return w.done();
}

/// The frame of a call.
inline std::string encode(const call& m) {
  detail::writer w;
  w.u8(static_cast<std::uint8_t>(message::call));
  w.le<std::uint32_t>(m.sequence);
  w.name(m.name);
  w.le<std::uint32_t>(m.version);
  w.le<std::uint64_t>(m.signature);
  w.u8(static_cast<std::uint8_t>(m.form));
  if (m.form == call_form::cells) {
    w.u8(static_cast<std::uint8_t>(m.cells.size()));
    for (std::uint64_t c : m.cells) w.le<std::uint64_t>(c);
  } else {
    w.blob(m.input);
    w.le<std::uint32_t>(m.out_capacity);
  }
  return w.done();
}

/// The frame of a reply (returned, refused or load_failed).
inline std::string encode(const reply& m) {
  detail::writer w;
  w.u8(static_cast<std::uint8_t>(m.kind));
  if (m.kind == message::returned) {
    w.le<std::uint32_t>(m.sequence);
    w.u8(static_cast<std::uint8_t>(m.form));
    w.le<std::uint64_t>(m.value);
    if (m.form != call_form::cells) w.blob(m.output);
  } else if (m.kind == message::refused) {
    w.le<std::uint32_t>(m.sequence);
    w.u8(m.code);
    w.name(m.text);
  } else {
    w.name(m.text);
  }
  return w.done();
}

/// Decodes a ready payload (the frame without its header).
inline result<ready> decode_ready(std::span<const std::byte> payload) {
  detail::reader r(payload);
  errc why = errc::malformed;
  ready m;
  std::uint8_t kind = 0;
  std::uint32_t count = 0;
  if (!r.le(kind) || kind != static_cast<std::uint8_t>(message::ready)) return detail::refusal(why);
  if (!r.name(m.module, why) || !r.name(m.version, why) || !r.le(count)) return detail::refusal(why);
  if (count > max_exports) return detail::refusal(errc::limit_exceeded);
  for (std::uint32_t i = 0; i < count; ++i) {
    export_desc e;
    std::uint8_t form = 0;
    if (!r.name(e.name, why) || !r.le(e.version) || !r.le(e.kind) || !r.le(form) || !r.le(e.signature))
      return detail::refusal(why);
    if (!detail::valid_form(form, true)) return detail::refusal(errc::malformed);
    e.form = static_cast<call_form>(form);
    m.exports.push_back(std::move(e));
  }
  if (!r.end()) return detail::refusal(errc::malformed);
  return m;
}

/// Decodes a call payload; an input above `max_input` is limit_exceeded.
inline result<call> decode_call(std::span<const std::byte> payload, std::uint32_t max_input = default_max_frame) {
  detail::reader r(payload);
  errc why = errc::malformed;
  call m;
  std::uint8_t kind = 0, form = 0;
  if (!r.le(kind) || kind != static_cast<std::uint8_t>(message::call) || !r.le(m.sequence)) return detail::refusal(why);
  if (!r.name(m.name, why) || !r.le(m.version) || !r.le(m.signature) || !r.le(form)) return detail::refusal(why);
  if (!detail::valid_form(form, false)) return detail::refusal(errc::malformed);
  m.form = static_cast<call_form>(form);
  if (m.form == call_form::cells) {
    std::uint8_t n = 0;
    if (!r.le(n)) return detail::refusal(why);
    if (n > max_cells) return detail::refusal(errc::limit_exceeded);
    m.cells.resize(n);
    for (std::uint64_t& c : m.cells)
      if (!r.le(c)) return detail::refusal(why);
  } else if (!r.blob(m.input, max_input, why) || !r.le(m.out_capacity)) {
    return detail::refusal(why);
  }
  if (!r.end()) return detail::refusal(errc::malformed);
  return m;
}

/// Decodes a reply payload to a call of form `form` whose output capacity
/// was `out_capacity`: returned (of that form, output at most the
/// capacity), refused or load_failed.
inline result<reply> decode_reply(std::span<const std::byte> payload, call_form form, std::uint32_t out_capacity) {
  detail::reader r(payload);
  errc why = errc::malformed;
  reply m;
  std::uint8_t kind = 0;
  if (!r.le(kind)) return detail::refusal(why);
  m.kind = static_cast<message>(kind);
  if (m.kind == message::returned) {
    std::uint8_t f = 0;
    if (!r.le(m.sequence) || !r.le(f) || f != static_cast<std::uint8_t>(form) || !r.le(m.value))
      return detail::refusal(why);
    m.form = form;
    if (form != call_form::cells && !r.blob(m.output, out_capacity, why)) return detail::refusal(why);
  } else if (m.kind == message::refused) {
    if (!r.le(m.sequence) || !r.le(m.code) || m.code == 0 || m.code > static_cast<std::uint8_t>(errc::unknown) ||
        !r.name(m.text, why))
      return detail::refusal(why);
  } else if (m.kind == message::load_failed) {
    if (!r.name(m.text, why)) return detail::refusal(why);
  } else {
    return detail::refusal(errc::malformed);
  }
  if (!r.end()) return detail::refusal(errc::malformed);
  return m;
}

}  // namespace vitte::loader::wire

#endif  // VITTE_LOADER_ISOLATED_PROTOCOL_HPP
