#include "util.h"
int sum_to(int n) { return n <= 0 ? 0 : n + sum_to(n - 1); }
