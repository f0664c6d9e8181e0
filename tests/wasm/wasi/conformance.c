/* WASI preview 1 called directly (wasi/api.h, no libc in between), each
 * call's errno checked against what the reference runtimes answer: error
 * precedence (the descriptor, then its kind, then its rights), trailing
 * slashes, flag changes, directories as descriptors, links, arguments out
 * of range. Runs in the first granted directory (descriptor 3), in a work
 * directory it removes; "nolinks" skips the checks that need symbolic
 * links. Prints "conformance ok", or each wrong answer and exits 1. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#define ROOT 3
#define EXPECT(want, call) expect(__LINE__, #call, (want), (int)(call))

static int wrong;

static void expect(int line, const char* what, int want, int got) {
  if (got == want) return;
  printf("WRONG conformance.c:%d: %s = %d, expected %d\n", line, what, got, want);
  ++wrong;
}

/* path_open under ROOT; the descriptor in *fd (or closed when fd is null) */
static int open_at(const char* path, int follow, int oflags, __wasi_rights_t rights, int fdflags, __wasi_fd_t* fd) {
  __wasi_fd_t got = 0;
  const int e = __wasi_path_open(ROOT, follow, path, oflags, rights, rights, fdflags, &got);
  if (e == 0 && fd == NULL) (void)__wasi_fd_close(got);
  if (fd != NULL) *fd = e == 0 ? got : 0;
  return e;
}

static int put(__wasi_fd_t fd, const char* s) {
  const __wasi_ciovec_t v = {(const uint8_t*)s, strlen(s)};
  __wasi_size_t n = 0;
  return __wasi_fd_write(fd, &v, 1, &n);
}

/* the whole content of `path`, or "<none>" */
static const char* content(const char* path) {
  static char buf[128];
  __wasi_fd_t fd;
  if (open_at(path, 0, 0, __WASI_RIGHTS_FD_READ, 0, &fd) != 0) return "<none>";
  __wasi_iovec_t v = {(uint8_t*)buf, sizeof buf - 1};
  __wasi_size_t n = 0;
  if (__wasi_fd_read(fd, &v, 1, &n) != 0) n = 0;
  buf[n] = 0;
  (void)__wasi_fd_close(fd);
  return buf;
}

/* the file type `path` names (links followed on request), or -errno */
static int type_of(const char* path, int follow) {
  __wasi_filestat_t st;
  const int e = __wasi_path_filestat_get(ROOT, follow, path, &st);
  return e != 0 ? -e : st.filetype;
}

static const __wasi_rights_t file_rights = __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK |
                                           __WASI_RIGHTS_FD_TELL | __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS |
                                           __WASI_RIGHTS_FD_SYNC | __WASI_RIGHTS_FD_DATASYNC | __WASI_RIGHTS_FD_ADVISE |
                                           __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_FILESTAT_GET |
                                           __WASI_RIGHTS_FD_FILESTAT_SET_SIZE | __WASI_RIGHTS_FD_FILESTAT_SET_TIMES;
static const __wasi_rights_t dir_rights = __WASI_RIGHTS_PATH_CREATE_DIRECTORY | __WASI_RIGHTS_PATH_CREATE_FILE |
                                          __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_FD_READDIR |
                                          __WASI_RIGHTS_PATH_FILESTAT_GET | __WASI_RIGHTS_FD_FILESTAT_GET |
                                          __WASI_RIGHTS_PATH_UNLINK_FILE | __WASI_RIGHTS_PATH_REMOVE_DIRECTORY;

/* sock_* on what is no socket: notsock, whatever its rights */
static void not_a_socket(__wasi_fd_t fd) {
  __wasi_fd_t got;
  __wasi_size_t n;
  __wasi_roflags_t flags;
  EXPECT(__WASI_ERRNO_NOTSOCK, __wasi_sock_shutdown(fd, __WASI_SDFLAGS_WR));
  EXPECT(__WASI_ERRNO_NOTSOCK, __wasi_sock_accept(fd, 0, &got));
  EXPECT(__WASI_ERRNO_NOTSOCK, __wasi_sock_send(fd, NULL, 0, 0, &n));
  EXPECT(__WASI_ERRNO_NOTSOCK, __wasi_sock_recv(fd, NULL, 0, 0, &n, &flags));
}

