#!/usr/bin/env python3
"""The build monitor end to end (docs/MONITOR.md): examples/driver builds a
generated project of 1,000 compiles and a link with --monitor, --trace,
--ninja-log and --events, while a headless Chromium (the DevTools protocol,
tests/support/cdp.py) loads the live page and reads its DOM: progress
advances, the step count is the build's, the critical path names real steps
and ends with the link, every cache tier is shown, the timeline draws every
step, a step tells why it ran; a second build from the local cache counts
its hits on the page. Screenshots go to the log directory. Then the
files: the trace follows the Trace Event Format's rules (valid JSON, every
step a complete event on its worker's track, slices nest and timestamps rise
per track, flows and counters well formed, metadata names each track); the
.ninja_log is read by ninja's own tools (-t recompact and -t restat keep
every entry) and by a ninjatracing-style reader; the events file reads back,
also after the driver is killed mid-build. Last: a no-op build (no step) and a
build with a failing compile, on the page and in the files.

The trace is also imported by Chromium's own trace engine, the one of
DevTools' Performance panel (devtools://devtools/bundled/models/trace/
trace.js), in the headless browser. chrome://tracing cannot be used: Debian's
Chromium 156 answers ERR_FAILED for it, headless or not, with internal
debugging pages enabled; Perfetto's trace_processor is not installed.

usage: monitor_test.py DRIVER LOG_DIR"""
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'support'))
import cdp  # noqa: E402
from projects import generated_project  # noqa: E402  (as tests/cache/driver_test.py makes them)

UNITS = 1000
KILLED_UNITS = 400


def expect(cond, what):
    if not cond:
        sys.exit('FAILED: ' + what)
    print('ok:', what)


class Driver:
    """The driver in the background; its output collected line by line."""

    def __init__(self, args):
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip('\n'))

    def wait_line(self, pattern, timeout):
        end = time.time() + timeout
        while time.time() < end:
            for line in list(self.lines):
                m = re.search(pattern, line)
                if m:
                    return m
            if self.proc.poll() is not None and not self.reader.is_alive():
                break
            time.sleep(0.05)
        return None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
        self.proc.wait(timeout=30)
        self.reader.join(timeout=10)


def page_state(tab):
    return tab.evaluate('''(() => {
      const p = document.getElementById("progress");
      const tiers = {};
      for (const tr of document.querySelectorAll("#tiers tbody tr")) tiers[tr.dataset.tier] = +tr.dataset.count;
      return {finished: +p.dataset.finished, planned: +p.dataset.planned, text: p.textContent,
              done: document.body.dataset.done === "1", state: document.getElementById("state").textContent,
              critical: [...document.querySelectorAll("#critical li .name")].map(e => e.textContent),
              slowest: [...document.querySelectorAll("#slowest tbody tr .name")].map(e => e.textContent),
              tiers, drawn: +document.getElementById("timeline").dataset.drawn,
              external: [...document.querySelectorAll("script[src],link[href],img[src],iframe")].length};
    })()''')


