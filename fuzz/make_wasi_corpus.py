#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_wasi (fuzz/corpus/wasi/): 512 bytes of
memory (paths, iovecs, a subscription), then calls in fuzz_wasi's encoding:
a function byte, then per parameter a kind byte (0 small, 1 first-page
offset / 2, 2 end of memory minus n, 3 raw 8 bytes) and its value."""
import os
import struct
import sys

NAMES = ["args_get", "args_sizes_get", "environ_get", "environ_sizes_get", "clock_res_get", "clock_time_get",
         "fd_advise", "fd_allocate", "fd_close", "fd_datasync", "fd_fdstat_get", "fd_fdstat_set_flags",
         "fd_fdstat_set_rights", "fd_filestat_get", "fd_filestat_set_size", "fd_filestat_set_times", "fd_pread",
         "fd_prestat_get", "fd_prestat_dir_name", "fd_pwrite", "fd_read", "fd_readdir", "fd_renumber", "fd_seek",
         "fd_sync", "fd_tell", "fd_write", "path_create_directory", "path_filestat_get", "path_filestat_set_times",
         "path_link", "path_open", "path_readlink", "path_remove_directory", "path_rename", "path_symlink",
         "path_unlink_file", "poll_oneoff", "proc_exit", "proc_raise", "sched_yield", "random_get", "sock_accept",
         "sock_recv", "sock_send", "sock_shutdown"]


def small(v):
    return bytes([0, v])


def off(v):  # an offset into the first page, v even
    return bytes([1, v // 2])


def raw(v):
    return bytes([3]) + struct.pack('<Q', v & 0xffffffffffffffff)


def call(name, *args):
    return bytes([NAMES.index(name)]) + b''.join(args)


def memory():
    m = bytearray(512)
    for at, s in ((0, b'a'), (16, b'../outside'), (32, b'd/../a'), (48, b'new'), (64, b'd/x'), (80, b'/etc/passwd')):
        m[at:at + len(s)] = s
    struct.pack_into('<II', m, 128, 0, 16)  # an iovec: 16 bytes at 0
    struct.pack_into('<QBxxxxxxxIxxxxQQH', m, 256, 7, 0, 1, 1000, 0, 0)  # a relative clock subscription
    return bytes(m)


SEEDS = {
    'open_read_close': call('path_open', small(3), small(1), off(0), small(1), small(0), raw(-1), raw(-1), small(0),
                            off(200)) + call('fd_read', small(4), off(128), small(1), off(210)) + call('fd_close', small(4)),
    'escape': call('path_open', small(3), small(1), off(16), raw(10), small(0), raw(-1), raw(-1), small(0), off(200)),
    'create_write': call('path_open', small(3), small(0), off(48), small(3), small(1), raw(-1), raw(-1), small(0),
                         off(200)) + call('fd_write', small(4), off(128), small(1), off(210)) +
                    call('fd_seek', small(4), small(0), small(0), off(216)) + call('fd_readdir', small(3), off(300),
                                                                                     raw(200), small(0), off(220)),
    'paths': call('path_create_directory', small(3), off(64), small(3)) + call('path_symlink', off(0), small(1),
                  small(3), off(48), small(3)) + call('path_readlink', small(3), off(48), small(3), off(300), raw(64),
                  off(220)) + call('path_rename', small(3), off(48), small(3), small(3), off(64), small(3)) +
             call('path_unlink_file', small(3), off(64), small(3)) + call('path_remove_directory', small(3), off(64),
                                                                          small(3)),
    'poll_and_clocks': call('poll_oneoff', off(256), off(400), small(1), off(220)) +
                       call('clock_time_get', small(1), small(0), off(220)) + call('random_get', off(300), raw(32)),
    'args_env': call('args_sizes_get', off(200), off(204)) + call('args_get', off(300), off(400)) +
                call('environ_get', off(300), off(400)) + call('fd_prestat_get', small(3), off(200)) +
                call('fd_prestat_dir_name', small(3), off(300), raw(8)),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), 'corpus', 'wasi')
    os.makedirs(out, exist_ok=True)
    for name, calls in SEEDS.items():
        with open(os.path.join(out, name), 'wb') as f:
            f.write(memory() + calls)


if __name__ == '__main__':
    main()
