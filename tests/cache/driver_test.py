#!/usr/bin/env python3
"""Runs examples/driver on a copy of examples/driver/project: a first build
compiles and links everything; a second does nothing and says so; editing
util.h rebuilds exactly the objects that include it (main.o, util.o); a
`touch` without a change rebuilds nothing; a build directory removed and
made again restores every object from the cache; so does a checkout at
another path (cache keys and objects hold no path of the checkout), but
not one whose header differs. With nginx installed, the same with
--remote: a second checkout at another path, with an empty local cache,
builds every object from the server. Then as a tool: --quiet
prints no step line; a failing compile shows the compiler's own lines
unchanged and the step as failed; sources in subdirectories are found, and
no source at all is said so; steps run in parallel with -j, and a
`make -j4` around two drivers never runs more than 4 compiles at once (the
jobserver); a second driver on a build directory in use waits, or with
--no-wait stops at once, naming the lock. SIGINT or SIGTERM to a driver
kills the compiles running and what they started, and the driver exits
130 or 143 at once; an error about a step's files names the file; a source
with a tab in its name and a header whose path holds a CR are tracked.

usage: driver_test.py DRIVER PROJECT"""
import os
import pwd
import grp
import shutil
import signal
import socket
import json
import subprocess
import sys
import tempfile
import time


def run(driver, project, build, cache, *extra, env=None, fails=False):
    p = subprocess.run([driver, project, build, '--cache', cache, '--run', *extra], capture_output=True, text=True,
                       timeout=300, env=env)
    print(p.stdout, end='')
    if (p.returncode != 0) != fails:
        print(p.stderr, file=sys.stderr)
        sys.exit('driver failed' if not fails else 'driver did not fail')
    return p.stdout if not fails else (p.stdout, p.stderr)


# A cc that counts the compiles running at once (in $VITTE_CC_COUNT/seen)
# and takes a while, in front of the real one.
COUNTING_CC = """#!/bin/sh
case " $* " in *" -o "*) ;; *) exec %s "$@";; esac
d="$VITTE_CC_COUNT"
touch "$d/run.$$"
ls "$d" | grep -c '^run\\.' >> "$d/seen"
sleep "${VITTE_CC_SLEEP:-0.3}"
%s "$@"; rc=$?
rm -f "$d/run.$$"
exit $rc
"""


def counting_env(tmp, name):
    bin_dir, count = os.path.join(tmp, name + '-bin'), os.path.join(tmp, name + '-count')
    os.makedirs(bin_dir)
    os.makedirs(count)
    real = shutil.which('cc')
    with open(os.path.join(bin_dir, 'cc'), 'w') as f:
        f.write(COUNTING_CC % (real, real))
    os.chmod(os.path.join(bin_dir, 'cc'), 0o755)
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ['PATH'], VITTE_CC_COUNT=count)
    env.pop('MAKEFLAGS', None)
    return env, count


def most_at_once(count):
    with open(os.path.join(count, 'seen')) as f:
        return max(int(line) for line in f if line.strip())


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'support'))
from projects import generated_project  # noqa: E402  (also the monitor's test)


