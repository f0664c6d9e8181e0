/* examples/sample/greet.c - a greeting, built by examples/sample/build.ninja. */
#include "greet.h"

#include <stdio.h>

void greet(const char* who) { printf("hello, %s\n", who); }
