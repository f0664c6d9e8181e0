// No module backend includes another: what they share has its own header
// (loader/impl/plugin_image.hpp).
// as: loader/impl/image_backend.hpp
// expect: may not include another backend <vitte/loader/impl/os_backend.hpp>
#include <vitte/loader/impl/os_backend.hpp>
