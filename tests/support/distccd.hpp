// tests/support/distccd.hpp - a real distccd on 127.0.0.1 for the tests
// (Linux hosts only: VITTE_TEST_DISTCCD says so), stopped with its workers
// when the object goes, and by the kernel when the test dies first.
#ifndef VITTE_TESTS_SUPPORT_DISTCCD_HPP
#define VITTE_TESTS_SUPPORT_DISTCCD_HPP

#if defined(__linux__) && !defined(VITTE_TEST_CROSS)
#include <vitte/sys/net.hpp>
#include <vitte/sys/time.hpp>
#include <vitte/toolchain/distcc.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#define VITTE_TEST_DISTCCD 1

namespace vitte_test {

// A port free now on 127.0.0.1 (the OS's pick, released).
inline std::uint16_t free_port() {
  auto l = vitte::sys::socket::listen(vitte::sys::socket_address::parse("127.0.0.1:0").value()).value();
  return l.local_address().value().port();
}

// A distccd on 127.0.0.1, stopped (with its workers) when destroyed, and
// by the kernel when this process dies first (PR_SET_PDEATHSIG).
class distccd {
 public:
  distccd(const std::string& exe, const std::string& log) : port_(free_port()) {
    const std::string port = std::to_string(port_);
    std::vector<std::string> args = {exe,  "--daemon", "--no-detach", "--listen",     "127.0.0.1", "--port",
                                     port, "--allow",  "127.0.0.1",   "--log-stderr", "--jobs",    "2"};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ == 0) {
      (void)::prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (::getppid() != parent) ::_exit(127);
      const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      const int null = ::open("/dev/null", O_RDONLY);
      if (out >= 0) (void)::dup2(out, 2), (void)::dup2(out, 1);
      if (null >= 0) (void)::dup2(null, 0);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  }
  distccd(const distccd&) = delete;
  distccd& operator=(const distccd&) = delete;
  ~distccd() { stop(); }

  // True once it accepts connections (10 s at most).
  bool ready() const {
    if (pid_ <= 0) return false;
    const auto a =
        vitte::sys::socket_address::parse(vitte::text_view(std::string("127.0.0.1:") + std::to_string(port_))).value();
    for (int i = 0; i < 200; ++i) {
      if (vitte::sys::socket::connect_to(a, vitte::sys::deadline::after(std::chrono::milliseconds(200)))) return true;
      int st = 0;
      if (const pid_t w = ::waitpid(pid_, &st, WNOHANG); w != 0) {
        BOOST_TEST_MESSAGE("distccd (pid " << pid_ << ") ended: waitpid " << w << ", status " << st);
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  // SIGTERM (distccd then ends its process group, its workers), then
  // SIGKILL to whatever is left of the group.
  void stop() {
    if (pid_ <= 0) return;
    (void)::kill(pid_, SIGTERM);
    int st = 0;
    bool reaped = false;
    for (int i = 0; i < 100 && !reaped; ++i) {
      reaped = ::waitpid(pid_, &st, WNOHANG) == pid_;
      if (!reaped) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    (void)::kill(-pid_, SIGKILL);  // its group (distccd leads one of its own)
    if (!reaped) {
      (void)::kill(pid_, SIGKILL);
      (void)::waitpid(pid_, &st, 0);
    }
    pid_ = -1;
  }
  vitte::toolchain::distcc_host host() const { return {vitte::text("127.0.0.1"), port_, 2}; }
  std::string where() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  std::uint16_t port_;
  pid_t pid_ = -1;
};

}  // namespace vitte_test
#endif

#endif  // VITTE_TESTS_SUPPORT_DISTCCD_HPP
