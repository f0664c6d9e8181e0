// A new folder under include/vitte is a layer the map must name before its
// first header lands.
// as: zip/reader.hpp
// expect: zip is not in the layering map
// line: 1
#include <vitte/base.hpp>
