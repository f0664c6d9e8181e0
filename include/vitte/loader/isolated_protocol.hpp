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
  text name;
  std::uint32_t version = 0;
  std::uint8_t kind = 0;  ///< VITTE_EXPORT_FUNCTION, VITTE_EXPORT_OBJECT
  call_form form = call_form::none;
  std::uint64_t signature = 0;
  friend bool operator==(const export_desc&, const export_desc&) = default;
};

/// message::ready
struct ready {
  text module;
  text version;
  buffer<export_desc> exports;
  friend bool operator==(const ready&, const ready&) = default;
};

/// message::call
struct call {
  std::uint32_t sequence = 0;  ///< one more than the previous call's
  text name;
  std::uint32_t version = 0;
  std::uint64_t signature = 0;
  call_form form = call_form::cells;
  buffer<std::uint64_t> cells;     ///< form cells
  text input;                      ///< forms bytes, text
  std::uint32_t out_capacity = 0;  ///< forms bytes, text
  friend bool operator==(const call&, const call&) = default;
};

/// message::returned, refused or load_failed: what came back.
struct reply {
  message kind = message::returned;
  std::uint32_t sequence = 0;  ///< returned, refused: the sequence number of the call answered
  call_form form = call_form::cells;
  std::uint64_t value = 0;  ///< returned: the result cell, or the size the export returned
  vitte::text output;       ///< returned (bytes, text): the bytes written
  std::uint8_t code = 0;    ///< refused: an errc
  vitte::text text;         ///< refused, load_failed
  friend bool operator==(const reply&, const reply&) = default;
};

/// The payload length in a frame header; errc::limit_exceeded (module_read)
/// when it is above `max`, malformed when it is 0.
VITTE_DECL result<std::uint32_t> frame_length(const std::byte (&header)[header_size], std::uint32_t max) noexcept;

/// The frame of a ready message.
VITTE_DECL text encode(const ready& m);
/// The frame of a call.
VITTE_DECL text encode(const call& m);
/// The frame of a reply (returned, refused or load_failed).
VITTE_DECL text encode(const reply& m);

/// Decodes a ready payload (the frame without its header).
VITTE_DECL result<ready> decode_ready(span<const std::byte> payload);
/// Decodes a call payload; an input above `max_input` is limit_exceeded.
VITTE_DECL result<call> decode_call(span<const std::byte> payload, std::uint32_t max_input = default_max_frame);
/// Decodes a reply payload to a call of form `form` whose output capacity
/// was `out_capacity`: returned (of that form, output at most the
/// capacity), refused or load_failed.
VITTE_DECL result<reply> decode_reply(span<const std::byte> payload, call_form form, std::uint32_t out_capacity);

}  // namespace vitte::loader::wire

#if VITTE_HEADER_ONLY
#include <vitte/loader/impl/isolated_protocol.ipp>
#endif

#endif  // VITTE_LOADER_ISOLATED_PROTOCOL_HPP
