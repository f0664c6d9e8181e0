// fuzz/tar_extract.cpp - vitte's side of fuzz/tar_differential.py: extracts
// one archive, streamed from its file, as a user of vitte/archive would.
//
//   tar_extract ARCHIVE DESTINATION
//
// Exit 0 when everything was extracted, 1 when the archive was refused (the
// refusal on stderr, the entry's name escaped: a hostile name cannot drive
// the terminal), 2 on a usage error.
#include <vitte/archive/extract.hpp>
#include <vitte/sys/file.hpp>

#include <cstdio>

int main(int argc, char** argv) {
  namespace va = vitte::archive;
  if (argc != 3) {
    std::fprintf(stderr, "usage: tar_extract ARCHIVE DESTINATION\n");
    return 2;
  }
  auto f = vitte::sys::file::open(argv[1], vitte::sys::open_mode::read);
  if (!f) {
    std::fprintf(stderr, "tar_extract: cannot open the archive\n");
    return 2;
  }
  vitte::diagnostic why;
  va::refusal reason = va::refusal::none;
  auto r = va::extract(*f, argv[2], {}, &why, &reason);
  if (r) return 0;
  std::fprintf(stderr, "refused %s (%s)\n", why.format().c_str(), va::to_string(reason).data());
  return 1;
}
