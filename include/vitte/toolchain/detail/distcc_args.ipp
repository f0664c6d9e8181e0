// vitte/toolchain/detail/distcc_args.ipp - a compile's arguments split as
// distcc splits them (vitte/toolchain/detail/distcc_args.hpp).
#ifndef VITTE_TOOLCHAIN_DETAIL_DISTCC_ARGS_IPP
#define VITTE_TOOLCHAIN_DETAIL_DISTCC_ARGS_IPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/toolchain/detail/distcc_args.hpp>

#include <cstddef>

namespace vitte::toolchain::detail {

// Options whose value is the next argument.
VITTE_DECL bool distcc_takes_value(text_view a) noexcept {
  constexpr text_view with_value[] = {"-o",
                                      "-MF",
                                      "-MT",
                                      "-MQ",
                                      "-I",
                                      "-D",
                                      "-U",
                                      "-include",
                                      "-imacros",
                                      "-isystem",
                                      "-iquote",
                                      "-idirafter",
                                      "-iprefix",
                                      "-iwithprefix",
                                      "-iwithprefixbefore",
                                      "-isysroot",
                                      "-Xpreprocessor",
                                      "-x",
                                      "-L",
                                      "-l",
                                      "--param",
                                      "-Xassembler",
                                      "-Xlinker",
                                      "-aux-info",
                                      "-arch",
                                      "-target",
                                      "-MJ",
                                      "--sysroot"};
  for (text_view o : with_value)
    if (a == o) return true;
  return false;
}

// Options that only the preprocessor reads: they stay here (as distcc's
// dcc_strip_local_args); the value of a spaced one goes with it.
VITTE_DECL bool distcc_preprocessor_only(text_view a) noexcept {
  constexpr text_view spaced[] = {"-D",
                                  "-I",
                                  "-U",
                                  "-L",
                                  "-l",
                                  "-MF",
                                  "-MT",
                                  "-MQ",
                                  "-include",
                                  "-imacros",
                                  "-iprefix",
                                  "-iwithprefix",
                                  "-isystem",
                                  "-iwithprefixbefore",
                                  "-idirafter",
                                  "-iquote",
                                  "-Xpreprocessor",
                                  "-isysroot",
                                  "--sysroot"};
  constexpr text_view joined[] = {"-Wp,", "-Wl,", "-D",  "-U",       "-I",      "-l",      "-L",
                                  "-MF",  "-MT",  "-MQ", "-isystem", "-iquote", "-stdlib", "--sysroot="};
  constexpr text_view alone[] = {"-undef", "-nostdinc", "-nostdinc++", "-MD", "-MMD", "-MG", "-MP"};
  for (text_view o : spaced)
    if (a == o) return true;
  for (text_view o : alone)
    if (a == o) return true;
  for (text_view o : joined)
    if (a.starts_with(o)) return true;
  return false;
}

// Why a compile with this argument must run here ("" when it may leave).
VITTE_DECL text_view distcc_keeps_local(text_view a) noexcept {
  if (a == "-E" || a == "-S" || a == "-M" || a == "-MM") return "it does not compile to an object";
  if (a.starts_with("-x")) return "-x names the language (the server reads preprocessed text)";
  if (a.starts_with("@")) return "a response file";
  if (a.ends_with("=native")) return "-march/-mcpu/-mtune=native depend on the machine that compiles";
  if (a.starts_with("-d") && a.size() > 2 && a != "-dumpbase" && a != "-dumpdir")
    return "-dM, -dD and the other -d letters change what the preprocessor writes";
  if (a == "-P" || a == "-C" || a == "-CC" || a == "-traditional-cpp")
    return "the preprocessed text would not carry the line markers or text a local compile reads";
  if (a == "-g3" || a == "-ggdb3" || a == "-gstabs3" || a == "-fdebug-macro")
    return "-g3 records macros the preprocessor has consumed";
  if (a.starts_with("-save-temps")) return "-save-temps writes files beside the object";
  if (a.starts_with("-fplugin")) return "a compiler plugin";
  if (a.starts_with("-specs")) return "a specs file";
  if (a == "--coverage" || a == "-ftest-coverage" || a.starts_with("-fprofile-") || a.starts_with("-fauto-profile"))
    return "profiling writes or reads files beside the object";
  if (a.starts_with("-gsplit-dwarf")) return "split DWARF writes a .dwo beside the object";
  constexpr text_view side_files[] = {"-fstack-usage",
                                      "-fcallgraph-info",
                                      "-fdump-",
                                      "-aux-info",
                                      "-fopt-info",
                                      "-fsave-optimization-record",
                                      "-foptimization-record-file",
                                      "-ftime-trace",
                                      "-Wa,-a",
                                      "-MJ",
                                      "-fsanitize-coverage-allow",
                                      "-fsanitize-blacklist",
                                      "-fsanitize-ignorelist",
                                      "-fprofile-list"};
  for (text_view o : side_files)
    if (a.starts_with(o)) return "it writes or reads files beside the object or the source";
  return "";
}

VITTE_DECL bool distcc_source_name(text_view a) noexcept {
  constexpr text_view exts[] = {".c", ".cc", ".cpp", ".cxx", ".c++", ".C",  ".cp",
                                ".i", ".ii", ".m",   ".mm",  ".mi",  ".mii"};
  for (text_view e : exts)
    if (a.size() > e.size() && a.ends_with(e)) return true;
  return false;
}

// The dependency file -MD writes beside `object`: its suffix replaced by .d
// (or .d appended when it has none), as GCC and Clang name it.
VITTE_DECL text distcc_depfile_name(text_view object) {
  const std::size_t slash = object.rfind('/');
  const std::size_t dot = object.rfind('.');
  const bool suffix = dot != text_view::npos && (slash == text_view::npos || dot > slash);
  text d(suffix ? object.substr(0, dot) : object);
  d.append(".d");
  return d;
}

/// Splits the arguments of one compile (the compiler's name apart).
/// `clang`: the compiler is Clang, whose preprocessor does not record the
/// working directory for debug information (GCC's does), so a Clang compile
/// with debug information stays here.
VITTE_DECL distcc_split split_for_distcc(span<const text> args, bool clang) {
  distcc_split s;
  bool compile = false, debug = false, deps = false, target = false, depfile = false;
  std::size_t sources = 0, objects = 0;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const text_view a(args[i]);
    if (const text_view no = distcc_keeps_local(a); !no.empty()) {
      s.why_local = text(no);
      return s;
    }
    if (a == "-c") compile = true;
    if (a.starts_with("-g")) debug = a != "-g0";
    if (a == "-MD" || a == "-MMD") deps = true;
    if (a.starts_with("-MT") || a.starts_with("-MQ")) target = true;
    if (a.starts_with("-MF")) depfile = true;
    if (a == "-o" && i + 1 < args.size()) s.object = args[i + 1];
    if (a.starts_with("-o") && a.size() > 2) s.object = text(a.substr(2));
    if (a.starts_with("-o")) ++objects;
    if (distcc_takes_value(a)) {
      if (i + 1 == args.size()) {
        s.why_local = text("an option without its value: ");
        s.why_local.append(a);
        return s;
      }
      ++i;
      continue;
    }
    if (!a.starts_with("-")) {
      if (!distcc_source_name(a)) {
        s.why_local = text("an input that is not a C, C++ or Objective-C source: ");
        s.why_local.append(a);
        return s;
      }
      ++sources;
      s.source = text(a);
    }
  }
  if (!compile)
    s.why_local = text("no -c: not a compile to an object");
  else if (sources != 1)
    s.why_local = text(sources == 0 ? "no source" : "more than one source");
  else if (s.object.empty())
    s.why_local = text("no -o: the object's name is the compiler's choice");
  else if (objects > 1)
    s.why_local = text("more than one -o");
  else if (clang && debug)
    s.why_local = text("Clang's debug information would name the server's directory (a prefix map does not match it)");
  if (!s.why_local.empty()) return s;

