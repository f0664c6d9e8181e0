// bench/bench_package.cpp - the build kit's release side against what a
// shell script or another library does, in the same run (JSON lines,
// docs/BENCHMARKS.md):
//   toolchain.list      list_compilers() vs reading PATH's directories (the
//                       floor) and one `gcc -dumpversion` (what asking a
//                       compiler costs: list_compilers runs none)
//   signify.verify      a 4 KiB SHA256SUMS.sig vs libsodium's Ed25519 verify
//                       (when found)
//   package.make        make_package() of a 4 MiB tree (tar.gz, signed) vs
//                       GNU `tar -czf` + `sha256sum` (processes, as a script)
//   package.verify      verify_package() vs `sha256sum -c` + `signify-openbsd -C`
//   package.rpm         make_package_archive() of the tree as an .rpm vs
//                       `rpmbuild -bb` of a spec installing the same tree
//                       (gzip payload at the same level, no post-install
//                       scripts), when rpmbuild is installed
//   package.msi         the tree as an .msi vs `wixl` of a .wxs listing the
//                       same files (when wixl is installed)
//   package.stream      make_package() of a tree holding one 2 GiB file
//                       (sparse; VITTE_BENCH_STREAM_MIB sets its size) into
//                       each format, in a child process: its peak RSS
//                       (getrusage's ru_maxrss, "peak_rss_kib") against the
//                       64 MiB bound, and the time taken. An .msi's file is
//                       2 GiB - 32 KiB at most (what one cabinet folder
//                       holds), so its line packs a file of that size. No
//                       baseline: the line is a figure, not a comparison.
//   package.verify_stream  verify_package() of each of those packages, in a
//                       child process: its peak RSS against the same bound
//                       (a tar, tar.gz and .deb are read in pieces; an
//                       .rpm, .msi and .pkg still whole), and the time.
#include <vitte/release/package.hpp>
#include <vitte/release/signify.hpp>
#include <vitte/sys/directory.hpp>
#include <vitte/sys/environment.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/whole_file.hpp>
#include <vitte/toolchain/toolchain.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#if VITTE_BENCH_HAS_SODIUM
#include <sodium.h>
#endif

#include "harness.hpp"
#include "support/programs.hpp"

namespace toolchain = vitte::toolchain;
namespace release = vitte::release;
namespace sg = vitte::release::signify;
namespace sys = vitte::sys;

