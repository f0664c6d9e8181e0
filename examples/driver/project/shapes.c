#include "shapes.h"
int area(struct rect r) { return r.w * r.h; }
