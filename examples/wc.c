/* wc.c - counts lines, words and bytes, as `wc` does: of each file named,
 * or of standard input. Plain C with nothing but stdio, so that it builds
 * for any target `vitte cross` finds a toolchain for, WASI included:
 *
 *   vitte cross --target wasm32-wasi -o wc examples/wc.c      build-wasm32-unknown-wasi/wc.wasm
 *   echo "one two" | vitte run build-wasm32-unknown-wasi/wc.wasm
 *   vitte cross --target aarch64-linux-gnu --run examples/wc.c < README.md
 */
#include <stdio.h>

struct counts {
  unsigned long long lines, words, bytes;
};

static int count(FILE* f, struct counts* c) {
  char buf[65536];
  int in_word = 0;
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
    for (size_t i = 0; i < n; ++i) {
      const unsigned char ch = (unsigned char)buf[i];
      const int space = ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f';
      if (ch == '\n') ++c->lines;
      if (!space && !in_word) ++c->words;
      in_word = !space;
    }
    c->bytes += n;
  }
  return ferror(f) ? -1 : 0;
}

static void print(const struct counts* c, const char* name) {
  printf("%7llu %7llu %7llu%s%s\n", c->lines, c->words, c->bytes, name ? " " : "", name ? name : "");
}

int main(int argc, char** argv) {
  struct counts total = {0, 0, 0};
  int status = 0;
  if (argc < 2) {
    if (count(stdin, &total) != 0) return perror("wc: standard input"), 1;
    print(&total, NULL);
    return 0;
  }
  for (int i = 1; i < argc; ++i) {
    struct counts c = {0, 0, 0};
    FILE* f = fopen(argv[i], "rb");
    if (f == NULL || count(f, &c) != 0) {
      perror(argv[i]);
      status = 1;
      if (f != NULL) fclose(f);
      continue;
    }
    fclose(f);
    print(&c, argv[i]);
    total.lines += c.lines;
    total.words += c.words;
    total.bytes += c.bytes;
  }
  if (argc > 2) print(&total, "total");
  return status;
}
