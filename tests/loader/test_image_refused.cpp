// Where the in-memory ELF loader has no relocation rules for the host
// (s390x, ...): image::load refuses a real object of this host with
// not_supported, before mapping anything; the image suites skip there
// (tests/meson.build says why).
#include <vitte/loader/elf_image/image.hpp>

#include <span>
#include <string>

#include <boost/test/unit_test.hpp>

#include "loader_fixture.hpp"

namespace img = vitte::loader::elf_image;
using loader_test::exe_dir;
using vitte::errc;

BOOST_AUTO_TEST_CASE(a_real_object_of_this_host_is_refused_as_not_supported) {
  namespace sys = vitte::sys;
  const std::string path =
      sys::path_join(sys::path_join(sys::path_join(exe_dir(), "loader"), "image"), "libimage_probe.so");
  auto bytes = sys::read_file(path);
  BOOST_REQUIRE_MESSAGE(bytes.has_value(), path);
  auto image = img::image::load(std::span<const std::byte>(bytes->data(), bytes->size()));
  BOOST_REQUIRE(!image.has_value());
  BOOST_TEST((image.error() == errc::not_supported));
}
