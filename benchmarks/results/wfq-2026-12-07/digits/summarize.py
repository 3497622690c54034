#!/usr/bin/env python3
"""Per setting: ns per request before and after, per round, and after / before per round with its median.
Usage: python3 summarize.py FOLDER"""
import collections, glob, json, re, statistics, sys

folder = sys.argv[1] if len(sys.argv) > 1 else '.'
rows = collections.defaultdict(dict)
for path in glob.glob(folder + '/*-*-*-*.json'):
    r, sizes, tenants, label = re.match(r'.*?(\d+)-(\w+)-(\d+)-(\w+)\.json', path).groups()
    rows[(sizes, int(tenants))][(label, int(r))] = json.load(open(path))[0]['primaryMetric']['score']
for (sizes, tenants) in sorted(rows):
    got = rows[(sizes, tenants)]
    rounds = sorted({r for (_, r) in got})
    before = [got[('before', r)] for r in rounds]
    after = [got[('after', r)] for r in rounds]
    ratio = [a / b for a, b in zip(after, before)]
    print('%-5s %6d tenants  before %-24s after %-24s after/before %-18s median %.2f' % (
        sizes, tenants, ' '.join('%.1f' % x for x in before), ' '.join('%.1f' % x for x in after),
        ' '.join('%.2f' % x for x in ratio), statistics.median(ratio)))
