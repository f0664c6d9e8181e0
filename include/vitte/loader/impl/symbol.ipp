// vitte/loader/impl/symbol.ipp - building a module's export table (vitte/loader/symbol.hpp).
#ifndef VITTE_LOADER_IMPL_SYMBOL_IPP
#define VITTE_LOADER_IMPL_SYMBOL_IPP

#include <vitte/base.hpp>
#include <vitte/base/detail/atomic.hpp>
#include <vitte/base/detail/hash.hpp>  // name_hash
#include <vitte/loader/module.hpp>
#include <vitte/loader/symbol.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::loader::detail {

VITTE_DECL void export_table::build(const module_info& info, const export_address* addresses) {
  drop_thunks();
  entry_count_ = info.exports.size();
  entries_.reset(entry_count_ != 0 ? new export_entry[entry_count_]() : nullptr);
  for (std::size_t i = 0; i < entry_count_; ++i) {
    const export_info& e = info.exports[i];
    const export_address a = addresses != nullptr ? addresses[i] : export_address{};
    export_entry& x = entries_[i];
    x.hash = name_hash(e.name);
    x.signature = e.signature;
    x.address = a.address;
    x.call = a.call;
    x.version = e.version;
    x.kind = e.kind;
    x.foreign = a.foreign;
    x.set_name(e.name);
  }
  thunks_.reset(new cached_thunk[entry_count_]);
  std::size_t cap = 8;
  while (cap < 2 * entry_count_) cap *= 2;
  slots_.assign(cap, slot{});
  mask_ = cap - 1;
  for (std::size_t i = 0; i < entry_count_; ++i) {
    export_entry& e = entries_[i];
    std::size_t s = static_cast<std::size_t>(e.hash) & mask_;
    for (; slots_[s].index != 0; s = (s + 1) & mask_) {
      export_entry& other = entries_[slots_[s].index - 1];
      if (other.hash != e.hash || !other.named(e.name())) continue;
      // Another version of the same name: only the highest stays latest.
      if (other.version > e.version)
        e.latest = false;
      else
        other.latest = false;
    }
    slots_[s] = slot{static_cast<std::uint32_t>(i + 1), static_cast<std::uint32_t>(e.hash >> 32)};
  }
}

VITTE_DECL void export_table::drop_thunks() noexcept {
  for (std::size_t i = 0; thunks_ != nullptr && i < entry_count_; ++i)
    if (void* f = thunks_[i].fn.load(vitte::detail::acquire); f != nullptr)
      thunks_[i].drop.load(vitte::detail::acquire)(f);
  thunks_.reset();
}

}  // namespace vitte::loader::detail

#endif  // VITTE_LOADER_IMPL_SYMBOL_IPP
