#!/usr/bin/env bash
# Runs the wake benchmarks with their peers, as committed under benchmarks/results/ (about 12 minutes on 2 vCPUs):
# the waking ring's throughput beside the bare SpscRing and JCTools, the wake-up latency of a parked waiter beside a
# bare unpark->park hand-off, and the idle CPU of parked waiters beside Agrona's BackoffIdleStrategy.
# Usage: benchmarks/run-wake-benchmarks.sh [OUT_PREFIX]   (build first: ./mvnw -B -ntp -pl benchmarks -am package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-benchmarks/results/wake-$(date -u +%Y%m%d)}
jar=benchmarks/target/benchmarks.jar
java -jar "$jar" 'SpscWakeThroughputBenchmark' -prof dev.tpcbridge.bench.SpinRoundTripProfiler -prof gc \
  -rf json -rff "$out-throughput.json" | tee "$out-throughput.log"
java -jar "$jar" 'WakeLatencyBenchmark' -rf json -rff "$out-latency.json" | tee "$out-latency.log"
java -cp "$jar" dev.tpcbridge.bench.IdleCpuProbe 10 | tee "$out-idle-cpu.log"
{
  python3 benchmarks/report.py "$out-throughput.json" "$out-latency.json"
  echo "## IdleCpuProbe (thread CPU time over 10 s, all waiters in one JVM)"
  echo
  echo '```'
  grep '^RESULT' "$out-idle-cpu.log"
  echo '```'
} > "$out.md"
echo "wrote $out.md"
