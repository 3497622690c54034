#!/usr/bin/env python3
"""Pairs JMH runs of two builds taken in alternating rounds: files ROUND-before-NAME.json and ROUND-after-NAME.json in
DIR (one JMH invocation per build per round, so both builds see the same vCPU placement as often as the machine
allows). Prints, per benchmark and impl, each round's score for both builds and the median of the per-round
after/before ratios. For a ns/op benchmark a ratio below 1 is faster; for a throughput benchmark, above 1.
Usage: before_after.py DIR"""
import glob
import json
import re
import statistics
import sys

d = sys.argv[1]
rows = {}
for path in sorted(glob.glob(d + '/*-*-*.json')):
    m = re.search(r'/(\d+)-(before|after)-(\w+)\.json$', path)
    if not m:
        continue
    try:
        data = json.load(open(path))
    except Exception:
        continue
    for b in data:
        name = b['benchmark'].split('.')[-1]
        impl = b['params'].get('impl')
        extra = b['params'].get('recordSize', '')
        key = (m.group(3), name, impl + (('/' + extra) if extra else ''))
        score = b['primaryMetric']['score']
        # throughput benches with secondary per-op metrics: use primary
        alloc = b['secondaryMetrics'].get('gc.alloc.rate.norm', {}).get('score')
        rows.setdefault(key, {}).setdefault(m.group(2), []).append((int(m.group(1)), score, alloc))
print('| benchmark | method | impl | before (rounds) | after (rounds) | after/before (median of per-round ratios) | B/op after |')
print('|---|---|---|---|---|---|---|')
for key in sorted(rows):
    v = rows[key]
    b = dict((r, s) for r, s, a in v.get('before', []))
    a = dict((r, s) for r, s, a2 in v.get('after', []))
    allocs = [x[2] for x in v.get('after', []) if x[2] is not None]
    ratios = [a[r] / b[r] for r in a if r in b and b[r]]
    fmt = lambda d: ', '.join(f'{d[r]:.1f}' for r in sorted(d))
    print(f'| {key[0]} | {key[1]} | {key[2]} | {fmt(b)} | {fmt(a)} | '
          f'{statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f}) | '
          f'{statistics.median(allocs) if allocs else "-"} |' if ratios else f'| {key} | incomplete |')
