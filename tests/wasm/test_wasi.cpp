// WASI preview 1 (vitte/wasm/wasi.hpp): real C programs compiled to
// wasm32-wasi at build time (tests/wasm/wasi/*.c) run with temporary
// directories; escapes are refused; hostile arguments get errnos; fuel,
// deadlines and memory caps stop programs.
#include <vitte/base/detail/endian.hpp>
#include <vitte/sys/fs.hpp>
#include <vitte/sys/net.hpp>
#include <vitte/sys/process.hpp>  // pipe_create (its body, in header-only builds)
#include <vitte/wasm.hpp>
#include <vitte/wasm/wasi.hpp>
#include <vitte/wasm/wasi/abi.hpp>  // rights' bits

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "../print.hpp"

namespace wasm = vitte::wasm;
namespace sys = vitte::sys;
namespace p1 = vitte::wasm::detail::wasi;  // preview 1's rights

namespace {

wasm::wasi_options with_args(vitte::buffer<vitte::text> args) {
  wasm::wasi_options o;
  o.args = static_cast<vitte::buffer<vitte::text>&&>(args);
  return o;
}

// The test programs' directory comes at run time (meson test sets
// VITTE_WASI_PROGRAMS), so that this file compiles to the same object in
// every checkout and the compiler cache shares it.
std::string programs_dir() {
  const char* d = std::getenv("VITTE_WASI_PROGRAMS");
  BOOST_TEST_REQUIRE(d != nullptr, "VITTE_WASI_PROGRAMS is not set (meson test sets it to the programs' directory)");
  return d;
}

wasm::module program(const char* name) {
  const std::string path = programs_dir() + "/" + name + ".wasm";
  auto bytes = sys::read_file(path.c_str());
  BOOST_TEST_REQUIRE(bytes.has_value(), "reading " << path);
  vitte::diagnostic why;
  auto m = wasm::decode(bytes->span(), &why);
  BOOST_TEST_REQUIRE(m.has_value(), why.format().c_str());
  return std::move(*m);
}

std::string join(const sys::temp_directory& d, const char* name) {
  return std::string(sys::path_join(d.path().view(), name).c_str());
}

// One run of a program: its status (or error) and what it printed.
struct outcome {
  vitte::result<int> status = 0;
  std::string out;
};

// Whether this host makes symbolic links that read back as links (Windows
// needs a privilege; wine emulates them loosely): the programs skip their
// link checks otherwise ("nolinks").
bool host_links_work(const sys::temp_directory& d) {
  const std::string link = join(d, "probe-link");
  if (!sys::create_symlink("target", link.c_str())) return false;
  auto st = sys::lstat(link.c_str());
  auto text = sys::read_symlink(link.c_str());
  const bool ok = st && st->type == sys::file_type::symlink && text && text->view() == "target";
  (void)sys::remove(link.c_str());
  return ok;
}

outcome run(const char* name, wasm::wasi_options o, wasm::store_limits limits = {}, std::uint64_t fuel = 0,
            std::int64_t timeout_ms = 0) {
  sys::temp_directory scratch = sys::temp_directory::create().value();
  const std::string out_path = join(scratch, "stdout.txt");
  sys::file out = sys::file::open(out_path.c_str(), sys::open_mode::write | sys::open_mode::create).value();
  o.stdio[1] = out.native();
  o.args.insert(o.args.begin(), vitte::text(name));
  wasm::module m = program(name);
  vitte::diagnostic why;
  auto w = wasm::wasi::create(o, &why);
  BOOST_TEST_REQUIRE(w.has_value(), why.format().c_str());
  if (timeout_ms) limits.interruptible = true;
  wasm::store s(limits);
  s.set_fuel(fuel);
  if (timeout_ms) {
    auto now = [] { return sys::platform::clock_now_ns(sys::clock_id::monotonic); };
    s.set_deadline(now() + timeout_ms * 1'000'000, now);
  }
  wasm::imports env;
  (*w)->define(s, env);
  vitte::diagnostic_list refused;
  auto inst = s.instantiate(m, env, &refused);
  BOOST_TEST_REQUIRE(inst.has_value(), refused.joined().c_str());
  outcome r;
  r.status = (*w)->run(s, *inst);
  BOOST_TEST(out.close().has_value());
  r.out = std::string(sys::read_file_string(out_path.c_str()).value());
  return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(wasi)

BOOST_AUTO_TEST_CASE(every_function_of_preview_1_is_defined) {
  static const char* const names[] = {"args_get",
                                      "args_sizes_get",
                                      "environ_get",
                                      "environ_sizes_get",
                                      "clock_res_get",
                                      "clock_time_get",
                                      "fd_advise",
                                      "fd_allocate",
                                      "fd_close",
                                      "fd_datasync",
                                      "fd_fdstat_get",
                                      "fd_fdstat_set_flags",
                                      "fd_fdstat_set_rights",
                                      "fd_filestat_get",
                                      "fd_filestat_set_size",
                                      "fd_filestat_set_times",
                                      "fd_pread",
                                      "fd_prestat_get",
                                      "fd_prestat_dir_name",
                                      "fd_pwrite",
                                      "fd_read",
                                      "fd_readdir",
                                      "fd_renumber",
                                      "fd_seek",
                                      "fd_sync",
                                      "fd_tell",
                                      "fd_write",
                                      "path_create_directory",
                                      "path_filestat_get",
                                      "path_filestat_set_times",
                                      "path_link",
                                      "path_open",
                                      "path_readlink",
                                      "path_remove_directory",
                                      "path_rename",
                                      "path_symlink",
                                      "path_unlink_file",
                                      "poll_oneoff",
                                      "proc_exit",
                                      "proc_raise",
                                      "sched_yield",
                                      "random_get",
                                      "sock_accept",
                                      "sock_recv",
                                      "sock_send",
                                      "sock_shutdown"};
  auto w = wasm::wasi::create({}).value();
  wasm::store s;
  wasm::imports env;
  w->define(s, env);
  for (const char* n : names) BOOST_TEST(env.find("wasi_snapshot_preview1", n) != nullptr, n);
  BOOST_TEST(sizeof names / sizeof names[0] == 46u);
}

BOOST_AUTO_TEST_CASE(a_program_reads_and_writes_files_in_a_granted_directory) {
  sys::temp_directory box = sys::temp_directory::create().value();
  wasm::wasi_options o;
  o.dirs.push_back({box.path(), "/sandbox"});
  if (!host_links_work(box)) o.args.push_back("nolinks");
  outcome r = run("files", o);
  BOOST_TEST(r.out == "files ok\n");
  BOOST_TEST_REQUIRE(r.status.has_value(), r.status.error().message().c_str());
  BOOST_TEST(*r.status == 0);
  // The program cleaned up after itself.
  BOOST_TEST(!sys::exists(join(box, "work").c_str()).value());
}

BOOST_AUTO_TEST_CASE(a_program_gets_the_errnos_the_reference_runtimes_give) {
  // conformance.c: preview 1's calls made directly, each errno checked
  // (precedence, trailing slashes, flags, directories, links, ranges).
  sys::temp_directory box = sys::temp_directory::create().value();
  wasm::wasi_options o;
  o.dirs.push_back({box.path(), "/sandbox"});
  if (!host_links_work(box)) o.args.push_back("nolinks");
  outcome r = run("conformance", o);
  BOOST_TEST(r.out == "conformance ok\n");
  BOOST_TEST_REQUIRE(r.status.has_value(), r.status.error().message().c_str());
  BOOST_TEST(*r.status == 0);
  BOOST_TEST(!sys::exists(join(box, "w").c_str()).value());
}

BOOST_AUTO_TEST_CASE(escapes_from_a_granted_directory_are_refused) {
  sys::temp_directory root = sys::temp_directory::create().value();
  const std::string box = join(root, "box");
  sys::create_directories((box + "/sub").c_str()).value();
  sys::write_file(join(root, "outside.txt").c_str(), "secret").value();
  sys::write_file((box + "/inside.txt").c_str(), "fine").value();
  // Links that lead out (Windows may not let this process make them: the
  // C program is then told to skip them).
  const bool links = host_links_work(root) && sys::create_symlink("..", (box + "/out").c_str()).has_value() &&
                     sys::create_symlink("../outside.txt", (box + "/up").c_str()).has_value() &&
#if VITTE_OS_WINDOWS
                     sys::create_symlink("C:\\Windows", (box + "/abs").c_str()).has_value();
#else
                     sys::create_symlink("/etc/passwd", (box + "/abs").c_str()).has_value();
#endif
  wasm::wasi_options o;
  o.dirs.push_back({vitte::text(box), "/sandbox"});
  if (!links) o.args.push_back("nolinks");
  outcome r = run("escape", o);
  BOOST_TEST(r.out == "escape refused\n");
  BOOST_TEST_REQUIRE(r.status.has_value());
  BOOST_TEST(*r.status == 0);
  BOOST_TEST(sys::read_file_string(join(root, "outside.txt").c_str()).value() == "secret");
  BOOST_TEST(!sys::exists(join(root, "made").c_str()).value());
}

BOOST_AUTO_TEST_CASE(arguments_environment_clocks_and_the_exit_status) {
  wasm::wasi_options o;
  o.args = {"bonjour", "a b", "7"};
  o.env = {"VITTE_GREETING=bonjour", "OTHER=1"};
  outcome r = run("env", o);
  BOOST_TEST_REQUIRE(r.status.has_value(), r.out);
  BOOST_TEST(*r.status == 7);
  BOOST_TEST(r.out == "arg 1: bonjour\narg 2: a b\narg 3: 7\ngreeting: bonjour\n");
}

BOOST_AUTO_TEST_CASE(fuel_a_deadline_and_a_memory_cap_stop_programs) {
  wasm::store_limits metered;
  metered.fuel = true;
  outcome r = run("limits", with_args({"spin"}), metered, 5'000'000);
  BOOST_TEST_REQUIRE(!r.status.has_value());
  BOOST_TEST(r.status.error().op() == wasm::ops::trap_out_of_fuel);

  auto start = std::chrono::steady_clock::now();
  r = run("limits", with_args({"spin"}), {}, 0, 100);
  BOOST_TEST_REQUIRE(!r.status.has_value());
  BOOST_TEST(r.status.error().op() == wasm::ops::trap_deadline);
  BOOST_TEST(r.status.error() == vitte::errc::timed_out);
  BOOST_TEST((std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(100)));

  wasm::store_limits capped;
  capped.max_memory_pages = 256;  // 16 MiB
  r = run("limits", with_args({"grow"}), capped);
  BOOST_TEST_REQUIRE(r.status.has_value());
  BOOST_TEST(*r.status == 0);
  BOOST_TEST(r.out.rfind("allocated ", 0) == 0);
  BOOST_TEST(std::stoi(r.out.substr(10)) < 16);
  BOOST_TEST(std::stoi(r.out.substr(10)) >= 8);
}

BOOST_AUTO_TEST_CASE(a_program_stopped_for_fuel_finishes_after_more_fuel) {
  sys::temp_directory box = sys::temp_directory::create().value();
  wasm::wasi_options o;
  o.args = {"files"};
  if (!host_links_work(box)) o.args.push_back("nolinks");
  o.dirs.push_back({box.path(), "/sandbox"});
  wasm::module m = program("files");
  auto w = wasm::wasi::create(o).value();
  wasm::store_limits lim;
  lim.fuel = true;
  wasm::store s(lim);
  wasm::imports env;
  w->define(s, env);
  auto inst = s.instantiate(m, env).value();
  s.set_fuel(20000);
  vitte::result<int> rc = w->run(s, inst);
  int slices = 1;
  while (!rc && rc.error().op() == wasm::ops::trap_out_of_fuel) {
    s.add_fuel(20000);
    rc = w->finish(s);
    ++slices;
  }
  BOOST_TEST_REQUIRE(rc.has_value(), rc.error().message().c_str());
  BOOST_TEST(*rc == 0);
  BOOST_TEST(slices > 10);
}

BOOST_AUTO_TEST_CASE(hostile_arguments_get_errnos_not_crashes) {
  sys::temp_directory box = sys::temp_directory::create().value();
  sys::write_file(join(box, "f.txt").c_str(), "data").value();
  wasm::wasi_options o;
  o.args = {"prog", "arg"};
  o.dirs.push_back({box.path(), "/sandbox"});
  auto w = wasm::wasi::create(o).value();
  wasm::store s;
  wasm::imports env;
  w->define(s, env);
  wasm::module m = program("env");
  auto inst = s.instantiate(m, env).value();
  BOOST_TEST_REQUIRE(w->bind(inst).has_value());
  wasm::memory mem = inst.memory("memory");
  const std::uint64_t size = mem.bytes().size(), scratch = size - 4096;
  auto put = [&](std::uint64_t at, std::string_view bytes) {
    std::memcpy(mem.bytes().data() + at, bytes.data(), bytes.size());
  };
  auto call = [&](const char* name, std::vector<std::uint64_t> a) { return w->invoke(name, a).value(); };
  constexpr std::uint32_t fault = 21, badf = 8, inval = 28, notcapable = 76, noent = 44, success = 0;
  // Pointers and lengths outside memory.
  BOOST_TEST(call("args_get", {size, size}) == fault);
  BOOST_TEST(call("args_sizes_get", {size - 2, scratch}) == fault);
  BOOST_TEST(call("clock_time_get", {1, 0, size - 7}) == fault);
  BOOST_TEST(call("random_get", {scratch, 1ull << 32}) == fault);
  BOOST_TEST(call("fd_write", {1, size - 4, 1, scratch}) == fault);
  put(scratch, std::string_view("\x00\x00\x00\x00\xff\xff\xff\xff", 8));  // an iovec of 4 GiB at 0
  BOOST_TEST(call("fd_write", {1, scratch, 1, scratch + 16}) == fault);
  BOOST_TEST(call("path_open", {3, 0, size - 2, 10, 0, ~0ull, ~0ull, 0, scratch}) == fault);
  // Descriptors that do not exist, and clocks that do not either.
  BOOST_TEST(call("fd_close", {99}) == badf);
  BOOST_TEST(call("fd_read", {1u << 31, scratch, 0, scratch + 16}) == badf);
  BOOST_TEST(call("clock_time_get", {9, 0, scratch}) == inval);
  BOOST_TEST(call("poll_oneoff", {scratch, scratch + 64, 0, scratch + 128}) == inval);
  // Paths that leave the directory, at any component.
  for (const char* p : {"../x", "/etc/passwd", "a/../../x", "..", "./../f.txt"}) {
    put(scratch, p);
    BOOST_TEST(call("path_open", {3, 1, scratch, std::strlen(p), 0, ~0ull, ~0ull, 0, scratch + 512}) == notcapable, p);
    BOOST_TEST(call("path_unlink_file", {3, scratch, std::strlen(p)}) == notcapable, p);
  }
  // Names with NUL or invalid UTF-8, and missing names.
  put(scratch, std::string_view("f\0x", 3));
  BOOST_TEST(call("path_open", {3, 1, scratch, 3, 0, ~0ull, ~0ull, 0, scratch + 512}) == inval);
  put(scratch, "\xff\xfe");
  BOOST_TEST(call("path_create_directory", {3, scratch, 2}) == 25u);  // ilseq
  put(scratch, "missing");
  BOOST_TEST(call("path_open", {3, 1, scratch, 7, 0, ~0ull, ~0ull, 0, scratch + 512}) == noent);
  // A file of the directory opens, with no more rights than the directory hands down.
  put(scratch, "f.txt");
  BOOST_TEST(call("path_open", {3, 1, scratch, 5, 0, ~0ull, ~0ull, 0, scratch + 512}) == success);
  const std::uint32_t fd = vitte::detail::load_le<std::uint32_t>(mem.bytes().data() + scratch + 512);
  BOOST_TEST(fd > 3u);
  // Dropping rights is allowed, taking them back is not.
  BOOST_TEST(call("fd_fdstat_set_rights", {fd, 0, 0}) == success);
  BOOST_TEST(call("fd_read", {fd, scratch, 0, scratch + 16}) == notcapable);
  BOOST_TEST(call("fd_fdstat_set_rights", {fd, 2, 0}) == notcapable);
  BOOST_TEST(call("fd_close", {fd}) == success);
  BOOST_TEST(w->invoke("no_such_call", {}).error() == vitte::errc::not_found);
  // proc_raise ends the program as the signal would, or does nothing.
  BOOST_TEST(call("proc_raise", {17}) == success);
  BOOST_TEST(!w->exited());
  BOOST_TEST(call("proc_raise", {15}) == success);
  BOOST_TEST(w->exited());
  BOOST_TEST(w->exit_code() == 128 + 15);
}

namespace {
// A context with `box` granted as descriptor 3 (and `sockets` after it),
// bound to the memory of a module that has one; calls go through invoke().
struct direct {
  std::unique_ptr<wasm::wasi> w;
  wasm::store s;
  wasm::instance inst;
  wasm::module m = program("env");
  explicit direct(const sys::temp_directory& box, vitte::buffer<sys::native_handle> sockets = {},
                  sys::native_handle out = sys::invalid_handle) {
    wasm::wasi_options o;
    o.dirs.push_back({box.path(), "/sandbox"});
    o.stdio[1] = out;
    o.sockets = static_cast<vitte::buffer<sys::native_handle>&&>(sockets);
    w = wasm::wasi::create(o).value();
    wasm::imports env;
    w->define(s, env);
    inst = s.instantiate(m, env).value();
    BOOST_TEST_REQUIRE(w->bind(inst).has_value());
  }
  std::uint8_t* mem() { return inst.memory("memory").bytes().data(); }
  std::uint64_t scratch() { return inst.memory("memory").bytes().size() - 8192; }
  std::uint32_t call(const char* name, std::vector<std::uint64_t> a) { return w->invoke(name, a).value(); }
  std::uint32_t u32(std::uint64_t at) { return vitte::detail::load_le<std::uint32_t>(mem() + at); }
  std::uint64_t u64(std::uint64_t at) { return vitte::detail::load_le<std::uint64_t>(mem() + at); }
  void put(std::uint64_t at, std::string_view b) { std::memcpy(mem() + at, b.data(), b.size()); }
  // Opens `name` under descriptor 3 for reading and writing; its descriptor.
  std::uint32_t open(const char* name, std::uint64_t oflags = 0) {
    const std::uint64_t at = scratch();
    put(at, name);
    BOOST_TEST_REQUIRE(call("path_open", {3, 1, at, std::strlen(name), oflags, ~0ull, ~0ull, 0, at + 256}) == 0u);
    return u32(at + 256);
  }
  // Puts the path `p` in memory (two slots, for calls that take two); its address.
  std::uint64_t text(const char* p, int slot = 0) {
    const std::uint64_t where = scratch() + 1024 + 512 * static_cast<std::uint64_t>(slot);
    put(where, p);
    return where;
  }
  // A call on one path under `dir`: path_create_directory, path_remove_directory, path_unlink_file.
  std::uint32_t on_path(const char* name, const char* p, std::uint64_t dir = 3) {
    return call(name, {dir, text(p), std::strlen(p)});
  }
  // path_open of `p` under `dir` (links followed), `rights` as base and
  // inheriting; the errno, the descriptor in *fd.
  std::uint32_t open_as(const char* p, std::uint64_t oflags, std::uint64_t rights, std::uint64_t fdflags = 0,
                        std::uint32_t* fd = nullptr, std::uint64_t dir = 3) {
    const std::uint64_t out = scratch() + 512;
    const std::uint32_t r = call("path_open", {dir, 1, text(p), std::strlen(p), oflags, rights, rights, fdflags, out});
    if (fd != nullptr) *fd = u32(out);
    return r;
  }
  std::uint32_t rename(const char* from, const char* to) {
    return call("path_rename", {3, text(from, 0), std::strlen(from), 3, text(to, 1), std::strlen(to)});
  }
  // fd_write of `data`, or fd_pwrite at `offset` when it is not negative.
  std::uint32_t write(std::uint32_t fd, std::string_view data, std::int64_t offset = -1) {
    const std::uint64_t buf = scratch() + 2048, iov = scratch() + 3072;
    put(buf, data);
    vitte::detail::store_le(mem() + iov, static_cast<std::uint32_t>(buf));
    vitte::detail::store_le(mem() + iov + 4, static_cast<std::uint32_t>(data.size()));
    if (offset < 0) return call("fd_write", {fd, iov, 1, iov + 8});
    return call("fd_pwrite", {fd, iov, 1, static_cast<std::uint64_t>(offset), iov + 8});
  }
  // fd_fdstat_get's flags of `fd`.
  std::uint16_t flags(std::uint32_t fd) {
    BOOST_TEST_REQUIRE(call("fd_fdstat_get", {fd, scratch() + 4096}) == 0u);
    return vitte::detail::load_le<std::uint16_t>(mem() + scratch() + 4096 + 2);
  }
};

// path_open's oflags.
constexpr std::uint64_t o_creat = 1, o_directory = 2, o_excl = 4, o_trunc = 8;
constexpr std::uint32_t e_exist = 20, e_inval = 28, e_isdir = 31, e_noent = 44, e_notdir = 54, e_notsock = 57,
                        e_notsup = 58, e_notcapable = 76, e_badf = 8, e_perm = 63, e_spipe = 70, e_nametoolong = 37;

sys::file_type type_at(const sys::temp_directory& box, const char* name) {
  auto st = sys::lstat(join(box, name).c_str());
  return st ? st->type : sys::file_type::unknown;
}
}  // namespace

BOOST_AUTO_TEST_CASE(descriptor_calls_programs_make_rarely) {
  sys::temp_directory box = sys::temp_directory::create().value();
  sys::write_file(join(box, "f.txt").c_str(), "0123456789").value();
  direct d(box);
  const std::uint64_t at = d.scratch();
  const std::uint32_t fd = d.open("f.txt");
  // fdstat: a regular file with the rights it was opened with
  BOOST_TEST(d.call("fd_fdstat_get", {fd, at}) == 0u);
  BOOST_TEST(d.mem()[at] == 4u);
  BOOST_TEST((d.u64(at + 8) & 2u) == 2u);  // fd_read
  // advice is taken, space is allocated, data reaches the disk
  BOOST_TEST(d.call("fd_advise", {fd, 0, 10, 1}) == 0u);
  BOOST_TEST(d.call("fd_advise", {fd, 0, 10, 9}) == 28u);
  BOOST_TEST(d.call("fd_allocate", {fd, 0, 100}) == 0u);
  BOOST_TEST(sys::file_size(join(box, "f.txt").c_str()).value() == 100u);
  BOOST_TEST(d.call("fd_datasync", {fd}) == 0u);
  BOOST_TEST(d.call("fd_sync", {fd}) == 0u);
  BOOST_TEST(d.call("fd_sync", {3}) == 8u);  // a directory is no file (a_directory_descriptor_is_no_file)
  // tell follows seek
  BOOST_TEST(d.call("fd_seek", {fd, 7, 0, at}) == 0u);
  BOOST_TEST(d.call("fd_tell", {fd, at + 8}) == 0u);
  BOOST_TEST(d.u64(at + 8) == 7u);
  // flags: the hints are kept, append turns on and off (append_turns_on_and_off)
  BOOST_TEST(d.call("fd_fdstat_set_flags", {fd, 4}) == 0u);
  BOOST_TEST(d.call("fd_fdstat_set_flags", {fd, 1}) == 0u);
  BOOST_TEST(d.call("fd_fdstat_set_flags", {fd, 0}) == 0u);
  // a ready descriptor: poll_oneoff reports the bytes left to read
  std::memset(d.mem() + at, 0, 48);
  vitte::detail::store_le(d.mem() + at, std::uint64_t{42});
  d.mem()[at + 8] = 1;  // fd_read
  vitte::detail::store_le(d.mem() + at + 16, fd);
  BOOST_TEST(d.call("poll_oneoff", {at, at + 64, 1, at + 128}) == 0u);
  BOOST_TEST(d.u32(at + 128) == 1u);
  BOOST_TEST(d.u64(at + 64) == 42u);
  BOOST_TEST(d.u64(at + 64 + 16) == 93u);  // 100 - 7
  // renumber: the second descriptor now names the file, the first is gone
  const std::uint32_t other = d.open("f.txt");
  BOOST_TEST(d.call("fd_renumber", {fd, other}) == 0u);
  BOOST_TEST(d.call("fd_tell", {other, at}) == 0u);
  BOOST_TEST(d.u64(at) == 7u);
  BOOST_TEST(d.call("fd_tell", {fd, at}) == 8u);
  // times by path, without following links
  d.put(at, "f.txt");
  BOOST_TEST(d.call("path_filestat_set_times",
                    {3, 0, at, 5, 1'000'000'000'000'000'000ull, 1'100'000'000'000'000'000ull, 1 | 4}) == 0u);
  BOOST_TEST(d.call("path_filestat_get", {3, 0, at, 5, at + 64}) == 0u);
  BOOST_TEST(d.u64(at + 64 + 48) == 1'100'000'000'000'000'000ull);
  BOOST_TEST(d.call("path_filestat_set_times", {3, 0, at, 5, 0, 0, 1 | 2}) == 28u);  // atim and atim_now
  BOOST_TEST(d.call("sched_yield", {}) == 0u);
  BOOST_TEST(d.call("clock_res_get", {1, at}) == 0u);
  BOOST_TEST(d.u64(at) > 0u);
}

BOOST_AUTO_TEST_CASE(sockets_given_to_a_program_accept_receive_send_and_shut_down) {
  sys::temp_directory box = sys::temp_directory::create().value();
  auto listener = sys::socket::listen(sys::socket_address{sys::ip_address::loopback_v4(), 0}).value();
  const sys::socket_address where = listener.local_address().value();
  direct d(box, {listener.release()});  // descriptor 4
  std::string reply;
  bool sent = false;  // Boost.Test's checks are not thread-safe: the peer only records
  std::thread peer([&] {
    auto c = sys::socket::connect_to(where).value();
    sent = c.send_all("ping").has_value();
    char buf[16];
    for (;;) {
      auto n = c.receive(vitte::as_writable_bytes(vitte::span<char>(buf, sizeof buf)));
      if (!n || *n == 0) break;
      reply.append(buf, *n);
    }
  });
  const std::uint64_t at = d.scratch();
  BOOST_TEST(d.call("sock_accept", {4, 0, at}) == 0u);
  const std::uint32_t conn = d.u32(at);
  vitte::detail::store_le(d.mem() + at + 16, static_cast<std::uint32_t>(at + 64));  // iovec: 4 bytes at +64
  vitte::detail::store_le(d.mem() + at + 20, std::uint32_t{4});
  BOOST_TEST(d.call("sock_recv", {conn, at + 16, 1, 2, at + 32, at + 36}) == 0u);  // waitall
  BOOST_TEST(d.u32(at + 32) == 4u);
  BOOST_TEST(std::string(reinterpret_cast<const char*>(d.mem() + at + 64), 4) == "ping");
  BOOST_TEST(d.call("sock_recv", {conn, at + 16, 1, 1, at + 32, at + 36}) == 58u);  // peek: not offered
  d.put(at + 64, "pong");
  BOOST_TEST(d.call("sock_send", {conn, at + 16, 1, 0, at + 32}) == 0u);
  BOOST_TEST(d.u32(at + 32) == 4u);
  BOOST_TEST(d.call("sock_shutdown", {conn, 2}) == 0u);
  peer.join();
  BOOST_TEST(sent);
  BOOST_TEST(reply == "pong");
  BOOST_TEST(d.call("sock_accept", {3, 0, at}) == 57u);     // a directory is not a socket (notsock)
  BOOST_TEST(d.call("sock_accept", {conn, 0, at}) == 76u);  // a connection has no right to accept
  BOOST_TEST(d.call("sock_shutdown", {conn, 0}) == 28u);
  // A socket has no position: positional calls are spipe, before rights.
  BOOST_TEST(d.call("fd_pread", {conn, at + 16, 1, 0, at + 32}) == 70u);
  BOOST_TEST(d.call("fd_pwrite", {conn, at + 16, 1, 0, at + 32}) == 70u);
  BOOST_TEST(d.call("fd_seek", {conn, 0, 0, at}) == 70u);
  // Non-blocking mode reaches the socket: the listener, with no one
  // connecting, reports `again` instead of waiting (were it to wait, a
  // connection after 5 s ends the wait and the check fails).
  BOOST_TEST(d.call("fd_fdstat_set_flags", {4, 4}) == 0u);
  BOOST_TEST(d.call("fd_fdstat_get", {4, at + 128}) == 0u);
  BOOST_TEST(d.u32(at + 128 + 2) % 65536u == 4u);
  std::atomic<bool> returned{false};
  std::thread rescue([&] {
    for (int i = 0; i < 50 && !returned; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (!returned) (void)sys::socket::connect_to(where);
  });
  BOOST_TEST(d.call("sock_accept", {4, 0, at}) == 6u);
  returned = true;
  rescue.join();
  BOOST_TEST(d.call("fd_fdstat_set_flags", {4, 0}) == 0u);
  BOOST_TEST(d.call("fd_fdstat_set_flags", {conn, 1}) == 58u);  // a socket has no end to append to
}

BOOST_AUTO_TEST_CASE(append_turns_on_and_off) {
  // As wasmtime's p1_fd_flags_set: fd_fdstat_set_flags sets and clears
  // append on a file, whether or not it was opened with it.
  sys::temp_directory box = sys::temp_directory::create().value();
  direct d(box);
  const std::uint64_t at = d.scratch();
  const std::string log = join(box, "log");
  auto content = [&] { return std::string(sys::read_file_string(log.c_str()).value()); };
  std::uint32_t fd = 0;
  BOOST_TEST_REQUIRE(d.open_as("log", o_creat, ~0ull, 1, &fd) == 0u);
  BOOST_TEST(d.flags(fd) == 1u);
  BOOST_TEST(d.write(fd, "aaaa") == 0u);
  BOOST_TEST(d.call("fd_seek", {fd, 0, 0, at}) == 0u);
  BOOST_TEST(d.write(fd, "bbbb") == 0u);  // at the end all the same
  BOOST_TEST(content() == "aaaabbbb");
  BOOST_TEST(d.call("fd_tell", {fd, at}) == 0u);
  BOOST_TEST(d.u64(at) == 8u);             // the position is the end, as O_APPEND leaves it
  BOOST_TEST(d.write(fd, "cc", 0) == 0u);  // fd_pwrite too (Linux's pwrite; wasmtime's)
  BOOST_TEST(content() == "aaaabbbbcc");
  BOOST_TEST(d.call("fd_tell", {fd, at}) == 0u);
  BOOST_TEST(d.u64(at) == 8u);
  // Off: writes go where the position says.
  BOOST_TEST(d.call("fd_fdstat_set_flags", {fd, 0}) == 0u);
  BOOST_TEST(d.flags(fd) == 0u);
  BOOST_TEST(d.call("fd_seek", {fd, 0, 0, at}) == 0u);
  BOOST_TEST(d.write(fd, "XY") == 0u);
  BOOST_TEST(d.write(fd, "Z", 9) == 0u);
  BOOST_TEST(content() == "XYaabbbbcZ");
  BOOST_TEST(d.call("fd_close", {fd}) == 0u);
  // On, for a file opened without it.
  BOOST_TEST_REQUIRE(d.open_as("log", 0, ~0ull, 0, &fd) == 0u);
  BOOST_TEST(d.flags(fd) == 0u);
  BOOST_TEST(d.call("fd_fdstat_set_flags", {fd, 1}) == 0u);
  BOOST_TEST(d.flags(fd) == 1u);
  BOOST_TEST(d.write(fd, "!") == 0u);
  BOOST_TEST(content() == "XYaabbbbcZ!");
  // Non-blocking stays a hint on a file; the synchronous flags and unknown
  // bits are refused (wasmtime: inval); a directory has no flags to change
  // (badf, as wasmtime's p1_dir_fd_op_failures).
  BOOST_TEST(d.call("fd_fdstat_set_flags", {fd, 1 | 4}) == 0u);
  BOOST_TEST(d.flags(fd) == 5u);
  for (std::uint64_t sync : {2u, 8u, 16u}) BOOST_TEST(d.call("fd_fdstat_set_flags", {fd, 1 | sync}) == e_inval);
  BOOST_TEST(d.call("fd_fdstat_set_flags", {fd, 0x21}) == e_inval);
  // Nor does path_open take them (wasmtime's p1_path_filestat: notsup).
  for (std::uint64_t sync : {2u, 8u, 16u}) BOOST_TEST(d.open_as("log", 0, ~0ull, sync) == e_notsup);
  BOOST_TEST(d.open_as("log", 0, ~0ull, 0x20) == e_inval);
  BOOST_TEST(d.flags(fd) == 5u);
  BOOST_TEST(d.call("fd_fdstat_set_flags", {3, 1}) == e_badf);
  BOOST_TEST(d.call("fd_fdstat_set_flags", {3, 4}) == e_badf);
  BOOST_TEST(d.call("fd_close", {fd}) == 0u);
}

BOOST_AUTO_TEST_CASE(a_trailing_slash_names_a_directory) {
  // As wasmtime's p1_path_rename_dir_trailing_slashes,
  // p1_unlink_file_trailing_slashes, p1_remove_directory,
  // p1_interesting_paths and p1_path_symlink_trailing_slashes.
  sys::temp_directory box = sys::temp_directory::create().value();
  sys::create_directories(join(box, "d").c_str()).value();
  sys::write_file(join(box, "f.txt").c_str(), "data").value();
  direct d(box);
  const std::uint64_t at = d.scratch();
  // Made, removed and renamed as the directory itself.
  BOOST_TEST(d.on_path("path_create_directory", "n/") == 0u);
  BOOST_TEST((type_at(box, "n") == sys::file_type::directory));
  BOOST_TEST(d.on_path("path_create_directory", "n//") == e_exist);
  BOOST_TEST(d.on_path("path_remove_directory", "n/") == 0u);
  BOOST_TEST(!sys::exists(join(box, "n").c_str()).value());
  BOOST_TEST(d.rename("d/", "e") == 0u);
  BOOST_TEST(d.rename("e", "d/") == 0u);
  BOOST_TEST(d.rename("d/", "e/") == 0u);
  BOOST_TEST((type_at(box, "e") == sys::file_type::directory));
  BOOST_TEST(d.rename("e/", "d") == 0u);
  BOOST_TEST((type_at(box, "d") == sys::file_type::directory));
  // Opened and looked at as a directory; unlink refuses it as without the slash.
  std::uint32_t fd = 0;
  BOOST_TEST(d.open_as("d/", 0, p1::r_fd_read | p1::r_fd_readdir, 0, &fd) == 0u);
  BOOST_TEST(d.call("fd_fdstat_get", {fd, at}) == 0u);
  BOOST_TEST(d.mem()[at] == 3u);
  BOOST_TEST(d.open_as("d///", 0, p1::r_fd_read) == 0u);
  BOOST_TEST(d.call("path_filestat_get", {3, 0, d.text("d/"), 2, at}) == 0u);
  BOOST_TEST(d.mem()[at + 16] == 3u);
  BOOST_TEST(d.on_path("path_unlink_file", "d/") == e_isdir);
  // A file with a slash is not a directory, whatever the call; mkdir finds
  // the name taken (mkdir(2)'s EEXIST, wasmtime's and WAMR's exist).
  BOOST_TEST(d.on_path("path_create_directory", "f.txt/") == e_exist);
  BOOST_TEST(d.on_path("path_remove_directory", "f.txt/") == e_notdir);
  BOOST_TEST(d.on_path("path_unlink_file", "f.txt/") == e_notdir);
  BOOST_TEST(d.open_as("f.txt/", 0, p1::r_fd_read) == e_notdir);
  BOOST_TEST(d.open_as("f.txt///", 0, p1::r_fd_read) == e_notdir);
  BOOST_TEST(d.call("path_filestat_get", {3, 0, d.text("f.txt/"), 6, at}) == e_notdir);
  BOOST_TEST(d.rename("f.txt/", "g") == e_notdir);
  BOOST_TEST(d.rename("f.txt", "g/") == e_notdir);
  BOOST_TEST(d.rename("d", "f.txt/") == e_notdir);
  BOOST_TEST((type_at(box, "f.txt") == sys::file_type::regular));
  BOOST_TEST(!sys::exists(join(box, "g").c_str()).value());
  // Nor is a file, a link or a hard link to be made at such a name.
  BOOST_TEST(d.open_as("new/", o_creat, p1::r_fd_read | p1::r_fd_write) == e_isdir);
  BOOST_TEST(d.open_as("new/", 0, p1::r_fd_read) == e_noent);
  BOOST_TEST(d.call("path_symlink", {d.text("x", 0), 1, 3, d.text("new/", 1), 4}) == e_noent);
  BOOST_TEST(d.call("path_symlink", {d.text("x", 0), 1, 3, d.text("d/", 1), 2}) == e_exist);
  BOOST_TEST(d.call("path_symlink", {d.text("x", 0), 1, 3, d.text("f.txt/", 1), 6}) == e_notdir);
  BOOST_TEST(d.call("path_link", {3, 0, d.text("f.txt", 0), 5, 3, d.text("new/", 1), 4}) == e_noent);
  BOOST_TEST(d.call("path_link", {3, 0, d.text("f.txt/", 0), 6, 3, d.text("h", 1), 1}) == e_notdir);
  BOOST_TEST(!sys::exists(join(box, "new").c_str()).value());
  BOOST_TEST(!sys::exists(join(box, "h").c_str()).value());
}

BOOST_AUTO_TEST_CASE(a_link_named_with_a_slash_is_followed_by_the_calls_that_look) {
  // Linux, wasmtime (cap-std) and WAMR: "link/" asks for the directory the
  // link names, so stat, open, set times and readlink follow it even
  // without symlink_follow; unlink, rmdir and rename act on the name, a
  // link, and find no directory (Linux's ENOTDIR; WAMR follows there too).
  sys::temp_directory box = sys::temp_directory::create().value();
  if (!host_links_work(box)) return;
  sys::create_directories(join(box, "d").c_str()).value();
  sys::write_file(join(box, "f.txt").c_str(), "data").value();
  direct d(box);
  const std::uint64_t at = d.scratch();
  BOOST_TEST_REQUIRE(d.call("path_symlink", {d.text("d", 0), 1, 3, d.text("dl", 1), 2}) == 0u);
  BOOST_TEST_REQUIRE(d.call("path_symlink", {d.text("f.txt", 0), 5, 3, d.text("fl", 1), 2}) == 0u);
  BOOST_TEST_REQUIRE(d.call("path_symlink", {d.text("nowhere", 0), 7, 3, d.text("nl", 1), 2}) == 0u);
  auto stat = [&](const char* p) { return d.call("path_filestat_get", {3, 0, d.text(p), std::strlen(p), at}); };
  auto readlink = [&](const char* p) {
    return d.call("path_readlink", {3, d.text(p), std::strlen(p), at + 256, 64, at + 512});
  };
  BOOST_TEST(stat("dl/") == 0u);
  BOOST_TEST(d.mem()[at + 16] == 3u);  // the directory
  BOOST_TEST(stat("dl") == 0u);
  BOOST_TEST(d.mem()[at + 16] == 7u);  // the link
  BOOST_TEST(stat("fl/") == e_notdir);
  BOOST_TEST(stat("nl/") == e_noent);
  BOOST_TEST(d.call("path_filestat_set_times", {3, 0, d.text("dl/"), 3, 0, 0, 8}) == 0u);
  std::uint32_t fd = 0;
  BOOST_TEST(d.call("path_open", {3, 0, d.text("dl/"), 3, 0, p1::r_fd_readdir, 0, 0, at + 600}) == 0u);
  fd = d.u32(at + 600);
  BOOST_TEST(d.call("fd_fdstat_get", {fd, at}) == 0u);
  BOOST_TEST(d.mem()[at] == 3u);
  BOOST_TEST(d.call("path_open", {3, 0, d.text("dl"), 2, 2, p1::r_fd_readdir, 0, 0, at + 600}) == 32u);  // loop
  BOOST_TEST(d.call("path_open", {3, 0, d.text("fl/"), 3, 0, p1::r_fd_read, 0, 0, at + 600}) == e_notdir);
  BOOST_TEST(readlink("dl") == 0u);
  BOOST_TEST(d.u32(at + 512) == 1u);
  BOOST_TEST(readlink("dl/") == e_inval);  // the directory, no link
  BOOST_TEST(readlink("fl/") == e_notdir);
  // The calls on the name itself.
  BOOST_TEST(d.on_path("path_unlink_file", "dl/") == e_notdir);
  BOOST_TEST(d.on_path("path_remove_directory", "dl/") == e_notdir);
  BOOST_TEST(d.rename("dl/", "x") == e_notdir);
  BOOST_TEST((type_at(box, "dl") == sys::file_type::symlink));
  BOOST_TEST((type_at(box, "d") == sys::file_type::directory));
}

BOOST_AUTO_TEST_CASE(a_directory_does_not_open_for_writing) {
  // As wasmtime (open(2) with write access: EISDIR, papered over on Windows).
  sys::temp_directory box = sys::temp_directory::create().value();
  sys::create_directories(join(box, "d").c_str()).value();
  sys::write_file(join(box, "f.txt").c_str(), "data").value();
  direct d(box);
  const std::uint64_t at = d.scratch();
  BOOST_TEST(d.open_as(".", o_directory, p1::r_fd_read | p1::r_fd_write) == e_isdir);
  BOOST_TEST(d.open_as(".", o_directory, ~0ull) == e_isdir);
  BOOST_TEST(d.open_as("d", 0, p1::r_fd_write) == e_isdir);
  BOOST_TEST(d.open_as("d/", o_directory, p1::r_fd_write) == e_isdir);
  // Without fd_write it opens; rights a directory cannot hold are dropped.
  std::uint32_t fd = 0;
  BOOST_TEST(d.open_as(".", o_directory, p1::r_fd_read | p1::r_fd_readdir, 0, &fd) == 0u);
  BOOST_TEST(d.open_as("d", 0, p1::r_fd_readdir | p1::r_fd_allocate | p1::r_fd_filestat_set_size, 0, &fd) == 0u);
  BOOST_TEST(d.call("fd_fdstat_get", {fd, at}) == 0u);
  BOOST_TEST(d.mem()[at] == 3u);
  BOOST_TEST(d.u64(at + 8) == p1::r_fd_readdir);
  // A directory is not made, cut or exclusively created by path_open.
  BOOST_TEST(d.open_as("d", o_directory | o_creat, p1::r_fd_read) == e_inval);
  BOOST_TEST(d.open_as("d", o_directory | o_excl, p1::r_fd_read) == e_inval);
  BOOST_TEST(d.open_as("d", o_directory | o_trunc, p1::r_fd_read) == e_inval);
  BOOST_TEST(d.open_as("d", o_creat | o_excl, p1::r_fd_read) == e_exist);
  BOOST_TEST(d.open_as("d", o_creat, p1::r_fd_read) == e_isdir);
  BOOST_TEST(d.open_as("d", o_trunc, p1::r_fd_read) == e_isdir);
  BOOST_TEST(d.open_as("f.txt", o_directory, p1::r_fd_read) == e_notdir);
  BOOST_TEST(d.open_as("missing", o_directory, p1::r_fd_read) == e_noent);
}

BOOST_AUTO_TEST_CASE(the_kind_of_a_descriptor_comes_before_its_rights) {
  // wasmtime's order: badf, then the kind's errno (notsock, notdir, ...),
  // then notcapable.
  sys::temp_directory box = sys::temp_directory::create().value();
  sys::create_directories(join(box, "d").c_str()).value();
  sys::write_file(join(box, "f.txt").c_str(), "data").value();
  direct d(box);
  const std::uint64_t at = d.scratch();
  const std::uint32_t file = d.open("f.txt");
  std::uint32_t dir = 0;
  BOOST_TEST_REQUIRE(d.open_as("d", o_directory, p1::r_fd_readdir | p1::r_path_open, 0, &dir) == 0u);
  const std::uint32_t bare_file = d.open("f.txt");
  std::uint32_t bare_dir = 0;
  BOOST_TEST_REQUIRE(d.open_as("d", o_directory, p1::r_fd_readdir, 0, &bare_dir) == 0u);
  BOOST_TEST(d.call("fd_fdstat_set_rights", {bare_file, 0, 0}) == 0u);
  BOOST_TEST(d.call("fd_fdstat_set_rights", {bare_dir, 0, 0}) == 0u);
  // No descriptor: badf first.
  BOOST_TEST(d.call("sock_shutdown", {99, 2}) == e_badf);
  BOOST_TEST(d.call("fd_allocate", {99, 0, 1}) == e_badf);
  BOOST_TEST(d.on_path("path_create_directory", "x", 99) == e_badf);
  // Not a socket: notsock, with rights or without (it was notcapable).
  for (std::uint64_t fd : {std::uint64_t{1}, std::uint64_t{3}, std::uint64_t{file}, std::uint64_t{bare_file},
                           std::uint64_t{dir}, std::uint64_t{bare_dir}}) {
    BOOST_TEST(d.call("sock_shutdown", {fd, 2}) == e_notsock, fd);
    BOOST_TEST(d.call("sock_accept", {fd, 0, at}) == e_notsock, fd);
    BOOST_TEST(d.call("sock_recv", {fd, at, 0, 0, at + 16, at + 20}) == e_notsock, fd);
    BOOST_TEST(d.call("sock_send", {fd, at, 0, 0, at + 16}) == e_notsock, fd);
  }
  // Not a directory: notdir, with rights or without (wasmtime's
  // p1_path_open_dirfd_not_dir).
  for (std::uint32_t fd : {file, bare_file}) {
    BOOST_TEST(d.open_as("x", o_creat, p1::r_fd_read, 0, nullptr, fd) == e_notdir, fd);
    BOOST_TEST(d.on_path("path_create_directory", "x", fd) == e_notdir, fd);
    BOOST_TEST(d.on_path("path_unlink_file", "x", fd) == e_notdir, fd);
    BOOST_TEST(d.call("fd_readdir", {fd, at, 64, 0, at + 128}) == e_notdir, fd);
  }
  // Not a file: badf, with rights or without (wasmtime's p1_dir_fd_op_failures).
  for (std::uint32_t fd : {dir, bare_dir}) {
    BOOST_TEST(d.call("fd_allocate", {fd, 0, 1}) == e_badf, fd);
    BOOST_TEST(d.call("fd_filestat_set_size", {fd, 0}) == e_badf, fd);
    BOOST_TEST(d.call("fd_seek", {fd, 0, 0, at}) == e_badf, fd);
    BOOST_TEST(d.call("fd_tell", {fd, at}) == e_badf, fd);
    BOOST_TEST(d.call("fd_read", {fd, at, 0, at + 16}) == e_badf, fd);
    BOOST_TEST(d.call("fd_pwrite", {fd, at, 0, 0, at + 16}) == e_badf, fd);
    BOOST_TEST(d.call("fd_fdstat_set_flags", {fd, 1}) == e_badf, fd);
  }
  // The right kind without the right: notcapable.
  BOOST_TEST(d.call("fd_allocate", {bare_file, 0, 1}) == e_notcapable);
  BOOST_TEST(d.call("fd_filestat_set_size", {bare_file, 0}) == e_notcapable);
  BOOST_TEST(d.call("fd_seek", {bare_file, 0, 0, at}) == e_notcapable);
  BOOST_TEST(d.call("fd_write", {bare_file, at, 0, at + 16}) == e_notcapable);
  BOOST_TEST(d.call("fd_fdstat_set_flags", {bare_file, 1}) == e_notcapable);
  BOOST_TEST(d.open_as("x", 0, p1::r_fd_read, 0, nullptr, bare_dir) == e_notcapable);
  BOOST_TEST(d.call("fd_readdir", {bare_dir, at, 64, 0, at + 128}) == e_notcapable);
  // ... and with it, the call works.
  BOOST_TEST(d.call("fd_readdir", {dir, at, 64, 0, at + 128}) == 0u);
  BOOST_TEST(d.call("fd_filestat_set_size", {file, 2}) == 0u);
  BOOST_TEST(sys::read_file_string(join(box, "f.txt").c_str()).value() == "da");
}

BOOST_AUTO_TEST_CASE(a_directory_descriptor_is_no_file) {
  // wasmtime's p1_dir_fd_op_failures: every call on a file's contents or
  // flags is badf on a directory, the preopened one or one path_open gave,
  // with every right or none; the calls made for directories still work.
  sys::temp_directory box = sys::temp_directory::create().value();
  sys::create_directories(join(box, "d").c_str()).value();
  direct d(box);
  const std::uint64_t at = d.scratch();
  std::uint32_t dir = 0, bare_dir = 0;
  BOOST_TEST_REQUIRE(d.open_as("d", o_directory, p1::r_directory, 0, &dir) == 0u);
  BOOST_TEST_REQUIRE(d.open_as("d", o_directory, 0, 0, &bare_dir) == 0u);
  vitte::detail::store_le(d.mem() + at, static_cast<std::uint32_t>(at + 64));  // one iovec of 8 bytes at +64
  vitte::detail::store_le(d.mem() + at + 4, std::uint32_t{8});
  for (std::uint32_t fd : {3u, dir, bare_dir}) {
    BOOST_TEST(d.call("fd_read", {fd, at, 1, at + 16}) == e_badf, fd);
    BOOST_TEST(d.call("fd_pread", {fd, at, 1, 0, at + 16}) == e_badf, fd);
    BOOST_TEST(d.call("fd_write", {fd, at, 1, at + 16}) == e_badf, fd);
    BOOST_TEST(d.call("fd_pwrite", {fd, at, 1, 0, at + 16}) == e_badf, fd);
    BOOST_TEST(d.call("fd_seek", {fd, 0, 1, at + 16}) == e_badf, fd);
    BOOST_TEST(d.call("fd_seek", {fd, 0, 2, at + 16}) == e_badf, fd);
    BOOST_TEST(d.call("fd_tell", {fd, at + 16}) == e_badf, fd);
    BOOST_TEST(d.call("fd_advise", {fd, 0, 0, 4}) == e_badf, fd);
    BOOST_TEST(d.call("fd_allocate", {fd, 0, 0}) == e_badf, fd);
    BOOST_TEST(d.call("fd_datasync", {fd}) == e_badf, fd);
    BOOST_TEST(d.call("fd_sync", {fd}) == e_badf, fd);
    BOOST_TEST(d.call("fd_fdstat_set_flags", {fd, 4}) == e_badf, fd);
    BOOST_TEST(d.call("fd_fdstat_set_flags", {fd, 0}) == e_badf, fd);
    BOOST_TEST(d.call("fd_filestat_set_size", {fd, 0}) == e_badf, fd);
  }
  for (std::uint32_t fd : {3u, dir}) {
    BOOST_TEST(d.call("fd_filestat_get", {fd, at + 128}) == 0u, fd);
    BOOST_TEST(d.mem()[at + 128 + 16] == 3u, fd);  // a directory
    BOOST_TEST(d.call("fd_readdir", {fd, at + 256, 256, 0, at + 16}) == 0u, fd);
    BOOST_TEST(d.call("fd_filestat_set_times", {fd, 0, 0, 8}) == 0u, fd);  // mtim_now
  }
  // The preopen's name does not fit in no bytes (wasmtime's, too).
  BOOST_TEST(d.call("fd_prestat_dir_name", {3, at + 256, 0}) == e_nametoolong);
  BOOST_TEST(d.call("fd_prestat_dir_name", {3, at + 256, 8}) == 0u);
  BOOST_TEST(std::string(reinterpret_cast<const char*>(d.mem() + at + 256), 8) == "/sandbox");
}

BOOST_AUTO_TEST_CASE(a_stream_without_a_position_is_spipe) {
  // A standard stream that is a pipe: fd_pread and fd_pwrite are spipe
  // before its rights are looked at (wasmtime and WAMR); fd_write works.
  sys::temp_directory box = sys::temp_directory::create().value();
  sys::native_handle ends[2] = {sys::invalid_handle, sys::invalid_handle};
  BOOST_TEST_REQUIRE(!sys::platform::pipe_create(ends, false));
  sys::file reader(ends[0]), writer(ends[1]);
  direct d(box, {}, writer.native());
  const std::uint64_t at = d.scratch();
  d.put(at + 64, "pipe");
  vitte::detail::store_le(d.mem() + at, static_cast<std::uint32_t>(at + 64));
  vitte::detail::store_le(d.mem() + at + 4, std::uint32_t{4});
  BOOST_TEST(d.call("fd_pwrite", {1, at, 1, 0, at + 16}) == e_spipe);
  BOOST_TEST(d.call("fd_pread", {1, at, 1, 0, at + 16}) == e_spipe);
  BOOST_TEST(d.call("fd_write", {1, at, 1, at + 16}) == 0u);
  BOOST_TEST(d.u32(at + 16) == 4u);
  char got[4] = {};
  BOOST_TEST(reader.read(vitte::as_writable_bytes(vitte::span<char>(got, 4))).value() == 4u);
  BOOST_TEST(std::string(got, 4) == "pipe");
  BOOST_TEST(d.call("fd_fdstat_set_rights", {1, 0, 0}) == 0u);
  BOOST_TEST(d.call("fd_pwrite", {1, at, 1, 0, at + 16}) == e_spipe);
  BOOST_TEST(d.call("fd_write", {1, at, 1, at + 16}) == e_notcapable);
}

BOOST_AUTO_TEST_CASE(a_hard_link_names_a_file_itself) {
  // As wasmtime's p1_path_link: a link is made to the name, never through
  // a symbolic link (symlink_follow is inval), never to a directory (perm,
  // linkat(2)'s EPERM), never over a name already there (exist).
  sys::temp_directory box = sys::temp_directory::create().value();
  sys::create_directories(join(box, "d").c_str()).value();
  sys::write_file(join(box, "f.txt").c_str(), "data").value();
  direct d(box);
  auto link = [&](std::uint64_t follow, const char* from, const char* to) {
    return d.call("path_link", {3, follow, d.text(from, 0), std::strlen(from), 3, d.text(to, 1), std::strlen(to)});
  };
  BOOST_TEST(link(1, "f.txt", "h") == e_inval);
  BOOST_TEST(!sys::exists(join(box, "h").c_str()).value());
  BOOST_TEST(link(0, "d", "h") == e_perm);
  BOOST_TEST(link(0, "f.txt", "d") == e_exist);
  BOOST_TEST(link(0, "f.txt", "f.txt") == e_exist);
  BOOST_TEST(link(0, "missing", "h") == e_noent);
  BOOST_TEST(link(0, "f.txt", "h") == 0u);
  BOOST_TEST(sys::read_file_string(join(box, "h").c_str()).value() == "data");
  BOOST_TEST(d.call("path_link", {99, 1, d.text("f.txt", 0), 5, 3, d.text("h2", 1), 2}) == e_badf);  // badf first
  if (!host_links_work(box)) return;
  // A dangling link is linked as itself, and a link does not go over one.
  BOOST_TEST(d.call("path_symlink", {d.text("nowhere", 0), 7, 3, d.text("dangling", 1), 8}) == 0u);
  BOOST_TEST(link(0, "dangling", "same") == 0u);
  BOOST_TEST((type_at(box, "same") == sys::file_type::symlink));
  BOOST_TEST(link(1, "dangling", "other") == e_inval);
  BOOST_TEST(link(0, "f.txt", "dangling") == e_exist);
}

BOOST_AUTO_TEST_CASE(mkdir_finds_a_name_taken_whatever_follows_it) {
  // mkdir(2): a trailing slash asks for the directory mkdir makes anyway;
  // a name already there, file, directory or link, is exist (Linux,
  // wasmtime, WAMR).
  sys::temp_directory box = sys::temp_directory::create().value();
  sys::create_directories(join(box, "d").c_str()).value();
  sys::write_file(join(box, "f.txt").c_str(), "data").value();
  direct d(box);
  for (const char* p : {"d", "d/", "d//", "f.txt", "f.txt/", "f.txt//", ".", "./"})
    BOOST_TEST(d.on_path("path_create_directory", p) == e_exist, p);
  BOOST_TEST(d.on_path("path_create_directory", "d/n//") == 0u);
  BOOST_TEST((type_at(box, "d/n") == sys::file_type::directory));
  BOOST_TEST(d.on_path("path_create_directory", "missing/n/") == e_noent);
  BOOST_TEST(d.on_path("path_create_directory", "f.txt/n") == e_notdir);
  BOOST_TEST(d.on_path("path_create_directory", "../n/") == e_notcapable);
  if (!host_links_work(box)) return;
  BOOST_TEST(d.call("path_symlink", {d.text("d", 0), 1, 3, d.text("dl", 1), 2}) == 0u);
  BOOST_TEST(d.call("path_symlink", {d.text("f.txt", 0), 5, 3, d.text("fl", 1), 2}) == 0u);
  BOOST_TEST(d.call("path_symlink", {d.text("nowhere", 0), 7, 3, d.text("nl", 1), 2}) == 0u);
  for (const char* p : {"dl", "dl/", "fl/", "nl/"}) BOOST_TEST(d.on_path("path_create_directory", p) == e_exist, p);
  BOOST_TEST(!sys::exists(join(box, "nowhere").c_str()).value());
}

BOOST_AUTO_TEST_CASE(arguments_out_of_range_are_inval) {
  // Each as WAMR answers on the same calls (and wasmtime's p1 tests where
  // they look): whence, offsets and sizes past the OS's signed range,
  // advice, time flags, clocks.
  sys::temp_directory box = sys::temp_directory::create().value();
  sys::write_file(join(box, "f.txt").c_str(), "0123456789").value();
  direct d(box);
  const std::uint64_t at = d.scratch();
  const std::uint32_t fd = d.open("f.txt");
  BOOST_TEST(d.call("fd_seek", {fd, 0, 3, at}) == e_inval);
  BOOST_TEST(d.call("fd_seek", {fd, ~0ull, 0, at}) == e_inval);       // -1 from the start
  BOOST_TEST(d.call("fd_seek", {fd, 0ull - 100, 1, at}) == e_inval);  // before the start
  BOOST_TEST(d.call("fd_seek", {fd, 10, 2, at}) == 0u);               // past the end is fine
  BOOST_TEST(d.u64(at) == 20u);
  BOOST_TEST(d.call("fd_seek", {fd, 0ull - 3, 2, at}) == 0u);
  BOOST_TEST(d.u64(at) == 7u);
  BOOST_TEST(d.call("fd_advise", {fd, 0, 0, 6}) == e_inval);
  BOOST_TEST(d.call("fd_allocate", {fd, 0, 0}) == e_inval);  // posix_fallocate's EINVAL
  BOOST_TEST(d.call("fd_filestat_set_size", {fd, ~0ull}) == e_inval);
  BOOST_TEST(d.call("fd_filestat_set_size", {fd, 1ull << 63}) == e_inval);
  BOOST_TEST(d.call("fd_filestat_set_times", {fd, 0, 0, 4 | 8}) == e_inval);  // mtim and mtim_now
  BOOST_TEST(d.call("fd_filestat_set_times", {fd, 0, 0, 16}) == e_inval);     // no such flag
  vitte::detail::store_le(d.mem() + at + 64, static_cast<std::uint32_t>(at + 128));
  vitte::detail::store_le(d.mem() + at + 68, std::uint32_t{4});
  BOOST_TEST(d.call("fd_pread", {fd, at + 64, 1, ~0ull, at + 72}) == e_inval);
  BOOST_TEST(d.call("fd_pwrite", {fd, at + 64, 1, ~0ull, at + 72}) == e_inval);
  BOOST_TEST(sys::read_file_string(join(box, "f.txt").c_str()).value() == "0123456789");
  BOOST_TEST(d.call("clock_time_get", {99, 1, at}) == e_inval);
  BOOST_TEST(d.call("clock_res_get", {99, at}) == e_inval);
  // A closed preopen is gone like any descriptor.
  BOOST_TEST(d.call("fd_close", {3}) == 0u);
  BOOST_TEST(d.call("fd_close", {3}) == e_badf);
  BOOST_TEST(d.call("fd_prestat_get", {3, at}) == e_badf);
}

BOOST_AUTO_TEST_CASE(a_directory_that_cannot_be_granted_is_named) {
  wasm::wasi_options o;
  o.dirs.push_back({"/no/such/directory/here", "/data"});
  vitte::diagnostic why;
  auto w = wasm::wasi::create(o, &why);
  BOOST_TEST_REQUIRE(!w.has_value());
  BOOST_TEST(w.error() == vitte::errc::not_found);
  BOOST_TEST(w.error().op() == wasm::ops::wasi_preopen);
  BOOST_TEST(why.subject() == "/no/such/directory/here");
  BOOST_TEST((why.kind() == vitte::errc::not_found));
  BOOST_TEST(
      std::string(why.format().c_str()).find("/no/such/directory/here: cannot open the directory (for /data)") == 0u,
      why.format().c_str());
}

BOOST_AUTO_TEST_SUITE_END()