def as_a_tool(driver, source, tmp):
    # --quiet: no step line, only the program's output.
    project, build, cache = os.path.join(tmp, 'q-project'), os.path.join(tmp, 'q-build'), os.path.join(tmp, 'q-cache')
    shutil.copytree(source, project)
    out = run(driver, project, build, cache, '--quiet')
    expect(compiled(out) == [] and 'compiled' not in out and 'app: area 12, sum 6' in out,
           '--quiet prints no step line')

    # A failing compile: the compiler's own lines, unchanged; the step failed.
    with open(os.path.join(project, 'broken.c'), 'w') as f:
        f.write('int broken(void) { return nope; }\n')
    direct = subprocess.run(['cc', '-c', '-O2', '-o', os.devnull, os.path.join(project, 'broken.c')],
                            capture_output=True, text=True, env=dict(os.environ, LANG='C'))
    stdout, stderr = run(driver, project, build, cache, fails=True)
    expect('  cc  broken.o  failed' in stdout, 'the failed step is said to have failed')
    expect('broken.o  compiled' not in stdout, 'and never said to be compiled')
    first = [l for l in direct.stderr.splitlines() if 'error' in l][0]
    expect(first in stderr.splitlines(), "the compiler's line comes through unchanged: " + first)
    expect('compiles failed (the first: broken.o)' in stderr, 'the summary names the failed step')
    os.remove(os.path.join(project, 'broken.c'))

    # Subdirectories; no source at all.
    gen = os.path.join(tmp, 'gen')
    generated_project(gen, 12)
    env, count = counting_env(tmp, 'par')
    out = run(driver, gen, os.path.join(tmp, 'gen-build'), os.path.join(tmp, 'gen-cache'), '-j4', env=env)
    expect('  cc  src/part/f1.o  compiled' in out and '  cc  src/f0.o  compiled' in out,
           'sources in subdirectories are found, their objects at the same relative paths')
    expect('app: sum 66' in out, 'and the program they make runs')
    seen = most_at_once(count)
    expect(2 <= seen <= 4, 'with -j4, up to 4 compiles run at once (seen %d)' % seen)
    empty = os.path.join(tmp, 'empty')
    os.makedirs(empty)
    _, stderr = run(driver, empty, os.path.join(tmp, 'empty-build'), cache, fails=True)
    expect('no sources found: no .c file under ' + os.path.realpath(empty) in stderr, 'no source is said so')

    jobserver(driver, tmp)
    two_drivers(driver, tmp)
    step_timeout(driver, tmp)
    compilation_database(driver, tmp)
    progress_fits_the_window(driver, tmp)
    interrupted(driver, tmp)
    files_named(driver, tmp)
    odd_names(driver, tmp)


# A cc whose compiles, with $VITTE_CC_PIDS set, start a grandchild and
# wait for it (an hour), writing both pids there; otherwise the real cc.
HANGING_CC = """#!/bin/sh
case " $* " in *" -o "*) ;; *) exec %s "$@";; esac
d="$VITTE_CC_PIDS"
if [ -n "$d" ]; then
  sleep 3600 &
  echo $! > "$d/grandchild.$$"
  echo $$ > "$d/cc.$$"
  wait
fi
exec %s "$@"
"""


def wrapped_cc(tmp, name, script):
    bin_dir = os.path.join(tmp, name + '-bin')
    os.makedirs(bin_dir)
    real = shutil.which('cc')
    with open(os.path.join(bin_dir, 'cc'), 'w') as f:
        f.write(script % (real, real))
    os.chmod(os.path.join(bin_dir, 'cc'), 0o755)
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ['PATH'])
    env.pop('MAKEFLAGS', None)
    return env


def alive(pid):
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().rsplit(')', 1)[1].split()[0] != 'Z'  # a zombie is gone
    except FileNotFoundError:
        return False


def written_pids(pids):
    # The pids the hanging compiles wrote so far: a file the shell has
    # created but not yet written (no newline yet) does not count.
    found = {}
    for f in os.listdir(pids):
        with open(os.path.join(pids, f)) as fh:
            line = fh.read()
        if line.endswith('\n'):
            found[f] = int(line)
    return found


