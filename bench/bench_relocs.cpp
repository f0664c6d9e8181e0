// A plugin of 131,072 relative relocations: a table of pointers into its
// own data, each a R_*_RELATIVE (or DT_RELR word) the loader applies. What
// loader.image_relative_relocations loads.
#include <array>
#include <cstddef>

namespace {

constexpr std::size_t cell_count = 131072;
int cells[cell_count];

constexpr std::array<int*, cell_count> pointers() {
  std::array<int*, cell_count> t{};
  for (std::size_t i = 0; i < cell_count; ++i) t[i] = &cells[i];
  return t;
}

constinit std::array<int*, cell_count> table = pointers();

}  // namespace

extern "C" __attribute__((visibility("default"))) int relocs_sum(std::size_t i) {
  *table[i % cell_count] += 1;
  return cells[i % cell_count];
}
