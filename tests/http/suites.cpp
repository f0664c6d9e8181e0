// The HTTP suites as one program (tests/meson.build, suite_groups): the
// parser, the client and the server's code they share compile once.
#include "test_http.cpp"    // URLs, the parser, the client (scripted servers; nginx when installed)
#include "test_server.cpp"  // the server side against hostile clients
