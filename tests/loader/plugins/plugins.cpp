// The sample plugins of the loader tests, one per PLUGIN_* macro
// (tests/plugins/meson.build builds each as its own shared module).
#include <vitte/loader/plugin.hpp>

#include <cstdlib>  // std::free
#include <cstring>  // std::memcpy

namespace vl = vitte::loader;

#if defined(PLUGIN_CHAIN_C)  // chain: a -> b -> c
int c_value() { return 3; }
VITTE_PLUGIN("chain_c", "1.0.0", vl::function<c_value>("c_value"), vl::unload_safe);

#elif defined(PLUGIN_CHAIN_B)
vl::imported<int()> c_value;
int b_value() { return 20 + c_value(); }
VITTE_PLUGIN("chain_b", "1.2.0", vl::function<b_value>("b_value"), vl::import <c_value>("chain_c", "c_value"),
             vl::depends("chain_c", "^1.0"));

#elif defined(PLUGIN_CHAIN_A)
vl::imported<int()> b_value;
vl::imported<int(int, int)> host_add;
int a_value() { return host_add(100, b_value()); }
int init_calls = 0;
int init(const vitte_plugin_host* host) {
  ++init_calls;
  return host != nullptr && host->size >= sizeof(vitte_plugin_host) ? 0 : 1;
}
VITTE_PLUGIN("chain_a", "1.0.0", vl::function<a_value>("a_value"), vl::object<&init_calls>("init_calls"),
             vl::import <b_value>("chain_b", "b_value"), vl::import <host_add>("host", "add"),
             vl::depends("chain_b", "^1.1"), vl::on_init<init>(), vl::unload_safe);

#elif defined(PLUGIN_DIA_BASE)  // diamond: top -> left, right -> base
int base_id() { return 1000; }
int loads = 0;
int init(const vitte_plugin_host*) { return ++loads == 1 ? 0 : 1; }  // a second init would fail the load
VITTE_PLUGIN("dia_base", "2.1.0", vl::function<base_id>("base_id"), vl::on_init<init>(), vl::unload_safe);

#elif defined(PLUGIN_DIA_LEFT)
vl::imported<int()> base_id;
int left() { return base_id() + 1; }
VITTE_PLUGIN("dia_left", "1.0.0", vl::function<left>("left"), vl::import <base_id>("dia_base", "base_id"),
             vl::depends("dia_base", "^2.0"), vl::unload_safe);

#elif defined(PLUGIN_DIA_RIGHT)
vl::imported<int()> base_id;
int right() { return base_id() + 2; }
VITTE_PLUGIN("dia_right", "1.0.0", vl::function<right>("right"), vl::import <base_id>("dia_base", "base_id"),
             vl::depends("dia_base", ">=2.0.0"), vl::unload_safe);

#elif defined(PLUGIN_DIA_TOP)
vl::imported<int()> left;
vl::imported<int()> right;
int top() { return left() + right(); }
VITTE_PLUGIN("dia_top", "1.0.0", vl::function<top>("top"), vl::import <left>("dia_left", "left"),
             vl::import <right>("dia_right", "right"), vl::depends("dia_left"), vl::depends("dia_right"),
             vl::unload_safe);

#elif defined(PLUGIN_CYC_X)  // cycle: x -> y -> z -> x
VITTE_PLUGIN("cyc_x", "1.0.0", vl::depends("cyc_y"));
#elif defined(PLUGIN_CYC_Y)
VITTE_PLUGIN("cyc_y", "1.0.0", vl::depends("cyc_z"));
#elif defined(PLUGIN_CYC_Z)
VITTE_PLUGIN("cyc_z", "1.0.0", vl::depends("cyc_x"));

#elif defined(PLUGIN_VER_BASE_100)  // versions: highest compatible wins; ^1 and ^2 conflict
int ver() { return 100; }
VITTE_PLUGIN("ver_base", "1.0.0", vl::function<ver>("ver"), vl::unload_safe);
#elif defined(PLUGIN_VER_BASE_150)
int ver() { return 150; }
VITTE_PLUGIN("ver_base", "1.5.0", vl::function<ver>("ver"), vl::unload_safe);
#elif defined(PLUGIN_VER_BASE_200)
int ver() { return 200; }
VITTE_PLUGIN("ver_base", "2.0.0", vl::function<ver>("ver"), vl::unload_safe);
#elif defined(PLUGIN_VER_USER1)
vl::imported<int()> ver;
int user1() { return ver(); }
VITTE_PLUGIN("ver_user1", "1.0.0", vl::function<user1>("user1"), vl::import <ver>("ver_base", "ver"),
             vl::depends("ver_base", "^1.0"), vl::unload_safe);
#elif defined(PLUGIN_VER_USER2)
vl::imported<int()> ver;
int user2() { return ver(); }
VITTE_PLUGIN("ver_user2", "1.0.0", vl::function<user2>("user2"), vl::import <ver>("ver_base", "ver"),
             vl::depends("ver_base", "^2.0"), vl::unload_safe);
#elif defined(PLUGIN_VER_BOTH)
VITTE_PLUGIN("ver_both", "1.0.0", vl::depends("ver_user1"), vl::depends("ver_user2"));

