// vitte/sys/fs.hpp - files and directories: everything of vitte's
// file-system layer in one include.
//
//   #include <vitte/sys/fs.hpp>
//   namespace sys = vitte::sys;
//
//   sys::create_directories("out/logs").value();
//   sys::atomic_replace("out/state.json", R"({"ok": true})").value();   // old or new, never a mix
//   std::string s = sys::read_file_string("out/state.json").value();
//   sys::walk("out", [](const sys::walk_entry& e) { std::puts(std::string(e.path).c_str()); }).value();
//   sys::remove_all("out").value();
//
// Each part has its own header, which is cheaper to include alone:
//   path.hpp        path_arg (UTF-8 paths) and path_join, parent_path, file_name
//   file.hpp        basic_file: open modes, looping reads and writes, positional
//                   and vectored I/O, sync, preallocation, advisory locks
//   whole_file.hpp  read_file, write_file, atomic_replace
//   metadata.hpp    stat, lstat, exists, set_times, set_permissions
//   directory.hpp   directory handles (openat-style calls), listing, walk,
//                   create_directories, remove_all
//   path_ops.hpp    rename, links, copy_file, current and canonical paths
//   temp.hpp        temporary files and directories
//   file_map.hpp    memory-mapped views of files
//   watch.hpp       change notification (inotify, or polling)
//
// Every call returns vitte::result or vitte::status, never throws, and
// retries interruptions (EINTR) itself. Every handle is close-on-exec.
#ifndef VITTE_SYS_FS_HPP
#define VITTE_SYS_FS_HPP

#include <vitte/sys/directory.hpp>   // directory handles, listing, walk, trees
#include <vitte/sys/file.hpp>        // basic_file
#include <vitte/sys/file_map.hpp>    // basic_file_map
#include <vitte/sys/fs_types.hpp>    // open_mode, file_status, ...
#include <vitte/sys/metadata.hpp>    // stat, lstat, set_times, ...
#include <vitte/sys/path.hpp>        // path_arg, path helpers
#include <vitte/sys/path_ops.hpp>    // rename, links, copy_file, ...
#include <vitte/sys/temp.hpp>        // temporary files and directories
#include <vitte/sys/watch.hpp>       // change notification
#include <vitte/sys/whole_file.hpp>  // read_file, write_file, atomic_replace

#endif  // VITTE_SYS_FS_HPP
