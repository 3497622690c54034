#!/usr/bin/env python3
"""Turns JMH JSON results of the ring benchmarks into the markdown tables of benchmarks/results/.

Cross-thread results are split by the spin round trip recorded in each fork (SpinRoundTripProfiler): the two vCPUs
sit near each other (round trip < NEAR_NS) or far apart, and results swing 3-5x between the two placement classes,
so a figure is compared with its peers' figures in the same class. Usage: report.py CROSS.json [SINGLE.json]
"""
import json
import statistics
import sys

NEAR_NS = 150.0
# The subject of a table is the first of these among its impls; ratios are subject/impl.
# Sampled benchmarks whose rows have their own peer in the same run (the bridge's round trips).
PEER_OF = {"BridgeSpin": "JCToolsSpin", "BridgeParked": "UnparkParked", "CoreParked": "UnparkParked",
           "ClientSpin": "ExecutorJoin",
           "ClientJoin": "ExecutorJoin"}
SUBJECTS = ("Plane", "Client", "WakingSpscRing", "WakingRing", "SpscRing", "MpscRing", "SlabPool", "SpscLogBuffer", "MpscLogBuffer")


def mean(xs):
    return sum(xs) / len(xs)


def forks(bench):
    sm = bench["secondaryMetrics"]
    data = sm["pollsMade"]["rawData"] if "pollsMade" in sm else bench["primaryMetric"]["rawData"]
    rtts = sm["spin.rtt"]["rawData"]
    return [(mean(d), mean(r)) for d, r in zip(data, rtts)]


def alloc(bench):
    sm = bench["secondaryMetrics"]
    return sm["gc.alloc.rate.norm"]["score"] if "gc.alloc.rate.norm" in sm else float("nan")


def fmt(x, digits=None):
    """digits=None: one decimal from 10 up, two from 1, three below (64 KiB pages cross at ~0.1 per µs)."""
    if x is None:
        return "-"
    if digits is None:
        digits = 1 if abs(x) >= 10 else 2 if abs(x) >= 1 else 3
    return f"{x:.{digits}f}"


def med(xs):
    return statistics.median(xs) if xs else None


def cross_thread(results):
    by_bench = {}
    for b in results:
        name = b["benchmark"].split(".")[-2] + "." + b["benchmark"].split(".")[-1]
        # Params other than impl (a batch size, a capacity) make separate tables, so that impls compare like with like
        # (offerPoll ignores batch: its tables per batch value are separate runs of the same thing).
        others = ", ".join(f"{k}={v}" for k, v in sorted(b.get("params", {}).items()) if k != "impl")
        by_bench.setdefault(name + (f" [{others}]" if others else ""), []).append(b)
    out = []
    for name, benches in by_bench.items():
        rows = {}
        for b in benches:
            f = forks(b)
            near = [t for t, r in f if r < NEAR_NS]
            far = [t for t, r in f if r >= NEAR_NS]
            rows[b["params"]["impl"]] = (f, near, far, alloc(b))
        subject = next((s for s in SUBJECTS if s in rows), None)
        unit = "records" if "LogBuffer" in name else "elements"
        out.append(f"### {name} ({unit} per µs, one producer and one consumer thread)\n")
        out.append("| impl | forks near/far | median near | median far | median all | min-max | "
                   "subject/impl near | subject/impl far | B/op |")
        out.append("|---|---|---|---|---|---|---|---|---|")
        s_near = med(rows[subject][1]) if subject else None
        s_far = med(rows[subject][2]) if subject else None
        for impl, (f, near, far, a) in rows.items():
            alls = [t for t, _ in f]
            rn = (s_near / med(near)) if (s_near and near) else None
            rf = (s_far / med(far)) if (s_far and far) else None
            out.append(f"| {impl} | {len(near)}/{len(far)} | {fmt(med(near))} | {fmt(med(far))} | {fmt(med(alls))} | "
                       f"{fmt(min(alls))}-{fmt(max(alls))} | {fmt(rn, 2)} | {fmt(rf, 2)} | {fmt(a, 3)} |")
        out.append("")
        out.append("Per fork (throughput@round-trip ns): ")
        for impl, (f, _, _, _) in rows.items():
            out.append(f"- {impl}: " + ", ".join(f"{fmt(t)}@{r:.0f}" for t, r in f))
        out.append("")
    return out


