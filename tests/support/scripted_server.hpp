// tests/support/scripted_server.hpp - an HTTP server on 127.0.0.1 whose
// answers a test writes by hand: the bytes to send for each request, and
// whether to close the connection after them. Portable (Windows too).
// Connections are served one at a time unless `concurrent`.
//
//   vitte_test::scripted_server s([](const std::string& request) {
//     return std::pair<std::string, bool>{"HTTP/1.1 204 No Content\r\n\r\n", false};
//   });
//   client.get(s.url("/x"));  s.requests();  s.connections();
#ifndef VITTE_TESTS_SUPPORT_SCRIPTED_SERVER_HPP
#define VITTE_TESTS_SUPPORT_SCRIPTED_SERVER_HPP

#include <vitte/sys/mutex.hpp>
#include <vitte/sys/net.hpp>
#include <vitte/sys/thread.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace vitte_test {

// A scripted server on 127.0.0.1: for each request it receives (head and a
// Content-Length or chunked body), `reply` returns the bytes to send and
// whether to close the connection afterwards. `hang` accepts and never
// answers. `concurrent` serves each connection on a thread of its own (a
// client holding one connection open does not keep another waiting);
// otherwise one connection at a time, in the order accepted. Counts
// connections; keeps every request's raw bytes.
class scripted_server {
 public:
  using reply_fn = std::function<std::pair<std::string, bool>(const std::string& request)>;

  explicit scripted_server(reply_fn reply, bool hang = false, bool concurrent = false)
      : reply_(std::move(reply)), hang_(hang), concurrent_(concurrent) {
    listener_ = vitte::sys::socket::listen(vitte::sys::socket_address::parse("127.0.0.1:0").value()).value();
    port_ = listener_.local_address().value().port();
    thread_ = vitte::sys::thread::spawn([this] { run(); }).value();
  }
  ~scripted_server() {
    stop_ = true;
    {
      std::lock_guard<vitte::sys::mutex> hold(m_);
      if (current_ != nullptr) (void)current_->shutdown(vitte::sys::shutdown_how::both);  // a client may keep it open
      for (vitte::sys::socket* s : open_) (void)s->shutdown(vitte::sys::shutdown_how::both);
    }
    (void)vitte::sys::socket::connect_to(vitte::sys::socket_address(vitte::sys::ip_address::loopback_v4(), port_));
    (void)thread_.join();
  }
  std::string url(const char* path = "/") const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  int connections() const { return connections_.load(); }
  std::vector<std::string> requests() {
    std::lock_guard<vitte::sys::mutex> hold(m_);
    return requests_;
  }
  std::uint16_t port() const { return port_; }

 private:
  static bool complete(const std::string& r, std::size_t& length) {
    const std::size_t end = r.find("\r\n\r\n");
    if (end == std::string::npos) return false;
    const std::size_t cl = r.find("Content-Length: ");
    if (cl != std::string::npos && cl < end) {
      length = end + 4 + std::stoul(r.substr(cl + 16));
      return r.size() >= length;
    }
    if (r.find("Transfer-Encoding: chunked") < end) {
      const std::size_t z = r.find("\r\n0\r\n\r\n", end);
      if (z == std::string::npos) return false;
      length = z + 7;
      return true;
    }
    length = end + 4;
    return true;
  }

  void run() {
    std::vector<vitte::sys::socket> hung;
    std::vector<vitte::sys::thread> workers;  // joined when run() returns
    while (!stop_) {
      auto c = listener_.accept();
      if (!c || stop_) break;
      ++connections_;
      if (hang_) {
        hung.push_back(std::move(*c));
        continue;
      }
      if (concurrent_) {
        serve_apart(std::move(*c), workers);
        continue;
      }
      {
        std::lock_guard<vitte::sys::mutex> hold(m_);
        current_ = &*c;
      }
      serve(*c);
      std::lock_guard<vitte::sys::mutex> hold(m_);
      current_ = nullptr;
    }
  }

  // Serves `c` on a thread of its own; the destructor shuts it down while open.
  void serve_apart(vitte::sys::socket c, std::vector<vitte::sys::thread>& workers) {
    auto owned = std::make_shared<vitte::sys::socket>(std::move(c));
    {
      std::lock_guard<vitte::sys::mutex> hold(m_);
      if (stop_) return;
      open_.push_back(owned.get());
    }
    workers.push_back(vitte::sys::thread::spawn([this, owned] {
                        serve(*owned);
                        std::lock_guard<vitte::sys::mutex> hold(m_);
                        std::erase(open_, owned.get());
                      }).value());
  }

  void serve(vitte::sys::socket& c) {
    std::string in;
    char buf[65536];
    for (;;) {
      auto n = c.receive(vitte::as_writable_bytes(vitte::span<char>(buf, sizeof buf)));
      if (!n || *n == 0) break;
      in.append(buf, *n);
      std::size_t length = 0;
      bool closed = false;
      while (complete(in, length)) {
        const std::string req = in.substr(0, length);
        in.erase(0, length);
        {
          std::lock_guard<vitte::sys::mutex> hold(m_);
          requests_.push_back(req);
        }
        auto [out, close] = reply_(req);
        (void)c.send_all(out);
        if (close) {
          closed = true;
          break;
        }
      }
      if (closed) break;
    }
  }

  reply_fn reply_;
  bool hang_;
  bool concurrent_;
  vitte::sys::socket listener_;
  std::uint16_t port_ = 0;
  vitte::sys::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  vitte::sys::mutex m_;
  std::vector<std::string> requests_;
  vitte::sys::socket* current_ = nullptr;
  std::vector<vitte::sys::socket*> open_;  // concurrent connections being served
};

}  // namespace vitte_test

#endif  // VITTE_TESTS_SUPPORT_SCRIPTED_SERVER_HPP
