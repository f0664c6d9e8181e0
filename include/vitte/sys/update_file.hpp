// vitte/sys/update_file.hpp - making a file hold given bytes, writing only
// what differs from what it holds.
//
//   namespace sys = vitte::sys;
//   bool wrote = sys::update_file("out/trace.json", json).value();   // false: it held these bytes already
//
// A file that already holds exactly `data` is only read: its times and its
// blocks stay as they are (a tool that writes the same report after every
// run leaves it alone). Otherwise `data` is written over it from offset 0
// and the file is cut to size when it was longer. It is never emptied
// first, as write_file's truncation does: on ext4 a file emptied by
// truncation while the data it held is not yet on the disk is written out
// when it is closed (the auto_da_alloc heuristic), which costs hundreds of
// microseconds to milliseconds where overwriting costs tens.
//
// Not atomic: a reader may see the file half written, and a crash while
// writing can leave old bytes after new ones (sys::atomic_replace when that
// matters).
//
// Errors (open, file_size, read, write, file_truncate, close): those of
// opening the file for reading and writing (permission_denied for a file
// that may be written but not read, ...) and of the rest.
// Thread safety: may be called concurrently for different files.
#ifndef VITTE_SYS_UPDATE_FILE_HPP
#define VITTE_SYS_UPDATE_FILE_HPP

#include <vitte/base.hpp>
#include <vitte/base/span.hpp>       // data to write
#include <vitte/base/text_view.hpp>  // text to write
#include <vitte/sys/file.hpp>
#include <vitte/sys/platform.hpp>

#include <cstddef>  // std::byte
#include <cstdint>  // permissions

namespace vitte::sys {

/// Makes the file at `path` hold `data` (created with `permissions` less
/// the umask when absent): true when it was written, false when it held
/// `data` already and was left alone. Errors: see the header.
template <class P = platform>
result<bool> update_file(const path_arg& path, span<const std::byte> data,
                         std::uint32_t permissions = default_file_permissions) noexcept;
/// update_file() of text.
template <class P = platform>
result<bool> update_file(const path_arg& path, text_view text,
                         std::uint32_t permissions = default_file_permissions) noexcept;

}  // namespace vitte::sys

#include <vitte/sys/impl/update_file.hpp>

#endif  // VITTE_SYS_UPDATE_FILE_HPP