  for (std::size_t i = 0; i < args.size(); ++i) {
    const text_view a(args[i]);
    const bool next = distcc_takes_value(a) && i + 1 < args.size();
    // Preprocess: everything but -c and the object; -E and the .i follow.
    const bool object = a == "-o" || (a.starts_with("-o") && a.size() > 2);
    if (!object && a != "-c") {
      s.preprocess.push_back(text(a));
      if (next) s.preprocess.push_back(args[i + 1]);
    }
    // The server: everything but what the preprocessor alone reads.
    if (!distcc_preprocessor_only(a)) {
      s.server.push_back(text(a));
      if (next) s.server.push_back(args[i + 1]);
    }
    if (next) ++i;
  }
  // With -E the compiler takes the dependency file's name and its target
  // from the source (a.d in the working directory, target a.o), where the
  // compile takes them from -o (sub/a.d, target sub/a.o): both are named.
  if (deps && !target) {
    s.preprocess.push_back(text("-MQ"));
    s.preprocess.push_back(s.object);
  }
  if (deps && !depfile) {
    s.preprocess.push_back(text("-MF"));
    s.preprocess.push_back(distcc_depfile_name(s.object));
  }
  s.preprocess.push_back(text("-E"));
  return s;
}

}  // namespace vitte::toolchain::detail

#endif  // VITTE_TOOLCHAIN_DETAIL_DISTCC_ARGS_IPP
