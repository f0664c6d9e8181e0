// vitte/sys/whole_file.hpp - reading and writing whole files, and replacing
// a file atomically.
//
//   namespace sys = vitte::sys;
//   vitte::buffer<std::byte> bytes = sys::read_file("image.png").value();  // one allocation when the size is known
//   vitte::text text = sys::read_file_string("/proc/self/status").value(); // size 0 reported: read until the end
//   sys::write_file("notes.txt", "hello\n").value();
//
//   // Readers see the old contents or the new ones, never a mix, and after
//   // a crash or power loss the file holds one or the other:
//   sys::atomic_replace("config.json", new_json).value();
//   sys::atomic_replace_with("big.db", [&](sys::file& f) { return f.write_vec(parts); }).value();
//
// atomic_replace writes a temporary file with a random name in the same
// directory (created exclusively, so nobody else's file is touched), syncs
// it, renames it over the target (rename on POSIX; MoveFileExW with
// MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH on Windows) and syncs
// the directory. If any step fails the temporary is removed and the target
// is left as it was. A symbolic link at the target is replaced by a file,
// not followed. A device, a named pipe or a socket at the target (-o
// /dev/null), or a link to one (-o /dev/stdout), is written through, not
// replaced: nothing atomic there.
//
// Each takes an optional `vitte::diagnostic* why`: on an error it names the
// path and says what failed ("notes.txt: open: permission denied (errno 13:
// Permission denied)"), so a caller prints one line without joining it.
#ifndef VITTE_SYS_WHOLE_FILE_HPP
#define VITTE_SYS_WHOLE_FILE_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>     // read_file
#include <vitte/base/span.hpp>       // data to write
#include <vitte/base/text.hpp>       // read_file_string
#include <vitte/base/text_view.hpp>  // text to write
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/directory.hpp>
#include <vitte/sys/file.hpp>
#include <vitte/sys/operations.hpp>
#include <vitte/sys/path.hpp>
#include <vitte/sys/platform.hpp>

#include <cstddef>      // std::byte
#include <cstdint>      // permissions
#include <type_traits>  // the writer's signature

namespace vitte::sys {

/// Reads the whole file at `path`. When the file system reports the size
/// the buffer is allocated once; files that report 0 (Linux /proc) or grow
/// while being read are read to their end all the same.
/// Errors (open, read, file_stat): not_found, is_a_directory, no_memory
/// (read) when the contents do not fit in memory, ...
/// Thread safety: may be called concurrently.
template <class P = platform>
result<buffer<std::byte>> read_file(const path_arg& path, diagnostic* why = nullptr);

/// read_file() into a vitte::text. Errors: as read_file(), and no_memory.
template <class P = platform>
result<text> read_file_string(const path_arg& path, diagnostic* why = nullptr);

/// write_file() options.
struct write_options {
  std::uint32_t permissions = default_file_permissions;  ///< Of a created file (less the umask).
  bool exclusive = false;  ///< Fail with already_exists instead of replacing the contents.
  bool sync = false;       ///< Sync the file before closing it.
};

/// Creates or truncates the file at `path` and writes `data` to it. Not
/// atomic: a reader may see it half written (use atomic_replace for that).
/// Errors (open, write, file_sync, close).
template <class P = platform>
status write_file(const path_arg& path, span<const std::byte> data, write_options options = {},
                  diagnostic* why = nullptr) noexcept;
/// write_file() of text.
template <class P = platform>
status write_file(const path_arg& path, text_view text, write_options options = {}, diagnostic* why = nullptr) noexcept;

/// replace_options::permissions: those of the file being replaced (0666
/// less the umask when there is none).
inline constexpr std::uint32_t keep_permissions = 0xFFFF'FFFFu;

/// atomic_replace() options.
struct replace_options {
  std::uint32_t permissions = keep_permissions;  ///< Of the new file.
  bool sync = true;  ///< Sync the file and the directory (durable after a crash); false is atomic but not durable.
};

/// Replaces the file at `path` with what `write(basic_file<P>&) -> status`
/// writes, atomically (see the header). The writer gets the temporary file,
/// open for writing at offset 0.
/// Errors: invalid_argument for a path without a file name; those of the
/// writer and of open, file_sync, close, rename; the target is untouched
/// and the temporary gone after any of them. A failure of the final
/// directory sync (file_sync) is reported after the rename took place.
template <class P = platform, class Writer>
  requires std::is_invocable_r_v<status, Writer&, basic_file<P>&>
status atomic_replace_with(const path_arg& path, Writer&& write, replace_options options = {},
                           diagnostic* why = nullptr);

/// Replaces the file at `path` with `data`, atomically (see the header).
template <class P = platform>
status atomic_replace(const path_arg& path, span<const std::byte> data, replace_options options = {},
                      diagnostic* why = nullptr);
/// atomic_replace() of text.
template <class P = platform>
status atomic_replace(const path_arg& path, text_view text, replace_options options = {}, diagnostic* why = nullptr);

}  // namespace vitte::sys

#include <vitte/sys/impl/whole_file.hpp>

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/fs.ipp>  // the backend's definitions
#endif

#endif  // VITTE_SYS_WHOLE_FILE_HPP
