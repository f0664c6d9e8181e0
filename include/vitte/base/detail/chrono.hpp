// The part of <chrono> vitte needs: durations, time points, the standard
// clocks. With libstdc++ that is <bits/chrono.h>; full <chrono> in C++20 also
// parses the calendar, time-zone and formatting library, which costs four
// times as much to compile. Elsewhere, <chrono>.
//
// Users who want std::chrono_literals (10ms) include <chrono> themselves.
#ifndef VITTE_BASE_DETAIL_CHRONO_HPP
#define VITTE_BASE_DETAIL_CHRONO_HPP

#include <version>  // identifies the standard library, costs nothing

#if defined(__GLIBCXX__) && __has_include(<bits/chrono.h>) && !defined(VITTE_FULL_CHRONO)
#include <bits/chrono.h>
#else
#include <chrono>
#endif

#endif  // VITTE_BASE_DETAIL_CHRONO_HPP
