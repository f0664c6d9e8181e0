// The build kit's suites as one program (tests/meson.build, suite_groups):
// the build cache and the toolchain layer they share compile once.
#include "../cache/test_build.cpp"            // fingerprints, depfiles, index.vitte, the output cache, full disks
#include "../cache/test_build_processes.cpp"  // processes sharing one cache (tests/cache/cache_worker)
#include "test_build_events.cpp"              // build events, the events file, traces, .ninja_log
#include "test_build_link.cpp"                // real links with the host's compilers and linkers
#include "test_compile_commands.cpp"          // compile_commands.json, split as the shell splits
#include "test_distcc.cpp"                    // distcc: hosts, the split, replies, objects; scripted servers, distccd
#include "test_meson_cross.cpp"               // the Meson cross files written for toolchains
#include "test_schedule.cpp"                  // steps in parallel, make's jobserver
#include "test_toolchain.cpp"                 // compilers on a PATH made for the test, find_toolchain's choices
