#!/usr/bin/env python3
"""Per load, submitters and version: wall ns per submit per round (less the work alone with work > 0), its median,
the ratio to the executor in the same round, the submitters' CPU ns per submit; then, per round, each version with a
lane count in its name (after1, lag2, ...) against the reference with the same count (before1, or base1 in
explore/). Usage: python3 summarize.py FOLDER (this folder, explore/ or explore-tail/)."""
import collections, glob, json, re, statistics, sys

folder = sys.argv[1] if len(sys.argv) > 1 else '.'
rows = collections.defaultdict(dict)
for log in glob.glob(folder + '/*-t*-w*-*.log'):
    r, t, w, label = re.match(r'.*?(\d+)-t(\d+)-w(\d+)-(\w+)\.log', log).groups()
    score = json.load(open(log[:-4] + '.json'))[0]['primaryMetric']['score']
    t = int(t)
    cpu = re.findall(r'\[cpu\] submits=(\d+) cpu_ns=(\d+) wall_ns=(\d+)', open(log).read())[-5 * t:]
    rows[(int(w), t, label)][int(r)] = (score, sum(int(c[1]) for c in cpu) / sum(int(c[0]) for c in cpu))


def less_work(w, t, label, r, i):
    base = rows.get((w, t, 'none'), {})
    return rows[(w, t, label)][r][i] - (base[r][i] if base else 0)


for (w, t, label) in sorted(rows):
    if label == 'none':
        continue
    rounds = sorted(rows[(w, t, label)])
    wall = [less_work(w, t, label, r, 0) for r in rounds]
    ratio = [less_work(w, t, label, r, 0) / less_work(w, t, 'tpe', r, 0) for r in rounds]
    cpu = [less_work(w, t, label, r, 1) for r in rounds]
    print('work=%-2d t=%d %-8s wall ns %-30s med %6.1f  /tpe %-24s med %.2f  cpu ns med %.1f' % (
        w, t, label, ' '.join('%.1f' % x for x in wall), statistics.median(wall),
        ' '.join('%.2f' % x for x in ratio), statistics.median(ratio), statistics.median(cpu)))
print()
for (w, t, label) in sorted(rows):
    m = re.match(r'([a-z]+)(\d)$', label)
    if not m or m.group(1) in ('before', 'base'):
        continue
    reference = next(r + m.group(2) for r in ('before', 'base') if (w, t, r + m.group(2)) in rows)
    rounds = sorted(rows[(w, t, label)])
    ratio = [less_work(w, t, label, r, 0) / less_work(w, t, reference, r, 0) for r in rounds]
    print('work=%-2d t=%d %-8s / %-8s %s  median %.2f' % (
        w, t, label, reference, ' '.join('%.2f' % x for x in ratio), statistics.median(ratio)))
