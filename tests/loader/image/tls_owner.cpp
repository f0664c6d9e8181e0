// A shared library that defines thread-locals other objects use
// (tls_user.cpp links against it), for the in-memory ELF loader's tests
// (tests/loader/test_image.cpp): loaded by the OS or as an image, its
// variables are the ones the user's TLS relocations must reach.
#define OWNER_VISIBLE __attribute__((visibility("default")))
#define OWNER_EXPORT extern "C" OWNER_VISIBLE

// Exported (the user's imports; names of the global namespace are not
// mangled): a variable past the block's start, one initialised, one zero.
OWNER_VISIBLE __thread long owner_pad[3] = {1, 2, 3};
OWNER_VISIBLE __thread int owner_counter = 5;
OWNER_VISIBLE __thread int owner_zero;

OWNER_EXPORT int owner_read() { return owner_counter * 1000 + owner_zero; }
OWNER_EXPORT void* owner_address() { return &owner_counter; }
OWNER_EXPORT long owner_pad_sum() { return owner_pad[0] + owner_pad[1] + owner_pad[2]; }
