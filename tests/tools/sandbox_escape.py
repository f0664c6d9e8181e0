#!/usr/bin/env python3
"""The sandbox escape regression suite: hostile programs (tests/sys/escape/escape.c)
run under `vitte run --sandbox`, as root and as nobody (uid 65534), and
under bubblewrap and firejail when they are on PATH, with the closest
options those have. One line per case and engine, then `N passed, M failed`.

A case fails when vitte let the attack through (as root or as nobody), or
could not run it. Where the host can see the outcome, the host decides, not
the program's claim: a file's mode, times, attributes and flags unchanged, a
datagram or connection not received, a helper process still alive, nothing
typed into a terminal, the run ending in time, vitte's peak memory. Peers are
reported beside vitte and fail nothing: a row where a peer blocks what vitte
lets through says so.

Cases marked `control` run unconfined first (as the same user): an attack
that fails there too cannot be tried on this machine (no x32 ABI in the
kernel, no such filesystem feature) and its row is n/a.

Usage: sandbox_escape.py --vitte PATH --escape PATH [--work DIR] [--table] [--only NAME,...] [--keep]"""
import argparse
import array
import fcntl
import os
import re
import secrets
import select
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import termios
import threading
import time

NOBODY = 65534
SETPRIV = ['setpriv', f'--reuid={NOBODY}', f'--regid={NOBODY}', '--clear-groups']
FS_IOC_GETFLAGS = 0x80086601
FS_IOC_SETFLAGS = 0x40086602
FS_IMMUTABLE_FL = 0x10
FS_APPEND_FL = 0x20
LINE = re.compile(r'^(escaped|blocked|n/a): ?(.*)$')
SIGNALS = {int(s): s.name for s in signal.Signals}


class Unavailable(Exception):
    """The engine has no equivalent of what the case asks for."""


# ---- the cases ---------------------------------------------------------------

class Case:
    """One attack: the program's arguments (with {placeholders} the run fills
    in), the policy every engine translates, the host-side fixtures and oracle."""

    def __init__(self, name, group, attack, *, read=(), write=(), proc=False, net='none', limits=None,
                 timeout=None, syscalls='standard', clear_env=False, env=None, json=False, fixtures=(),
                 oracle=None, control=False, hard=10, needs_line=True, title=None, strict=False):
        self.name, self.group, self.attack = name, group, attack
        self.read, self.write, self.proc, self.net = read, write, proc, net
        self.limits, self.timeout, self.syscalls = limits or {}, timeout, syscalls
        self.clear_env, self.env, self.json = clear_env, env or {}, json
        self.fixtures, self.oracle, self.control = fixtures, oracle, control
        self.hard, self.needs_line = hard, needs_line
        self.strict = strict  # vitte runs it with --strict: a refusal to run, naming the layer, blocks it
        self.title = title or name


