// vitte/toolchain/impl/schedule.ipp - schedule::add_work (vitte/toolchain/schedule.hpp).
#ifndef VITTE_TOOLCHAIN_IMPL_SCHEDULE_IPP
#define VITTE_TOOLCHAIN_IMPL_SCHEDULE_IPP

#include <vitte/base.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text.hpp>
#include <vitte/toolchain/operations.hpp>  // ops::schedule
#include <vitte/toolchain/schedule.hpp>

namespace vitte::toolchain {

VITTE_DECL result<step_id> schedule::add_work(text name, span<const step_id> after, work_type work) {
  const auto id = static_cast<step_id>(steps_.size());
  for (step_id a : after)
    if (a >= id) return error(errc::invalid_argument, ops::schedule);
  step s;
  s.name = static_cast<text&&>(name);
  s.work = static_cast<work_type&&>(work);
  steps_.push_back(static_cast<step&&>(s));
  for (step_id a : after) {
    // A step named twice is waited for once.
    bool seen = false;
    for (step_id w : steps_[a].waiters) seen = seen || w == id;
    if (seen) continue;
    steps_[a].waiters.push_back(id);
    ++steps_[id].waits_for;
  }
  return id;
}

}  // namespace vitte::toolchain

#endif  // VITTE_TOOLCHAIN_IMPL_SCHEDULE_IPP
