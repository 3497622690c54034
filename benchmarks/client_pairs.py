#!/usr/bin/env python3
"""Pairs the alternating client runs of run-client-alternating.sh: per round, the client (Plane; and where measured
PlaneSpareCores: 128 spins and 8 yields; PlanePark: parking at once; PlaneSpin16: 16 spins, no yield) against the
minimal JCTools loop (two threads) and, where measured, the minimal JCTools relay (three threads, the client's shape),
with each fork's spin round trip (its vCPU placement), and the medians of the per-round ratios.
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
subjects = [p for p in ('Plane', 'PlaneSpareCores', 'PlanePark', 'PlaneSpin16') if any(p in v for v in rows.values())]
peers = [p for p in ('JCToolsLoop', 'JCToolsRelay') if any(p in v for v in rows.values())]
pairs = [(a, b) for a in subjects for b in peers]
names = subjects + peers
print('| round | ' + ' | '.join(f'{n} calls/µs (spin rtt ns)' for n in names) + ' | '
      + ' | '.join(f'{a}/{b}' for a, b in pairs) + ' |')
print('|---' * (1 + len(names) + len(pairs)) + '|')
ratios = {pair: [] for pair in pairs}
for r in sorted(rows):
    if not all(n in rows[r] for n in names):
        continue
    for a, b in pairs:
        ratios[(a, b)].append(rows[r][a][0] / rows[r][b][0])
    print(f'| {r} | ' + ' | '.join(f'{rows[r][n][0]:.2f} ({rows[r][n][1]:.0f})' for n in names) + ' | '
          + ' | '.join(f'{ratios[pair][-1]:.2f}' for pair in pairs) + ' |')
for impl in names:
    xs = [v[impl] for v in rows.values() if impl in v]
    print(f'\n{impl}: median {statistics.median(x[0] for x in xs):.2f} calls/µs '
          f'(min {min(x[0] for x in xs):.2f}, max {max(x[0] for x in xs):.2f}), '
          f'{statistics.median(x[2] for x in xs):.1f} B/op')
for a, b in pairs:
    xs = ratios[(a, b)]
    print(f'\nmedian of the per-round {a}/{b} ratios: {statistics.median(xs):.2f} (min {min(xs):.2f}, max {max(xs):.2f})')
