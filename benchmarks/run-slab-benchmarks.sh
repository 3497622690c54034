#!/usr/bin/env bash
# Runs the slab benchmarks with their peers, as committed under benchmarks/results/ (about 8 minutes on 2 vCPUs):
# one alloc+release on one thread beside a bare int stack and a JCTools recycling queue, and pages handed from one
# thread to another and recycled beside the floor of two JCTools SPSC queues.
# Usage: benchmarks/run-slab-benchmarks.sh [OUT_PREFIX]   (build first: ./mvnw -B -ntp -pl benchmarks -am package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-benchmarks/results/slab-$(date -u +%Y%m%d)}
jar=benchmarks/target/benchmarks.jar
java -jar "$jar" 'SlabPoolAllocReleaseCostBenchmark' -prof gc -rf json -rff "$out-cost.json" | tee "$out-cost.log"
java -jar "$jar" 'SpscSlabHandoffThroughputBenchmark' -prof dev.tpcbridge.bench.SpinRoundTripProfiler -prof gc \
  -rf json -rff "$out-handoff.json" | tee "$out-handoff.log"
python3 benchmarks/report.py "$out-cost.json" "$out-handoff.json" > "$out.md"
echo "wrote $out.md"
