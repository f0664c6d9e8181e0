// vitte/target.hpp - what a build targets: architectures and byte orders,
// target triples (parsed and normalised as LLVM does, vitte's short forms,
// the host triple). Freestanding but for the allocation of a triple's text.
#ifndef VITTE_TARGET_HPP
#define VITTE_TARGET_HPP

#include <vitte/target/architecture.hpp>  // architecture, byte_order, host_architecture
#include <vitte/target/triple.hpp>        // triple, normalize, host_triple

#endif  // VITTE_TARGET_HPP