/* every call on a file's contents or flags, on a directory: badf */
static void not_a_file(__wasi_fd_t fd) {
  uint8_t b[8];
  __wasi_iovec_t v = {b, sizeof b};
  const __wasi_ciovec_t cv = {b, sizeof b};
  __wasi_size_t n;
  __wasi_filesize_t pos;
  EXPECT(__WASI_ERRNO_BADF, __wasi_fd_read(fd, &v, 1, &n));
  EXPECT(__WASI_ERRNO_BADF, __wasi_fd_pread(fd, &v, 1, 0, &n));
  EXPECT(__WASI_ERRNO_BADF, __wasi_fd_write(fd, &cv, 1, &n));
  EXPECT(__WASI_ERRNO_BADF, __wasi_fd_pwrite(fd, &cv, 1, 0, &n));
  EXPECT(__WASI_ERRNO_BADF, __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
  EXPECT(__WASI_ERRNO_BADF, __wasi_fd_tell(fd, &pos));
  EXPECT(__WASI_ERRNO_BADF, __wasi_fd_advise(fd, 0, 0, __WASI_ADVICE_DONTNEED));
  EXPECT(__WASI_ERRNO_BADF, __wasi_fd_allocate(fd, 0, 1));
  EXPECT(__WASI_ERRNO_BADF, __wasi_fd_datasync(fd));
  EXPECT(__WASI_ERRNO_BADF, __wasi_fd_sync(fd));
  EXPECT(__WASI_ERRNO_BADF, __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_NONBLOCK));
  EXPECT(__WASI_ERRNO_BADF, __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND));
  EXPECT(__WASI_ERRNO_BADF, __wasi_fd_filestat_set_size(fd, 0));
}

static void descriptors(void) {
  __wasi_fd_t file, dir, bare;
  __wasi_filestat_t st;
  uint8_t b[64];
  __wasi_size_t n;
  EXPECT(0, open_at("w/f.txt", 0, 0, file_rights, 0, &file));
  EXPECT(0, open_at("w/d", 0, __WASI_OFLAGS_DIRECTORY, dir_rights, 0, &dir));
  EXPECT(0, open_at("w/d", 0, __WASI_OFLAGS_DIRECTORY, 0, 0, &bare));
  /* no descriptor: badf before anything */
  EXPECT(__WASI_ERRNO_BADF, __wasi_sock_shutdown(99, __WASI_SDFLAGS_WR));
  EXPECT(__WASI_ERRNO_BADF, __wasi_path_create_directory(99, "x"));
  EXPECT(__WASI_ERRNO_BADF, __wasi_fd_fdstat_set_flags(99, 0));
  /* the kind, then the rights */
  not_a_socket(file);
  not_a_socket(dir);
  not_a_socket(bare);
  not_a_socket(ROOT);
  not_a_file(dir);
  not_a_file(bare);
  not_a_file(ROOT);
  EXPECT(__WASI_ERRNO_NOTDIR, __wasi_path_create_directory(file, "x"));
  EXPECT(__WASI_ERRNO_NOTDIR, __wasi_path_filestat_get(file, 0, "x", &st));
  EXPECT(__WASI_ERRNO_NOTDIR, __wasi_fd_readdir(file, b, sizeof b, 0, &n));
  EXPECT(__WASI_ERRNO_NOTCAPABLE, __wasi_path_create_directory(bare, "x"));
  EXPECT(__WASI_ERRNO_NOTCAPABLE, __wasi_fd_readdir(bare, b, sizeof b, 0, &n));
  /* what a directory does answer */
  EXPECT(0, __wasi_fd_filestat_get(dir, &st));
  EXPECT(__WASI_FILETYPE_DIRECTORY, st.filetype);
  EXPECT(0, __wasi_fd_readdir(dir, b, sizeof b, 0, &n));
  /* the preopen's name does not fit in no bytes */
  EXPECT(__WASI_ERRNO_NAMETOOLONG, __wasi_fd_prestat_dir_name(ROOT, b, 0));
  /* rights only drop */
  EXPECT(0, __wasi_fd_fdstat_set_rights(file, __WASI_RIGHTS_FD_READ, 0));
  EXPECT(__WASI_ERRNO_NOTCAPABLE, put(file, "x"));
  EXPECT(__WASI_ERRNO_NOTCAPABLE, __wasi_fd_fdstat_set_rights(file, file_rights, 0));
  EXPECT(0, __wasi_fd_close(file));
  EXPECT(__WASI_ERRNO_BADF, __wasi_fd_close(file));
  EXPECT(0, __wasi_fd_close(dir));
  EXPECT(0, __wasi_fd_close(bare));
}

