// vitte/wasm/impl/runtime.hpp - what of the store stays inline: the
// templates (host(), call_as()), the call from the host and the values it
// reads and writes. The rest of the store is in impl/runtime.ipp.
#ifndef VITTE_WASM_IMPL_RUNTIME_HPP
#define VITTE_WASM_IMPL_RUNTIME_HPP

#include <vitte/base/result.hpp>
#include <vitte/base/span.hpp>
#include <vitte/wasm/impl/objects.hpp>
#include <vitte/wasm/runtime.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <tuple>
#include <type_traits>
#include <utility>

namespace vitte::wasm {

inline value global::get() const noexcept { return detail::read_value(g_->v, g_->type.type); }

inline vitte::error global::set(value v) const noexcept {
  if (!g_->type.is_mutable || v.type != g_->type.type) return vitte::error{errc::invalid_argument, ops::wasm_call};
  detail::write_value(g_->v, v);
  return {};
}

namespace detail {
// Calls fn with the words as its arguments; its result goes to words[0]
// (after every argument is read).
template <class Sig, class F, std::size_t... I>
vitte::error invoke_host(F& fn, std::uint64_t* words, std::index_sequence<I...>) {
  using R = typename Sig::result;
  using Args = typename Sig::args;
  if constexpr (std::is_void_v<R>) {
    fn(from_word<std::tuple_element_t<I, Args>>(words[I])...);
    return {};
  } else if constexpr (std::is_same_v<R, vitte::error>) {
    return fn(from_word<std::tuple_element_t<I, Args>>(words[I])...);
  } else {
    const R r = fn(from_word<std::tuple_element_t<I, Args>>(words[I])...);
    words[0] = to_word<R>(r);
    return {};
  }
}
}  // namespace detail

template <class F>
function store::host(F fn) {
  using sig = detail::signature_of<F>;
  auto holder = std::make_unique<detail::callable<F>>(static_cast<F&&>(fn));
  void* user = holder.get();
  callables_.push_back(std::unique_ptr<detail::callable_base>(holder.release()));
  // Scalars only (signature_of): the raw call, which cannot be refused.
  return raw_host_function(
             sig::type(),
             [](void* u, std::uint64_t* words) -> vitte::error {
               auto& callable = static_cast<detail::callable<F>*>(u)->fn;
               return detail::invoke_host<sig>(callable, words,
                                               std::make_index_sequence<std::tuple_size_v<typename sig::args>>{});
             },
             user)
      .value();
}

template <class R, class... A>
result<std::conditional_t<std::is_void_v<R>, detail::nothing, R>> store::call_as(function f, A... args) {
  static_assert((detail::wasm_scalar<A> && ...), "call_as: arguments are 32/64-bit integers, float or double");
  static_assert(std::is_void_v<R> || detail::wasm_scalar<R>, "call_as: R is void or a wasm scalar");
  if (!f) return vitte::error{errc::invalid_argument, ops::wasm_call};
  const func_type& t = f.type();
  constexpr std::size_t nr = std::is_void_v<R> ? 0 : 1;
  if (t.results.size() != nr) return vitte::error{errc::invalid_argument, ops::wasm_call};
  if constexpr (!std::is_void_v<R>)
    if (t.results[0] != detail::wasm_type_of<R>()) return vitte::error{errc::invalid_argument, ops::wasm_call};
  value in[sizeof...(A) + 1] = {detail::to_value(args)...};
  value out[1];
  if (auto e = call(f, span<const value>(in, sizeof...(A)), span<value>(out, nr))) return e;
  if constexpr (std::is_void_v<R>)
    return detail::nothing{};
  else
    return detail::from_value<R>(out[0]);
}

inline vitte::error store::call(function fn, span<const value> args, span<value> results) {
  detail::function_object* f = fn.object();
  if (f == nullptr) return vitte::error{errc::invalid_argument, ops::wasm_call};
  const func_type& t = *f->type;
  if (args.size() != t.params.size() || results.size() != t.results.size())
    return vitte::error{errc::invalid_argument, ops::wasm_call};
  if (!x_.stack || !x_.frames) return vitte::error{errc::no_memory, ops::wasm_call};
  detail::cell* base = x_.nested_base;
  std::size_t need = f->num_params > f->num_results ? f->num_params : f->num_results;
  if (base + need > x_.stack_end) return vitte::error{errc::limit_exceeded, ops::trap_call_stack_exhausted};
  for (std::size_t i = 0; i < args.size(); ++i)
    if (args[i].type != t.params[i]) return vitte::error{errc::invalid_argument, ops::wasm_call};
  std::uint32_t at = 0;
  for (std::size_t i = 0; i < args.size(); ++i) at += detail::write_value(base + at, args[i]);
  if (auto e = run(f, base)) return e;
  read_results(t, base, results);
  return {};
}

inline void store::read_results(const func_type& t, const detail::cell* base, span<value> results) const noexcept {
  std::uint32_t at = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    results[i] = detail::read_value(base + at, t.results[i]);
    at += detail::cells_of(t.results[i]);
  }
}

}  // namespace vitte::wasm

#endif  // VITTE_WASM_IMPL_RUNTIME_HPP
