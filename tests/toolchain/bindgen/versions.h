/* bindgen on symbol versions: one function of the library at two versions
 * (versions.c, versions.map), each bound by its own row, which the
 * __asm__ label names. */
#ifndef VITTE_TESTS_BINDGEN_VERSIONS_H
#define VITTE_TESTS_BINDGEN_VERSIONS_H
int answer_v1(void) __asm__("answer@VERS_1");  /* the old definition */
int answer_v2(void) __asm__("answer@@VERS_2"); /* the default, named */
int answer(void);                              /* the default version */
#endif
