/* A version versions.map does not define: bind<> refuses the row. */
int answer_v3(void) __asm__("answer@VERS_3");
