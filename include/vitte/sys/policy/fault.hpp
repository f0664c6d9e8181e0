// vitte/sys/policy/fault.hpp - a policy that makes chosen calls fail.
//
// fault_platform<Base> behaves exactly like Base except where a fault_plan
// rule says otherwise. Tests use it to prove that the library copes with
// what real systems do rarely: EINTR, EAGAIN, short reads and writes,
// ENOSPC, EMFILE. Its clocks can be moved forward (advance_clock), so that
// a test sees what a slow peer or a stalled disk does to a deadline
// without waiting for it.
//
//   using P = vitte::sys::fault_platform<vitte::sys::platform>;
//   vitte::sys::fault_plan::clear();
//   vitte::sys::fault_plan::fail(ops::sleep, vitte::errc::interrupted, 3);
//   vitte::sys::sleep_for<P>(1ms).value();   // retried 3 times, then sleeps
//   assert(vitte::sys::fault_plan::calls(ops::sleep) == 4);
//
// The plan is process-wide. Thread safety: rules and counters are guarded
// by a spin lock, so faulty calls may race; set rules up before starting
// the threads that should see them.
#ifndef VITTE_SYS_POLICY_FAULT_HPP
#define VITTE_SYS_POLICY_FAULT_HPP

#include <vitte/base.hpp>
#include <vitte/base/detail/atomic.hpp>  // the plan's lock
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/clock_id.hpp>
#include <vitte/sys/operations.hpp>

#include <cstddef>  // std::size_t
#include <cstdint>

namespace vitte::sys {

/// What a fault rule does to a call it matches.
struct fault {
  enum class action : std::uint8_t {
    pass,            ///< Call through to the base policy.
    fail,            ///< Return an error of kind `kind`.
    short_transfer,  ///< Transfer at most `max_bytes` (reads and writes).
  };
  action what = action::pass;
  errc kind = errc::ok;
  std::size_t max_bytes = 0;

  constexpr explicit operator bool() const noexcept { return what != action::pass; }
};

/// The process-wide set of fault rules and per-operation call counters.
class fault_plan {
 public:
  static constexpr std::size_t max_rules = 32;
  static constexpr std::size_t max_operations = 256;

  /// Makes the next `times` calls of `op` (after skipping `skip` calls)
  /// fail with `kind`. Returns false when the plan is full.
  static bool fail(operation op, errc kind, std::uint32_t times = 1, std::uint32_t skip = 0) noexcept {
    return add({op, fault{fault::action::fail, kind, 0}, times, skip});
  }
  /// Makes the next `times` calls of `op` (after `skip`) transfer at most
  /// `max_bytes` bytes. Returns false when the plan is full.
  static bool shorten(operation op, std::size_t max_bytes, std::uint32_t times = 1, std::uint32_t skip = 0) noexcept {
    return add({op, fault{fault::action::short_transfer, errc::ok, max_bytes}, times, skip});
  }
  /// Removes every rule, zeroes every counter and puts the clocks back.
  static void clear() noexcept {
    lock_guard g;
    for (rule& r : state().rules) r = rule{};
    for (std::uint64_t& c : state().calls) c = 0;
    state().clock_offset_ns = 0;
  }
  /// Moves every clock read through a fault policy `ns` nanoseconds
  /// forward (never back: negative values are ignored). Sleeps and waits
  /// until a deadline on those clocks end that much sooner.
  static void advance_clock(std::int64_t ns) noexcept {
    if (ns <= 0) return;
    lock_guard g;
    std::int64_t& o = state().clock_offset_ns;
    o = ns > max_offset - o ? max_offset : o + ns;  // saturates: a clock never wraps
  }
  /// The furthest advance_clock() goes: about 146 years.
  static constexpr std::int64_t max_offset = INT64_MAX / 2;
  /// How far advance_clock() has moved the clocks since clear().
  static std::int64_t clock_offset() noexcept {
    lock_guard g;
    return state().clock_offset_ns;
  }
  /// How many calls of `op` went through a fault policy since clear().
  static std::uint64_t calls(operation op) noexcept {
    lock_guard g;
    return state().calls[index(op)];
  }
  /// How many faults remain to be injected for `op`.
  static std::uint64_t pending(operation op) noexcept {
    lock_guard g;
    std::uint64_t n = 0;
    for (const rule& r : state().rules)
      if (r.times != 0 && r.op == op) n += r.times;
    return n;
  }

