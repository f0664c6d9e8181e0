// The build cache's remote tier: the protocol pieces (ActionResult,
// RESP2, the --remote syntax), then against real servers started here on
// 127.0.0.1 (nginx in the Bazel and subdirs layouts, redis-server): two
// processes sharing results, a blob corrupted on the server, the server
// killed mid-transfer, a server that is down or hangs (one deadline spent,
// then local), and read-only clients. Skips, saying why, when a server is
// not installed (scripts/test installs both).
#include <vitte/cache/cache.hpp>
#include <vitte/cache/remote.hpp>
#include <vitte/cache/remote/action_result.hpp>
#include <vitte/cache/remote/resp.hpp>
#include <vitte/http/client.hpp>
#include <vitte/log.hpp>
#include <vitte/sys/directory.hpp>
#include <vitte/sys/fs.hpp>
#include <vitte/sys/process.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/thread.hpp>
#include <vitte/sys/whole_file.hpp>

#include <atomic>
#include <cctype>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "print.hpp"
#include "support/scripted_server.hpp"
#include "support/servers.hpp"

namespace cache = vitte::cache;
namespace sys = vitte::sys;
namespace http = vitte::http;
using vitte::errc;
using vitte::text;
using namespace std::chrono_literals;

namespace {

vitte::span<const std::byte> bytes_of(const std::string& s) {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

BOOST_AUTO_TEST_SUITE(protocol)

BOOST_AUTO_TEST_CASE(action_results_round_trip_and_refuse_damage) {
  const std::string hash(64, 'a');
  auto ac = cache::encode_action_result("vitte/result", hash, 123456789);
  auto ref = cache::decode_action_result(ac.span()).value();
  BOOST_TEST(ref.path == "vitte/result");
  BOOST_TEST(ref.hash == hash.c_str());
  BOOST_TEST(ref.size == 123456789u);
  for (std::size_t cut = 0; cut < ac.size(); ++cut) {
    auto r = cache::decode_action_result(ac.span().first(cut));
    BOOST_TEST(!r, cut);
  }
  auto bad_hash = cache::encode_action_result("vitte/result", "xyz", 1);
  BOOST_TEST(cache::decode_action_result(bad_hash.span()).error() == errc::malformed);
}

BOOST_AUTO_TEST_CASE(resp_replies_whole_partial_and_hostile) {
  cache::resp_reply r;
  const std::string wire = "$5\r\nhello\r\n";
  for (std::size_t cut = 0; cut < wire.size(); ++cut)
    BOOST_TEST(cache::parse_resp(bytes_of(wire).first(cut), r).value() == 0u);
  BOOST_TEST(cache::parse_resp(bytes_of(wire), r).value() == wire.size());
  BOOST_TEST((r.type == cache::resp_reply::kind::bulk));
  BOOST_TEST(cache::parse_resp(bytes_of("$-1\r\n"), r).value() == 5u);
  BOOST_TEST((r.type == cache::resp_reply::kind::nil));
  BOOST_TEST(cache::parse_resp(bytes_of(":42\r\n+OK\r\n"), r).value() == 5u);
  BOOST_TEST(r.integer == 42);
  BOOST_TEST(cache::parse_resp(bytes_of("*2\r\n+OK\r\n-ERR no\r\n"), r).value() == 18u);
  BOOST_TEST(r.elements.size() == 2u);
  for (const char* bad : {"?\r\n", "$x\r\n", "$-2\r\n", ":1a\r\n", "$1\r\nab\r\n", "+a\rb\r\n"})
    BOOST_TEST(cache::parse_resp(bytes_of(bad), r).error() == errc::malformed, bad);
  BOOST_TEST(cache::parse_resp(bytes_of("$999999999999\r\n"), r).error() == errc::limit_exceeded);
  BOOST_TEST(cache::parse_resp(bytes_of("*99999999999\r\n"), r).error() == errc::limit_exceeded);
  std::string nested;  // nine arrays deep, one past max_depth
  for (int i = 0; i < 9; ++i) nested += "*1\r\n";
  BOOST_TEST(cache::parse_resp(bytes_of(nested + ":1\r\n"), r).error() == errc::limit_exceeded);
}

BOOST_AUTO_TEST_CASE(remote_specs) {
  auto o = cache::remote_options::parse("http://h:8080/c|layout=subdirs|read-only|timeout=250").value();
  BOOST_TEST(o.url == "http://h:8080/c");
  BOOST_TEST((o.layout == cache::remote_layout::subdirs));
  BOOST_TEST(o.read_only);
  BOOST_TEST(o.timeout.count() == 250);
  BOOST_TEST(!cache::remote_options::parse("http://h|layout=flat"));
  BOOST_TEST(!cache::remote_options::parse("http://h|timeout=0"));
  BOOST_TEST(!cache::remote_options::parse("gopher://h"));
}

BOOST_AUTO_TEST_SUITE_END()

std::string worker() {
  std::string self = sys::executable_path().value();
  return sys::path_join(sys::parent_path(self), "cache_worker");
}

// What cache_worker stores for step n (the same function as there).
std::string product(int n) {
  std::string s = "step " + std::to_string(n) + ":";
  while (s.size() < static_cast<std::size_t>(200 + 37 * n)) s += static_cast<char>('a' + (s.size() * 7 + n) % 26);
  return s;
}

constexpr int steps = 20;

// Sources of `steps` steps, and a place for outputs; caches are made per "machine".
struct tree {
  sys::temp_directory dir = sys::temp_directory::create({}, "vitte-remote-").value();
  std::string root = dir.path().c_str();
  tree() {
    BOOST_REQUIRE(sys::create_directories((root + "/src").c_str()));
    BOOST_REQUIRE(sys::create_directories((root + "/out").c_str()));
    for (int n = 0; n < steps; ++n) {
      BOOST_REQUIRE(
          sys::write_file((root + "/src/" + std::to_string(n) + ".c").c_str(), "int f" + std::to_string(n) + ";"));
      BOOST_REQUIRE(
          sys::write_file((root + "/src/" + std::to_string(n) + ".h").c_str(), "#define H " + std::to_string(n)));
    }
  }
  std::string cache(const char* name) const { return root + "/" + name; }
  cache::cache_step step(int n, text (&in)[1], text (&out)[1]) const {
    in[0] = text((root + "/src/" + std::to_string(n) + ".c").c_str());
    out[0] = text((root + "/out/" + std::to_string(n) + ".o").c_str());
    return {cache::hasher{}.add("worker-cc").finish(), in, out};
  }
  // Looks every step up in `c` (outputs removed first); returns the hits,
  // each checked byte for byte.
  int lookup_all(cache::output_cache& c) const {
    cache::file_hasher files;
    int hits = 0;
    for (int n = 0; n < steps; ++n) {
      text in[1], out[1];
      const auto s = step(n, in, out);
      (void)sys::remove(out[0].c_str());
      auto found = c.lookup(s, files);
      BOOST_REQUIRE_MESSAGE(found, found.error().message().c_str());
      if (!found->hit) continue;
      ++hits;
      auto got = sys::read_file_string(out[0].c_str()).value();
      BOOST_TEST(std::string(got.data(), got.size()) == product(n));
    }
    return hits;
  }
  // Stores every step in `c` from this process.
  void store_all(cache::output_cache& c) const {
    cache::file_hasher files;
    for (int n = 0; n < steps; ++n) {
      text in[1], out[1];
      const auto s = step(n, in, out);
      BOOST_REQUIRE(sys::write_file(out[0].c_str(), product(n)));
      const text dep[] = {text((root + "/src/" + std::to_string(n) + ".h").c_str())};
      BOOST_REQUIRE(c.store(s, dep, files));
    }
  }
};

cache::output_cache open_with(const std::string& dir, const std::string& spec) {
  auto c = cache::output_cache::open(text(dir.c_str())).value();
  auto o = cache::remote_options::parse(spec.c_str()).value();
  BOOST_REQUIRE(c.attach_remote(std::move(o)));
  return c;
}

// The servers the suite runs against: kind, spec suffix.
struct server_case {
  const char* kind;  // "nginx" or "redis"
  const char* suffix;
};
const server_case cases[] = {{"nginx", "/vitte|layout=bazel"}, {"nginx", "/vitte|layout=subdirs"}, {"redis", ""}};

struct running {
  std::optional<vitte_test::nginx_server> nginx;
  std::optional<vitte_test::redis_server> redis;
  std::string url;
  std::string why;
  void kill() { nginx ? nginx->kill() : redis->kill(); }
  bool restart() { return nginx ? nginx->restart() : redis->restart(); }
};

running start(const server_case& c, const std::string& dir) {
  running r;
  if (std::string(c.kind) == "nginx") {
    r.nginx = vitte_test::nginx_server::start(dir);
    if (r.nginx) r.url = r.nginx->url() + c.suffix;
    r.why = vitte_test::nginx_server::why();
  } else {
    r.redis = vitte_test::redis_server::start(dir);
    if (r.redis) r.url = r.redis->url();
    r.why = vitte_test::redis_server::why();
  }
  return r;
}

// Every file under `dir`, recursively.
std::vector<std::string> files_under(const std::string& dir) {
  std::vector<std::string> out;
  (void)sys::walk(dir.c_str(), [&](const sys::walk_entry& e) {
    if (e.type == sys::file_type::regular) out.emplace_back(e.path);
  });
  return out;
}

// Runs raw Redis commands; returns the replies.
std::vector<cache::resp_reply> redis(std::uint16_t port, std::initializer_list<vitte::span<const std::byte>> cmd) {
  auto s = sys::socket::connect_to(sys::socket_address(sys::ip_address::loopback_v4(), port), sys::deadline::after(5s))
               .value();
  vitte::buffer<std::byte> out;
  cache::append_resp_command(out, cmd);
  BOOST_REQUIRE(s.send_all(out.span()));
  std::vector<std::byte> in;
  std::vector<cache::resp_reply> replies(1);
  for (;;) {
    auto used = cache::parse_resp({in.data(), in.size()}, replies[0]);
    BOOST_REQUIRE(used);
    if (*used != 0) return replies;
    std::byte buf[65536];
    auto n = s.receive(buf);
    BOOST_REQUIRE(n && *n > 0);
    in.insert(in.end(), buf, buf + *n);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(servers)

BOOST_AUTO_TEST_CASE(two_processes_share_results) {
  for (const server_case& sc : cases) {
    BOOST_TEST_CONTEXT(sc.kind << sc.suffix) {
      tree t;
      running server = start(sc, t.root + "/server");
      if (server.url.empty()) {
        BOOST_TEST_MESSAGE("skipped: " << server.why);
        continue;
      }
      // Machine A, another process, builds and uploads.
      auto out = sys::command(vitte::text(worker().c_str()))
                     .args({"remote-store", t.cache("a").c_str(), t.root.c_str(), server.url.c_str(),
                            std::to_string(steps).c_str()})
                     .output(sys::deadline::after(120s))
                     .value();
      BOOST_TEST(out.status.success(), out.err.c_str());
      BOOST_TEST(std::string(out.out.c_str()) == std::to_string(2 * steps) + " 0\n");
      // Machine B, this process, with an empty local cache: every step from the server.
      auto b = open_with(t.cache("b"), server.url);
      BOOST_TEST(t.lookup_all(b) == steps);
      BOOST_TEST(b.remote_statistics().hits == static_cast<std::uint64_t>(steps));
      BOOST_TEST(b.remote_statistics().rejected == 0u);
      // Now local: the server is not asked again.
      BOOST_TEST(t.lookup_all(b) == steps);
      BOOST_TEST(b.remote_statistics().hits == static_cast<std::uint64_t>(steps));
      BOOST_TEST(b.stats().value().hits == 2u * steps);
    }
  }
}

BOOST_AUTO_TEST_CASE(wrong_bytes_from_the_server_are_refused) {
  for (const server_case& sc : cases) {
    BOOST_TEST_CONTEXT(sc.kind << sc.suffix) {
      tree t;
      running server = start(sc, t.root + "/server");
      if (server.url.empty()) {
        BOOST_TEST_MESSAGE("skipped: " << server.why);
        continue;
      }
      {
        auto a = open_with(t.cache("a"), server.url);
        t.store_all(a);
        BOOST_REQUIRE(a.flush_remote(sys::deadline::after(60s)));
      }
      // Flip one byte of every blob the server holds.
      int corrupted = 0;
      if (server.nginx) {
        for (const std::string& f : files_under(server.nginx->store()))
          if (f.find("/cas/") != std::string::npos) {
            auto b = sys::read_file(f.c_str()).value();
            b[b.size() / 2] ^= std::byte{1};
            BOOST_REQUIRE(sys::write_file(f.c_str(), b.span()));
            ++corrupted;
          }
      } else {
        auto keys = redis(server.redis->port(), {bytes_of("KEYS"), bytes_of("vitte:cas:*")});
        for (const auto& k : keys[0].elements) {
          auto v = redis(server.redis->port(), {bytes_of("GET"), k.bytes.span()});
          auto b = std::move(v[0].bytes);
          b[b.size() / 2] ^= std::byte{1};
          (void)redis(server.redis->port(), {bytes_of("SET"), k.bytes.span(), b.span()});
          ++corrupted;
        }
      }
      BOOST_TEST(corrupted == 2 * steps);
      auto c = open_with(t.cache("c"), server.url);
      BOOST_TEST(t.lookup_all(c) == 0);
      BOOST_TEST(c.remote_statistics().rejected >= static_cast<std::uint64_t>(steps));
      BOOST_TEST(c.remote_statistics().hits == 0u);
      for (int n = 0; n < steps; ++n)
        BOOST_TEST(!sys::exists((t.root + "/out/" + std::to_string(n) + ".o").c_str()).value());
    }
  }
}

BOOST_AUTO_TEST_CASE(a_server_killed_mid_transfer_leaves_nothing_half_written) {
  for (const server_case& sc : cases) {
    BOOST_TEST_CONTEXT(sc.kind << sc.suffix) {
      tree t;
      running server = start(sc, t.root + "/server");
      if (server.url.empty()) {
        BOOST_TEST_MESSAGE("skipped: " << server.why);
        continue;
      }
      const std::size_t total = 64u << 20;
      std::size_t sent = 0;
      bool killed = false;
      auto source = [&](vitte::span<std::byte> out) -> vitte::result<std::size_t> {
        if (sent >= (8u << 20) && !killed) {
          server.kill();
          killed = true;
        }
        const std::size_t n = std::min(out.size(), total - sent);
        std::memset(out.data(), 'k', n);
        sent += n;
        return n;
      };
      if (server.nginx) {
        http::client c;
        const std::string u = server.nginx->url() + "/vitte/cas/" + std::string(64, 'f');
        auto r = c.stream(http::method::put, u.c_str(), static_cast<std::int64_t>(total), source,
                          [](vitte::span<const std::byte>) -> vitte::status { return {}; });
        BOOST_TEST(!r);
        BOOST_TEST(killed);
        BOOST_REQUIRE(server.restart());
        auto after = c.get(u.c_str());
        BOOST_REQUIRE_MESSAGE(after, c.failure().c_str());
        BOOST_TEST(after->status == 404);
      } else {
        auto s =
            sys::socket::connect_to(sys::socket_address(sys::ip_address::loopback_v4(), server.redis->port())).value();
        const std::string head = "*3\r\n$3\r\nSET\r\n$10\r\nvitte:half\r\n$" + std::to_string(total) + "\r\n";
        BOOST_REQUIRE(s.send_all(head));
        std::vector<std::byte> piece(1 << 20);
        bool failed = false;
        while (sent < total && !failed) {
          auto n = source({piece.data(), piece.size()}).value();
          failed = !s.send_all({piece.data(), n}, sys::deadline::after(5s));
        }
        BOOST_TEST(killed);
        BOOST_REQUIRE(server.restart());
        auto r = redis(server.redis->port(), {bytes_of("EXISTS"), bytes_of("vitte:half")});
        BOOST_TEST(r[0].integer == 0);
      }
      // The cache over a server that dies while uploading: the build goes on.
      auto a = open_with(t.cache("a"), server.url);
      server.kill();
      t.store_all(a);
      BOOST_TEST(a.flush_remote(sys::deadline::after(60s)));
      BOOST_TEST(a.remote_statistics().uploads == 0u);
      BOOST_TEST(a.remote_statistics().dropped == 2u * steps);
      BOOST_TEST(a.remote_statistics().failures == 1u);
      BOOST_TEST(t.lookup_all(a) == steps);  // all local
    }
  }
}

BOOST_AUTO_TEST_CASE(read_only_clients_never_upload) {
  for (const server_case& sc : cases) {
    BOOST_TEST_CONTEXT(sc.kind << sc.suffix) {
      tree t;
      running server = start(sc, t.root + "/server");
      if (server.url.empty()) {
        BOOST_TEST_MESSAGE("skipped: " << server.why);
        continue;
      }
      {
        auto ro = open_with(t.cache("ro"), server.url + "|read-only");
        t.store_all(ro);
        BOOST_TEST(ro.flush_remote(sys::deadline::after(10s)));
        BOOST_TEST(ro.remote_statistics().uploads == 0u);
      }
      if (server.nginx) {
        BOOST_TEST(files_under(server.nginx->store()).empty());
      } else {
        BOOST_TEST(redis(server.redis->port(), {bytes_of("DBSIZE")})[0].integer == 0);
      }
      // A writer fills it; a read-only client still reads.
      {
        auto w = open_with(t.cache("w"), server.url);
        t.store_all(w);
        BOOST_REQUIRE(w.flush_remote(sys::deadline::after(60s)));
      }
      auto r = open_with(t.cache("r"), server.url + "|read-only");
      BOOST_TEST(t.lookup_all(r) == steps);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(unreachable)

// The secrets a remote cache is configured with (a bearer token, the URL's
// password, an extra header's value) against servers that echo them in
// every place a failure is reported from: status lines, Location, bodies,
// RESP errors. No log line, text or JSON, may show one, on lookups and on
// uploads.
const std::string token = "tk-5a1e9c0d77f2b384";
// The password holds the bytes quoting and percent-encoding render in two
// ways ('\\' as "\\\\", '%' as "%25"); the URLs carry it percent-encoded.
const std::string password = "pw-91cc\\0e%2b7d";

std::string percent_encoded(const std::string& v) {
  std::string out;
  for (unsigned char c : v) out += '%', out += "0123456789ABCDEF"[c >> 4], out += "0123456789ABCDEF"[c & 15];
  return out;
}
const std::string api_key = "kv-0f3d8e6a51";

std::string echoed(const std::string& request) {
  auto value_of = [&](const char* name) {
    const std::size_t at = request.find(name);
    if (at == std::string::npos) return std::string("(none)");
    const std::size_t from = at + std::strlen(name), end = request.find("\r\n", from);
    return request.substr(from, end - from);
  };
  // The password too, as a server that knows it might quote it.
  return value_of("Authorization: ") + " " + value_of("X-Api-Key: ") + " " + value_of("Authorization: Basic ") + " " +
         password;
}

// What the echoing HTTP server answers, by mode.
std::pair<std::string, bool> echo_reply(const std::string& mode, const std::string& request) {
  const std::string e = echoed(request);
  const bool put = request.rfind("PUT ", 0) == 0;
  if (mode == "403") return {"HTTP/1.1 403 " + e + "\r\nContent-Length: 0\r\n\r\n", false};
  if (mode == "401") return {"HTTP/1.1 401 no\r\nWWW-Authenticate: " + e + "\r\nContent-Length: 0\r\n\r\n", false};
  if (mode == "500")
    return {"HTTP/1.1 500 " + e + "\r\nContent-Length: " + std::to_string(e.size()) + "\r\n\r\n" + e, false};
  if (mode == "302")
    return {"HTTP/1.1 302 " + e + "\r\nLocation: /login?t=" + token + "\r\nContent-Length: 0\r\n\r\n", false};
  if (mode == "garbage" && !put)
    return {"HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(e.size()) + "\r\n\r\n" + e, false};
  if (mode == "bare-lf") return {"HTTP/1.1 200 " + e + "\nContent-Length: 0\n\n", true};
  if (mode == "not-http") return {e + "\r\n\r\n", true};
  if (mode == "truncated") return {"HTTP/1.1 200 " + e + "\r\nContent-Length: 99\r\n\r\n" + e, true};
  if (mode == "413" && put) return {"HTTP/1.1 413 " + e + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", true};
  return {"HTTP/1.1 404 " + e + "\r\nContent-Length: 0\r\n\r\n", false};
}

// A RESP server that refuses AUTH, quoting the password it was sent.
class echoing_redis {
 public:
  echoing_redis() {
    listener_ = sys::socket::listen(sys::socket_address::parse("127.0.0.1:0").value()).value();
    port_ = listener_.local_address().value().port();
    thread_ = sys::thread::spawn([this] { run(); }).value();
  }
  ~echoing_redis() {
    stop_ = true;
    (void)sys::socket::connect_to(sys::socket_address(sys::ip_address::loopback_v4(), port_));
    (void)thread_.join();
  }
  std::uint16_t port() const { return port_; }

 private:
  void run() {
    while (!stop_) {
      auto c = listener_.accept();
      if (!c || stop_) break;
      char buf[4096];
      auto n = c->receive(vitte::as_writable_bytes(vitte::span<char>(buf, sizeof buf)));
      if (!n || *n == 0) continue;
      const std::string in(buf, *n);
      const std::size_t at = in.find(password);
      const std::string quoted = at == std::string::npos ? in.substr(0, 40) : in.substr(at, password.size());
      (void)c->send_all(bytes_of("-WRONGPASS invalid password '" + quoted + "' \x1b[31m\r\n"));
    }
  }
  sys::socket listener_;
  std::uint16_t port_ = 0;
  sys::thread thread_;
  std::atomic<bool> stop_{false};
};

struct lines {
  std::vector<std::string> all;
  static void take(void* self, vitte::log::level, vitte::text_view line, vitte::text_view,
                   vitte::span<const vitte::log::field>) {
    static_cast<lines*>(self)->all.emplace_back(line);
  }
};

// `line` with one layer of escaping undone: \\ \" \xNN \u00NN (quoting, JSON),
// or %NN (percent-encoding).
std::string unescaped(const std::string& line, bool percent) {
  auto hex_at = [&](std::size_t i, std::size_t n) {
    if (i + n > line.size()) return -1;
    for (std::size_t k = i; k < i + n; ++k)
      if (!std::isxdigit(static_cast<unsigned char>(line[k]))) return -1;
    return std::stoi(line.substr(i, n), nullptr, 16);
  };
  std::string out;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    int v = -1;
    if (percent && c == '%' && (v = hex_at(i + 1, 2)) >= 0) {
      out += static_cast<char>(v);
      i += 2;
    } else if (!percent && c == '\\' && i + 1 < line.size() && (line[i + 1] == '\\' || line[i + 1] == '"')) {
      out += line[++i];
    } else if (!percent && c == '\\' && i + 1 < line.size() && line[i + 1] == 'x' && (v = hex_at(i + 2, 2)) >= 0) {
      out += static_cast<char>(v);
      i += 3;
    } else if (!percent && c == '\\' && i + 1 < line.size() && line[i + 1] == 'u' && (v = hex_at(i + 2, 4)) >= 0) {
      out += static_cast<char>(v);
      i += 5;
    } else {
      out += c;
    }
  }
  return out;
}

// A secret shows when the line holds it as is or under up to two layers of
// escaping (a quoted reason inside a JSON line) and percent-encoding.
bool shows_a_secret(const std::string& line) {
  const std::string once = unescaped(line, false), twice = unescaped(once, false);
  for (const std::string& l : {line, once, twice, unescaped(line, true), unescaped(once, true), unescaped(twice, true)})
    for (const std::string& s : {token, password, api_key})
      if (l.find(s) != std::string::npos) return true;
  return false;
}

BOOST_AUTO_TEST_CASE(no_log_line_shows_a_secret) {
  tree t;
  echoing_redis redis;
  std::vector<std::string> urls;
  const char* modes[] = {"403", "401", "500", "302", "garbage", "bare-lf", "not-http", "truncated", "413"};
  std::vector<std::unique_ptr<vitte_test::scripted_server>> servers;
  for (const char* mode : modes) {
    const std::string m = mode;
    // Concurrent: the cache's lookups and its uploads use a connection each,
    // both answered (one held open does not leave the other to time out).
    servers.push_back(std::make_unique<vitte_test::scripted_server>(
        [m](const std::string& request) { return echo_reply(m, request); }, /*hang=*/false, /*concurrent=*/true));
    urls.push_back("http://user:" + percent_encoded(password) + "@127.0.0.1:" + std::to_string(servers.back()->port()) +
                   "/c");
  }
  urls.push_back("redis://:" + percent_encoded(password) + "@127.0.0.1:" + std::to_string(redis.port()) + "/0");
  urls.push_back("redis://vitte:" + percent_encoded(password) + "@127.0.0.1:" + std::to_string(redis.port()) + "/0");
  int warnings = 0;
  for (const std::string& url : urls) {
    BOOST_TEST_CONTEXT(url.substr(url.rfind(':'))) {
      lines text_lines, json_lines;
      vitte::log::callback_sink as_text(&lines::take, &text_lines, {vitte::log::format::text, false, false});
      vitte::log::callback_sink as_json(&lines::take, &json_lines, {vitte::log::format::json, false, false});
      vitte::log::logger log(vitte::log::level::debug);
      BOOST_REQUIRE(log.add(as_text));
      BOOST_REQUIRE(log.add(as_json));
      {
        const std::string dir = t.cache(std::to_string(std::hash<std::string>{}(url)).c_str());
        auto c = cache::output_cache::open(text(dir.c_str())).value();
        auto o = cache::remote_options::parse((url + "|timeout=500").c_str()).value();
        o.retry_after = 0s;  // every exchange tried: each failure is logged
        o.headers.push_back(http::bearer(token.c_str()));
        o.headers.push_back({text("X-Api-Key"), text(api_key.c_str())});
        BOOST_REQUIRE(c.attach_remote(std::move(o), &log));
        BOOST_TEST(t.lookup_all(c) == 0);
        t.store_all(c);
        BOOST_TEST(c.flush_remote(sys::deadline::after(30s)));
      }
      BOOST_TEST(!text_lines.all.empty());
      BOOST_TEST(text_lines.all.size() == json_lines.all.size());
      for (const auto* l : {&text_lines, &json_lines})
        for (const std::string& line : l->all) {
          BOOST_TEST(!shows_a_secret(line), line);
          BOOST_TEST(line.find('\x1b') == std::string::npos, line);
          ++warnings;
        }
    }
  }
  BOOST_TEST_MESSAGE(warnings << " log lines checked");
}

// A Redis server whose connections are never read (a listener that never
// accepts: the kernel takes the first few megabytes, then nothing): a large
// SET ends at its deadline, timed out, naming the server, and the next
// exchange does too.
BOOST_AUTO_TEST_CASE(a_redis_server_that_stops_reading_ends_an_upload_at_its_deadline) {
  auto silent = sys::socket::listen(sys::socket_address::parse("127.0.0.1:0").value()).value();
  const std::string url = "redis://127.0.0.1:" + std::to_string(silent.local_address().value().port()) + "/0";
  auto o = cache::remote_options::parse(url.c_str()).value();
  auto backend = cache::detail::make_backend<sys::platform>(o).value();
  const std::string blob(64 << 20, 'x');  // far beyond the socket buffers
  const std::string hex(64, 'a');
  for (int round = 0; round < 2; ++round) {
    auto put = backend->put_pair(hex, bytes_of(blob), false, hex, bytes_of("entry"), sys::deadline::after(300ms));
    BOOST_REQUIRE(!put);
    BOOST_TEST(put.error() == errc::timed_out, put.error().message().c_str());
    const std::string f(backend->failure().data(), backend->failure().size());
    BOOST_TEST(f.find("redis " + url) == 0u, f);
  }
}

BOOST_AUTO_TEST_CASE(down_or_hanging_servers_cost_one_deadline) {
  tree t;
  // Down: nobody listens on the port.
  const std::uint16_t closed = vitte_test::free_port();
  // Hanging: a listener that never accepts; connections queue, nothing answers.
  auto silent = sys::socket::listen(sys::socket_address::parse("127.0.0.1:0").value()).value();
  const std::uint16_t hung = silent.local_address().value().port();
  for (const std::string& url :
       {"http://127.0.0.1:" + std::to_string(closed) + "/c", "http://127.0.0.1:" + std::to_string(hung) + "/c",
        "redis://127.0.0.1:" + std::to_string(hung) + "/0"}) {
    BOOST_TEST_CONTEXT(url) {
      const std::string dir = t.cache(std::to_string(std::hash<std::string>{}(url)).c_str());
      auto c = open_with(dir, url + "|timeout=300");
      BOOST_TEST(t.lookup_all(c) == 0);
      const auto st = c.remote_statistics();
      BOOST_TEST(st.failures == 1u);  // one exchange tried, the breaker opened
      BOOST_TEST(st.skipped == static_cast<std::uint64_t>(steps - 1));
      t.store_all(c);  // stores work locally; the uploads are dropped
      BOOST_TEST(c.flush_remote(sys::deadline::after(10s)));
      BOOST_TEST(t.lookup_all(c) == steps);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