def interrupted(driver, tmp):
    # SIGINT (Ctrl-C) or SIGTERM while two compiles hang: each compile leads
    # a process group of its own, so the driver must kill them, and what
    # they started, itself; it exits at once with 128 + the signal, and the
    # next run builds everything (nothing half-done was recorded).
    env = wrapped_cc(tmp, 'intr', HANGING_CC)
    for sig, code in ((signal.SIGINT, 130), (signal.SIGTERM, 143)):
        name = 'intr-%d' % code
        project, build, cache = (os.path.join(tmp, name + s) for s in ('', '-build', '-cache'))
        pids = os.path.join(tmp, name + '-pids')
        os.makedirs(pids)
        generated_project(project, 4)
        p = subprocess.Popen([driver, project, build, '--cache', cache, '-j2', '--run'], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=dict(env, VITTE_CC_PIDS=pids))
        started = {}
        for _ in range(3000):  # until both compiles and their grandchildren run and wrote their pids
            started = written_pids(pids)
            if len(started) == 4 or p.poll() is not None:
                break
            time.sleep(0.02)
        expect(len(started) == 4, 'two hanging compiles started: %r' % os.listdir(pids))
        sent = time.monotonic()
        p.send_signal(sig)
        out, err = p.communicate(timeout=30)
        took = time.monotonic() - sent
        expect(p.returncode == code, '%s: the driver exits %d (it said %d: %s)' % (sig.name, code, p.returncode, err))
        expect(took < 5, '%s: at once (%.1f s)' % (sig.name, took))
        expect('driver: interrupted: 2 steps stopped' in err, '%s: and says so: %r' % (sig.name, err))
        for _ in range(250):
            if not any(alive(pid) for pid in started.values()):
                break
            time.sleep(0.02)
        left = [f for f, pid in started.items() if alive(pid)]
        expect(not left, '%s: the compiles and their grandchildren are gone: %r' % (sig.name, left))
        again = run(driver, project, build, cache, '-j2', env=env)
        expect('5 compiled, 0 from the cache, 0 up to date, linked' in again and 'app: sum 6' in again,
               '%s: the next run builds everything: %s' % (sig.name, again))
        print('driver: %s stopped 2 compiles and their grandchildren in %.2f s' % (sig.name, took))


# A cc that says it succeeded although, with $VITTE_CC_LIE=header, its
# depfile names a header that is not there ($VITTE_CC_GONE), or, with
# object, it wrote no object.
LYING_CC = """#!/bin/sh
case " $* " in *" -o "*) ;; *) exec %s "$@";; esac
%s "$@" || exit $?
obj= dep= prev=
for a in "$@"; do
  case "$prev" in -o) obj="$a";; -MF) dep="$a";; esac
  prev="$a"
done
[ -n "$dep" ] || exit 0
case "$VITTE_CC_LIE" in
  header) echo "$obj: $VITTE_CC_GONE" >> "$dep";;
  object) rm -f "$obj";;
esac
exit 0
"""


def files_named(driver, tmp):
    # Every error about a step's files names the file.
    env = wrapped_cc(tmp, 'lie', LYING_CC)
    project = os.path.join(tmp, 'lie')
    generated_project(project, 1)
    gone = os.path.join(tmp, 'gone.h')
    _, err = run(driver, project, os.path.join(tmp, 'lie-build'), os.path.join(tmp, 'lie-cache'), '-j1',
                 env=dict(env, VITTE_CC_LIE='header', VITTE_CC_GONE=gone), fails=True)
    expect('main.o: cache store: %s: ' % gone in err and 'not found' in err, 'the cache store names the header: ' + err)
    expect('recording main.o: %s: ' % gone in err, 'so does the index: ' + err)
    expect(not any(line.rstrip().endswith(('cache store: file_stat: not found', 'index.vitte: file_stat: not found'))
                   for line in err.splitlines()), 'no error without its file: ' + err)
    build = os.path.join(tmp, 'lie-build2')
    stdout, err = run(driver, project, build, os.path.join(tmp, 'lie-cache2'), '-j1',
                      env=dict(env, VITTE_CC_LIE='object'), fails=True)
    expect('the compile succeeded but wrote no %s' % os.path.join(os.path.realpath(build), 'obj', 'main.o') in err,
           'a missing object is named: ' + err)


