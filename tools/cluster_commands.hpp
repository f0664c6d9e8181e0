// vitte cluster: the distcc servers of a host list, probed (up, compiler
// there, a compile's round trip now), and a build cache's hit rates. The
// option table is in vitte.cpp; the host list and the probe are the
// library's (parse_distcc_hosts, probe_distcc_hosts).
#ifndef VITTE_TOOLS_CLUSTER_COMMANDS_HPP
#define VITTE_TOOLS_CLUSTER_COMMANDS_HPP

#include <vitte/base/detail/decimal.hpp>  // --timeout
#include <vitte/cache/cache.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/toolchain/distcc.hpp>
#include <vitte/toolchain/tool.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>

#include "cli.hpp"

namespace cluster_commands {

namespace cache = vitte::cache;
namespace toolchain = vitte::toolchain;
namespace sys = vitte::sys;

inline int status(const cli::parsed& p, const cli::context& c) {
  if (p.operands.size() != 1) return cli::usage_error(c, "cluster", "one host list (\"HOST[:PORT][/LIMIT] ...\")");
  vitte::diagnostic why;
  auto hosts = toolchain::parse_distcc_hosts(vitte::text_view(p.operands[0].data(), p.operands[0].size()), &why);
  if (!hosts) return cli::fail(c, "cluster", why);  // the entry, at its column in the list
  auto compiler = toolchain::find_tool(p.get("--compiler", "cc"));
  if (!compiler)
    return cli::fail(c, "cluster", "the compiler " + std::string(p.get("--compiler", "cc")), compiler.error());
  std::uint64_t seconds = 5;
  if (p.has("--timeout") && (!vitte::detail::parse_decimal(p.get("--timeout"), 600, seconds) || seconds == 0))
    return cli::usage_error(c, "cluster", "--timeout is a whole number of seconds from 1 to 600");
  const std::uint64_t timeout_ms = seconds * 1000;
  auto scratch = sys::temp_directory::create({}, "vitte-cluster-");
  if (!scratch) return cli::fail(c, "cluster", "a scratch directory", scratch.error());
  auto probes = toolchain::probe_distcc_hosts(
      vitte::span<const toolchain::distcc_host>(hosts->servers.data(), hosts->servers.size()), compiler->path,
      scratch->path(), std::chrono::milliseconds(static_cast<std::int64_t>(timeout_ms)));
  if (!probes) return cli::fail(c, "cluster", "writing the probe", probes.error());
  vitte::result<cache::cache_stats> cache_stats = vitte::errc::not_found;
  if (p.has("--cache")) {
    auto cache = cache::output_cache::open(vitte::text(p.get("--cache")));
    if (!cache) return cli::fail(c, "cluster", "--cache " + std::string(p.get("--cache")), cache.error());
    cache_stats = cache->stats();
  }
  std::size_t up = 0;
  for (const toolchain::distcc_probe& pr : *probes) up += pr.ok ? 1 : 0;
  const auto ms = [](std::chrono::nanoseconds d) { return static_cast<double>(d.count()) / 1e6; };
  if (c.json) {
    cli::json j;
    j.schema("cluster").field("compiler", compiler->path).field("local_slots", std::int64_t{hosts->local_slots});
    j.key("servers").begin_array();
    for (std::size_t i = 0; i < probes->size(); ++i) {
      const toolchain::distcc_probe& pr = (*probes)[i];
      j.begin_object()
          .field("where", pr.where)
          .field("limit", std::int64_t{hosts->servers[i].limit})
          .field("up", pr.ok);
      j.field("round_trip_us", static_cast<std::int64_t>(pr.round_trip.count() / 1000));
      if (!pr.ok) j.field("trouble", pr.trouble);
      j.end_object();
    }
    j.end_array();
    if (cache_stats) {
      j.key("cache")
          .begin_object()
          .field("hits", std::int64_t(cache_stats->hits))
          .field("misses", std::int64_t(cache_stats->misses));
      j.field("stores", std::int64_t(cache_stats->stores)).field("bytes", cache_stats->bytes).end_object();
    }
    j.end_object();
    j.print();
    return up == probes->size() ? 0 : 1;
  }
  std::printf("%zu of %zu servers up (compiler %s)\n", up, probes->size(), compiler->path.c_str());
  for (std::size_t i = 0; i < probes->size(); ++i) {
    const toolchain::distcc_probe& pr = (*probes)[i];
    if (pr.ok)
      std::printf("  %-24s up    %u at a time, a compile in %.1f ms\n", pr.where.c_str(), hosts->servers[i].limit,
                  ms(pr.round_trip));
    else
      std::printf("  %-24s DOWN  %s\n", pr.where.c_str(), pr.trouble.c_str());
  }
  if (hosts->local_slots > 0) std::printf("  %-24s       %u at a time\n", "here", hosts->local_slots);
  if (cache_stats) {
    const std::uint64_t asked = cache_stats->hits + cache_stats->misses;
    std::printf("cache: %llu hits, %llu misses (%.1f%% hit rate), %llu stores, %lld bytes\n",
                static_cast<unsigned long long>(cache_stats->hits),
                static_cast<unsigned long long>(cache_stats->misses),
                asked == 0 ? 0.0 : 100.0 * static_cast<double>(cache_stats->hits) / static_cast<double>(asked),
                static_cast<unsigned long long>(cache_stats->stores), static_cast<long long>(cache_stats->bytes));
  }
  return up == probes->size() ? 0 : 1;
}

}  // namespace cluster_commands

#endif  // VITTE_TOOLS_CLUSTER_COMMANDS_HPP
