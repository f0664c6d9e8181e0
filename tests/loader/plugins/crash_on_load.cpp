// A hostile plugin that crashes while it loads (a static constructor writes
// through a null pointer): `vitte load --isolate` (tests/tools/test_vitte_cli.cpp)
// must say so and exit 1, its sandboxed host dead and no core left behind.
#include <vitte/loader/plugin.hpp>

#include <cstdint>

namespace vl = vitte::loader;

namespace {

int answer() { return 42; }

// An unmapped address the compiler cannot see (volatile), not null: a
// sanitizer's null check does not report it first, the fault is real.
volatile std::uintptr_t nowhere = 8;

struct crash_at_load {
  crash_at_load() { *reinterpret_cast<volatile int*>(nowhere) = 1; }
} crash;

}  // namespace

VITTE_PLUGIN("crash_on_load", "1.0.0", vl::function<answer>("answer"));
