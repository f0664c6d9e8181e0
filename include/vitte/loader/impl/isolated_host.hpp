// The plugin host's side of vitte/loader/isolated.hpp: load the plugin with
// the ordinary loader, announce its exports, serve calls until the channel
// ends. What runs here is the untrusted plugin; the sandbox around this
// process, not this code, is what keeps it in.
#ifndef VITTE_LOADER_IMPL_ISOLATED_HOST_HPP
#define VITTE_LOADER_IMPL_ISOLATED_HOST_HPP

#include <vitte/loader/loader.hpp>

namespace vitte::loader {

namespace detail {

/// The form the host calls export `e` in.
VITTE_DECL wire::call_form host_form(const export_entry& e) noexcept;
/// A refusal of errc `why` saying `text` (cut to wire::max_name).
VITTE_DECL wire::reply refused(errc why, text message);
/// Runs call `c` on export `e` (its form checked by the caller).
VITTE_DECL wire::reply host_call(const export_entry& e, const wire::call& c);

}  // namespace detail

template <class P>
int serve_plugin_host(sys::basic_socket<P>& channel, const text& path, const buffer<text>& search,
                      std::uint32_t max_frame) {
  auto send = [&channel](const text& frame) {
    return channel.send_all(vitte::as_bytes(span<const char>(frame.data(), frame.size())));
  };
  basic_loader<P> loader(loader_options{.search = {.paths = search}});
  diagnostic_list why;
  result<module> m = loader.load_file(path, &why);
  if (!m) {
    wire::reply r;
    r.kind = wire::message::load_failed;
    r.text = text(why.joined().view());  // the lines, for the parent to print
    if (!r.text.empty() && r.text.back() == '\n') r.text.pop_back();
    if (r.text.empty()) r.text = m.error().message().c_str();
    if (r.text.size() > wire::max_name) r.text.resize(wire::max_name);
    (void)send(wire::encode(r));
    return 1;
  }
  wire::ready ready{m->name(), m->version(), {}};
  for (const detail::export_entry& e : m->core()->exports.entries()) {
    if (ready.exports.size() == wire::max_exports) break;
    ready.exports.push_back({text(e.name().substr(0, wire::max_name)), e.version, static_cast<std::uint8_t>(e.kind),
                             detail::host_form(e), e.signature});
  }
  if (!send(wire::encode(ready))) return 2;
  for (;;) {
    std::byte header[wire::header_size];
    if (auto s = channel.receive_exact(header); !s) return s.error().kind() == errc::unexpected_eof ? 0 : 2;
    auto n = wire::frame_length(header, max_frame);
    if (!n) return 2;
    text payload(*n, '\0');
    if (!channel.receive_exact(vitte::as_writable_bytes(span<char>(payload.data(), payload.size())))) return 2;
    auto c = wire::decode_call(vitte::as_bytes(span<const char>(payload.data(), payload.size())), max_frame);
    if (!c) return 2;
    const detail::export_entry* e = m->core()->exports.find(c->name, c->version);
    wire::reply r;
    if (e == nullptr)
      r = detail::refused(errc::not_found, "no export '" + c->name + "'");
    else if (e->signature != c->signature || detail::host_form(*e) != c->form)
      r = detail::refused(errc::verification_failed, "'" + c->name + "' has another signature");
    else if (c->form != wire::call_form::cells && c->out_capacity > max_frame - 64)
      r = detail::refused(errc::limit_exceeded, "the output capacity is over the frame limit");
    else
      r = detail::host_call(*e, *c);
    r.sequence = c->sequence;
    if (!send(wire::encode(r))) return 2;
  }
}

}  // namespace vitte::loader

#if VITTE_HEADER_ONLY
#include <vitte/loader/impl/isolated_host.ipp>
#endif

#endif  // VITTE_LOADER_IMPL_ISOLATED_HOST_HPP