  /// Counts one call of `op` and returns the fault to apply to it.
  /// Called by fault_platform; rules for the same operation apply in the
  /// order they were added.
  static fault next(operation op) noexcept {
    lock_guard g;
    ++state().calls[index(op)];
    for (rule& r : state().rules) {
      if (r.times == 0 || r.op != op) continue;
      if (r.skip != 0) {
        --r.skip;
        return {};
      }
      --r.times;
      return r.effect;
    }
    return {};
  }

 private:
  struct rule {
    operation op = operation::none;
    fault effect;
    std::uint32_t times = 0;  // 0: slot free
    std::uint32_t skip = 0;
  };
  struct plan_state {
    vitte::detail::atomic<bool> lock{false};
    rule rules[max_rules];
    std::uint64_t calls[max_operations] = {};
    std::int64_t clock_offset_ns = 0;
  };
  static plan_state& state() noexcept {
    static plan_state s;
    return s;
  }
  struct lock_guard {
    lock_guard() noexcept {
      while (state().lock.exchange(true, vitte::detail::acquire)) {
      }
    }
    ~lock_guard() { state().lock.store(false, vitte::detail::release); }
  };
  // Counters are kept for sys's operations (the ones a platform performs).
  static std::size_t index(operation op) noexcept { return op.facility() == facility::sys ? op.code() : 0; }
  static bool add(rule r) noexcept {
    if (r.times == 0) return true;
    lock_guard g;
    for (rule& slot : state().rules) {
      if (slot.times != 0) continue;
      slot = r;
      return true;
    }
    return false;
  }
};

/// Base, with calls routed through fault_plan. Capabilities are those of
/// Base; every syscall-level function consults the plan first.
template <class Base>
struct fault_platform : Base {
  static constexpr text_view name = "fault";
  using base = Base;

  static std::int64_t clock_now_ns(clock_id id) noexcept
    requires clock_capability<Base>
  {
    (void)fault_plan::next(ops::clock_now);  // clocks cannot fail: count only
    const std::int64_t now = Base::clock_now_ns(id), o = fault_plan::clock_offset();
    return now > INT64_MAX - o ? INT64_MAX - 1 : now + o;
  }

  static error sleep_until_ns(clock_id id, std::int64_t t) noexcept
    requires sleep_capability<Base>
  {
    if (fault f = fault_plan::next(ops::sleep); f.what == fault::action::fail)
      return Base::make_error(f.kind, ops::sleep);
    return Base::sleep_until_ns(id, base_deadline(t));
  }

  /// A deadline on this policy's clocks as the base's clocks read it
  /// (INT64_MAX, never, stays never).
  static std::int64_t base_deadline(std::int64_t ns) noexcept {
    const std::int64_t o = fault_plan::clock_offset();
    if (ns == INT64_MAX) return ns;
    return ns < INT64_MIN + o ? INT64_MIN : ns - o;
  }

  // Waits until a deadline: the base sees it on its own clock. A wait
  // already under way does not end sooner when another thread moves the
  // clock.
  static error condition_wait(void* c, void* m, std::int64_t deadline_ns) noexcept
    requires native_lock_capability<Base>
  {
    return Base::condition_wait(c, m, base_deadline(deadline_ns));
  }
  static error watch_next(native_handle w, watch_event& out, std::int64_t deadline_ns) noexcept
    requires file_watch_capability<Base>
  {
    return Base::watch_next(w, out, base_deadline(deadline_ns));
  }
  static error watch_hint_wait(native_handle h, std::int64_t deadline_ns) noexcept
    requires watch_hint_capability<Base>
  {
    return Base::watch_hint_wait(h, base_deadline(deadline_ns));
  }
  static error signal_wait(native_handle h, std::int64_t deadline_ns) noexcept
    requires signal_capability<Base>
  {
    return Base::signal_wait(h, base_deadline(deadline_ns));
  }
  static error pipe_drain(const native_handle* handles, std::size_t count, drain_sink& sink,
                          std::int64_t deadline_ns) noexcept
    requires process_capability<Base>
  {
    return Base::pipe_drain(handles, count, sink, base_deadline(deadline_ns));
  }

  // Each call that can fail consults the plan under its own operation
  // (memory_reserve, ..., shared_memory_map, allocate); unmapping, closing
  // and freeing pass through.

