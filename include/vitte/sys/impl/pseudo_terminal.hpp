// Template bodies for vitte/sys/pseudo_terminal.hpp. Included by it; do not include.
#ifndef VITTE_SYS_IMPL_PSEUDO_TERMINAL_HPP
#define VITTE_SYS_IMPL_PSEUDO_TERMINAL_HPP

#include <vitte/sys/impl/device_io.hpp>

#include <utility>  // std::move, std::exchange

namespace vitte::sys {

template <class P>
basic_pseudo_terminal<P>::basic_pseudo_terminal(basic_pseudo_terminal&& other) noexcept
    : pty_(std::exchange(other.pty_, native_pty{})), name_(std::move(other.name_)) {}

template <class P>
basic_pseudo_terminal<P>& basic_pseudo_terminal<P>::operator=(basic_pseudo_terminal&& other) noexcept {
  if (this != &other) {
    close();
    pty_ = std::exchange(other.pty_, native_pty{});
    name_ = std::move(other.name_);
  }
  return *this;
}

template <class P>
result<basic_pseudo_terminal<P>> basic_pseudo_terminal<P>::open(const terminal_size& size) {
  if (size.rows == 0 || size.columns == 0) return error{errc::invalid_argument, dev_ops::pty_open};
  char name[256] = {};
  basic_pseudo_terminal pty;
  if (error e = P::pty_open(pty.pty_, size, name, sizeof name)) return e;
  pty.name_ = text(name);
  return pty;
}

template <class P>
typename basic_pseudo_terminal<P>::command_type basic_pseudo_terminal<P>::command(text program) const {
  command_type cmd(std::move(program));
  cmd.in(stdio::handle(pty_.terminal)).out(stdio::handle(pty_.terminal)).err(stdio::handle(pty_.terminal));
  return cmd;
}

template <class P>
result<std::size_t> basic_pseudo_terminal<P>::read(span<std::byte> out, deadline_type d) noexcept {
  return detail::device_read_some<P>(pty_.output, out, d.ns());
}

template <class P>
status basic_pseudo_terminal<P>::write(span<const std::byte> data, deadline_type d) noexcept {
  return detail::device_write_all<P>(pty_.input, data, d.ns());
}

template <class P>
status basic_pseudo_terminal<P>::write(text_view data, deadline_type d) noexcept {
  return write(span<const std::byte>(reinterpret_cast<const std::byte*>(data.data()), data.size()), d);
}

template <class P>
status basic_pseudo_terminal<P>::resize(const terminal_size& size) noexcept {
  if (!is_open()) return error{errc::bad_descriptor, dev_ops::terminal_size};
  if (size.rows == 0 || size.columns == 0) return error{errc::invalid_argument, dev_ops::terminal_size};
  if (error e = P::terminal_size_set(pty_, size)) return e;
  return {};
}

template <class P>
result<terminal_size> basic_pseudo_terminal<P>::size() const noexcept {
  if (!is_open()) return error{errc::bad_descriptor, dev_ops::terminal_size};
  terminal_size s;
  if (error e = P::terminal_size_get(pty_.output, s)) return e;
  return s;
}

template <class P>
void basic_pseudo_terminal<P>::close_terminal() noexcept {
  if (pty_.terminal == invalid_handle) return;
  native_pty side;
  side.terminal = std::exchange(pty_.terminal, invalid_handle);
  P::pty_close(side);
}

template <class P>
void basic_pseudo_terminal<P>::close() noexcept {
  if (pty_.output == invalid_handle && pty_.terminal == invalid_handle) return;
  P::pty_close(std::exchange(pty_, native_pty{}));
  name_ = text();
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_IMPL_PSEUDO_TERMINAL_HPP
