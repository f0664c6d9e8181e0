// vitte/release/detail/shlib_deps.hpp - a package's automatic dependencies
// on shared libraries, from what its ELF files need (elf_needs.hpp), made
// as the distributions' own tools make them:
// - rpm's elfdeps (rpmbuild): "libc.so.6()(64bit)" for each DT_NEEDED,
//   "libc.so.6(GLIBC_2.34)(64bit)" for each version needed, "rtld(GNU_HASH)"
//   for an object with only a GNU hash table; a shared library provides its
//   "soname()(64bit)". No database: the names say it all.
// - dpkg-shlibdeps: each library found where the dynamic linker looks
//   (/lib/<multiarch>, /usr/lib/<multiarch>, /lib, /usr/lib) in the dpkg
//   database's file lists (<admindir>/info/*.list, what `dpkg -S` reads);
//   that package's symbols file gives the dependency and its minimum
//   version, the highest of the symbols the object uses, else its shlibs
//   file gives the dependency. Without a database there is nothing to map
//   a library to, and nothing is guessed.
#ifndef VITTE_RELEASE_DETAIL_SHLIB_DEPS_HPP
#define VITTE_RELEASE_DETAIL_SHLIB_DEPS_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/release/detail/elf_needs.hpp>

#include <string>
#include <vector>

namespace vitte::release::detail {

/// rpm's elfdeps for one object (`executable`: any execute bit, as rpm's
/// "exeonly" ELF attribute wants): appends to `requirements` and `provides`.
VITTE_DECL void rpm_elf_dependencies(const elf_needs& n, bool executable, std::vector<std::string>& requirements,
                                     std::vector<std::string>& provides);

/// Debian's multiarch triplet of a Debian architecture ("amd64" ->
/// "x86_64-linux-gnu"), "" when unknown.
VITTE_DECL text_view deb_multiarch(text_view debian_arch);

/// The name and version a shlibs file gives a soname: libc.so.6 -> ("libc",
/// "6"), libfoo-1.2.so -> ("libfoo", "1.2"); false for another form.
VITTE_DECL bool shlibs_key(text_view soname, std::string& name, std::string& version);

/// True for a path (relative, as in the tar: "usr/lib/x86_64-linux-gnu/libz.so.1")
/// in a directory ldconfig reads: lib, usr/lib, their multiarch
/// subdirectory, lib64, lib32 (where a library needs the ldconfig trigger
/// and a shlibs entry).
VITTE_DECL bool deb_library_directory(text_view path, text_view multiarch);

/// dpkg-shlibdeps for `objects`: the dependencies (sorted by package, one
/// per package with the highest minimum version), libraries named in
/// `own_sonames` (shipped by the package itself) left out. `admindir` is
/// dpkg's database (/var/lib/dpkg). False with `why` filled (errc::not_found,
/// no position, a static message) when there is no database (its info
/// directory the subject) or a library is in no package that says what
/// depending on it means, no symbols, no shlibs (the library the subject).
/// Thread safety: reads the database's files; nothing shared.
VITTE_DECL bool deb_shlib_depends(const std::vector<elf_needs>& objects, const std::vector<std::string>& own_sonames,
                                  text_view multiarch, text_view admindir, std::vector<std::string>& out,
                                  vitte::diagnostic* why = nullptr);

}  // namespace vitte::release::detail

#if VITTE_HEADER_ONLY
#include <vitte/release/detail/shlib_deps.ipp>
#endif

#endif  // VITTE_RELEASE_DETAIL_SHLIB_DEPS_HPP
