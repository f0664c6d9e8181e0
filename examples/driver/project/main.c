#include <stdio.h>

#include "shapes.h"
#include "util.h"
int main(void) {
  struct rect r = {3, 4};
  printf("area %d, sum %d\n", area(r), sum_to(3));
  return 0;
}
