/* Files in a granted directory (/sandbox): create, write, read back, seek
 * and tell, append, positional I/O, truncate, times, hard and symbolic
 * links, rename, unlink, directories and their listing. Prints "files ok". */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "check.h"

#define WORK "/sandbox/work"

static int listed(const char* dir, const char* name) {
  DIR* d = opendir(dir);
  CHECK(d != NULL);
  int found = 0, count = 0;
  struct dirent* e;
  while ((e = readdir(d)) != NULL) {
    ++count;
    if (strcmp(e->d_name, name) == 0) found = 1;
  }
  CHECK(closedir(d) == 0);
  return found ? count : 0;
}

int main(int argc, char** argv) {
  /* "nolinks": the host cannot make symbolic links (Windows without the privilege) */
  const int links = !(argc > 1 && strcmp(argv[1], "nolinks") == 0);
  /* a run that failed halfway left its work: set it aside */
  unsigned char r[8];
  char stale[64];
  CHECK(getentropy(r, sizeof r) == 0);
  snprintf(stale, sizeof stale, "/sandbox/stale-%02x%02x%02x%02x", r[0], r[1], r[2], r[3]);
  if (access(WORK, F_OK) == 0) CHECK(rename(WORK, stale) == 0);
  CHECK(mkdir(WORK, 0755) == 0);
  CHECK(mkdir(WORK, 0755) == -1 && errno == EEXIST);

  /* write, read back */
  FILE* f = fopen(WORK "/a.txt", "w");
  CHECK(f != NULL);
  CHECK(fputs("hello, wasi\n", f) >= 0);
  CHECK(fclose(f) == 0);
  char buf[64] = {0};
  int fd = open(WORK "/a.txt", O_RDWR);
  CHECK(fd >= 0);
  CHECK(read(fd, buf, sizeof buf) == 12);
  CHECK(strcmp(buf, "hello, wasi\n") == 0);

  /* seek and tell */
  CHECK(lseek(fd, 0, SEEK_CUR) == 12);
  CHECK(lseek(fd, 7, SEEK_SET) == 7);
  memset(buf, 0, sizeof buf);
  CHECK(read(fd, buf, 4) == 4 && strcmp(buf, "wasi") == 0);
  CHECK(lseek(fd, -1, SEEK_END) == 11);

  /* positional I/O leaves the position alone */
  CHECK(pwrite(fd, "W", 1, 7) == 1);
  memset(buf, 0, sizeof buf);
  CHECK(pread(fd, buf, 4, 7) == 4 && strcmp(buf, "Wasi") == 0);
  CHECK(lseek(fd, 0, SEEK_CUR) == 11);

  /* vectored writes */
  struct iovec iov[2] = {{"ab", 2}, {"cd", 2}};
  CHECK(lseek(fd, 0, SEEK_END) == 12);
  CHECK(writev(fd, iov, 2) == 4);

  /* size, truncate */
  struct stat st;
  CHECK(fstat(fd, &st) == 0 && st.st_size == 16 && S_ISREG(st.st_mode));
  CHECK(ftruncate(fd, 5) == 0);
  CHECK(fstat(fd, &st) == 0 && st.st_size == 5);

  /* times */
  struct timespec times[2] = {{1000000000, 0}, {1200000000, 500}};
  CHECK(futimens(fd, times) == 0);
  CHECK(fstat(fd, &st) == 0 && st.st_mtim.tv_sec == 1200000000);
  CHECK(close(fd) == 0);
  CHECK(close(fd) == -1 && errno == EBADF);

  /* append */
  fd = open(WORK "/a.txt", O_WRONLY | O_APPEND);
  CHECK(fd >= 0);
  CHECK(write(fd, "XYZ", 3) == 3);
  CHECK(close(fd) == 0);
  CHECK(stat(WORK "/a.txt", &st) == 0 && st.st_size == 8);

  /* exclusive create */
  CHECK(open(WORK "/a.txt", O_WRONLY | O_CREAT | O_EXCL, 0644) == -1 && errno == EEXIST);

  /* hard link, symbolic link, readlink */
  CHECK(link(WORK "/a.txt", WORK "/hard.txt") == 0);
  CHECK(stat(WORK "/hard.txt", &st) == 0 && st.st_nlink == 2);
  if (links) {
    CHECK(symlink("a.txt", WORK "/soft") == 0);
    char target[32] = {0};
    CHECK(readlink(WORK "/soft", target, sizeof target) == 5 && strcmp(target, "a.txt") == 0);
    CHECK(lstat(WORK "/soft", &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(stat(WORK "/soft", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 8);
    fd = open(WORK "/soft", O_RDONLY);
    CHECK(fd >= 0);
    memset(buf, 0, sizeof buf);
    CHECK(read(fd, buf, sizeof buf) == 8 && memcmp(buf, "helloXYZ", 8) == 0);
    CHECK(close(fd) == 0);
  }

  /* rename, unlink, listing */
  CHECK(rename(WORK "/hard.txt", WORK "/b.txt") == 0);
  CHECK(access(WORK "/hard.txt", F_OK) == -1 && errno == ENOENT);
  CHECK(listed(WORK, "b.txt") == (links ? 5 : 4)); /* . .. a.txt b.txt soft */
  CHECK(unlink(WORK "/b.txt") == 0);
  CHECK(!links || unlink(WORK "/soft") == 0);
  CHECK(listed(WORK, "a.txt") == 3);
  CHECK(listed(WORK, "b.txt") == 0);

  /* directories: rmdir refuses a full one and a file, unlink refuses a directory */
  CHECK(mkdir(WORK "/sub", 0755) == 0);
  CHECK(unlink(WORK "/sub") == -1 && (errno == EISDIR || errno == EPERM));
  CHECK(rmdir(WORK) == -1 && errno == ENOTEMPTY);
  CHECK(rmdir(WORK "/a.txt") == -1 && errno == ENOTDIR);
  CHECK(rmdir(WORK "/sub") == 0);

  /* many entries: the listing comes in several fd_readdir calls */
  char name[64];
  for (int i = 0; i < 300; ++i) {
    snprintf(name, sizeof name, WORK "/entry-with-a-long-name-%03d", i);
    fd = open(name, O_WRONLY | O_CREAT, 0644);
    CHECK(fd >= 0);
    CHECK(close(fd) == 0);
  }
  CHECK(listed(WORK, "entry-with-a-long-name-299") == 303);
  for (int i = 0; i < 300; ++i) {
    snprintf(name, sizeof name, WORK "/entry-with-a-long-name-%03d", i);
    CHECK(unlink(name) == 0);
  }
  CHECK(unlink(WORK "/a.txt") == 0);
  CHECK(rmdir(WORK) == 0);
  puts("files ok");
  return 0;
}
