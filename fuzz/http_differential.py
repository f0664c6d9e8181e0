#!/usr/bin/env python3
"""Differential check of vitte's HTTP client against curl, on a hostile server.

  fuzz/http_differential.py [--short] [--deadline S] [--driver PATH] [--jobs N] [--verbose]

Starts a scripted server (threads on 127.0.0.1 and 127.0.0.2, free ports;
each connection is bounded and the server stops with the script) and runs,
against each of its behaviours, the vitte client (fuzz/http_driver.cpp:
client::get or put with options.timeout = the deadline and a bearer token
in options.headers; it prints the outcome and client::failure()) and curl
(--max-time = the deadline, the same token in -H; -T for uploads, -L
--max-redirs 5 for redirects). Classes:

  slow          dribbling heads and bodies, silence, 1xx forever, a slow but timely answer
  lying-length  Content-Length longer or shorter than the body, conflicting framings
  truncated     heads, status lines and chunked bodies cut by a close; an empty reply
  oversized     200 KiB of fields, a 1 MiB field, a head that never ends
  non-http      HTTP/2 frames and preface, HTTP/2 and HTTP/3 status lines, HTTP/0.9, garbage, SSH
  bare-lf       LF instead of CRLF in the head and in chunk lines
  early-answer  401/413 while a 32 MiB upload is being sent, then the server stops reading
  stop-reading  a server that stops reading an upload (and one that reads slowly)
  redirect      loops, chains, other hosts and ports (does the token follow?), file:, relative
  1xx           100, 103 with fields, 200 interim answers, 101 unasked, 1xx with a body
  chunked       extensions, trailers, bad hex, negative, overflowing, short, missing CRLF
  token-echo    the token in the reason phrase, in Location, WWW-Authenticate, chunk sizes

Each run records its outcome (ok STATUS, or refused), its time, and whether
the token appeared in anything it printed (stdout and stderr; the response
body goes to a file) or reached a host other than the one it was given to.

A run fails when it
  - takes longer than the deadline + 10%,
  - leaks the token (its output, or a request to another host or port),
  - accepts what is not an HTTP/1.x response, or a truncated or malformed
    body, or returns body bytes other than the response's,
  - refuses what any correct client reads (a plain response, a slow one in
    time, 1xx before a final status, an early 401/413 during an upload).
Cases marked "either" (bare LF, which RFC 9112 lets a recipient accept or
refuse; a head over a client's limit; conflicting framings) pass either
way, as long as an accepted body is the right one.

Prints each class's outcomes per peer, every failure, a comparison (a class
where vitte fails more cases than curl), and `N passed, N failed` per peer.
Exits 1 when vitte fails a case, 77 when curl or a C++ compiler is missing.
"""
import argparse
import concurrent.futures
import os
import pathlib
import random
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
UPLOAD = 32 << 20  # more than loopback socket buffers hold with the server's small receive buffer