#elif defined(PLUGIN_MISS_SYM)  // imports chain_c does not export, and one of the wrong type
vl::imported<int()> nope;
vl::imported<int()> also_nope;
vl::imported<double(int)> c_value;
VITTE_PLUGIN("miss_sym", "1.0.0", vl::import <nope>("chain_c", "nope"), vl::import <also_nope>("chain_c", "also_nope"),
             vl::import <c_value>("chain_c", "c_value"), vl::depends("chain_c"));

#elif defined(PLUGIN_MISS_DEP)  // dependencies nobody provides
VITTE_PLUGIN("miss_dep", "1.0.0", vl::depends("ghost_one", "^1.0"), vl::depends("ghost_two"),
             vl::depends("ghost_three", "*", vl::dependency_flags::optional));

#elif defined(PLUGIN_LAZY_USER)  // a lazy dependency, loaded on first use
vl::imported<int()> c_value;
const vitte_plugin_host* the_host = nullptr;
int init(const vitte_plugin_host* h) {
  the_host = h;
  return 0;
}
int lazy_value() {
  if (!c_value) {
    void* p = the_host->lookup(the_host->context, "chain_c", "c_value");
    if (p == nullptr) return -1;
  }
  return c_value() + 1;
}
VITTE_PLUGIN("lazy_user", "1.0.0", vl::function<lazy_value>("lazy_value"), vl::import <c_value>("chain_c", "c_value"),
             vl::depends("chain_c", "^1.0", vl::dependency_flags::lazy), vl::on_init<init>(), vl::unload_safe);

#elif defined(PLUGIN_RELOAD_V1) || defined(PLUGIN_RELOAD_V2) || defined(PLUGIN_RELOAD_BROKEN) || \
    defined(PLUGIN_RELOAD_NOGEN)
// hot reload: the state (a counter) survives a swap from v1 to v2; nogen
// lacks `generation`, which reload_user imports
#if defined(PLUGIN_RELOAD_V1)
#define RELOAD_VERSION "1.0.0"
#define RELOAD_STEP 1
#elif defined(PLUGIN_RELOAD_NOGEN)
#define RELOAD_VERSION "1.2.0"
#define RELOAD_STEP 10000
#else
#define RELOAD_VERSION "1.1.0"
#define RELOAD_STEP 100
#endif
int counter = 0;
int generation() { return RELOAD_STEP; }
int bump() { return counter += RELOAD_STEP; }
int save(void** data, std::size_t* size) {
  void* p = vl::detail::default_allocate(sizeof counter, VITTE_PLUGIN_STATE_ALIGN);
  if (p == nullptr) return 1;
  std::memcpy(p, &counter, sizeof counter);
  *data = p;
  *size = sizeof counter;
  return 0;
}
int restore(const void* data, std::size_t size) {
  if (size != sizeof counter) return 1;
  std::memcpy(&counter, data, sizeof counter);
  return 0;
}
int init(const vitte_plugin_host*) {
#if defined(PLUGIN_RELOAD_BROKEN)
  return 7;  // a new version whose init fails: the host keeps the old one
#else
  return 0;
#endif
}
#if defined(PLUGIN_RELOAD_NOGEN)
VITTE_PLUGIN("reload", RELOAD_VERSION, vl::function<bump>("bump"), vl::state<save, restore>(), vl::on_init<init>(),
             vl::unload_safe);
#else
VITTE_PLUGIN("reload", RELOAD_VERSION, vl::function<generation>("generation"), vl::function<bump>("bump"),
             vl::state<save, restore>(), vl::on_init<init>(), vl::unload_safe);
#endif

#elif defined(PLUGIN_RELOAD_USER)  // imports from the hot-reloaded plugin: rebound at each swap
vl::imported<int()> generation;
int user_generation() { return 1000 + generation(); }
VITTE_PLUGIN("reload_user", "1.0.0", vl::function<user_generation>("user_generation"),
             vl::import <generation>("reload", "generation"), vl::depends("reload", "^1.0"), vl::unload_safe);

#elif defined(PLUGIN_RETIRED)  // not unload-safe: kept mapped after unload
int retired_value() { return 5; }
int finis = 0;
void fini() { ++finis; }
VITTE_PLUGIN("retired", "0.1.0", vl::function<retired_value>("retired_value"), vl::on_fini<fini>());

#elif defined(PLUGIN_WASM_LOW)  // called by the wasm module calc_wasm (tests/loader/wasm/calc.wat)
int square(int x) { return x * x; }
VITTE_PLUGIN("wasm_low", "1.0.0", vl::function<square>("square"), vl::unload_safe);

#elif defined(PLUGIN_WASM_HIGH)  // calls calc_wasm's twice_square through a thunk
vl::imported<int(int)> twice_square;
int quad_square(int x) { return 2 * twice_square(x); }
VITTE_PLUGIN("wasm_high", "1.0.0", vl::function<quad_square>("quad_square"),
             vl::import <twice_square>("calc_wasm", "twice_square"), vl::depends("calc_wasm", "^1.2"), vl::unload_safe);

#else
#error "define one PLUGIN_* macro"
#endif
