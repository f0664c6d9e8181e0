/* The header of a C plugin (calc_plugin.c): its export list is generated
 * from it (vitte bindgen calc.h --plugin-exports --module calc), and so are
 * a host's bindings (vitte bindgen calc.h --module calc). */
#ifndef CALC_H
#define CALC_H

#include <stdint.h>

struct calc_point {
  int32_t x, y;
  const char* label;
};

enum calc_mode { CALC_SUM = 1, CALC_PRODUCT = 2, CALC_MAX = 0x7fffffff };

#define CALC_LIMIT (1 << 12)

int scale(int x, int factor);
int64_t combine(enum calc_mode mode, const int32_t* values, uint32_t count);
double distance(const struct calc_point* a, const struct calc_point* b);
extern int calc_calls;

#endif
