#!/usr/bin/env python3
"""Pairs the alternating client runs of run-client-alternating.sh: per round, the client (Plane) against the minimal
JCTools loop, with each fork's spin round trip (its vCPU placement), and the median of the per-round ratios.
Usage: client_pairs.py DIR"""
import glob
import json
import re
import statistics
import sys

rows = {}
for path in sorted(glob.glob(sys.argv[1] + '/*-*.json')):
    m = re.search(r'/(\d+)-(\w+)\.json$', path)
    data = json.load(open(path)) if m else None
    if not data:
        continue
    bench = data[0]
    sm = bench['secondaryMetrics']
    rows.setdefault(int(m.group(1)), {})[m.group(2)] = (
        bench['primaryMetric']['score'], sm['spin.rtt']['score'], sm.get('gc.alloc.rate.norm', {}).get('score'))
print('| round | Plane calls/µs (spin rtt ns) | JCToolsLoop calls/µs (spin rtt ns) | Plane/JCToolsLoop |')
print('|---|---|---|---|')
ratios = []
for r in sorted(rows):
    plane, loop = rows[r].get('Plane'), rows[r].get('JCToolsLoop')
    if plane and loop:
        ratios.append(plane[0] / loop[0])
        print(f'| {r} | {plane[0]:.2f} ({plane[1]:.0f}) | {loop[0]:.2f} ({loop[1]:.0f}) | {ratios[-1]:.2f} |')
for impl in ('Plane', 'JCToolsLoop'):
    xs = [v[impl] for v in rows.values() if impl in v]
    print(f'\n{impl}: median {statistics.median(x[0] for x in xs):.2f} calls/µs '
          f'(min {min(x[0] for x in xs):.2f}, max {max(x[0] for x in xs):.2f}), '
          f'{statistics.median(x[2] for x in xs):.1f} B/op')
print(f'\nmedian of the per-round ratios: {statistics.median(ratios):.2f} (min {min(ratios):.2f}, max {max(ratios):.2f})')
