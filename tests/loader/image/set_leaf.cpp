// A library another one needs (image_set): its constructor runs before
// its dependent's; a weak symbol nobody defines stays null. Built again
// with -DSET_BROKEN, with a strong symbol nobody defines.
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
