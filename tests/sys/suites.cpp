// The sys suites as one program (tests/meson.build, suite_groups): the
// policy's backends they share compile once. tests/sys/test_sandbox.cpp,
// test_no_threads.cpp (VITTE_HAS_THREADS=0) and the Windows serial ports
// stay programs of their own.
#include "test_dynlib.cpp"     // opens the vitte_testlib library
#include "test_fs.cpp"         // files, directories, paths, watches
#include "test_fs_faults.cpp"  // files on a full or failing disk
#include "test_memory.cpp"     // pages, arenas, access faults
#include "test_net.cpp"        // sockets
#include "test_policy.cpp"     // what the policy says the host has
#include "test_poller.cpp"     // readiness and timers
#include "test_process.cpp"    // runs helper_child
#include "test_signal.cpp"     // signals as events
#include "test_sync.cpp"       // locks, wait-on-address, once
#include "test_thread.cpp"     // threads and their local storage
#include "test_time.cpp"       // clocks, sleep, deadlines
#if !defined(_WIN32)
#include "test_devices.cpp"  // serial ports and terminals over pseudo-terminals
#endif
