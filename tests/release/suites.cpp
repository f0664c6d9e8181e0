// The release suites as one program (tests/meson.build, suite_groups): the
// package writers and readers, archives, compression and signatures they
// share compile once.
#include "test_msi.cpp"                 // the .msi writer and reader (CFB, cabinets); msitools when installed
#include "test_package.cpp"             // signify files, packages (tar.gz, tar, deb) and their checks
#include "test_package_installers.cpp"  // .rpm and .msi packages and their checks
#include "test_rpm.cpp"                 // the .rpm writer and reader; rpm, rpmlint, rpm2cpio when installed
