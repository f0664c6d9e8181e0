"""A small client of the Chrome DevTools Protocol over its WebSocket, in
Python's standard library only: enough to start a headless Chromium, open a
page, evaluate JavaScript in it and take screenshots.

    with cdp.Browser.start() as browser:       # None when chromium is absent
        tab = browser.open('http://127.0.0.1:8080/')
        tab.evaluate('document.title')
        tab.screenshot('page.png')
"""
import base64
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import tempfile
import time
import urllib.request


def chromium():
    """The Chromium program, or None."""
    for name in ('chromium', 'chromium-browser', 'google-chrome'):
        path = shutil.which(name)
        if path:
            return path
    return None


class WebSocket:
    """A client WebSocket (RFC 6455): text frames out, whole messages in."""

    def __init__(self, url, timeout=60):
        m = re.match(r'ws://([^/:]+):(\d+)(/.*)', url)
        self.sock = socket.create_connection((m.group(1), int(m.group(2))), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(('GET %s HTTP/1.1\r\nHost: %s:%s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
                           'Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n'
                           % (m.group(3), m.group(1), m.group(2), key)).encode())
        head = b''
        while b'\r\n\r\n' not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise ConnectionError('the WebSocket handshake ended early')
            head += chunk
        if b' 101 ' not in head.split(b'\r\n')[0]:
            raise ConnectionError('no WebSocket: ' + head.decode(errors='replace'))

    def _exact(self, n):
        out = b''
        while len(out) < n:
            chunk = self.sock.recv(n - len(out))
            if not chunk:
                raise ConnectionError('the WebSocket closed')
            out += chunk
        return out

    def send(self, text):
        data = text.encode()
        mask = os.urandom(4)
        head = bytes([0x81])
        if len(data) < 126:
            head += bytes([0x80 | len(data)])
        elif len(data) < 65536:
            head += bytes([0x80 | 126]) + struct.pack('>H', len(data))
        else:
            head += bytes([0x80 | 127]) + struct.pack('>Q', len(data))
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def receive(self):
        message = b''
        while True:
            b0, b1 = self._exact(2)
            n = b1 & 0x7f
            if n == 126:
                n = struct.unpack('>H', self._exact(2))[0]
            elif n == 127:
                n = struct.unpack('>Q', self._exact(8))[0]
            payload = self._exact(n)  # the server does not mask
            op = b0 & 0x0f
            if op == 8:
                raise ConnectionError('the WebSocket closed')
            if op in (9, 10):  # ping, pong
                continue
            message += payload
            if b0 & 0x80:
                return message.decode()

    def close(self):
        self.sock.close()


class Tab:
    def __init__(self, ws_url):
        self.ws = WebSocket(ws_url)
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({'id': self.next_id, 'method': method, 'params': params}))
        while True:
            reply = json.loads(self.ws.receive())
            if reply.get('id') == self.next_id:
                if 'error' in reply:
                    raise RuntimeError('%s: %s' % (method, reply['error']))
                return reply['result']

    def evaluate(self, expression, await_promise=False):
        """The value of a JavaScript expression (JSON-serialisable)."""
        r = self.call('Runtime.evaluate', expression=expression, returnByValue=True, awaitPromise=await_promise)
        if 'exceptionDetails' in r:
            raise RuntimeError('JavaScript: %s' % json.dumps(r['exceptionDetails'])[:2000])
        return r['result'].get('value')

    def wait_for(self, expression, timeout=60, every=0.2):
        """Evaluates until the value is truthy (an exception counts as false:
        the page may still be loading); returns it (None after the timeout)."""
        end = time.time() + timeout
        while time.time() < end:
            try:
                v = self.evaluate(expression)
            except RuntimeError:  # the page is not there yet
                v = None
            if v:
                return v
            time.sleep(every)
        return None

    def screenshot(self, path, full_page=True, scale=1):
        """A PNG of the page (the whole page, or the window), `scale` times its size."""
        self.call('Page.bringToFront')  # a tab in the background draws no frame to capture
        params = {'format': 'png'}
        if full_page:
            size = self.call('Page.getLayoutMetrics')['cssContentSize']
            params['clip'] = {'x': 0, 'y': 0, 'width': size['width'], 'height': size['height'], 'scale': scale}
            params['captureBeyondViewport'] = True
        elif scale != 1:
            view = self.call('Page.getLayoutMetrics')['cssVisualViewport']
            params['clip'] = {'x': 0, 'y': 0, 'width': view['clientWidth'], 'height': view['clientHeight'],
                              'scale': scale}
        data = self.call('Page.captureScreenshot', **params)['data']
        with open(path, 'wb') as f:
            f.write(base64.b64decode(data))

    def close(self):
        self.ws.close()


class Browser:
    """A headless Chromium with a DevTools port, stopped on exit."""

    @staticmethod
    def start(width=1400, height=1000):
        program = chromium()
        if program is None:
            return None
        return Browser(program, width, height)

    def __init__(self, program, width, height):
        self.profile = tempfile.mkdtemp(prefix='vitte-chromium-')
        self.proc = subprocess.Popen(
            [program, '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--no-default-browser-check',
             '--disable-extensions', '--disable-background-networking', '--user-data-dir=' + self.profile,
             '--remote-debugging-address=127.0.0.1', '--remote-debugging-port=0',
             '--window-size=%d,%d' % (width, height), 'about:blank'],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.port = None
        end = time.time() + 60
        while time.time() < end and self.port is None:
            line = self.proc.stderr.readline()
            if not line and self.proc.poll() is not None:
                break
            m = re.search(r'DevTools listening on ws://127\.0\.0\.1:(\d+)/', line)
            if m:
                self.port = int(m.group(1))
        if self.port is None:
            self.close()
            raise RuntimeError('chromium did not start its DevTools server')

    def open(self, url):
        req = urllib.request.Request('http://127.0.0.1:%d/json/new?%s' % (self.port, url), method='PUT')
        with urllib.request.urlopen(req, timeout=30) as r:
            target = json.loads(r.read())
        tab = Tab(target['webSocketDebuggerUrl'])
        tab.call('Page.enable')
        tab.call('Runtime.enable')
        return tab

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
