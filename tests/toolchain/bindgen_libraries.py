#!/usr/bin/env python3
"""The installed C libraries the bindgen tests bind, in one place: the
dynamic host's test (bindgen_test.py) imports LIBRARIES, and Meson reads
them at configure time for the static host's test (tests/meson.build:
`bindgen_libraries.py meson` prints one library a line, its fields
separated by tabs, the items of a list by spaces).

Each: name (of bindgen/NAME.cpp and bindgen/NAME_direct.c), headers,
vitte bindgen's arguments, -I for the direct C file, the library to link
(-lLIB) and load (libLIB.so), and the pkg-config name of its static
archive for a static host (None: linked by -lLIB alone).
"""
import os
import subprocess
import sys

LIBRARIES = [
    ('zlib', ['zlib.h'], ['--module', 'zlib'], [], 'z', 'zlib'),
    ('sqlite3', ['sqlite3.h'],
     ['--module', 'sqlite', '--optional',
      'sqlite3_(win32|mutex_held|mutex_notheld|stmt_scanstatus|snapshot|unlock_notify|column_(database|table|origin)'
      '_name|enable_load|load_extension|normalized_sql).*'], [], 'sqlite3', 'sqlite3'),
    ('lua', ['lua5.4/lua.h', 'lua5.4/lauxlib.h', 'lua5.4/lualib.h'], ['--module', 'lua'], ['-I/usr/include/lua5.4'],
     'lua5.4', 'lua5.4'),
    ('curl', ['curl/curl.h'], ['--allow', 'curl_.*|CURL.*', '--module', 'curl'], [], 'curl', 'libcurl'),
    ('xml', ['libxml/parser.h', 'libxml/tree.h'], ['-I', '/usr/include/libxml2', '--module', 'xml'],
     ['-I/usr/include/libxml2'], 'xml2', 'libxml-2.0'),
]



def library_file(lib, cc='cc'):
    """libLIB.so's file as the C compiler links it (its real path), or None."""
    path = subprocess.run([cc, f'-print-file-name=lib{lib}.so'], capture_output=True, text=True).stdout.strip()
    return os.path.realpath(path) if os.path.isabs(path) and os.path.exists(path) else None


if __name__ == '__main__' and sys.argv[1:] == ['meson']:
    for name, headers, args, includes, lib, pkg in LIBRARIES:
        fields = [name, ' '.join(headers), ' '.join(args), ' '.join(includes), lib, pkg]
        assert all('\t' not in f and '\n' not in f for f in fields)
        assert all(' ' not in item for item in headers + args + includes)
        print('\t'.join(fields))
