#!/usr/bin/env python3
"""Runs the Windows device tests with a null modem between two COM ports.

    wine_null_modem.py TEST.exe [TEST ARGUMENTS...]

Under Wine a COM port is a link in the prefix, dosdevices/comN -> a Unix
terminal. socat joins two pseudo-terminals as a null-modem cable; two free
COM names (from COM40 on) are linked to them, and the test learns them from
VITTE_NULL_MODEM=COMa,COMb. Without socat the test runs without them and
says why it skips those checks. socat is stopped and the links removed
however the test ends (a meson timeout's SIGTERM included). On Windows
itself the test runs as it is: no socat, no links.
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def wait_for(paths, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if all(os.path.lexists(p) for p in paths):
            return True
        time.sleep(0.02)
    return False


def link_pair(dosdevices, targets):
    """Links the first two free comN, comN+1 to `targets`; their names."""
    for n in range(40, 250):
        made = []
        try:
            for i, target in enumerate(targets):
                link = dosdevices / f'com{n + i}'
                os.symlink(target, link)  # fails when the name is taken: atomic
                made.append(link)
            return [f'COM{n + i}' for i in range(len(targets))], made
        except FileExistsError:
            for link in made:
                link.unlink()
    raise RuntimeError('no two free COM names in ' + str(dosdevices))


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip())
        return 2
    test = argv[1:]
    if sys.platform == 'win32':
        return subprocess.call(test)
    wine = shutil.which('wine')
    if wine is None:
        print('SKIP: wine is not installed')
        return 77
    # A SIGTERM (meson's timeout) unwinds through the finally below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    env = dict(os.environ)
    env.setdefault('WINEDEBUG', '-all')
    prefix = Path(env.get('WINEPREFIX', Path.home() / '.wine'))
    dosdevices = prefix / 'dosdevices'
    if not dosdevices.is_dir():  # a new prefix: let wine make it first
        subprocess.call([wine, 'wineboot', '--init'], env=env)
    if shutil.which('socat') is None:
        print('null modem: socat is not installed (apt-get install socat): serial checks skipped', flush=True)
        return subprocess.call([wine] + test, env=env)

    work = Path(tempfile.mkdtemp(prefix='vitte-null-modem-'))
    ends = [work / 'a', work / 'b']
    links = []
    socat = None
    try:
        with open(work / 'socat.log', 'w') as log:
            socat = subprocess.Popen(['socat', '-d', '-d'] + [f'pty,raw,echo=0,link={e}' for e in ends],
                                     stdout=subprocess.DEVNULL, stderr=log)
        if not wait_for(ends, 10):
            print('null modem: socat made no pseudo-terminals:', (work / 'socat.log').read_text(), flush=True)
            return 1
        names, links = link_pair(dosdevices, [os.path.realpath(e) for e in ends])
        print(f'null modem: {names[0]} -> {os.path.realpath(ends[0])}, {names[1]} -> {os.path.realpath(ends[1])}',
              flush=True)
        env['VITTE_NULL_MODEM'] = ','.join(names)
        return subprocess.call([wine] + test, env=env)
    finally:
        for link in links:
            try:
                link.unlink()
            except FileNotFoundError:
                pass
        if socat is not None:
            socat.terminate()
            try:
                socat.wait(5)
            except subprocess.TimeoutExpired:
                socat.kill()
                socat.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main(sys.argv))
