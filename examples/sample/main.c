/* examples/sample/main.c - the sample program: greets its first argument. */
#include "greet.h"

int main(int argc, char** argv) {
  greet(argc > 1 ? argv[1] : "vitte");
  return 0;
}