def check_trace(path, jobs):
    """The Trace Event Format's rules, as Perfetto's and catapult's JSON importers apply them."""
    with open(path) as f:
        trace = json.load(f)  # valid JSON, or this raises
    expect(isinstance(trace, dict) and isinstance(trace.get('traceEvents'), list), 'trace: an object with traceEvents')
    events = trace['traceEvents']
    names = {}
    last_ts = {}
    open_slices = {}
    steps = []
    flows = {}
    for e in events:
        for key in ('name', 'ph', 'pid', 'tid'):
            expect_key = key in e
            if not expect_key:
                sys.exit('FAILED: trace: an event without %s: %r' % (key, e))
        ph = e['ph']
        if ph == 'M':
            if e['name'] == 'thread_name':
                names[e['tid']] = e['args']['name']
            continue
        if not (isinstance(e['ts'], (int, float)) and e['ts'] >= 0):
            sys.exit('FAILED: trace: a bad timestamp: %r' % e)
        track = (e['pid'], e['tid'])
        if e['ts'] < last_ts.get(track, 0):
            sys.exit('FAILED: trace: timestamps go back on track %r at %r' % (track, e))
        last_ts[track] = e['ts']
        if ph == 'X':
            if not (isinstance(e['dur'], (int, float)) and e['dur'] >= 0):
                sys.exit('FAILED: trace: a bad duration: %r' % e)
            # Slices on one track nest: each one ends before, or inside, the one still open.
            stack = open_slices.setdefault(track, [])
            while stack and stack[-1] <= e['ts']:
                stack.pop()
            end = e['ts'] + e['dur']
            if stack and end > stack[-1]:
                sys.exit('FAILED: trace: slices overlap without nesting on track %r at %r' % (track, e))
            stack.append(end)
            steps.append(e)
        elif ph in ('s', 'f'):
            flows.setdefault(e['id'], []).append(e)
        elif ph == 'C':
            if not all(isinstance(v, (int, float)) for v in e['args'].values()):
                sys.exit('FAILED: trace: a counter with a value that is not a number: %r' % e)
        else:
            sys.exit('FAILED: trace: an unexpected phase %r' % ph)
    expect(all(tid in names for (_, tid) in last_ts if any(s['tid'] == tid for s in steps)),
           'trace: every track with steps is named (thread_name metadata)')
    expect(len({s['tid'] for s in steps}) <= jobs, 'trace: at most %d worker tracks' % jobs)
    for fid, pair in flows.items():
        if [p['ph'] for p in pair] != ['s', 'f'] or pair[0]['ts'] > pair[1]['ts']:
            sys.exit('FAILED: trace: flow %r is not a start then an end: %r' % (fid, pair))
    expect(all('why' in s['args'] and 'cache' in s['args'] and 'where' in s['args'] for s in steps),
           'trace: every step says why it ran, its cache tier and where')
    return trace, steps, flows


def check_in_devtools(browser, path, steps, jobs, flows):
    """Chromium's own importer of trace JSON: the trace engine of DevTools'
    Performance panel (devtools://devtools/bundled/models/trace/trace.js),
    in the headless browser. It parses the file; its threads are the
    workers, with every step; it binds every flow to its two steps."""
    with open(path) as f:
        text = f.read()
    tab = browser.open('devtools://devtools/bundled/devtools_app.html')
    expect(bool(tab.wait_for('document.readyState === "complete"', timeout=60)), 'DevTools opens in headless Chromium')
    out = json.loads(tab.evaluate('''(async () => {
      const T = await import("./models/trace/trace.js");
      const file = JSON.parse(%s);
      const model = T.TraceModel.Model.createWithAllHandlers();
      await model.parse(file.traceEvents, {metadata: {}, isFreshRecording: false});
      const d = model.parsedTrace(0).data;
      return JSON.stringify({
        threads: [...d.Renderer.processes.values()].flatMap(p => [...p.threads.values()])
                   .map(t => ({name: t.name, entries: t.entries.length})),
        warnings: [...d.Warnings.perWarning.keys()],
        flows: d.Flows.flows.map(f => f.map(e => e.name)),
        range: d.Meta.traceBounds.range});
    })()''' % json.dumps(text), await_promise=True))
    tab.close()
    expect(not out['warnings'], 'DevTools\' trace engine imports the trace without a warning')
    names = sorted(t['name'] for t in out['threads'])
    expect(names == ['worker %d' % (i + 1) for i in range(jobs)] and sum(t['entries'] for t in out['threads']) == steps,
           'DevTools\' trace engine shows every step on its worker\'s track: %r' % out['threads'])
    expect(len(out['flows']) == flows and all(f[-1] == 'link app' for f in out['flows']),
           'DevTools\' trace engine binds every dependency arrow (%d) to its steps' % len(out['flows']))


