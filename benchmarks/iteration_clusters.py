#!/usr/bin/env python3
"""Per-iteration p50s of JMH SampleTime results, split into a fast and a slow cluster (see also WakeUpPairedProbe).

On the shared 2-vCPU machines a parked thread's wake-up is bimodal from one measurement iteration to the next (about
7 us, or about 70 us when the host has to wake a halted vCPU), whatever the code under test does: which mode an
iteration gets depends mostly on where its threads were placed. A median over forks then lands on whichever mode most
forks happened to sit in, and a ratio of two such medians compares placements, not code. This script reads the raw histograms of a JMH JSON result, computes each measurement
iteration's p50, puts it in the fast cluster (p50 below --split ns) or the slow one, and prints per impl: the
iterations in each cluster, their median p50, the p50 over every sample, and the ratios to the peer within a cluster.

Usage: python3 benchmarks/iteration_clusters.py result.json [--peer UnparkParked] [--split 20000]
"""
import argparse
import json
import statistics

from report import percentile  # report.py beside this script: the same quantile of a [[value, count], ...] histogram


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("result")
    parser.add_argument("--peer", default="UnparkParked")
    parser.add_argument("--split", type=float, default=20000.0, help="ns: iterations with a lower p50 are fast")
    args = parser.parse_args()
    rows = {}
    for bench in json.load(open(args.result)):
        impl = bench["params"].get("impl", bench["benchmark"])
        iterations = [it for fork in bench["primaryMetric"]["rawDataHistogram"] for it in fork]
        p50s = [percentile(it, 0.5) for it in iterations]  # one iteration's histogram at a time
        merged = [pair for it in iterations for pair in it]
        fast = [p for p in p50s if p < args.split]
        slow = [p for p in p50s if p >= args.split]
        rows[impl] = {
            "forks": len(bench["primaryMetric"]["rawDataHistogram"]),
            "fast": fast,
            "slow": slow,
            "all_p50": percentile(merged, 0.5),
            "all_p99": percentile(merged, 0.99),
        }
    peer = rows.get(args.peer)

    def med(values):
        return statistics.median(values) if values else None

    def ratio(a, b):
        return "%.2f" % (a / b) if a is not None and b else "-"

    print("| impl | forks | fast iterations | median p50 fast (ns) | slow iterations | median p50 slow (ns) |"
          " p50 all samples (ns) | p99 all samples (ns) | fast/peer | slow/peer | all-sample p50/peer |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for impl, r in rows.items():
        mf, ms = med(r["fast"]), med(r["slow"])
        pf = med(peer["fast"]) if peer else None
        ps = med(peer["slow"]) if peer else None
        print("| %s | %d | %d | %s | %d | %s | %.0f | %.0f | %s | %s | %s |" % (
            impl, r["forks"], len(r["fast"]), "%.0f" % mf if mf else "-", len(r["slow"]),
            "%.0f" % ms if ms else "-", r["all_p50"], r["all_p99"],
            ratio(mf, pf), ratio(ms, ps), ratio(r["all_p50"], peer["all_p50"] if peer else None)))


if __name__ == "__main__":
    main()
