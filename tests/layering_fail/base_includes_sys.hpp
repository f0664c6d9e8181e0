// The base (error, result, vocabulary) depends on no layer.
// as: base/result.hpp
// expect: base may not include <vitte/sys/platform.hpp> (sys)
#include <vitte/sys/platform.hpp>
