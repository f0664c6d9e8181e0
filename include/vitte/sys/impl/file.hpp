// Template bodies for vitte/sys/file.hpp. Included by it; do not include.
#ifndef VITTE_SYS_IMPL_FILE_HPP
#define VITTE_SYS_IMPL_FILE_HPP

#include <vitte/base/detail/algorithm.hpp>  // min_of
#include <vitte/sys/detail/retry.hpp>

namespace vitte::sys {

namespace detail {

// Moves up to `total` bytes with step(done) -> result<size_t>, one call at a
// time, retrying interruptions; stops early when a step moves nothing (the
// end of a file, for reads).
template <class Step>
result<std::size_t> transfer_all(std::size_t total, Step&& step) noexcept {
  std::size_t done = 0;
  while (done < total) {
    result<std::size_t> r = step(done);
    if (!r) {
      if (r.error() == errc::interrupted) continue;
      return r.error();
    }
    if (*r == 0) break;
    done += *r;
  }
  return done;
}

// A write that moved nothing would loop forever: report it.
inline status all_written(result<std::size_t> r, std::size_t total) noexcept {
  if (!r) return r.error();
  if (*r != total) return error{errc::io_error, ops::write};
  return {};
}

inline void skip_front(mutable_buffer& b, std::size_t n) noexcept {
  b.data = static_cast<std::byte*>(b.data) + n;
  b.size -= n;
}
inline void skip_front(const_buffer& b, std::size_t n) noexcept {
  b.data = static_cast<const std::byte*>(b.data) + n;
  b.size -= n;
}

// The vectored form of transfer_all: call(bufs, count) -> result<size_t>
// moves bytes from a window of at most 16 buffers, the first one shortened
// by what earlier calls moved.
template <class Buf, class Call>
result<std::size_t> transfer_vec(span<const Buf> bufs, Call&& call) noexcept {
  constexpr std::size_t window_size = 16;
  Buf window[window_size];
  std::size_t i = 0;     // the first buffer not yet done
  std::size_t skip = 0;  // bytes of bufs[i] already done
  std::size_t total = 0;
  for (;;) {
    while (i < bufs.size() && skip == bufs[i].size) {
      ++i;
      skip = 0;
    }
    if (i == bufs.size()) return total;
    std::size_t k = vitte::detail::min_of(window_size, bufs.size() - i);
    for (std::size_t j = 0; j < k; ++j) window[j] = bufs[i + j];
    skip_front(window[0], skip);
    result<std::size_t> r = call(window, k);
    if (!r) {
      if (r.error() == errc::interrupted) continue;
      return r.error();
    }
    if (*r == 0) return total;
    total += *r;
    for (std::size_t n = *r; n > 0;) {
      std::size_t left = bufs[i].size - skip;
      std::size_t step = vitte::detail::min_of(n, left);
      n -= step;
      skip += step;
      if (skip == bufs[i].size) {
        ++i;
        skip = 0;
      }
    }
  }
}

inline error check_open_mode(open_mode mode) noexcept {
  bool writes = has(mode, open_mode::write) || has(mode, open_mode::append);
  if (!writes && !has(mode, open_mode::read)) return error{errc::invalid_argument, ops::open};
  if (has(mode, open_mode::truncate) && !writes) return error{errc::invalid_argument, ops::open};
  return {};
}

}  // namespace detail

template <class P>
status basic_file<P>::close() noexcept {
  if (h_ == invalid_handle) return error{errc::bad_descriptor, ops::close};
  return P::file_close(release());
}

template <class P>
result<basic_file<P>> basic_file<P>::open(const path_arg& path, open_mode mode, std::uint32_t permissions) noexcept {
  return open_at(cwd_handle, path, mode, permissions);
}

template <class P>
result<basic_file<P>> basic_file<P>::open_at(native_handle dir, const path_arg& path, open_mode mode,
                                             std::uint32_t permissions) noexcept {
  if (error e = path.check(ops::open)) return e;
  if (error e = detail::check_open_mode(mode)) return e;
  result<native_handle> h =
      detail::retry_interrupted([&] { return P::file_open(dir, path.c_str(), mode, permissions); });
  if (!h) return h.error();
  return basic_file{*h};
}

template <class P>
result<std::size_t> basic_file<P>::read_some(span<std::byte> buf) noexcept {
  return detail::retry_interrupted([&] { return P::file_read(h_, buf.data(), buf.size()); });
}

template <class P>
result<std::size_t> basic_file<P>::read(span<std::byte> buf) noexcept {
  return detail::transfer_all(buf.size(),
                              [&](std::size_t done) { return P::file_read(h_, buf.data() + done, buf.size() - done); });
}

template <class P>
status basic_file<P>::read_exact(span<std::byte> buf) noexcept {
  result<std::size_t> r = read(buf);
  if (!r) return r.error();
  if (*r != buf.size()) return error{errc::unexpected_eof, ops::read};
  return {};
}

template <class P>
status basic_file<P>::write(span<const std::byte> data) noexcept {
  return detail::all_written(
      detail::transfer_all(data.size(),
                           [&](std::size_t done) { return P::file_write(h_, data.data() + done, data.size() - done); }),
      data.size());
}

template <class P>
result<std::size_t> basic_file<P>::read_at(span<std::byte> buf, std::uint64_t offset) noexcept {
  return detail::transfer_all(buf.size(), [&](std::size_t done) {
    return P::file_read_at(h_, buf.data() + done, buf.size() - done, offset + done);
  });
}

template <class P>
status basic_file<P>::write_at(span<const std::byte> data, std::uint64_t offset) noexcept {
  return detail::all_written(detail::transfer_all(data.size(),
                                                  [&](std::size_t done) {
                                                    return P::file_write_at(h_, data.data() + done, data.size() - done,
                                                                            offset + done);
                                                  }),
                             data.size());
}

template <class P>
result<std::size_t> basic_file<P>::read_vec(span<const mutable_buffer> bufs) noexcept {
  return detail::transfer_vec(bufs, [&](const mutable_buffer* b, std::size_t k) { return P::file_read_vec(h_, b, k); });
}

template <class P>
status basic_file<P>::write_vec(span<const const_buffer> bufs) noexcept {
  std::size_t total = 0;
  for (const const_buffer& b : bufs) total += b.size;
  return detail::all_written(
      detail::transfer_vec(bufs, [&](const const_buffer* b, std::size_t k) { return P::file_write_vec(h_, b, k); }),
      total);
}

template <class P>
result<std::uint64_t> basic_file<P>::seek(std::int64_t offset, seek_origin origin) noexcept {
  return P::file_seek(h_, offset, origin);
}

template <class P>
result<file_status> basic_file<P>::stat() const noexcept {
  file_status st;
  if (error e = P::file_stat(h_, st)) return e;
  return st;
}

template <class P>
result<std::uint64_t> basic_file<P>::size() const noexcept {
  return stat().transform([](file_status st) { return st.size; });
}

template <class P>
status basic_file<P>::truncate(std::uint64_t size) noexcept {
  return detail::retry_interrupted([&] { return P::file_truncate(h_, size); });
}

template <class P>
status basic_file<P>::set_times(std::int64_t atime_ns, std::int64_t mtime_ns) noexcept {
  return detail::retry_interrupted([&] { return P::file_set_times(h_, atime_ns, mtime_ns); });
}

template <class P>
status basic_file<P>::allocate(std::uint64_t size) noexcept {
  if (size == 0) return {};
  return detail::retry_interrupted([&] { return P::file_allocate(h_, 0, size); });
}

template <class P>
status basic_file<P>::sync() noexcept {
  return detail::retry_interrupted([&] { return P::file_sync(h_, false); });
}

template <class P>
status basic_file<P>::data_sync() noexcept {
  return detail::retry_interrupted([&] { return P::file_sync(h_, true); });
}

template <class P>
status basic_file<P>::lock(lock_kind kind, basic_deadline<P> d) noexcept {
  if (d.is_never()) return detail::retry_interrupted([&] { return P::file_lock(h_, kind, true); });
  // No OS waits for a lock with a timeout: try, then sleep a little longer
  // each time (1 ms doubling to 64 ms), never past the deadline.
  std::int64_t pause_ns = 1'000'000;
  for (;;) {
    error e = detail::retry_interrupted([&] { return P::file_lock(h_, kind, false); });
    if (e != errc::would_block) return e;
    std::int64_t now = P::clock_now_ns(clock_id::monotonic);
    if (now >= d.ns()) return error{errc::timed_out, ops::file_lock};
    if (status s = detail::sleep_until_ns<P>(clock_id::monotonic, vitte::detail::min_of(d.ns(), now + pause_ns)); !s)
      return s;
    pause_ns = vitte::detail::min_of<std::int64_t>(pause_ns * 2, 64'000'000);
  }
}

template <class P>
result<bool> basic_file<P>::try_lock(lock_kind kind) noexcept {
  error e = detail::retry_interrupted([&] { return P::file_lock(h_, kind, false); });
  if (!e) return true;
  if (e == errc::would_block) return false;
  return e;
}

template <class P>
status basic_file<P>::unlock() noexcept {
  return P::file_unlock(h_);
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_IMPL_FILE_HPP
