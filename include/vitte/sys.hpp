// vitte/sys.hpp - all of vitte/sys: the portable platform layer.
//
// Prefer the header of the facility you use (<vitte/sys/time.hpp>, ...):
// each one is self-contained and includes only what it needs.
#ifndef VITTE_SYS_HPP
#define VITTE_SYS_HPP

#include <vitte/base.hpp>              // error, result, configuration
#include <vitte/sys/capabilities.hpp>  // the platform policy's concepts
#include <vitte/sys/info.hpp>          // page size, CPU count, OS
#include <vitte/sys/platform.hpp>      // the default platform policy
// == memory ==
// == thread ==
#include <vitte/sys/time.hpp>  // clocks, deadlines, sleep

#endif  // VITTE_SYS_HPP