  /// The error the plan injects into this call of `op`, or success.
  static error memory_fault(operation op) noexcept {
    fault f = fault_plan::next(op);
    return f.what == fault::action::fail ? Base::make_error(f.kind, op) : error{};
  }

  static result<void*> memory_reserve(std::size_t size, protection prot, commit_options o) noexcept
    requires memory_capability<Base>
  {
    if (error e = memory_fault(ops::memory_reserve)) return e;
    return Base::memory_reserve(size, prot, o);
  }
  static error memory_commit(void* p, std::size_t size, protection prot, commit_options o) noexcept
    requires memory_capability<Base>
  {
    if (error e = memory_fault(ops::memory_commit)) return e;
    return Base::memory_commit(p, size, prot, o);
  }
  static error memory_decommit(void* p, std::size_t size) noexcept
    requires memory_capability<Base>
  {
    if (error e = memory_fault(ops::memory_decommit)) return e;
    return Base::memory_decommit(p, size);
  }
  static error memory_release(void* p, std::size_t size) noexcept
    requires memory_capability<Base>
  {
    if (error e = memory_fault(ops::memory_release)) return e;
    return Base::memory_release(p, size);
  }
  static error memory_advise(void* p, std::size_t size, advice a) noexcept
    requires memory_capability<Base>
  {
    if (error e = memory_fault(ops::memory_advise)) return e;
    return Base::memory_advise(p, size, a);
  }
  static error memory_lock(void* p, std::size_t size) noexcept
    requires memory_capability<Base>
  {
    if (error e = memory_fault(ops::memory_lock)) return e;
    return Base::memory_lock(p, size);
  }
  static error memory_unlock(void* p, std::size_t size) noexcept
    requires memory_capability<Base>
  {
    if (error e = memory_fault(ops::memory_unlock)) return e;
    return Base::memory_unlock(p, size);
  }
  static error memory_protect(void* p, std::size_t size, protection prot) noexcept
    requires memory_protection_capability<Base>
  {
    if (error e = memory_fault(ops::memory_protect)) return e;
    return Base::memory_protect(p, size, prot);
  }
  static error flush_instruction_cache(const void* p, std::size_t size) noexcept
    requires memory_protection_capability<Base>
  {
    if (error e = memory_fault(ops::memory_flush_icache)) return e;
    return Base::flush_instruction_cache(p, size);
  }
  static result<std::intptr_t> shared_memory_create(std::size_t size) noexcept
    requires shared_memory_capability<Base>
  {
    if (error e = memory_fault(ops::shared_memory_create)) return e;
    return Base::shared_memory_create(size);
  }
  static result<void*> shared_memory_map(std::intptr_t h, std::size_t size, protection prot) noexcept
    requires shared_memory_capability<Base>
  {
    if (error e = memory_fault(ops::shared_memory_map)) return e;
    return Base::shared_memory_map(h, size, prot);
  }
  static result<void*> aligned_allocate(std::size_t size, std::size_t alignment) noexcept
    requires aligned_allocation_capability<Base>
  {
    if (error e = memory_fault(ops::allocate)) return e;
    return Base::aligned_allocate(size, alignment);
  }

  // Thread creation can fail (limit_exceeded, no_memory: the callable must
  // not run and must be destroyed), so can affinity; waits can be
  // interrupted (errc::interrupted: every wait must retry).
  static error thread_create(std::uintptr_t& handle, void (**start)(void*), std::size_t stack_size) noexcept
    requires thread_capability<Base>
  {
    if (fault f = fault_plan::next(ops::thread_create); f.what == fault::action::fail)
      return Base::make_error(f.kind, ops::thread_create);
    return Base::thread_create(handle, start, stack_size);
  }

  static error thread_set_affinity(const std::uint64_t* mask, std::size_t words) noexcept
    requires thread_capability<Base>
  {
    if (fault f = fault_plan::next(ops::thread_set_affinity); f.what == fault::action::fail)
      return Base::make_error(f.kind, ops::thread_set_affinity);
    return Base::thread_set_affinity(mask, words);
  }

  static error wait_on_address(const void* addr, std::uint32_t expected, std::int64_t deadline_ns) noexcept
    requires wait_capability<Base>
  {
    if (fault f = fault_plan::next(ops::wait_on_address); f.what == fault::action::fail)
      return Base::make_error(f.kind, ops::wait_on_address);
    return Base::wait_on_address(addr, expected, base_deadline(deadline_ns));
  }