def cases():
    ro, rw = ['{ro}'], ['{rw}']
    secret = oracle_secret
    meta = dict(read=ro, control=True, fixtures=('metadata',))
    return [
        # files
        Case('read-outside', 'files', ['read', '{out}/secret'], read=ro, oracle=secret, control=True,
             title='read a file outside the allowed set'),
        Case('read-symlink', 'files', ['read-symlink', '{rw}', '{out}/secret'], write=rw, oracle=secret,
             control=True, title='read through a symlink planted in a writable dir'),
        Case('read-proc-root', 'files', ['read', '/proc/self/root{out}/secret'], read=ro, proc=True,
             oracle=secret, control=True, title='read through /proc/self/root/...'),
        Case('read-dotdot', 'files', ['read', '{ro}/../out/secret'], read=ro, oracle=secret, control=True,
             title='read through `..` out of an allowed dir'),
        Case('write-ro-new', 'files', ['write', '{ro}/new'], read=ro, oracle=oracle_created, control=True,
             title='create a file in a read-only tree'),
        Case('write-ro-existing', 'files', ['write', '{ro}/victim'], read=ro, oracle=oracle_victim,
             control=True, title='overwrite a file in a read-only tree'),
        # metadata
        Case('fchmod-file', 'metadata', ['fchmod', '{ro}/target', '0666'], oracle=oracle_metadata,
             title='fchmod 0666 a read-only file opened O_RDONLY', **meta),
        Case('futimens-file', 'metadata', ['futimens', '{ro}/target'], oracle=oracle_metadata,
             title='futimens a read-only file opened O_RDONLY', **meta),
        Case('fchmod-dir', 'metadata', ['fchmod-dir', '{ro}/tdir', '0777'], oracle=oracle_metadata,
             title='fchmod 0777 a read-only dir opened O_DIRECTORY', **meta),
        Case('futimens-dir', 'metadata', ['futimens-dir', '{ro}/tdir'], oracle=oracle_metadata,
             title='futimens a read-only dir opened O_DIRECTORY', **meta),
        Case('chmod-path', 'metadata', ['chmod', '{ro}/target', '0666'], oracle=oracle_metadata,
             title='chmod 0666 a read-only file by path', **meta),
        Case('setxattr', 'metadata', ['setxattr', '{ro}/target'], oracle=oracle_metadata,
             title='setxattr user.* on a read-only file', **meta),
        Case('fsetxattr', 'metadata', ['fsetxattr', '{ro}/target'], oracle=oracle_metadata,
             title='fsetxattr user.* on a read-only file', **meta),
        Case('setflags', 'metadata', ['setflags', '{ro}/target'], oracle=oracle_metadata,
             title='FS_IOC_SETFLAGS (chattr +i, else +d) a read-only file', **meta),
        # sockets
        Case('dgram-sendto', 'sockets', ['dgram-sendto', '{dgram}'], fixtures=('dgram',), oracle=oracle_dgram,
             control=True, title='socketpair(AF_UNIX, SOCK_DGRAM) + sendto a host path'),
        Case('dgram-scm-rights', 'sockets', ['dgram-scm', '{dgram}'], fixtures=('dgram',), oracle=oracle_dgram,
             control=True, title='the same carrying a descriptor (SCM_RIGHTS)'),
        Case('dgram-connect-loopback', 'sockets', ['dgram-connect', '{dgram}'], net='loopback',
             fixtures=('dgram',), oracle=oracle_dgram, control=True,
             title='`--net loopback`: connect the dgram pair to a host path, send'),
        Case('unix-stream', 'sockets', ['stream-connect', '{stream}'], fixtures=('stream',),
             oracle=oracle_accepted, control=True, title='socket(AF_UNIX) + connect to a host stream path'),
        Case('unix-stream-loopback', 'sockets', ['stream-connect', '{stream}'], net='loopback',
             fixtures=('stream',), oracle=oracle_accepted, control=True,
             title='`--net loopback`: the same'),
        Case('abstract', 'sockets', ['abstract', '{abstract}'], fixtures=('abstract',), oracle=oracle_accepted,
             control=True, title='connect to a host abstract unix socket'),
        Case('abstract-net-any', 'sockets', ['abstract', '{abstract}'], net='any', fixtures=('abstract',),
             oracle=oracle_accepted, control=True, title='`--net any`: the same'),
        Case('tcp-loopback', 'sockets', ['tcp', '{port}'], fixtures=('tcp',), oracle=oracle_accepted,
             control=True, title='TCP connect to a host listener on 127.0.0.1'),
        Case('netlink', 'sockets', ['netlink'], control=True, title='netlink: list the host\'s interfaces'),
        Case('io-uring', 'sockets', ['io-uring'], control=True, title='io_uring_setup'),
        Case('io-uring-unfiltered', 'sockets', ['io-uring'], syscalls='unfiltered', control=True,
             title='io_uring_setup, `--syscalls unfiltered`'),
        # descriptors
        Case('inherited-fd', 'descriptors', ['fd', '{fd}'], fixtures=('channel',), oracle=oracle_channel,
             control=True, title='read and write a descriptor the caller left open'),
        # /proc
        Case('proc-environ', 'proc', ['proc-environ', 'VITTE_ESCAPE_SECRET'], proc=True, clear_env=True,
             fixtures=('env_secret',), oracle=oracle_env_secret,
             title='the caller\'s environment in /proc/{1,ancestors}/environ (`--clear-env`)'),
        Case('proc-cmdline', 'proc', ['proc-cmdline', 'VITTE_ESCAPE_ARGV-'], proc=True,
             env={'VITTE_ESCAPE_ARGV': '{argv_mark}'}, oracle=oracle_argv_mark,
             title='the caller\'s argv in /proc/{1,ancestors}/cmdline'),
        Case('proc-maps', 'proc', ['proc-maps'], proc=True, title='read /proc/{1,ancestors}/maps'),
        Case('proc-mem', 'proc', ['proc-mem', 'VITTE_ESCAPE_SECRET'], proc=True, clear_env=True,
             fixtures=('env_secret',), title='read /proc/{1,ancestors}/mem (the caller\'s secret in it?)'),
        Case('proc-hosts', 'proc', ['proc-hosts', 'VITTE_ESCAPE_HOST-'], proc=True, fixtures=('helper',),
             oracle=oracle_host_mark, title='list /proc: a host process visible'),
        # signals and ptrace
        Case('kill-host', 'signals', ['kill', '{helper_pid}'], fixtures=('helper',), oracle=oracle_helper_alive,
             control=True, title='kill(SIGTERM) a host process'),
        Case('stop-init', 'signals', ['stop-init'], oracle=oracle_hang, hard=5,
             title='PTRACE_ATTACH + SIGSTOP pid 1 (the caller hangs?)'),
        Case('stop-init-unfiltered', 'signals', ['stop-init'], syscalls='unfiltered', oracle=oracle_hang, hard=5,
             title='the same, `--syscalls unfiltered`'),
        Case('traceme', 'signals', ['traceme'], title='PTRACE_TRACEME'),
        # terminals
        Case('tiocsti', 'terminals', ['tiocsti'], fixtures=('pty',), oracle=oracle_pty, control=True,
             title='TIOCSTI into an inherited terminal'),
        Case('tiocsti-ctty', 'terminals', ['tiocsti-ctty'], fixtures=('pty',), oracle=oracle_pty, control=True,
             title='TIOCSTI after setsid + TIOCSCTTY'),
        Case('tiocsti-unfiltered', 'terminals', ['tiocsti'], syscalls='unfiltered', fixtures=('pty',),
             oracle=oracle_pty, control=True, title='TIOCSTI, `--syscalls unfiltered`'),
        Case('tiocsti-ctty-unfiltered', 'terminals', ['tiocsti-ctty'], syscalls='unfiltered', fixtures=('pty',),
             oracle=oracle_pty, control=True, title='TIOCSTI after TIOCSCTTY, `--syscalls unfiltered`'),
        # namespaces
        Case('unshare-user', 'namespaces', ['unshare-user'], title='unshare(CLONE_NEWUSER)'),
        Case('setns', 'namespaces', ['setns'], proc=True, title='setns into pid 1\'s or an ancestor\'s namespaces'),
        Case('clone3-newuser', 'namespaces', ['clone3-newuser'], title='clone3(CLONE_NEWUSER)'),
        Case('clone-newuser', 'namespaces', ['clone-newuser'], title='clone(CLONE_NEWUSER)'),
        Case('mount-tmpfs', 'namespaces', ['mount-tmpfs', '{rw}'], write=rw, title='mount a tmpfs'),
        # system-call ABIs
        Case('int80-getpid', 'syscall ABIs', ['int80-getpid'], control=True, title='`int 0x80` (i386) getpid'),
        Case('int80-open', 'syscall ABIs', ['int80-open', '{out}/secret'], oracle=secret, control=True,
             title='`int 0x80` (i386) open + read outside the set'),
        Case('x32-getpid', 'syscall ABIs', ['x32-getpid'], control=True, title='x32 getpid (bit 0x40000000)'),
        # resources
        Case('fork-bomb', 'resources', ['fork-bomb', '8'], limits={'procs': 8}, oracle=oracle_procs,
             title='fork bomb under `--limit procs=8`'),
        Case('memory-total', 'resources', ['memory', '4', '200'], limits={'mem': '256M'}, strict=True,
             title='4 processes x 200 MiB under `--limit mem=256M --strict`'),
        Case('timeout', 'resources', ['sleep', '30'], timeout=2, oracle=oracle_wall, hard=8, needs_line=False,
             title='`--timeout 2`, the program sleeps 30 s'),
        Case('output-flood', 'resources', ['flood', '256'], json=True, oracle=oracle_rss, hard=90,
             needs_line=False, title='256 MiB of output with `--json` (vitte\'s peak RSS)'),
    ]


