#!/usr/bin/env python3
"""Drives the vitte tool as a script would and checks its conventions:
  - --help and -h on every command (and `vitte help CMD`) exit 0 with usage;
    --version; unknown commands and options exit 2 with a hint on stderr;
  - --json of every reporting command parses and matches its schema in
    docs/schemas (a validator for the subset of JSON Schema they use);
  - colour on stderr under a pseudo-terminal, none with NO_COLOR, forced
    into a pipe by CLICOLOR_FORCE, none in a plain pipe;
  - docs/vitte.1 is what `vitte help --man` prints and `man` renders it;
  - the bash completion loads (complete -p vitte) and completes; the zsh
    one parses (when zsh is installed).

Usage: cli_conventions.py --vitte PATH --root SOURCE_ROOT [--plugins DIR]"""
import argparse
import json
import os
import pathlib
import pty
import re
import shutil
import subprocess
import sys
import tempfile

FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print('FAIL:', what, flush=True)
    return cond


def run(vitte, *args, env=None, cwd=None):
    p = subprocess.run([vitte, *map(str, args)], capture_output=True, text=True, env=env, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


def validate(value, schema, where='$'):
    """The subset of JSON Schema docs/schemas use: type (one or a list),
    const, enum, required, properties, items, minimum."""
    errors = []
    names = {'object': dict, 'array': list, 'string': str, 'boolean': bool, 'null': type(None)}
    if 'type' in schema:
        types = schema['type'] if isinstance(schema['type'], list) else [schema['type']]
        ok = False
        for t in types:
            if t == 'integer':
                ok |= isinstance(value, int) and not isinstance(value, bool)
            else:
                ok |= isinstance(value, names[t])
        if not ok:
            return [f'{where}: {json.dumps(value)[:60]} is not {types}']
    if 'const' in schema and value != schema['const']:
        errors.append(f'{where}: {value!r} is not {schema["const"]!r}')
    if 'enum' in schema and value not in schema['enum']:
        errors.append(f'{where}: {value!r} is not one of {schema["enum"]}')
    if 'minimum' in schema and isinstance(value, int) and value < schema['minimum']:
        errors.append(f'{where}: {value} < {schema["minimum"]}')
    if isinstance(value, dict):
        for k in schema.get('required', []):
            if k not in value:
                errors.append(f'{where}: missing "{k}"')
        for k, sub in schema.get('properties', {}).items():
            if k in value:
                errors += validate(value[k], sub, f'{where}.{k}')
    if isinstance(value, list) and 'items' in schema:
        for i, v in enumerate(value):
            errors += validate(v, schema['items'], f'{where}[{i}]')
    return errors


def check_json(root, command, out, rc_expected, rc):
    check(rc == rc_expected, f'{command} --json: exit {rc}, expected {rc_expected}')
    try:
        doc = json.loads(out)
    except ValueError as e:
        check(False, f'{command} --json: not JSON ({e}): {out[:200]!r}')
        return None
    schema = json.loads((root / 'docs' / 'schemas' / f'vitte.{command}.json').read_text())
    errors = validate(doc, schema)
    check(not errors, f'{command} --json against docs/schemas/vitte.{command}.json: {errors}')
    return doc


def commands_of(vitte):
    rc, out, _ = run(vitte, 'help')
    check(rc == 0, 'vitte help exits 0')
    listing = out.split('commands:', 1)[1]
    return [m.group(1) for m in re.finditer(r'^  (\S+)\s', listing, re.M)]


def conventions(vitte):
    rc, out, _ = run(vitte, '--version')
    check(rc == 0 and re.fullmatch(r'vitte \d+\.\d+\.\d+\n', out), f'--version: {rc} {out!r}')
    for flag in ('--help', '-h'):
        rc, out, _ = run(vitte, flag)
        check(rc == 0 and out.startswith('usage: vitte'), f'vitte {flag}')
    rc, _, err = run(vitte)
    check(rc == 2 and 'usage:' in err, 'vitte alone: usage on stderr, exit 2')
    cmds = commands_of(vitte)
    check(len(cmds) >= 10, f'the command list: {cmds}')
    for c in cmds:
        for flag in ('--help', '-h'):
            rc, out, err = run(vitte, c, flag)
            check(rc == 0 and out.startswith(f'usage: vitte {c}') and err == '', f'vitte {c} {flag}: {rc} {err!r}')
        rc, out, _ = run(vitte, 'help', c)
        check(rc == 0 and out.startswith(f'usage: vitte {c}'), f'vitte help {c}')
        if c == 'help':
            continue
        rc, out, err = run(vitte, c, '--no-such-option')
        check(rc == 2 and f'vitte {c}:' in err and "unknown option '--no-such-option'" in err and 'hint:' in err,
              f'vitte {c} --no-such-option: {rc} {err!r}')
    # --help anywhere among the options, even after operands.
    rc, out, _ = run(vitte, 'inspect', 'some-file', '--help')
    check(rc == 0 and out.startswith('usage: vitte inspect'), 'inspect FILE --help')
    # What follows run's program belongs to the program.
    rc, _, err = run(vitte, 'run', 'missing.wasm', '--no-such-option')
    check(rc == 1 and 'unknown option' not in err, f'run PROG --opt goes to the program: {rc} {err!r}')
    rc, _, err = run(vitte, 'no-such-command')
    check(rc == 2 and 'unknown command' in err and 'hint:' in err, f'unknown command: {rc} {err!r}')
    # A typo gets the command or option it most likely meant.
    rc, _, err = run(vitte, 'inspec', 'x')
    check(rc == 2 and "hint: did you mean 'inspect'?" in err, f'a mistyped command: {rc} {err!r}')
    rc, _, err = run(vitte, 'package', '--versoin', '1')
    check(rc == 2 and "hint: did you mean '--version'?" in err, f'a mistyped option: {rc} {err!r}')
    rc, _, err = run(vitte, 'package', '-o', 'd')
    check(rc == 2 and "hint: did you mean '--out'?" in err, f'a short form for a long option: {rc} {err!r}')
    rc, _, err = run(vitte, 'xyzzy')
    check(rc == 2 and 'did you mean' not in err, f'no guess for a word like no command: {rc} {err!r}')
    # Dashes do not count as letters: a 3-letter option is not 2 edits from another.
    rc, _, err = run(vitte, 'cross', '--out', 'p', 'x.c')
    check(rc == 2 and 'did you mean' not in err, f'--out is no typo of --run: {rc} {err!r}')
    rc, _, err = run(vitte, 'export', '--fromat', 'tar', 'd')
    check(rc == 2 and "hint: did you mean '--format'?" in err, f'a swap of two letters: {rc} {err!r}')
    # Every name equally close is offered.
    rc, _, err = run(vitte, 'uload')
    check(rc == 2 and "hint: did you mean 'load' or 'unload'?" in err, f'a tie: {rc} {err!r}')
    # The command list is one column, whatever the longest name.
    rc, out, _ = run(vitte, '--help')
    rows = [line for line in out.splitlines() if line.startswith('  ') and not line.startswith('   ')]
    starts = {len(line) - len(line[2:].split(' ', 1)[1].lstrip()) for line in rows if ' ' in line[2:]}
    check(len(rows) >= 10 and len(starts) == 1, f'the summaries start in one column: {sorted(starts)}')
    rc, _, err = run(vitte, 'help', 'no-such-command')
    check(rc == 2 and 'hint:' in err, 'help of an unknown command')
    rc, _, err = run(vitte, 'load', '--policy')
    check(rc == 2 and '--policy needs' in err, f'an option without its value: {rc} {err!r}')
    rc, _, err = run(vitte, 'verify', 'a', 'b', '--json=yes')
    check(rc == 2 and 'takes no value' in err, f'a flag given a value: {rc} {err!r}')
    return cmds


def json_outputs(vitte, root, tmp, plugins):
    manifest = tmp / 'greeter.manifest'
    manifest.write_text('name = greeter\nversion = 1.2.0\nkind = bytecode\ndepends = log ^2.1\n'
                        'export = greet function 1\nimport = log write\n')
    (tmp / 'payload.bc').write_bytes(b'BC')
    rc, out, err = run(vitte, 'keygen', '--json', tmp / 'a.key', tmp / 'a.pub')
    doc = check_json(root, 'keygen', out, 0, rc)
    run(vitte, 'keygen', tmp / 'b.key', tmp / 'b.pub')
    rc, out, err = run(vitte, 'pack', tmp / 'greeter.manifest', tmp / 'payload.bc', '-o', tmp / 'g.vitbc')
    check(rc == 0, f'pack: {err}')
    rc, out, err = run(vitte, 'sign', '--json', tmp / 'g.vitbc', tmp / 'a.key')
    sign = check_json(root, 'sign', out, 0, rc)
    check(doc and sign and doc['key_id'] == sign['key_id'], 'keygen and sign name the same key id')
    rc, out, err = run(vitte, 'verify', '--json', tmp / 'g.vitbc', tmp / 'a.pub')
    v = check_json(root, 'verify', out, 0, rc)
    check(v and v['verified'] is True, 'verify --json: verified')
    rc, out, err = run(vitte, 'verify', '--json', tmp / 'g.vitbc', tmp / 'b.pub')
    v = check_json(root, 'verify', out, 1, rc)
    check(v and v['verified'] is False and v['error'], 'verify --json with another key: not verified, with why')
    check('error:' in err, 'verify failure on stderr too')
    rc, out, err = run(vitte, 'inspect', '--json', tmp / 'g.vitbc')
    i = check_json(root, 'inspect', out, 0, rc)
    check(i and i['format'] == 'vitmod' and i['module'] == {'name': 'greeter', 'version': '1.2.0'}
          and i['container']['signed'] and i['exports'][0]['name'] == 'greet', f'inspect a container: {i}')
    # (module (func (export "answer") (result i32) (i32.const 42)))
    wasm = bytes([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7f, 3, 2, 1, 0, 7, 10, 1, 6]) + \
        b'answer' + bytes([0, 0, 10, 6, 1, 4, 0, 0x41, 42, 0x0b])
    (tmp / 'answer.wasm').write_bytes(wasm)
    rc, out, err = run(vitte, 'inspect', '--json', tmp / 'answer.wasm')
    i = check_json(root, 'inspect', out, 0, rc)
    check(i and i['format'] == 'wasm' and i['exports'] == [{'name': 'answer', 'kind': 'func', 'type': '() -> (i32)'}]
          and i['wasm']['functions_defined'] == 1, f'inspect a wasm module: {i}')
    rc, out, err = run(vitte, 'load', '--json', tmp / 'answer.wasm')
    l = check_json(root, 'load', out, 0, rc)
    check(l and [m['name'] for m in l['loaded']] == ['answer'] and l['loaded'][0]['payload'] == 'wasm',
          f'load a wasm module: {l} {err}')
    rc, out, err = run(vitte, 'unload', '--json', tmp / 'answer.wasm')
    u = check_json(root, 'unload', out, 0, rc)
    check(u and [m['name'] for m in u['unloaded']] == ['answer'], f'unload: {u}')
    (tmp / 'empty').mkdir()
    # The build kit's commands.
    (tmp / 'stage' / 'bin').mkdir(parents=True)
    (tmp / 'stage' / 'bin' / 'tool').write_text('#!/bin/sh\n')
    rc, out, err = run(vitte, 'keygen', '--signify', '--json', tmp / 's.sec', tmp / 's.pub')
    check_json(root, 'keygen', out, 0, rc)
    rc, out, err = run(vitte, 'package', '--json', '--name', 'tool', '--version', '1.0', '--sign', tmp / 's.sec',
                       '--out', tmp / 'dist', tmp / 'stage')
    pk = check_json(root, 'package', out, 0, rc)
    check(pk and pk['signature'].endswith('SHA256SUMS.sig') and pk['entries'] == 3, f'package --json: {pk}')
    rc, out, err = run(vitte, 'verify-package', '--json', '--key', tmp / 's.pub', tmp / 'dist')
    vp = check_json(root, 'verify-package', out, 0, rc)
    check(vp and vp['verified'] and vp['signature_checked'] and vp['name'] == 'tool', f'verify-package --json: {vp}')
    rc, out, err = run(vitte, 'verify-package', '--json', '--key', tmp / 'a.pub', tmp / 'dist')
    vp = check_json(root, 'verify-package', out, 1, rc)
    check(vp and not vp['verified'] and 'another key' in vp['error'], f'verify-package --json, another key: {vp}')
    rc, out, err = run(vitte, 'export', '--json', '--format', 'tar', '-o', tmp / 'stage.tar', tmp / 'stage')
    ex = check_json(root, 'export', out, 0, rc)
    check(ex and ex['size'] % 512 == 0, f'export --json: {ex}')
    rc, out, err = run(vitte, 'toolchain', '--json')
    check_json(root, 'toolchain', out, 0, rc)
    rc, out, err = run(vitte, 'toolchain', '--json', '--target', 'wasm32-wasi')
    if rc == 0:
        tc = check_json(root, 'toolchain', out, 0, rc)
        check(tc and tc['target'] == 'wasm32-unknown-wasi', f'toolchain --json --target wasm32-wasi: {tc}')
        rc, out, err = run(vitte, 'cross', '--json', '--target', 'wasm32-wasi', '--build-dir', tmp / 'wasi',
                           root / 'examples' / 'wc.c')
        cr = check_json(root, 'cross', out, 0, rc)
        check(cr and cr['output'].endswith('wc.wasm'), f'cross --json: {cr}')
    rc, out, err = run(vitte, 'toolchain', '--target', 'sparc-nowhere-none')
    check(rc == 1 and 'error:' in err, f'toolchain for a triple nothing here builds: {rc} {err}')
    rc, out, err = run(vitte, 'modules', '--json', '-p', tmp / 'empty')
    m = check_json(root, 'modules', out, 0, rc)
    check(m is not None and m['modules'] == [], 'modules of a directory without plugins')
    lib = next((f for f in pathlib.Path(plugins or tmp / 'empty').glob('libchain_a.*') if f.is_file()), None)
    if lib:
        rc, out, err = run(vitte, 'modules', '--json', '-p', plugins)
        m = check_json(root, 'modules', out, 0, rc)
        check(m and 'chain_a' in [x['name'] for x in m['modules']], 'modules lists the test plugins')
        rc, out, err = run(vitte, 'inspect', '--json', lib)
        i = check_json(root, 'inspect', out, 0, rc)
        check(i and i['module']['name'] == 'chain_a' and i['plugin']['loadable'], f'inspect a plugin: {i}')
        rc, out, err = run(vitte, 'load', '--json', '-p', plugins, 'chain_a')
        if rc == 0:
            l = check_json(root, 'load', out, 0, rc)
            check(l and [x['name'] for x in l['loaded']][-1] == 'chain_a', 'load chain_a: itself last')
        else:
            print('note: plugins do not load here (a static build):', err.strip())
        isolated = pathlib.Path(plugins) / 'libisolated.so'
        host = pathlib.Path(vitte).parent / 'vitte-plugin-host'
        if isolated.is_file() and host.is_file():
            rc, out, err = run(vitte, 'load', '--isolate', '--json', '--host', host, isolated)
            l = check_json(root, 'load', out, 0, rc)
            check(l and l['loaded'][0]['name'] == 'isolated' and 'add' in [e['name'] for e in l['isolated']['exports']],
                  f'load --isolate: {l} {err}')
        else:
            print('note: no isolated test plugin or plugin host: load --isolate not checked')
    else:
        print('note: no test plugins given: modules/inspect of native plugins not checked')


def colour(vitte):
    base = {k: v for k, v in os.environ.items() if k not in ('NO_COLOR', 'CLICOLOR_FORCE')}
    base['TERM'] = 'xterm'

    def on_tty(env):
        master, slave = pty.openpty()
        p = subprocess.run([vitte, 'inspect', '/no/such/file'], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=slave, env=env)
        os.close(slave)
        data = b''
        try:
            while True:
                chunk = os.read(master, 4096)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
        os.close(master)
        return p.returncode, data.decode(errors='replace')

    rc, err = on_tty(base)
    check(rc == 1 and '\x1b[' in err and 'error:' in err, f'colour on a terminal: {err!r}')
    rc, err = on_tty(dict(base, NO_COLOR='1'))
    check(rc == 1 and '\x1b[' not in err and 'error:' in err, f'NO_COLOR on a terminal: {err!r}')
    rc, err = on_tty(dict(base, TERM='dumb'))
    check('\x1b[' not in err, f'TERM=dumb: {err!r}')
    rc, _, err = run(vitte, 'inspect', '/no/such/file', env=dict(base, CLICOLOR_FORCE='1'))
    check('\x1b[' in err, f'CLICOLOR_FORCE into a pipe: {err!r}')
    rc, _, err = run(vitte, 'inspect', '/no/such/file', env=base)
    check('\x1b[' not in err, f'no colour into a pipe: {err!r}')


def man_and_completions(vitte, root, tmp):
    rc, out, _ = run(vitte, 'help', '--man')
    page = root / 'docs' / 'vitte.1'
    check(rc == 0 and page.exists() and out == page.read_text(),
          'docs/vitte.1 is what `vitte help --man` prints (regenerate: vitte help --man > docs/vitte.1)')
    if shutil.which('man'):
        p = subprocess.run(['man', str(page)], capture_output=True, text=True,
                           env=dict(os.environ, MANPAGER='cat', PAGER='cat', MANWIDTH='100'), cwd=tmp)
        check(p.returncode == 0 and 'EXIT STATUS' in p.stdout and 'vitte inspect' in p.stdout,
              f'man renders docs/vitte.1: {p.returncode} {p.stderr!r}')
    else:
        print('note: no man program (Debian man-db): rendering not checked')
    rc, script, _ = run(vitte, 'completion', 'bash')
    check(rc == 0, 'completion bash')
    (tmp / 'vitte.bash').write_text(script)
    p = subprocess.run(['bash', '-c', f'source "{tmp}/vitte.bash" && complete -p vitte && '
                        'COMP_WORDS=(vitte ins) COMP_CWORD=1 && _vitte && echo "words: ${COMPREPLY[*]}" && '
                        'COMP_WORDS=(vitte load --po) COMP_CWORD=2 && _vitte && echo "words: ${COMPREPLY[*]}"'],
                       capture_output=True, text=True)
    check(p.returncode == 0 and 'complete -F _vitte vitte' in p.stdout and 'words: inspect\n' in p.stdout
          and 'words: --policy\n' in p.stdout, f'bash completion: {p.stdout!r} {p.stderr!r}')
    rc, script, _ = run(vitte, 'completion', 'zsh')
    check(rc == 0 and script.startswith('#compdef vitte'), 'completion zsh')
    if shutil.which('zsh'):
        (tmp / '_vitte').write_text(script)
        p = subprocess.run(['zsh', '-n', str(tmp / '_vitte')], capture_output=True, text=True)
        check(p.returncode == 0, f'the zsh completion parses: {p.stderr!r}')
    else:
        print('note: no zsh: its completion is not parsed')


def main():
    a = argparse.ArgumentParser()
    a.add_argument('--vitte', required=True)
    a.add_argument('--root', required=True)
    a.add_argument('--plugins')
    o = a.parse_args()
    root = pathlib.Path(o.root).resolve()
    vitte = str(pathlib.Path(o.vitte).resolve())
    with tempfile.TemporaryDirectory() as t:
        tmp = pathlib.Path(t)
        conventions(vitte)
        json_outputs(vitte, root, tmp, o.plugins)
        colour(vitte)
        man_and_completions(vitte, root, tmp)
    if FAILURES:
        print(f'{len(FAILURES)} check(s) failed')
        return 1
    print('cli conventions: all checks passed')
    return 0


if __name__ == '__main__':
    sys.exit(main())
