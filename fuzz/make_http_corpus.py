#!/usr/bin/env python3
"""fuzz/make_http_corpus.py [DIR] - seeds for fuzz_http (responses as
servers send them: Content-Length, chunked with extensions and trailers,
until-close, interim 100, HEAD answers, URLs) and fuzz_remote (RESP2
replies, Bazel ActionResult entries). The first byte of an http seed picks
the split and whether it answers HEAD; its top four bits the fault clock's
cost of each transport call (40 ms steps)."""
import os
import sys


def varint(v):
    out = b''
    while v >= 0x80:
        out += bytes([(v & 0x7f) | 0x80])
        v >>= 7
    return out + bytes([v])


def ld(field, data):
    return varint(field << 3 | 2) + varint(len(data)) + data


def action_result(path, hexdigest, size):
    digest = ld(1, hexdigest.encode()) + varint(2 << 3) + varint(size)
    return ld(2, ld(1, path.encode()) + ld(2, digest))


def main(out):
    http = {
        'length': b'\x02HTTP/1.1 200 OK\r\nContent-Length: 5\r\nServer: nginx\r\n\r\nhello',
        'chunked': b'\x04HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'
                   b'5;x=y\r\nhello\r\n3\r\nabc\r\n0\r\nT: v\r\n\r\n',
        'close': b'\x06HTTP/1.0 200 OK\r\n\r\nto the end',
        'interim': b'\x08HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n',
        'head': b'\x01HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n',
        'notfound': b'\x0aHTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: 9\r\n'
                    b'Connection: close\r\n\r\nnot found',
        'url': b'\x00http://user:pw@[::1]:8080/cache/ac?x=1#f',
        # For the client: "$A" is the Authorization value it sent, "$T" the
        # token, "$P" the URL's password, "$S" and "$O" configured secrets
        # ("$O" and "$P" hold a backslash and a '%'), "$K" a request header's
        # value (fuzz_http.cpp substitutes them).
        'echo_403': b'\x02HTTP/1.1 403 Forbidden: $A\r\nContent-Length: 0\r\n\r\n',
        'echo_401_put': b'\x0aHTTP/1.1 401 $T $P $S $K\r\nWWW-Authenticate: $A\r\nContent-Length: 2\r\n\r\n$T',
        'echo_302': b'\x02HTTP/1.1 302 Found\r\nLocation: /x?t=$T&p=$P\r\nContent-Length: 0\r\n\r\n'
                    b'HTTP/1.1 404 $A\r\nContent-Length: 0\r\n\r\n',
        'echo_redirect_loop': b'\x03HTTP/1.1 307 $T\r\nLocation: /$T\r\nContent-Length: 0\r\n\r\n' * 5,
        'echo_bare_lf': b'\x02HTTP/1.1 200 $A\nContent-Length: 0\n\n',
        'echo_not_http': b'\x02$A $T\r\n\r\n',
        'echo_h2': b'\x02PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
        'echo_truncated': b'\x06HTTP/1.1 200 $K\r\nContent-Length: 99\r\n\r\n$T',
        'echo_odd': b'\x02HTTP/1.1 302 $O $P\r\nLocation: /x?o=$O&p=$P\r\nContent-Length: 0\r\n\r\n'
                    b'HTTP/1.1 404 $O%25 \\$P\r\nContent-Length: 0\r\n\r\n',
        'echo_stream': b'\x04HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 413 $S $A\r\nContent-Length: 0\r\n\r\n',
        # Slow and silent servers against the 2 s deadline: "$W" is a server
        # that stops sending (the transport waits until its deadline).
        'slow_body': b'\xf2HTTP/1.1 200 OK\r\nContent-Length: 200\r\n\r\n' + b'x' * 200,
        'slow_interim': b'\x52' + b'HTTP/1.1 100 Continue\r\n\r\n' * 20,
        'silent_head': b'\x12HTTP/1.1 200 OK\r\nContent-Le$W',
        'silent_body': b'\x36HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc$Wdef',
        'silent_upload': b'\x2cHTTP/1.1 100 Continue\r\n\r\n$W',
    }
    remote = {
        'bulk': b'$5\r\nhello\r\n',
        'nil': b'$-1\r\n',
        'ok': b'+OK\r\n',
        'err': b'-ERR wrong number of arguments\r\n',
        'int': b':1\r\n',
        'array': b'*3\r\n$3\r\nfoo\r\n:7\r\n*1\r\n+x\r\n',
        'ac_result': action_result('vitte/result', 'ab' * 32, 4096),
        'ac_manifest': action_result('vitte/manifest', '0f' * 32, 120),
    }
    for sub, seeds in (('http', http), ('remote', remote)):
        d = os.path.join(out, sub)
        os.makedirs(d, exist_ok=True)
        for name, data in seeds.items():
            with open(os.path.join(d, name), 'wb') as f:
                f.write(data)


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), 'corpus'))