# ---- oracles: (run, result) -> (verdict, detail), or None for the program's line --

def oracle_secret(run, res):
    if run.secret in res.line:
        return 'escaped', res.said
    return 'blocked', f'{res.short()} (no secret came out)'


def oracle_created(run, res):
    p = os.path.join(run.ro, 'new')
    if os.path.lexists(p):
        return 'escaped', f'{p} exists on the host'
    return 'blocked', f'{res.short()} (host: nothing created)'


def oracle_victim(run, res):
    with open(os.path.join(run.ro, 'victim'), 'rb') as f:
        now = f.read()
    if now != b'original\n':
        return 'escaped', f'the read-only file now holds {now[:32]!r} (host)'
    return 'blocked', f'{res.short()} (host: unchanged)'


def metadata_state(root):
    state = {}
    for name in ('target', 'tdir'):
        p = os.path.join(root, name)
        st = os.lstat(p)
        try:
            attrs = sorted(os.listxattr(p, follow_symlinks=False))
        except OSError:
            attrs = []
        state[name] = {'mode': oct(stat.S_IMODE(st.st_mode)), 'mtime_ns': st.st_mtime_ns, 'xattrs': attrs,
                       'flags': file_flags(p)}
    return state


def oracle_metadata(run, res):
    after = metadata_state(run.ro)
    changed = []
    for name, before in run.metadata.items():
        for key, value in before.items():
            if after[name][key] != value:
                changed.append(f'{name} {key} {value} -> {after[name][key]}')
    if changed:
        return 'escaped', 'host: ' + '; '.join(changed)
    return 'blocked', f'{res.short()} (host: unchanged)'


def oracle_dgram(run, res):
    got = run.received_datagrams()
    if got:
        return 'escaped', f'the host socket received {got}'
    return 'blocked', f'{res.short()} (host: nothing received)'


def oracle_accepted(run, res):
    if run.accepted():
        return 'escaped', f'the host listener accepted a connection ({res.line or res.short()})'
    return 'blocked', f'{res.short()} (host: no connection)'


def oracle_channel(run, res):
    data = run.channel_data()
    if data or run.secret in res.line:
        return 'escaped', f'the host end received {data[:40]!r}' + (
            '; the secret came out' if run.secret in res.line else '')
    return 'blocked', f'{res.short()} (host: nothing written, no secret out)'


def oracle_env_secret(run, res):
    if run.env_secret in res.line:
        return 'escaped', res.said
    return 'blocked', f'{res.short()} (the caller\'s secret did not come out)'


def oracle_argv_mark(run, res):
    if run.argv_mark in res.line:
        return 'escaped', res.said
    return 'blocked', f'{res.short()} (the caller\'s argv did not come out)'


def oracle_host_mark(run, res):
    if run.host_mark in res.line:
        return 'escaped', res.said
    return 'blocked', f'{res.short()} (no host process seen)'


def oracle_helper_alive(run, res):
    deadline = time.monotonic() + 0.5
    while time.monotonic() < deadline and run.helper.poll() is None:
        time.sleep(0.02)
    if run.helper.poll() is not None:
        return 'escaped', f'the host helper {run.helper.pid} is dead ({describe_status(run.helper.returncode)})'
    return 'blocked', f'{res.short()} (host: the helper is alive)'


def oracle_hang(run, res):
    if res.hung:
        return 'escaped', f'hung: the run did not end within {run.case.hard} s (killed)'
    return 'blocked', f'the run ended ({res.line or res.short()})'


def oracle_pty(run, res):
    typed = run.pty_typed()
    if typed:
        return 'escaped', f'the terminal got {typed!r} (host)'
    return 'blocked', f'{res.short()} (host: nothing typed)'