  // Each call that can fail consults the plan under its operation: open,
  // read and write (which also shorten), file_sync (files and directories),
  // file_truncate, file_allocate, file_lock, dir_open, dir_read, dir_create,
  // remove or dir_remove, rename, link, symlink, copy_file, map_file.
  // Closing, unlocking, stat and unmapping pass through.

  /// The error a fault of the plan means for `op`, or success.
  static error fs_error(fault f, operation op) noexcept {
    return f.what == fault::action::fail ? Base::make_error(f.kind, op) : error{};
  }
  /// `n`, cut to what a short-transfer fault allows.
  static std::size_t fs_limit(fault f, std::size_t n) noexcept {
    return f.what == fault::action::short_transfer && f.max_bytes < n ? f.max_bytes : n;
  }

  static result<native_handle> file_open(native_handle dir, const char* path, open_mode mode,
                                         std::uint32_t perms) noexcept
    requires file_capability<Base>
  {
    if (error e = fs_error(fault_plan::next(ops::open), ops::open)) return e;
    return Base::file_open(dir, path, mode, perms);
  }
  static result<std::size_t> file_read(native_handle h, void* buf, std::size_t n) noexcept
    requires file_capability<Base>
  {
    fault f = fault_plan::next(ops::read);
    if (error e = fs_error(f, ops::read)) return e;
    return Base::file_read(h, buf, fs_limit(f, n));
  }
  static result<std::size_t> file_write(native_handle h, const void* buf, std::size_t n) noexcept
    requires file_capability<Base>
  {
    fault f = fault_plan::next(ops::write);
    if (error e = fs_error(f, ops::write)) return e;
    return Base::file_write(h, buf, fs_limit(f, n));
  }
  static result<std::size_t> file_read_at(native_handle h, void* buf, std::size_t n, std::uint64_t offset) noexcept
    requires file_capability<Base>
  {
    fault f = fault_plan::next(ops::read);
    if (error e = fs_error(f, ops::read)) return e;
    return Base::file_read_at(h, buf, fs_limit(f, n), offset);
  }
  static result<std::size_t> file_write_at(native_handle h, const void* buf, std::size_t n,
                                           std::uint64_t offset) noexcept
    requires file_capability<Base>
  {
    fault f = fault_plan::next(ops::write);
    if (error e = fs_error(f, ops::write)) return e;
    return Base::file_write_at(h, buf, fs_limit(f, n), offset);
  }
  /// A short vectored transfer moves part of the first buffer only.
  static result<std::size_t> file_read_vec(native_handle h, const mutable_buffer* bufs, std::size_t count) noexcept
    requires file_capability<Base>
  {
    fault f = fault_plan::next(ops::read);
    if (error e = fs_error(f, ops::read)) return e;
    if (!f || count == 0) return Base::file_read_vec(h, bufs, count);
    mutable_buffer first{bufs[0].data, fs_limit(f, bufs[0].size)};
    return Base::file_read_vec(h, &first, 1);
  }
  static result<std::size_t> file_write_vec(native_handle h, const const_buffer* bufs, std::size_t count) noexcept
    requires file_capability<Base>
  {
    fault f = fault_plan::next(ops::write);
    if (error e = fs_error(f, ops::write)) return e;
    if (!f || count == 0) return Base::file_write_vec(h, bufs, count);
    const_buffer first{bufs[0].data, fs_limit(f, bufs[0].size)};
    return Base::file_write_vec(h, &first, 1);
  }
  static error file_sync(native_handle h, bool data_only) noexcept
    requires file_capability<Base>
  {
    if (error e = fs_error(fault_plan::next(ops::file_sync), ops::file_sync)) return e;
    return Base::file_sync(h, data_only);
  }
  static error file_truncate(native_handle h, std::uint64_t size) noexcept
    requires file_capability<Base>
  {
    if (error e = fs_error(fault_plan::next(ops::file_truncate), ops::file_truncate)) return e;
    return Base::file_truncate(h, size);
  }
  static error file_allocate(native_handle h, std::uint64_t offset, std::uint64_t length) noexcept
    requires file_capability<Base>
  {
    if (error e = fs_error(fault_plan::next(ops::file_allocate), ops::file_allocate)) return e;
    return Base::file_allocate(h, offset, length);
  }
  static error file_lock(native_handle h, lock_kind kind, bool wait) noexcept
    requires file_capability<Base>
  {
    if (error e = fs_error(fault_plan::next(ops::file_lock), ops::file_lock)) return e;
    return Base::file_lock(h, kind, wait);
  }
  static result<native_handle> dir_open(native_handle dir, const char* path, bool no_follow) noexcept
    requires directory_capability<Base>
  {
    if (error e = fs_error(fault_plan::next(ops::dir_open), ops::dir_open)) return e;
    return Base::dir_open(dir, path, no_follow);
  }
  static error dir_sync(native_handle h) noexcept
    requires directory_capability<Base>
  {
    if (error e = fs_error(fault_plan::next(ops::file_sync), ops::file_sync)) return e;
    return Base::dir_sync(h);
  }
  static error dir_stream_next(std::intptr_t stream, dir_entry& out) noexcept
    requires directory_capability<Base>
  {
    if (error e = fs_error(fault_plan::next(ops::dir_read), ops::dir_read)) return e;
    return Base::dir_stream_next(stream, out);
  }
  static error dir_create(native_handle dir, const char* path, std::uint32_t perms) noexcept
    requires directory_capability<Base>
  {
    if (error e = fs_error(fault_plan::next(ops::dir_create), ops::dir_create)) return e;
    return Base::dir_create(dir, path, perms);
  }
  static error path_remove(native_handle dir, const char* path, bool directory) noexcept
    requires directory_capability<Base>
  {
    operation op = directory ? ops::dir_remove : ops::remove;
    if (error e = fs_error(fault_plan::next(op), op)) return e;
    return Base::path_remove(dir, path, directory);
  }
  static error path_rename(native_handle from_dir, const char* from, native_handle to_dir, const char* to) noexcept
    requires directory_capability<Base>
  {
    if (error e = fs_error(fault_plan::next(ops::rename), ops::rename)) return e;
    return Base::path_rename(from_dir, from, to_dir, to);
  }
  static error path_link(native_handle from_dir, const char* from, native_handle to_dir, const char* to) noexcept
    requires directory_capability<Base>
  {
    if (error e = fs_error(fault_plan::next(ops::link), ops::link)) return e;
    return Base::path_link(from_dir, from, to_dir, to);
  }
  static error path_symlink(const char* target, native_handle dir, const char* path) noexcept
    requires directory_capability<Base>
  {
    if (error e = fs_error(fault_plan::next(ops::symlink), ops::symlink)) return e;
    return Base::path_symlink(target, dir, path);
  }
  /// A short-transfer fault passes through (the whole-file copy cannot be cut).
  static error path_copy(const char* from, const char* to, bool overwrite) noexcept
    requires directory_capability<Base>
  {
    if (error e = fs_error(fault_plan::next(ops::copy_file), ops::copy_file)) return e;
    return Base::path_copy(from, to, overwrite);
  }
  static result<std::size_t> file_copy_chunk(native_handle in, native_handle out, std::size_t n) noexcept
    requires directory_capability<Base>
  {
    fault f = fault_plan::next(ops::copy_file);
    if (error e = fs_error(f, ops::copy_file)) return e;
    return Base::file_copy_chunk(in, out, fs_limit(f, n));
  }
  static result<void*> file_map(native_handle h, std::uint64_t offset, std::size_t size, map_mode mode) noexcept
    requires file_map_capability<Base>
  {
    if (error e = fs_error(fault_plan::next(ops::map_file), ops::map_file)) return e;
    return Base::file_map(h, offset, size, mode);
  }

