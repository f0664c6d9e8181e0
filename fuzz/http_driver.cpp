// http_driver URL TIMEOUT_MS TOKEN [--put SIZE] [--follow] [--expect-over N] [--body FILE]
// - one request with vitte::http::client, for fuzz/http_differential.py.
//
// Sends GET (or PUT of SIZE bytes of 'a') to URL with "Authorization:
// Bearer TOKEN", options.timeout TIMEOUT_MS, redirects followed with
// --follow, "Expect: 100-continue" over N bytes with --expect-over. Prints
// "ok STATUS BODY_SIZE" or "err KIND" (the error kind's sentence), then
// "failure: " and client::failure(): what a program using the client would
// log. The response body goes to FILE (--body), not to the output.
#include <vitte/http/client.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace http = vitte::http;

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr,
                 "usage: http_driver URL TIMEOUT_MS TOKEN [--put SIZE] [--follow] [--expect-over N] "
                 "[--body FILE]\n");
    return 2;
  }
  http::client_options o;
  o.timeout = std::chrono::milliseconds(std::atol(argv[2]));
  o.headers.push_back(http::bearer(argv[3]));
  long long put = -1;
  const char* body_file = nullptr;
  for (int i = 4; i < argc; ++i) {
    if (std::strcmp(argv[i], "--put") == 0 && i + 1 < argc)
      put = std::atoll(argv[++i]);
    else if (std::strcmp(argv[i], "--follow") == 0)
      o.follow_redirects = true;
    else if (std::strcmp(argv[i], "--expect-over") == 0 && i + 1 < argc)
      o.expect_continue_over = std::strtoull(argv[++i], nullptr, 10);
    else if (std::strcmp(argv[i], "--body") == 0 && i + 1 < argc)
      body_file = argv[++i];
  }
  http::client c(std::move(o));
  std::vector<std::byte> upload(put > 0 ? static_cast<std::size_t>(put) : 0, std::byte{'a'});
  auto r = put >= 0 ? c.put(argv[1], vitte::span<const std::byte>(upload.data(), upload.size())) : c.get(argv[1]);
  if (r) {
    std::printf("ok %d %zu\n", r->status, r->body.size());
    if (body_file != nullptr) {
      if (std::FILE* f = std::fopen(body_file, "wb")) {
        if (!r->body.empty()) std::fwrite(r->body.data(), 1, r->body.size(), f);
        std::fclose(f);
      }
    }
  } else {
    std::printf("err %s\n", std::string(vitte::to_string(r.error().kind())).c_str());
  }
  std::printf("failure: %s\n", c.failure().c_str());
  return 0;
}
