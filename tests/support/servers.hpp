// tests/support/servers.hpp - real servers for tests and benchmarks: nginx
// (WebDAV PUT/DELETE, as a Bazel or ccache HTTP cache) and redis-server,
// started on 127.0.0.1 on a free port, in a directory of their own, and
// stopped (SIGTERM, then SIGKILL) when the object goes away.
//
//   auto s = vitte_test::nginx_server::start(dir);   // !s: s.why() says why (not installed, ...)
//   s->url();                                        // "http://127.0.0.1:PORT"
//   s->kill(); s->restart();                         // the same port and store
//
// POSIX only (the tests that use it run on native Linux builds).
#ifndef VITTE_TESTS_SUPPORT_SERVERS_HPP
#define VITTE_TESTS_SUPPORT_SERVERS_HPP

#include <vitte/sys/fs.hpp>
#include <vitte/sys/net.hpp>
#include <vitte/sys/path_ops.hpp>
#include <vitte/sys/process.hpp>
#include <vitte/sys/whole_file.hpp>

#include <chrono>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace vitte_test {

namespace sys = vitte::sys;
using namespace std::chrono_literals;

/// A port nobody listens on at this moment (bound, then released).
inline std::uint16_t free_port() {
  auto s = sys::socket::listen(sys::socket_address::parse("127.0.0.1:0").value()).value();
  return s.local_address().value().port();
}

/// Waits until 127.0.0.1:port accepts connections.
inline bool wait_listening(std::uint16_t port, std::chrono::milliseconds limit = 10s) {
  const auto d = sys::deadline::after(limit);
  while (!d.expired()) {
    auto c =
        sys::socket::connect_to(sys::socket_address(sys::ip_address::loopback_v4(), port), sys::deadline::after(200ms));
    if (c) return true;
    (void)sys::sleep_for(20ms);
  }
  return false;
}

/// The path of `name` on PATH or in the sbin directories; empty when absent.
inline std::string find_server(const char* name) {
  if (auto p = sys::find_program(name); p) return std::string(p->c_str());
  for (const char* dir : {"/usr/sbin/", "/usr/local/sbin/", "/usr/bin/"}) {
    std::string p = std::string(dir) + name;
    if (::access(p.c_str(), X_OK) == 0) return p;
  }
  return {};
}

/// A server process started by a test.
class server {
 public:
  server() = default;
  server(server&&) = default;
  server& operator=(server&&) = default;
  ~server() { stop(); }

  std::uint16_t port() const { return port_; }
  const std::string& dir() const { return dir_; }
  /// SIGKILL, no clean-up: what a crash or a power cut does.
  void kill() {
    if (child_.running()) {
      (void)child_.signal(sys::process_signal_kind::kill);
      (void)child_.wait(sys::deadline::after(10s));
    }
  }
  /// SIGTERM and wait (SIGKILL after 10 s).
  void stop() {
    if (!child_.running()) return;
    (void)child_.signal(sys::process_signal_kind::terminate);
    if (!child_.wait(sys::deadline::after(10s))) kill();
  }
  /// Starts it again on the same port with the same data.
  bool restart() {
    stop();
    return launch();
  }

 protected:
  bool launch() {
    auto c = command_();
    auto child = c.spawn();
    if (!child) return false;
    child_ = std::move(*child);
    return wait_listening(port_);
  }

  std::uint16_t port_ = 0;
  std::string dir_;
  std::function<sys::command()> command_;
  sys::child child_;
};

