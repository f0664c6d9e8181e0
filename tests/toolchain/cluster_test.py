#!/usr/bin/env python3
"""examples/driver with --distcc against real distccd servers on loopback.

A generated project is built here (the reference), then through three
distccd servers: every object is byte-identical to the reference and every
server compiled some. Then through a pool that also holds a server that
answers garbage, one that accepts and never answers, and a real one killed
while the build runs: the build completes, every object is byte-identical
again, and the step lines say which compiles were tried again and where
they ran. The first build directory emptied but for its cache takes every
object from the cache: no compile reaches a server.

`vitte cluster` probes the same servers and a dead port: the JSON report
says which are up, and the dead one's trouble.

usage: cluster_test.py DRIVER VITTE
Skips (exit 77) when distccd is not installed."""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

UNITS = 48


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def write_project(root):
    os.makedirs(root)
    with open(os.path.join(root, 'k.h'), 'w') as f:
        f.write('#define K 7\n')
    for i in range(UNITS):
        # Enough code that a compile takes a moment: the kill lands mid-build.
        body = '\n'.join(f'  x = (x * {j + 3}u) ^ (x >> {j % 13 + 1}); if (x % {j + 2}u == 1u) x += K;'
                         for j in range(120))
        with open(os.path.join(root, f'u{i}.c'), 'w') as f:
            f.write(f'#include "k.h"\nunsigned f{i}(unsigned x) {{\n{body}\n  return x + {i};\n}}\n')
    calls = ' + '.join(f'f{i}(1u)' for i in range(UNITS))
    decls = ''.join(f'unsigned f{i}(unsigned);\n' for i in range(UNITS))
    with open(os.path.join(root, 'main.c'), 'w') as f:
        f.write(f'#include <stdio.h>\n{decls}int main(void) {{ printf("%u\\n", {calls}); return 0; }}\n')


