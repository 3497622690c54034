#!/usr/bin/env python3
"""Per tenant count: ns per request before and after, per round, after / before per round and its median.
Usage: python3 summarize.py FOLDER (reads before-round<N>.json and after-round<N>.json, as run.sh writes them)"""
import collections, glob, json, re, statistics, sys

folder = sys.argv[1] if len(sys.argv) > 1 else '.'
rows = collections.defaultdict(dict)
for path in glob.glob(folder + '/*-round*.json'):
    side, r = re.match(r'.*?(before|after)-round(\d+)\.json', path).groups()
    for b in json.load(open(path)):
        rows[int(b['params']['tenants'])][(side, int(r))] = b['primaryMetric']['score']
for tenants in sorted(rows):
    got = rows[tenants]
    rounds = sorted({r for (_, r) in got if ('before', r) in got and ('after', r) in got})
    before = [got[('before', r)] for r in rounds]
    after = [got[('after', r)] for r in rounds]
    ratio = [a / b for a, b in zip(after, before)]
    print('%6d tenants  before %-26s after %-26s after/before %-20s median %.2f' % (
        tenants, ' '.join('%.1f' % x for x in before), ' '.join('%.1f' % x for x in after),
        ' '.join('%.2f' % x for x in ratio), statistics.median(ratio)))