def oracle_procs(run, res):
    m = re.search(r'(\d+) processes', res.line)
    if m and int(m.group(1)) > run.case.limits['procs']:
        return 'escaped', res.said
    if res.kind == 'escaped':
        return 'blocked', f'{res.said} (not above the limit)'
    return None


def oracle_wall(run, res):
    if res.elapsed > 5:
        return 'escaped', f'ran {res.elapsed:.1f} s under --timeout {run.case.timeout}' + (
            ' (killed by the runner)' if res.hung else '')
    if res.elapsed < run.case.timeout * 0.75:  # a program sleeping 30 s ended before its timeout: it never ran
        return 'error', f'ended after {res.elapsed:.1f} s, before the timeout (exit {res.code}): {res.err_tail()}'
    return 'blocked', f'stopped after {res.elapsed:.1f} s ({res.short()})'


def oracle_rss(run, res):
    rss = res.maxrss_kib >> 10
    if res.hung:
        return 'error', f'no end within {run.case.hard} s'
    if not (res.code == 0 or res.code > 128):
        return 'error', f'exit {res.code}: {res.err_tail()}'
    what = f'peak RSS {rss} MiB for 256 MiB of output ({res.out_bytes >> 20} MiB printed)'
    if rss > 100:
        return 'escaped', what
    return 'blocked', what


# ---- helpers -------------------------------------------------------------------

def file_flags(path):
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        buf = array.array('i', [0])
        fcntl.ioctl(fd, FS_IOC_GETFLAGS, buf, True)
        return hex(buf[0])
    except OSError:
        return None
    finally:
        os.close(fd)


def clear_flags(root):
    """Takes immutable and append-only off everything under root (chattr +i by an attack)."""
    for d, dirs, files in os.walk(root):
        for n in dirs + files:
            p = os.path.join(d, n)
            if os.path.islink(p):
                continue
            try:
                fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK)
            except OSError:
                continue
            try:
                buf = array.array('i', [0])
                fcntl.ioctl(fd, FS_IOC_GETFLAGS, buf, True)
                if buf[0] & (FS_IMMUTABLE_FL | FS_APPEND_FL):
                    buf[0] &= ~(FS_IMMUTABLE_FL | FS_APPEND_FL)
                    fcntl.ioctl(fd, FS_IOC_SETFLAGS, buf, True)
            except OSError:
                pass
            finally:
                os.close(fd)


def describe_status(code):
    if code is None:
        return 'running'
    if code < 0:
        return f'killed by {SIGNALS.get(-code, -code)}'
    return f'exit {code}'


class Capture(threading.Thread):
    """Reads a pipe to its end: the first `cap` bytes and the last 64 KiB kept, the rest counted."""

    def __init__(self, pipe, cap):
        super().__init__(daemon=True)
        self.pipe, self.cap = pipe, cap
        self.head, self.tail, self.count = bytearray(), bytearray(), 0
        self.start()

    def run(self):
        while True:
            b = self.pipe.read1(1 << 16) if hasattr(self.pipe, 'read1') else self.pipe.read(1 << 16)
            if not b:
                break
            self.count += len(b)
            room = self.cap - len(self.head)
            if room > 0:
                self.head += b[:room]
                b = b[room:]
            if b:
                self.tail += b
                del self.tail[:-(1 << 16)]
        self.pipe.close()

    def text(self):
        return (bytes(self.head) + bytes(self.tail)).decode('utf-8', 'replace')


class Result:
    def __init__(self):
        self.out = self.err = ''
        self.code, self.hung, self.elapsed, self.maxrss_kib, self.out_bytes = 0, False, 0.0, 0, 0
        self.line, self.kind, self.said = '', None, ''
        self.self_signal = 0
        self.leftovers = []

    def short(self):
        """What stopped it, in a word or two: the ERRNO, the signal, or the line."""
        if self.kind:
            return self.said
        if self.code > 128:
            return SIGNALS.get(self.code - 128, f'signal {self.code - 128}')
        return f'no line, exit {self.code}'

    def err_tail(self):
        lines = [s for s in self.err.strip().splitlines() if s.strip()]
        return lines[-1][:200] if lines else '(no stderr)'


def execute(argv, *, env, stdin, pass_fds, hard, sweep):
    """Runs argv in a session of its own, at most `hard` seconds (then its
    group is killed, and `sweep` ends what it left)."""
    r = Result()
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                         pass_fds=pass_fds, start_new_session=True, cwd='/')
    out, err = Capture(p.stdout, 1 << 20), Capture(p.stderr, 1 << 16)
    pidfd = os.pidfd_open(p.pid)
    try:
        r.hung = not select.select([pidfd], [], [], hard)[0]
        if r.hung:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _, status, usage = os.wait4(p.pid, 0)
    finally:
        os.close(pidfd)
    r.elapsed = time.monotonic() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    r.code = p.returncode if p.returncode >= 0 else 128 - p.returncode
    r.self_signal = -p.returncode if p.returncode < 0 and not r.hung else 0
    r.maxrss_kib = usage.ru_maxrss
    r.leftovers = sweep()
    out.join(10)
    err.join(10)
    r.out, r.err, r.out_bytes = out.text(), err.text(), out.count
    for s in r.out.splitlines():
        m = LINE.match(s)
        if m:
            r.line, r.kind, r.said = s, m.group(1), m.group(2)
    return r