  // Sockets: opening and accepting can fail (too_many_open_files: see
  // basic_acceptor), sends and receives can be interrupted or cut short (a
  // short vectored transfer moves part of the first buffer only).
  static result<native_handle> socket_open(address_family f, socket_type t, bool nonblocking) noexcept
    requires socket_capability<Base>
  {
    if (error e = fs_error(fault_plan::next(ops::socket_create), ops::socket_create)) return e;
    return Base::socket_open(f, t, nonblocking);
  }
  static result<native_handle> socket_accept(native_handle h, socket_address* peer, bool nonblocking) noexcept
    requires socket_capability<Base>
  {
    if (error e = fs_error(fault_plan::next(ops::socket_accept), ops::socket_accept)) return e;
    return Base::socket_accept(h, peer, nonblocking);
  }
  static result<std::size_t> socket_send(native_handle h, const const_buffer* bufs, std::size_t count,
                                         const socket_address* to) noexcept
    requires socket_capability<Base>
  {
    fault f = fault_plan::next(ops::socket_send);
    if (error e = fs_error(f, ops::socket_send)) return e;
    if (!f || count == 0) return Base::socket_send(h, bufs, count, to);
    const_buffer first{bufs[0].data, fs_limit(f, bufs[0].size)};
    return Base::socket_send(h, &first, 1, to);
  }
  static result<std::size_t> socket_receive(native_handle h, const mutable_buffer* bufs, std::size_t count,
                                            socket_address* from, bool* truncated) noexcept
    requires socket_capability<Base>
  {
    fault f = fault_plan::next(ops::socket_receive);
    if (error e = fs_error(f, ops::socket_receive)) return e;
    if (!f || count == 0) return Base::socket_receive(h, bufs, count, from, truncated);
    mutable_buffer first{bufs[0].data, fs_limit(f, bufs[0].size)};
    return Base::socket_receive(h, &first, 1, from, truncated);
  }