static void append_flag(void) {
  __wasi_fd_t fd;
  __wasi_fdstat_t st;
  __wasi_filesize_t pos;
  EXPECT(0, open_at("w/log", 0, __WASI_OFLAGS_CREAT, file_rights, __WASI_FDFLAGS_APPEND, &fd));
  EXPECT(0, __wasi_fd_fdstat_get(fd, &st));
  EXPECT(__WASI_FDFLAGS_APPEND, st.fs_flags);
  EXPECT(0, put(fd, "aaaa"));
  EXPECT(0, __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
  EXPECT(0, put(fd, "bb"));
  EXPECT(0, strcmp(content("w/log"), "aaaabb"));
  /* off: writes go where the position is */
  EXPECT(0, __wasi_fd_fdstat_set_flags(fd, 0));
  EXPECT(0, __wasi_fd_fdstat_get(fd, &st));
  EXPECT(0, st.fs_flags);
  EXPECT(0, __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
  EXPECT(0, put(fd, "X"));
  EXPECT(0, strcmp(content("w/log"), "Xaaabb"));
  /* on again */
  EXPECT(0, __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND));
  EXPECT(0, __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
  EXPECT(0, put(fd, "Y"));
  EXPECT(0, strcmp(content("w/log"), "XaaabbY"));
  /* the synchronous flags neither change nor open; unknown bits are inval */
  EXPECT(__WASI_ERRNO_INVAL, __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_SYNC));
  EXPECT(__WASI_ERRNO_INVAL, __wasi_fd_fdstat_set_flags(fd, 0x20));
  EXPECT(__WASI_ERRNO_NOTSUP, open_at("w/log", 0, 0, file_rights, __WASI_FDFLAGS_DSYNC, NULL));
  EXPECT(__WASI_ERRNO_INVAL, open_at("w/log", 0, 0, file_rights, 0x20, NULL));
  EXPECT(0, __wasi_fd_close(fd));
  EXPECT(0, __wasi_path_unlink_file(ROOT, "w/log"));
}

static void opening(void) {
  EXPECT(__WASI_ERRNO_NOENT, open_at("w/missing", 0, 0, file_rights, 0, NULL));
  EXPECT(__WASI_ERRNO_EXIST, open_at("w/f.txt", 0, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, file_rights, 0, NULL));
  EXPECT(__WASI_ERRNO_NOTDIR, open_at("w/f.txt", 0, __WASI_OFLAGS_DIRECTORY, dir_rights, 0, NULL));
  /* a directory opens for reading only, and is not made or cut here */
  EXPECT(__WASI_ERRNO_ISDIR, open_at("w", 0, __WASI_OFLAGS_DIRECTORY, dir_rights | __WASI_RIGHTS_FD_WRITE, 0, NULL));
  EXPECT(__WASI_ERRNO_ISDIR, open_at("w/d", 0, 0, __WASI_RIGHTS_FD_WRITE, 0, NULL));
  EXPECT(__WASI_ERRNO_ISDIR, open_at("w/d", 0, __WASI_OFLAGS_TRUNC, __WASI_RIGHTS_FD_READ, 0, NULL));
  EXPECT(__WASI_ERRNO_INVAL, open_at("w/d", 0, __WASI_OFLAGS_DIRECTORY | __WASI_OFLAGS_CREAT, dir_rights, 0, NULL));
  EXPECT(__WASI_ERRNO_INVAL, open_at("w/d", 0, __WASI_OFLAGS_DIRECTORY | __WASI_OFLAGS_TRUNC, dir_rights, 0, NULL));
  EXPECT(__WASI_ERRNO_INVAL, open_at("w/d", 0, 0x10, dir_rights, 0, NULL));
  EXPECT(0, open_at("w/d", 0, __WASI_OFLAGS_DIRECTORY, dir_rights, 0, NULL));
  /* out of the directory */
  EXPECT(__WASI_ERRNO_NOTCAPABLE, open_at("/w/f.txt", 0, 0, file_rights, 0, NULL));
  EXPECT(__WASI_ERRNO_NOTCAPABLE, open_at("..", 0, __WASI_OFLAGS_DIRECTORY, dir_rights, 0, NULL));
  EXPECT(__WASI_ERRNO_NOTCAPABLE, open_at("w/../../x", 0, 0, file_rights, 0, NULL));
  EXPECT(0, open_at("w/d/../f.txt", 0, 0, file_rights, 0, NULL));
}

static void trailing_slashes(void) {
  __wasi_fd_t fd;
  /* a directory named with a slash is the directory */
  EXPECT(0, __wasi_path_create_directory(ROOT, "w/n/"));
  EXPECT(__WASI_FILETYPE_DIRECTORY, type_of("w/n", 0));
  EXPECT(__WASI_ERRNO_EXIST, __wasi_path_create_directory(ROOT, "w/n//"));
  EXPECT(0, __wasi_path_rename(ROOT, "w/n/", ROOT, "w/m"));
  EXPECT(0, __wasi_path_rename(ROOT, "w/m", ROOT, "w/n/"));
  EXPECT(0, __wasi_path_rename(ROOT, "w/n/", ROOT, "w/m/"));
  EXPECT(0, __wasi_path_remove_directory(ROOT, "w/m/"));
  EXPECT(-__WASI_ERRNO_NOENT, type_of("w/m", 0));
  EXPECT(0, open_at("w/d/", 0, 0, __WASI_RIGHTS_FD_READDIR, 0, &fd));
  EXPECT(0, __wasi_fd_close(fd));
  EXPECT(__WASI_ERRNO_ISDIR, __wasi_path_unlink_file(ROOT, "w/d/"));
  /* a file named with a slash is no directory; mkdir finds the name taken */
  EXPECT(__WASI_ERRNO_EXIST, __wasi_path_create_directory(ROOT, "w/f.txt/"));
  EXPECT(__WASI_ERRNO_NOTDIR, __wasi_path_remove_directory(ROOT, "w/f.txt/"));
  EXPECT(__WASI_ERRNO_NOTDIR, __wasi_path_unlink_file(ROOT, "w/f.txt/"));
  EXPECT(__WASI_ERRNO_NOTDIR, open_at("w/f.txt/", 0, 0, file_rights, 0, NULL));
  EXPECT(__WASI_ERRNO_NOTDIR, __wasi_path_rename(ROOT, "w/f.txt/", ROOT, "w/g"));
  EXPECT(__WASI_ERRNO_NOTDIR, __wasi_path_rename(ROOT, "w/f.txt", ROOT, "w/g/"));
  EXPECT(__WASI_FILETYPE_REGULAR_FILE, type_of("w/f.txt", 0));
  /* nothing but a directory is made at such a name */
  EXPECT(__WASI_ERRNO_ISDIR, open_at("w/new/", 0, __WASI_OFLAGS_CREAT, file_rights, 0, NULL));
  EXPECT(__WASI_ERRNO_NOENT, __wasi_path_link(ROOT, 0, "w/f.txt", ROOT, "w/new/"));
  EXPECT(-__WASI_ERRNO_NOENT, type_of("w/new", 0));
}

static void removing_and_renaming(void) {
  EXPECT(0, __wasi_path_create_directory(ROOT, "w/e"));
  EXPECT(__WASI_ERRNO_NOTEMPTY, __wasi_path_remove_directory(ROOT, "w/d"));
  EXPECT(__WASI_ERRNO_NOTDIR, __wasi_path_remove_directory(ROOT, "w/f.txt"));
  EXPECT(__WASI_ERRNO_INVAL, __wasi_path_remove_directory(ROOT, "w/e/."));
  EXPECT(__WASI_ERRNO_NOENT, __wasi_path_remove_directory(ROOT, "w/missing"));
  EXPECT(__WASI_ERRNO_ISDIR, __wasi_path_unlink_file(ROOT, "w/d"));
  EXPECT(__WASI_ERRNO_NOENT, __wasi_path_unlink_file(ROOT, "w/missing"));
  EXPECT(__WASI_ERRNO_ISDIR, __wasi_path_rename(ROOT, "w/f.txt", ROOT, "w/d"));
  EXPECT(__WASI_ERRNO_NOTDIR, __wasi_path_rename(ROOT, "w/d", ROOT, "w/f.txt"));
  EXPECT(__WASI_ERRNO_INVAL, __wasi_path_rename(ROOT, "w/d", ROOT, "w/d/sub/x"));
  EXPECT(__WASI_ERRNO_NOTEMPTY, __wasi_path_rename(ROOT, "w/e", ROOT, "w/d"));
  EXPECT(__WASI_ERRNO_NOENT, __wasi_path_rename(ROOT, "w/missing", ROOT, "w/x"));
  EXPECT(__WASI_ERRNO_NOENT, __wasi_path_rename(ROOT, "w/f.txt", ROOT, "w/missing/x"));
  EXPECT(__WASI_ERRNO_BUSY, __wasi_path_rename(ROOT, "w/e", ROOT, "w/d/."));
  EXPECT(0, __wasi_path_rename(ROOT, "w/f.txt", ROOT, "w/f.txt"));
  EXPECT(0, __wasi_path_rename(ROOT, "w/e", ROOT, "w/d/sub/e"));
  EXPECT(0, __wasi_path_remove_directory(ROOT, "w/d/sub/e"));
}

static void hard_links(void) {
  EXPECT(__WASI_ERRNO_EXIST, __wasi_path_link(ROOT, 0, "w/f.txt", ROOT, "w/d"));
  EXPECT(__WASI_ERRNO_EXIST, __wasi_path_link(ROOT, 0, "w/f.txt", ROOT, "w/f.txt"));
  EXPECT(__WASI_ERRNO_PERM, __wasi_path_link(ROOT, 0, "w/d", ROOT, "w/h"));
  EXPECT(__WASI_ERRNO_INVAL, __wasi_path_link(ROOT, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "w/f.txt", ROOT, "w/h"));
  EXPECT(__WASI_ERRNO_NOENT, __wasi_path_link(ROOT, 0, "w/missing", ROOT, "w/h"));
  EXPECT(0, __wasi_path_link(ROOT, 0, "w/f.txt", ROOT, "w/h"));
  EXPECT(0, strcmp(content("w/h"), "data"));
  EXPECT(0, __wasi_path_unlink_file(ROOT, "w/h"));
}

static void symbolic_links(void) {
  uint8_t b[64];
  __wasi_size_t n;
  __wasi_fd_t fd;
  EXPECT(0, __wasi_path_symlink("f.txt", ROOT, "w/fl"));
  EXPECT(0, __wasi_path_symlink("d", ROOT, "w/dl"));
  EXPECT(0, __wasi_path_symlink("nowhere", ROOT, "w/nl"));
  EXPECT(__WASI_ERRNO_EXIST, __wasi_path_symlink("x", ROOT, "w/f.txt"));
  EXPECT(__WASI_ERRNO_EXIST, __wasi_path_symlink("x", ROOT, "w/d/"));
  EXPECT(__WASI_ERRNO_NOTDIR, __wasi_path_symlink("x", ROOT, "w/f.txt/"));
  EXPECT(__WASI_ERRNO_NOENT, __wasi_path_symlink("x", ROOT, "w/new/"));
  EXPECT(__WASI_ERRNO_NOTCAPABLE, __wasi_path_symlink("/etc", ROOT, "w/abs"));
  /* not followed unless asked */
  EXPECT(__WASI_ERRNO_LOOP, open_at("w/fl", 0, 0, file_rights, 0, NULL));
  EXPECT(__WASI_ERRNO_LOOP, open_at("w/dl", 0, __WASI_OFLAGS_DIRECTORY, dir_rights, 0, NULL));
  EXPECT(0, open_at("w/fl", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, 0, file_rights, 0, NULL));
  EXPECT(__WASI_ERRNO_NOTDIR,
         open_at("w/fl", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, __WASI_OFLAGS_DIRECTORY, dir_rights, 0, NULL));
  EXPECT(__WASI_ERRNO_NOENT, open_at("w/nl", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, 0, file_rights, 0, NULL));
  EXPECT(__WASI_FILETYPE_SYMBOLIC_LINK, type_of("w/fl", 0));
  EXPECT(__WASI_FILETYPE_REGULAR_FILE, type_of("w/fl", 1));
  EXPECT(-__WASI_ERRNO_NOENT, type_of("w/nl", 1));
  /* "link/": the calls that look follow it, those on the name do not */
  EXPECT(__WASI_FILETYPE_DIRECTORY, type_of("w/dl/", 0));
  EXPECT(-__WASI_ERRNO_NOTDIR, type_of("w/fl/", 0));
  EXPECT(0, open_at("w/dl/", 0, 0, __WASI_RIGHTS_FD_READDIR, 0, &fd));
  EXPECT(0, __wasi_fd_close(fd));
  EXPECT(__WASI_ERRNO_INVAL, __wasi_path_readlink(ROOT, "w/dl/", b, sizeof b, &n));
  EXPECT(__WASI_ERRNO_NOTDIR, __wasi_path_readlink(ROOT, "w/fl/", b, sizeof b, &n));
  EXPECT(__WASI_ERRNO_NOTDIR, __wasi_path_unlink_file(ROOT, "w/dl/"));
  EXPECT(__WASI_ERRNO_NOTDIR, __wasi_path_remove_directory(ROOT, "w/dl/"));
  EXPECT(__WASI_ERRNO_NOTDIR, __wasi_path_rename(ROOT, "w/dl/", ROOT, "w/x"));
  EXPECT(__WASI_ERRNO_NOTDIR, __wasi_path_remove_directory(ROOT, "w/dl"));
  /* readlink: the target, cut to the buffer; a file is no link */
  EXPECT(0, __wasi_path_readlink(ROOT, "w/fl", b, sizeof b, &n));
  EXPECT(5, n);
  EXPECT(0, __wasi_path_readlink(ROOT, "w/fl", b, 2, &n));
  EXPECT(2, n);
  EXPECT(__WASI_ERRNO_INVAL, __wasi_path_readlink(ROOT, "w/f.txt", b, sizeof b, &n));
  /* a hard link to a dangling link is the link itself */
  EXPECT(0, __wasi_path_link(ROOT, 0, "w/nl", ROOT, "w/nl2"));
  EXPECT(__WASI_FILETYPE_SYMBOLIC_LINK, type_of("w/nl2", 0));
  EXPECT(__WASI_ERRNO_EXIST, __wasi_path_link(ROOT, 0, "w/f.txt", ROOT, "w/nl"));
  EXPECT(__WASI_ERRNO_EXIST, __wasi_path_create_directory(ROOT, "w/nl/"));
  const char* links[] = {"w/fl", "w/dl", "w/nl", "w/nl2"};
  for (unsigned i = 0; i < sizeof links / sizeof *links; ++i) EXPECT(0, __wasi_path_unlink_file(ROOT, links[i]));
}

static void out_of_range(void) {
  __wasi_fd_t fd;
  __wasi_filesize_t pos;
  __wasi_timestamp_t t;
  uint8_t b[4];
  __wasi_iovec_t v = {b, sizeof b};
  __wasi_size_t n;
  EXPECT(0, open_at("w/f.txt", 0, 0, file_rights, 0, &fd));
  EXPECT(__WASI_ERRNO_INVAL, __wasi_fd_seek(fd, 0, 3, &pos));
  EXPECT(__WASI_ERRNO_INVAL, __wasi_fd_seek(fd, -1, __WASI_WHENCE_SET, &pos));
  EXPECT(__WASI_ERRNO_INVAL, __wasi_fd_seek(fd, -100, __WASI_WHENCE_CUR, &pos));
  EXPECT(0, __wasi_fd_seek(fd, -1, __WASI_WHENCE_END, &pos));
  EXPECT(3, (int)pos);
  EXPECT(__WASI_ERRNO_INVAL, __wasi_fd_advise(fd, 0, 0, 6));
  EXPECT(__WASI_ERRNO_INVAL, __wasi_fd_allocate(fd, 0, 0));
  EXPECT(__WASI_ERRNO_INVAL, __wasi_fd_filestat_set_size(fd, ~0ull));
  EXPECT(__WASI_ERRNO_INVAL, __wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW));
  EXPECT(__WASI_ERRNO_INVAL,
         __wasi_path_filestat_set_times(ROOT, 0, "w/f.txt", 0, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW));
  EXPECT(__WASI_ERRNO_INVAL, __wasi_fd_pread(fd, &v, 1, ~0ull, &n));
  EXPECT(__WASI_ERRNO_INVAL, __wasi_clock_time_get(99, 1, &t));
  EXPECT(__WASI_ERRNO_INVAL, __wasi_clock_res_get(99, &t));
  EXPECT(0, __wasi_fd_close(fd));
  EXPECT(0, strcmp(content("w/f.txt"), "data"));
}

