// Template bodies of vitte/sys/sandbox.hpp.
#ifndef VITTE_SYS_IMPL_SANDBOX_HPP
#define VITTE_SYS_IMPL_SANDBOX_HPP

#include <utility>  // std::move

namespace vitte::sys {

template <class P, class K>
basic_sandbox<P, K>& basic_sandbox<P, K>::add(buffer<text> sandbox_settings::* list, text path) {
  (s_.*list).push_back(std::move(path));
  return *this;
}

template <class P, class K>
basic_sandbox<P, K>& basic_sandbox<P, K>::system_runtime() {
  for (const char* p : {"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}) s_.exec.emplace_back(p);
  for (const char* p : {"/etc", "/dev/urandom", "/dev/random", "/dev/zero"}) s_.read.emplace_back(p);
  s_.write.emplace_back("/dev/null");
  return *this;
}

template <class P, class K>
basic_sandbox<P, K>& basic_sandbox<P, K>::minimal_runtime() {
  for (const char* p : {"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}) s_.exec.emplace_back(p);
  for (const char* p : {"/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/ld.so.preload",
                        "/etc/localtime", "/dev/urandom", "/dev/random", "/dev/zero"})
    s_.read.emplace_back(p);
  s_.write.emplace_back("/dev/null");
  return *this;
}

template <class P, class K>
basic_sandbox<P, K>& basic_sandbox<P, K>::clear_environment(std::initializer_list<text_view> keep) {
  s_.clear_env = true;
  for (text_view k : keep) s_.keep_env.emplace_back(k);
  return *this;
}

// Runs `run` (a spawn of a sandboxed command) with this sandbox as the
// thread's session; the session's report comes back beside its result.
template <class P, class K>
template <class Run>
auto basic_sandbox<P, K>::under(Run run) const {
  detail::sandbox_session session;
  session.settings = &s_;
  session.calls = {&K::landlock_abi, &K::unshare, &K::seccomp_install};
  detail::sandbox_session*& slot = detail::sandbox_slot();
  detail::sandbox_session* outer = slot;
  slot = &session;
  auto r = run();
  slot = outer;
  last_ = session.report;
  return std::pair{std::move(r), session.report};
}

template <class P, class K>
result<sandbox_child<P>> basic_sandbox<P, K>::spawn(const command_type& cmd) const {
  auto [r, report] = under([&cmd] { return cmd.spawn(); });
  if (!r) return r.error();
  return sandbox_child<P>{std::move(*r), report};
}

template <class P, class K>
result<sandbox_output> basic_sandbox<P, K>::output(const command_type& cmd, basic_deadline<P> d,
                                                   std::size_t limit) const {
  // The spawn happens inside output(); the session is only read then.
  auto [r, report] = under([&] { return cmd.output(basic_deadline<sandboxed<P>>::at_ns(d.ns()), limit); });
  if (!r) return r.error();
  return sandbox_output{std::move(*r), report};
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_IMPL_SANDBOX_HPP
