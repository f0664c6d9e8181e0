#!/usr/bin/env python3
"""Benchmark goals: reads bench/goals.txt (the goal ratio of each benchmark
line) and bench/figures.txt (the README's figures), standard library only.

  goals.py annotate OUT       JSON lines on stdin: appended to OUT, and each
                              printed with its goal beside its ratio
  goals.py check RESULTS      every line's ratio and goal, then the misses
                              (ratio above goal); --strict: exit 1 on a miss
  goals.py readme [RESULTS]   rewrites the README's table (between its
                              bench-table markers) from figures.txt and
                              goals.txt; with RESULTS, the figures of rows
                              it measured are replaced first (figures.txt too)
"""
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
GOALS = ROOT / 'bench' / 'goals.txt'
FIGURES = ROOT / 'bench' / 'figures.txt'
README = ROOT / 'README.md'
BEGIN = '<!-- bench-table: scripts/bench --readme writes this table from bench/figures.txt and bench/goals.txt -->'
END = '<!-- /bench-table -->'


def cells(line):
    """The ' | '-separated cells of a line; '\\|' is a literal bar."""
    return [c.strip() for c in re.split(r'(?<!\\)\|', line)]


def load_goals(path=GOALS):
    goals = {}
    for n, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.startswith('#'):
            continue
        c = cells(line)
        if len(c) != 4:
            sys.exit(f'{path}:{n}: expected bench | baseline | goal | source')
        goals[(c[0], c[1])] = (float(c[2]), c[3])
    return goals


def load_results(path):
    """The benchmark lines of a results file that carry a ratio, by key."""
    out = {}
    for line in pathlib.Path(path).read_text().splitlines():
        if line.startswith('{'):
            r = json.loads(line)
            if 'ratio' in r and 'baseline' in r:
                out[(r['bench'], r['baseline'])] = r
    return out


def judge(goals, r):
    """(text, missed) for one result line: its ratio beside its goal."""
    key = (r['bench'], r['baseline'])
    text = f"{r['bench']} vs {r['baseline']}: {r['ratio']:.3g}x"
    if key not in goals:
        return text + ' (no goal)', False
    goal = goals[key][0]
    missed = r['ratio'] > goal
    return text + f" (goal <= {number(goal)}) {'MISS' if missed else 'ok'}", missed


def annotate(out_path):
    goals = load_goals()
    with open(out_path, 'a') as out:
        for line in sys.stdin:
            out.write(line)
            out.flush()
            if line.startswith('{'):
                r = json.loads(line)
                if 'ratio' in r and 'baseline' in r:
                    print(judge(goals, r)[0], flush=True)
                    continue
            print(line, end='', flush=True)


def check(results_path, strict):
    goals = load_goals()
    results = load_results(results_path)
    misses, no_goal = [], []
    for key, r in results.items():
        text, missed = judge(goals, r)
        if missed:
            misses.append(text)
        if key not in goals:
            no_goal.append(text)
    not_run = {}
    for b, base in goals:
        if (b, base) not in results:
            not_run.setdefault(b, []).append(base)
    print(f'\n{len(results)} benchmark lines, {len(results) - len(no_goal)} with a goal, '
          f'{len(misses)} missed (ratio above goal; benchmarks are noisy: run again before believing one):')
    for m in misses:
        print('  ' + m)
    if no_goal:
        print(f'{len(no_goal)} without a goal in bench/goals.txt:')
        for m in no_goal:
            print('  ' + m)
    if not_run:
        print(f'{sum(map(len, not_run.values()))} goals with no line in this run (benchmark not run, '
              'baseline not installed, or a line renamed):')
        for b, bases in not_run.items():
            print(f"  {b} vs {', '.join(bases)}")
    return 1 if strict and misses else 0


def load_figures():
    rows = []
    for n, line in enumerate(FIGURES.read_text().splitlines(), 1):
        if not line.strip() or line.startswith('#'):
            rows.append(line)
            continue
        c = cells(line)
        if len(c) != 5:
            sys.exit(f'{FIGURES}:{n}: expected benchmark | baseline | figure | goal | keys')
        keys = [tuple(k.strip().split(' @ ', 1)) for k in c[4].split(';') if k.strip()]
        rows.append({'cells': c, 'keys': keys})
    return rows


def number(g):
    """A goal as the README writes it: 1.0, 1.05, 0.017."""
    s = f'{g:g}'
    return s if '.' in s else s + '.0'


def goal_text(goals, row):
    if row['cells'][3]:
        return row['cells'][3]
    texts = [number(goals[k][0]) for k in row['keys'] if k in goals]
    if not texts:
        return ''
    if all(t == texts[0] for t in texts):
        return f'≤ {texts[0]}'
    return '≤ ' + ' / '.join(texts)


def readme(results_path):
    goals = load_goals()
    rows = load_figures()
    for k in (k for row in rows if isinstance(row, dict) for k in row['keys']):
        if len(k) != 2 or k not in goals:
            sys.exit(f'{FIGURES}: key {" @ ".join(k)} has no line in {GOALS.name}')
    if results_path:
        results = load_results(results_path)
        lines = []
        for row in rows:
            if isinstance(row, dict) and row['keys'] and all(k in results for k in row['keys']):
                row['cells'][2] = ' / '.join(f"{results[k]['ratio']:.2f}x" for k in row['keys'])
            lines.append(row if isinstance(row, str) else ' | '.join(row['cells']))
        FIGURES.write_text('\n'.join(lines) + '\n')
    table = ['| benchmark | baseline | ratio | goal |', '|---|---|---:|---|']
    for row in rows:
        if isinstance(row, dict):
            c = row['cells']
            table.append(f'| {c[0]} | {c[1]} | {c[2]} | {goal_text(goals, row)} |'.replace('|  |', '| |'))
    text = README.read_text()
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        sys.exit(f'README.md: no {BEGIN} ... {END} markers')
    README.write_text(text[:start + len(BEGIN)] + '\n' + '\n'.join(table) + '\n' + text[end:])
    print(f'README.md: {len(table) - 2} rows written')
    return 0


def main(argv):
    if len(argv) >= 2 and argv[0] == 'annotate':
        annotate(argv[1])
        return 0
    if len(argv) >= 2 and argv[0] == 'check':
        return check(argv[1], '--strict' in argv[2:])
    if argv and argv[0] == 'readme':
        return readme(argv[1] if len(argv) > 1 else None)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
