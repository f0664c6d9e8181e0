// vitte/sys.hpp - all of vitte/sys: the portable platform layer.
//
// Prefer the header of the facility you use (<vitte/sys/time.hpp>, ...):
// each one is self-contained and includes only what it needs.
#ifndef VITTE_SYS_HPP
#define VITTE_SYS_HPP

#include <vitte/base.hpp>                     // error, result, configuration
#include <vitte/sys/aligned_alloc.hpp>        // aligned heap blocks
#include <vitte/sys/arena.hpp>                // bump allocation in a buffer
#include <vitte/sys/capabilities.hpp>         // the platform policy's concepts
#include <vitte/sys/condition_variable.hpp>   // condition variables
#include <vitte/sys/device_capabilities.hpp>  // the device policy's concepts
#include <vitte/sys/dynlib.hpp>               // shared libraries
#include <vitte/sys/environment.hpp>          // environment variables
#include <vitte/sys/fs.hpp>                   // files, directories, durable writes
#include <vitte/sys/info.hpp>                 // page size, CPU count, OS
#include <vitte/sys/memory.hpp>               // regions: reserve, commit, protect
#include <vitte/sys/mutex.hpp>                // mutex, timed_mutex, null_mutex
#include <vitte/sys/net.hpp>                  // addresses, sockets, name resolution
#include <vitte/sys/once.hpp>                 // call_once
#include <vitte/sys/platform.hpp>             // the default platform policy
#include <vitte/sys/poller.hpp>               // readiness polling, timers, wake-ups
#include <vitte/sys/process.hpp>              // child processes, pipes, PATH lookup
#include <vitte/sys/pseudo_terminal.hpp>      // pseudo-terminals, programs run on them
#include <vitte/sys/random.hpp>               // the OS's random source
#include <vitte/sys/semaphore.hpp>            // counting semaphores
#include <vitte/sys/serial.hpp>               // serial ports
#include <vitte/sys/shared_memory.hpp>        // memory mapped twice
#include <vitte/sys/shared_mutex.hpp>         // readers-writer lock
#include <vitte/sys/signal.hpp>               // signals as pollable events
#include <vitte/sys/terminal.hpp>             // standard streams, terminals
#include <vitte/sys/terminal_mode.hpp>        // raw mode, window size and its changes
#include <vitte/sys/thread.hpp>               // threads, this_thread
#include <vitte/sys/time.hpp>                 // clocks, deadlines, sleep
#include <vitte/sys/virtual_arena.hpp>        // bump allocation in reserved space
#include <vitte/sys/wait.hpp>                 // waiting on an atomic word

#endif  // VITTE_SYS_HPP
