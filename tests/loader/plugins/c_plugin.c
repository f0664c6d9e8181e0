/* A sample plugin written in C (compiled as C by tests/plugins/meson.build):
 * it imports from the C++ plugin chain_c and from the host, exports a
 * function and an object, and logs from init and fini. */
#include <vitte/loader/plugin.h>

/* Imports, bound by the loader before init. */
static int (*c_value)(void);
static int (*host_add)(int, int);

static const vitte_plugin_host* the_host;
static int c_calls; /* exported object */

static int c_sum(int x) {
  ++c_calls;
  return host_add(x, c_value());
}

static int c_init(const vitte_plugin_host* host) {
  if (host == 0 || c_value == 0 || host_add == 0) return 1;
  the_host = host;
  host->log(host->context, "c_plugin ready");
  return 0;
}

static void c_fini(void) {
  if (the_host != 0 && VITTE_PLUGIN_HOST_HAS_LOG_AT(the_host))
    the_host->log_at(the_host->context, VITTE_LOG_WARNING, "c_plugin done");
}

#define C_PLUGIN_EXPORTS(X)                        \
  X(FUNCTION, c_sum, VITTE_SIGNATURE("FI4I4E"), 1) \
  X(OBJECT, c_calls, VITTE_SIGNATURE("I4"), 2)
#define C_PLUGIN_IMPORTS(X)                                              \
  X(FUNCTION, c_value, "chain_c", "c_value", VITTE_SIGNATURE("FI4E"), 1) \
  X(FUNCTION, host_add, "host", "add", VITTE_SIGNATURE("FI4I4I4E"), 1)
#define C_PLUGIN_DEPENDS(X) X("chain_c", "^1.0", 0)

VITTE_C_PLUGIN_DEFINE("c_plugin", "0.3.0", VITTE_PLUGIN_FLAG_UNLOAD_SAFE, C_PLUGIN_EXPORTS, C_PLUGIN_IMPORTS,
                      C_PLUGIN_DEPENDS, c_init, c_fini);