def check_ninja_log(build, expected_outputs, jobs):
    """ninja's tools read it; a ninjatracing-style reader (the rules of
    ninjatracing's ReadTargets: the header, five tab-separated fields,
    entries of the last build only, threads assigned greedily) too."""
    log = os.path.join(build, '.ninja_log')
    with open(log) as f:
        text = f.read()
    lines = text.splitlines()
    expect(lines[0] == '# ninja log v5', '.ninja_log: the v5 header')
    entries = []
    for line in lines[1:]:
        fields = line.split('\t')
        if len(fields) != 5:
            sys.exit('FAILED: .ninja_log: not five fields: %r' % line)
        start, end, mtime = int(fields[0]), int(fields[1]), int(fields[2])
        int(fields[4], 16)
        if end < start:
            sys.exit('FAILED: .ninja_log: ends before it starts: %r' % line)
        entries.append((start, end, mtime, fields[3], fields[4]))
    expect({e[3] for e in entries} == set(expected_outputs), '.ninja_log: one entry per step output')
    # ninjatracing: a log holds several builds; a new one starts where an end time goes back.
    last, builds = 0, [[]]
    for e in entries:
        if e[1] < last:
            builds.append([])
        last = e[1]
        builds[-1].append(e)
    threads = []
    for e in sorted(builds[-1]):
        for i, free_at in enumerate(threads):
            if free_at <= e[0]:
                threads[i] = e[1]
                break
        else:
            threads.append(e[1])
    expect(len(builds) == 1 and len(threads) <= jobs + 1,
           'ninjatracing-style reader: one build, %d threads for -j%d' % (len(threads), jobs))
    # ninja's own tools: recompact and restat load the log, and rewrite it.
    with open(os.path.join(build, 'build.ninja'), 'w') as f:
        f.write('rule cc\n  command = cc -c $in -o $out\n')
        for out in expected_outputs:
            f.write('build %s: cc %s\n' % (out.replace(':', '$:').replace(' ', '$ '), 'main.c'))
    for tool in ('recompact', 'restat'):
        p = subprocess.run(['ninja', '-C', build, '-t', tool], capture_output=True, text=True)
        expect(p.returncode == 0 and 'warning' not in p.stderr + p.stdout and 'invalid' not in p.stderr + p.stdout,
               'ninja -t %s reads the .ninja_log without complaint (%s)' % (tool, (p.stderr + p.stdout).strip()))
        with open(log) as f:
            again = [line.split('\t') for line in f.read().splitlines()[1:]]
        expect({a[3] for a in again} == set(expected_outputs), 'ninja -t %s keeps every entry' % tool)
    p = subprocess.run(['ninja', '-C', build, '-n'], capture_output=True, text=True)
    expect('build log version invalid' not in p.stderr + p.stdout, 'ninja itself accepts the log for a build')


def read_events(path):
    """The events file as docs/MONITOR.md describes it: the records, and whether the last was torn."""
    with open(path, 'rb') as f:
        data = f.read()
    if data[:8] != b'VITTEEV1':
        sys.exit('FAILED: events: no VITTEEV1 header')
    at, records = 8, []
    while at < len(data):
        if len(data) - at < 8:
            return records, True
        n, _check = struct.unpack_from('<II', data, at)
        if len(data) - at - 8 < n:
            return records, True
        records.append(data[at + 8:at + 8 + n])
        at += 8 + n
    return records, False


def finished_page(driver, project, build, tmp, name, line, log_dir, expression):
    """A build with the page and a trace (TMP/NAME.json) that prints `line`:
    the page's state once it shows the end, the value of `expression`
    then, and a screenshot (LOG_DIR/monitor-NAME.png)."""
    d = Driver([driver, project, build, '--cache', os.path.join(tmp, 'cache'), '--monitor', '0',
                '--monitor-linger', '60', '--trace', os.path.join(tmp, name + '.json')])
    try:
        m = d.wait_line(r'^monitor: (http://127\.0\.0\.1:\d+/)$', 60)
        expect(d.wait_line(line, 120) is not None, 'the %s build prints %r' % (name, line))
        with cdp.Browser.start() as browser:
            tab = browser.open(m.group(1))
            expect(bool(tab.wait_for('document.body.dataset.done === "1"', timeout=60)), 'the %s page ends' % name)
            state, value = page_state(tab), tab.evaluate(expression)
            tab.screenshot(os.path.join(log_dir, 'monitor-%s.png' % name))
            return state, value
    finally:
        d.stop()