def odd_names(driver, tmp):
    # A tab in a source's and a header's name (a depfile escapes it with a backslash),
    # then a CR in a header's path (written as it is): built, a no-op, and
    # an edit of the header recompiles exactly what includes it.
    project = os.path.join(tmp, 'odd')
    os.makedirs(project)
    with open(os.path.join(project, 'main.c'), 'w') as f:
        f.write('#include <stdio.h>\nint tab(void);\nint main(void) { printf("tab %d\\n", tab()); return 0; }\n')
    with open(os.path.join(project, 'ta\tb.c'), 'w') as f:
        f.write('#include "t\tb.h"\nint tab(void) { return TAB; }\n')
    header = os.path.join(project, 't\tb.h')
    with open(header, 'w') as f:
        f.write('#define TAB 1\n')
    build, cache = os.path.join(tmp, 'odd-build'), os.path.join(tmp, 'odd-cache')
    out = run(driver, project, build, cache)
    expect('  cc  ta\tb.o  compiled' in out and 'app: tab 1' in out, 'a source with a tab in its name builds: ' + out)
    out = run(driver, project, build, cache)
    expect('nothing to do' in out, 'then nothing to do: ' + out)
    with open(header, 'w') as f:
        f.write('#define TAB 2\n')
    out = run(driver, project, build, cache)
    steps = [line for line in out.splitlines() if line.startswith('  cc  ')]
    expect(steps == ['  cc  ta\tb.o  compiled'] and 'app: tab 2' in out,
           'the header with a tab in its name rebuilds exactly its unit: ' + out)

    src, objs = os.path.join(tmp, 'cr-src'), os.path.join(tmp, 'cr-out')
    inc = os.path.join(src, 'inc\rdir')
    os.makedirs(inc)
    os.makedirs(objs)
    with open(os.path.join(inc, 'z.h'), 'w') as f:
        f.write('#define Z 1\n')
    for name, body in (('u1.c', '#include "z.h"\nint u1(void) { return Z; }\n'), ('u2.c', 'int u2(void) { return 2; }\n')):
        with open(os.path.join(src, name), 'w') as f:
            f.write(body)
    db = os.path.join(tmp, 'cr.json')
    with open(db, 'w') as f:
        json.dump([{'directory': objs, 'file': os.path.join(src, n), 'output': 'objs/%s.o' % n[:2],
                    'arguments': ['cc', '-I' + inc, '-c', os.path.join(src, n), '-o', 'objs/%s.o' % n[:2]]}
                   for n in ('u1.c', 'u2.c')], f)
    build, cache = os.path.join(tmp, 'cr-build'), os.path.join(tmp, 'cr-cache')
    out = run(driver, src, build, cache, '--compile-commands', db)
    expect(compiled(out) == ['objs/u1.o', 'objs/u2.o'], 'a header path with a CR builds: ' + out)
    out = run(driver, src, build, cache, '--compile-commands', db)
    expect('nothing to do: all 2 objects are up to date' in out, 'then nothing to do: ' + out)
    with open(os.path.join(inc, 'z.h'), 'w') as f:
        f.write('#define Z 3\n')
    out = run(driver, src, build, cache, '--compile-commands', db)
    expect(compiled(out) == ['objs/u1.o'], 'the header under a CR path rebuilds exactly its unit: ' + out)