int main(int argc, char** argv) {
  const int links = !(argc > 1 && strcmp(argv[1], "nolinks") == 0);
  /* the work directory: w/f.txt ("data"), w/d/sub; a run that failed
   * halfway left one: set it aside */
  uint8_t r[4];
  char stale[32];
  EXPECT(0, __wasi_random_get(r, sizeof r));
  snprintf(stale, sizeof stale, "stale-%02x%02x%02x%02x", r[0], r[1], r[2], r[3]);
  if (type_of("w", 0) == __WASI_FILETYPE_DIRECTORY) EXPECT(0, __wasi_path_rename(ROOT, "w", ROOT, stale));
  EXPECT(0, __wasi_path_create_directory(ROOT, "w"));
  EXPECT(0, __wasi_path_create_directory(ROOT, "w/d"));
  EXPECT(0, __wasi_path_create_directory(ROOT, "w/d/sub"));
  __wasi_fd_t fd;
  EXPECT(0, open_at("w/f.txt", 0, __WASI_OFLAGS_CREAT, file_rights, 0, &fd));
  EXPECT(0, put(fd, "data"));
  EXPECT(0, __wasi_fd_close(fd));
  descriptors();
  append_flag();
  opening();
  trailing_slashes();
  removing_and_renaming();
  hard_links();
  if (links) symbolic_links();
  out_of_range();
  /* cleaned up */
  EXPECT(0, __wasi_path_unlink_file(ROOT, "w/f.txt"));
  EXPECT(0, __wasi_path_remove_directory(ROOT, "w/d/sub"));
  EXPECT(0, __wasi_path_remove_directory(ROOT, "w/d"));
  EXPECT(0, __wasi_path_remove_directory(ROOT, "w"));
  if (wrong != 0) return 1;
  printf("conformance ok\n");
  return 0;
}
