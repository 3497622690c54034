#!/usr/bin/env bash
# Runs the ring benchmarks with their peers, as committed under benchmarks/results/ (about 25 minutes on 2 vCPUs).
# Usage: benchmarks/run-ring-benchmarks.sh [OUT_PREFIX]   (build first: ./mvnw -B -ntp -pl benchmarks -am package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-benchmarks/results/ring-$(date -u +%Y%m%d)}
jar=benchmarks/target/benchmarks.jar
prof=(-prof dev.tpcbridge.bench.SpinRoundTripProfiler -prof gc)
# Cross-thread: 10 forks each (placement swings results 3-5x between forks), annotations give 3x1 s warm-up, 5x1 s measurement.
java -jar "$jar" 'SpscRingThroughputBenchmark|SpscRingBatchThroughputBenchmark|MpscRingThroughputBenchmark' \
  "${prof[@]}" -rf json -rff "$out-cross-thread.json" | tee "$out-cross-thread.log"
# Single-thread cost: placement cannot disturb it; 3 forks.
java -jar "$jar" 'RingOfferPollCostBenchmark' "${prof[@]}" -rf json -rff "$out-single-thread.json" | tee "$out-single-thread.log"
python3 benchmarks/report.py "$out-cross-thread.json" "$out-single-thread.json" > "$out.md"
echo "wrote $out.md"
