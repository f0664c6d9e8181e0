// cross/cortex-m3/test_main.cpp - main() of a test image: runs every test
// case registered through harness.hpp. build.sh links it into every image.
#include "harness.hpp"

int main() { return vitte::test::run_all(); }
