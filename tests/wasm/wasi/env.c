/* Arguments, environment, clocks, sleeping, random bytes, exit status.
 * Prints its arguments and VITTE_GREETING, checks that the greeting is its
 * first argument and that the clocks move, and exits with the status given
 * as its last argument. */
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

int main(int argc, char** argv) {
  CHECK(argc >= 2);
  for (int i = 1; i < argc; ++i) printf("arg %d: %s\n", i, argv[i]);
  const char* g = getenv("VITTE_GREETING");
  printf("greeting: %s\n", g ? g : "(none)");
  CHECK(g != NULL && strcmp(g, argv[1]) == 0);
  struct timespec a, b, r;
  CHECK(clock_gettime(CLOCK_REALTIME, &a) == 0);
  CHECK(a.tv_sec > 1600000000); /* after September 2020 */
  CHECK(clock_getres(CLOCK_MONOTONIC, &r) == 0);
  CHECK(clock_gettime(CLOCK_MONOTONIC, &a) == 0);
  struct timespec nap = {0, 20 * 1000 * 1000};
  CHECK(nanosleep(&nap, NULL) == 0);
  CHECK(clock_gettime(CLOCK_MONOTONIC, &b) == 0);
  int64_t slept = (int64_t)(b.tv_sec - a.tv_sec) * 1000000000 + (b.tv_nsec - a.tv_nsec);
  CHECK(slept >= 20 * 1000 * 1000);
  unsigned char bytes[32] = {0}, zero[32] = {0};
  CHECK(getentropy(bytes, sizeof bytes) == 0);
  CHECK(memcmp(bytes, zero, sizeof bytes) != 0);
  fflush(stdout);
  return atoi(argv[argc - 1]);
}
