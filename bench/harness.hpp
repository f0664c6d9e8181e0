// bench/harness.hpp - vitte's in-house benchmark harness (no dependencies).
//
// A benchmark names one operation and several implementations of it: vitte's
// and its baselines. The harness runs them interleaved in the same process
// (warm-up, then repetitions alternating between implementations so that
// machine noise hits all of them alike), takes the median per-operation
// time of each, and prints one JSON object per (benchmark, baseline) pair:
//
//   {"bench": "clock.monotonic", "impl": "vitte", "median_ns": 20.1, "min_ns": 19.8,
//    "max_ns": 25.3, "baseline": "clock_gettime", "baseline_median_ns": 19.9, "ratio": 1.01}
//
// ratio = vitte's median / the baseline's median. The format is documented
// in docs/BENCHMARKS.md.
//
//   bench::suite s{"clock.monotonic"};
//   s.add("vitte", [] { return vitte::sys::monotonic_clock::now_ns(); });
//   s.add("clock_gettime", [] { ... });
//   s.run();   // prints the lines
#ifndef VITTE_BENCH_HARNESS_HPP
#define VITTE_BENCH_HARNESS_HPP

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

namespace bench {

/// Keeps the compiler from optimising away a value.
template <class T>
inline void do_not_optimize(T const& value) {
  asm volatile("" : : "r,m"(value) : "memory");
}

struct stats {
  double median_ns = 0, min_ns = 0, max_ns = 0;
};

/// The median, minimum and maximum of per-operation times `s` (sorted here).
inline stats summarize(std::vector<double>& s) {
  std::sort(s.begin(), s.end());
  stats st;
  st.min_ns = s.front();
  st.max_ns = s.back();
  std::size_t m = s.size() / 2;
  st.median_ns = s.size() % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  return st;
}

/// Prints one benchmark line: vitte's implementation `impl` against `baseline`
/// (for a benchmark that takes its samples itself; suite::run prints these).
inline void print_line(const std::string& bench, const std::string& impl, const stats& v, const std::string& baseline,
                       const stats& b, int reps, std::uint64_t batch) {
  std::printf(
      "{\"bench\": \"%s\", \"impl\": \"%s\", \"median_ns\": %.3f, \"min_ns\": %.3f, \"max_ns\": %.3f, "
      "\"baseline\": \"%s\", \"baseline_median_ns\": %.3f, \"ratio\": %.3f, \"reps\": %d, \"batch\": %llu}\n",
      bench.c_str(), impl.c_str(), v.median_ns, v.min_ns, v.max_ns, baseline.c_str(), b.median_ns,
      v.median_ns / b.median_ns, reps, static_cast<unsigned long long>(batch));
  std::fflush(stdout);
}

/// One benchmark: the first implementation added is vitte's; every later one
/// is a baseline it is compared against.
class suite {
 public:
  explicit suite(std::string name, int repetitions = 0) : name_(std::move(name)), reps_(repetitions) {
    if (reps_ == 0) reps_ = env_int("VITTE_BENCH_REPS", 21);
  }

  /// Adds an implementation; `op` runs one operation (its result is kept
  /// alive with do_not_optimize).
  template <class F>
  suite& add(std::string impl, F op) {
    impls_.push_back({std::move(impl), [op](std::uint64_t n) {
                        for (std::uint64_t i = 0; i < n; ++i) do_not_optimize(op());
                      }});
    return *this;
  }

  /// Adds an implementation that times `n` operations itself (for set-up
  /// heavy benchmarks); it returns nothing.
  template <class F>
  suite& add_batch(std::string impl, F batch) {
    impls_.push_back({std::move(impl), std::function<void(std::uint64_t)>(batch)});
    return *this;
  }

  /// Sets how many operations one repetition runs (default: calibrated so a
  /// repetition takes about 20 ms for the first implementation).
  suite& batch_size(std::uint64_t n) {
    batch_ = n;
    return *this;
  }

  /// Runs everything and prints the JSON lines; returns the stats in order.
  std::vector<stats> run() {
    if (impls_.empty()) return {};
    if (batch_ == 0) batch_ = calibrate(impls_[0].fn);
    for (auto& i : impls_) i.fn(std::max<std::uint64_t>(batch_ / 10, 1));  // warm-up
    std::vector<std::vector<double>> samples(impls_.size());
    for (int r = 0; r < reps_; ++r) {
      for (std::size_t k = 0; k < impls_.size(); ++k) {
        // Rotate the order each repetition so no implementation always runs first.
        std::size_t i = (k + static_cast<std::size_t>(r)) % impls_.size();
        auto t0 = std::chrono::steady_clock::now();
        impls_[i].fn(batch_);
        auto t1 = std::chrono::steady_clock::now();
        samples[i].push_back(std::chrono::duration<double, std::nano>(t1 - t0).count() / static_cast<double>(batch_));
      }
    }
    std::vector<stats> out;
    for (auto& s : samples) out.push_back(summarize(s));
    for (std::size_t i = 1; i < impls_.size(); ++i)
      print_line(name_, impls_[0].name, out[0], impls_[i].name, out[i], reps_, batch_);
    return out;
  }

 private:
  struct impl {
    std::string name;
    std::function<void(std::uint64_t)> fn;
  };

  static int env_int(const char* name, int fallback) {
    const char* v = std::getenv(name);
    int n = v != nullptr ? std::atoi(v) : 0;
    return n > 0 ? n : fallback;
  }

  static std::uint64_t calibrate(const std::function<void(std::uint64_t)>& fn) {
    const double target_ns = env_int("VITTE_BENCH_TARGET_MS", 20) * 1e6;
    std::uint64_t n = 1;
    for (;;) {
      auto t0 = std::chrono::steady_clock::now();
      fn(n);
      double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
      if (ns >= target_ns / 4 || n >= (1ull << 40))
        return std::max<std::uint64_t>(1, static_cast<std::uint64_t>(n * target_ns / std::max(ns, 1.0)));
      n *= 4;
    }
  }

  std::string name_;
  int reps_;
  std::uint64_t batch_ = 0;
  std::vector<impl> impls_;
};

}  // namespace bench

#endif  // VITTE_BENCH_HARNESS_HPP
