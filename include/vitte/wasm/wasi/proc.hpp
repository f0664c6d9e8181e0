// vitte/wasm/wasi/proc.hpp - the WASI calls of the process: arguments,
// environment, clocks, randomness, scheduling, exit and signals.
//
// Member definitions of basic_wasi: the class comes first, so the public
// header is included above the guard (it includes this file back, in its
// order, at its end).
#include <vitte/wasm/wasi.hpp>

#ifndef VITTE_WASM_WASI_PROC_HPP
#define VITTE_WASM_WASI_PROC_HPP

#include <vitte/sys/clock_id.hpp>
#include <vitte/sys/random.hpp>  // random_fill
#include <vitte/sys/thread.hpp>  // thread_yield
#include <vitte/wasm/wasi/abi.hpp>
#include <vitte/wasm/wasi/context.hpp>
#include <vitte/wasm/wasi/guest.hpp>

#include <cstdint>

namespace vitte::wasm {

template <class P>
std::uint16_t basic_wasi<P>::args_get(const std::uint64_t* a) {
  return put_strings(options_.args, a[0], a[1]);
}
template <class P>
std::uint16_t basic_wasi<P>::args_sizes_get(const std::uint64_t* a) {
  return put_sizes(options_.args, a[0], a[1]);
}
template <class P>
std::uint16_t basic_wasi<P>::environ_get(const std::uint64_t* a) {
  return put_strings(options_.env, a[0], a[1]);
}
template <class P>
std::uint16_t basic_wasi<P>::environ_sizes_get(const std::uint64_t* a) {
  return put_sizes(options_.env, a[0], a[1]);
}
template <class P>
std::uint16_t basic_wasi<P>::clock_res_get(const std::uint64_t* a) {
  sys::clock_id id;
  if (!detail::wasi::clock_of(a[0], id)) return detail::wasi::e_inval;
  std::int64_t r = P::clock_resolution_ns(id);
  return mem().out64(a[1], static_cast<std::uint64_t>(r > 0 ? r : 1));
}
template <class P>
std::uint16_t basic_wasi<P>::clock_time_get(const std::uint64_t* a) {
  sys::clock_id id;
  if (!detail::wasi::clock_of(a[0], id)) return detail::wasi::e_inval;
  return mem().out64(a[2], static_cast<std::uint64_t>(P::clock_now_ns(id)));
}
template <class P>
std::uint16_t basic_wasi<P>::random_get(const std::uint64_t* a) {
  detail::wasi::guest g = mem();
  if (!g.fits(a[0], a[1])) return detail::wasi::e_fault;
  if (status st = sys::random_fill<P>(g.p + a[0], static_cast<std::size_t>(a[1])); !st)
    return detail::wasi::errno_of(st.error());
  return detail::wasi::e_success;
}
template <class P>
std::uint16_t basic_wasi<P>::sched_yield(const std::uint64_t*) {
  P::thread_yield();
  return detail::wasi::e_success;
}
template <class P>
std::uint16_t basic_wasi<P>::proc_exit(const std::uint64_t* a) {
  exited_ = true;
  exit_code_ = static_cast<int>(static_cast<std::uint32_t>(a[0]));
  return detail::wasi::e_success;
}
template <class P>
std::uint16_t basic_wasi<P>::proc_raise(const std::uint64_t* a) {
  // The default action of the signal: those ignored by default do nothing
  // (chld, cont, urg, winch; stop and its kin cannot stop a program here),
  // the others end it as a shell reports a signal: 128 + its number.
  const std::uint64_t sig = a[0];
  if (sig == 0 || sig > 30) return detail::wasi::e_inval;
  if (sig == 16 || sig == 17 || sig == 18 || sig == 19 || sig == 20 || sig == 21 || sig == 22 || sig == 27)
    return detail::wasi::e_success;
  exited_ = true;
  exit_code_ = 128 + static_cast<int>(sig);
  return detail::wasi::e_success;
}

}  // namespace vitte::wasm

#endif  // VITTE_WASM_WASI_PROC_HPP
