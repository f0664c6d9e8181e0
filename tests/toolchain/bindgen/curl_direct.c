/* The same calls as curl.cpp makes through its table, compiled against
 * curl/curl.h (no network: version, URL parsing, escaping). */
#include <curl/curl.h>
#include <string.h>

const char* direct_version(void) { return curl_version(); }
unsigned direct_version_num(void) { return curl_version_info(CURLVERSION_NOW)->version_num; }
int direct_host(const char* url, char* out, unsigned size) {
  CURLU* u = curl_url();
  char* host = 0;
  int ok =
      curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK && curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK;
  if (ok) {
    strncpy(out, host, size - 1);
    out[size - 1] = '\0';
  }
  curl_free(host);
  curl_url_cleanup(u);
  return ok;
}
int direct_escape(const char* s, char* out, unsigned size) {
  CURL* h = curl_easy_init();
  char* e = curl_easy_escape(h, s, 0);
  int ok = e != 0;
  if (ok) {
    strncpy(out, e, size - 1);
    out[size - 1] = '\0';
  }
  curl_free(e);
  curl_easy_cleanup(h);
  return ok;
}
