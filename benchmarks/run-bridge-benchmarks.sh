#!/usr/bin/env bash
# Runs the bridge benchmarks with their peers, as committed under benchmarks/results/ (about 9 minutes on 2 vCPUs):
# the handle-level round trip with both sides spinning (beside two JCTools SPSC queues) and both sides parked (beside
# a bare unpark/park ping-pong), the future-based client's round trip (beside CompletableFuture.supplyAsync on a
# one-thread executor), and the client's throughput from one caller thread (beside the same executor), with B/op.
# Usage: benchmarks/run-bridge-benchmarks.sh [OUT_PREFIX] [JAVA]   (build first: ./mvnw -B -ntp -pl benchmarks -am package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-benchmarks/results/bridge-$(date -u +%Y-%m-%d)}
java=${2:-java}
jar=/tmp/tpcbridge-bridge-benchmarks.jar
cp benchmarks/target/benchmarks.jar "$jar" # a rebuild during the run cannot change the jar under it
"$java" -jar "$jar" 'BridgeRoundTripBenchmark' -prof dev.tpcbridge.bench.SpinRoundTripProfiler -prof gc \
  -rf json -rff "$out-roundtrip.json" | tee "$out-roundtrip.log"
"$java" -jar "$jar" 'BridgeClientThroughputBenchmark' -prof dev.tpcbridge.bench.SpinRoundTripProfiler -prof gc -rf json -rff "$out-throughput.json" \
  | tee "$out-throughput.log"
python3 benchmarks/report.py "$out-roundtrip.json" "$out-throughput.json" > "$out.md"
echo "wrote $out.md"
