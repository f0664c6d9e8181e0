/* A check that says which one failed and ends the program with status 1. */
#ifndef WASI_CHECK_H
#define WASI_CHECK_H
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                                                   \
  do {                                                                                                \
    if (!(cond)) {                                                                                    \
      printf("FAILED %s:%d: %s (errno %d: %s)\n", __FILE__, __LINE__, #cond, errno, strerror(errno)); \
      exit(1);                                                                                        \
    }                                                                                                 \
  } while (0)

#endif