class distccd:
    def __init__(self, log_dir, n):
        self.port = free_port()
        self.log = os.path.join(log_dir, f'distccd-{n}.log')
        # Run as root, distccd drops to its own user before it logs.
        open(self.log, 'w').close()
        os.chmod(self.log, 0o666)
        self.p = subprocess.Popen(['distccd', '--daemon', '--no-detach', '--listen', '127.0.0.1', '--port',
                                   str(self.port), '--allow', '127.0.0.1', '--jobs', '2', '--log-file', self.log],
                                  start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                socket.create_connection(('127.0.0.1', self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        sys.exit(f'distccd on {self.port} did not start')

    def compiled(self):
        try:
            with open(self.log, errors='replace') as f:
                return sum(1 for line in f if 'COMPILE_OK' in line)
        except FileNotFoundError:
            return 0

    def kill(self):
        try:
            os.killpg(self.p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.p.wait()


class fake_server(threading.Thread):
    """garbage: answers an HTTP error; silent: reads and never answers."""

    def __init__(self, mode):
        super().__init__(daemon=True)
        self.mode = mode
        self.s = socket.socket()
        self.s.bind(('127.0.0.1', 0))
        self.s.listen(64)
        self.port = self.s.getsockname()[1]
        self.held = []
        self.connections = 0

    def run(self):
        while True:
            try:
                c, _ = self.s.accept()
            except OSError:
                return
            self.connections += 1
            if self.mode == 'garbage':
                try:
                    c.recv(4096)
                    c.sendall(b'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n')
                except OSError:
                    pass
                c.close()
            else:
                self.held.append(c)

    def close(self):
        self.s.close()
        for c in self.held:
            c.close()


def objects(build):
    out = {}
    for name in os.listdir(os.path.join(build, 'obj')):
        if name.endswith('.o'):
            with open(os.path.join(build, 'obj', name), 'rb') as f:
                out[name] = f.read()
    return out


def check(cond, what):
    if not cond:
        sys.exit('FAIL: ' + what)
    print('ok:', what)


def main():
    driver, vitte = sys.argv[1], sys.argv[2]
    if shutil.which('distccd') is None:
        print('skip: distccd is not installed (Debian: apt-get install distcc)')
        sys.exit(77)
    tmp = tempfile.mkdtemp(prefix='vitte-cluster-')
    os.chmod(tmp, 0o755)
    servers, fakes = [], []
    try:
        project = os.path.join(tmp, 'project')
        write_project(project)
        ref = os.path.join(tmp, 'ref')
        p = subprocess.run([driver, project, ref, '--run', '-j2'], capture_output=True, text=True, timeout=600)
        check(p.returncode == 0, 'the reference build here succeeds\n' + p.stdout + p.stderr)
        expected_output = p.stdout.splitlines()[-1]
        reference = objects(ref)
        check(len(reference) == UNITS + 1, f'{UNITS + 1} objects in the reference build')

        servers = [distccd(tmp, n) for n in range(3)]
        hosts = ' '.join(f'127.0.0.1:{s.port}/2' for s in servers)
        b1 = os.path.join(tmp, 'b1')
        trace_path = os.path.join(tmp, 'b1-trace.json')
        p = subprocess.run([driver, project, b1, '--run', '-j6', '--distcc', hosts, '--trace', trace_path],
                           capture_output=True, text=True, timeout=600)
        print(p.stdout[-2000:])
        check(p.returncode == 0, 'the build through three distccd servers succeeds\n' + p.stderr)
        check(p.stdout.splitlines()[-1] == expected_output, 'the program prints what the reference prints')
        check(objects(b1) == reference, 'every object is byte-identical to the reference')
        for s in servers:
            said = p.stdout.count(f'compiled on 127.0.0.1:{s.port}')
            check(said > 0 and s.compiled() >= said,
                  f'the server on port {s.port} compiled some ({said} said, {s.compiled()} in its log)')
        check(f'{UNITS + 1} compiled on servers, 0 here' in p.stdout, 'the summary counts every compile on a server')
        # The trace: a compile on a server ran (no cache tier served it), and
        # no "cache hits" counter counts it.
        with open(trace_path) as f:
            events = json.load(f)['traceEvents']
        compiles = [e for e in events if e.get('ph') == 'X' and e.get('args', {}).get('where', 'local') != 'local']
        check(len(compiles) == UNITS + 1, f'the trace shows {UNITS + 1} compiles on servers ({len(compiles)})')
        check(all(e['args']['cache'] == 'none' for e in compiles), 'a compile on a server is not a cache hit')
        check(not any(e.get('name') == 'cache hits' for e in events), 'no cache hit counted in a distcc build')

        # vitte cluster: the servers up, a dead port down, the cache's counters.
        dead = free_port()
        p = subprocess.run([vitte, 'cluster', hosts + f' 127.0.0.1:{dead}', '--json', '--cache',
                            os.path.join(b1, 'cache')], capture_output=True, text=True, timeout=120)
        report = json.loads(p.stdout)
        check(p.returncode == 1, 'vitte cluster exits 1 when a server is down')
        check([s['up'] for s in report['servers']] == [True, True, True, False], 'three servers up, the dead port down')
        check('connection refused' in report['servers'][3]['trouble'], 'the dead port is said refused')
        check(report['cache']['stores'] == UNITS + 1, 'the cache counters are the build\'s')

        # Garbage, silence, and a server killed while the build runs.
        garbage, silent = fake_server('garbage'), fake_server('silent')
        fakes = [garbage, silent]
        for f in fakes:
            f.start()
        victim = servers[0]
        hosts = ' '.join([f'127.0.0.1:{garbage.port}/2', f'127.0.0.1:{silent.port}/2'] +
                         [f'127.0.0.1:{s.port}/2' for s in servers])
        b2 = os.path.join(tmp, 'b2')
        proc = subprocess.Popen([driver, project, b2, '--run', '-j6', '--distcc-timeout', '3', '--cache',
                                 os.path.join(tmp, 'cache2'), '--distcc', hosts], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        lines, killed = [], False
        for line in proc.stdout:
            lines.append(line)
            if not killed and f'compiled on 127.0.0.1:{victim.port}' in line:
                victim.kill()
                killed = True
        err = proc.stderr.read()
        proc.wait(timeout=600)
        out = ''.join(lines)
        print(out[-3000:])
        check(proc.returncode == 0, 'the build with a garbage, a silent and a killed server succeeds\n' + err)
        check(killed, f'the server on port {victim.port} was killed during the build')
        check(out.splitlines()[-1] == expected_output, 'the program prints what the reference prints')
        check(objects(b2) == reference, 'every object is byte-identical to the reference again')
        check(f'127.0.0.1:{garbage.port}: its answer' in out and 'not a distcc server' in out,
              'a step line names the garbage server and what it answered')
        check(f'127.0.0.1:{silent.port}: timed out' in out, 'a step line names the silent server as timed out')
        check(garbage.connections >= 1 and silent.connections >= 1, 'both bad servers were tried')
        check(garbage.connections <= 3 and silent.connections <= 3,
              'bad servers are set aside after failing (not tried for every compile)')
        check(not any(f'compiled on 127.0.0.1:{p}' in out for p in (garbage.port, silent.port)),
              'nothing is said compiled on a bad server')

        # The cache first: b1 emptied but for its cache asks no server.
        before = sum(s.compiled() for s in servers[1:])
        for name in os.listdir(b1):
            if name != 'cache':
                path = os.path.join(b1, name)
                shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
        hosts = ' '.join(f'127.0.0.1:{s.port}/2' for s in servers[1:])
        p = subprocess.run([driver, project, b1, '--run', '--distcc', hosts], capture_output=True, text=True,
                           timeout=600)
        check(p.returncode == 0, 'a build from the cache succeeds\n' + p.stderr)
        check(f'0 compiled, {UNITS + 1} from the cache' in p.stdout, 'every object comes from the cache')
        check(sum(s.compiled() for s in servers[1:]) == before, 'no compile reached a server')
        check(objects(b1) == reference, 'the cached objects are the reference objects')
    finally:
        for s in servers:
            s.kill()
        for f in fakes:
            f.close()
        shutil.rmtree(tmp, ignore_errors=True)
    print('cluster: all checks passed')


main()
