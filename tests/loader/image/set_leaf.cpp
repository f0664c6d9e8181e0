// A library another one needs (image_set): its constructor runs before
// its dependent's; a weak symbol nobody defines stays null. Built again
// with -DSET_BROKEN, with a strong symbol nobody defines, and with
// -DSET_SCOPE, binding in the set's whole scope: a function only its
// dependent defines, and one both define (the dependent's wins, as ld.so
// interposes it), and an inline static both share.
extern "C" __attribute__((weak)) int vitte_set_weak_nobody();
#ifdef SET_BROKEN
extern "C" int vitte_set_nobody_leaf();
extern "C" int set_leaf_broken() { return vitte_set_nobody_leaf(); }
#endif

static int inited = 0;
__attribute__((constructor)) static void init() { inited = 1; }

extern "C" int set_leaf_inited() { return inited; }
extern "C" int set_leaf_value() { return 7; }
extern "C" int set_leaf_weak_is_null() { return vitte_set_weak_nobody == nullptr ? 1 : 0; }

#ifdef SET_SCOPE
extern "C" int set_root_hook();                  // defined by the library that needs this one
extern "C" int set_shared_value() { return 2; }  // defined by both: the root's wins
extern "C" int set_leaf_calls_root() { return set_root_hook(); }
extern "C" int set_leaf_shared() { return set_shared_value(); }
inline int& set_counter() {  // an inline static (STB_GNU_UNIQUE): one object in the set
  static int n = 0;
  return n;
}
extern "C" int set_leaf_count() { return ++set_counter(); }
#endif
