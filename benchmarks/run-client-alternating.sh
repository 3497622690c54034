#!/usr/bin/env bash
# The client's throughput against the minimal JCTools loop (two threads) and the minimal JCTools relay (three threads,
# the client's shape), in alternating forks: one JMH invocation per impl per
# round, so both land on the same vCPU placement as often as the machine allows (one JMH run of all forks of one impl,
# then all of the other, can compare placements instead of implementations). About 9 minutes on 2 vCPUs.
# Usage: benchmarks/run-client-alternating.sh [OUT_DIR] [ROUNDS]
#   (build first: ./mvnw -B -ntp -pl benchmarks -am package -DskipTests); then: python3 benchmarks/client_pairs.py OUT_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-benchmarks/results/client-alternating-$(date -u +%Y-%m-%d)}
rounds=${2:-6}
jar=/tmp/tpcbridge-client-benchmarks.jar
cp benchmarks/target/benchmarks.jar "$jar" # a rebuild during the run cannot change the jar under it
mkdir -p "$out"
for r in $(seq 1 "$rounds"); do
  for impl in Plane JCToolsLoop JCToolsRelay; do
    java -jar "$jar" BridgeClientThroughputBenchmark -p impl="$impl" -f 1 \
      -prof dev.tpcbridge.bench.SpinRoundTripProfiler -prof gc -rf json -rff "$out/$r-$impl.json" > "$out/$r-$impl.log"
  done
done
python3 benchmarks/client_pairs.py "$out"
