// A child process for tests/test_process.cpp: `helper_child MODE ARGS...`.
//
//   args ...        each argument after MODE as "<length>:<bytes>\n" (Windows:
//                   from GetCommandLineW through CommandLineToArgvW, in UTF-8)
//   env             every environment variable, one per line
//   cwd             the working directory
//   fds             the open descriptors, space-separated (POSIX)
//   exit N          exits with status N
//   sleep MS        sleeps, then exits 0
//   flood N         writes N bytes to stdout and N to stderr, interleaved
//   cat             copies stdin to stdout
//   grandchild F    starts a grandchild that sleeps, writes its pid to file F, sleeps
//
// Plain C++ and the OS's headers only: it must start fast and link alone.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#if defined(_WIN32)
#define WIN32_LEAN_AND_MEAN
#include <windows.h>  // first: shellapi.h needs it

#include <fcntl.h>
#include <io.h>
#include <shellapi.h>
#else
#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>
extern "C" char** environ;
#endif

namespace {

void put(const char* data, std::size_t n, bool to_err = false) {
  std::FILE* f = to_err ? stderr : stdout;
  std::fwrite(data, 1, n, f);
}

void sleep_ms(long ms) {
#if defined(_WIN32)
  ::Sleep(static_cast<DWORD>(ms));
#else
  ::usleep(static_cast<useconds_t>(ms) * 1000);
#endif
}

#if defined(_WIN32)
std::string narrow(const wchar_t* w) {
  int n = ::WideCharToMultiByte(CP_UTF8, 0, w, -1, nullptr, 0, nullptr, nullptr);
  std::string s(static_cast<std::size_t>(n > 0 ? n - 1 : 0), '\0');
  if (n > 1) ::WideCharToMultiByte(CP_UTF8, 0, w, -1, s.data(), n, nullptr, nullptr);
  return s;
}
#endif

std::vector<std::string> arguments(int argc, char** argv) {
  std::vector<std::string> out;
#if defined(_WIN32)
  (void)argc;
  (void)argv;
  int n = 0;
  wchar_t** w = ::CommandLineToArgvW(::GetCommandLineW(), &n);
  for (int i = 0; i < n; ++i) out.push_back(narrow(w[i]));
  ::LocalFree(w);
#else
  for (int i = 0; i < argc; ++i) out.emplace_back(argv[i]);
#endif
  return out;
}

int grandchild(const std::vector<std::string>& args) {
  if (args.size() < 3) return 2;
#if defined(_WIN32)
  std::wstring self(32768, L'\0');
  self.resize(::GetModuleFileNameW(nullptr, self.data(), static_cast<DWORD>(self.size())));
  std::wstring line = L"\"" + self + L"\" sleep 100000";
  STARTUPINFOW si{};
  si.cb = sizeof si;
  PROCESS_INFORMATION pi{};
  if (!::CreateProcessW(self.c_str(), line.data(), nullptr, nullptr, FALSE, 0, nullptr, nullptr, &si, &pi)) return 3;
  unsigned long pid = pi.dwProcessId;
  ::CloseHandle(pi.hThread);
  ::CloseHandle(pi.hProcess);
#else
  pid_t pid = ::fork();
  if (pid == 0) {
    for (;;) ::pause();
  }
  if (pid < 0) return 3;
#endif
  std::FILE* f = std::fopen(args[2].c_str(), "w");
  if (f == nullptr) return 4;
  std::fprintf(f, "%lu\n", static_cast<unsigned long>(pid));
  std::fclose(f);
  sleep_ms(100000000);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
#if defined(_WIN32)
  _setmode(_fileno(stdout), _O_BINARY);  // bytes as written: no \r added
  _setmode(_fileno(stderr), _O_BINARY);
  _setmode(_fileno(stdin), _O_BINARY);
#endif
  std::vector<std::string> args = arguments(argc, argv);
  if (args.size() < 2) return 2;
  const std::string& mode = args[1];
  if (mode == "args") {
    for (std::size_t i = 2; i < args.size(); ++i) {
      std::printf("%zu:", args[i].size());
      put(args[i].data(), args[i].size());
      put("\n", 1);
    }
    return 0;
  }
  if (mode == "env") {
#if defined(_WIN32)
    wchar_t* block = ::GetEnvironmentStringsW();
    for (const wchar_t* p = block; *p != L'\0'; p += std::wcslen(p) + 1) std::printf("%s\n", narrow(p).c_str());
    ::FreeEnvironmentStringsW(block);
#else
    for (char** e = environ; *e != nullptr; ++e) std::printf("%s\n", *e);
#endif
    return 0;
  }
  if (mode == "cwd") {
#if defined(_WIN32)
    wchar_t buf[32768];
    ::GetCurrentDirectoryW(32768, buf);
    std::printf("%s\n", narrow(buf).c_str());
#else
    char buf[4096];
    if (::getcwd(buf, sizeof buf) == nullptr) return 3;
    std::printf("%s\n", buf);
#endif
    return 0;
  }
  if (mode == "fds") {
#if !defined(_WIN32)
    bool first = true;
    for (int fd = 0; fd < 4096; ++fd) {
      if (::fcntl(fd, F_GETFD) < 0) continue;
      std::printf(first ? "%d" : " %d", fd);
      first = false;
    }
    std::printf("\n");
#endif
    return 0;
  }
  if (mode == "exit" && args.size() > 2) return std::atoi(args[2].c_str());
  if (mode == "sleep" && args.size() > 2) {
    sleep_ms(std::atol(args[2].c_str()));
    return 0;
  }
  if (mode == "flood" && args.size() > 2) {
    std::size_t total = std::strtoull(args[2].c_str(), nullptr, 10);
    std::vector<char> chunk(64 * 1024);
    for (std::size_t i = 0; i < chunk.size(); ++i) chunk[i] = static_cast<char>('a' + i % 26);
    for (std::size_t done = 0; done < total;) {
      std::size_t n = total - done < chunk.size() ? total - done : chunk.size();
      put(chunk.data(), n, false);
      put(chunk.data(), n, true);
      done += n;
    }
    return 0;
  }
  if (mode == "cat") {
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0) put(buf, n);
    return 0;
  }
  if (mode == "grandchild") return grandchild(args);
  return 2;
}
