/* What limits stop: "spin" loops forever; "grow" takes memory until the
 * allocator says no and prints how much it got. */
#include <stdint.h>

#include "check.h"

int main(int argc, char** argv) {
  CHECK(argc == 2);
  if (strcmp(argv[1], "spin") == 0) {
    volatile uint64_t n = 0;
    for (;;) ++n;
  }
  if (strcmp(argv[1], "grow") == 0) {
    size_t total = 0;
    static void* volatile last;
    while ((last = malloc(1 << 20)) != NULL) total += 1 << 20;
    printf("allocated %zu MiB\n", total >> 20);
    return 0;
  }
  return 2;
}
