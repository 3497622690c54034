#!/usr/bin/env python3
"""Pairs the alternating client runs of run-client-alternating.sh: per round, the client (Plane) against the minimal
JCTools loop (two threads) and, where measured, the minimal JCTools relay (three threads, the client's shape), with
each fork's spin round trip (its vCPU placement), and the medians of the per-round ratios.
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
peers = [p for p in ('JCToolsLoop', 'JCToolsRelay') if any(p in v for v in rows.values())]
print('| round | Plane calls/µs (spin rtt ns) | ' + ' | '.join(f'{p} calls/µs (spin rtt ns)' for p in peers) + ' | '
      + ' | '.join(f'Plane/{p}' for p in peers) + ' |')
print('|---' * (2 + 2 * len(peers)) + '|')
ratios = {p: [] for p in peers}
for r in sorted(rows):
    plane = rows[r].get('Plane')
    if not plane or not all(p in rows[r] for p in peers):
        continue
    cells, quotients = [], []
    for p in peers:
        peer = rows[r][p]
        ratios[p].append(plane[0] / peer[0])
        cells.append(f'{peer[0]:.2f} ({peer[1]:.0f})')
        quotients.append(f'{ratios[p][-1]:.2f}')
    print(f'| {r} | {plane[0]:.2f} ({plane[1]:.0f}) | ' + ' | '.join(cells) + ' | ' + ' | '.join(quotients) + ' |')
for impl in ['Plane'] + peers:
    xs = [v[impl] for v in rows.values() if impl in v]
    print(f'\n{impl}: median {statistics.median(x[0] for x in xs):.2f} calls/µs '
          f'(min {min(x[0] for x in xs):.2f}, max {max(x[0] for x in xs):.2f}), '
          f'{statistics.median(x[2] for x in xs):.1f} B/op')
for p in peers:
    print(f'\nmedian of the per-round Plane/{p} ratios: {statistics.median(ratios[p]):.2f} '
          f'(min {min(ratios[p]):.2f}, max {max(ratios[p]):.2f})')
