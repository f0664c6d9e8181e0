// Template bodies for vitte/sys/serial.hpp. Included by it; do not include.
#ifndef VITTE_SYS_IMPL_SERIAL_HPP
#define VITTE_SYS_IMPL_SERIAL_HPP

#include <vitte/base/detail/algorithm.hpp>  // heap_sort
#include <vitte/base/detail/decimal.hpp>    // digits in port names
#include <vitte/sys/impl/device_io.hpp>

#include <utility>  // std::move

namespace vitte::sys {

namespace detail {

// Port names in natural order: runs of digits compare as numbers, so
// ttyS2 comes before ttyS10 and uart9 before uart10.
constexpr bool natural_less(text_view a, text_view b) noexcept {
  while (!a.empty() && !b.empty()) {
    std::size_t da = ::vitte::detail::decimal_digits(a), db = ::vitte::detail::decimal_digits(b);
    if (da == 0 || db == 0) {
      if (a[0] != b[0]) return a[0] < b[0];
      a.remove_prefix(1);
      b.remove_prefix(1);
      continue;
    }
    text_view x = a.substr(0, da), y = b.substr(0, db);
    while (x.size() > 1 && x[0] == '0') x.remove_prefix(1);
    while (y.size() > 1 && y[0] == '0') y.remove_prefix(1);
    if (x.size() != y.size()) return x.size() < y.size();
    if (int c = x.compare(y); c != 0) return c < 0;
    a.remove_prefix(da);
    b.remove_prefix(db);
  }
  return a.size() < b.size();
}

}  // namespace detail

template <class P>
basic_serial_port<P>& basic_serial_port<P>::operator=(basic_serial_port&& other) noexcept {
  if (this != &other) {
    close();
    h_ = other.h_;
    other.h_ = invalid_handle;
  }
  return *this;
}

template <class P>
result<basic_serial_port<P>> basic_serial_port<P>::open_as_is(text_view name, diagnostic* why) {
  auto path = detail::device_name<P>(name, why);
  if (!path) return path.error();
  native_handle h = invalid_handle;
  if (error e = P::device_open(path->c_str(), h)) {
    detail::device_open_refused(why, e, name);
    return e;
  }
  return basic_serial_port{h};
}

template <class P>
result<basic_serial_port<P>> basic_serial_port<P>::open(text_view name, const serial_settings& settings,
                                                        diagnostic* why) {
  auto port = open_as_is(name, why);
  if (!port) return port;
  if (auto r = port->configure(settings, why); !r) {
    if (why != nullptr) why->about(name);
    return r.error();
  }
  return port;
}

template <class P>
status basic_serial_port<P>::configure(const serial_settings& settings, diagnostic* why) noexcept {
  if (h_ == invalid_handle) {
    detail::serial_failed(why, errc::bad_descriptor, "the port is not open");
    return error{errc::bad_descriptor, dev_ops::serial_configure};
  }
  if (!check_serial_settings(settings, why)) return error{errc::invalid_argument, dev_ops::serial_configure};
  if (error e = P::serial_set(h_, settings, why)) {
    // A policy that said nothing of its refusal (the kind is its mark).
    if (why != nullptr && why->kind() != e.kind())
      detail::serial_failed(why, e.kind(), "the driver refused the settings");
    return e;
  }
  return {};
}

template <class P>
result<serial_settings> basic_serial_port<P>::settings() const noexcept {
  if (h_ == invalid_handle) return error{errc::bad_descriptor, dev_ops::serial_settings};
  serial_settings s;
  if (error e = P::serial_get(h_, s)) return e;
  return s;
}

template <class P>
result<std::size_t> basic_serial_port<P>::read(span<std::byte> out, deadline_type d) noexcept {
  return detail::device_read_some<P>(h_, out, d.ns());
}

template <class P>
status basic_serial_port<P>::read_exact(span<std::byte> out, deadline_type d) noexcept {
  return detail::device_read_exact<P>(h_, out, d.ns());
}

template <class P>
result<std::size_t> basic_serial_port<P>::write_some(span<const std::byte> data, deadline_type d) noexcept {
  return detail::device_write_some<P>(h_, data, d.ns());
}

template <class P>
status basic_serial_port<P>::write(span<const std::byte> data, deadline_type d) noexcept {
  return detail::device_write_all<P>(h_, data, d.ns());
}

template <class P>
status basic_serial_port<P>::write(text_view data, deadline_type d) noexcept {
  return write(span<const std::byte>(reinterpret_cast<const std::byte*>(data.data()), data.size()), d);
}

template <class P>
result<modem_lines> basic_serial_port<P>::modem() const noexcept {
  if (h_ == invalid_handle) return error{errc::bad_descriptor, dev_ops::serial_modem};
  modem_lines m;
  if (error e = P::serial_modem_get(h_, m)) return e;
  return m;
}

template <class P>
status basic_serial_port<P>::set_modem(modem_lines which, bool on) noexcept {
  if (h_ == invalid_handle) return error{errc::bad_descriptor, dev_ops::serial_modem};
  constexpr auto outputs =
      static_cast<std::uint8_t>(static_cast<unsigned>(modem_line::dtr) | static_cast<unsigned>(modem_line::rts));
  if ((which.bits & ~outputs) != 0) return error{errc::invalid_argument, dev_ops::serial_modem};
  if (error e = P::serial_modem_set(h_, which, on)) return e;
  return {};
}

template <class P>
status basic_serial_port<P>::send_break(std::chrono::milliseconds duration) noexcept {
  if (h_ == invalid_handle) return error{errc::bad_descriptor, dev_ops::serial_break};
  if (duration.count() <= 0 || duration.count() > 60'000) return error{errc::invalid_argument, dev_ops::serial_break};
  if (error e = P::serial_break(h_, static_cast<std::uint32_t>(duration.count()))) return e;
  return {};
}

template <class P>
status basic_serial_port<P>::flush(serial_queue which) noexcept {
  if (h_ == invalid_handle) return error{errc::bad_descriptor, dev_ops::serial_flush};
  if (error e = P::serial_flush(h_, which)) return e;
  return {};
}

template <class P>
status basic_serial_port<P>::drain() noexcept {
  if (h_ == invalid_handle) return error{errc::bad_descriptor, dev_ops::serial_drain};
  if (error e = P::serial_drain(h_)) return e;
  return {};
}

template <class P>
void basic_serial_port<P>::close() noexcept {
  if (h_ == invalid_handle) return;
  P::device_close(h_);
  h_ = invalid_handle;
}

template <class P>
result<buffer<serial_port_info>> list_serial_ports() {
  VITTE_REQUIRE_DEVICE_CAPABILITY(P, serial);
  buffer<serial_port_info> ports;
  auto each = [](void* ctx, const char* name, const char* description) {
    static_cast<buffer<serial_port_info>*>(ctx)->push_back(serial_port_info{text(name), text(description)});
  };
  if (error e = P::serial_list(each, &ports)) return e;
  ::vitte::detail::heap_sort(ports.begin(), ports.size(), [](const serial_port_info& a, const serial_port_info& b) {
    return detail::natural_less(a.name, b.name);
  });
  return ports;
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_IMPL_SERIAL_HPP
