// vitte/loader/log_sink.hpp - where the lines modules log go.
//
//   void to_stderr(void*, const vitte::loader::module_info& from, vitte::loader::log_level, vitte::text_view text) {
//     std::fprintf(stderr, "%s: %.*s\n", from.id.name.c_str(), int(text.size()), text.data());
//   }
//   vitte::loader::loader l({.log = &to_stderr});
#ifndef VITTE_LOADER_LOG_SINK_HPP
#define VITTE_LOADER_LOG_SINK_HPP

#include <vitte/loader/module.hpp>
#include <vitte/loader/plugin.h>  // VITTE_LOG_*
#include <vitte/log/logger.hpp>   // forward_to_logger

namespace vitte::loader {

/// Levels of the lines plugins log (vitte_plugin_host::log_at; `log` is info).
enum class log_level : int {
  error = VITTE_LOG_ERROR,
  warning = VITTE_LOG_WARNING,
  info = VITTE_LOG_INFO,
  debug = VITTE_LOG_DEBUG,
};

/// Where the lines plugins log go: the module that logged, the level and
/// the text (valid during the call only). Called on the plugin's thread,
/// without the loader's lock, possibly from several threads at once.
using log_sink = void (*)(void* context, const module_info& from, log_level level, text_view text);

/// A log_sink that hands plugin lines to a vitte::log logger (the context),
/// at the matching level, with the module as fields:
///   vitte::log::logger log;
///   vl::loader l({.log = &vl::forward_to_logger, .log_context = &log});
///   // 2026-11-23T09:40:53.579Z info  cache warmed module=calc version=1.2.0
VITTE_DECL void forward_to_logger(void* logger, const module_info& from, log_level level, text_view text);

}  // namespace vitte::loader

#if VITTE_HEADER_ONLY
#include <vitte/loader/impl/log_sink.ipp>
#endif

#endif  // VITTE_LOADER_LOG_SINK_HPP
