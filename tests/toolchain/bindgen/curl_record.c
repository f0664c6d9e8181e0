/* For a static host, which cannot link libcurl.a (it needs archives of
 * libnghttp2, librtmp, libssh2, libpsl, libgssapi_krb5, libldap... that
 * Debian does not ship): the calls of curl_direct.c, compiled against
 * curl/curl.h and linked to libcurl.so.4, run at build time; this prints
 * them as C functions of the same names answering what they answered, for
 * curl.cpp's inputs (curl_inputs.h). */
#include <stdio.h>

#include "curl_inputs.h"

const char* direct_version(void);
unsigned direct_version_num(void);
int direct_host(const char* url, char* out, unsigned size);
int direct_escape(const char* s, char* out, unsigned size);

static void literal(const char* s) {
  putchar('"');
  for (const unsigned char* p = (const unsigned char*)s; *p != 0; ++p)
    if (*p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\' || *p == '?')
      printf("\\%03o", *p);
    else
      putchar(*p);
  putchar('"');
}

/* A function (input, out, size) answering `answer` for `input` alone. */
static void recorded(const char* fn, const char* input, int ok, const char* answer) {
  printf("int %s(const char* in, char* out, unsigned size) {\n  if (strcmp(in, ", fn);
  literal(input);
  printf(") != 0 || !%d) return 0;\n  strncpy(out, ", ok);
  literal(answer);
  printf(", size - 1);\n  out[size - 1] = '\\0';\n  return 1;\n}\n");
}

int main(void) {
  char host[128] = "", escaped[128] = "";
  int host_ok = direct_host(CURL_INPUT_URL, host, sizeof host);
  int escape_ok = direct_escape(CURL_INPUT_ESCAPE, escaped, sizeof escaped);
  printf("/* Recorded by curl_record.c from libcurl.so.4 at build time: do not edit. */\n#include <string.h>\n\n");
  printf("const char* direct_version(void) { return ");
  literal(direct_version());
  printf("; }\nunsigned direct_version_num(void) { return %uu; }\n", direct_version_num());
  recorded("direct_host", CURL_INPUT_URL, host_ok, host);
  recorded("direct_escape", CURL_INPUT_ESCAPE, escape_ok, escaped);
  return 0;
}
