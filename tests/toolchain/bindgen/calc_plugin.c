/* A C plugin whose VITTE_C_PLUGIN_DEFINE export list is generated from its
 * own header (calc_exports.h: vitte bindgen calc.h --plugin-exports --module
 * calc), so the signatures it declares cannot drift from its prototypes. */
#include <math.h>

#include "calc.h"
#include "calc_exports.h"

int calc_calls;

int scale(int x, int factor) {
  ++calc_calls;
  return x * factor;
}

int64_t combine(enum calc_mode mode, const int32_t* values, uint32_t count) {
  int64_t r = mode == CALC_PRODUCT ? 1 : 0;
  ++calc_calls;
  for (uint32_t i = 0; i < count; ++i) r = mode == CALC_PRODUCT ? r * values[i] : r + values[i];
  return r;
}

double distance(const struct calc_point* a, const struct calc_point* b) {
  double dx = (double)(a->x - b->x), dy = (double)(a->y - b->y);
  ++calc_calls;
  return sqrt(dx * dx + dy * dy);
}

VITTE_C_PLUGIN_DEFINE("calc", "1.0.0", VITTE_PLUGIN_FLAG_UNLOAD_SAFE, CALC_EXPORTS, VITTE_C_NONE, VITTE_C_NONE, 0, 0);
