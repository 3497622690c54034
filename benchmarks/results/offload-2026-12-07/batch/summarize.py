"""Tables from run.sh's JSON: ns per submit per round, medians, and per-round ratios to the executor; with work > 0
the figure less that of impl=None (the work alone) in the same round. Usage: python3 summarize.py DIR"""
import collections, glob, json, os, re, statistics, sys

d = sys.argv[1] if len(sys.argv) > 1 else '.'
res = collections.defaultdict(dict)
ran = collections.defaultdict(dict)
for f in glob.glob(os.path.join(d, '*.json')):
    r, t, w, label = re.match(r'(\d+)-t(\d)-w(\d+)-(\w+)\.json', os.path.basename(f)).groups()
    j = json.load(open(f))[0]
    sm = j['secondaryMetrics']
    norm = [k for k in sm if 'alloc.rate.norm' in k]
    res[(int(w), int(t), label)][int(r)] = (j['primaryMetric']['score'], sm[norm[0]]['score'] if norm else float('nan'))
    log = f[:-5] + '.log'
    counts = [int(x) for x in re.findall(r'ran (\d+) tasks', open(log).read())][-5:]
    ran[(int(w), int(t), label)][int(r)] = statistics.mean(counts) if counts else float('nan')
for (w, t, label), v in sorted(res.items()):
    if label == 'none':
        continue
    rounds = sorted(v)
    base = res.get((w, t, 'none'), {})
    cost = {r: v[r][0] - (base[r][0] if r in base else 0) for r in rounds}
    tpe = res[(w, t, 'tpe')]
    tpe_cost = {r: tpe[r][0] - (base[r][0] if r in base else 0) for r in tpe}
    ratios = [cost[r] / tpe_cost[r] for r in rounds if r in tpe_cost]
    print('work=%-3d t=%d %-8s ns/submit %-24s median %7.1f  /tpe %-16s median %.2f  ran/s %5.2f M  B/op %.2f' % (
        w, t, label, ' '.join('%.1f' % cost[r] for r in rounds), statistics.median(cost.values()),
        ' '.join('%.2f' % x for x in ratios), statistics.median(ratios),
        statistics.median(ran[(w, t, label)].values()) / 1e6, max(v[r][1] for r in rounds)))
for (w, t, label), v in sorted(res.items()):
    if label == 'none':
        print('work=%-3d t=%d none: the work alone, ns/op per round: %s' % (w, t, ' '.join('%.1f' % v[r][0] for r in sorted(v))))