def compilation_database(driver, tmp):
    # compile_commands.json as CMake ("command") and Meson ("arguments",
    # "output") write it: its compiles, its flags, its objects where it says.
    src, out = os.path.join(tmp, 'db-src'), os.path.join(tmp, 'db-out')
    os.makedirs(os.path.join(src, 'inc'))
    os.makedirs(out)
    with open(os.path.join(src, 'inc', 'two.h'), 'w') as f:
        f.write('int two(void);\n')
    with open(os.path.join(src, 'main.c'), 'w') as f:
        f.write('#include <stdio.h>\n#include "two.h"\nint main(void) { printf("%s %d\\n", GREETING, two()); return 0; }\n')
    with open(os.path.join(src, 'two.c'), 'w') as f:
        f.write('#include "two.h"\nint two(void) { return 2; }\n')
    with open(os.path.join(src, 'lone.c'), 'w') as f:
        f.write('int lone(void) { return 1; }\n')
    inc = os.path.join(src, 'inc')
    entries = [
        {'directory': out, 'file': os.path.join(src, 'main.c'),
         'command': 'cc -DGREETING="\\"hi there\\"" -I%s -O2 -o objs/main.o -c %s' % (inc, os.path.join(src, 'main.c'))},
        {'directory': out, 'file': '../db-src/two.c', 'output': 'objs/two.o',
         'arguments': ['cc', '-I' + inc, '-c', '../db-src/two.c', '-o', 'objs/two.o']},
        {'directory': out, 'file': os.path.join(src, 'lone.c'),
         'arguments': ['cc', '-c', os.path.join(src, 'lone.c'), '-o', 'objs/lone.o']},
    ]
    db = os.path.join(tmp, 'compile_commands.json')
    with open(db, 'w') as f:
        json.dump(entries, f)
    build, cache = os.path.join(tmp, 'db-build'), os.path.join(tmp, 'db-cache')
    first = run(driver, src, build, cache, '--compile-commands', db)
    expect(sorted(compiled(first)) == ['objs/lone.o', 'objs/main.o', 'objs/two.o'], 'every entry compiled: ' + first)
    objects = [os.path.join(out, 'objs', n) for n in ('main.o', 'two.o')]
    subprocess.run(['cc', '-o', os.path.join(out, 'app')] + objects, check=True)
    said = subprocess.run([os.path.join(out, 'app')], capture_output=True, text=True).stdout
    expect(said == 'hi there 2\n', 'with its flags, where it says (the program says %r)' % said)
    expect('nothing to do: all 3 objects are up to date' in run(driver, src, build, cache, '--compile-commands', db),
           'a second run does nothing')
    with open(os.path.join(inc, 'two.h'), 'a') as f:
        f.write('/* edited */\n')
    again = run(driver, src, build, cache, '--compile-commands', db)
    expect(sorted(compiled(again)) == ['objs/main.o', 'objs/two.o'], 'a header edit recompiles what includes it: ' + again)
    # Two entries writing one object (spelled two ways); an object that is
    # the driver's own file.
    with open(db, 'w') as f:
        json.dump([dict(entries[2]), dict(entries[2], file='two.c', arguments=['cc', '-c', os.path.join(src, 'two.c'),
                                                                             '-I' + inc, '-o', './objs//lone.o'])], f)
    _, err = run(driver, src, build, cache, '--compile-commands', db, fails=True)
    expect('entries 0 and 1 both write %s' % os.path.join(out, 'objs', 'lone.o') in err, err)
    own = os.path.join(os.path.realpath(build), 'index.vitte')
    with open(db, 'w') as f:
        json.dump([dict(entries[2], arguments=['cc', '-c', os.path.join(src, 'lone.c'), '-o', own])], f)
    _, err = run(driver, src, build, cache, '--compile-commands', db, fails=True)
    expect('entry 0: its object %s is the driver\'s own' % own in err, err)
    # No object named; JSON that does not parse: the file and where.
    with open(db, 'w') as f:
        json.dump([{'directory': out, 'file': 'x.c', 'command': 'cc -c x.c'}], f)
    _, err = run(driver, src, build, cache, '--compile-commands', db, fails=True)
    expect('entry 0 (%s): no object: neither "output" nor -o' % os.path.join(out, 'x.c') in err, err)
    with open(db, 'w') as f:
        f.write('[{"directory": ')
    _, err = run(driver, src, build, cache, '--compile-commands', db, fails=True)
    expect(db + ':1:16: ' in err, 'a damaged file is named, with the line and column: ' + err)