namespace {

using vitte_test::have;

// A tree of 200 files: text, and bytes that compress less.
void make_tree(const std::string& root) {
  std::uint32_t x = 12345;
  for (int d = 0; d < 10; ++d) {
    const std::string dir = root + "/dir" + std::to_string(d);
    (void)sys::create_directories(dir);
    for (int f = 0; f < 20; ++f) {
      std::string body;
      for (int i = 0; i < 20000; ++i) {
        x = x * 1103515245u + 12345u;
        body += f % 2 == 0 ? static_cast<char>('a' + (x >> 16) % 8) : static_cast<char>(x >> 24);
      }
      (void)sys::write_file(dir + "/file" + std::to_string(f) + (f % 2 == 0 ? ".txt" : ".bin"), vitte::text_view(body));
    }
  }
}

/// A .wxs installing every file of tree/ (dirN/fileM; wixl takes sources
/// relative to where it runs) under ProgramFiles64Folder\bench, as
/// `vitte package --format msi` does.
std::string wix_source() {
  std::string w =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
      "<Wix xmlns=\"http://schemas.microsoft.com/wix/2006/wi\">\n"
      " <Product Id=\"{11111111-2222-3333-4444-555555555555}\" Name=\"bench\" Language=\"1033\" Version=\"1.0.0\""
      " Manufacturer=\"bench\" UpgradeCode=\"{66666666-7777-8888-9999-000000000000}\">\n"
      "  <Package InstallerVersion=\"500\" Compressed=\"yes\" InstallScope=\"perMachine\" Platform=\"x64\"/>\n"
      "  <Media Id=\"1\" Cabinet=\"product.cab\" EmbedCab=\"yes\"/>\n"
      "  <Directory Id=\"TARGETDIR\" Name=\"SourceDir\"><Directory Id=\"ProgramFiles64Folder\">"
      "<Directory Id=\"INSTALLDIR\" Name=\"bench\">\n";
  std::string refs;
  for (int d = 0; d < 10; ++d) {
    w += "   <Directory Id=\"d" + std::to_string(d) + "\" Name=\"dir" + std::to_string(d) + "\">\n";
    for (int f = 0; f < 20; ++f) {
      const std::string id = std::to_string(d) + "_" + std::to_string(f);
      char guid[64];
      std::snprintf(guid, sizeof guid, "{%08d-0000-0000-0000-000000000000}", d * 100 + f);
      w += "    <Component Id=\"c" + id + "\" Guid=\"" + guid + "\" Win64=\"yes\"><File Id=\"f" + id +
           "\" Source=\"tree/dir" + std::to_string(d) + "/file" + std::to_string(f) + (f % 2 == 0 ? ".txt" : ".bin") +
           "\" KeyPath=\"yes\"/></Component>\n";
      refs += "   <ComponentRef Id=\"c" + id + "\"/>\n";
    }
    w += "   </Directory>\n";
  }
  w += "  </Directory></Directory></Directory>\n  <Feature Id=\"Complete\" Level=\"1\">\n" + refs +
       "  </Feature>\n </Product>\n</Wix>\n";
  return w;
}

/// Runs `work` (true when it succeeded) in a child process: its peak RSS
/// (KiB) and the time it took, or -1 when it failed.
template <class F>
long long peak_rss_of(F&& work, double& seconds) {
  const auto t0 = std::chrono::steady_clock::now();
  const pid_t child = ::fork();
  if (child == 0) ::_exit(work() ? 0 : 1);
  int status = 0;
  struct rusage use{};
  if (child < 0 || ::wait4(child, &status, 0, &use) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return -1;
  seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return use.ru_maxrss;  // KiB on Linux
}

/// Packages `tree` as `format` into `out` in a child process: its peak RSS
/// (KiB) and the time it took, or -1 when it failed.
long long peak_rss_of_package(const std::string& tree, const std::string& out, release::package_format format,
                              double& seconds) {
  return peak_rss_of(
      [&] {
        release::package_options o;
        o.name = "stream";
        o.version = "1.0.0";
        o.format = format;
        o.target = format == release::package_format::pkg   ? "aarch64-apple-darwin"
                   : format == release::package_format::msi ? "x86_64-pc-windows-msvc"
                                                            : "x86_64-unknown-linux-gnu";
        o.mtime = 1'700'000'000;
        o.shlib_depends = false;
        o.description = "a large file\nstreamed";
        return static_cast<bool>(release::make_package(tree, out, o));
      },
      seconds);
}

/// One package.stream or package.verify_stream line.
void print_stream_line(const char* bench, release::package_format f, long long bytes, long long rss, double seconds) {
  std::printf(
      "{\"bench\": \"%s\", \"impl\": \"vitte %s\", \"file_bytes\": %lld, \"peak_rss_kib\": %lld, "
      "\"limit_kib\": 65536, \"median_ns\": %.0f, \"min_ns\": %.0f, \"max_ns\": %.0f, \"reps\": 1, \"batch\": 1}\n",
      bench, std::string(release::to_string(f)).c_str(), bytes, rss, seconds * 1e9, seconds * 1e9, seconds * 1e9);
  std::fflush(stdout);
}

}  // namespace

int main() {
  {  // toolchain.list
    bench::suite s{"toolchain.list", 9};
    s.add("vitte", [] { return toolchain::list_compilers().value().size(); });
    s.add("readdir PATH", [] {
      std::size_t n = 0;
      std::string path(sys::get_env("PATH").value().view());
      std::size_t start = 0;
      while (start <= path.size()) {
        const std::size_t colon = path.find(':', start);
        const std::string dir = path.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
        if (DIR* d = ::opendir(dir.c_str())) {
          while (::readdir(d) != nullptr) ++n;
          ::closedir(d);
        }
        if (colon == std::string::npos) break;
        start = colon + 1;
      }
      return n;
    });
    if (have("gcc")) s.add("gcc -dumpversion", [] { return std::system("gcc -dumpversion >/dev/null"); });
    s.batch_size(4).run();
  }

  vitte::crypto::ed25519::seed seed{};
  seed.fill(7);
  const sg::secret_key key = sg::from_key_pair(vitte::crypto::ed25519::key_pair_from_seed(seed));
  const sg::public_key pub = sg::public_of(key);
  {  // signify.verify
    std::string list;
    while (list.size() < 4096)
      list += "SHA256 (file" + std::to_string(list.size()) + ".tar.gz) = " + std::string(64, 'a') + "\n";
    const vitte::span<const std::byte> msg(reinterpret_cast<const std::byte*>(list.data()), list.size());
    const std::string sig(sg::sign(key, msg, "verify with bench.pub", true).view());
    bench::suite s{"signify.verify"};
    s.add("vitte", [&] { return sg::verify_embedded(pub, sig).has_value(); });
#if VITTE_BENCH_HAS_SODIUM
    if (sodium_init() >= 0) {
      unsigned char pk[32], sk[64], raw[64];
      crypto_sign_seed_keypair(pk, sk, seed.data());
      crypto_sign_detached(raw, nullptr, reinterpret_cast<const unsigned char*>(list.data()), list.size(), sk);
      s.add("libsodium", [&, pk0 = std::string(reinterpret_cast<char*>(pk), 32),
                          raw0 = std::string(reinterpret_cast<char*>(raw), 64)] {
        return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(raw0.data()),
                                           reinterpret_cast<const unsigned char*>(list.data()), list.size(),
                                           reinterpret_cast<const unsigned char*>(pk0.data()));
      });
    }
#endif
    s.run();
  }

  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string root(t.path());
  make_tree(root + "/tree");
  release::package_options o;
  o.name = "bench";
  o.version = "1.0";
  o.target = "x86_64-unknown-linux-gnu";
  o.key = &key;
  o.level = 6;
  {  // package.make
    bench::suite s{"package.make", 7};
    s.add("vitte", [&] { return release::make_package(root + "/tree", root + "/dist", o).value().size; });
    if (have("tar") && have("sha256sum"))
      s.add("tar -czf + sha256sum", [&] {
        return std::system(("cd '" + root +
                            "' && tar --sort=name --owner=0 --group=0 --mtime=@0 -czf script.tar.gz tree" +
                            " && sha256sum script.tar.gz > SCRIPT.SUMS")
                               .c_str());
      });
    s.batch_size(1).run();
  }
  {  // package.verify
    const std::string pub_file = root + "/bench.pub";
    (void)sys::write_file(pub_file, sg::public_key_file(pub, "bench").view());
    bench::suite s{"package.verify", 7};
    s.add("vitte", [&] { return release::verify_package(root + "/dist", &pub).has_value(); });
    if (have("sha256sum") && have("signify-openbsd"))
      s.add("sha256sum -c + signify -C", [&] {
        return std::system(("cd '" + root + "/dist' && sha256sum --quiet -c SHA256SUMS && signify-openbsd -C -q -p '" +
                            pub_file + "' -x SHA256SUMS.sig")
                               .c_str());
      });
    s.batch_size(1).run();
  }
  {  // package.rpm
    release::package_options r = o;
    r.format = release::package_format::rpm;
    r.key = nullptr;
    r.prefix = "/usr/share/bench";
    const std::string spec = root + "/bench.spec";
    (void)sys::write_file(spec,
                          vitte::text_view("Name: bench\nVersion: 1.0\nRelease: 1\nSummary: bench\n"
                                           "License: unknown\nBuildArch: x86_64\n%description\nbench\n"
                                           "%install\nmkdir -p %{buildroot}/usr/share\n"
                                           "cp -a " +
                                           root + "/tree %{buildroot}/usr/share/bench\n%files\n/usr/share/bench\n"));
    bench::suite s{"package.rpm", 7};
    s.add("vitte", [&] { return release::make_package_archive(root + "/tree", r).value().bytes.size(); });
    const std::string rpmbuild = "rpmbuild -bb --quiet --define '_topdir " + root +
                                 "/rpmbuild' --define '_binary_payload w6.gzdio' --define '__os_install_post %{nil}'"
                                 " --define 'debug_package %{nil}' '" +
                                 spec + "' >/dev/null 2>&1";
    if (have("rpmbuild") && std::system(rpmbuild.c_str()) == 0)  // measured only when it works
      s.add("rpmbuild -bb", [&] { return std::system(rpmbuild.c_str()); });
    s.batch_size(1).run();
  }
  {  // package.msi
    release::package_options m = o;
    m.format = release::package_format::msi;
    m.key = nullptr;
    m.version = "1.0.0";
    m.target = "x86_64-pc-windows-msvc";
    const std::string wxs = root + "/bench.wxs";
    (void)sys::write_file(wxs, vitte::text_view(wix_source()));
    bench::suite s{"package.msi", 7};
    s.add("vitte", [&] { return release::make_package_archive(root + "/tree", m).value().bytes.size(); });
    const std::string wixl = "cd '" + root + "' && wixl -a x64 -o bench.msi bench.wxs >/dev/null 2>&1";
    if (have("wixl") && std::system(wixl.c_str()) == 0)  // measured only when it works
      s.add("wixl", [&] { return std::system(wixl.c_str()); });
    s.batch_size(1).run();
  }
  {  // package.stream
    const char* mib_env = std::getenv("VITTE_BENCH_STREAM_MIB");
    const long long mib = mib_env != nullptr && std::atoll(mib_env) > 0 ? std::atoll(mib_env) : 2048;
    const std::string tree = root + "/stream-tree";
    (void)sys::create_directories(tree + "/share");
    const std::string large = tree + "/share/large";
    for (const auto f : {release::package_format::tar_gz, release::package_format::tar, release::package_format::deb,
                         release::package_format::rpm, release::package_format::pkg, release::package_format::msi}) {
      // An .msi's largest file: 65535 cabinet blocks of 32 KiB.
      const long long most = f == release::package_format::msi ? 65535LL * 32768 : mib << 20;
      const long long bytes = (mib << 20) < most ? mib << 20 : most;
      const int fd = ::open(large.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const bool made = fd >= 0 && ::ftruncate(fd, static_cast<off_t>(bytes)) == 0;
      if (fd >= 0) ::close(fd);
      if (!made) break;
      const std::string out = root + "/stream-" + std::string(release::to_string(f));
      double seconds = 0;
      const long long rss = peak_rss_of_package(tree, out, f, seconds);
      print_stream_line("package.stream", f, bytes, rss, seconds);
      double verify_seconds = 0;
      const long long verify_rss =
          rss < 0
              ? -1
              : peak_rss_of([&] { return static_cast<bool>(release::verify_package(out, nullptr)); }, verify_seconds);
      (void)sys::remove_all(out);  // gigabytes: gone before the next
      print_stream_line("package.verify_stream", f, bytes, verify_rss, verify_seconds);
    }
    (void)sys::remove_all(tree);
  }
  return 0;
}
