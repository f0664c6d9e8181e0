// vitte-plugin-host - the process an isolated plugin runs in
// (vitte/loader/isolated.hpp starts it under a sandbox; nobody else should).
//
//   vitte-plugin-host [--path DIR]... [--max-frame BYTES] -- PLUGIN
//
// Its standard input is the channel (a stream socket): it loads PLUGIN,
// announces its exports there and serves calls until the channel ends.
// Exit codes: 0 the channel ended, 1 the plugin did not load, 2 a
// malformed frame, 64 bad arguments.
#include <vitte/base/detail/decimal.hpp>  // --max-frame
#include <vitte/loader/isolated.hpp>

#include <cstdio>
#include <cstdlib>
#include <string_view>

// Built with a sanitizer, the host runs in the sandbox with its runtime's
// defaults (it reads its options from /proc/self/environ, which the sandbox
// does not expose): no leak check (LeakSanitizer needs ptrace and /proc,
// which the sandbox refuses), and faults and aborts left to the kernel, so
// that the caller sees the signal that ended the plugin. Without a
// sanitizer nothing calls these.
extern "C" const char* __asan_default_options() { return "detect_leaks=0:handle_segv=0:handle_abort=0"; }
extern "C" const char* __lsan_default_options() { return "detect_leaks=0"; }
extern "C" const char* __ubsan_default_options() { return "halt_on_error=0:handle_segv=0:handle_abort=0"; }
extern "C" const char* __tsan_default_options() { return "handle_segv=0:handle_abort=0"; }

int main(int argc, char** argv) {
  vitte::buffer<vitte::text> search;
  std::uint32_t max_frame = vitte::loader::wire::default_max_frame;
  vitte::text plugin;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--path" && i + 1 < argc) {
      search.emplace_back(argv[++i]);
    } else if (a == "--max-frame" && i + 1 < argc) {
      std::uint64_t n = 0;
      if (!vitte::detail::parse_decimal(argv[++i], 0xffffffffu, n)) break;
      max_frame = static_cast<std::uint32_t>(n);
    } else if (a == "--" && i + 2 == argc) {
      plugin = argv[++i];
    } else {
      break;
    }
  }
  if (plugin.empty() || max_frame == 0) {
    std::fputs("usage: vitte-plugin-host [--path DIR]... [--max-frame BYTES] -- PLUGIN (run by vitte::loader)\n",
               stderr);
    return 64;
  }
#if VITTE_OS_WINDOWS
  std::fputs("vitte-plugin-host: isolated plugins are not supported on Windows yet\n", stderr);
  return 64;
#else
  vitte::sys::socket channel(0);  // stdin: the socket pair's end
  return vitte::loader::serve_plugin_host(channel, plugin, search, max_frame);
#endif
}
