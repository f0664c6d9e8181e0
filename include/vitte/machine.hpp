// vitte/machine.hpp - the machine code runs on: architectures and byte
// orders, target triples (parsed and normalised as LLVM does, vitte's short
// forms, the host triple). Namespace vitte::machine. Freestanding but for the
// allocation of a triple's text.
#ifndef VITTE_MACHINE_HPP
#define VITTE_MACHINE_HPP

#include <vitte/machine/architecture.hpp>  // architecture, byte_order, host_architecture
#include <vitte/machine/triple.hpp>        // triple, normalize, host_triple

#endif  // VITTE_MACHINE_HPP
