#!/usr/bin/env python3
"""Per load, threads and implementation: the median over rounds of the score (wall ns per submit), of the submitters'
CPU ns per submit (the measured iterations' [cpu] lines: CPU time over submits, all submitting threads together), of
the share of a CPU each submitter had, of the CPUs the process kept busy, of the submits a second (all submitters
together) and of the tasks the worker ran a second; and the ratios to the executor. With
work > 0 the work alone (impl None, same threads) is subtracted from both the wall and the CPU figure."""
import collections, glob, json, re, statistics, sys

folder = sys.argv[1] if len(sys.argv) > 1 else '.'
rows = collections.defaultdict(dict)  # (w, t, label) -> round -> (wall, cpu, share, busy)
for log in glob.glob(folder + '/*-t*-w*-*.log'):
    r, t, w, label = re.match(r'.*/(\d+)-t(\d+)-w(\d+)-(\w+)\.log', log).groups()
    text = open(log).read()
    t, w = int(t), int(w)
    cpu = re.findall(r'\[cpu\] submits=(\d+) cpu_ns=(\d+) wall_ns=(\d+)', text)[-5 * t:]
    busy = [float(x) for x in re.findall(r'process cpus busy ([\d.]+)', text)][-5:]
    ran = [int(x) for x in re.findall(r'ran (\d+) tasks', text)][-5:]
    data = json.load(open(log[:-4] + '.json'))
    score = data[0]['primaryMetric']['score']
    submits = sum(int(c[0]) for c in cpu)
    seconds = sum(int(c[2]) for c in cpu) / t / 1e9  # the measured iterations' wall time
    rows[(w, t, label)][int(r)] = (score, sum(int(c[1]) for c in cpu) / submits,
                                   statistics.mean(int(c[1]) / int(c[2]) for c in cpu), statistics.mean(busy),
                                   submits / seconds / 1e6, sum(ran) / seconds / 1e6)
for (w, t, label) in sorted(rows):
    if label == 'none':
        continue
    per = rows[(w, t, label)]
    tpe = rows[(w, t, 'tpe')]
    base = rows.get((w, t, 'none'), {})
    rounds = sorted(per)
    wall = [per[r][0] - (base[r][0] if base else 0) for r in rounds]
    cpu = [per[r][1] - (base[r][1] if base else 0) for r in rounds]
    twall = [tpe[r][0] - (base[r][0] if base else 0) for r in rounds]
    tcpu = [tpe[r][1] - (base[r][1] if base else 0) for r in rounds]
    print('work=%-3d t=%d %-6s wall ns %-20s med %6.1f /tpe %.2f | cpu ns %-20s med %6.1f /tpe %.2f | '
          'cpu share %.2f  process busy %.2f | submits %5.1f M/s  ran %5.1f M/s' % (
              w, t, label, ' '.join('%.1f' % x for x in wall), statistics.median(wall),
              statistics.median(a / b for a, b in zip(wall, twall)),
              ' '.join('%.1f' % x for x in cpu), statistics.median(cpu),
              statistics.median(a / b for a, b in zip(cpu, tcpu)),
              statistics.median(per[r][2] for r in rounds), statistics.median(per[r][3] for r in rounds),
              statistics.median(per[r][4] for r in rounds), statistics.median(per[r][5] for r in rounds)))
