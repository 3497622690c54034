#!/usr/bin/env bash
# Runs the runtime (DataPlane) benchmarks with their peers, as committed under benchmarks/results/ (about 12 minutes
# on 2 vCPUs): a parked core's wake-up round trip (beside a bare unpark/park ping-pong, and the hand-rolled parked
# core of the bridge benchmarks; 5 forks, each measurement iteration's p50 split into the fast and slow modes by
# iteration_clusters.py; then WakeUpPairedProbe, the same trips in alternating blocks), one caller's end-to-end call
# throughput to a DataPlane core, through a BridgeClient and through the channel's control handle with the caller completing its own futures (beside a minimal
# JCTools two-queue loop, and the client with a hand-rolled core), with B/op; then the CPU an idle core burns over
# 10 s of thread CPU time (beside a parked thread and Agrona's BackoffIdleStrategy; the probe fails if a tpcbridge
# waiter burns 1 % of a core or more).
# Usage: benchmarks/run-runtime-benchmarks.sh [OUT_PREFIX] [JAVA]   (build first: ./mvnw -B -ntp -pl benchmarks -am package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-benchmarks/results/runtime-$(date -u +%Y-%m-%d)}
java=${2:-java}
jar=/tmp/tpcbridge-runtime-benchmarks.jar
cp benchmarks/target/benchmarks.jar "$jar" # a rebuild during the run cannot change the jar under it
"$java" -jar "$jar" 'BridgeRoundTripBenchmark' -p impl=UnparkParked,CoreParked,BridgeParked -f 5 \
  -prof dev.tpcbridge.bench.SpinRoundTripProfiler -prof gc -rf json -rff "$out-wake.json" | tee "$out-wake.log"
"$java" -jar "$jar" 'BridgeClientThroughputBenchmark' -p impl=Plane,PlaneHandle,JCToolsLoop,Client -f 5 \
  -prof dev.tpcbridge.bench.SpinRoundTripProfiler -prof gc -rf json -rff "$out-throughput.json" | tee "$out-throughput.log"
for subject in CoreParked BridgeParked; do # the same wake-up, in alternating blocks, compared mode by mode
  "$java" -cp "$jar" dev.tpcbridge.bench.WakeUpPairedProbe 600 400 "$subject" 2>&1 | grep '^RESULT'
done | tee "$out-paired.log"
"$java" -cp "$jar" dev.tpcbridge.bench.IdleCpuProbe 10 2>&1 | grep -v '^SLF4J' | tee "$out-idle.log"
{
  python3 benchmarks/report.py "$out-wake.json" "$out-throughput.json"
  echo "### The wake-up round trip per measurement iteration, split into its fast and slow modes"
  echo
  python3 benchmarks/iteration_clusters.py "$out-wake.json" --peer UnparkParked
  echo
  echo "### WakeUpPairedProbe (alternating blocks of 400 round trips against UnparkParked, 600 pairs; goal <= 1.2)"
  echo
  echo '```'
  cat "$out-paired.log"
  echo '```'
  echo
  echo "### IdleCpuProbe (thread CPU time over a 10 s idle window; goal under 1 % of one core)"
  echo
  echo '```'
  grep '^RESULT' "$out-idle.log"
  echo '```'
} > "$out.md"
echo "wrote $out.md"
