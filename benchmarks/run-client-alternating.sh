#!/usr/bin/env bash
# The client's throughput with the default wait policy (Plane: WaitPolicy.DEFAULT, FEW_CORES below 4 processors) and
# with SPARE_CORES (PlaneSpareCores: 128 spins, 8 yields, the default on 4 or more) against the minimal JCTools loop
# (two threads) and the minimal JCTools relay (three threads, the client's shape), in alternating forks: one JMH
# invocation per impl per round, so all land on the same vCPU placement as often as the machine allows (one JMH run of
# all forks of one impl, then all of another, can compare placements instead of implementations). About 8 minutes on
# 2 vCPUs.
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
  for run in Plane:Plane:DEFAULT PlaneSpareCores:Plane:128x8 JCToolsLoop:JCToolsLoop:DEFAULT \
             JCToolsRelay:JCToolsRelay:DEFAULT; do
    IFS=: read -r name impl policy <<< "$run"
    java -jar "$jar" BridgeClientThroughputBenchmark -p impl="$impl" -p policy="$policy" -f 1 \
      -prof dev.tpcbridge.bench.SpinRoundTripProfiler -prof gc -rf json -rff "$out/$r-$name.json" > "$out/$r-$name.log"
  done
done
python3 benchmarks/client_pairs.py "$out"