# ---- one run: its fixtures ---------------------------------------------------------

class Run:
    """The fixtures of one case under one engine, in a directory of its own:
    ro/ (allowed to read: target, tdir/, victim), rw/ (allowed to write),
    out/ (allowed nothing: secret, the host's sockets)."""

    def __init__(self, suite, case, engine):
        self.suite, self.case, self.engine = suite, case, engine
        self.uid = engine.uid
        self.base = os.path.join(suite.work, 'runs', engine.slug, case.name)
        self.ro, self.rw, self.out = (os.path.join(self.base, d) for d in ('ro', 'rw', 'out'))
        self.secret = 'VITTE-ESCAPE-SECRET-' + secrets.token_hex(8)
        self.env_secret = 'VITTE-ESCAPE-ENV-' + secrets.token_hex(8)
        self.argv_mark = 'VITTE_ESCAPE_ARGV-' + secrets.token_hex(8)
        self.host_mark = 'VITTE_ESCAPE_HOST-' + secrets.token_hex(8)
        self.sockets, self.fds, self.pass_fds = [], [], []
        self.helper = None
        self.stdin = subprocess.DEVNULL
        self.values = {'ro': self.ro, 'rw': self.rw, 'out': self.out, 'argv_mark': self.argv_mark}

    def __enter__(self):
        for d in (self.ro, self.rw, self.out, os.path.join(self.ro, 'tdir')):
            os.makedirs(d)
        write(os.path.join(self.out, 'secret'), self.secret + '\n')
        write(os.path.join(self.ro, 'target'), 'target\n')
        write(os.path.join(self.ro, 'victim'), 'original\n')
        for d in (self.base, self.ro, self.rw, self.out, os.path.join(self.ro, 'tdir')):
            os.chmod(d, 0o755)
        for f in ('out/secret', 'ro/target', 'ro/victim'):
            os.chmod(os.path.join(self.base, f), 0o644)
        if self.uid != 0:
            for d, dirs, files in os.walk(self.base):
                for n in [d] + [os.path.join(d, x) for x in dirs + files]:
                    os.lchown(n, self.uid, self.uid)
        fx = self.case.fixtures
        if 'metadata' in fx:
            old = 1_000_000_000 * 1_600_000_000
            os.utime(os.path.join(self.ro, 'target'), ns=(old, old))
            os.utime(os.path.join(self.ro, 'tdir'), ns=(old, old))
            self.metadata = metadata_state(self.ro)
        if 'dgram' in fx:
            self.dgram = self.listen(socket.SOCK_DGRAM, os.path.join(self.out, 'd.sock'))
            self.values['dgram'] = os.path.join(self.out, 'd.sock')
        if 'stream' in fx:
            self.listener = self.listen(socket.SOCK_STREAM, os.path.join(self.out, 's.sock'))
            self.values['stream'] = os.path.join(self.out, 's.sock')
        if 'abstract' in fx:
            name = 'vitte-escape-' + secrets.token_hex(8)
            self.listener = self.listen(socket.SOCK_STREAM, '\0' + name)
            self.values['abstract'] = name
        if 'tcp' in fx:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self.sockets.append(s)
            s.bind(('127.0.0.1', 0))
            s.listen(8)
            self.listener = s
            self.values['port'] = str(s.getsockname()[1])
        if 'channel' in fx:  # a datagram pair: the runner's end sent the secret for the program to read
            mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
            self.sockets += [mine, theirs]
            mine.sendall(self.secret.encode() + b'\n')
            mine.setblocking(False)
            self.channel, self.channel_theirs = mine, theirs
            self.pass_fds = [theirs.fileno()]
            self.values['fd'] = str(theirs.fileno())
        if 'pty' in fx:
            master, slave = os.openpty()
            self.fds += [master, slave]
            attrs = termios.tcgetattr(slave)
            attrs[3] = (attrs[3] & ~termios.ICANON) | termios.ECHO  # every byte readable, echoed
            termios.tcsetattr(slave, termios.TCSANOW, attrs)
            os.set_blocking(master, False)
            self.master, self.slave, self.stdin = master, slave, slave
        if 'helper' in fx:
            argv = [self.suite.escape, 'hold', '120', self.host_mark]
            if self.uid != 0:
                argv = SETPRIV + argv
            self.helper = subprocess.Popen(argv, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL, start_new_session=True, cwd='/')
            ready = select.select([self.helper.stdout], [], [], 10)[0]
            if not ready or self.helper.stdout.readline().strip() != b'ready':
                raise RuntimeError('the helper did not start')
            self.values['helper_pid'] = str(self.helper.pid)
        if 'env_secret' in fx:
            self.env_extra = {'VITTE_ESCAPE_SECRET': self.env_secret}
        return self

    def listen(self, kind, address):
        s = socket.socket(socket.AF_UNIX, kind)
        self.sockets.append(s)
        s.bind(address)
        if not address.startswith('\0'):
            os.chmod(address, 0o777)
        if kind == socket.SOCK_STREAM:
            s.listen(8)
        return s

    def received_datagrams(self):
        got = []
        self.dgram.setblocking(False)
        while True:
            try:
                data, anc, _, _ = self.dgram.recvmsg(256, socket.CMSG_SPACE(16 * 4))
            except BlockingIOError:
                break
            fds = []
            for level, kind, payload in anc:
                if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                    fds += array.array('i', payload[:len(payload) - len(payload) % 4]).tolist()
            for fd in fds:
                os.close(fd)
            got.append(f'{data!r}' + (f' with {len(fds)} descriptor(s)' if fds else ''))
        return ', '.join(got)

    def accepted(self):
        self.listener.setblocking(False)
        try:
            c, _ = self.listener.accept()
        except BlockingIOError:
            return False
        c.close()
        return True

    def channel_data(self):
        """What the program wrote to the runner's end of the socket pair."""
        self.channel_theirs.close()
        try:
            return self.channel.recv(4096)
        except BlockingIOError:
            return b''

    def pty_typed(self):
        typed = b''
        try:
            typed += os.read(self.master, 4096)  # the echo of what was typed
        except (BlockingIOError, OSError):
            pass
        buf = array.array('i', [0])
        fcntl.ioctl(self.slave, termios.FIONREAD, buf, True)  # typed input waiting to be read
        if buf[0]:
            os.set_blocking(self.slave, False)
            typed += os.read(self.slave, buf[0])
        return typed

    def __exit__(self, *exc):
        if self.helper is not None:
            if self.helper.poll() is None:
                self.helper.kill()
            self.helper.wait()
            self.helper.stdout.close()
        for s in self.sockets:
            s.close()
        for fd in self.fds:
            os.close(fd)
        unmount_under(self.base)
        clear_flags(self.base)
        if not self.suite.keep:
            shutil.rmtree(self.base)
        return False


