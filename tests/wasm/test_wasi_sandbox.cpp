// The WASI sandbox alone (vitte/wasm/wasi/sandbox.hpp): resolve_path over a
// temporary directory, without a program or guest memory. Every way out of
// the granted directory is refused with its errno (.., absolute paths,
// links out, link loops, NUL, over-long names), and paths inside resolve to
// the directory and name that really hold them.
#include <vitte/base/config.hpp>
#include <vitte/sys/directory.hpp>
#include <vitte/sys/fs.hpp>
#include <vitte/sys/platform.hpp>
#include <vitte/wasm/wasi/abi.hpp>
#include <vitte/wasm/wasi/sandbox.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/test/unit_test.hpp>

namespace sys = vitte::sys;
namespace w = vitte::wasm::detail::wasi;

namespace {

using resolved = w::resolved<sys::platform>;

// A granted directory "box" beside a file it must not reach:
//   root/outside.txt
//   root/box/inside.txt, root/box/sub/deep.txt
// and, where the host makes symbolic links, links in box (see links()).
struct sandbox {
  sys::temp_directory root = sys::temp_directory::create().value();
  std::string box = path("box");
  sys::directory dir;
  bool links = false;

  sandbox() {
    sys::create_directories((box + "/sub").c_str()).value();
    sys::write_file(path("outside.txt").c_str(), "secret").value();
    sys::write_file((box + "/inside.txt").c_str(), "fine").value();
    sys::write_file((box + "/sub/deep.txt").c_str(), "deeper").value();
    dir = sys::directory::open(box.c_str()).value();
    links = make_links();
  }

  std::string path(const char* name) const { return std::string(sys::path_join(root.path().view(), name).c_str()); }

  bool link(const char* target, const char* name) const {
    return sys::create_symlink(target, (box + "/" + name).c_str()).has_value();
  }

  // Windows makes links only with a privilege: the link cases skip there.
  bool make_links() const {
    if (!link("inside.txt", "probe")) return false;
    auto st = sys::lstat((box + "/probe").c_str());
    if (!st || st->type != sys::file_type::symlink) return false;
    return link("/etc/passwd", "abs") && link("C:\\Windows", "drive") && link("..", "parent") &&
           link("../outside.txt", "up") && link("../../outside.txt", "sub/upup") && link("sub/deep.txt", "in") &&
           link("sub", "insub") && link("insub/../inside.txt", "around") && link("loop2", "loop1") &&
           link("loop1", "loop2") && link("self", "self");
  }

  std::uint16_t resolve(std::string_view p, bool follow, resolved& out) const {
    return w::resolve_path<sys::platform>(dir.native(), p, follow, out);
  }
  std::uint16_t resolve(std::string_view p, bool follow = true) const {
    resolved out;
    return resolve(p, follow, out);
  }

