// Definitions for vitte/error.hpp. Included by it; do not include directly.
#ifndef VITTE_IMPL_ERROR_HPP
#define VITTE_IMPL_ERROR_HPP

#include <vitte/detail/text.hpp>

namespace vitte {

constexpr text_view to_string(errc kind) noexcept {
  switch (kind) {
    case errc::ok:
      return "success";
    case errc::interrupted:
      return "interrupted";
    case errc::would_block:
      return "would block";
    case errc::timed_out:
      return "timed out";
    case errc::not_found:
      return "not found";
    case errc::already_exists:
      return "already exists";
    case errc::permission_denied:
      return "permission denied";
    case errc::invalid_argument:
      return "invalid argument";
    case errc::bad_descriptor:
      return "bad descriptor";
    case errc::too_many_open_files:
      return "too many open files";
    case errc::no_space:
      return "no space left";
    case errc::no_memory:
      return "out of memory";
    case errc::busy:
      return "resource busy";
    case errc::not_supported:
      return "not supported";
    case errc::not_a_directory:
      return "not a directory";
    case errc::is_a_directory:
      return "is a directory";
    case errc::directory_not_empty:
      return "directory not empty";
    case errc::name_too_long:
      return "name too long";
    case errc::too_many_links:
      return "too many symbolic links";
    case errc::cross_device:
      return "cross-device link";
    case errc::read_only:
      return "read-only file system";
    case errc::broken_pipe:
      return "broken pipe";
    case errc::connection_refused:
      return "connection refused";
    case errc::connection_reset:
      return "connection reset";
    case errc::connection_aborted:
      return "connection aborted";
    case errc::not_connected:
      return "not connected";
    case errc::address_in_use:
      return "address in use";
    case errc::address_unavailable:
      return "address unavailable";
    case errc::network_unreachable:
      return "network unreachable";
    case errc::host_unreachable:
      return "host unreachable";
    case errc::in_progress:
      return "in progress";
    case errc::message_too_long:
      return "message too long";
    case errc::io_error:
      return "I/O error";
    case errc::no_such_process:
      return "no such process";
    case errc::exec_format:
      return "executable format error";
    case errc::unexpected_eof:
      return "unexpected end of input";
    case errc::malformed:
      return "malformed input";
    case errc::limit_exceeded:
      return "limit exceeded";
    case errc::version_mismatch:
      return "unsupported version";
    case errc::verification_failed:
      return "verification failed";
    case errc::unknown:
      return "unknown error";
  }
  return "unknown error";  // a value outside the enumeration
}

constexpr text_view to_string(operation op) noexcept {
  switch (op) {
    case operation::none:
      return "vitte";
    case operation::clock_now:
      return "clock_now";
    case operation::clock_resolution:
      return "clock_resolution";
    case operation::sleep:
      return "sleep";
    case operation::system_info:
      return "system_info";
    case operation::open:
      return "open";
    case operation::close:
      return "close";
    case operation::read:
      return "read";
    case operation::write:
      return "write";
    case operation::memory_reserve:
      return "memory_reserve";
    case operation::memory_commit:
      return "memory_commit";
    case operation::memory_decommit:
      return "memory_decommit";
    case operation::memory_protect:
      return "memory_protect";
    case operation::memory_release:
      return "memory_release";
    case operation::memory_advise:
      return "memory_advise";
    case operation::memory_lock:
      return "memory_lock";
    case operation::memory_unlock:
      return "memory_unlock";
    case operation::memory_flush_icache:
      return "memory_flush_icache";
    case operation::shared_memory_create:
      return "shared_memory_create";
    case operation::shared_memory_map:
      return "shared_memory_map";
    case operation::allocate:
      return "allocate";
    case operation::thread_create:
      return "thread_create";
    case operation::thread_join:
      return "thread_join";
    case operation::thread_set_name:
      return "thread_set_name";
    case operation::thread_get_name:
      return "thread_get_name";
    case operation::thread_set_affinity:
      return "thread_set_affinity";
    case operation::mutex_lock:
      return "mutex_lock";
    case operation::mutex_unlock:
      return "mutex_unlock";
    case operation::condition_wait:
      return "condition_wait";
    case operation::semaphore_wait:
      return "semaphore_wait";
    case operation::wait_on_address:
      return "wait_on_address";
    case operation::wake_on_address:
      return "wake_on_address";
    case operation::file_sync:
      return "file_sync";
    case operation::file_size:
      return "file_size";
    case operation::file_truncate:
      return "file_truncate";
    case operation::file_allocate:
      return "file_allocate";
    case operation::file_lock:
      return "file_lock";
    case operation::file_unlock:
      return "file_unlock";
    case operation::file_stat:
      return "file_stat";
    case operation::dir_open:
      return "dir_open";
    case operation::dir_read:
      return "dir_read";
    case operation::dir_create:
      return "dir_create";
    case operation::dir_remove:
      return "dir_remove";
    case operation::remove:
      return "remove";
    case operation::rename:
      return "rename";
    case operation::link:
      return "link";
    case operation::symlink:
      return "symlink";
    case operation::read_link:
      return "read_link";
    case operation::set_times:
      return "set_times";
    case operation::set_permissions:
      return "set_permissions";
    case operation::copy_file:
      return "copy_file";
    case operation::map_file:
      return "map_file";
    case operation::watch:
      return "watch";
    case operation::current_directory:
      return "current_directory";
    case operation::canonical:
      return "canonical";
    case operation::temp_create:
      return "temp_create";
    case operation::path_convert:
      return "path_convert";
    case operation::atomic_replace:
      return "atomic_replace";
    case operation::resolve:
      return "resolve";
    case operation::socket_create:
      return "socket_create";
    case operation::socket_bind:
      return "socket_bind";
    case operation::socket_listen:
      return "socket_listen";
    case operation::socket_accept:
      return "socket_accept";
    case operation::socket_connect:
      return "socket_connect";
    case operation::socket_send:
      return "socket_send";
    case operation::socket_receive:
      return "socket_receive";
    case operation::socket_shutdown:
      return "socket_shutdown";
    case operation::socket_option:
      return "socket_option";
    case operation::socket_pair:
      return "socket_pair";
    case operation::poller_create:
      return "poller_create";
    case operation::poller_add:
      return "poller_add";
    case operation::poller_modify:
      return "poller_modify";
    case operation::poller_remove:
      return "poller_remove";
    case operation::poller_wait:
      return "poller_wait";
    case operation::poller_wake:
      return "poller_wake";
    case operation::address_parse:
      return "address_parse";
    case operation::process_spawn:
      return "process_spawn";
    case operation::process_wait:
      return "process_wait";
    case operation::process_kill:
      return "process_kill";
    case operation::pipe_create:
      return "pipe_create";
    case operation::find_program:
      return "find_program";
    case operation::library_open:
      return "library_open";
    case operation::library_symbol:
      return "library_symbol";
    case operation::library_close:
      return "library_close";
    case operation::environment:
      return "environment";
    case operation::signal_watch:
      return "signal_watch";
    case operation::signal_mask:
      return "signal_mask";
    case operation::host_info:
      return "host_info";
    case operation::random:
      return "random";
    case operation::hash:
      return "hash";
    case operation::sign:
      return "sign";
    case operation::verify:
      return "verify";
    case operation::module_read:
      return "module_read";
    case operation::module_write:
      return "module_write";
    case operation::module_load:
      return "module_load";
    case operation::module_link:
      return "module_link";
    case operation::module_resolve:
      return "module_resolve";
  }
  return "vitte";
}

inline error_message error::message() const noexcept {
  error_message m;
  detail::text_writer w{m.text, error_message::capacity};
  w.append(to_string(op_));
  w.append(": ");
  w.append(to_string(kind_));
  if (domain_ == error_domain::none) return w.finish(m);

  w.append(domain_ == error_domain::posix ? " (errno " : " (win32 ");
  w.append_int(native_);
  char os_text[96];
  std::size_t n = detail::native_error_text(domain_, native_, os_text, sizeof os_text);
  if (n != 0) {
    w.append(": ");
    w.append(text_view{os_text, n});
  }
  w.append(")");
  return w.finish(m);
}

}  // namespace vitte

#endif  // VITTE_IMPL_ERROR_HPP
