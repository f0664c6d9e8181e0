// Containers (.vitmod, .vitbc) as a module backend: the file mapped once, its
// signature checked on that mapping (loader_options::trust and verify), the
// payload run by the executor the host registered for its kind (a native
// payload without one: an in-memory image, impl/native_payload.hpp). WebAssembly
// files (.wasm) come this way too: mapped, checked against the content hash
// read when they were found, and run whole by the executor of
// payload_kind::wasm (like a native plugin, a module file is trusted by its
// place in the search paths; signed wasm comes in a container).
#ifndef VITTE_LOADER_IMPL_CONTAINER_BACKEND_HPP
#define VITTE_LOADER_IMPL_CONTAINER_BACKEND_HPP

#include <vitte/base/detail/hash.hpp>  // content_hash of .wasm files
#include <vitte/loader/executor.hpp>
#include <vitte/loader/impl/backend.hpp>
#include <vitte/loader/impl/native_payload.hpp>
#include <vitte/loader/log_sink.hpp>
#include <vitte/loader/operations.hpp>
#include <vitte/loader/signature.hpp>
#include <vitte/loader/vitmod_file.hpp>
#include <vitte/sys/mutex.hpp>

#include <utility>  // std::pair

namespace vitte::loader::detail {

template <class P>
class container_image final : public module_image {
 public:
  container_image(basic_vitmod_file<P>&& file, module_executor& executor, text who, text kind)
      : file_(static_cast<basic_vitmod_file<P>&&>(file)),
        executor_(executor),
        who_(static_cast<text&&>(who)),
        kind_(static_cast<text&&>(kind)) {}

  status instantiate(const module_info& info, span<const export_address> imports, diagnostic_list* diag) override {
    buffer<void*> addresses(imports.size());
    buffer<cell_function> calls(imports.size());
    for (std::size_t i = 0; i < imports.size(); ++i) {
      addresses[i] = imports[i].foreign ? nullptr : imports[i].address;
      calls[i] = {imports[i].call, imports[i].address};
    }
    const span<const std::byte> payload = info.source.format == module_format::wasm
                                              ? span<const std::byte>(file_.map.data(), file_.map.size())
                                              : file_.view.payload();
    result<void*> instance = executor_.instantiate(executor_request{info, file_.view, addresses, calls, payload, diag});
    if (!instance) {
      note(diag, instance.error(), who_, "the " + kind_ + " executor refused it");
      return instance.error();
    }
    instance_ = *instance;
    instantiated_ = true;  // from now on, teardown when it goes
    return {};
  }
  status bind_exports(module_info& info, buffer<export_address>& addresses, diagnostic_list* diag) override {
    buffer<export_binding> out(info.exports.size());
    if (status st = executor_.bind_exports(instance_, out, diag); !st) {
      note(diag, st.error(), who_, "the " + kind_ + " executor could not bind its exports");
      return st;
    }
    text missing;
    addresses.resize(out.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (out[i].address == nullptr) missing += (missing.empty() ? "" : ", ") + info.exports[i].name;
      addresses[i] = {out[i].address, out[i].call, out[i].call != nullptr};
      if (info.exports[i].signature == 0) info.exports[i].signature = out[i].signature;  // a .wasm file's own stays
    }
    if (!missing.empty()) {
      note(diag, errc::malformed, who_, "the " + kind_ + " executor gave no address for export(s) " + missing);
      return error{errc::malformed, ops::module_link};
    }
    return {};
  }
  status start(const module_info&, vitte_plugin_host*, diagnostic_list* diag) override {
    if (status st = executor_.start(instance_, diag); !st) {
      note(diag, st.error(), who_, "start failed");
      return st;
    }
    return {};
  }
  void teardown() noexcept override {
    if (instantiated_) executor_.teardown(instance_);
    instantiated_ = false;
  }
  void** import_slot(std::size_t) const noexcept override { return nullptr; }
  const char* not_rebindable() const noexcept override { return "a container, whose executor cannot be rebound"; }
  bool may_unmap(const module_info&) const noexcept override { return true; }
  void unmap() noexcept override { file_ = basic_vitmod_file<P>{}; }
  void pin() noexcept override {}

 private:
  basic_vitmod_file<P> file_;  // the executor runs from this mapping until teardown
  module_executor& executor_;
  text who_, kind_;
  void* instance_ = nullptr;
  bool instantiated_ = false;
};

template <class P>
class container_backend final : public module_backend {
 public:
  container_backend(const trust_store& trust, verify_policy verify, log_sink log, void* log_context)
      : trust_(trust), verify_(verify), log_(log), log_context_(log_context) {}

  /// Runs payloads of `kind` with `executor`. Errors (module_load): already_exists.
  status add(payload_kind kind, module_executor& executor) {
    lock_.lock();
    bool taken = find(static_cast<std::uint32_t>(kind)) != nullptr;
    if (!taken) executors_.emplace_back(kind, &executor);
    lock_.unlock();
    return taken ? status{error{errc::already_exists, ops::module_load}} : status{};
  }