def main():
    driver, log_dir = sys.argv[1], os.path.abspath(sys.argv[2])
    vitte = sys.argv[3] if len(sys.argv) > 3 else None  # the tool, for `vitte trace`
    if cdp.chromium() is None:
        print('SKIP: chromium is not installed (Debian package chromium; scripts/test installs it)')
        sys.exit(77)
    os.makedirs(log_dir, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix='vitte-monitor-')
    try:
        run(driver, log_dir, tmp, vitte)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(driver, log_dir, tmp, vitte=None):
    project, build = os.path.join(tmp, 'project'), os.path.join(tmp, 'build')
    generated_project(project, UNITS)
    trace_path, events_path = os.path.join(tmp, 'trace.json'), os.path.join(tmp, 'events')
    jobs = 2
    d = Driver([driver, project, build, '--cache', os.path.join(tmp, 'cache'), '-j%d' % jobs, '--monitor', '0',
                '--monitor-linger', '300', '--trace', trace_path, '--ninja-log', os.path.join(build, '.ninja_log'),
                '--events', events_path])
    try:
        m = d.wait_line(r'^monitor: (http://127\.0\.0\.1:\d+/)$', 60)
        expect(m is not None, 'the driver prints the page\'s URL')
        url = m.group(1)
        port = int(url.rsplit(':', 1)[1].strip('/'))
        for host, status in (('attacker.example:%d' % port, 403), ('127.0.0.1', 403),
                             ('localhost:%d' % port, 200), ('127.0.0.1:%d' % port, 200)):
            with socket.create_connection(('127.0.0.1', port), timeout=10) as c:
                c.sendall(('GET /api/status HTTP/1.1\r\nHost: %s\r\n\r\n' % host).encode())
                head = c.recv(64).decode('latin-1')
            expect(head.startswith('HTTP/1.1 %d' % status),
                   'Host %s gets %d (DNS rebinding refused): %r' % (host, status, head[:20]))
        with cdp.Browser.start(width=1440, height=1000) as browser:
            tab = browser.open(url)
            first = tab.wait_for('(() => { const p = document.getElementById("progress");'
                                 ' return +p.dataset.finished >= 20 ? +p.dataset.finished : 0; })()', timeout=120)
            expect(bool(first), 'the page shows steps finishing during the build (%s)' % first)
            tab.wait_for('+document.getElementById("progress").dataset.finished > %d' % first, timeout=60)
            during = page_state(tab)
            expect(during['finished'] > first and not during['done'],
                   'progress advances while the build runs (%d, then %d of %d)'
                   % (first, during['finished'], during['planned']))
            expect(during['external'] == 0, 'the page loads nothing from elsewhere')
            tab.screenshot(os.path.join(log_dir, 'monitor-during.png'))
            print('screenshot:', os.path.join(log_dir, 'monitor-during.png'))
            summary = d.wait_line(r'^(\d+) compiled, (\d+) from the cache, (\d+) up to date, linked$', 600)
            expect(summary is not None, 'the build ends')
            steps = int(summary.group(1)) + int(summary.group(2)) + 1
            expect(steps == UNITS + 2, 'the build ran %d steps' % steps)
            expect(bool(tab.wait_for('document.body.dataset.done === "1"', timeout=30)), 'the page sees the end')
            end = page_state(tab)
            expect(end['finished'] == steps and end['planned'] == steps,
                   'the page counts the build\'s steps: %s' % end['text'])
            expect(end['state'] == 'done', 'the page says done')
            expect(end['drawn'] == steps, 'the timeline draws every step (%d)' % end['drawn'])
            expect(set(end['tiers']) == {'none', 'local', 'http', 'redis', 'cluster'} and end['tiers']['none'] == steps,
                   'every cache tier is shown, with the counts: %r' % end['tiers'])
            expect(len(end['slowest']) == 10, 'ten slowest steps')
            trace, trace_steps, flows = check_trace(trace_path, jobs)
            names = {s['name'] for s in trace_steps}
            expect(len(trace_steps) == steps, 'trace: a complete event per step (%d)' % len(trace_steps))
            expect(len(end['critical']) >= 2 and all(n in names for n in end['critical'])
                   and end['critical'][-1] == 'link app',
                   'the critical path names real steps, the link last: %r' % end['critical'])
            expect(len(flows) == steps - 1, 'trace: a flow from every compile to the link')
            check_in_devtools(browser, trace_path, steps, jobs, steps - 1)
            # Why a step ran: pick one in the table.
            why = tab.evaluate('(() => { document.querySelector("#steps tbody tr").click();'
                               ' return document.getElementById("detail").innerText; })()')
            expect('why it ran' in why and 'never built' in why, 'a step tells why it ran')
            tab.evaluate('window.scrollTo(0, 0)')
            tab.screenshot(os.path.join(log_dir, 'monitor-done.png'))
            print('screenshot:', os.path.join(log_dir, 'monitor-done.png'))
    finally:
        d.stop()
    outputs = [os.path.relpath(s['args']['output'], build) if s['args']['output'].startswith(build + '/')
               else s['args']['output'] for s in trace_steps]
    check_ninja_log(build, outputs, jobs)
    records, torn = read_events(events_path)
    expect(not torn and len(records) == 2 * steps + 2, 'events: %d whole records' % len(records))

    # A build killed half way leaves its events readable; the next build in
    # its directory completes it, and the cache it was writing then holds
    # every object. A project of its own, smaller (fewer compiles to finish
    # it): the first build's cache stays whole for the page of a build from
    # the cache below.
    shutil.rmtree(build)
    k_project, k_build, k_cache = (os.path.join(tmp, 'killed-' + n) for n in ('project', 'build', 'cache'))
    generated_project(k_project, KILLED_UNITS)
    killed = Driver([driver, k_project, k_build, '--cache', k_cache, '-j2', '--events', events_path])
    killed.wait_line(r'compiled$', 60)
    time.sleep(1)
    expect(killed.proc.poll() is None, 'the build is still running when killed')
    killed.proc.send_signal(signal.SIGKILL)
    killed.proc.wait()
    records, torn = read_events(events_path)
    expect(len(records) > 2 and not torn, 'events: a killed build leaves %d whole records' % len(records))
    # `vitte trace` turns them into a valid trace (the steps still running
    # when it was killed drawn unfinished) and a .ninja_log.
    if vitte:
        killed_trace, killed_log = os.path.join(tmp, 'killed.json'), os.path.join(tmp, 'killed_log')
        p = subprocess.run([vitte, 'trace', events_path, '-o', killed_trace, '--ninja-log', killed_log],
                           capture_output=True, text=True, timeout=60)
        expect(p.returncode == 0, 'vitte trace reads the killed build\'s events: ' + p.stderr)
        _, killed_steps, _ = check_trace(killed_trace, 2)
        expect(len(killed_steps) > 0 and any(s['args'].get('unfinished') for s in killed_steps),
               'the killed build\'s trace: %d steps, those running when killed unfinished' % len(killed_steps))
        with open(killed_log) as f:
            expect(f.readline() == '# ninja log v5\n', 'and a .ninja_log')
    subprocess.run([driver, k_project, k_build, '--cache', k_cache, '--quiet'], check=True, capture_output=True,
                   timeout=900)
    shutil.rmtree(k_build)
    p = subprocess.run([driver, k_project, k_build, '--cache', k_cache], capture_output=True, text=True, timeout=900)
    expect(p.returncode == 0 and '0 compiled, %d from the cache' % (KILLED_UNITS + 1) in p.stdout,
           'the cache of the killed build, completed, holds every object')

    # Every object from the local cache (the first build's): the page's tiers say so.
    state, _ = finished_page(driver, project, build, tmp, 'cache', r'^0 compiled, %d from the cache' % (UNITS + 1),
                             log_dir, '0')
    expect(state['tiers']['local'] == UNITS + 1 and state['tiers']['none'] == 1 and state['finished'] == UNITS + 2,
           'the page counts %d steps from the local cache and the link: %r' % (UNITS + 1, state['tiers']))
    _, cache_steps, _ = check_trace(os.path.join(tmp, 'cache.json'), jobs)
    expect(sum(s['args']['cache'] == 'local' for s in cache_steps) == UNITS + 1, 'the trace names the local tier')

    # No step at all: the page says so, the files are empty but valid.
    state, note = finished_page(driver, project, build, tmp, 'noop', r'^nothing to do', log_dir,
                                'document.getElementById("progress-note").textContent + " / " +'
                                ' document.getElementById("uptodate").textContent + " / " +'
                                ' document.getElementById("uptodate-note").textContent')
    expect(state['finished'] == 0 and state['planned'] == 0 and note.startswith('nothing needed to run')
           and note.endswith('/ %d / steps with nothing to do' % (UNITS + 1)),
           'a build of no step: %s; %s' % (state['text'], note))
    _, noop_steps, _ = check_trace(os.path.join(tmp, 'noop.json'), jobs)
    expect(len(noop_steps) == 0, 'a build of no step writes a valid trace without steps')

    # A failing compile: failed on the page and in the trace, with its exit status.
    with open(os.path.join(project, 'broken.c'), 'w') as f:
        f.write('int broken(void) { return }\n')
    state, failed = finished_page(driver, project, build, tmp, 'failed', r'broken\.o  failed', log_dir,
                                  'document.getElementById("failed").textContent')
    expect(state['state'] == 'failed' and failed == '1', 'the page shows the failure')
    _, fail_steps, _ = check_trace(os.path.join(tmp, 'failed.json'), jobs)
    expect([s['args']['status'] for s in fail_steps if s['name'] == 'cc broken.c'] == [1],
           'the trace keeps the failed step and its status')
    print('monitor: every check passed')


main()