def write(path, text):
    with open(path, 'w') as f:
        f.write(text)


def unmount_under(root):
    """Mounts an attack left on the host under root (a sandbox without a mount namespace)."""
    with open('/proc/self/mountinfo') as f:
        points = [line.split()[4] for line in f]
    for p in reversed(points):
        if p == root or p.startswith(root + '/'):
            subprocess.run(['umount', '-l', p], check=False)


# ---- the engines -------------------------------------------------------------------

class Engine:
    def __init__(self, name, slug, uid, build, peer=False, control=False):
        self.name, self.slug, self.uid, self.build, self.peer, self.control = name, slug, uid, build, peer, control
        self.missing = None  # why the engine cannot run here


def fill(args, values):
    return [a.format(**values) for a in args]


def vitte_argv(suite, case, run):
    a = [suite.vitte, 'run', '--sandbox']
    for r in case.read:
        a += ['--allow-read', r.format(**run.values)]
    if case.proc:
        a += ['--allow-read', '/proc']
    for w in case.write:
        a += ['--allow-write', w.format(**run.values)]
    a += ['--net', case.net, '--syscalls', case.syscalls]
    if case.limits:
        a += ['--limit', ','.join(f'{k}={v}' for k, v in case.limits.items())]
    if case.timeout:
        a += ['--timeout', str(case.timeout)]
    if case.clear_env:
        a.append('--clear-env')
    for k, v in case.env.items():
        a += ['--env', f'{k}={v.format(**run.values)}']
    if case.json:
        a.append('--json')
    if case.strict:
        a.append('--strict')
    return a + [suite.escape] + fill(case.attack, run.values)


def bwrap_argv(suite, case, run):
    if case.limits:
        raise Unavailable('bwrap has no resource limits')
    if case.timeout:
        raise Unavailable('bwrap has no timeout')
    if case.json:
        raise Unavailable('bwrap does not capture output')
    a = ['bwrap', '--unshare-all', '--die-with-parent', '--new-session', '--cap-drop', 'ALL']
    if case.net == 'any':
        a.append('--share-net')
    for d in ('/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc'):
        if os.path.islink(d):
            a += ['--symlink', os.readlink(d), d]
        elif os.path.isdir(d):
            a += ['--ro-bind', d, d]
    a += ['--dev', '/dev']
    if case.proc:
        a += ['--proc', '/proc']
    for r in case.read:
        a += ['--ro-bind', r.format(**run.values), r.format(**run.values)]
    for w in case.write:
        a += ['--bind', w.format(**run.values), w.format(**run.values)]
    a += ['--ro-bind', suite.bin, suite.bin]
    if case.clear_env:
        a += ['--clearenv', '--setenv', 'PATH', '/usr/bin:/bin']
    for k, v in case.env.items():
        a += ['--setenv', k, v.format(**run.values)]
    return a + ['--chdir', '/', suite.escape] + fill(case.attack, run.values)


def firejail_argv(suite, case, run):
    if case.json:
        raise Unavailable('firejail does not capture output')
    a = ['firejail', '--noprofile', '--quiet', '--caps.drop=all', '--nonewprivs', '--private-dev']
    if case.syscalls != 'unfiltered':
        a.append('--seccomp')
    if case.net != 'any':
        a.append('--net=none')  # loopback only
    for d in [r.format(**run.values) for r in case.read] + [suite.bin]:
        a += [f'--whitelist={d}', f'--read-only={d}']
    for w in case.write:
        a.append(f'--whitelist={w.format(**run.values)}')
    if case.clear_env:
        a += [f'--rmenv={k}' for k in run.env_extra]
    for k, v in case.env.items():
        a.append(f'--env={k}={v.format(**run.values)}')
    for k, v in case.limits.items():
        # rlimits per process: the closest firejail has to a pids or memory cgroup
        a.append({'procs': f'--rlimit-nproc={v}', 'mem': f'--rlimit-as={byte_count(v)}', 'cpu': f'--rlimit-cpu={v}'}[k])
    if case.timeout:
        a.append(f'--timeout=00:00:{case.timeout:02d}')
    return a + [suite.escape] + fill(case.attack, run.values)


