#!/usr/bin/env python3
"""Runs examples/driver on a copy of examples/driver/project: a first build
compiles and links everything; a second does nothing and says so; editing
util.h rebuilds exactly the objects that include it (main.o, util.o); a
`touch` without a change rebuilds nothing; a build directory removed and
made again restores every object from the cache. With nginx installed, the
same with --remote: a second checkout at the same place, with an empty
local cache, builds every object from the server.

usage: driver_test.py DRIVER PROJECT"""
import os
import pwd
import grp
import shutil
import socket
import subprocess
import sys
import tempfile
import time


def run(driver, project, build, cache, *extra):
    p = subprocess.run([driver, project, build, '--cache', cache, *extra], capture_output=True, text=True,
                       timeout=300)
    print(p.stdout, end='')
    if p.returncode != 0:
        print(p.stderr, file=sys.stderr)
        sys.exit('driver failed')
    return p.stdout


def expect(cond, what):
    if not cond:
        sys.exit('FAILED: ' + what)


def compiled(out):
    return sorted(line.split()[1] for line in out.splitlines() if line.startswith('  cc '))


def start_nginx(d):
    """nginx with WebDAV PUT on 127.0.0.1 and a free port; (process, url) or None."""
    exe = shutil.which('nginx') or ('/usr/sbin/nginx' if os.access('/usr/sbin/nginx', os.X_OK) else None)
    if exe is None:
        return None
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    store, body = os.path.join(d, 'store'), os.path.join(d, 'body')
    os.makedirs(store)
    os.makedirs(body)
    user = ''
    if os.geteuid() == 0:
        pw = pwd.getpwnam('nobody')
        for p in (d, store, body):
            os.chmod(p, 0o755)
            os.chown(p, pw.pw_uid, pw.pw_gid)
        up = os.path.dirname(d)
        while len(up) > 1:
            os.chmod(up, os.stat(up).st_mode | 0o755)
            up = os.path.dirname(up)
        user = 'user nobody %s;\n' % grp.getgrgid(pw.pw_gid).gr_name
    conf = os.path.join(d, 'nginx.conf')
    with open(conf, 'w') as f:
        f.write(user + 'daemon off;\npid %s/nginx.pid;\nerror_log %s/error.log;\nevents {}\nhttp {\n'
                '  access_log off;\n  client_body_temp_path %s;\n'
                '  server {\n    listen 127.0.0.1:%d;\n    root %s;\n    client_max_body_size 0;\n'
                '    location / { dav_methods PUT DELETE; create_full_put_path on; }\n  }\n}\n'
                % (d, d, body, port, store))
    proc = subprocess.Popen([exe, '-p', d, '-c', conf, '-e', os.path.join(d, 'error.log')],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(500):
        try:
            socket.create_connection(('127.0.0.1', port), timeout=0.2).close()
            return proc, 'http://127.0.0.1:%d/cache' % port
        except OSError:
            time.sleep(0.02)
    proc.kill()
    return None


def remote_checkouts(driver, source, tmp):
    server = start_nginx(os.path.join(tmp, 'nginx'))
    if server is None:
        print('driver --remote: skipped: nginx is not installed (scripts/test installs nginx-extras)')
        return
    proc, url = server
    try:
        ws = os.path.join(tmp, 'ws')
        project, build = os.path.join(ws, 'project'), os.path.join(ws, 'build')
        shutil.copytree(source, project)
        out = run(driver, project, build, os.path.join(tmp, 'cache-a'), '--remote', url)
        expect('3 compiled, 0 from the cache' in out, 'the first machine compiles')
        expect('remote: 0 hits, 3 misses, 6 uploads, 0 dropped, 0 rejected' in out,
               'and uploads each object (a result and a manifest)')
        # Another machine: a fresh checkout at the same place, an empty local cache.
        shutil.rmtree(ws)
        shutil.copytree(source, project)
        out = run(driver, project, build, os.path.join(tmp, 'cache-b'), '--remote', url)
        expect('0 compiled, 3 from the cache' in out, 'a second checkout builds every object from the server')
        expect('remote: 3 hits, 0 misses' in out, 'and says they came from the server')
        expect('app: area 12, sum 6' in out, 'and the program runs')
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main():
    driver, source = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory(prefix='vitte-driver-') as tmp:
        project = os.path.join(tmp, 'project')
        shutil.copytree(source, project)
        build, cache = os.path.join(tmp, 'build'), os.path.join(tmp, 'cache')

        out = run(driver, project, build, cache)
        expect(compiled(out) == ['main.o', 'shapes.o', 'util.o'], 'the first build compiles every object')
        expect('3 compiled, 0 from the cache, 0 up to date, linked' in out, 'the first build links')
        expect('app: area 12, sum 6' in out, 'the program runs')

        out = run(driver, project, build, cache)
        expect(compiled(out) == [] and 'nothing to do' in out, 'a second build does nothing and says so')

        with open(os.path.join(project, 'util.h'), 'a') as f:
            f.write('int twice(int n);\n')
        out = run(driver, project, build, cache)
        expect(compiled(out) == ['main.o', 'util.o'], 'editing util.h rebuilds exactly main.o and util.o')
        expect('input changed: ' + os.path.join(project, 'util.h') in out, 'and says which input changed')

        os.utime(os.path.join(project, 'shapes.h'))
        out = run(driver, project, build, cache)
        expect('nothing to do' in out, 'touching a header without changing it rebuilds nothing')

        # Objects name their build directory (the command key holds it), so
        # the cache serves a build directory made again at the same place.
        shutil.rmtree(build)
        out = run(driver, project, build, cache)
        expect('0 compiled, 3 from the cache' in out, 'a removed build directory comes back from the cache')
        expect('app: area 12, sum 6' in out, 'and the program still runs')
        remote_checkouts(driver, source, tmp)
    print('driver: every check passed')


main()
