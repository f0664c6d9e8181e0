#!/usr/bin/env python3
"""tests/suite_groups.py - each suite group's program runs whole.

  suite_groups.py PROGRAM FILTER...

A suite group (tests/meson.build, suite_groups) is one program whose Meson
tests each run some of its top-level suites (--run_test=FILTER, suites
separated by ':'). This checks, from the program's own --list_content, that
every top-level suite of PROGRAM is selected by exactly one FILTER and that
every suite a FILTER names exists: a test file added to a group without a
test, or a suite renamed, fails here instead of silently not running.

  suite_groups.py --self-test    checks the check on made-up listings
"""
import subprocess
import sys


def top_level_units(listing):
    """The top-level test units of Boost.Test's --list_content output."""
    return [line.rstrip().rstrip('*') for line in listing.splitlines() if line.strip() and not line.startswith(' ')]


def problems(units, filters):
    """What is wrong with `filters` for a program whose top-level units are
    `units`: a list of sentences, empty when each unit is selected once."""
    out = []
    chosen = {}
    for f in filters:
        for name in f.split(':'):
            chosen.setdefault(name, []).append(f)
    for u in units:
        if u not in chosen:
            out.append(f'suite {u} is run by no test (add it to a filter in suite_groups)')
        elif len(chosen[u]) > 1:
            out.append(f'suite {u} is run by {len(chosen[u])} tests: {", ".join(chosen[u])}')
    for name in chosen:
        if name not in units:
            out.append(f'filter names suite {name}, which the program does not have')
    return out


def self_test():
    listing = 'url*\n    a*\nparser*\n    b*\nnginx*\n'
    units = top_level_units(listing)
    assert units == ['url', 'parser', 'nginx'], units
    assert problems(units, ['url:parser:nginx']) == []
    assert problems(units, ['url:parser']) == ['suite nginx is run by no test (add it to a filter in suite_groups)']
    assert problems(units, ['url:parser:nginx', 'nginx'])[0].startswith('suite nginx is run by 2 tests')
    assert problems(units, ['url:parser:nginx:client']) == ['filter names suite client, which the program does not have']
    print('suite_groups: self-test passed')
    return 0


def main(argv):
    if argv[1:] == ['--self-test']:
        return self_test()
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    program, filters = argv[1], argv[2:]
    r = subprocess.run([program, '--list_content'], capture_output=True, text=True)
    units = top_level_units(r.stdout + r.stderr)
    if r.returncode != 0 or not units:
        print(f'suite_groups: {program} --list_content failed (status {r.returncode})', file=sys.stderr)
        return 1
    found = problems(units, filters)
    for p in found:
        print(f'suite_groups: {program}: {p}', file=sys.stderr)
    if not found:
        print(f'suite_groups: {program}: {len(units)} suites, each run by one test')
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