def byte_count(v):
    """'256M' -> 268435456 (the suffixes vitte's --limit takes)."""
    m = re.fullmatch(r'(\d+)(B|[kK]|KiB|M|MiB|G|GiB)?', str(v))
    return int(m.group(1)) << {None: 0, 'B': 0, 'k': 10, 'K': 10, 'KiB': 10, 'M': 20, 'MiB': 20, 'G': 30, 'GiB': 30}[
        m.group(2)]


def unconfined_argv(suite, case, run):
    return [suite.escape] + fill(case.attack, run.values)


def as_user(uid, argv):
    return SETPRIV + argv if uid != 0 else argv


# ---- the suite -----------------------------------------------------------------------

class Suite:
    def __init__(self, o):
        self.keep = o.keep
        self.made_work = False
        if o.work:
            self.work = os.path.abspath(o.work)
            if not os.path.isdir(self.work):
                os.makedirs(self.work)
                self.made_work = True
            self.work = tempfile.mkdtemp(prefix='sandbox-escape-', dir=self.work)
        else:
            self.work = tempfile.mkdtemp(prefix='vitte-escape-')
        os.chmod(self.work, 0o755)
        # Copies anyone may run (nobody cannot reach into a private build tree).
        self.bin = os.path.join(self.work, 'bin')
        os.mkdir(self.bin, 0o755)
        self.vitte = os.path.join(self.bin, 'vitte')
        self.escape = os.path.join(self.bin, 'escape')
        shutil.copy(o.vitte, self.vitte)
        shutil.copy(o.escape, self.escape)
        os.chmod(self.vitte, 0o755)
        os.chmod(self.escape, 0o755)
        os.makedirs(os.path.join(self.work, 'runs'), mode=0o755)
        os.chmod(os.path.join(self.work, 'runs'), 0o755)
        root = os.geteuid() == 0
        me = os.geteuid()
        self.engines = [
            Engine('vitte root' if root else f'vitte uid {me}', 'vitte-root', me, vitte_argv),
            Engine('vitte nobody', 'vitte-nobody', NOBODY, vitte_argv),
            Engine('bwrap', 'bwrap', me, bwrap_argv, peer=True),
            Engine('firejail', 'firejail', me, firejail_argv, peer=True),
        ]
        self.controls = {me: Engine('unconfined', 'unconfined-root', me, unconfined_argv, control=True)}
        if not root:
            self.engines[1].missing = 'not run as root: no uid to drop to'
        elif not shutil.which('setpriv'):
            self.engines[1].missing = 'no setpriv'
        else:
            self.controls[NOBODY] = Engine('unconfined nobody', 'unconfined-nobody', NOBODY, unconfined_argv,
                                           control=True)
        for e in self.engines[2:]:
            e.missing = self.probe(e.slug)

    def probe(self, tool):
        if not shutil.which(tool):
            return f'{tool} is not installed'
        argv = {'bwrap': ['bwrap', '--unshare-all', '--die-with-parent', '--ro-bind', '/', '/', 'true'],
                'firejail': ['firejail', '--noprofile', '--quiet', 'true']}[tool]
        try:
            p = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        except subprocess.TimeoutExpired:
            return f'{tool} did not answer within 30 s'
        if p.returncode != 0:
            return f'{tool} does not run here: ' + (p.stderr.strip().splitlines() or ['?'])[-1][:160]
        return None

    def sweep(self, helpers=False):
        """Ends any process still running one of this suite's copies, or
        naming this suite's directory (what a sandbox left behind), by pid,
        after a grace of 0.3 s to end by itself; returns their pids. The
        runs' helpers are left to their runs, unless `helpers`."""
        ended = []
        grace = time.monotonic() + 0.3
        while True:
            found = self.stragglers(helpers)
            if not found:
                return ended
            if time.monotonic() < grace:
                time.sleep(0.02)
                continue
            for pid in found:
                try:
                    os.kill(pid, signal.SIGKILL)
                    if pid not in ended:
                        ended.append(pid)
                except ProcessLookupError:
                    pass
            time.sleep(0.02)
            if len(ended) > 10000:
                raise RuntimeError('processes keep coming back')

    def stragglers(self, helpers):
        found, me, mark = [], os.getpid(), self.work.encode()
        for d in os.listdir('/proc'):
            if not d.isdigit() or int(d) == me:
                continue
            try:
                with open(f'/proc/{d}/cmdline', 'rb') as f:
                    cmd = f.read().replace(b'\0', b' ')
                with open(f'/proc/{d}/stat', 'rb') as f:
                    state = f.read().rsplit(b')', 1)[1].split()[0]
            except (OSError, IndexError):
                continue
            if mark in cmd and (helpers or b' hold 120 ' not in cmd) and state != b'Z':
                found.append(int(d))
        return found

    def attempt(self, case, engine, control_results):
        """(verdict, detail) of case under engine."""
        if engine.missing:
            return 'n/a', engine.missing
        if case.control and not engine.control:
            c = control_results.get(engine.uid)
            if c is not None and c[0] != 'escaped':
                return 'n/a', f'unconfined too: {c[0]}: {c[1]}'
        try:
            with Run(self, case, engine) as run:
                run.env_extra = getattr(run, 'env_extra', {})
                try:
                    argv = engine.build(self, case, run)
                except Unavailable as e:
                    return 'n/a', str(e)
                env = {'PATH': '/usr/local/bin:/usr/bin:/bin', 'LANG': 'C.UTF-8', 'HOME': '/'}
                env.update(run.env_extra)
                res = execute(as_user(engine.uid, argv), env=env, stdin=run.stdin, pass_fds=run.pass_fds,
                              hard=case.hard, sweep=self.sweep)
                verdict = self.judge(case, engine, run, res)
                warned = [w.strip() for w in res.err.splitlines() if ': sandbox: ' in w]
                if verdict[0] == 'escaped' and not engine.peer and not engine.control and warned:
                    verdict = (verdict[0], verdict[1] + ' [vitte warned: ' + '; '.join(warned)[:300] + ']')
                if res.leftovers:
                    verdict = (verdict[0], verdict[1] + f' [left {len(res.leftovers)} process(es) running]')
                return verdict
        except Exception as e:  # a broken fixture is a failure of the suite, said as such
            return 'error', f'{type(e).__name__}: {e}'

    def judge(self, case, engine, run, res):
        refused = [w.strip() for w in res.err.splitlines() if '--strict: the program was not run' in w]
        if case.strict and not engine.peer and not engine.control and refused and not res.kind:
            return 'blocked', 'refused to run: ' + refused[0][:200]
        if res.self_signal and not engine.control:
            return 'error', f'{engine.name.split()[0]} itself died of {SIGNALS.get(res.self_signal)}: {res.err_tail()}'
        if case.needs_line and not res.kind and not res.code > 128:
            if res.hung:
                return 'error', f'no line, hung for {case.hard} s; stderr: {res.err_tail()}'
            return 'error', f'no line (exit {res.code}); stderr: {res.err_tail()}'
        if case.oracle is not None:
            v = case.oracle(run, res)
            if v is not None and v[0] == 'blocked' and res.kind == 'n/a':
                return 'n/a', res.said  # the host saw nothing: the attack could not be tried
            if v is not None:
                return v
        if res.hung:
            return 'error', f'hung for {case.hard} s'
        if res.kind == 'escaped':
            return 'escaped', res.said
        if res.kind == 'n/a':
            return 'n/a', res.said
        if res.kind == 'blocked':
            return 'blocked', res.said
        return 'blocked', f'killed by {res.short()}'

    def close(self):
        self.sweep(helpers=True)
        if self.keep:
            print(f'kept {self.work}')
            return
        shutil.rmtree(self.work, ignore_errors=True)
        if self.made_work:
            shutil.rmtree(os.path.dirname(self.work), ignore_errors=True)


