// vitte/release/detail/shlib_deps.ipp - elfdeps and dpkg-shlibdeps rules (shlib_deps.hpp).
#ifndef VITTE_RELEASE_DETAIL_SHLIB_DEPS_IPP
#define VITTE_RELEASE_DETAIL_SHLIB_DEPS_IPP

#include <vitte/base/text_view.hpp>
#include <vitte/release/detail/elf_needs.hpp>
#include <vitte/release/detail/failure.hpp>         // refuse
#include <vitte/release/detail/package_fields.hpp>  // relations, deb_version_compare
#include <vitte/release/detail/shlib_deps.hpp>
#include <vitte/sys/directory.hpp>   // the database's files
#include <vitte/sys/whole_file.hpp>  // read_file_string

#include <algorithm>
#include <string>
#include <vector>

namespace vitte::release::detail {

VITTE_DECL void rpm_elf_dependencies(const elf_needs& n, bool executable, std::vector<std::string>& requirements,
                                     std::vector<std::string>& provides) {
  if (!n.executable_or_dso) return;
  constexpr std::uint16_t em_alpha = 41, em_fake_alpha = 0x9026;
  const std::string mark = n.is64 && n.machine != em_alpha && n.machine != em_fake_alpha ? "(64bit)" : "";
  const bool gen_requires = !(n.has_interpreter && !executable);
  const auto sane = [](const std::string& s) { return s.find_first_not_of(" \t\n") != std::string::npos; };
  if (gen_requires) {
    for (const elf_version_need& v : n.versions)
      if (sane(v.file)) requirements.push_back(v.file + "(" + v.version + ")" + mark);
    for (const std::string& lib : n.needed)
      if (sane(lib)) requirements.push_back(lib + "()" + mark);
    if (n.gnu_hash_only) requirements.push_back("rtld(GNU_HASH)");
  }
  if (!n.soname.empty() && !n.has_interpreter && sane(n.soname)) provides.push_back(n.soname + "()" + mark);
}

VITTE_DECL text_view deb_multiarch(text_view a) {
  const struct {
    text_view arch, triplet;
  } table[] = {
      {"amd64", "x86_64-linux-gnu"},           {"arm64", "aarch64-linux-gnu"},   {"armhf", "arm-linux-gnueabihf"},
      {"armel", "arm-linux-gnueabi"},          {"i386", "i386-linux-gnu"},       {"riscv64", "riscv64-linux-gnu"},
      {"ppc64el", "powerpc64le-linux-gnu"},    {"ppc64", "powerpc64-linux-gnu"}, {"s390x", "s390x-linux-gnu"},
      {"mips64el", "mips64el-linux-gnuabi64"}, {"mipsel", "mipsel-linux-gnu"},   {"loong64", "loongarch64-linux-gnu"}};
  for (const auto& t : table)
    if (t.arch == a) return t.triplet;
  return "";
}

VITTE_DECL bool shlibs_key(text_view soname, std::string& name, std::string& version) {
  if (const std::size_t so = soname.find(".so."); so != text_view::npos) {
    name = std::string(soname.substr(0, so));
    version = std::string(soname.substr(so + 4));
    return true;
  }
  if (!soname.ends_with(".so")) return false;
  const text_view stem = soname.substr(0, soname.size() - 3);
  const std::size_t dash = stem.rfind('-');
  if (dash == text_view::npos) return false;
  name = std::string(stem.substr(0, dash));
  version = std::string(stem.substr(dash + 1));
  return true;
}

VITTE_DECL bool deb_library_directory(text_view path, text_view multiarch) {
  const std::size_t slash = path.rfind('/');
  if (slash == text_view::npos) return false;
  const text_view dir = path.substr(0, slash);
  for (const text_view base : {"lib", "usr/lib", "lib64", "usr/lib64", "lib32", "usr/lib32"}) {
    if (dir == base) return true;
    if (!multiarch.empty() && dir.size() == base.size() + 1 + multiarch.size() && dir.starts_with(base) &&
        dir[base.size()] == '/' && dir.ends_with(multiarch))
      return true;
  }
  return false;
}

namespace shlib_detail {

// A symbols file's section for one library: its dependency template and
// the minimum version of each symbol ("puts@GLIBC_2.2.5" -> "2.2.5").
struct symbols_section {
  std::string package_file;  // the database file's stem ("libc6:amd64")
  std::string dependency;    // "libc6 #MINVER#"
  std::vector<std::pair<std::string, std::string>> symbols;
};

VITTE_DECL bool read_symbols(text_view file, text_view soname, symbols_section& out) {
  bool in = false, found = false;
  for (std::size_t at = 0; at < file.size();) {
    std::size_t nl = file.find('\n', at);
    if (nl == text_view::npos) nl = file.size();
    const text_view line = file.substr(at, nl - at);
    at = nl + 1;
    if (line.empty() || line[0] == '#') continue;
    if (line[0] != ' ' && line[0] != '|' && line[0] != '*') {
      const std::size_t sp = line.find(' ');
      in = sp != text_view::npos && line.substr(0, sp) == soname;
      if (in) {
        out.dependency = std::string(line.substr(sp + 1));
        found = true;
      }
      continue;
    }
    if (!in || line[0] != ' ') continue;
    text_view rest = line.substr(1);
    const std::size_t sp = rest.find(' ');
    if (sp == text_view::npos) continue;
    text_view minver = rest.substr(sp + 1);
    const std::size_t id = minver.find(' ');
    if (id != text_view::npos) {
      if (minver.substr(id + 1) != "0" && !minver.substr(id + 1).empty()) continue;  // another template: not used
      minver = minver.substr(0, id);
    }
    out.symbols.push_back({std::string(rest.substr(0, sp)), std::string(minver)});
  }
  return found;
}

// Adds the relations of `deps` ("a (>= 1), b") to `out`, keeping one per
// package: the one with the highest minimum version.
VITTE_DECL void merge(text_view deps, std::vector<relation>& out, std::vector<std::string>& other) {
  for (std::size_t at = 0; at <= deps.size();) {
    std::size_t comma = deps.find(',', at);
    if (comma == text_view::npos) comma = deps.size();
    text_view one = deps.substr(at, comma - at);
    at = comma + 1;
    while (!one.empty() && one.front() == ' ') one.remove_prefix(1);
    if (one.empty()) continue;
    relation r;
    if (!parse_relation(one, r) || (!r.op.empty() && r.op != ">=")) {
      if (std::find(other.begin(), other.end(), std::string(one)) == other.end()) other.push_back(std::string(one));
      continue;
    }
    auto same = std::find_if(out.begin(), out.end(), [&](const relation& x) { return x.name == r.name; });
    if (same == out.end())
      out.push_back(r);
    else if (!r.op.empty() && (same->op.empty() || deb_version_compare(r.version, same->version) > 0))
      *same = r;
  }
}

}  // namespace shlib_detail

VITTE_DECL bool deb_shlib_depends(const std::vector<elf_needs>& objects, const std::vector<std::string>& own_sonames,
                                  text_view multiarch, text_view admindir, std::vector<std::string>& out,
                                  vitte::diagnostic* why) {
  namespace sys = vitte::sys;
  using namespace shlib_detail;
  std::vector<std::string> libraries;
  for (const elf_needs& n : objects)
    for (const std::string& lib : n.needed)
      if (std::find(own_sonames.begin(), own_sonames.end(), lib) == own_sonames.end() &&
          std::find(libraries.begin(), libraries.end(), lib) == libraries.end())
        libraries.push_back(lib);
  out.clear();
  if (libraries.empty()) return true;
  const std::string info = std::string(admindir) + "/info";
  std::vector<std::string> symbols_files, shlibs_files;
  const status listed = sys::walk(
      info,
      [&](const sys::walk_entry& e) {
        const text_view name = e.name;
        if (name.ends_with(".symbols")) symbols_files.push_back(std::string(name.substr(0, name.size() - 8)));
        if (name.ends_with(".shlibs")) shlibs_files.push_back(std::string(name.substr(0, name.size() - 7)));
      },
      sys::walk_options{sys::symlink_policy::report, 0, false});
  if (!listed)
    return refuse(why, errc::not_found, vitte::diagnostic::no_offset, info,
                  "no dpkg database to map the libraries the ELF files need to packages (dpkg-shlibdeps needs one "
                  "too)");
  std::sort(symbols_files.begin(), symbols_files.end());
  std::sort(shlibs_files.begin(), shlibs_files.end());
  const std::string dirs[] = {"/lib/" + std::string(multiarch) + "/", "/usr/lib/" + std::string(multiarch) + "/",
                              "/lib/", "/usr/lib/"};
  // The package's file list holds the library where the dynamic linker looks.
  const auto owns = [&](const std::string& stem, const std::string& lib) {
    result<text> list = sys::read_file_string(info + "/" + stem + ".list");
    if (!list) return false;
    for (const std::string& d : dirs) {
      const std::string path = d + lib;
      const text_view l = list->view();
      for (std::size_t at = l.find(path); at != text_view::npos; at = l.find(path, at + 1))
        if ((at == 0 || l[at - 1] == '\n') && (at + path.size() == l.size() || l[at + path.size()] == '\n'))
          return true;
    }
    return false;
  };
  std::vector<relation> deps;
  std::vector<std::string> other;
  for (const std::string& lib : libraries) {
    bool done = false;
    for (const std::string& stem : symbols_files) {
      result<text> file = sys::read_file_string(info + "/" + stem + ".symbols");
      symbols_section s;
      if (!file || !read_symbols(*file, lib, s) || !owns(stem, lib)) continue;
      std::string minver;
      for (const elf_needs& n : objects) {
        if (std::find(n.needed.begin(), n.needed.end(), lib) == n.needed.end()) continue;
        for (const elf_import& imp : n.imports) {
          if (!imp.file.empty() && imp.file != lib) continue;
          const std::string key = imp.name + "@" + (imp.version.empty() ? std::string("Base") : imp.version);
          for (const auto& [sym, ver] : s.symbols)
            if (sym == key && ver != "0" && (minver.empty() || deb_version_compare(ver, minver) > 0)) minver = ver;
        }
      }
      std::string dep = s.dependency;
      const std::size_t mark = dep.find(" #MINVER#");
      if (mark != std::string::npos) dep.replace(mark, 9, minver.empty() ? std::string() : " (>= " + minver + ")");
      merge(dep, deps, other);
      done = true;
      break;
    }
    std::string name, version;
    if (!done && shlibs_key(lib, name, version)) {
      for (const std::string& stem : shlibs_files) {
        if (!owns(stem, lib)) continue;
        result<text> file = sys::read_file_string(info + "/" + stem + ".shlibs");
        if (!file) continue;
        const text_view f = file->view();
        for (std::size_t at = 0; at < f.size() && !done;) {
          std::size_t nl = f.find('\n', at);
          if (nl == text_view::npos) nl = f.size();
          text_view line = f.substr(at, nl - at);
          at = nl + 1;
          if (const std::size_t colon = line.find(": "); colon != text_view::npos && colon < line.find(' '))
            line.remove_prefix(colon + 2);  // "udeb: ..." and the like
          const std::string prefix = name + " " + version + " ";
          if (!line.starts_with(prefix)) continue;
          merge(line.substr(prefix.size()), deps, other);
          done = true;
        }
        if (done) break;
      }
    }
    if (!done)
      return refuse(why, errc::not_found, vitte::diagnostic::no_offset, lib,
                    "a library the ELF files need is in no installed package with symbols or shlibs (dpkg-shlibdeps "
                    "refuses it too)");
  }
  std::sort(deps.begin(), deps.end(), [](const relation& a, const relation& b) { return a.name < b.name; });
  for (const relation& r : deps) out.push_back(deb_relation(r));
  for (const std::string& o : other) out.push_back(o);
  return true;
}

}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_SHLIB_DEPS_IPP
