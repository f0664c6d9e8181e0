// vitte/loader/impl/log_sink.ipp - forward_to_logger (vitte/loader/log_sink.hpp).
#ifndef VITTE_LOADER_IMPL_LOG_SINK_IPP
#define VITTE_LOADER_IMPL_LOG_SINK_IPP

#include <vitte/base.hpp>
#include <vitte/loader/log_sink.hpp>
#include <vitte/loader/module.hpp>
#include <vitte/log/logger.hpp>

namespace vitte::loader {

VITTE_DECL void forward_to_logger(void* logger, const module_info& from, log_level level, text_view text) {
  auto* to = static_cast<log::logger*>(logger);
  const log::level l = level == log_level::error     ? log::level::error
                       : level == log_level::warning ? log::level::warn
                       : level == log_level::info    ? log::level::info
                                                     : log::level::debug;
  if (to != nullptr && to->enabled(l))
    to->write(l, text, {{"module", text_view(from.id.name)}, {"version", text_view(from.id.version)}});
}

}  // namespace vitte::loader

#endif  // VITTE_LOADER_IMPL_LOG_SINK_IPP
