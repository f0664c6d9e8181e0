// A view of a line that is not kept would outlive its text (format()
// returns the line by value): that does not compile.
// expect: deleted
#include <vitte/base/diagnostic.hpp>

int main() {
  const vitte::text_view line = vitte::diagnostic().say("bad header").format().view();
  return static_cast<int>(line.size());
}