def progress_fits_the_window(driver, tmp):
    # On a terminal 40 columns wide, no progress line is wider than 39
    # (a long source name loses its middle to "..."): a line that wrapped
    # could not be rewritten in place.
    import fcntl, pty, struct, termios
    project = os.path.join(tmp, 'narrow')
    os.makedirs(os.path.join(project, 'a_directory_with_a_rather_long_name'))
    with open(os.path.join(project, 'main.c'), 'w') as f:
        f.write('int f(void);\nint main(void) { return f(); }\n')
    with open(os.path.join(project, 'a_directory_with_a_rather_long_name',
                           'and_a_source_file_whose_name_goes_on_and_on.c'), 'w') as f:
        f.write('int f(void) { return 0; }\n')
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', 12, 40, 0, 0))
    p = subprocess.Popen([driver, project, os.path.join(tmp, 'narrow-build'), '--cache', os.path.join(tmp, 'narrow-cache')],
                         stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
    os.close(slave)
    out = b''
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    expect(p.wait(timeout=300) == 0, 'the build on a terminal succeeds: ' + out.decode(errors='replace'))
    text = out.decode(errors='replace').replace('\x1b[K', '')
    lines = [seg for part in text.split('\n') for seg in part.split('\r') if seg.startswith('[')]
    expect(lines, 'progress lines were shown on the terminal: ' + repr(text))
    expect(all(len(seg) <= 39 for seg in lines), 'every progress line fits 40 columns: ' + repr(lines))
    expect(any('...' in seg for seg in lines), 'the long name lost its middle: ' + repr(lines))


def step_timeout(driver, tmp):
    # A compile that hangs (a cc sleeping an hour) is killed at the step's
    # deadline, with what it started, and its step fails saying why.
    env, _ = counting_env(tmp, 'hang')
    env['VITTE_CC_SLEEP'] = '3600'
    project = os.path.join(tmp, 'hang')
    generated_project(project, 2)
    stdout, stderr = run(driver, project, os.path.join(tmp, 'hang-build'), os.path.join(tmp, 'hang-cache'),
                         '--step-timeout', '1', '-j2', env=env, fails=True)
    expect('  cc  main.o  failed' in stdout, 'the hung compile failed: ' + stdout)
    expect('killed: still running after --step-timeout 1 s' in stderr + stdout, 'and says why: ' + stderr)


def jobserver(driver, tmp):
    make = shutil.which('make')
    if make is None:
        print('driver under make: skipped: make is not installed (scripts/test installs it)')
        return
    env, count = counting_env(tmp, 'make')
    projects = []
    for name in ('one', 'two'):
        generated_project(os.path.join(tmp, 'mk-' + name), 10)
        projects.append(name)
    with open(os.path.join(tmp, 'Makefile'), 'w') as f:
        f.write('all: one two\n')
        for name in projects:
            f.write('%s:\n\t+"%s" "%s/mk-%s" "%s/mk-%s-build" --cache "%s/mk-%s-cache" -j8 --quiet --run\n'
                    % (name, driver, tmp, name, tmp, name, tmp, name))
    p = subprocess.run([make, '-j4', '-C', tmp, '-f', 'Makefile'], capture_output=True, text=True, env=env,
                       timeout=300)
    print(p.stdout, end='')
    expect(p.returncode == 0, 'make -j4 around two drivers succeeds: ' + p.stderr)
    expect(p.stdout.count('app: sum 45') == 2, 'both drivers built and ran their program')
    expect('jobserver' not in p.stderr, 'the drivers used make\'s jobserver: ' + p.stderr)
    seen = most_at_once(count)
    expect(3 <= seen <= 4, 'make -j4 around two drivers at -j8: the drivers take make\'s tokens, and at most 4 compiles run at once (seen %d)' % seen)
    print('driver under make -j4: at most %d compiles at once' % seen)


def two_drivers(driver, tmp):
    env, _ = counting_env(tmp, 'lock')
    env['VITTE_CC_SLEEP'] = '1'
    project, build, cache = os.path.join(tmp, 'lk'), os.path.join(tmp, 'lk-build'), os.path.join(tmp, 'lk-cache')
    generated_project(project, 4)
    first = subprocess.Popen([driver, project, build, '--cache', cache, '-j1', '--run'], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env)
    lock = os.path.join(os.path.realpath(build), '.driver.lock')
    for _ in range(500):  # until the first driver has its first compile running
        if os.listdir(os.path.join(tmp, 'lock-count')):
            break
        time.sleep(0.02)
    _, stderr = run(driver, project, build, cache, '--no-wait', env=env, fails=True)
    expect('is in use by another driver (%s is locked)' % lock in stderr, '--no-wait stops at once: ' + stderr)
    out, err = subprocess.Popen([driver, project, build, '--cache', cache], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env).communicate(timeout=300)
    expect('waiting for it (%s)' % lock in err, 'a second driver waits, and says so: ' + err)
    expect('nothing to do' in out, 'and then finds the first one\'s work done: ' + out)
    first_out, first_err = first.communicate(timeout=300)
    expect(first.returncode == 0 and 'app: sum 6' in first_out, 'the first driver was not disturbed: ' + first_err)
    expect('Text file busy' not in first_err + err, 'no "Text file busy"')


def expect(cond, what):
    if not cond:
        sys.exit('FAILED: ' + what)


def compiled(out):
    """The objects the output says were compiled (not restored from the cache)."""
    steps = [line.split() for line in out.splitlines() if line.startswith('  cc ')]
    return sorted(s[1] for s in steps if len(s) > 2 and s[2] == 'compiled')


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


def checkout(source, tmp, name):
    """A copy of the project at TMP/NAME/project, its build directory beside it."""
    ws = os.path.join(tmp, name)
    shutil.copytree(source, os.path.join(ws, 'project'))
    return os.path.join(ws, 'project'), os.path.join(ws, 'build')


def checkouts_at_other_paths(driver, source, tmp):
    # Two checkouts at different paths, one local cache: every object is shared.
    cache = os.path.join(tmp, 'shared-cache')
    out = run(driver, *checkout(source, tmp, 'ws-one'), cache)
    expect('3 compiled, 0 from the cache' in out, 'the first checkout compiles')
    project, build = checkout(source, tmp, 'ws-two')
    out = run(driver, project, build, cache)
    expect('0 compiled, 3 from the cache' in out, 'a checkout at another path gets every object from the cache')
    expect('app: area 12, sum 6' in out, 'and its program runs')
    for obj in ('main.o', 'shapes.o', 'util.o'):
        with open(os.path.join(build, 'obj', obj), 'rb') as f:
            expect(b'ws-one' not in f.read(), obj + ' holds no path of the checkout that compiled it')
    # A third checkout whose header differs (sccache #2863): what includes
    # it compiles again, and the program is the one a clean build makes.
    project, build = checkout(source, tmp, 'ws-three')
    with open(os.path.join(project, 'shapes.h'), 'w') as f:
        f.write('#ifndef SHAPES_H\n#define SHAPES_H\nstruct rect {\n  int pad, w, h;\n};\n'
                'int area(struct rect r);\n#endif\n')
    out = run(driver, project, build, cache)
    expect(compiled(out) == ['main.o', 'shapes.o'] and '1 from the cache' in out,
           'a checkout whose shapes.h differs compiles exactly main.o and shapes.o')
    clean = run(driver, project, os.path.join(tmp, 'ws-three-clean'), os.path.join(tmp, 'clean-cache'))
    mine = [l for l in out.splitlines() if l.startswith('app: ')]
    expect(mine and mine == [l for l in clean.splitlines() if l.startswith('app: ')],
           'and its program is the one a clean build makes: %s' % mine)


def remote_checkouts(driver, source, tmp):
    server = start_nginx(os.path.join(tmp, 'nginx'))
    if server is None:
        print('driver --remote: skipped: nginx is not installed (scripts/test installs nginx-extras)')
        return
    proc, url = server
    try:
        out = run(driver, *checkout(source, tmp, 'ws-a'), os.path.join(tmp, 'cache-a'), '--remote', url)
        expect('3 compiled, 0 from the cache' in out, 'the first machine compiles')
        expect('remote: 0 hits, 3 misses, 6 uploads, 0 dropped, 0 rejected' in out,
               'and uploads each object (a result and a manifest)')
        # Another machine: a checkout at another path, an empty local cache.
        out = run(driver, *checkout(source, tmp, 'ws-b'), os.path.join(tmp, 'cache-b'), '--remote', url)
        expect('0 compiled, 3 from the cache' in out, 'a second checkout builds every object from the server')
        expect('remote: 3 hits, 0 misses' in out, 'and says they came from the server')
        expect('app: area 12, sum 6' in out, 'and the program runs')
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main():
    driver, source = os.path.abspath(sys.argv[1]), sys.argv[2]
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
        out = run(driver, project, build, cache, '--explain')
        expect(compiled(out) == ['main.o', 'util.o'], 'editing util.h rebuilds exactly main.o and util.o')
        expect('input changed: ' + os.path.join(project, 'util.h') in out, 'and says which input changed')

        os.utime(os.path.join(project, 'shapes.h'))
        out = run(driver, project, build, cache)
        expect('nothing to do' in out, 'touching a header without changing it rebuilds nothing')

        # A build directory removed and made again comes back from the cache.
        shutil.rmtree(build)
        out = run(driver, project, build, cache)
        expect('0 compiled, 3 from the cache' in out, 'a removed build directory comes back from the cache')
        expect('app: area 12, sum 6' in out, 'and the program still runs')
        checkouts_at_other_paths(driver, source, tmp)
        remote_checkouts(driver, source, tmp)
        as_a_tool(driver, source, tmp)
    print('driver: every check passed')


main()
