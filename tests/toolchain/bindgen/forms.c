/* The functions of forms.h, built as a shared library by the test. */
#include "forms.h"

#include <stdarg.h>
#include <stdio.h>

volatile int feature_counter = 7;
const char feature_name[] = "features";

int feature_sum(const int values[], int count) {
  int s = 0;
  for (int i = 0; i < count; ++i) s += values[i];
  return s;
}
int feature_matrix(int m[3][4]) { return m[2][3] + m[0][0]; }
int feature_format(char* out, unsigned size, const char* format, ...) {
  va_list a;
  va_start(a, format);
  int n = vsnprintf(out, size, format, a);
  va_end(a);
  return n;
}
long feature_renamed(long x) { return x * 2; }
int feature_apply(feature_callback cb, void* context) { return cb(context, "apply", 1, 2.5); }
enum small_enum feature_small(enum signed_enum s, enum wide_enum w, enum unsigned_enum u) {
  return s == SIGNED_LOW && w == WIDE_BIG && u == UNSIGNED_TOP ? SMALL_B : SMALL_A;
}
unsigned feature_bits(struct bits b) { return b.a + b.b * 10u + (unsigned)(b.c + 64) * 1000u + b.tail * 1000000u; }
