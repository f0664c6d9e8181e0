// bindgen both ways: the C plugin calc (calc_plugin.c) declares its exports
// through a list generated from calc.h; a host binds it through a table
// generated from the same header (bound, calls equal), and through one
// generated from calc_changed.h, whose scale takes a long: bind<> refuses
// that, naming scale and both signatures, and only scale.
#include <vitte/loader/loader.hpp>

#include <cstdio>
#include <cstring>
#include <string>

#include "calc_api.hpp"          // vitte bindgen calc.h --module calc
#include "calc_changed_api.hpp"  // vitte bindgen calc_changed.h --module calc_changed

int main(int argc, char** argv) {
  namespace vl = vitte::loader;
  int failures = 0, checks = 0;
  auto check = [&](bool ok, const char* what) {
    ++checks;
    if (!ok) ++failures, std::fprintf(stderr, "calc: FAILED: %s\n", what);
  };
  vl::loader_options o;
  o.search.paths.emplace_back(argc > 1 ? argv[1] : ".");
  vl::loader loader(o);
  vitte::diagnostic_list why;
  auto m = loader.load("calc", &why);
  if (!m) std::fputs(why.joined().c_str(), stderr);
  check(static_cast<bool>(m), "the plugin loads");
  if (!m) return 1;

  vitte::diagnostic_list refused;
  auto api = vl::bind<calc::api>(*m, &refused);
  if (!api) std::fputs(refused.joined().c_str(), stderr);
  check(static_cast<bool>(api), "bind<calc::api>: the plugin's descriptor agrees with the header");
  if (api) {
    check(api->scale(6, 7) == 42, "scale");
    const std::int32_t values[] = {2, 3, 4};
    check(api->combine(calc::CALC_PRODUCT, values, 3) == 24, "combine (an enum parameter)");
    const calc::calc_point a{0, 0, "a"}, b{3, 4, "b"};
    check(api->distance(&a, &b) == 5.0, "distance (struct pointers)");
    check(*api->calc_calls == 3, "the variable calc_calls");
    check(calc::CALC_LIMIT == 4096, "the constant CALC_LIMIT");
  }

  vitte::diagnostic_list mismatch;
  auto changed = vl::bind<calc_changed::api>(*m, &mismatch);
  check(!changed && changed.error() == vitte::errc::verification_failed, "bind<calc_changed::api> refuses");
  check(mismatch.size() == 1, "one symbol refused: scale, not calc_calls");
  if (mismatch.size() == 1) {
    const std::string line = mismatch.joined().c_str();
    std::printf("calc: refused as it should: %s", line.c_str());
    char module_hash[32];
    std::snprintf(module_hash, sizeof module_hash, "0x%llx",
                  static_cast<unsigned long long>(vl::signature_hash_of("FI4I4I4E")));
    check(line.starts_with("scale: ") && line.find("FI4I4I8E") != std::string::npos &&
              line.find(module_hash) != std::string::npos,
          "the refusal names scale, the header's signature and the module's");
  }
  std::printf("calc: %d checks, %d failed\n", checks, failures);
  return failures == 0 ? 0 : 1;
}