class Server:
    """A threaded TCP server whose every connection runs `behaviours[path]`."""

    def __init__(self, host, behaviours, bound):
        self.behaviours, self.bound = behaviours, bound
        self.stop = threading.Event()
        self.token_seen = set()  # run ids whose request carried the token
        self.token = None
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32768)  # inherited: uploads block soon
        self.sock.bind((host, 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.host, self.port = host, self.sock.getsockname()[1]
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self.handle, args=(conn,), daemon=True).start()
        self.sock.close()

    def handle(self, conn):
        end = time.monotonic() + self.bound
        try:
            conn.settimeout(self.bound)
            head = b''
            while b'\r\n\r\n' not in head and len(head) < 65536:
                got = conn.recv(4096)
                if not got:
                    return
                head += got
            line = head.split(b'\r\n', 1)[0].split()
            target = line[1].decode() if len(line) > 1 else '/'
            path, _, query = target.partition('?')
            if self.token and self.token.encode() in head:
                self.token_seen.add(query)
            self.behaviours.get(path, not_found)(Conn(conn, self, end), query)
        except OSError:
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass


class Conn:
    def __init__(self, sock, server, end):
        self.sock, self.server, self.end = sock, server, end

    def send(self, data):
        self.sock.sendall(data)

    def wait(self, seconds=None):
        """Sleeps `seconds` (default: until the connection's bound); False once the server stops."""
        left = self.end - time.monotonic()
        return not self.server.stop.wait(max(0, min(left, seconds if seconds is not None else left)))

    def alive(self):
        return time.monotonic() < self.end and not self.server.stop.is_set()

    def dribble(self, data, gap):
        for i in range(len(data)):
            if not self.alive():
                return
            self.send(data[i:i + 1])
            self.wait(gap)


def not_found(c, q):
    c.send(b'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n')


def reply(body, status=b'200 OK', extra=b''):
    return b'HTTP/1.1 ' + status + b'\r\nContent-Length: ' + str(len(body)).encode() + b'\r\n' + extra + b'\r\n' + body


def chunked(*lines):
    return b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' + b''.join(lines)


# A case: (class, name, behaviour, expectation, client settings). The
# expectation: 'ok' (with `body` and `status` when given), 'refuse', or
# 'either' (an accepted body must still be `body`).
class Case:
    def __init__(self, cls, name, behaviour, expect, body=None, status=None, put=False, follow=False,
                 vitte_args=()):
        self.cls, self.name, self.behaviour, self.expect = cls, name, behaviour, expect
        self.body, self.status, self.put, self.follow, self.vitte_args = body, status, put, follow, list(vitte_args)


def cases(d, other, token):
    """The cases for deadline `d` (seconds); `other(path)` is a URL on the other host."""
    hello = b'hello, world\n'
    L = []

    def add(cls, name, behaviour, expect, **kw):
        L.append(Case(cls, name, behaviour, expect, **kw))

    def send(data, then_close=True):
        def run(c, q):
            c.send(data)
            if not then_close:
                c.wait()
        return run

    # slow
    add('slow', 'dribbled-head', lambda c, q: c.dribble(reply(hello) * 50, 0.2), 'refuse')
    add('slow', 'dribbled-body', lambda c, q: (c.send(b'HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n'),
                                               c.dribble(b'x' * 1000, 0.2)), 'refuse')
    add('slow', 'silent', lambda c, q: c.wait(), 'refuse')
    add('slow', '1xx-forever', lambda c, q: c.dribble(b'HTTP/1.1 102 Processing\r\n\r\n' * 1000, 0.01), 'refuse')
    add('slow', 'slow-in-time', lambda c, q: [c.send(p) or c.wait(d / 20) for p in
                                              (reply(hello)[i:i + 8] for i in range(0, 60, 8))], 'ok', body=hello)
    # lying-length
    add('lying-length', 'long-then-close', send(b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n' + b'x' * 50),
        'refuse')
    add('lying-length', 'long-kept-open', send(b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n' + b'x' * 50, False),
        'refuse')
    add('lying-length', 'short', send(b'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n' + b'y' * 50), 'ok',
        body=b'y' * 10)
    add('lying-length', 'two-lengths', send(b'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 9\r\n\r\n'
                                            b'123456789'), 'either', body=None)
    add('lying-length', 'length-and-chunked',
        send(b'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n'),
        'either', body=b'hello')
    add('lying-length', 'length-plus-sign', send(b'HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\nhello'), 'either',
        body=b'hello')
    # truncated
    add('truncated', 'status-line', send(b'HTTP/1.'), 'refuse')
    add('truncated', 'head', send(b'HTTP/1.1 200 OK\r\nContent-Le'), 'refuse')
    add('truncated', 'chunked', send(chunked(b'5\r\nhello\r\n')), 'refuse')
    add('truncated', 'chunk-data', send(chunked(b'a\r\nhello')), 'refuse')
    add('truncated', 'empty-reply', send(b''), 'refuse')
    add('truncated', 'close-delimited', send(b'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n' + hello), 'ok',
        body=hello)
    # oversized
    fields = b''.join(b'X-Field-%d: %s\r\n' % (i, b'v' * 60) for i in range(3000))
    add('oversized', 'many-fields', send(b'HTTP/1.1 200 OK\r\n' + fields + b'Content-Length: 13\r\n\r\n' + hello),
        'either', body=hello)
    add('oversized', 'huge-field', send(b'HTTP/1.1 200 OK\r\nX-Big: ' + b'b' * (1 << 20) + b'\r\nContent-Length: 13'
                                        b'\r\n\r\n' + hello), 'either', body=hello)
    add('oversized', 'endless-head', lambda c, q: (c.send(b'HTTP/1.1 200 OK\r\n'),
                                                   [c.send(b'X-More: %d\r\n' % i) for i in range(200000)
                                                    if c.alive()]), 'refuse')
    # non-http
    settings = bytes.fromhex('000012040000000000000300000064000400100000000600004000')
    add('non-http', 'h2-settings', send(settings, False), 'refuse')
    add('non-http', 'h2-preface', send(b'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', False), 'refuse')
    add('non-http', 'http2-status', send(b'HTTP/2 200\r\ncontent-length: 13\r\n\r\n' + hello), 'refuse')
    add('non-http', 'http2.0-status', send(b'HTTP/2.0 200 OK\r\nContent-Length: 13\r\n\r\n' + hello), 'refuse')
    add('non-http', 'http3-status', send(b'HTTP/3.0 200 OK\r\nContent-Length: 13\r\n\r\n' + hello, False), 'refuse')
    add('non-http', 'http0.9', send(b'<html>hello</html>\n'), 'refuse')
    add('non-http', 'http0.9-open', send(b'<html>hello</html>\n', False), 'refuse')
    add('non-http', 'garbage', send(random.Random(7).randbytes(300), False), 'refuse')
    add('non-http', 'ssh', send(b'SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n', False), 'refuse')
    add('non-http', 'icy', send(b'ICY 200 OK\r\n\r\n' + hello, False), 'refuse')
    add('non-http', 'lowercase', send(b'http/1.1 200 OK\r\nContent-Length: 13\r\n\r\n' + hello), 'either',
        body=hello)
    # bare-lf
    add('bare-lf', 'all-lf', send(b'HTTP/1.1 200 OK\nContent-Length: 13\n\n' + hello), 'either', body=hello)
    add('bare-lf', 'one-field', send(b'HTTP/1.1 200 OK\r\nX-A: b\nContent-Length: 13\r\n\r\n' + hello), 'either',
        body=hello)
    add('bare-lf', 'chunk-lines', send(chunked(b'd\n', hello, b'\n0\n\n')), 'either', body=hello)
    add('bare-lf', 'lf-kept-open', send(b'HTTP/1.1 200 OK\nContent-Length: 13\n\n' + hello, False), 'either',
        body=hello)

    # early-answer, stop-reading: uploads.
    def early(status):
        def run(c, q):
            c.send(b'HTTP/1.1 ' + status + b'\r\nContent-Length: 4\r\nConnection: close\r\n\r\nnope')
            c.wait()
        return run

    def early_close(c, q):
        c.send(b'HTTP/1.1 413 Payload Too Large\r\nContent-Length: 4\r\nConnection: close\r\n\r\nnope')
        c.sock.shutdown(socket.SHUT_WR)
        c.wait(0.5)

    add('early-answer', '413-stop-reading', early(b'413 Payload Too Large'), 'ok', status=413, body=b'nope', put=True)
    add('early-answer', '401-stop-reading', early(b'401 Unauthorized'), 'ok', status=401, body=b'nope', put=True)
    add('early-answer', '413-then-close', early_close, 'either', status=413, body=b'nope', put=True)
    add('early-answer', '413-expect', early(b'413 Payload Too Large'), 'ok', status=413, body=b'nope', put=True,
        vitte_args=['--expect-over', str(1 << 20)])

    def slow_reader(c, q):
        while c.alive():
            try:
                c.sock.recv(16384)
            except OSError:
                return
            c.wait(0.25)

    add('stop-reading', 'never-reads', lambda c, q: c.wait(), 'refuse', put=True)
    add('stop-reading', 'never-reads-expect', lambda c, q: c.wait(), 'refuse', put=True,
        vitte_args=['--expect-over', str(1 << 20)])
    add('stop-reading', 'reads-slowly', slow_reader, 'refuse', put=True)

    # redirect (followed)
    def redirect(location, status=b'302 Found'):
        def run(c, q):
            loc = location(q) if callable(location) else location
            c.send(b'HTTP/1.1 ' + status + b'\r\nLocation: ' + loc.encode() + b'\r\nContent-Length: 0\r\n\r\n')
        return run

    add('redirect', 'loop', redirect(lambda q: f'/loop?{q}'), 'refuse', follow=True)
    add('redirect', 'two-step-loop', redirect(lambda q: f'/loop-b?{q}'), 'refuse', follow=True)
    add('redirect', 'chain-of-3', redirect(lambda q: f'/chain-2?{q}'), 'ok', follow=True, body=hello)
    add('redirect', 'other-host', redirect(lambda q: other('/land', q)), 'ok', follow=True, body=hello)
    add('redirect', 'other-host-307', redirect(lambda q: other('/land', q), b'307 Temporary Redirect'), 'ok',
        follow=True, body=hello)
    add('redirect', 'other-port', redirect(lambda q: other('/land', q, same_host=True)), 'ok', follow=True,
        body=hello)
    add('redirect', 'to-file', redirect('file:///etc/passwd'), 'refuse', follow=True)
    add('redirect', 'relative', redirect(lambda q: f'land?{q}'), 'ok', follow=True, body=hello)
    add('redirect', 'not-followed', redirect('/land'), 'ok', status=302, body=b'')
    # 1xx
    add('1xx', '100-then-200', send(b'HTTP/1.1 100 Continue\r\n\r\n' + reply(hello)), 'ok', body=hello)
    add('1xx', '103-with-fields', send(b'HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n' +
                                       reply(hello)), 'ok', body=hello)
    add('1xx', '200-interim', send(b'HTTP/1.1 100 Continue\r\n\r\n' * 200 + reply(hello)), 'either', body=hello)
    add('1xx', '101-unasked', send(b'HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n'
                                   + settings, False), 'either', body=b'')
    add('1xx', '1xx-with-body', send(b'HTTP/1.1 100 Continue\r\nContent-Length: 5\r\n\r\nhello' + reply(hello)),
        'refuse')
    # chunked
    add('chunked', 'extension', send(chunked(b'5;a=b\r\nhello\r\n0\r\n\r\n')), 'ok', body=b'hello')
    add('chunked', 'trailers', send(chunked(b'5\r\nhello\r\n0\r\nX-T: 1\r\n\r\n')), 'ok', body=b'hello')
    add('chunked', 'bad-hex', send(chunked(b'zz\r\nhello\r\n0\r\n\r\n')), 'refuse')
    add('chunked', 'negative', send(chunked(b'-5\r\nhello\r\n0\r\n\r\n')), 'refuse')
    add('chunked', 'overflow', send(chunked(b'1' + b'0' * 17 + b'5\r\nhello\r\n0\r\n\r\n')), 'refuse')
    add('chunked', '0x-prefix', send(chunked(b'0x5\r\nhello\r\n0\r\n\r\n')), 'refuse')
    add('chunked', 'missing-crlf', send(chunked(b'5\r\nhelloXY0\r\n\r\n')), 'refuse')
    add('chunked', 'size-too-big', send(chunked(b'10\r\nhello\r\n0\r\n\r\n')), 'refuse')
    add('chunked', 'huge-claim-open', send(chunked(b'7fffffffffffffff\r\nhello'), False), 'refuse')
    add('chunked', 'space-before-crlf', send(chunked(b'5 \r\nhello\r\n0\r\n\r\n')), 'either', body=b'hello')
    # token-echo
    t = token.encode()
    add('token-echo', 'reason-403', send(b'HTTP/1.1 403 Forbidden: Bearer ' + t + b'\r\nContent-Length: 0\r\n\r\n'),
        'ok', status=403, body=b'')
    # Control characters are not allowed in a reason phrase (RFC 9112 section 4): either answer.
    add('token-echo', 'reason-401-escapes', send(b'HTTP/1.1 401 \x1b]0;' + t + b'\x07 Authorization: Bearer ' + t +
                                                 b'\r\nContent-Length: 0\r\n\r\n'), 'either', status=401, body=b'')
    add('token-echo', 'reason-401-obs-text', send(b'HTTP/1.1 401 \xe2\x80\xae' + t + b'\xff Authorization: Bearer ' +
                                                  t + b'\r\nContent-Length: 0\r\n\r\n'), 'ok', status=401, body=b'')
    add('token-echo', 'location', send(b'HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1/?access_token=' + t +
                                       b'\r\nContent-Length: 0\r\n\r\n'), 'ok', status=302, body=b'')
    add('token-echo', 'location-loop', redirect(lambda q: f'/echo-loop?{q}&t={token}'), 'refuse', follow=True)
    add('token-echo', 'www-authenticate', send(b'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer error="' + t +
                                               b'"\r\nContent-Length: 0\r\n\r\n'), 'ok', status=401, body=b'')
    add('token-echo', 'in-non-http', send(b'HTTP/2 200 ' + t + b'\r\n\r\n'), 'refuse')
    add('token-echo', 'in-chunk-size', send(chunked(t + b'\r\nhello\r\n0\r\n\r\n')), 'refuse')
    add('token-echo', 'in-bad-field', send(b'HTTP/1.1 200 OK\r\n' + t + b'\r\nContent-Length: 0\r\n\r\n'), 'refuse')
    add('token-echo', 'in-status-code', send(b'HTTP/1.1 ' + t + b'\r\n\r\n'), 'refuse')
    return L


def helpers(hello):
    """Paths that cases redirect to."""
    return {
        '/land': lambda c, q: c.send(reply(hello)),
        '/loop-b': lambda c, q: c.send(b'HTTP/1.1 302 Found\r\nLocation: /two-step-loop?' + q.encode() +
                                       b'\r\nContent-Length: 0\r\n\r\n'),
        '/chain-2': lambda c, q: c.send(b'HTTP/1.1 302 Found\r\nLocation: /chain-3?' + q.encode() +
                                        b'\r\nContent-Length: 0\r\n\r\n'),
        '/chain-3': lambda c, q: c.send(b'HTTP/1.1 301 Moved\r\nLocation: /land?' + q.encode() +
                                        b'\r\nContent-Length: 0\r\n\r\n'),
        '/echo-loop': lambda c, q: c.send(b'HTTP/1.1 302 Found\r\nLocation: /echo-loop?' + q.encode() +
                                          b'\r\nContent-Length: 0\r\n\r\n'),
    }


def run_peer(peer, case, url, d, token, work, upload, driver):
    body_file = work / f'{peer}-{case.name}.body'
    if peer == 'vitte':
        cmd = [str(driver), url, str(int(d * 1000)), token, '--body', str(body_file)]
        cmd += ['--put', str(UPLOAD)] if case.put else []
        cmd += ['--follow'] if case.follow else []
        cmd += case.vitte_args
    else:
        cmd = ['curl', '-sS', '--max-time', str(d), '-H', f'Authorization: Bearer {token}', '-o', str(body_file),
               '-w', 'status %{http_code}\n']
        cmd += ['-T', str(upload)] if case.put else []
        cmd += ['-L', '--max-redirs', '5'] if case.follow else []
        cmd += [url]
    start = time.monotonic()
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=3 * d + 5)
        out, code = p.stdout + p.stderr, p.returncode
    except subprocess.TimeoutExpired as e:
        out, code = (e.stdout or b'') + (e.stderr or b''), None
    took = time.monotonic() - start
    text = out.decode('utf-8', 'replace')
    status = None
    if peer == 'vitte':
        first = text.split('\n', 1)[0].split()
        ok = code == 0 and first[:1] == ['ok']
        status = int(first[1]) if ok else None
    else:
        ok = code == 0
        for line in text.splitlines():
            if line.startswith('status ') and ok:
                status = int(line.split()[1])
    body = body_file.read_bytes() if ok and body_file.exists() else None
    return {'ok': ok, 'status': status, 'body': body, 'time': took, 'out': out, 'code': code,
            'leak': token.encode() in out}


def judge(case, r, d, leaked_elsewhere, startup=0.0):
    why = []
    if r['time'] > 1.1 * d + startup:
        why.append(f'took {r["time"]:.2f} s, deadline {d} s')
    if r['leak']:
        why.append('token in its output')
    if leaked_elsewhere:
        why.append('token sent to another host or port')
    if case.expect == 'refuse' and r['ok']:
        why.append(f'accepted ({r["status"]}) what must be refused')
    if case.expect == 'ok' and not r['ok']:
        why.append('refused a response a correct client reads')
    if r['ok'] and case.status is not None and r['status'] != case.status:
        why.append(f'status {r["status"]}, the response says {case.status}')
    if r['ok'] and case.body is not None and r['body'] != case.body and case.expect != 'refuse':
        why.append(f'body {r["body"][:40]!r}, the response has {case.body[:40]!r}')
    return why


def build_driver(work):
    cxx = shlex.split(os.environ.get('CXX', 'c++'))
    if shutil.which(cxx[0]) is None:
        return None
    exe = work / 'http_driver'
    subprocess.run([*cxx, '-std=c++20', '-O1', f'-I{ROOT / "include"}', str(ROOT / 'fuzz' / 'http_driver.cpp'),
                    '-o', str(exe)], check=True)
    return exe


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[1])
    ap.add_argument('--short', action='store_true', help='the test suite form: a 2 s deadline (< 30 s in all)')
    ap.add_argument('--deadline', type=float, default=0, help='seconds (default 2 short, 4 full)')
    ap.add_argument('--driver', help='a built fuzz/http_driver (default: compile it with $CXX)')
    ap.add_argument('--jobs', type=int, default=6, help='runs at a time (each mostly waits)')
    ap.add_argument('--only', help='run the classes or cases whose name contains this')
    ap.add_argument('--verbose', action='store_true', help='print every run')
    ap.add_argument('--startup', type=float, default=0.0,
                    help='seconds a run may add to deadline + 10%% for its process start (a sanitizer runtime)')
    args = ap.parse_args()
    d = args.deadline or (2.0 if args.short else 4.0)
    if shutil.which('curl') is None:
        print('SKIP: curl is not installed')
        return 77
    work = pathlib.Path(tempfile.mkdtemp(prefix='http-diff-'))
    servers = []
    try:
        driver = pathlib.Path(args.driver) if args.driver else build_driver(work)
        if driver is None:
            print('SKIP: no C++ compiler ($CXX or c++) to build fuzz/http_driver.cpp')
            return 77
        upload = work / 'upload.bin'
        upload.write_bytes(b'a' * UPLOAD)
        token = 'tok-' + secrets.token_hex(16)
        hello = b'hello, world\n'
        bound = 1.5 * d + 2
        other_behaviours = {'/land': lambda c, q: c.send(reply(hello))}
        try:
            far = Server('127.0.0.2', other_behaviours, bound)
        except OSError:
            far = None
        near = Server('127.0.0.1', other_behaviours, bound)
        main_behaviours = dict(helpers(hello))
        main_server = Server('127.0.0.1', main_behaviours, bound)
        servers = [s for s in (far, near, main_server) if s]
        for s in servers:
            s.token = token

        def other(path, q, same_host=False):
            s = near if same_host or far is None else far
            return f'http://{s.host}:{s.port}{path}?{q}'

        all_cases = cases(d, other, token)
        if args.only:
            all_cases = [c for c in all_cases if args.only in c.cls or args.only in c.name]
        for c in all_cases:
            path = '/' + c.name
            main_behaviours[path] = c.behaviour

        def one(case, peer):
            run_id = f'run={peer}-{case.name}'
            url = f'http://127.0.0.1:{main_server.port}/{case.name}?{run_id}'
            r = run_peer(peer, case, url, d, token, work, upload, driver)
            return case, peer, r, run_id

        results = {}
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            futures = [pool.submit(one, c, p) for c in all_cases for p in ('vitte', 'curl')]
            for f in futures:
                case, peer, r, run_id = f.result()
                results[(case.name, peer)] = (r, run_id)
        time.sleep(0.1)
        classes = {}
        failed = {'vitte': 0, 'curl': 0}
        for case in all_cases:
            st = classes.setdefault(case.cls, {'vitte': [0, 0, 0.0], 'curl': [0, 0, 0.0]})
            for peer in ('vitte', 'curl'):
                r, run_id = results[(case.name, peer)]
                elsewhere = any(q.split('&')[0] == run_id for s in (far, near) if s for q in s.token_seen)
                why = judge(case, r, d, elsewhere, args.startup if peer == 'vitte' else 0.0)
                st[peer][0] += 1
                st[peer][2] = max(st[peer][2], r['time'])
                outcome = f'ok {r["status"]}' if r['ok'] else 'refused'
                if why:
                    st[peer][1] += 1
                    failed[peer] += 1
                    print(f'FAIL {peer:5} {case.cls}/{case.name}: {"; ".join(why)} ({outcome}, {r["time"]:.2f} s)')
                    if args.verbose or peer == 'vitte':
                        print('      ' + r['out'].decode('utf-8', 'replace').strip().replace('\n', '\n      ')[:400])
                elif args.verbose:
                    print(f'pass {peer:5} {case.cls}/{case.name}: {outcome}, {r["time"]:.2f} s')
        print(f'deadline {d} s; {"class":<14}{"cases":>6}{"vitte":>10}{"curl":>10}   slowest run (vitte, curl)')
        worse = []
        for cls, st in classes.items():
            v, c = st['vitte'], st['curl']
            print(f'{"":<16}{cls:<14}{v[0]:>6}{v[0] - v[1]:>7}/{v[0]:<2}{c[0] - c[1]:>7}/{c[0]:<2}   '
                  f'{v[2]:.2f} s, {c[2]:.2f} s')
            if v[1] > c[1]:
                worse.append(cls)
        if worse:
            print('vitte fails more cases than curl in: ' + ', '.join(worse))
        for peer in ('vitte', 'curl'):
            print(f'{peer}: {len(all_cases) - failed[peer]} passed, {failed[peer]} failed')
        return 1 if failed['vitte'] else 0
    finally:
        for s in servers:
            s.stop.set()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
