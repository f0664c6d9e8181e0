#!/usr/bin/env python3
"""A test that cannot run on this target: says why and exits 77 (SKIP)."""
import sys

print('SKIP:', ' '.join(sys.argv[1:]))
sys.exit(77)
