// vitte/toolchain/impl/link.ipp - link lines and response files in each
// linker's syntax (vitte/toolchain/link.hpp).
#ifndef VITTE_TOOLCHAIN_IMPL_LINK_IPP
#define VITTE_TOOLCHAIN_IMPL_LINK_IPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/sys/process_types.hpp>  // append_windows_argument
#include <vitte/toolchain/link.hpp>

namespace vitte::toolchain {

/// The arguments (without the program) for `job` in `flavor`'s syntax.
VITTE_DECL buffer<text> link_arguments(linker_flavor flavor, const link_job& job) {
  buffer<text> a;
  auto add = [&](text_view s) { a.push_back(text(s)); };
  auto add2 = [&](text_view s, text_view v) {
    text t(s);
    t.append(v);
    a.push_back(std::move(t));
  };
  const bool gnu = flavor == linker_flavor::elf || flavor == linker_flavor::mingw;
  if (gnu || flavor == linker_flavor::wasm || flavor == linker_flavor::cc) {
    if (flavor == linker_flavor::mingw) {
      add("-m");
      add(job.machine.empty() ? text_view("i386pep") : text_view(job.machine));
      add("--no-insert-timestamp");  // PE headers otherwise carry the link time
      add("--subsystem");
      add(job.subsystem.empty() ? text_view("console") : text_view(job.subsystem));
    } else if (flavor == linker_flavor::elf && !job.machine.empty()) {
      add("-m");
      add(job.machine);
    }
    switch (job.kind) {
      case link_output::executable:
        break;
      case link_output::pie:
        add("-pie");
        break;
      case link_output::shared:
        add(flavor == linker_flavor::wasm ? "--shared" : "-shared");
        break;
      case link_output::static_executable:
        add("-static");
        break;
    }
    if (flavor == linker_flavor::wasm && job.entry.empty()) add("--no-entry");
    if (!job.entry.empty()) {
      if (flavor == linker_flavor::cc) {
        add2("-Wl,-e,", job.entry);
      } else {
        add(flavor == linker_flavor::wasm ? "--entry" : "-e");
        add(job.entry);
      }
    }
    add("-o");
    add(job.output);
    for (const text& d : job.search_paths) add2("-L", d);
    for (const text& i : job.inputs) add(i);
    for (const text& l : job.libraries) add2("-l", l);
  } else if (flavor == linker_flavor::coff) {
    add("/nologo");
    add("/Brepro");  // no time stamp: the same inputs give the same bytes
    if (job.kind == link_output::shared) add("/dll");
    if (!job.machine.empty()) add2("/machine:", job.machine);
    add2("/subsystem:", job.subsystem.empty() ? text_view("console") : text_view(job.subsystem));
    if (!job.entry.empty()) add2("/entry:", job.entry);
    add2("/out:", job.output);
    for (const text& d : job.search_paths) add2("/libpath:", d);
    for (const text& i : job.inputs) add(i);
    for (const text& l : job.libraries) {
      text t(l);
      if (text_view(l).find('.') == text_view::npos) t.append(".lib");
      a.push_back(std::move(t));
    }
  } else {  // macho
    add("-arch");
    add(job.machine.empty() ? text_view("x86_64") : text_view(job.machine));
    add("-platform_version");
    add("macos");
    add("11.0");
    add("11.0");
    switch (job.kind) {
      case link_output::executable:
      case link_output::pie:
        add("-execute");
        break;
      case link_output::shared:
        add("-dylib");
        break;
      case link_output::static_executable:
        add("-static");
        break;
    }
    if (!job.entry.empty()) {
      add("-e");
      add(job.entry);
    }
    add("-o");
    add(job.output);
    for (const text& d : job.search_paths) add2("-L", d);
    for (const text& i : job.inputs) add(i);
    for (const text& l : job.libraries) add2("-l", l);
  }
  for (const text& e : job.extra) add(e);
  return a;
}

/// A response file's content for `args`, quoted as `flavor`'s tokenizer
/// reads it: Windows rules for lld-link, GNU rules (backslash escapes
/// inside double quotes) for the others. One argument per line.
VITTE_DECL text response_file_content(linker_flavor flavor, const buffer<text>& args) {
  text out;
  for (const text& arg : args) {
    if (flavor == linker_flavor::coff) {
      sys::detail::append_windows_argument(out, arg);
    } else {
      out.push_back('"');
      for (char c : arg) {
        if (c == '"' || c == '\\') out.push_back('\\');
        out.push_back(c);
      }
      out.push_back('"');
    }
    out.push_back('\n');
  }
  return out;
}

}  // namespace vitte::toolchain

#endif  // VITTE_TOOLCHAIN_IMPL_LINK_IPP
