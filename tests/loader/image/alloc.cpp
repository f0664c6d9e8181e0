// Memory that crosses the boundary between a module and its host, for the
// in-memory ELF loader's tests (tests/loader/test_image.cpp): allocated in
// the module and freed by the host, and the reverse, with malloc, strdup,
// realloc and operator new. Under an interposed allocator (LD_PRELOAD of
// jemalloc, a sanitizer's runtime) the module must bind the one ld.so
// binds, or the other side frees a block its allocator never made.
#include <cstdlib>
#include <cstring>
#include <new>

#define ALLOC_EXPORT extern "C" __attribute__((visibility("default")))

ALLOC_EXPORT void* alloc_malloc(std::size_t n) { return std::malloc(n); }
ALLOC_EXPORT void* alloc_calloc(std::size_t n) { return std::calloc(n, 1); }
ALLOC_EXPORT void* alloc_realloc(void* p, std::size_t n) { return std::realloc(p, n); }
ALLOC_EXPORT char* alloc_strdup(const char* s) { return strdup(s); }
ALLOC_EXPORT void alloc_free(void* p) { std::free(p); }
ALLOC_EXPORT int* alloc_new(int v) { return new int(v); }
ALLOC_EXPORT void alloc_delete(int* p) { delete p; }
ALLOC_EXPORT void* alloc_aligned(std::size_t n) {
  void* p = nullptr;
  return posix_memalign(&p, 64, n) == 0 ? p : nullptr;
}
