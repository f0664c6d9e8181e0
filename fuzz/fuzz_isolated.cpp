// libFuzzer target: the frames between a caller and its plugin host
// (vitte/loader/isolated_protocol.hpp), with their promises asserted:
//   - a frame header is accepted only for 1..max bytes (a 4 GiB header is
//     refused before anything is read or allocated);
//   - a payload decodes as a ready, a call or a reply exactly when it is
//     one such message with nothing trailing, and encoding what was
//     decoded gives back the same bytes (one encoding per message);
//   - what a decoder accepts keeps its limits: names and texts at most
//     max_name bytes, at most max_cells cells and max_exports exports, a
//     call's input at most the given maximum, a reply's output at most the
//     call's capacity, forms and error codes in their ranges;
//   - a call, returned and refused message carry a sequence number (encoded
//     back as decoded); a load_failed message none;
//   - a refusal is malformed or limit_exceeded, nothing else.
// The first input byte picks the decoder and the limits, the rest is the payload.
#include <vitte/loader/isolated_protocol.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>  // std::memcpy
#include <span>
#include <string>

namespace {

namespace wire = vitte::loader::wire;

void check(bool ok) {
  if (!ok) std::abort();
}

void refused(const vitte::error& e) {
  check(e.kind() == vitte::errc::malformed || e.kind() == vitte::errc::limit_exceeded);
}

// The payload part of an encoded frame, which must carry its own length.
std::span<const std::byte> payload_of(const std::string& frame) {
  check(frame.size() >= wire::header_size);
  auto all = std::as_bytes(std::span(frame.data(), frame.size()));
  check(vitte::detail::load_le<std::uint32_t>(all.data()) == frame.size() - wire::header_size);
  return all.subspan(wire::header_size);
}

bool same(std::span<const std::byte> a, std::span<const std::byte> b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t pick = data[0];
  const auto payload = std::as_bytes(std::span(data + 1, size - 1));

  if (payload.size() >= wire::header_size) {
    const std::uint32_t max = 1u << (pick & 31);
    std::byte header[wire::header_size];
    std::memcpy(header, payload.data(), sizeof header);
    auto n = wire::frame_length(header, max);
    const auto said = vitte::detail::load_le<std::uint32_t>(payload.data());
    check(n.has_value() == (said != 0 && said <= max));
    if (n) check(*n == said);
  }

  switch (pick % 3) {
    case 0: {
      auto m = wire::decode_ready(payload);
      if (!m) return refused(m.error()), 0;
      check(m->module.size() <= wire::max_name && m->version.size() <= wire::max_name);
      check(m->exports.size() <= wire::max_exports);
      for (const auto& e : m->exports) {
        check(e.name.size() <= wire::max_name);
        check(static_cast<std::uint8_t>(e.form) <= 3);
      }
      check(same(payload_of(wire::encode(*m)), payload));
      break;
    }
    case 1: {
      const std::uint32_t max_input = (pick >> 2) * 64u;
      auto m = wire::decode_call(payload, max_input);
      if (!m) return refused(m.error()), 0;
      check(m->name.size() <= wire::max_name && m->cells.size() <= wire::max_cells);
      check(m->form != wire::call_form::none && static_cast<std::uint8_t>(m->form) <= 3);
      check(m->input.size() <= max_input);
      check(m->form == wire::call_form::cells ? m->input.empty() : m->cells.empty());
      check(same(payload_of(wire::encode(*m)), payload));
      break;
    }
    default: {
      const auto form = static_cast<wire::call_form>(1 + (pick >> 6) % 3);
      const std::uint32_t capacity = (pick >> 2) & 15;
      auto m = wire::decode_reply(payload, form, capacity);
      if (!m) return refused(m.error()), 0;
      check(m->text.size() <= wire::max_name && m->output.size() <= capacity);
      if (m->kind == wire::message::returned) check(m->form == form);
      if (m->kind == wire::message::refused)
        check(m->code != 0 && m->code <= static_cast<std::uint8_t>(vitte::errc::unknown));
      if (m->kind == wire::message::load_failed) check(m->sequence == 0);  // only calls' replies are numbered
      check(m->kind == wire::message::returned || m->kind == wire::message::refused ||
            m->kind == wire::message::load_failed);
      check(same(payload_of(wire::encode(*m)), payload));
      break;
    }
  }
  return 0;
}
