/* Escape attempts from the granted directory /sandbox; every one must be
 * refused. The host prepared: /sandbox/inside.txt, a link "out" to "..",
 * a link "abs" to an absolute path, a link "up" to "../outside.txt", and a
 * file outside.txt beside the sandbox (without the links when the first
 * argument is "nolinks": hosts that cannot make them). Prints "escape refused". */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

static void refused(const char* path) {
  errno = 0;
  int fd = open(path, O_RDONLY);
  if (fd >= 0) {
    printf("ESCAPED through %s\n", path);
    exit(1);
  }
  if (errno != ENOTCAPABLE && errno != EPERM) {
    printf("FAILED %s: errno %d, expected ENOTCAPABLE\n", path, errno);
    exit(1);
  }
}

int main(int argc, char** argv) {
  const int links = !(argc > 1 && strcmp(argv[1], "nolinks") == 0);
  struct stat st;
  CHECK(stat("/sandbox/inside.txt", &st) == 0);
  refused("/sandbox/../outside.txt");
  refused("/sandbox/sub/../../outside.txt");
  if (links) {
    refused("/sandbox/out/outside.txt");
    refused("/sandbox/up");
    refused("/sandbox/abs");
    refused("/sandbox/out");
    errno = 0;
    CHECK(stat("/sandbox/up", &st) == -1 && errno == ENOTCAPABLE);
  }
  errno = 0;
  CHECK(mkdir("/sandbox/../made", 0755) == -1 && errno == ENOTCAPABLE);
  errno = 0;
  CHECK(rename("/sandbox/inside.txt", "/sandbox/../moved.txt") == -1 && errno == ENOTCAPABLE);
  errno = 0;
  CHECK(unlink("/sandbox/../outside.txt") == -1 && errno == ENOTCAPABLE);
  errno = 0;
  CHECK(symlink("/etc/passwd", "/sandbox/newabs") == -1 && errno == ENOTCAPABLE);
  /* a path outside every granted directory is refused by the C library */
  errno = 0;
  CHECK(open("/etc/passwd", O_RDONLY) == -1);
  /* the link itself may be read: only following it escapes */
  char target[64] = {0};
  CHECK(!links || (readlink("/sandbox/up", target, sizeof target) > 0 && strcmp(target, "../outside.txt") == 0));
  puts("escape refused");
  return 0;
}
