// vitte/loader/log_sink.hpp - where the lines modules log go.
//
//   void to_stderr(void*, const vitte::loader::module_info& from, vitte::loader::log_level, std::string_view text) {
//     std::fprintf(stderr, "%s: %.*s\n", from.id.name.c_str(), int(text.size()), text.data());
//   }
//   vitte::loader::loader l({.log = &to_stderr});
#ifndef VITTE_LOADER_LOG_SINK_HPP
#define VITTE_LOADER_LOG_SINK_HPP

#include <vitte/loader/module.hpp>
#include <vitte/loader/plugin.h>  // VITTE_LOG_*

#include <string_view>

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
using log_sink = void (*)(void* context, const module_info& from, log_level level, std::string_view text);

}  // namespace vitte::loader

#endif  // VITTE_LOADER_LOG_SINK_HPP
