// release.cpp - compiled mode: the non-template bodies of vitte/release (signify files and packages (tar, deb, rpm,
// msi, pkg)), compiled once. Part of libvitte with src/vitte.cpp; see there.
#ifndef VITTE_SEPARATE_COMPILATION
#error "vitte: compile src/release.cpp with -DVITTE_SEPARATE_COMPILATION"
#endif

#include <vitte/base/config.hpp>

// Package formats (vitte/release/detail/).
#include <vitte/release/detail/ar.ipp>              // ar, a .deb's container
#include <vitte/release/detail/bom_reader.ipp>      // bom_read, a .pkg's bill of materials
#include <vitte/release/detail/bom_writer.ipp>      // bom_write, bom_cksum
#include <vitte/release/detail/cab.ipp>             // cabinets, an .msi's files
#include <vitte/release/detail/cfb.ipp>             // compound files, an .msi's container
#include <vitte/release/detail/cpio.ipp>            // newc cpio, an .rpm's payload
#include <vitte/release/detail/cpio_odc.ipp>        // odc cpio, a .pkg's Payload
#include <vitte/release/detail/elf_needs.ipp>       // elf_read_needs, what a package's ELF files need
#include <vitte/release/detail/msi_names.ipp>       // .msi stream names, short names, GUIDs
#include <vitte/release/detail/msi_reader.ipp>      // msi_read
#include <vitte/release/detail/msi_writer.ipp>      // msi_write
#include <vitte/release/detail/openpgp.ipp>         // OpenPGP keys, signatures, armor (an .rpm's signature)
#include <vitte/release/detail/package_fields.ipp>  // field rules, relations, Debian descriptions and versions
#include <vitte/release/detail/package_name.ipp>    // name_ok
#include <vitte/release/detail/package_tree.ipp>    // a tree listed, then written in pieces (modes, hard links)
#include <vitte/release/detail/pkg_reader.ipp>      // pkg_read
#include <vitte/release/detail/pkg_writer.ipp>      // pkg_write, pkg_write_tree, pkg_arch
#include <vitte/release/detail/rpm_header.ipp>      // an .rpm header written and read
#include <vitte/release/detail/rpm_names.ipp>       // rpm's architectures, standard directories, paths
#include <vitte/release/detail/rpm_reader.ipp>      // rpm_read, rpm_verify_signature
#include <vitte/release/detail/rpm_writer.ipp>      // rpm_write, rpm_write_tree, rpm_assemble
#include <vitte/release/detail/shlib_deps.ipp>      // elfdeps' and dpkg-shlibdeps' dependencies
#include <vitte/release/detail/xar_reader.ipp>      // xar_read, xar_extract, a .pkg's container
#include <vitte/release/detail/xar_writer.ipp>      // xar_write, xar_write_to
#include <vitte/release/detail/xml.ipp>             // XML escaped and read (xar TOCs, Distribution, PackageInfo)

// Packages and their signatures (vitte/release/*.hpp).
#include <vitte/release/impl/package.ipp>  // make_package, verify_package
#include <vitte/release/impl/signify.ipp>  // signify keys and signatures
