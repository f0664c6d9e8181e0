// The counters of the in-memory ELF loader that tests and fuzzers read
// (image_counters). A header of its own: a test reads them in compiled
// mode too, where vitte/loader/elf_image/image.hpp includes none of the
// loader's bodies.
#ifndef VITTE_LOADER_ELF_IMAGE_IMPL_COUNTERS_HPP
#define VITTE_LOADER_ELF_IMAGE_IMPL_COUNTERS_HPP

#include <vitte/loader/elf_image/impl/host.hpp>

#include <atomic>
#include <cstddef>

#if VITTE_IMAGE_HOST
namespace vitte::loader::elf_image::detail {

/// What tests and fuzzers check after each load: the images mapped now
/// (a refused load leaves none behind), and the calls made into an image's
/// code (resolvers, init, fini: none before every check passed).
struct image_counters {
  std::atomic<std::size_t> mapped{0};
  std::atomic<std::size_t> code_calls{0};

  static image_counters& get() noexcept {
    static image_counters c;
    return c;
  }
};

}  // namespace vitte::loader::elf_image::detail
#endif  // VITTE_IMAGE_HOST

#endif  // VITTE_LOADER_ELF_IMAGE_IMPL_COUNTERS_HPP
