// bench/c_project.hpp - a generated C project of N units (and N/25
// headers, each unit including two) with its build.ninja, for the build
// benchmarks that race ninja as whole processes (bench_driver,
// bench_ninja): root/project holds the sources, root/ninja the manifest
// (`cc -c -O2 -MD`, deps = gcc, one link).
#ifndef VITTE_BENCH_C_PROJECT_HPP
#define VITTE_BENCH_C_PROJECT_HPP

#include <vitte/sys/directory.hpp>
#include <vitte/sys/process.hpp>
#include <vitte/sys/whole_file.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace bench {

namespace sys = vitte::sys;

inline void must(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "bench: %s failed\n", what);
  std::exit(1);
}

// Runs `c`; its output when it succeeded and printed `expect`, or exits.
inline void run_expecting(sys::command& c, std::string_view expect, const char* what) {
  auto r = c.output();
  const bool ok = r && r->status.success() && std::string_view(r->out).find(expect) != std::string_view::npos;
  if (!ok && r) std::fprintf(stderr, "%s%s", r->out.c_str(), r->err.c_str());
  must(ok, what);
}

// The project under root/project and its build.ninja under root/ninja.
inline void generate_c_project(const std::string& root, int units) {
  const int headers = units / 25 > 0 ? units / 25 : 1;
  const std::string src = root + "/project/src";
  must(sys::create_directories(src.c_str()).has_value(), "creating the project");
  must(sys::create_directories((root + "/ninja").c_str()).has_value(), "creating ninja's directory");
  for (int h = 0; h < headers; ++h)
    must(sys::write_file((src + "/h" + std::to_string(h) + ".h").c_str(),
                         "#define H" + std::to_string(h) + " " + std::to_string(h) + "\n")
             .has_value(),
         "a header");
  std::string ninja =
      "rule cc\n  command = cc -c -O2 -MD -MF $out.d -o $out $in\n  depfile = $out.d\n  deps = gcc\n"
      "rule link\n  command = cc -o $out $in\n";
  std::string decls, calls, objects;
  for (int i = 0; i < units; ++i) {
    const std::string n = std::to_string(i), a = std::to_string(i % headers), b = std::to_string((i * 7 + 3) % headers);
    must(
        sys::write_file((src + "/f" + n + ".c").c_str(), "#include \"h" + a + ".h\"\n#include \"h" + b + ".h\"\nint f" +
                                                             n + "(void) { return H" + a + " + H" + b + "; }\n")
            .has_value(),
        "a unit");
    decls += "int f" + n + "(void);\n";
    calls += "  s += f" + n + "();\n";
    ninja += "build obj/f" + n + ".o: cc " + src + "/f" + n + ".c\n";
    objects += " obj/f" + n + ".o";
  }
  must(sys::write_file((root + "/project/main.c").c_str(), "#include <stdio.h>\n" + decls +
                                                               "int main(void) {\n  long s = 0;\n" + calls +
                                                               "  printf(\"%ld\\n\", s);\n  return 0;\n}\n")
           .has_value(),
       "main.c");
  ninja += "build obj/main.o: cc " + root + "/project/main.c\nbuild app: link" + objects + " obj/main.o\n";
  must(sys::write_file((root + "/ninja/build.ninja").c_str(), vitte::text_view(ninja)).has_value(), "build.ninja");
}

}  // namespace bench

#endif  // VITTE_BENCH_C_PROJECT_HPP
