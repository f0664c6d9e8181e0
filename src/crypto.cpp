// crypto.cpp - compiled mode: the non-template bodies of vitte/crypto (digests, signatures, the CPU probes),
// compiled once. Part of libvitte with src/vitte.cpp; see there.
#ifndef VITTE_SEPARATE_COMPILATION
#error "vitte: compile src/crypto.cpp with -DVITTE_SEPARATE_COMPILATION"
#endif

#include <vitte/base/config.hpp>

// Digests: the compression functions, their dispatch, update() and finish().
#include <vitte/crypto/impl/md5.ipp>     // MD5, for the formats that require it
#include <vitte/crypto/impl/sha1.ipp>    // SHA-1, likewise
#include <vitte/crypto/impl/sha256.ipp>  // portable, SHA-NI, ARMv8 SHA2
#include <vitte/crypto/impl/sha512.ipp>  // portable, AVX2 and BMI2, AVX-512VL

// Ed25519 on the default field representation.
#include <vitte/crypto/detail/ed25519_impl.ipp>  // scalars modulo L
#include <vitte/crypto/impl/ed25519.ipp>         // key pairs, signing, verification

// vitte's key files.
#include <vitte/crypto/impl/key_file.ipp>  // read_key_file, write_key_file