def cell(verdict, detail):
    if verdict == 'escaped':
        return '**escaped**' + (' (hung)' if detail.startswith('hung') else '')
    if verdict == 'blocked':
        m = re.match(r'(?:killed by )?([A-Z][A-Z0-9]+)\b', detail)
        return f'blocked ({m.group(1)})' if m else 'blocked'
    return verdict


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--vitte', required=True)
    ap.add_argument('--escape', required=True)
    ap.add_argument('--work', help='where the runs make their files (default: a temporary directory)')
    ap.add_argument('--table', action='store_true', help='print a Markdown table of the results')
    ap.add_argument('--only', help='comma-separated case names')
    ap.add_argument('--keep', action='store_true', help='keep the work directory')
    o = ap.parse_args()
    if not sys.platform.startswith('linux'):
        print('sandbox_escape: Linux only')
        return 77
    all_cases = cases()
    if o.only:
        wanted = set(o.only.split(','))
        all_cases = [c for c in all_cases if c.name in wanted]
    suite = Suite(o)
    t0 = time.monotonic()
    rows, passed, failed, not_applicable = [], 0, 0, []
    try:
        for e in suite.engines:
            if e.missing:
                print(f'{e.name}: not run ({e.missing})')
        for case in all_cases:
            controls = {}
            if case.control:
                for uid, c in suite.controls.items():
                    controls[uid] = suite.attempt(case, c, {})
                    print(f'     {case.name:26} {c.name:18} {controls[uid][0]}: {controls[uid][1]}', flush=True)
            results = {e.slug: suite.attempt(case, e, controls) for e in suite.engines}
            vitte = [results[e.slug] for e in suite.engines if not e.peer]
            let_through = [v for v in vitte if v[0] in ('escaped', 'error')]
            peers_blocking = [e.name for e in suite.engines if e.peer and results[e.slug][0] == 'blocked']
            for e in suite.engines:
                v, d = results[e.slug]
                mark = '    '
                if not e.peer and v in ('escaped', 'error'):
                    mark = 'FAIL'
                    if peers_blocking:
                        d += f' ({", ".join(peers_blocking)} block{"s" if len(peers_blocking) == 1 else ""} it)'
                print(f'{mark} {case.name:26} {e.name:18} {v}: {d}', flush=True)
            if let_through:
                failed += 1
            elif all(v[0] == 'n/a' for v in vitte):
                not_applicable.append(case.name)
            else:
                passed += 1
            rows.append((case, results))
    finally:
        suite.close()
    if not_applicable:
        print(f'not applicable here: {", ".join(not_applicable)}')
    print(f'({time.monotonic() - t0:.0f} s)')
    if o.table:
        print()
        print('| attack | ' + ' | '.join(e.name for e in suite.engines) + ' |')
        print('|---|' + '---|' * len(suite.engines))
        for case, results in rows:
            print(f'| {case.group}: {case.title} | ' + ' | '.join(cell(*results[e.slug]) for e in suite.engines) + ' |')
        print()
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