/// nginx serving `dir/store` with WebDAV PUT and DELETE (create_full_put_path).
class nginx_server : public server {
 public:
  /// Why start() failed (empty after a success).
  static std::string& why() {
    static std::string w;
    return w;
  }
  /// Starts nginx under `dir` (created if needed). Empty with why() set
  /// when nginx is not installed or does not start.
  static std::optional<nginx_server> start(const std::string& dir) {
    const std::string exe = find_server("nginx");
    if (exe.empty()) {
      why() = "nginx is not installed (Debian: nginx-extras; scripts/test installs it)";
      return std::nullopt;
    }
    for (int attempt = 0; attempt < 5; ++attempt) {
      nginx_server s;
      s.dir_ = dir;
      s.port_ = free_port();
      s.store_ = dir + "/store";
      const std::string body = dir + "/body";
      (void)sys::create_directories(s.store_.c_str());
      (void)sys::create_directories(body.c_str());
      std::string user;
      if (::geteuid() == 0) {
        // Workers run as nobody: they own the store and the body temp path.
        const passwd* pw = ::getpwnam("nobody");
        if (pw != nullptr) {
          for (const std::string& p : {dir, s.store_, body}) {
            ::chmod(p.c_str(), 0755);
            (void)::chown(p.c_str(), pw->pw_uid, pw->pw_gid);
          }
          for (std::string up(sys::parent_path(dir.c_str())); up.size() > 1;
               up = std::string(sys::parent_path(up.c_str())))
            ::chmod(up.c_str(), 0755 | (up == "/tmp" ? 01777 : 0));
          const group* gr = ::getgrgid(pw->pw_gid);
          user = "user nobody " + std::string(gr != nullptr ? gr->gr_name : "nogroup") + ";\n";
        }
      }
      // One process (no master): SIGKILL takes the whole server down, as a
      // crash does. With a master, its worker would live on, orphaned,
      // holding the port, and a restarted nginx could not bind it.
      const std::string conf = user + "daemon off;\nmaster_process off;\npid " + dir + "/nginx.pid;\nerror_log " + dir +
                               "/error.log warn;\nevents { worker_connections 1024; }\nhttp {\n"
                               "  access_log off;\n  client_body_temp_path " +
                               body +
                               ";\n"
                               "  proxy_temp_path " +
                               dir + "/proxy;\n  fastcgi_temp_path " + dir +
                               "/fastcgi;\n"
                               "  uwsgi_temp_path " +
                               dir + "/uwsgi;\n  scgi_temp_path " + dir +
                               "/scgi;\n"
                               "  keepalive_requests 1000000;\n  keepalive_timeout 60s;\n"
                               "  server {\n    listen 127.0.0.1:" +
                               std::to_string(s.port_) +
                               ";\n"
                               "    root " +
                               s.store_ +
                               ";\n    client_max_body_size 0;\n"
                               "    location / {\n      dav_methods PUT DELETE;\n      create_full_put_path on;\n"
                               "      dav_access user:rw group:r all:r;\n    }\n  }\n}\n";
      const std::string conf_path = dir + "/nginx.conf";
      (void)sys::write_file(conf_path.c_str(), conf);
      s.command_ = [exe, dir, conf_path] {
        sys::command c{vitte::text(exe.c_str())};
        c.args({"-p", dir.c_str(), "-c", conf_path.c_str(), "-e", (dir + "/error.log").c_str()});
        c.out(sys::stdio::null()).err(sys::stdio::null());
        return c;
      };
      if (s.launch()) {
        why().clear();
        return s;
      }
      s.kill();
    }
    auto log = sys::read_file((dir + "/error.log").c_str());
    why() = "nginx did not start: " + (log ? std::string(reinterpret_cast<const char*>(log->data()), log->size())
                                           : std::string("(no error log)"));
    return std::nullopt;
  }

  /// "http://127.0.0.1:PORT".
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  /// The directory nginx serves.
  const std::string& store() const { return store_; }

 private:
  std::string store_;
};

/// redis-server with no persistence, on 127.0.0.1.
class redis_server : public server {
 public:
  static std::string& why() {
    static std::string w;
    return w;
  }
  static std::optional<redis_server> start(const std::string& dir) {
    const std::string exe = find_server("redis-server");
    if (exe.empty()) {
      why() = "redis-server is not installed (Debian: redis-server; scripts/test installs it)";
      return std::nullopt;
    }
    (void)sys::create_directories(dir.c_str());
    for (int attempt = 0; attempt < 5; ++attempt) {
      redis_server s;
      s.dir_ = dir;
      s.port_ = free_port();
      const std::string port = std::to_string(s.port_);
      s.command_ = [exe, dir, port] {
        sys::command c{vitte::text(exe.c_str())};
        c.args({"--port", port.c_str(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.c_str(),
                "--daemonize", "no"});
        c.out(sys::stdio::null()).err(sys::stdio::null());
        return c;
      };
      if (s.launch()) {
        why().clear();
        return s;
      }
      s.kill();
    }
    why() = "redis-server did not start";
    return std::nullopt;
  }
  /// "redis://127.0.0.1:PORT/0".
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_) + "/0"; }
};

}  // namespace vitte_test

#endif  // VITTE_TESTS_SUPPORT_SERVERS_HPP