def single_thread(results):
    name = results[0]["benchmark"].split(".")[-2] + "." + results[0]["benchmark"].split(".")[-1]
    out = [f"### {name} (ns per operation, one thread; lower is better)\n",
           "| impl | median ns/op | min-max over forks | B/op |", "|---|---|---|---|"]
    for b in results:
        per_fork = [mean(d) for d in b["primaryMetric"]["rawData"]]
        out.append(f"| {b['params']['impl']} | {fmt(med(per_fork), 2)} | {fmt(min(per_fork), 2)}-{fmt(max(per_fork), 2)} "
                   f"| {fmt(alloc(b), 3)} |")
    out.append("")
    return out


def percentile(hist, q):
    """hist: [[value, count], ...] of one fork (all iterations merged); the value at quantile q."""
    pairs = sorted(hist)
    total = sum(c for _, c in pairs)
    rank = q * total
    seen = 0
    for v, c in pairs:
        seen += c
        if seen >= rank:
            return v
    return pairs[-1][0]


def sampled(results):
    """SampleTime benchmarks: p50 and p99 per fork, then the median over forks, and ratios to the peer."""
    name = results[0]["benchmark"].split(".")[-2] + "." + results[0]["benchmark"].split(".")[-1]
    unit = results[0]["primaryMetric"]["scoreUnit"]
    rows = {}
    for b in results:
        per_fork = []
        for fork in b["primaryMetric"]["rawDataHistogram"]:
            merged = {}
            for iteration in fork:
                for v, c in iteration:
                    merged[v] = merged.get(v, 0) + c
            hist = [[v, c] for v, c in merged.items()]
            per_fork.append((percentile(hist, 0.50), percentile(hist, 0.99)))
        rows[b["params"]["impl"]] = per_fork
    if any(impl in PEER_OF for impl in rows):
        out = [f"### {name} ({unit}; per-fork percentiles, median over forks; ratios to each row's peer in the same "
               "run)\n",
               "| impl | forks | median p50 | median p99 | p50 min-max | p99 min-max | peer | p50/peer | p99/peer |",
               "|---|---|---|---|---|---|---|---|---|"]
        for impl, f in rows.items():
            p50s = [a for a, _ in f]
            p99s = [b for _, b in f]
            peer = PEER_OF.get(impl)
            if peer in rows:
                ratios = (f"{peer} | {fmt(med(p50s) / med([a for a, _ in rows[peer]]), 2)} | "
                          f"{fmt(med(p99s) / med([b for _, b in rows[peer]]), 2)}")
            else:
                ratios = "(peer) | | "
            out.append(f"| {impl} | {len(f)} | {fmt(med(p50s), 2)} | {fmt(med(p99s), 2)} | {fmt(min(p50s), 2)}-"
                       f"{fmt(max(p50s), 2)} | {fmt(min(p99s), 2)}-{fmt(max(p99s), 2)} | {ratios} |")
        out.append("")
        return out
    peer = "Unpark" if "Unpark" in rows else next(iter(rows))
    p50_peer = med([a for a, _ in rows[peer]])
    p99_peer = med([b for _, b in rows[peer]])
    out = [f"### {name} ({unit}; per-fork percentiles, median over forks; ratios to {peer} in the same run)\n",
           f"| impl | forks | median p50 | median p99 | p50 min-max | p99 min-max | p50/{peer} | p99/{peer} |",
           "|---|---|---|---|---|---|---|---|"]
    for impl, f in rows.items():
        p50s = [a for a, _ in f]
        p99s = [b for _, b in f]
        out.append(f"| {impl} | {len(f)} | {fmt(med(p50s), 2)} | {fmt(med(p99s), 2)} | {fmt(min(p50s), 2)}-"
                   f"{fmt(max(p50s), 2)} | {fmt(min(p99s), 2)}-{fmt(max(p99s), 2)} | {fmt(med(p50s) / p50_peer, 2)} | "
                   f"{fmt(med(p99s) / p99_peer, 2)} |")
    out.append("")
    return out


def main(argv):
    lines = [f"Placement classes: near = spin round trip < {NEAR_NS:.0f} ns in that fork, far = the rest. "
             "Ratios compare medians within one class.\n"]
    for path in argv[1:]:
        results = json.load(open(path))
        if not results:
            continue
        jvm = results[0].get("jvm", "?") + " " + results[0].get("vmVersion", "")
        lines.append(f"## {path.split('/')[-1]} ({jvm})\n")
        if results[0]["mode"] == "avgt":
            lines += single_thread(results)
        elif results[0]["mode"] == "sample":
            lines += sampled(results)
        else:
            lines += cross_thread(results)
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv)
