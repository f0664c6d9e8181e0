// A library that needs set_leaf (image_set): it sees the leaf initialised
// before its own constructor runs. Built again with -DSET_BROKEN against
// the broken leaf, with a strong symbol nobody defines of its own.
extern "C" int set_leaf_inited();
extern "C" int set_leaf_value();
#ifdef SET_BROKEN
extern "C" int vitte_set_nobody_root();
extern "C" int set_root_broken() { return vitte_set_nobody_root(); }
#endif

static int leaf_seen = -1;
__attribute__((constructor)) static void init() { leaf_seen = set_leaf_inited(); }

extern "C" int set_root_saw_leaf_inited() { return leaf_seen; }
extern "C" int set_root_value() { return set_leaf_value() * 6; }

#ifdef SET_SCOPE
extern "C" int set_root_hook() { return 5; }
extern "C" int set_shared_value() { return 1; }
inline int& set_counter() {
  static int n = 0;
  return n;
}
extern "C" int set_root_count() { return ++set_counter(); }
#endif
