// examples/driver: --hermetic [--input DIR]..., each compile under
// toolchain::run_hermetic (vitte/toolchain/hermetic.hpp): it reads the project,
// the declared input directories and the compiler's reach, writes its
// object's directory, and nothing else; no network. A compile that touches
// anything else fails, and its step says which file:
//
//   driver: hermetic: main.o touched /tmp/outside/x.h, outside its declared inputs (the project, --input)
#ifndef VITTE_EXAMPLES_DRIVER_HERMETIC_HPP
#define VITTE_EXAMPLES_DRIVER_HERMETIC_HPP

#include <vitte/sys/path.hpp>
#include <vitte/sys/path_ops.hpp>  // canonical
#include <vitte/toolchain/hermetic.hpp>
#include <vitte/toolchain/run.hpp>
#include <vitte/toolchain/tool.hpp>

#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace driver_hermetic {

namespace toolchain = vitte::toolchain;
namespace sys = vitte::sys;

struct options {
  bool on = false;
  std::vector<std::string> inputs;  // --input DIR, as given
};

inline constexpr const char* usage = " [--hermetic [--input DIR]...]";

// Takes --hermetic or --input DIR at argv[i]: 1 when taken, -1 after a
// message when unusable, 0 when it is another option.
inline int take_option(int argc, char** argv, int& i, options& o) {
  const std::string a = argv[i];
  if (a == "--hermetic") return o.on = true, 1;
  if (a != "--input") return 0;
  if (i + 1 >= argc) {
    std::fprintf(stderr, "driver: --input needs a directory\n");
    return -1;
  }
  o.inputs.emplace_back(argv[++i]);
  return 1;
}

// A compile as the schedule runs it: the run's report, as toolchain::run gives one.
using compile = std::function<vitte::result<toolchain::run_report>(const toolchain::run_options&)>;

// What every hermetic compile shares: the compilers' reach, the declared inputs.
class sealer {
 public:
  // Checks the options and asks each compiler what it needs. False after a message.
  bool prepare(const options& o, bool distcc, const std::string& project,
               const std::vector<toolchain::tool>& compilers) {
    if (!o.on) {
      if (!o.inputs.empty()) std::fprintf(stderr, "driver: --input only means something with --hermetic\n");
      return o.inputs.empty();
    }
    if (distcc) {
      // The pool preprocesses inside toolchain::compile_pool, outside any sandbox.
      std::fprintf(stderr,
                   "driver: --hermetic and --distcc do not go together yet: the distcc pool "
                   "preprocesses outside the sandbox; use one or the other\n");
      return false;
    }
    inputs_.push_back(project);
    for (const std::string& dir : o.inputs) {
      auto real = sys::canonical(dir.c_str());
      if (!real) {
        std::fprintf(stderr, "driver: --input %s: %s\n", dir.c_str(), real.error().message().c_str());
        return false;
      }
      inputs_.emplace_back(real->c_str());
    }
    for (const toolchain::tool& c : compilers) {
      auto reach = toolchain::find_compiler_reach(c.path);
      if (!reach) {
        std::fprintf(stderr, "driver: --hermetic: what %s needs: %s\n", c.path.c_str(),
                     reach.error().message().c_str());
        return false;
      }
      reach_.push_back(std::make_shared<toolchain::compiler_reach>(std::move(*reach)));
    }
    on_ = true;
    return true;
  }

  // The compile of `object` from `source` (empty without --hermetic): its
  // failure names what it read outside the declared inputs.
  compile step(std::size_t tool, const std::string& program, const std::vector<std::string>& args,
               const std::string& cwd, const std::string& source, const std::string& object,
               const std::string& name) const {
    if (!on_) return {};
    auto cmd = sys::sandbox_command(vitte::text(program)).args(args).cwd(vitte::text(cwd)).env("LANG", "C");
    toolchain::hermetic_step step;
    for (const std::string& in : inputs_) step.inputs.emplace_back(vitte::text_view(in));
    step.inputs.emplace_back(vitte::text_view(source));
    step.outputs.emplace_back(sys::parent_path(object));
    return [reach = reach_[tool], cmd = std::move(cmd), step = std::move(step),
            name](const toolchain::run_options& o) -> vitte::result<toolchain::run_report> {
      auto r = toolchain::run_hermetic(*reach, cmd, step, o);
      if (!r) return r.error();
      for (const vitte::text& f : r->outside)
        r->run.err.append("driver: hermetic: ")
            .append(vitte::text_view(name))
            .append(" touched ")
            .append(f)
            .append(", outside its declared inputs (the project, --input)\n");
      return std::move(r->run);
    };
  }

 private:
  bool on_ = false;
  std::vector<std::string> inputs_;
  std::vector<std::shared_ptr<toolchain::compiler_reach>> reach_;  // by the driver's compiler index
};

}  // namespace driver_hermetic

#endif  // VITTE_EXAMPLES_DRIVER_HERMETIC_HPP
