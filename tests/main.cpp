// The Boost.Test runner, compiled once per target and linked into every
// test executable. Native builds link Debian's shared
// libboost_unit_test_framework (static with -Dstatic=true); cross builds (VITTE_BOOST_TEST_INCLUDED)
// compile Boost.Test's header-only variant here.
#define BOOST_TEST_MODULE vitte
#if defined(VITTE_BOOST_TEST_INCLUDED)
#include <boost/test/included/unit_test.hpp>
#else
#include <boost/test/unit_test.hpp>  // BOOST_TEST_DYN_LINK comes from the build
#endif
