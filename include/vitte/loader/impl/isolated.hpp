// The caller's side of vitte/loader/isolated.hpp: starting the plugin host,
// the round trip of one call, and what a host that ended says.
#ifndef VITTE_LOADER_IMPL_ISOLATED_HPP
#define VITTE_LOADER_IMPL_ISOLATED_HPP

#include <vitte/sys/environment.hpp>  // $VITTE_PLUGIN_HOST
#include <vitte/sys/info.hpp>         // executable_path
#include <vitte/sys/path.hpp>

#include <cstring>  // std::memcpy
#include <string>   // std::to_string
#include <tuple>    // a buffer call's arguments
#include <utility>  // std::move

namespace vitte::loader {

template <class F>
constexpr wire::call_form call_form_of() noexcept {
  using G = std::remove_cv_t<F>;
  if constexpr (std::is_same_v<G, std::size_t(const char*, std::size_t, char*, std::size_t)>)
    return wire::call_form::text;
  else if constexpr (std::is_same_v<G, std::size_t(const unsigned char*, std::size_t, unsigned char*, std::size_t)>)
    return wire::call_form::bytes;
  else if constexpr (detail::cell_callable<G>)
    return wire::call_form::cells;
  else
    return wire::call_form::none;
}

template <class P>
sys::basic_sandbox<P> default_plugin_sandbox() {
  sys::basic_sandbox<P> box;
  box.system_runtime().network(sys::sandbox_network::none).syscalls(sys::syscall_profile::standard);
  box.clear_environment({"PATH", "LANG", "LC_ALL", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"});
  return box;
}

namespace detail {

inline constexpr const char* mid_frame = "in the middle of a frame";

/// The plugin host program: `given`, else $VITTE_PLUGIN_HOST, else
/// vitte-plugin-host beside this executable, else on PATH.
template <class P>
result<text> locate_plugin_host(const text& given) {
  if (!given.empty()) return given;
  if (auto e = sys::get_env<P>("VITTE_PLUGIN_HOST"); e && !e->empty()) return text(e->c_str());
  const char* name = VITTE_OS_WINDOWS ? "vitte-plugin-host.exe" : "vitte-plugin-host";
  if (auto self = sys::executable_path<P>(); self) {
    text beside = sys::path_join(sys::parent_path(*self), name);
    if (sys::find_program<P>(beside, "")) return text(beside.c_str());
  }
  auto found = sys::find_program<P>(name);
  if (!found) return error{errc::not_found, ops::module_load};
  return text(found->c_str());
}

}  // namespace detail

template <class R, class... A, class P>
auto isolated_function<R(A...), P>::operator()(A... a) const -> result_type {
  if constexpr (call_form_of<R(A...)>() == wire::call_form::cells) {
    result<std::uint64_t> r = plugin_->call_cells(export_, {detail::to_cell<A>(a)...});
    if (!r) return r.error();
    if constexpr (std::is_void_v<R>)
      return {};
    else
      return detail::from_cell<R>(*r);
  } else {
    auto [in, n, out, capacity] = std::tuple<A...>(a...);
    return plugin_->call_buffer(export_, text_view(reinterpret_cast<const char*>(in), n), reinterpret_cast<char*>(out),
                                capacity);
  }
}

template <class P>
basic_isolated_plugin<P>& basic_isolated_plugin<P>::operator=(basic_isolated_plugin&& o) noexcept {
  if (this == &o) return *this;
  (void)close();
  path_ = std::move(o.path_);
  host_ = std::move(o.host_);
  box_ = std::move(o.box_);
  options_ = std::move(o.options_);
  child_ = std::move(o.child_);
  channel_ = std::move(o.channel_);
  report_ = o.report_;
  info_ = std::move(o.info_);
  failure_ = std::move(o.failure_);
  sequence_ = o.sequence_;
  return *this;
}

template <class P>
result<basic_isolated_plugin<P>> basic_isolated_plugin<P>::open(text path, sys::basic_sandbox<P> box,
                                                                isolated_options options, isolated_failure* why) {
  basic_isolated_plugin p;
  p.path_ = std::move(path);
  p.box_ = std::move(box);
  p.options_ = std::move(options);
  status s = p.start();
  if (why != nullptr) *why = p.failure_;
  if (!s) return s.error();
  return p;
}

template <class P>
status basic_isolated_plugin<P>::start() {
  failure_ = {};
  auto host = detail::locate_plugin_host<P>(options_.host);
  if (!host) return fail(isolated_outcome::spawn_failed, errc::not_found, "no plugin host program (vitte-plugin-host)");
  host_ = std::move(*host);
  sys::basic_sandbox<P> box = box_;
  box.allow_exec(text(host_)).allow_read(text(path_));
  for (const text& s : options_.search) box.allow_read(text(s));
  auto pair = sys::basic_socket<P>::pair(sys::socket_type::stream);
  if (!pair) return fail(isolated_outcome::spawn_failed, pair.error().kind(), "no socket pair");
  typename sys::basic_sandbox<P>::command_type cmd{text(host_)};
  cmd.arg("--max-frame").arg(std::to_string(options_.max_frame));
  for (const text& s : options_.search) cmd.arg("--path").arg(s);
  cmd.arg("--").arg(path_);
  cmd.in(sys::stdio::handle(pair->second.native())).out(sys::stdio::null());
  cmd.err(options_.inherit_stderr ? sys::stdio::inherit() : sys::stdio::null());
  auto spawned = box.spawn(cmd);
  (void)pair->second.close();
  if (!spawned) {
    report_ = box.last_report();
    return fail(isolated_outcome::spawn_failed, spawned.error().kind(), spawned.error().message().c_str());
  }
  child_ = std::move(spawned->child);
  report_ = spawned->report;
  channel_ = std::move(pair->first);
  // Non-blocking (its own end only): every read and write keeps its deadline.
  if (auto s = channel_.set_nonblocking(true); !s) {
    (void)child_.kill();
    channel_ = {};
    return fail(isolated_outcome::spawn_failed, s.error().kind(), "the channel stays blocking");
  }
  auto frame = receive_frame(sys::basic_deadline<P>::after(options_.start_timeout));
  if (!frame) return frame.error();
  const auto bytes = vitte::as_bytes(span<const char>(frame->data(), frame->size()));
  if (static_cast<wire::message>(bytes[0]) == wire::message::load_failed) {
    auto r = wire::decode_reply(bytes, wire::call_form::cells, 0);
    (void)child_.kill();
    channel_ = {};
    return fail(isolated_outcome::load_failed, errc::not_found, r ? r->text : "(a malformed load_failed frame)");
  }
  auto ready = wire::decode_ready(bytes);
  if (!ready) {
    (void)child_.kill();
    channel_ = {};
    return fail(isolated_outcome::protocol, ready.error().kind(), "a malformed ready frame");
  }
  info_ = std::move(*ready);
  return {};
}

template <class P>
error basic_isolated_plugin<P>::fail(isolated_outcome what, errc kind, text detail) {
  failure_.what = what;
  failure_.detail = std::move(detail);
  return error{kind, ops::module_load};
}

// The channel ended or failed while `during` (a frame was awaited, or
// sent): the host is ending; its status says how.
template <class P>
error basic_isolated_plugin<P>::host_ended(errc kind, const char* during) {
  channel_ = {};
  auto st = child_.wait(sys::basic_deadline<sys::sandboxed<P>>::after(std::chrono::seconds(2)));
  if (!st) {  // it closed the channel yet runs on
    (void)child_.kill();
    return fail(isolated_outcome::protocol, kind, text("it closed the channel ") + during);
  }
  failure_.status = *st;
  const text said = during == detail::mid_frame ? text("the channel ended ") + during : text();
  return fail(st->exited() ? isolated_outcome::exited : isolated_outcome::signaled, errc::no_such_process, said);
}

template <class P>
result<text> basic_isolated_plugin<P>::receive_frame(sys::basic_deadline<P> d) {
  std::byte header[wire::header_size];
  auto ended = [&](const error& e, const char* during) -> error {
    if (e.kind() == errc::timed_out) {
      channel_ = {};
      (void)child_.kill();
      return fail(isolated_outcome::timed_out, errc::timed_out, "");
    }
    return host_ended(e.kind(), during);
  };
  if (auto s = channel_.receive_exact(header, d); !s) return ended(s.error(), "before replying");
  auto n = wire::frame_length(header, options_.max_frame);
  if (!n) {
    channel_ = {};
    (void)child_.kill();
    const auto said = vitte::detail::load_le<std::uint32_t>(header);
    return fail(isolated_outcome::protocol, n.error().kind(),
                "a frame header announcing " + std::to_string(said) + " bytes (the limit is " +
                    std::to_string(options_.max_frame) + ")");
  }
  text payload(*n, '\0');
  if (auto s = channel_.receive_exact(vitte::as_writable_bytes(span<char>(payload.data(), payload.size())), d); !s)
    return ended(s.error(), detail::mid_frame);
  return payload;
}

template <class P>
result<wire::reply> basic_isolated_plugin<P>::round_trip(const wire::call& c) {
  failure_ = {};
  failure_.call = c.name;
  if (!alive()) return fail(isolated_outcome::gone, errc::no_such_process, "");
  wire::call numbered = c;
  numbered.sequence = ++sequence_;
  const text frame = wire::encode(numbered);
  if (frame.size() - wire::header_size > options_.max_frame)
    return fail(isolated_outcome::refused, errc::limit_exceeded, "the call's frame is over max_frame");
  const auto d = sys::basic_deadline<P>::after(options_.call_timeout);
  if (auto s = channel_.send_all(vitte::as_bytes(span<const char>(frame.data(), frame.size())), d); !s) {
    if (s.error().kind() == errc::timed_out) {
      channel_ = {};
      (void)child_.kill();
      return fail(isolated_outcome::timed_out, errc::timed_out, "it read no call");
    }
    return host_ended(s.error().kind(), "before reading the call");
  }
  auto payload = receive_frame(d);
  if (!payload) return payload.error();
  auto r =
      wire::decode_reply(vitte::as_bytes(span<const char>(payload->data(), payload->size())), c.form, c.out_capacity);
  if (!r || r->kind == wire::message::load_failed) {
    channel_ = {};
    (void)child_.kill();
    return fail(isolated_outcome::protocol, r ? errc::malformed : r.error().kind(), "a malformed reply");
  }
  if (r->sequence != numbered.sequence) {  // a frame the plugin forged, or the reply to an earlier call
    channel_ = {};
    (void)child_.kill();
    return fail(isolated_outcome::protocol, errc::malformed,
                "a reply out of sequence (to call " + std::to_string(r->sequence) + ", not " +
                    std::to_string(numbered.sequence) + ")");
  }
  if (r->kind == wire::message::refused) return fail(isolated_outcome::refused, static_cast<errc>(r->code), r->text);
  return std::move(*r);
}

template <class P>
template <class F>
result<isolated_function<F, P>> basic_isolated_plugin<P>::find(text_view name, std::uint32_t version) {
  const wire::export_desc* best = nullptr;
  for (const wire::export_desc& e : info_.exports)
    if (e.name == name && (version == 0 ? best == nullptr || e.version > best->version : e.version == version))
      best = &e;
  if (best == nullptr) return error{errc::not_found, ops::module_link};
  if (best->kind != VITTE_EXPORT_FUNCTION || best->signature != signature_hash<std::remove_cv_t<F>>)
    return error{errc::verification_failed, ops::module_link};
  constexpr wire::call_form form = call_form_of<F>();
  if (form == wire::call_form::none || best->form != form) return error{errc::not_supported, ops::module_link};
  return isolated_function<F, P>(this, *best);
}

template <class P>
result<std::uint64_t> basic_isolated_plugin<P>::call_cells(const wire::export_desc& e, buffer<std::uint64_t> cells) {
  wire::call c;
  c.name = e.name;
  c.version = e.version;
  c.signature = e.signature;
  c.cells = std::move(cells);
  auto r = round_trip(c);
  if (!r) return r.error();
  return r->value;
}

template <class P>
result<std::uint64_t> basic_isolated_plugin<P>::call_buffer(const wire::export_desc& e, text_view in, char* out,
                                                            std::size_t capacity) {
  if (capacity > options_.max_frame - 64 || in.size() > options_.max_frame - 64 - e.name.size()) {
    failure_ = {isolated_outcome::refused, {}, e.name, "a buffer over max_frame"};
    return error{errc::limit_exceeded, ops::module_load};
  }
  wire::call c;
  c.name = e.name;
  c.version = e.version;
  c.signature = e.signature;
  c.form = e.form;
  c.input.assign(in);
  c.out_capacity = static_cast<std::uint32_t>(capacity);
  auto r = round_trip(c);
  if (!r) return r.error();
  if (r->value > capacity) {  // a caller would take it as the bytes written
    failure_.what = isolated_outcome::refused;
    failure_.detail = "the export returned " + std::to_string(r->value) + ", more than the capacity " +
                      std::to_string(capacity) + " it was given";
    return error{errc::limit_exceeded, ops::module_load};
  }
  if (!r->output.empty()) std::memcpy(out, r->output.data(), r->output.size());
  return r->value;
}

template <class P>
status basic_isolated_plugin<P>::restart() {
  (void)close();
  return start();
}

template <class P>
result<sys::exit_status> basic_isolated_plugin<P>::close() {
  if (!child_.running()) {
    channel_ = {};
    return error{errc::no_such_process, ops::module_load};
  }
  channel_ = {};  // the host reads the end of its channel and exits
  auto st = child_.wait(sys::basic_deadline<sys::sandboxed<P>>::after(std::chrono::seconds(1)));
  if (st) return *st;
  return child_.kill();
}

}  // namespace vitte::loader

#endif  // VITTE_LOADER_IMPL_ISOLATED_HPP
