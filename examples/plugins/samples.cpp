// The demo's sample plugins (scripts/demo, README): three native plugins
// declared with vitte/loader/plugin.hpp, one per SAMPLE_* macro
// (examples/plugins/meson.build builds each as its own shared module).
//
//   greeter 2.0.1 -> text ^1.2, clock >=1.0.0
#include <vitte/loader/plugin.hpp>

namespace vl = vitte::loader;

#if defined(SAMPLE_TEXT)
// Length of a NUL-terminated string.
int length(const char* s) {
  int n = 0;
  while (s[n] != '\0') ++n;
  return n;
}
VITTE_PLUGIN("text", "1.4.0", vl::function<length>("length"), vl::unload_safe);

#elif defined(SAMPLE_CLOCK)
// A fixed hour, so that the demo prints the same thing every time.
int hour() { return 9; }
VITTE_PLUGIN("clock", "1.0.3", vl::function<hour>("hour"), vl::unload_safe);

#elif defined(SAMPLE_GREETER)
vl::imported<int(const char*)> length;
vl::imported<int()> hour;
// Width of the greeting for `name`: "Good morning, " or "Hello, ", then the name.
int greeting_width(const char* name) { return (hour() < 12 ? 14 : 7) + length(name); }
VITTE_PLUGIN("greeter", "2.0.1", vl::function<greeting_width>("greeting_width"), vl::import <length>("text", "length"),
             vl::import <hour>("clock", "hour"), vl::depends("text", "^1.2"), vl::depends("clock", ">=1.0.0"),
             vl::unload_safe);
#endif
