#!/usr/bin/env python3
"""Prints the per-round scores, medians and per-round ratios of the runs in this folder (run.sh's output)."""
import glob, json, os, re, statistics
from collections import defaultdict

here = os.path.dirname(os.path.abspath(__file__))
scores = defaultdict(dict)  # (benchmark, subscribers) -> {impl: {round: score}}
for path in sorted(glob.glob(os.path.join(here, 'publish*-r*.json'))):
    m = re.match(r'(publish64|publish)-(\w+)-r(\d+)\.json', os.path.basename(path))
    bench, impl, rnd = m.group(1), m.group(2), int(m.group(3))
    try:
        rows = json.load(open(path))
    except ValueError:
        continue  # a run still under way
    for row in rows:
        key = (bench, int(row['params']['subscribers']))
        scores[key].setdefault(impl, {})[rnd] = row['primaryMetric']['score']
for key in sorted(scores):
    print(f'== {key[0]}, {key[1]} subscriber(s): elements/us each subscriber receives')
    impls = scores[key]
    for impl, by_round in impls.items():
        vals = [by_round[r] for r in sorted(by_round)]
        print(f'  {impl:24s} median {statistics.median(vals):8.2f}   rounds ' + ', '.join(f'{v:.2f}' for v in vals))
    for ours, peer in [('tpcbridgeBusySpinYield', 'DisruptorYield'), ('tpcbridgeBusySpinYield', 'Disruptor'),
                       ('tpcbridgeBusySpin', 'Disruptor'), ('tpcbridgeParkNanos', 'Disruptor')]:
        if ours in impls and peer in impls:
            rounds = sorted(set(impls[ours]) & set(impls[peer]))
            ratios = [impls[ours][r] / impls[peer][r] for r in rounds]
            print(f'  {ours} / {peer}: median of per-round ratios {statistics.median(ratios):.2f}  ('
                  + ', '.join(f'{x:.2f}' for x in ratios) + ')')
cost = os.path.join(here, 'cost.json')
if os.path.exists(cost):
    print('== MulticastCostBenchmark (ns/op, 3 forks: median of fork means)')
    for row in json.load(open(cost)):
        forks = [statistics.mean(f) for f in row['primaryMetric']['rawData']]
        alloc = row.get('secondaryMetrics', {}).get('gc.alloc.rate.norm', {}).get('score')
        print(f"  {row['benchmark'].split('.')[-1]:12s} {row['params']['impl']:18s} median {statistics.median(forks):7.2f}"
              f"  forks {', '.join(f'{x:.2f}' for x in forks)}  alloc {alloc:.5f} B/op" if alloc is not None else '')

# publish-merged.json: each implementation's rounds as the forks of one result, for ResultsChart (one row per
# implementation and subscriber count; a "fork" there is a round here, each in its own JVM, rounds alternating).
merged = {}
for path in sorted(glob.glob(os.path.join(here, 'publish-*-r*.json'))):
    try:
        rows = json.load(open(path))
    except ValueError:
        continue
    for row in rows:
        key = (row['benchmark'], row['params']['impl'], row['params']['subscribers'])
        if key not in merged:
            merged[key] = json.loads(json.dumps(row))
            merged[key]['forks'] = 0
            merged[key]['primaryMetric']['rawData'] = []
        m = merged[key]
        m['forks'] += 1
        m['primaryMetric']['rawData'].extend(row['primaryMetric']['rawData'])
for m in merged.values():
    values = [v for fork in m['primaryMetric']['rawData'] for v in fork]
    m['primaryMetric']['score'] = statistics.mean(values)
    m['primaryMetric']['scoreError'] = 'NaN'  # as JMH writes it
with open(os.path.join(here, 'publish-merged.json'), 'w') as out:
    json.dump(sorted(merged.values(), key=lambda r: (r['benchmark'], r['params']['impl'],
                                                     int(r['params']['subscribers']))), out, indent=2)