  // What a resolved path names, read through its directory and name.
  static sys::file_type type_of(const resolved& r) {
    sys::file_status st;
    if (sys::platform::path_stat(r.dir, r.name.c_str(), false, st)) return sys::file_type::unknown;
    return st.type;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(wasi_sandbox)

BOOST_AUTO_TEST_CASE(paths_inside_the_directory_resolve) {
  sandbox s;
  resolved r;
  BOOST_TEST(s.resolve("inside.txt", true, r) == w::e_success);
  BOOST_TEST(r.dir == s.dir.native());
  BOOST_TEST(r.name.view() == "inside.txt");
  BOOST_TEST(r.chain.empty());
  BOOST_TEST((sandbox::type_of(r) == sys::file_type::regular));

  BOOST_TEST(s.resolve("sub/deep.txt", true, r) == w::e_success);
  BOOST_TEST(r.chain.size() == 1u);
  BOOST_TEST(r.dir == r.chain.back().native());
  BOOST_TEST(r.name.view() == "deep.txt");
  BOOST_TEST((sandbox::type_of(r) == sys::file_type::regular));

  // ".." that stays inside, "." and empty components.
  BOOST_TEST(s.resolve("sub/../inside.txt", true, r) == w::e_success);
  BOOST_TEST(r.dir == s.dir.native());
  BOOST_TEST(r.name.view() == "inside.txt");
  BOOST_TEST(s.resolve("./sub//./deep.txt", true, r) == w::e_success);
  BOOST_TEST(r.name.view() == "deep.txt");
  BOOST_TEST((sandbox::type_of(r) == sys::file_type::regular));

  // The directory itself.
  BOOST_TEST(s.resolve(".", true, r) == w::e_success);
  BOOST_TEST(r.dir == s.dir.native());
  BOOST_TEST(r.name.view() == ".");
  BOOST_TEST(s.resolve("sub/..", true, r) == w::e_success);
  BOOST_TEST(r.dir == s.dir.native());
  BOOST_TEST(r.name.view() == ".");
  BOOST_TEST(!r.directory);
  // A trailing slash names the directory in its parent, as without it
  // (never "." inside it: rename and rmdir act on it).
  BOOST_TEST(s.resolve("sub/", true, r) == w::e_success);
  BOOST_TEST(r.dir == s.dir.native());
  BOOST_TEST(r.name.view() == "sub");
  BOOST_TEST(r.directory);
  BOOST_TEST((sandbox::type_of(r) == sys::file_type::directory));

  // A name still to be created resolves; a missing or non-directory
  // component on the way does not.
  BOOST_TEST(s.resolve("sub/new.txt", true, r) == w::e_success);
  BOOST_TEST(r.name.view() == "new.txt");
  BOOST_TEST(s.resolve("nope/x") == w::e_noent);
  BOOST_TEST(s.resolve("inside.txt/x") == w::e_notdir);
  BOOST_TEST(s.resolve("") == w::e_noent);
}

BOOST_AUTO_TEST_CASE(a_trailing_slash_asks_for_a_directory) {
  sandbox s;
  resolved r;
  // A directory, followed or not, with one slash or several.
  for (bool follow : {true, false}) {
    for (const char* p : {"sub/", "sub//", "./sub/", "sub/../sub/"}) {
      BOOST_TEST(s.resolve(p, follow, r) == w::e_success, p);
      BOOST_TEST(r.dir == s.dir.native(), p);
      BOOST_TEST(r.name.view() == "sub", p);
      BOOST_TEST(r.directory, p);
    }
  }
  // A name to be created: resolved, the caller makes a directory or refuses.
  BOOST_TEST(s.resolve("new/", false, r) == w::e_success);
  BOOST_TEST(r.name.view() == "new");
  BOOST_TEST(r.directory);
  BOOST_TEST(s.resolve("sub/new//", true, r) == w::e_success);
  BOOST_TEST(r.dir == r.chain.back().native());
  BOOST_TEST(r.name.view() == "new");
  // Anything else is not a directory.
  BOOST_TEST(s.resolve("inside.txt/") == w::e_notdir);
  BOOST_TEST(s.resolve("inside.txt/", false) == w::e_notdir);
  BOOST_TEST(s.resolve("inside.txt///", false) == w::e_notdir);
  BOOST_TEST(s.resolve("sub/deep.txt/") == w::e_notdir);
  // "." and ".." stay the directory itself.
  BOOST_TEST(s.resolve("sub/./", true, r) == w::e_success);
  BOOST_TEST(r.name.view() == ".");
  BOOST_TEST(r.dir == r.chain.back().native());
  BOOST_TEST(s.resolve("sub/../", true, r) == w::e_success);
  BOOST_TEST(r.name.view() == ".");
  BOOST_TEST(r.dir == s.dir.native());
  if (!s.links) return;
  // A link followed must lead to a directory; a link not followed is none.
  BOOST_TEST(s.resolve("insub/", true, r) == w::e_success);
  BOOST_TEST(r.name.view() == "sub");
  BOOST_TEST(r.directory);
  BOOST_TEST(s.resolve("in/") == w::e_notdir);
  BOOST_TEST(s.resolve("insub/", false) == w::e_notdir);
  BOOST_TEST(s.resolve("probe/", false) == w::e_notdir);
  // Out of the directory is still refused first.
  BOOST_TEST(s.resolve("parent/") == w::e_notcapable);
}

BOOST_AUTO_TEST_CASE(dot_dot_above_the_directory_is_refused) {
  sandbox s;
  BOOST_TEST(s.resolve("..") == w::e_notcapable);
  BOOST_TEST(s.resolve("../outside.txt") == w::e_notcapable);
  BOOST_TEST(s.resolve("./../outside.txt") == w::e_notcapable);
  BOOST_TEST(s.resolve("sub/../..") == w::e_notcapable);
  BOOST_TEST(s.resolve("sub/../../outside.txt") == w::e_notcapable);
  BOOST_TEST(s.resolve("sub/../../box/inside.txt") == w::e_notcapable);  // out and back in: still out
  // On the text, whether or not the names before it exist.
  BOOST_TEST(s.resolve("a/../../x") == w::e_notcapable);
  BOOST_TEST(s.resolve("a/b/../../../outside.txt") == w::e_notcapable);
  // Without following the last component, too.
  BOOST_TEST(s.resolve("..", false) == w::e_notcapable);
  BOOST_TEST(s.resolve("sub/../../outside.txt", false) == w::e_notcapable);
}

BOOST_AUTO_TEST_CASE(absolute_paths_are_refused) {
  sandbox s;
  BOOST_TEST(s.resolve("/") == w::e_notcapable);
  BOOST_TEST(s.resolve("/etc/passwd") == w::e_notcapable);
  BOOST_TEST(s.resolve(s.path("outside.txt")) == w::e_notcapable);
  BOOST_TEST(s.resolve(s.box + "/inside.txt") == w::e_notcapable);  // even naming the directory itself
  BOOST_TEST(s.resolve("/etc/passwd", false) == w::e_notcapable);
#if VITTE_OS_WINDOWS
  // The host's separators and drive letters are not names here.
  BOOST_TEST(s.resolve("sub\\..\\..\\outside.txt") == w::e_notcapable);
  BOOST_TEST(s.resolve("C:\\Windows") == w::e_notcapable);
#else
  // A backslash is part of a name on POSIX: one name inside, to be created.
  resolved r;
  BOOST_TEST(s.resolve("sub\\..\\..\\outside.txt", true, r) == w::e_success);
  BOOST_TEST(r.dir == s.dir.native());
  BOOST_TEST(r.name.view() == "sub\\..\\..\\outside.txt");
#endif
}

BOOST_AUTO_TEST_CASE(symbolic_links_out_of_the_directory_are_refused) {
  sandbox s;
  if (!s.links) return;  // this host makes no symbolic links
  // Absolute targets.
  BOOST_TEST(s.resolve("abs") == w::e_notcapable);
  BOOST_TEST(s.resolve("drive") == w::e_notcapable);
  // Relative targets that climb out, met last, on the way, or deeper down.
  BOOST_TEST(s.resolve("up") == w::e_notcapable);
  BOOST_TEST(s.resolve("parent") == w::e_notcapable);
  BOOST_TEST(s.resolve("parent/outside.txt") == w::e_notcapable);
  BOOST_TEST(s.resolve("parent/box/inside.txt") == w::e_notcapable);
  BOOST_TEST(s.resolve("sub/upup") == w::e_notcapable);
  // Not followed, the last component names the link itself (readlink,
  // unlink); the caller opens it without following it.
  resolved r;
  BOOST_TEST(s.resolve("abs", false, r) == w::e_success);
  BOOST_TEST(r.dir == s.dir.native());
  BOOST_TEST(r.name.view() == "abs");
  BOOST_TEST((sandbox::type_of(r) == sys::file_type::symlink));
  // A link met on the way is always followed, and checked.
  BOOST_TEST(s.resolve("parent/outside.txt", false) == w::e_notcapable);
}

BOOST_AUTO_TEST_CASE(symbolic_links_inside_the_directory_resolve) {
  sandbox s;
  if (!s.links) return;
  resolved r;
  BOOST_TEST(s.resolve("in", true, r) == w::e_success);
  BOOST_TEST(r.name.view() == "deep.txt");
  BOOST_TEST(r.chain.size() == 1u);
  BOOST_TEST((sandbox::type_of(r) == sys::file_type::regular));
  BOOST_TEST(s.resolve("insub/deep.txt", true, r) == w::e_success);
  BOOST_TEST(r.name.view() == "deep.txt");
  BOOST_TEST((sandbox::type_of(r) == sys::file_type::regular));
  BOOST_TEST(s.resolve("around", true, r) == w::e_success);
  BOOST_TEST(r.dir == s.dir.native());
  BOOST_TEST(r.name.view() == "inside.txt");
}

BOOST_AUTO_TEST_CASE(symbolic_link_loops_end_with_loop) {
  sandbox s;
  if (!s.links) return;
  BOOST_TEST(s.resolve("self") == w::e_loop);
  BOOST_TEST(s.resolve("loop1") == w::e_loop);
  BOOST_TEST(s.resolve("loop2") == w::e_loop);
  BOOST_TEST(s.resolve("self/x") == w::e_loop);
  BOOST_TEST(s.resolve("sub/../loop1/x", false) == w::e_loop);
}

BOOST_AUTO_TEST_CASE(a_nul_inside_a_path_is_refused) {
  sandbox s;
  using namespace std::string_literals;
  BOOST_TEST(s.resolve("inside.txt\0../../outside.txt"s) == w::e_inval);
  BOOST_TEST(s.resolve("\0"s) == w::e_inval);
  BOOST_TEST(s.resolve("sub\0/deep.txt"s, false) == w::e_inval);
  BOOST_TEST(s.resolve("../\0"s) == w::e_inval);  // refused before anything else
}

BOOST_AUTO_TEST_CASE(over_long_paths_are_refused_or_stay_inside) {
  sandbox s;
  // A name longer than the host allows.
  const std::string name(w::max_name + 1, 'a');
  BOOST_TEST(s.resolve(name) == w::e_nametoolong);
  BOOST_TEST(s.resolve(name + "/x") == w::e_nametoolong);
  BOOST_TEST(s.resolve(name, false) == w::e_nametoolong);
  BOOST_TEST(s.resolve("sub/" + name) == w::e_nametoolong);
  // The longest name every host holds is a name to be created.
  resolved longest;
  BOOST_TEST(s.resolve(std::string(w::max_name, 'a'), true, longest) == w::e_success);
  BOOST_TEST(longest.name.size() == w::max_name);
  // Paths far beyond PATH_MAX walk one component at a time: the climb out
  // at the end is still refused, and a walk that stays inside resolves.
  std::string dots = "sub/";
  for (int i = 0; i < 8000; ++i) dots += "./";
  BOOST_TEST(s.resolve(dots + "../../outside.txt") == w::e_notcapable);
  std::string around = "sub/";
  for (int i = 0; i < 3000; ++i) around += "../sub/";
  resolved r;
  BOOST_TEST(s.resolve(around + "deep.txt", true, r) == w::e_success);
  BOOST_TEST(r.name.view() == "deep.txt");
  BOOST_TEST((sandbox::type_of(r) == sys::file_type::regular));
  BOOST_TEST(s.resolve(around + "../../outside.txt") == w::e_notcapable);
  // Deep names that do not exist: refused at the first missing one.
  std::string deep;
  for (int i = 0; i < 20000; ++i) deep += "a/";
  BOOST_TEST(s.resolve(deep + "x") == w::e_noent);
}

BOOST_AUTO_TEST_SUITE_END()
