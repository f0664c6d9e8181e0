/* The same calls as versions.cpp makes through its table, compiled against
 * the library: each version referenced as a C program does (.symver). */
int answer_at_1(void);
int answer_at_2(void);
int answer(void);
__asm__(".symver answer_at_1, answer@VERS_1");
__asm__(".symver answer_at_2, answer@VERS_2");

int direct_v1(void) { return answer_at_1(); }
int direct_v2(void) { return answer_at_2(); }
int direct_default(void) { return answer(); }
