// vitte/release/detail/failure.hpp - how the package readers and writers
// report a fault: where they find it, in the caller's vitte::diagnostic
// (the kind, the byte offset in their input, the member, entry or field
// concerned, a static message), so that no caller joins a text and a
// position by hand.
//
//   if (size > a.size() - i) return refuse(why, errc::malformed, i, member, "a cpio member's data cut short");
//   return refuse_error(why, errc::invalid_argument, field, "a field that is not one line");  // a writer
#ifndef VITTE_RELEASE_DETAIL_FAILURE_HPP
#define VITTE_RELEASE_DETAIL_FAILURE_HPP

#include <vitte/base/diagnostic.hpp>
#include <vitte/base/error.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/release/operations.hpp>  // ops::package

#include <cstdint>

namespace vitte::release::detail {

/// Fills `why`, when there is one (what it held before is forgotten), with
/// `kind`, the byte `offset` of the input (diagnostic::no_offset: none),
/// the `subject` (the member, entry or field; empty when none) and
/// `message`. Returns false: a reader's `return refuse(...)`.
inline bool refuse(vitte::diagnostic* why, errc kind, std::uint64_t offset, text_view subject,
                   text_view message) noexcept {
  if (why != nullptr) {
    why->clear();
    why->of(kind).at(offset).about(subject).say(message);
  }
  return false;
}

/// refuse() without a position, for a writer: returns the error of `kind`
/// (ops::package).
inline vitte::error refuse_error(vitte::diagnostic* why, errc kind, text_view subject, text_view message) noexcept {
  (void)refuse(why, kind, vitte::diagnostic::no_offset, subject, message);
  return vitte::error{kind, ops::package};
}

/// Passes `d`, filled by a step that failed, on to `why` (when there is
/// one) and returns its error (ops::package): a writer's
/// `if (!step(..., &d)) return pass_on(why, d);`.
inline vitte::error pass_on(vitte::diagnostic* why, const vitte::diagnostic& d) noexcept {
  if (why != nullptr) *why = d;
  return vitte::error{d.kind(), ops::package};
}

/// What the reader of a part said, placed in the whole: the part starts at
/// `base` of the whole (an OpenPGP packet in a header), so its offset moves
/// by `base`.
inline bool refused_at(vitte::diagnostic* why, std::uint64_t base) noexcept {
  if (why != nullptr && why->has_offset()) why->at(base + why->offset());
  return false;
}

/// What the reader of a part said, when the part is not the input's own
/// bytes (a decompressed payload, a TOC's XML, an extracted member): placed
/// at `at` of the input, about `part`, with what that reader named and its
/// offset in the part in the message ("a cpio name cut short (./usr/bin/hi,
/// at offset 0x1a4 of the payload)").
inline bool refused_in(vitte::diagnostic* why, std::uint64_t at, text_view part) noexcept {
  if (why == nullptr) return false;
  const vitte::diagnostic inner = *why;
  why->at(at).about(part).say(inner.message().empty() ? to_string(inner.kind()) : inner.message());
  if (inner.subject().empty() && !inner.has_offset()) return false;
  why->append(" (").append(inner.subject());
  if (!inner.subject().empty() && inner.has_offset()) why->append(", ");
  if (inner.has_offset()) why->append("at offset ").append(inner.offset(), true).append(" of the ").append(part);
  why->append(")");
  return false;
}

/// `d`, filled by a reader or writer of a file's bytes, about that `file`:
/// the member, entry or field it named goes after its message in
/// parentheses ("a symbolic link, which MSI cannot hold (bin/hi)"), and
/// `lead` (may be empty) before it ("the package written does not read
/// back: ..."). The kind and the position stay.
inline vitte::diagnostic& in_file(vitte::diagnostic& d, text_view file, text_view lead = {}) noexcept {
  const vitte::diagnostic inner = d;
  d.say(lead);
  if (!lead.empty()) d.append(": ");
  d.append(inner.message().empty() ? to_string(inner.kind()) : inner.message());
  if (!inner.subject().empty() && inner.subject() != file) d.append(" (").append(inner.subject()).append(")");
  return d.about(file);
}

}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_FAILURE_HPP