  // The poller: creating it and adding handles can fail (too_many_open_files,
  // no_memory), waits can be interrupted (errc::interrupted: the poller
  // retries). Modify, remove and wake pass through.
  static result<std::intptr_t> poller_open() noexcept
    requires poller_capability<Base>
  {
    if (error e = fs_error(fault_plan::next(ops::poller_create), ops::poller_create)) return e;
    return Base::poller_open();
  }
  static error poller_add(std::intptr_t p, native_handle h, io_events interest, trigger t, std::uint64_t data) noexcept
    requires poller_capability<Base>
  {
    if (error e = fs_error(fault_plan::next(ops::poller_add), ops::poller_add)) return e;
    return Base::poller_add(p, h, interest, t, data);
  }
  static result<io_events> socket_wait(native_handle h, io_events ev, std::int64_t deadline_ns) noexcept
    requires socket_capability<Base>
  {
    return Base::socket_wait(h, ev, base_deadline(deadline_ns));
  }
  static result<std::size_t> poller_wait(std::intptr_t p, poll_event* out, std::size_t n,
                                         std::int64_t deadline_ns) noexcept
    requires poller_capability<Base>
  {
    if (error e = fs_error(fault_plan::next(ops::poller_wait), ops::poller_wait)) return e;
    return Base::poller_wait(p, out, n, base_deadline(deadline_ns));
  }

  // process: spawning can fail (too_many_open_files, limit_exceeded,
  // no_memory: nothing may leak), so can pipes; waits can be interrupted
  // (errc::interrupted: the facility waits again). Libraries: open fails.
  static error process_spawn(const spawn_request& req, native_process& out) noexcept
    requires process_capability<Base>
  {
    if (error e = fs_error(fault_plan::next(ops::process_spawn), ops::process_spawn)) return e;
    return Base::process_spawn(req, out);
  }
  static error process_wait(native_process& p, std::int64_t deadline_ns, exit_status& out) noexcept
    requires process_capability<Base>
  {
    if (error e = fs_error(fault_plan::next(ops::process_wait), ops::process_wait)) return e;
    return Base::process_wait(p, base_deadline(deadline_ns), out);
  }
  static error pipe_create(native_handle (&ends)[2], bool overlapped) noexcept
    requires process_capability<Base>
  {
    if (error e = fs_error(fault_plan::next(ops::pipe_create), ops::pipe_create)) return e;
    return Base::pipe_create(ends, overlapped);
  }
  static result<native_handle> library_open(const char* path, library_flags flags, vitte::diagnostic* why) noexcept
    requires dynamic_library_capability<Base>
  {
    if (error e = fs_error(fault_plan::next(ops::library_open), ops::library_open)) return e;
    return Base::library_open(path, flags, why);
  }

  // random: can be interrupted or cut short (fail, shorten).
  static result<std::size_t> random_fill(void* buf, std::size_t n) noexcept
    requires random_capability<Base>
  {
    fault f = fault_plan::next(ops::random);
    if (error e = fs_error(f, ops::random)) return e;
    return Base::random_fill(buf, fs_limit(f, n));
  }
};

}  // namespace vitte::sys

#endif  // VITTE_SYS_POLICY_FAULT_HPP
