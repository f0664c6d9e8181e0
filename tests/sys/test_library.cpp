// The shared library tests/test_dynlib.cpp opens: a few C symbols.
#if defined(_WIN32)
#define VITTE_TEST_EXPORT __declspec(dllexport)
#else
#define VITTE_TEST_EXPORT __attribute__((visibility("default")))
#endif

extern "C" {

VITTE_TEST_EXPORT int vitte_test_add(int a, int b) { return a + b; }

VITTE_TEST_EXPORT const char* vitte_test_name() { return "vitte test library"; }

VITTE_TEST_EXPORT int vitte_test_counter = 41;

VITTE_TEST_EXPORT int vitte_test_bump() { return ++vitte_test_counter; }

}  // extern "C"
