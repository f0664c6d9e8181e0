// An object that reads and writes thread-locals defined in another shared
// library (tls_owner.cpp, which it links against), for the in-memory ELF
// loader's tests (tests/loader/test_image.cpp): its TLS relocations are
// against undefined symbols (DTPMOD/DTPOFF, or TLS descriptors with
// -mtls-dialect=gnu2 and on AArch64), and must reach the owner's block.
#define USER_EXPORT extern "C" __attribute__((visibility("default")))

extern __thread long owner_pad[3];
extern __thread int owner_counter;
extern __thread int owner_zero;

// Its own thread-local beside them: the image's block and the owner's.
__thread int user_own = 100;

USER_EXPORT int tls_user_bump() {
  owner_zero += 2;
  ++user_own;
  return ++owner_counter;
}
USER_EXPORT void* tls_user_address() { return &owner_counter; }
USER_EXPORT long tls_user_pad(long add) {
  owner_pad[2] += add;
  return owner_pad[0] + owner_pad[1] + owner_pad[2];
}
USER_EXPORT int tls_user_own() { return user_own; }
