// Reading and writing a device handle with deadlines, over a device
// policy's non-blocking device_read / device_write and device_wait. Shared
// by serial ports and pseudo-terminals. Included by their impl headers.
#ifndef VITTE_SYS_IMPL_DEVICE_IO_HPP
#define VITTE_SYS_IMPL_DEVICE_IO_HPP

#include <vitte/base.hpp>
#include <vitte/base/diagnostic.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/sys/clock_id.hpp>
#include <vitte/sys/device_types.hpp>
#include <vitte/sys/fs_types.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::sys::detail {

// `name` NUL-terminated for the OS; a NUL inside or an empty name is
// invalid_argument (`why`, when given, says which).
template <class P>
result<text> device_name(text_view name, diagnostic* why) {
  if (name.empty() || name.find('\0') != text_view::npos) {
    if (why != nullptr) {
      why->clear();
      why->of(errc::invalid_argument).about(name);
      why->say(name.empty() ? "an empty device name" : "a NUL byte in the device name");
    }
    return error{errc::invalid_argument, dev_ops::device_open};
  }
  return text(name);
}

// Fills `why`, when given, anew for the device `name` the policy could not
// open (`e`, from device_open): its kind, the name, and what the kind means
// for a device.
constexpr void device_open_refused(diagnostic* why, error e, text_view name) noexcept {
  if (why == nullptr) return;
  why->clear();
  why->of(e.kind()).about(name);
  switch (e.kind()) {
    case errc::not_found:
      why->say("no such device");
      return;
    case errc::invalid_argument:
      why->say("not a terminal or serial device");
      return;
    case errc::busy:
      why->say("in use by another program");
      return;
    default:
      why->say("cannot open the device: ").append(to_string(e.kind()));
      return;
  }
}

// True once the monotonic clock has reached `deadline_ns`: the loops below
// stop there even when the policy keeps saying "try again".
template <class P>
bool passed(std::int64_t deadline_ns) noexcept {
  using platform = typename P::platform_policy;
  return deadline_ns != INT64_MAX && platform::clock_now_ns(clock_id::monotonic) >= deadline_ns;
}

// At least one byte (or 0 at the end), waiting until `deadline_ns`.
// Interruptions are retried.
template <class P>
result<std::size_t> device_read_some(native_handle h, span<std::byte> out, std::int64_t deadline_ns) noexcept {
  if (h == invalid_handle) return error{errc::bad_descriptor, dev_ops::device_read};
  if (out.empty()) return std::size_t{0};
  for (;;) {
    std::size_t got = 0;
    error e = P::device_read(h, out.data(), out.size(), got);
    if (!e) return got;
    if (e != errc::would_block && e != errc::interrupted) return e;
    if (passed<P>(deadline_ns)) return error{errc::timed_out, dev_ops::device_wait};
    if (e == errc::interrupted) continue;
    error w = P::device_wait(h, false, deadline_ns);
    if (w && w != errc::interrupted) return w;
  }
}

template <class P>
status device_read_exact(native_handle h, span<std::byte> out, std::int64_t deadline_ns) noexcept {
  std::size_t done = 0;
  while (done < out.size()) {
    auto r = device_read_some<P>(h, out.subspan(done), deadline_ns);
    if (!r) return r.error();
    if (*r == 0) return error{errc::unexpected_eof, dev_ops::device_read};
    done += *r;
  }
  return {};
}

// At least one byte, waiting until `deadline_ns`. A write that takes
// nothing without an error counts as "try again".
template <class P>
result<std::size_t> device_write_some(native_handle h, span<const std::byte> data, std::int64_t deadline_ns) noexcept {
  if (h == invalid_handle) return error{errc::bad_descriptor, dev_ops::device_write};
  if (data.empty()) return std::size_t{0};
  for (;;) {
    std::size_t put = 0;
    error e = P::device_write(h, data.data(), data.size(), put);
    if (!e && put > 0) return put;
    if (e && e != errc::would_block && e != errc::interrupted) return e;
    if (passed<P>(deadline_ns)) return error{errc::timed_out, dev_ops::device_wait};
    if (e == errc::interrupted) continue;
    error w = P::device_wait(h, true, deadline_ns);
    if (w && w != errc::interrupted) return w;
  }
}

template <class P>
status device_write_all(native_handle h, span<const std::byte> data, std::int64_t deadline_ns) noexcept {
  std::size_t done = 0;
  while (done < data.size()) {
    auto r = device_write_some<P>(h, data.subspan(done), deadline_ns);
    if (!r) return r.error();
    done += *r;
  }
  return {};
}

}  // namespace vitte::sys::detail

#endif  // VITTE_SYS_IMPL_DEVICE_IO_HPP
