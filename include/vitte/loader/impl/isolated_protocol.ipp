// vitte/loader/impl/isolated_protocol.ipp - the frames of the plugin host's protocol
// (vitte/loader/isolated_protocol.hpp): encoding and checked decoding.
#ifndef VITTE_LOADER_IMPL_ISOLATED_PROTOCOL_IPP
#define VITTE_LOADER_IMPL_ISOLATED_PROTOCOL_IPP

#include <vitte/base.hpp>
#include <vitte/base/detail/byte_view.hpp>  // bounded reads
#include <vitte/base/detail/endian.hpp>     // store_le
#include <vitte/loader/isolated_protocol.hpp>
#include <vitte/loader/operations.hpp>

#include <cstddef>
#include <cstdint>
#include <utility>  // std::move

namespace vitte::loader::wire {

VITTE_DECL result<std::uint32_t> frame_length(const std::byte (&header)[header_size], std::uint32_t max) noexcept {
  const auto n = vitte::detail::load_le<std::uint32_t>(header);
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
  void name(text_view s) {
    le<std::uint16_t>(static_cast<std::uint16_t>(s.size()));
    out_.append(s);
  }
  void blob(text_view s) {
    le<std::uint32_t>(static_cast<std::uint32_t>(s.size()));
    out_.append(s);
  }
  /// The frame: the header filled in.
  text done() {
    vitte::detail::store_le<std::uint32_t>(out_.data(), static_cast<std::uint32_t>(out_.size() - header_size));
    return std::move(out_);
  }

 private:
  text out_;
};

class reader {
 public:
  explicit reader(span<const std::byte> p) noexcept : v_{p, false} {}
  template <class T>
  bool le(T& out) noexcept {
    if (!v_.read(at_, out)) return false;
    at_ += sizeof(T);
    return true;
  }
  bool name(text& out, errc& why) {
    std::uint16_t n = 0;
    if (!le(n)) return false;
    if (n > max_name) return why = errc::limit_exceeded, false;
    return take(n, out);
  }
  bool blob(text& out, std::uint32_t limit, errc& why) {
    std::uint32_t n = 0;
    if (!le(n)) return false;
    if (n > limit) return why = errc::limit_exceeded, false;
    return take(n, out);
  }
  bool end() const noexcept { return at_ == v_.size(); }

 private:
  bool take(std::uint64_t n, text& out) {
    if (!v_.contains(at_, n)) return false;
    const auto s = v_.sub(at_, n);
    out.assign(reinterpret_cast<const char*>(s.data()), s.size());
    at_ += n;
    return true;
  }
  vitte::detail::byte_view v_;
  std::uint64_t at_ = 0;
};

VITTE_DECL bool valid_form(std::uint8_t f, bool none_ok) noexcept { return (f == 0 && none_ok) || (f >= 1 && f <= 3); }

VITTE_DECL error refusal(errc why) noexcept { return error{why, ops::module_read}; }

}  // namespace detail

VITTE_DECL text encode(const ready& m) {
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

VITTE_DECL text encode(const call& m) {
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

VITTE_DECL text encode(const reply& m) {
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

VITTE_DECL result<ready> decode_ready(span<const std::byte> payload) {
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

VITTE_DECL result<call> decode_call(span<const std::byte> payload, std::uint32_t max_input) {
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

VITTE_DECL result<reply> decode_reply(span<const std::byte> payload, call_form form, std::uint32_t out_capacity) {
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

#endif  // VITTE_LOADER_IMPL_ISOLATED_PROTOCOL_IPP
