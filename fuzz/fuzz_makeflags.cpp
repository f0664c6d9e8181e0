// libFuzzer target: MAKEFLAGS as the jobserver client reads it
// (vitte/toolchain/jobserver.hpp), with its promises asserted:
//   - a client is active only when a jobserver flag names one before "--";
//   - without such a flag it is inactive and has no note;
//   - a note (MAKEFLAGS is anyone's text) never holds a control byte;
//   - nothing crashes or hangs, and the client's thread ends with it.
// Descriptors 0 and 1 are /dev/null here, so a flag naming them is a
// descriptor that is not a pipe; "fifo:" paths are whatever the input says
// (a FIFO there is unlikely: such a client reads it and gives every token
// back).
#include <vitte/toolchain/jobserver.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <fcntl.h>
#include <unistd.h>

namespace {

// Whether a word of `flags` before "--" starts a jobserver flag.
bool names_a_jobserver(std::string_view flags) {
  while (!flags.empty()) {
    const std::size_t space = flags.find(' ');
    const std::string_view word = flags.substr(0, space);
    flags = space == std::string_view::npos ? std::string_view() : flags.substr(space + 1);
    if (word == "--") return false;
    if (word.starts_with("--jobserver-auth=") || word.starts_with("--jobserver-fds=")) return true;
  }
  return false;
}

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const int null = ::open("/dev/null", O_RDWR);
  (void)::dup2(null, 0);
  (void)::dup2(null, 1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view flags(reinterpret_cast<const char*>(data), size);
  const vitte::toolchain::jobserver js = vitte::toolchain::jobserver::from_makeflags(vitte::text_view(flags));
  const bool named = names_a_jobserver(flags);
  if (!named) check(!js.active() && js.note().empty());
  if (js.active()) check(named);
  for (char c : js.note()) check(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
  return 0;
}
