// An object whose TLS relocations name a thread-local nobody defines, for
// the in-memory ELF loader's tests (tests/loader/test_image.cpp): dlopen
// refuses it ("undefined symbol"), and so must the image loader, naming it.
extern __thread int nobody_defines_this_thread_local;

extern "C" __attribute__((visibility("default"))) int orphan_read() { return nobody_defines_this_thread_local; }
