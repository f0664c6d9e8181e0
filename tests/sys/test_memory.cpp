// Virtual memory (regions, guard pages, W^X), shared memory, aligned
// allocation, arenas and the std::pmr adapter, on the default platform, on
// freestanding boards and under fault injection.
#include <vitte/sys/access_fault.hpp>
#include <vitte/sys/aligned_alloc.hpp>
#include <vitte/sys/arena.hpp>
#include <vitte/sys/info.hpp>
#include <vitte/sys/memory.hpp>
#include <vitte/sys/memory_resource.hpp>
#include <vitte/sys/policy/fault.hpp>
#include <vitte/sys/policy/freestanding.hpp>
#include <vitte/sys/shared_memory.hpp>
#include <vitte/sys/virtual_arena.hpp>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <memory_resource>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "print.hpp"

#if VITTE_OS_WINDOWS
#include <windows.h>
#else
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

namespace sys = vitte::sys;
namespace utf = boost::unit_test;
using vitte::errc;
using vitte::operation;

namespace vitte::sys {
inline std::ostream& operator<<(std::ostream& os, protection p) { return os << static_cast<int>(p); }
}  // namespace vitte::sys

namespace {

using faulty = sys::fault_platform<sys::platform>;

const std::size_t page = sys::region::page_size();

bool all_zero(std::span<const std::byte> bytes) {
  for (std::byte b : bytes)
    if (b != std::byte{0}) return false;
  return true;
}

// ---------------------------------------------------------------------------
// Machine code: a function `int f()` returning `value`, for the processors
// the test knows. Returns the bytes written (0: unknown processor).
std::size_t write_return(std::byte* out, int value) {
#if defined(__x86_64__) || defined(_M_X64)
  const unsigned char code[] = {0xB8, static_cast<unsigned char>(value), 0, 0, 0, 0xC3};  // mov eax, value; ret
  std::memcpy(out, code, sizeof code);
  return sizeof code;
#elif defined(__aarch64__)
  const std::uint32_t code[] = {0x52800000u | static_cast<std::uint32_t>(value) << 5,  // mov w0, #value
                                0xD65F03C0u};                                          // ret
  std::memcpy(out, code, sizeof code);
  return sizeof code;
#elif defined(__arm__)
  // A32 code; a call through a pointer with bit 0 clear switches to it from
  // Thumb, and `bx lr` switches back.
  const std::uint32_t code[] = {0xE3A00000u | static_cast<std::uint32_t>(value),  // mov r0, #value
                                0xE12FFF1Eu};                                     // bx lr
  std::memcpy(out, code, sizeof code);
  return sizeof code;
#else
  (void)out, (void)value;
  return 0;
#endif
}

int call(const std::byte* code) {
  int (*fn)() = nullptr;
  std::memcpy(&fn, &code, sizeof fn);  // object pointer to function pointer, without a cast GCC frowns on
  return fn();
}

boost::test_tools::assertion_result knows_machine_code(utf::test_unit_id) {
  std::byte probe[16];
  boost::test_tools::assertion_result known(write_return(probe, 1) != 0);
  known.message() << "no test machine code for this processor (x86_64, aarch64 and arm only)";
  return known;
}

// ---------------------------------------------------------------------------
// Forbidden accesses, run in a child process that they must kill.
enum class forbidden { read_guard_page, read_protection_none, write_read_only };

// Makes a region, sets a page up as `what` asks, and touches it. Returns
// only if the access did not fault (or the set-up failed: exit status 2).
void touch_forbidden(forbidden what) {
  auto r = sys::region::allocate(3 * page);
  if (!r) std::_Exit(2);
  std::byte* target = r->data() + page;
  vitte::status s;
  switch (what) {
    case forbidden::read_guard_page:
      s = r->guard(page, page);
      break;
    case forbidden::read_protection_none:
      s = r->protect(page, page, sys::protection::none);
      break;
    case forbidden::write_read_only:
      s = r->protect(page, page, sys::protection::read);
      break;
  }
  if (!s) std::_Exit(2);
  volatile std::byte* p = target;
  if (what == forbidden::write_read_only) {
    *p = std::byte{1};
    return;
  }
  std::byte v = *p;
  (void)v;
}

const char* name_of(forbidden what) {
  switch (what) {
    case forbidden::read_guard_page:
      return "read_guard_page";
    case forbidden::read_protection_none:
      return "read_protection_none";
    case forbidden::write_read_only:
      return "write_read_only";
  }
  return "";
}

#if VITTE_OS_WINDOWS
// The child is this executable, started with --vitte-memory-child=<what>;
// it touches the page during static initialisation, before Boost.Test
// starts. It ends with the code of the first exception it raises, so the
// parent sees EXCEPTION_ACCESS_VIOLATION without Windows Error Reporting (or
// wine's debugger) getting involved.
constexpr std::wstring_view child_flag = L"--vitte-memory-child=";

LONG WINAPI exit_with_exception_code(EXCEPTION_POINTERS* info) {
  ::TerminateProcess(::GetCurrentProcess(), info->ExceptionRecord->ExceptionCode);
  return EXCEPTION_CONTINUE_SEARCH;
}

std::wstring widen(const char* s) {
  std::wstring w;
  for (; *s != '\0'; ++s) w += static_cast<wchar_t>(*s);
  return w;
}

[[maybe_unused]] const bool is_child = [] {
  std::wstring_view command = ::GetCommandLineW();
  std::size_t at = command.find(child_flag);
  if (at == std::wstring_view::npos) return false;
  std::wstring_view what = command.substr(at + child_flag.size());
  for (forbidden f : {forbidden::read_guard_page, forbidden::read_protection_none, forbidden::write_read_only}) {
    if (what != widen(name_of(f))) continue;
    ::AddVectoredExceptionHandler(1, exit_with_exception_code);
    touch_forbidden(f);
  }
  std::_Exit(3);  // no fault, or an unknown name
}();

// Runs this executable as a child touching `what`; returns its exit code.
DWORD exit_code_of_child(forbidden what) {
  wchar_t self[MAX_PATH];
  DWORD n = ::GetModuleFileNameW(nullptr, self, MAX_PATH);
  if (n == 0 || n == MAX_PATH) return 0;
  std::wstring command = L"\"" + std::wstring(self) + L"\" " + std::wstring(child_flag) + widen(name_of(what));
  STARTUPINFOW si{};
  si.cb = sizeof si;
  PROCESS_INFORMATION pi{};
  if (!::CreateProcessW(self, command.data(), nullptr, nullptr, FALSE, 0, nullptr, nullptr, &si, &pi)) return 0;
  ::WaitForSingleObject(pi.hProcess, INFINITE);
  DWORD code = 0;
  ::GetExitCodeProcess(pi.hProcess, &code);
  ::CloseHandle(pi.hThread);
  ::CloseHandle(pi.hProcess);
  return code;
}

bool killed_by_access_violation(forbidden what) {
  DWORD code = exit_code_of_child(what);
  BOOST_TEST_MESSAGE(name_of(what) << ": child exit code 0x" << std::hex << code);
  return code == EXCEPTION_ACCESS_VIOLATION;
}
#else
// Forks; the child touches the page with the default action for SIGSEGV and
// SIGBUS (Boost.Test and the sanitizers install handlers that would report
// and exit instead) and without a core dump. Returns the signal that ended
// the child, or 0 when it exited.
int signal_of_child(forbidden what) {
  pid_t pid = ::fork();
  if (pid == 0) {
    struct rlimit no_core = {0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
    struct sigaction dfl = {};
    dfl.sa_handler = SIG_DFL;
    ::sigaction(SIGSEGV, &dfl, nullptr);
    ::sigaction(SIGBUS, &dfl, nullptr);
    touch_forbidden(what);
    ::_exit(0);
  }
  int status = 0;
  if (pid < 0 || ::waitpid(pid, &status, 0) != pid) return 0;
  BOOST_TEST_MESSAGE(name_of(what) << ": child status " << status);
  return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

bool killed_by_access_violation(forbidden what) {
  int sig = signal_of_child(what);
  return sig == SIGSEGV || sig == SIGBUS;
}
#endif

// ---------------------------------------------------------------------------
// Freestanding boards with RAM (and one with an MPU), for the policy without an OS.
struct ram_board {
  static constexpr std::size_t memory_page_size = 256;
  static std::span<std::byte> memory() noexcept {
    alignas(256) static std::byte ram[16 * 1024];
    return ram;
  }
};

struct mpu_board {
  static std::span<std::byte> memory() noexcept {
    alignas(1024) static std::byte ram[8 * 1024];
    return ram;
  }
  static inline sys::protection last = sys::protection::read_write;
  static inline int calls = 0;
  static inline bool refuse = false;
  static bool protect(void*, std::size_t, sys::protection p) noexcept {
    ++calls;
    last = p;
    return !refuse;
  }
};

using ram = sys::freestanding_platform<ram_board>;
using mpu = sys::freestanding_platform<mpu_board>;

}  // namespace

// ===========================================================================
BOOST_AUTO_TEST_SUITE(memory)

BOOST_AUTO_TEST_CASE(default_platform_has_every_memory_capability) {
  static_assert(sys::memory_capability<sys::platform>);
  static_assert(sys::memory_protection_capability<sys::platform>);
  static_assert(sys::shared_memory_capability<sys::platform>);
  static_assert(sys::aligned_allocation_capability<sys::platform>);
  static_assert(sys::memory_protection_capability<faulty> && sys::shared_memory_capability<faulty>);
  static_assert(!std::is_copy_constructible_v<sys::region> && std::is_nothrow_move_constructible_v<sys::region>);
  static_assert(!std::is_copy_constructible_v<sys::shared_memory>);
  static_assert(!std::is_copy_constructible_v<sys::arena>);
  BOOST_TEST(page == sys::page_size());
}

BOOST_AUTO_TEST_CASE(huge_page_sizes_are_sorted_multiples_of_the_page) {
  sys::page_size_list huge = sys::huge_page_sizes();
  std::size_t prev = page;
  for (std::size_t size : huge) {
    BOOST_TEST_MESSAGE("huge page size " << size);
    BOOST_TEST(size > prev);
    BOOST_TEST(size % page == 0u);
    prev = size;
  }
  BOOST_TEST(huge.count <= sys::page_size_list::capacity);
}

BOOST_AUTO_TEST_CASE(reserve_commit_decommit) {
  auto r = sys::region::reserve(10 * page - 1).value();  // rounded up
  BOOST_REQUIRE(!r.empty());
  BOOST_TEST(r.size() == 10 * page);
  BOOST_TEST(reinterpret_cast<std::uintptr_t>(r.data()) % sys::allocation_granularity() == 0u);
  BOOST_TEST(!r.is_view());

  BOOST_TEST(r.commit(2 * page, 3 * page).has_value());
  std::byte* p = r.data() + 2 * page;
  BOOST_TEST(all_zero({p, 3 * page}));
  std::memset(p, 0x5A, 3 * page);

  // Committing again keeps the contents.
  BOOST_TEST(r.commit(2 * page, page).has_value());
  BOOST_TEST((p[0] == std::byte{0x5A}));

  // Decommitted pages read as zeros once committed again.
  BOOST_TEST(r.decommit(2 * page, 2 * page).has_value());
  BOOST_TEST(r.commit(2 * page, 3 * page).has_value());
  BOOST_TEST(all_zero({p, 2 * page}));
  BOOST_TEST((p[2 * page] == std::byte{0x5A}));  // the page left committed
  BOOST_TEST(r.release().has_value());
  BOOST_TEST(r.empty());
  BOOST_TEST(r.release().has_value());  // nothing left to release
}

BOOST_AUTO_TEST_CASE(allocate_with_hints_gives_zeroed_memory) {
  constexpr std::size_t size = std::size_t{4} << 20;
  auto r = sys::region::allocate(size, sys::protection::read_write, {.populate = true, .huge_pages = true}).value();
  BOOST_TEST(r.size() == size);
  BOOST_TEST(all_zero(r.bytes()));
  std::memset(r.data(), 1, size);

  auto ro = sys::region::allocate(page, sys::protection::read, {.populate = true}).value();
  BOOST_TEST(all_zero(ro.bytes()));

  auto reserved = sys::region::allocate(page, sys::protection::none, {.populate = true}).value();
  BOOST_TEST(reserved.size() == page);
}

BOOST_AUTO_TEST_CASE(regions_move_and_release_once) {
  auto a = sys::region::allocate(page).value();
  std::byte* where = a.data();
  sys::region b = std::move(a);
  BOOST_TEST(a.empty());  // NOLINT(bugprone-use-after-move): moved-from regions are empty
  BOOST_TEST(!a);
  BOOST_TEST(b.data() == where);
  sys::region c;
  c = std::move(b);
  BOOST_TEST(c.data() == where);
  c = sys::region::allocate(2 * page).value();  // releases the first one
  BOOST_TEST(c.size() == 2 * page);
  BOOST_TEST(a.commit(0, page).error() == errc::bad_descriptor);
}

BOOST_AUTO_TEST_CASE(forbidden_accesses_kill_the_process) {
  BOOST_TEST(killed_by_access_violation(forbidden::read_guard_page));
  BOOST_TEST(killed_by_access_violation(forbidden::read_protection_none));
  BOOST_TEST(killed_by_access_violation(forbidden::write_read_only));
}

#if VITTE_OS_POSIX || VITTE_OS_WINDOWS
namespace {
// Access faults as returns: a reservation whose first page is committed and
// whose next three are a guard the runs claim.
struct guarded {
  sys::region r = sys::region::reserve(4 * page).value();
  guarded() { r.commit(0, page).value(); }
  std::byte* guard() const { return r.data() + page; }
};
bool in_guard(void* g, const void* at) noexcept {
  const auto* x = static_cast<const guarded*>(g);
  return at >= x->guard() && at < x->r.data() + x->r.size();
}
void touch(void* p) {
  volatile std::byte* b = static_cast<std::byte*>(p);
  std::byte v = *b;
  (void)v;
}
struct nested {
  guarded* g;
  sys::access_fault inner;
};
// Runs a run that faults, then faults itself.
void fault_inside_and_after(void* p) {
  auto* n = static_cast<nested*>(p);
  n->inner = sys::run_catching_access_faults(&touch, n->g->guard() + 100, &in_guard, n->g);
  touch(n->g->guard() + 200);
}
// Under a pause, a run started there claims its own fault.
void fault_in_a_run_under_a_pause(void* p) {
  auto* n = static_cast<nested*>(p);
  sys::basic_access_fault_pause<> host;
  n->inner = sys::run_catching_access_faults(&touch, n->g->guard() + 300, &in_guard, n->g);
}
}  // namespace

BOOST_AUTO_TEST_CASE(a_claimed_access_fault_ends_the_run_with_its_address) {
  BOOST_TEST_REQUIRE(sys::install_access_fault_handler());
  guarded g;
  sys::access_fault f = sys::run_catching_access_faults(&touch, g.r.data() + 8, &in_guard, &g);
  BOOST_TEST(!f);  // committed: fn returned
  int wrong = 0;
  for (int k = 0; k < 200; ++k) {  // the handler stays, the signal mask too
    std::byte* at = g.guard() + static_cast<std::size_t>(k) * 61 % (3 * page);
    f = sys::run_catching_access_faults(&touch, at, &in_guard, &g);
    wrong += !f || f.address != at;
  }
  BOOST_TEST(wrong == 0);
  nested n{&g, {}};
  f = sys::run_catching_access_faults(&fault_inside_and_after, &n, &in_guard, &g);
  BOOST_TEST((n.inner && n.inner.address == g.guard() + 100));
  BOOST_TEST((f && f.address == g.guard() + 200));
  n.inner = {};
  f = sys::run_catching_access_faults(&fault_in_a_run_under_a_pause, &n, &in_guard, &g);
  BOOST_TEST(!f);
  BOOST_TEST((n.inner && n.inner.address == g.guard() + 300));
}
#endif

#if VITTE_OS_POSIX
BOOST_AUTO_TEST_CASE(a_thread_that_blocks_every_signal_still_has_its_faults_claimed) {
  BOOST_TEST_REQUIRE(sys::install_access_fault_handler());
  guarded g;
  sys::access_fault f;
  std::thread t([&] {
    sigset_t all;
    sigfillset(&all);  // as servers do before starting threads
    ::pthread_sigmask(SIG_BLOCK, &all, nullptr);
    f = sys::run_catching_access_faults(&touch, g.guard() + 5, &in_guard, &g);
  });
  t.join();
  BOOST_TEST((f && f.address == g.guard() + 5));
}
#endif

BOOST_AUTO_TEST_CASE(write_xor_execute_runs_code, *utf::precondition(knows_machine_code)) {
  auto code = sys::region::allocate(page).value();
  std::size_t n = write_return(code.data(), 42);
  BOOST_TEST(code.make_executable(0, n).has_value());
  BOOST_TEST(call(code.data()) == 42);

  // Patch: writable again (not executable), then executable (not writable).
  BOOST_TEST(code.make_writable(0, page).has_value());
  write_return(code.data(), 7);
  BOOST_TEST(code.make_executable(0, page).has_value());
  BOOST_TEST(call(code.data()) == 7);
}

BOOST_AUTO_TEST_CASE(shared_memory_maps_twice) {
  auto shm = sys::shared_memory::create(page + 1).value();
  BOOST_TEST(shm.size() == 2 * page);
  auto rw = shm.map(sys::protection::read_write).value();
  auto ro = shm.map(sys::protection::read).value();
  BOOST_TEST(rw.is_view());
  BOOST_TEST(rw.data() != ro.data());
  BOOST_TEST(all_zero(ro.bytes()));
  std::memcpy(rw.data() + page, "vitte", 6);
  BOOST_TEST(std::string(reinterpret_cast<const char*>(ro.data() + page)) == "vitte");

  // Views outlive the shared memory object.
  shm.close();
  BOOST_TEST(shm.empty());
  rw.data()[0] = std::byte{9};
  BOOST_TEST((ro.data()[0] == std::byte{9}));

  // Views are always committed.
  BOOST_TEST(rw.decommit(0, page).error() == errc::not_supported);
  BOOST_TEST(rw.commit(0, page).error() == errc::not_supported);
  vitte::status locked = rw.lock(0, page);
  BOOST_TEST((locked.has_value() || locked.error() != errc::invalid_argument));
  if (locked) BOOST_TEST(rw.unlock(0, page).has_value());
}

BOOST_AUTO_TEST_CASE(shared_memory_executes_through_a_second_view, *utf::precondition(knows_machine_code)) {
  auto shm = sys::shared_memory::create(page).value();
  auto rw = shm.map(sys::protection::read_write).value();
  auto rx = shm.map(sys::protection::read_execute).value();
  std::size_t n = write_return(rw.data(), 42);
  BOOST_TEST(sys::flush_instruction_cache(rx.data(), n).has_value());
  BOOST_TEST(call(rx.data()) == 42);
  // More code while the first runs: the code pages never become writable.
  // (At a new offset: qemu-user, which runs the Arm targets here, misses
  // writes to code it has translated when they go through another mapping.)
  n = write_return(rw.data() + 64, 99);
  BOOST_TEST(sys::flush_instruction_cache(rx.data() + 64, n).has_value());
  BOOST_TEST(call(rx.data() + 64) == 99);
}

BOOST_AUTO_TEST_CASE(bad_input_is_an_error_not_undefined_behaviour) {
  auto expect = [](vitte::error e, errc kind, operation op) {
    BOOST_TEST(e.kind() == kind);
    BOOST_TEST(e.op() == op);
  };
  constexpr std::size_t huge = ~std::size_t{0};
  expect(sys::region::reserve(0).error(), errc::invalid_argument, vitte::sys::ops::memory_reserve);
  expect(sys::region::reserve(huge).error(), errc::invalid_argument, vitte::sys::ops::memory_reserve);
  expect(sys::region::allocate(page, static_cast<sys::protection>(9)).error(), errc::invalid_argument,
         vitte::sys::ops::memory_reserve);

  auto r = sys::region::reserve(4 * page).value();
  expect(r.commit(0, 0).error(), errc::invalid_argument, vitte::sys::ops::memory_commit);
  expect(r.commit(1, page).error(), errc::invalid_argument, vitte::sys::ops::memory_commit);
  expect(r.commit(page, 4 * page).error(), errc::invalid_argument, vitte::sys::ops::memory_commit);
  expect(r.commit(5 * page, page).error(), errc::invalid_argument, vitte::sys::ops::memory_commit);
  expect(r.commit(page, huge - page / 2).error(), errc::invalid_argument, vitte::sys::ops::memory_commit);
  expect(r.commit(page, huge).error(), errc::invalid_argument, vitte::sys::ops::memory_commit);
  expect(r.commit(2 * page, huge - page + 1).error(), errc::invalid_argument, vitte::sys::ops::memory_commit);
  expect(r.commit(0, page, sys::protection::none).error(), errc::invalid_argument, vitte::sys::ops::memory_commit);
  expect(r.decommit(page / 2, page).error(), errc::invalid_argument, vitte::sys::ops::memory_decommit);
  expect(r.protect(0, page, static_cast<sys::protection>(200)).error(), errc::invalid_argument,
         vitte::sys::ops::memory_protect);
  expect(r.make_executable(0, 5 * page).error(), errc::invalid_argument, vitte::sys::ops::memory_protect);
  expect(r.guard(3 * page, 2 * page).error(), errc::invalid_argument, vitte::sys::ops::memory_decommit);
  expect(r.advise(0, page, static_cast<sys::advice>(7)).error(), errc::invalid_argument,
         vitte::sys::ops::memory_advise);
  expect(r.lock(0, 0).error(), errc::invalid_argument, vitte::sys::ops::memory_lock);
  expect(r.unlock(page + 1, page).error(), errc::invalid_argument, vitte::sys::ops::memory_unlock);

  sys::region empty;
  expect(empty.protect(0, page, sys::protection::read).error(), errc::bad_descriptor, vitte::sys::ops::memory_protect);

  expect(sys::flush_instruction_cache(nullptr, 16).error(), errc::invalid_argument,
         vitte::sys::ops::memory_flush_icache);
  expect(sys::flush_instruction_cache(r.data(), 0).error(), errc::invalid_argument,
         vitte::sys::ops::memory_flush_icache);
  expect(sys::flush_instruction_cache(r.data(), huge).error(), errc::invalid_argument,
         vitte::sys::ops::memory_flush_icache);

  expect(sys::shared_memory::create(0).error(), errc::invalid_argument, vitte::sys::ops::shared_memory_create);
  expect(sys::shared_memory{}.map(sys::protection::read).error(), errc::bad_descriptor,
         vitte::sys::ops::shared_memory_map);
  auto shm = sys::shared_memory::create(page).value();
  expect(shm.map(sys::protection::none).error(), errc::invalid_argument, vitte::sys::ops::shared_memory_map);
}

BOOST_AUTO_TEST_CASE(more_address_space_than_exists_is_no_memory) {
  // Passes the checks, but is more than any process's address space: 4 EiB
  // on 64-bit targets, all of it but 16 pages on 32-bit ones.
  std::size_t size = sizeof(void*) == 8 ? std::size_t{1} << (sizeof(void*) * 8 - 2) : ~std::size_t{0} - 16 * page + 1;
  auto r = sys::region::reserve(size);
  BOOST_TEST(r.error().kind() == errc::no_memory);
  BOOST_TEST(r.error().op() == vitte::sys::ops::memory_reserve);
  BOOST_TEST((r.error().domain() != vitte::error_domain::none));
}

BOOST_AUTO_TEST_CASE(lock_advise_and_unlock) {
  auto r = sys::region::allocate(4 * page).value();
  vitte::status locked = r.lock(0, page);
  if (!locked) {
    // Locking may be refused by policy (RLIMIT_MEMLOCK, working-set size):
    // that must be a clear error, not bad input.
    BOOST_TEST_MESSAGE("lock refused: " << locked.error());
    BOOST_TEST((locked.error() == errc::no_memory || locked.error() == errc::permission_denied));
  } else {
    BOOST_TEST(r.unlock(0, page).has_value());
  }
  BOOST_TEST(r.advise(0, 4 * page, sys::advice::will_need).has_value());
  r.data()[0] = std::byte{1};
  BOOST_TEST(r.advise(0, 4 * page, sys::advice::dont_need).has_value());
  r.data()[0] = std::byte{2};  // still committed and writable
  BOOST_TEST((r.data()[0] == std::byte{2}));
}

BOOST_AUTO_TEST_CASE(aligned_allocation) {
  for (std::size_t alignment = 1; alignment <= 8192; alignment *= 2) {
    void* p = sys::aligned_allocate(100, alignment).value();
    BOOST_TEST(reinterpret_cast<std::uintptr_t>(p) % alignment == 0u);
    std::memset(p, 0xEE, 100);
    sys::aligned_free(p);
  }
  std::unique_ptr<double, sys::aligned_deleter<>> v{
      static_cast<double*>(sys::aligned_allocate(64 * sizeof(double), 64).value())};
  v.get()[63] = 1.5;
  sys::aligned_free(nullptr);
  BOOST_TEST(sys::aligned_allocate(0, 8).error() == errc::invalid_argument);
  BOOST_TEST(sys::aligned_allocate(8, 24).error() == errc::invalid_argument);
  BOOST_TEST(sys::aligned_allocate(8, 0).error().op() == vitte::sys::ops::allocate);
  // The freestanding way (over-allocation from malloc) works on any host.
  void* q = sys::aligned_allocate<ram>(10, 256).value();
  BOOST_TEST(reinterpret_cast<std::uintptr_t>(q) % 256 == 0u);
  sys::aligned_free<ram>(q);
}

// ---------------------------------------------------------------------------
// Arenas.

BOOST_AUTO_TEST_CASE(arena_aligns_and_runs_out) {
  alignas(64) std::byte buffer[256];
  sys::arena a{buffer};
  BOOST_TEST(a.capacity() == 256u);
  void* p1 = a.allocate(1, 1).value();
  BOOST_TEST(p1 == static_cast<void*>(buffer));
  void* p2 = a.allocate(8, 16).value();
  BOOST_TEST(reinterpret_cast<std::uintptr_t>(p2) % 16 == 0u);
  BOOST_TEST(a.used() == 24u);
  void* p3 = a.allocate(32, 64).value();
  BOOST_TEST(p3 == static_cast<void*>(buffer + 64));
  BOOST_TEST(a.owns(p3));
  BOOST_TEST(!a.owns(buffer + 256));

  auto full = a.allocate(200);
  BOOST_TEST(full.error().kind() == errc::no_memory);
  BOOST_TEST(full.error().op() == vitte::sys::ops::allocate);
  BOOST_TEST(a.try_allocate(200) == nullptr);
  BOOST_TEST(a.allocate(a.remaining(), 1).has_value());  // exactly what is left
  BOOST_TEST(a.remaining() == 0u);
  BOOST_TEST(a.allocate(1, 1).error() == errc::no_memory);
}

BOOST_AUTO_TEST_CASE(arena_marks_resets_and_creates) {
  alignas(16) std::byte buffer[128];
  sys::arena a{buffer};
  struct point {
    int x, y;
  };
  point* p = a.create<point>(point{3, 4}).value();
  BOOST_TEST(p->y == 4);
  std::size_t m = a.mark();
  BOOST_TEST(a.allocate(64, 1).has_value());
  a.rewind(m);
  BOOST_TEST(a.used() == m);
  a.rewind(1000);  // beyond what is used: ignored
  BOOST_TEST(a.used() == m);
  a.reset();
  BOOST_TEST(a.used() == 0u);
  sys::arena b = std::move(a);
  BOOST_TEST(b.capacity() == 128u);
  BOOST_TEST(a.capacity() == 0u);  // NOLINT(bugprone-use-after-move)
  BOOST_TEST(a.try_allocate(1) == nullptr);
}

BOOST_AUTO_TEST_CASE(arena_refuses_bad_input) {
  alignas(16) std::byte buffer[64];
  sys::arena a{buffer};
  BOOST_TEST(a.allocate(0).error() == errc::invalid_argument);
  BOOST_TEST(a.allocate(8, 3).error() == errc::invalid_argument);
  BOOST_TEST(a.allocate(8, 0).error() == errc::invalid_argument);
  BOOST_TEST(a.allocate(~std::size_t{0}, 1).error() == errc::no_memory);
  BOOST_TEST(a.try_allocate(0) == nullptr);
  BOOST_TEST(a.try_allocate(8, 12) == nullptr);
  BOOST_TEST(a.used() == 0u);
  sys::arena none;
  BOOST_TEST(none.allocate(1).error() == errc::no_memory);
}

BOOST_AUTO_TEST_CASE(virtual_arena_commits_as_it_grows) {
  auto a = sys::virtual_arena::reserve(std::size_t{64} << 20, 4 * page).value();
  BOOST_TEST(a.capacity() == std::size_t{64} << 20);
  BOOST_TEST(a.committed() == 0u);
  auto* first = static_cast<std::byte*>(a.allocate(100).value());
  BOOST_TEST(a.committed() == 4 * page);
  std::memset(first, 1, 100);
  void* big = a.allocate(10 * page, page).value();
  BOOST_TEST(reinterpret_cast<std::uintptr_t>(big) % page == 0u);
  BOOST_TEST(a.committed() == 12 * page);
  std::memset(big, 2, 10 * page);
  BOOST_TEST((first[99] == std::byte{1}));  // growth never moves memory
  BOOST_TEST(a.owns(big));
  int* n = a.create<int>(5).value();
  BOOST_TEST(*n == 5);

  a.reset();
  BOOST_TEST(a.used() == 0u);
  BOOST_TEST(a.committed() == 12 * page);
  BOOST_TEST(a.trim().has_value());
  BOOST_TEST(a.committed() == 0u);
  auto* again = static_cast<std::byte*>(a.allocate(page).value());
  BOOST_TEST(again == first);
  BOOST_TEST(all_zero({again, page}));  // trimmed pages come back as zeros
}

BOOST_AUTO_TEST_CASE(virtual_arena_runs_out_at_its_reservation) {
  auto a = sys::virtual_arena::reserve(4 * page).value();  // the step is larger than the arena
  BOOST_TEST(a.allocate(3 * page).has_value());
  BOOST_TEST(a.committed() == 4 * page);
  auto over = a.allocate(2 * page);
  BOOST_TEST(over.error() == errc::no_memory);
  BOOST_TEST(over.error().op() == vitte::sys::ops::allocate);
  BOOST_TEST(a.try_allocate(2 * page) == nullptr);
  BOOST_TEST(a.allocate(page, 1).has_value());
  BOOST_TEST(sys::virtual_arena::reserve(page, 0).error() == errc::invalid_argument);
  BOOST_TEST(sys::virtual_arena::reserve(0).error() == errc::invalid_argument);
  sys::virtual_arena none;
  BOOST_TEST(none.allocate(1).error() == errc::no_memory);
  BOOST_TEST(none.allocate(1, 5).error() == errc::invalid_argument);
}

#if (!defined(__APPLE__) || __ENVIRONMENT_MAC_OS_X_VERSION_MIN_REQUIRED__ >= 140000) && \
    (!defined(VITTE_TEST_PMR_LIBRARY) || VITTE_TEST_PMR_LIBRARY)  // std::pmr's library part: see the end
BOOST_AUTO_TEST_CASE(pmr_containers_allocate_from_the_arena) {
  alignas(64) std::byte buffer[16 * 1024];
  sys::arena a{buffer};
  sys::arena_resource resource{a};
  std::pmr::vector<int> v{&resource};
  for (int i = 0; i < 1000; ++i) v.push_back(i);
  BOOST_TEST(a.owns(v.data()));
  BOOST_TEST(v[999] == 999);
  BOOST_TEST(resource.is_equal(resource));
  BOOST_TEST(resource.upstream_resource() == std::pmr::null_memory_resource());

  // Past the arena, the upstream resource serves (and frees) what it gave.
  alignas(16) std::byte small[256];
  sys::arena tiny{small};
  sys::arena_resource spill{tiny, std::pmr::new_delete_resource()};
  std::pmr::vector<std::uint64_t> w{&spill};
  w.assign(1000, 7);
  BOOST_TEST(!tiny.owns(w.data()));
  BOOST_TEST(w[500] == 7u);
  void* zero = spill.allocate(0);  // zero bytes still get a pointer
  BOOST_TEST(zero != nullptr);
  spill.deallocate(zero, 0);

  auto va = sys::virtual_arena::reserve(std::size_t{1} << 20).value();
  sys::basic_arena_resource grows{va};
  std::pmr::vector<int> g{&grows};
  g.assign(100000, 3);
  BOOST_TEST(va.owns(g.data()));
  BOOST_TEST(va.committed() >= 400000u);
}
#endif

// ---------------------------------------------------------------------------
// Fault injection.

BOOST_AUTO_TEST_CASE(injected_reserve_failure) {
  sys::fault_plan::clear();
  BOOST_TEST(sys::fault_plan::fail(vitte::sys::ops::memory_reserve, errc::no_memory));
  auto r = sys::basic_region<faulty>::reserve(page);
  BOOST_TEST(r.error() == errc::no_memory);
  BOOST_TEST(r.error().op() == vitte::sys::ops::memory_reserve);
  BOOST_TEST(r.error().native() != 0);  // the platform's own code (ENOMEM, ERROR_NOT_ENOUGH_MEMORY)
  BOOST_TEST(sys::basic_region<faulty>::reserve(page).has_value());  // the next call passes
  BOOST_TEST(sys::fault_plan::calls(vitte::sys::ops::memory_reserve) == 2u);
  sys::fault_plan::clear();
}

BOOST_AUTO_TEST_CASE(injected_commit_failure_reaches_the_arena) {
  sys::fault_plan::clear();
  auto a = sys::basic_virtual_arena<faulty>::reserve(std::size_t{1} << 20, page).value();
  BOOST_TEST(sys::fault_plan::fail(vitte::sys::ops::memory_commit, errc::no_memory, 1, 1));
  BOOST_TEST(a.allocate(page).has_value());  // skipped by the rule
  auto e = a.allocate(page);
  BOOST_TEST(e.error() == errc::no_memory);
  BOOST_TEST(e.error().op() == vitte::sys::ops::memory_commit);
  BOOST_TEST(a.try_allocate(page) != nullptr);  // committing works again
  BOOST_TEST(a.committed() == 2 * page);
  sys::fault_plan::clear();
}

BOOST_AUTO_TEST_CASE(injected_release_failure_keeps_the_region) {
  sys::fault_plan::clear();
  auto r = sys::basic_region<faulty>::allocate(page).value();
  BOOST_TEST(sys::fault_plan::fail(vitte::sys::ops::memory_release, errc::invalid_argument));
  BOOST_TEST(r.release().error() == errc::invalid_argument);
  BOOST_TEST(!r.empty());
  BOOST_TEST(r.release().has_value());
  BOOST_TEST(r.empty());
  sys::fault_plan::clear();
}

BOOST_AUTO_TEST_CASE(injected_failures_of_the_other_calls) {
  sys::fault_plan::clear();
  auto r = sys::basic_region<faulty>::allocate(page).value();
  struct rule {
    operation op;
    errc kind;
  };
  for (rule k :
       {rule{vitte::sys::ops::memory_protect, errc::permission_denied},
        rule{vitte::sys::ops::memory_lock, errc::no_memory},
        rule{vitte::sys::ops::memory_advise, errc::invalid_argument},
        rule{vitte::sys::ops::memory_flush_icache, errc::io_error}, rule{vitte::sys::ops::memory_decommit, errc::busy},
        rule{vitte::sys::ops::shared_memory_create, errc::too_many_open_files},
        rule{vitte::sys::ops::allocate, errc::no_memory}})
    BOOST_TEST(sys::fault_plan::fail(k.op, k.kind));
  BOOST_TEST(r.protect(0, page, sys::protection::read).error() == errc::permission_denied);
  BOOST_TEST(r.make_executable(0, page).error() == errc::io_error);  // protect passed, the flush failed
  BOOST_TEST(r.lock(0, page).error() == errc::no_memory);
  BOOST_TEST(r.advise(0, page, sys::advice::will_need).error() == errc::invalid_argument);
  BOOST_TEST(r.guard(0, page).error() == errc::busy);
  BOOST_TEST(sys::basic_shared_memory<faulty>::create(page).error() == errc::too_many_open_files);
  BOOST_TEST(sys::aligned_allocate<faulty>(8, 8).error() == errc::no_memory);
  auto shm = sys::basic_shared_memory<faulty>::create(page).value();
  BOOST_TEST(sys::fault_plan::fail(vitte::sys::ops::shared_memory_map, errc::no_memory));
  BOOST_TEST(shm.map(sys::protection::read).error() == errc::no_memory);
  BOOST_TEST(shm.map(sys::protection::read).has_value());
  sys::fault_plan::clear();
}

// ---------------------------------------------------------------------------
// The freestanding policy on boards with RAM.

BOOST_AUTO_TEST_CASE(freestanding_capabilities_follow_the_board) {
  static_assert(sys::memory_capability<ram>);
  static_assert(!sys::memory_protection_capability<ram>);
  static_assert(!sys::shared_memory_capability<ram>);
  static_assert(sys::aligned_allocation_capability<ram>);
  static_assert(sys::memory_protection_capability<mpu>);
  struct no_ram {};
  static_assert(!sys::memory_capability<sys::freestanding_platform<no_ram>>);
  static_assert(ram::page_size() == 256);
  static_assert(mpu::page_size() == 1024);  // the default
  BOOST_TEST(sys::huge_page_sizes<ram>().empty());
}

BOOST_AUTO_TEST_CASE(freestanding_regions_carve_the_board_memory) {
  using region = sys::basic_region<ram>;
  auto a = region::reserve(1000).value();
  BOOST_TEST(a.size() == 1024u);
  BOOST_TEST(a.data() == ram_board::memory().data());
  BOOST_TEST(a.commit(0, 512).has_value());
  std::memset(a.data(), 7, 512);
  BOOST_TEST(a.decommit(0, 256).has_value());
  BOOST_TEST(all_zero({a.data(), 256}));
  BOOST_TEST((a.data()[256] == std::byte{7}));
  // Without an MPU, the board cannot promise read-only or executable pages.
  BOOST_TEST(a.commit(0, 256, sys::protection::read).error() == errc::not_supported);
  BOOST_TEST(region::allocate(256, sys::protection::read_execute).error() == errc::not_supported);

  auto b = region::allocate(4096).value();
  auto c = region::allocate(256).value();
  BOOST_TEST(b.data() == a.data() + 1024);
  std::memset(b.data(), 1, 4096);
  BOOST_TEST(b.release().has_value());
  auto d = region::allocate(2048).value();  // first fit: in b's old place, zeroed
  BOOST_TEST(d.data() == a.data() + 1024);
  BOOST_TEST(all_zero(d.bytes()));
  BOOST_TEST(region::reserve(16 * 1024).error() == errc::no_memory);

  // Sixteen live regions at most.
  std::vector<region> many;
  for (;;) {
    auto r = region::reserve(256);
    if (!r) {
      BOOST_TEST(r.error() == errc::no_memory);
      break;
    }
    many.push_back(std::move(*r));
  }
  BOOST_TEST(many.size() + 3 == 16u);
}

BOOST_AUTO_TEST_CASE(freestanding_virtual_arena) {
  auto a = sys::basic_virtual_arena<ram>::reserve(8 * 1024, 512).value();
  BOOST_TEST(a.allocate(100).has_value());
  BOOST_TEST(a.committed() == 512u);
  BOOST_TEST(a.allocate(9000).error() == errc::no_memory);  // past the reservation
  BOOST_TEST(a.allocate(4000).has_value());
  BOOST_TEST(a.committed() == 4608u);
}

BOOST_AUTO_TEST_CASE(freestanding_board_with_mpu_protects) {
  using region = sys::basic_region<mpu>;
  mpu_board::calls = 0;
  auto r = region::reserve(3000).value();
  BOOST_TEST(r.size() == 3072u);
  BOOST_TEST(mpu_board::last == sys::protection::none);
  BOOST_TEST(r.commit(0, 1024).has_value());
  BOOST_TEST(mpu_board::last == sys::protection::read_write);
  BOOST_TEST(r.make_executable(0, 1024).has_value());
  BOOST_TEST(mpu_board::last == sys::protection::read_execute);
  BOOST_TEST(r.guard(2048, 1024).has_value());
  BOOST_TEST(mpu_board::last == sys::protection::none);
  mpu_board::refuse = true;
  BOOST_TEST(r.protect(0, 1024, sys::protection::read).error() == errc::not_supported);
  mpu_board::refuse = false;
  BOOST_TEST(r.release().has_value());
  BOOST_TEST(mpu_board::last == sys::protection::read_write);  // back to ordinary RAM
  BOOST_TEST(mpu_board::calls == 6);
}

BOOST_AUTO_TEST_SUITE_END()

// std::pmr's library part is in Apple's libc++ from macOS 14 on
// (vitte/sys/memory_resource.hpp), and Zig 0.11's libc++ (the musl targets)
// lacks it: tests/meson.build defines VITTE_TEST_PMR_LIBRARY=0 where a
// program that calls std::pmr::new_delete_resource() does not link. There
// the arena-resource case says it skips.
#if !((!defined(__APPLE__) || __ENVIRONMENT_MAC_OS_X_VERSION_MIN_REQUIRED__ >= 140000) && \
      (!defined(VITTE_TEST_PMR_LIBRARY) || VITTE_TEST_PMR_LIBRARY))
BOOST_AUTO_TEST_SUITE(memory)
BOOST_AUTO_TEST_CASE(pmr_containers_allocate_from_the_arena) {
  BOOST_TEST_MESSAGE(
      "skipped: this C++ library has no std::pmr::null_memory_resource() or new_delete_resource() "
      "to link against (Zig 0.11's libc++, or Apple's before macOS 14)");
}
BOOST_AUTO_TEST_SUITE_END()
#endif
