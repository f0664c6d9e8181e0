// A shared object that uses another's exports (probe.cpp): linked against
// it, so probe_value and probe_versioned@VERS_2 are its undefined symbols.
extern "C" int probe_value();
extern "C" int probe_versioned();
extern "C" __attribute__((visibility("default"))) int user_value() { return probe_value() * 2 + probe_versioned(); }