  bool handles(const module_info& info) const noexcept override {
    return info.source.format == module_format::vitmod || info.source.format == module_format::wasm;
  }
  text unavailable(const module_info& info) const override {
    lock_.lock();
    module_executor* e = find(info.source.payload_kind);
    lock_.unlock();
    if (e != nullptr || builtin_native(info)) return {};
    return "payload kind " + text(to_string(static_cast<payload_kind>(info.source.payload_kind)));
  }
  const char* unavailable_reason() const noexcept override { return "no executor registered for the payload of"; }

  result<std::unique_ptr<module_image>> open(module_info& info, diagnostic_list* diag) override {
    const text who = info.id.name + " " + info.id.version;
    text kind(to_string(static_cast<payload_kind>(info.source.payload_kind)));
    lock_.lock();
    module_executor* executor = find(info.source.payload_kind);
    lock_.unlock();
    if (executor == nullptr && !builtin_native(info)) {  // the plan checked; a lazy load may not have
      note(diag, errc::not_supported, who, info.source.path + ": no executor registered for payload kind " + kind);
      return error{errc::not_supported, ops::module_load};
    }
    if (info.source.format == module_format::wasm) return open_wasm(info, *executor, who, diag);
    // One mapping: the signature is checked over the bytes the executor then
    // runs (vitte/loader/vitmod_file.hpp).
    vitte::diagnostic why;
    result<basic_vitmod_file<P>> file = open_vitmod<P>(info.source.path.c_str(), trust_, verify_, {}, &why);
    if (!file) {
      if (file.error() == errc::verification_failed)
        note(diag, errc::verification_failed, who, info.source.path + ": refused under verify_policy::require");
      note(diag, why);  // about the file: what was wrong, where
      return error{file.error().kind(), ops::module_load};
    }
    if (container_content_hash(file->view) != info.id.content_hash) {
      note(diag, errc::version_mismatch, who,
           info.source.path + ": the file changed since it was read; rescan the search paths");
      return error{errc::version_mismatch, ops::module_load};
    }
    const signature_check& check = file->signature;
    info.source.signature = verify_ == verify_policy::off ? signature_state::not_checked
                            : check.verified              ? signature_state::verified
                                                          : signature_state::failed;
    if (check.signer != nullptr) info.source.signer = check.signer->name;
    if (info.source.signature == signature_state::failed) {
      vitte::diagnostic reason = check.why;
      name_file(reason, info.source.path);
      const text warning = info.source.path + ": signature not verified, loaded under verify_policy::warn";
      if (log_ != nullptr) {  // the sink takes text: one line
        const vitte::diagnostic_line line = reason.format();
        log_(log_context_, info, log_level::warning, who + ": " + warning + ": " + text(line.view()));
      }
      note(diag, errc::verification_failed, who, warning);
      note(diag, reason);
    }
    // Native code without an executor of the host's: an image of the
    // verified payload (the image copies it; the mapping goes now).
    if (executor == nullptr) return open_native_payload(info, file->view.payload(), who, diag);
    return std::unique_ptr<module_image>(
        new container_image<P>(static_cast<basic_vitmod_file<P>&&>(*file), *executor, who, static_cast<text&&>(kind)));
  }

 private:
  // A .wasm file: mapped once; the bytes the executor runs are the bytes hashed.
  result<std::unique_ptr<module_image>> open_wasm(const module_info& info, module_executor& executor, const text& who,
                                                  diagnostic_list* diag) {
    basic_vitmod_file<P> file;
    auto map = sys::basic_file_map<P>::open(info.source.path.c_str());
    if (!map) {
      note(diag, map.error(), info.source.path, "cannot map the file");
      return map.error();
    }
    file.map = static_cast<sys::basic_file_map<P>&&>(*map);
    if (vitte::detail::content_hash(span<const std::byte>(file.map.data(), file.map.size())) != info.id.content_hash) {
      note(diag, errc::version_mismatch, who,
           info.source.path + ": the file changed since it was read; rescan the search paths");
      return error{errc::version_mismatch, ops::module_load};
    }
    return std::unique_ptr<module_image>(
        new container_image<P>(static_cast<basic_vitmod_file<P>&&>(file), executor, who, "wasm"));
  }

  // Native payloads run as in-memory images when the host registered no executor for them.
  static bool builtin_native(const module_info& info) noexcept {
    return info.source.payload_kind == static_cast<std::uint32_t>(payload_kind::native) &&
           info.source.format == module_format::vitmod && elf_image::images_supported();
  }

  module_executor* find(std::uint32_t kind) const noexcept {
    for (const auto& e : executors_)
      if (static_cast<std::uint32_t>(e.first) == kind) return e.second;
    return nullptr;
  }

  const trust_store& trust_;
  verify_policy verify_;
  log_sink log_;
  void* log_context_;
  mutable sys::basic_mutex<P> lock_;
  buffer<std::pair<payload_kind, module_executor*>> executors_;
};

}  // namespace vitte::loader::detail

#endif  // VITTE_LOADER_IMPL_CONTAINER_BACKEND_HPP
