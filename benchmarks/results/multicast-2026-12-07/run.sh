#!/bin/bash
# Multicast, 2026-12-07: alternating rounds, one fork per implementation and round, so that every ratio is between
# forks of the same round. usage: run.sh BENCHMARKS.jar ROUNDS (from this folder; results land here)
set -e
jar=$1; rounds=${2:-5}
common="-wi 3 -w 1 -i 5 -r 1 -f 1"
for r in $(seq "$rounds"); do
  for impl in tpcbridgeBusySpinYield DisruptorYield tpcbridgeBusySpin Disruptor tpcbridgeParkNanos tpcbridge; do
    java -Djmh.ignoreLock=true -jar "$jar" 'MulticastThroughputBenchmark.publish$' -p impl=$impl $common \
      -rf json -rff "publish-$impl-r$r.json" > "publish-$impl-r$r.log" 2>&1
  done
done
for r in $(seq 3); do
  for impl in tpcbridgeBusySpinYield DisruptorYield Disruptor; do
    java -Djmh.ignoreLock=true -jar "$jar" 'MulticastThroughputBenchmark.publish64' -p impl=$impl $common \
      -rf json -rff "publish64-$impl-r$r.json" > "publish64-$impl-r$r.log" 2>&1
  done
done
java -Djmh.ignoreLock=true -jar "$jar" MulticastCostBenchmark -wi 3 -w 1 -i 5 -r 1 -f 3 -prof gc \
  -rf json -rff cost.json > cost.log 2>&1
