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
#include <vitte/release/package.hpp>
#include <vitte/release/signify.hpp>
#include <vitte/sys/directory.hpp>
#include <vitte/sys/environment.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/whole_file.hpp>
#include <vitte/toolchain/toolchain.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

#include <dirent.h>

#if VITTE_BENCH_HAS_SODIUM
#include <sodium.h>
#endif

#include "harness.hpp"
#include "support/programs.hpp"

namespace build = vitte::build;
namespace sg = vitte::build::signify;
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

}  // namespace

int main() {
  {  // toolchain.list
    bench::suite s{"toolchain.list", 9};
    s.add("vitte", [] { return build::list_compilers().value().size(); });
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
  build::package_options o;
  o.name = "bench";
  o.version = "1.0";
  o.target = "x86_64-unknown-linux-gnu";
  o.key = &key;
  o.level = 6;
  {  // package.make
    bench::suite s{"package.make", 7};
    s.add("vitte", [&] { return build::make_package(root + "/tree", root + "/dist", o).value().size; });
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
    s.add("vitte", [&] { return build::verify_package(root + "/dist", &pub).has_value(); });
    if (have("sha256sum") && have("signify-openbsd"))
      s.add("sha256sum -c + signify -C", [&] {
        return std::system(("cd '" + root + "/dist' && sha256sum --quiet -c SHA256SUMS && signify-openbsd -C -q -p '" +
                            pub_file + "' -x SHA256SUMS.sig")
                               .c_str());
      });
    s.batch_size(1).run();
  }
  return 0;
}
