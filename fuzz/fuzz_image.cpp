// libFuzzer target: the in-memory ELF loader (vitte/loader/elf_image/image.hpp)
// over hostile bytes, the whole path up to running code: headers, segments,
// the dynamic section, hash tables, versions, relocations, mapping,
// binding (every undefined symbol binds to a dummy address), protections,
// unwind and debugger registration, symbol lookup, close. Nothing of the
// image runs: init is off and IFUNC resolvers are refused. No input may
// crash, hang, write outside its image or reserve more than max_size, and
// on every input: a refusal says why and leaves no image mapped, and no
// code of any image is called (the loader's counters say so).
// Build and run with fuzz/run.sh; seeds: fuzz/make_image_corpus.py.
#include <vitte/loader/elf_image/image.hpp>
#include <vitte/loader/elf_image/impl/counters.hpp>  // image_counters

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace ln = vitte::loader::elf_image;

namespace {
long dummy_target = 0;
void* bind_anything(void*, vitte::text_view, vitte::text_view) noexcept { return &dummy_target; }
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > (1u << 20)) return 0;
  ln::image_options o;
  o.run_init = false;
  o.ifunc = false;
  o.max_size = std::uint64_t{64} << 20;
  o.lookup = bind_anything;
  o.process_symbols = false;
  o.unload = ln::unload_policy::always;  // DF_1_NODELETE too: every input's image goes at close
  vitte::diagnostic why;
  vitte::diagnostic_list diag;
  auto& counters = ln::detail::image_counters::get();
  const std::size_t mapped = counters.mapped.load(), calls = counters.code_calls.load();
  auto img =
      ln::image::load(std::span<const std::byte>(reinterpret_cast<const std::byte*>(data), size), o, &why, &diag);
  if (counters.code_calls.load() != calls) std::abort();  // nothing of the image ran
  if (!img) {
    if (why.message().empty() || why.kind() != img.error().kind()) std::abort();  // every refusal says why
    if (counters.mapped.load() != mapped) std::abort();                           // and leaves no mapping
    return 0;
  }
  if (img->size() > o.max_size) std::abort();
  if (counters.mapped.load() != mapped + 1) std::abort();
  (void)img->symbol("f");
  (void)img->symbol("probe_value", "VERS_2");
  img->close();
  if (counters.mapped.load() != mapped || counters.code_calls.load() != calls) std::abort();
  return 0;
}
