// A compile's arguments split as distcc splits them: what preprocesses the
// source here, and what compiles the preprocessed text on a server. A
// compile whose result could depend on where it runs (the server's CPU,
// files beside the object, a language given by -x, a response file) is
// not split: it runs here, and the split says why.
#ifndef VITTE_TOOLCHAIN_DETAIL_DISTCC_ARGS_HPP
#define VITTE_TOOLCHAIN_DETAIL_DISTCC_ARGS_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>

#include <cstddef>

namespace vitte::toolchain::detail {

/// A compile split for distcc, or the reason it is not (`why_local`).
struct distcc_split {
  text why_local;           ///< Empty when the compile can be distributed.
  text source, object;      ///< As the arguments name them.
  buffer<text> preprocess;  ///< Arguments that preprocess here, ending with -E (the text comes on stdout).
  buffer<text> server;      ///< The compile's arguments a server gets (without the compiler's name).
};

// Options whose value is the next argument.
VITTE_DECL bool distcc_takes_value(text_view a) noexcept;

/// Splits the arguments of one compile (the compiler's name apart).
/// `clang`: the compiler is Clang, whose preprocessor does not record the
/// working directory for debug information (GCC's does), so a Clang compile
/// with debug information stays here.
VITTE_DECL distcc_split split_for_distcc(span<const text> args, bool clang);

}  // namespace vitte::toolchain::detail

#if VITTE_HEADER_ONLY
#include <vitte/toolchain/detail/distcc_args.ipp>
#endif

#endif  // VITTE_TOOLCHAIN_DETAIL_DISTCC_ARGS_HPP
