// vitte/wasm/impl/accumulator.ipp - the pass over a translated function
// that gives each instruction reading the result just made its <name>_acc
// form (impl/accumulator.hpp).
#ifndef VITTE_WASM_IMPL_ACCUMULATOR_IPP
#define VITTE_WASM_IMPL_ACCUMULATOR_IPP

#include <vitte/base/config.hpp>
#include <vitte/wasm/impl/accumulator.hpp>
#include <vitte/wasm/impl/code.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace vitte::wasm::detail {

VITTE_DECL void use_accumulator(std::vector<std::uint32_t>& code, const std::vector<emitted>& insts,
                                const std::uintptr_t* handlers) {
  const acc_rules& r = accumulator_rules;
  for (std::size_t k = 1; k < insts.size(); ++k) {
    const emitted& p = insts[k - 1];
    const emitted& i = insts[k];
    const acc_use& u = r.use[static_cast<std::size_t>(i.o)];
    if (!i.joined || !r.sets[static_cast<std::size_t>(p.o)] || u.to == op::count_) continue;
    std::uint32_t* w = code.data() + i.start;
    const std::uint32_t made = code[p.start + 2];
    if (w[u.word] != made) {
      if (u.other == 0 || w[u.other] != made) continue;
      w[u.other] = w[u.word];
      w[u.word] = made;
    }
    write_pair(w, handlers[static_cast<std::size_t>(u.to)]);
  }
}

}  // namespace vitte::wasm::detail

#endif  // VITTE_WASM_IMPL_ACCUMULATOR_IPP
