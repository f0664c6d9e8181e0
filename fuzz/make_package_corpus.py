#!/usr/bin/env python3
"""Seeds for fuzz/fuzz_package.cpp (fuzz/corpus/package): a signify public
key, secret key (no passphrase) and embedded signature, a .deb's ar layout,
a manifest.json and a SHA256SUMS list, each behind the byte that selects its
reader, plus a few near misses. Deterministic: run it to regenerate."""
import base64
import hashlib
import json
import pathlib

out = pathlib.Path(__file__).resolve().parent / 'corpus' / 'package'
out.mkdir(parents=True, exist_ok=True)
seeds = {}
num = bytes(range(8))
pub = b'Ed' + num + bytes(range(32, 64))
seeds['public_key'] = b'\0untrusted comment: k\n' + base64.b64encode(pub) + b'\n'
seeds['public_key_bad_b64'] = b'\0untrusted comment: k\n' + base64.b64encode(pub)[:-2] + b'!!\n'
secret = bytes(range(64))
sec = b'EdBK' + bytes(4) + bytes(16) + hashlib.sha512(secret).digest()[:8] + num + secret
seeds['secret_key'] = b'\1untrusted comment: s\n' + base64.b64encode(sec) + b'\n'
seeds['secret_key_locked'] = b'\1untrusted comment: s\n' + base64.b64encode(b'EdBK\0\0\0\x2a' + sec[8:]) + b'\n'
sums = b'SHA256 (hello-1.0-x86_64-unknown-linux-gnu.tar.gz) = ' + b'ab' * 32 + b'\nSHA256 (manifest.json) = ' + b'cd' * 32 + b'\n'
seeds['signature'] = b'\2untrusted comment: verify with k.pub\n' + base64.b64encode(b'Ed' + num + bytes(64)) + b'\n' + sums
def ar(members):
    a = b'!<arch>\n'
    for name, data in members:
        a += b'%-16s%-12d%-6d%-6d%-8s%-10d`\n' % (name, 0, 0, 0, b'100644', len(data)) + data + (b'\n' if len(data) % 2 else b'')
    return a
seeds['deb'] = b'\3' + ar([(b'debian-binary', b'2.0\n'), (b'control.tar.gz', b'\x1f\x8b' + bytes(20)), (b'data.tar.gz', b'x' * 33)])
seeds['deb_cut'] = seeds['deb'][:90]
manifest = {'schema': 'vitte.package', 'schema_version': 1, 'name': 'hello', 'version': '1.0', 'target': 'x86_64-unknown-linux-gnu',
            'format': 'tar.gz', 'archive': {'file': 'hello.tar.gz', 'size': 100, 'sha256': 'ab' * 32}, 'members': [],
            'entries': [{'path': 'hello', 'type': 'directory', 'mode': '0755', 'size': 0},
                        {'path': 'hello/bin/x', 'type': 'file', 'mode': '0755', 'size': 3, 'sha256': 'cd' * 32},
                        {'path': 'hello/l', 'type': 'symlink', 'mode': '0777', 'size': 0, 'link': 'bin/x'}]}
seeds['manifest'] = b'\4' + json.dumps(manifest, indent=2).encode()
seeds['json_escapes'] = b'\4{"a": "\\u00e9\\ud83d\\ude00\\n", "b": [1, -2.5e3, true, false, null]}'
seeds['sums'] = b'\5' + sums
seeds['sums_gnu'] = b'\5' + b'ab' * 32 + b'  file.tar.gz\n'
for name, data in seeds.items():
    (out / name).write_bytes(data)
print(f'{len(seeds)} seeds in {out}')
