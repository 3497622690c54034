"""Prints the table of this folder's runs: per round the score (ns per submit) of each run, then per setting the
median, the median of the per-round ratios to the executor's score, the worker's tasks per iteration and B/op."""
import glob
import json
import re
import statistics
import sys

folder = sys.argv[1] if len(sys.argv) > 1 else "."
runs = {}
for path in sorted(glob.glob(f"{folder}/*-t*-*.json")):
    r, t, label = re.match(r".*/(\d+)-t(\d)-(\w+)\.json", path).groups()
    data = json.load(open(path))
    if not data:
        continue
    primary = data[0]["primaryMetric"]["score"]
    norms = [m["score"] for k, m in data[0]["secondaryMetrics"].items() if k.endswith("gc.alloc.rate.norm")]
    alloc = norms[0] if norms else float("nan")
    log = open(path[:-4] + "log").read()
    ran = [int(n) for n in re.findall(r"ran (\d+) tasks", log)][-5:]
    runs[(int(t), label, int(r))] = (primary, alloc, statistics.median(ran) if ran else float("nan"))
for t in (1, 2):
    print(f"## {t} submitting thread{'s' if t > 1 else ''}")
    labels = [l for l in ("before", "lanes1", "lanes2", "tpe", "channel") if any(k[:2] == (t, l) for k in runs)]
    rounds = sorted({k[2] for k in runs if k[0] == t})
    print("| setting | ns per submit, rounds | median | / executor (median of per-round ratios) |"
          " worker's tasks per iteration (median) | B/op |")
    print("|---|---|---:|---:|---:|---:|")
    for label in labels:
        scores = [runs[(t, label, r)][0] for r in rounds if (t, label, r) in runs]
        ratios = [runs[(t, label, r)][0] / runs[(t, "tpe", r)][0] for r in rounds
                  if (t, label, r) in runs and (t, "tpe", r) in runs]
        ran = statistics.median([runs[(t, label, r)][2] for r in rounds if (t, label, r) in runs])
        alloc = statistics.median([runs[(t, label, r)][1] for r in rounds if (t, label, r) in runs])
        print(f"| {label} | {', '.join(f'{s:.1f}' for s in scores)} | {statistics.median(scores):.1f} | "
              f"{statistics.median(ratios):.2f} | {ran / 1e6:.2f} M | {alloc:.2f} |")
    print()
