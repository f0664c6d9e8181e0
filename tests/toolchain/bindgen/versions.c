/* answer() at two versions (versions.map): VERS_1's answers 1, the default
 * (VERS_2) answers 2, as a library keeps an old behaviour for old programs
 * (glibc's memcpy@GLIBC_2.2.5 and memcpy@@GLIBC_2.14). */
int answer_1(void) { return 1; }
int answer_2(void) { return 2; }
__asm__(".symver answer_1, answer@VERS_1");
__asm__(".symver answer_2, answer@@VERS_2");
