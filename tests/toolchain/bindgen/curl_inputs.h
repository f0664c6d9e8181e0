/* What curl.cpp asks libcurl, shared with curl_record.c. */
#ifndef VITTE_TESTS_BINDGEN_CURL_INPUTS_H
#define VITTE_TESTS_BINDGEN_CURL_INPUTS_H
#define CURL_INPUT_URL "https://user@example.org:8443/a/b%20c?x=1&y=2#top"
#define CURL_INPUT_ESCAPE "a b&c/d~\xc3\xa9"
#endif
