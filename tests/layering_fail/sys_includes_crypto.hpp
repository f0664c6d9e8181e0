// sys sits below crypto: crypto may use sys, not the other way round.
// as: sys/random.hpp
// expect: sys may not include <vitte/crypto/sha256.hpp> (crypto)
#include <vitte/crypto/sha256.hpp>
