#!/usr/bin/env bash
# Runs the log buffer benchmarks with their peers, as committed under benchmarks/results/ (about 15 minutes on 2 vCPUs):
# SPSC and MPSC throughput for 32 B, 1 KiB and 64 KiB records beside Agrona's ring buffers and the lap-stamped
# design not taken, and the overshoot of a timed receive beside a bare parkNanos.
# Usage: benchmarks/run-logbuf-benchmarks.sh [OUT_PREFIX]   (build first: ./mvnw -B -ntp -pl benchmarks -am package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-benchmarks/results/logbuf-$(date -u +%Y-%m-%d)}
jar=/tmp/tpcbridge-logbuf-benchmarks.jar
cp benchmarks/target/benchmarks.jar "$jar" # a rebuild during the run cannot change the jar under it
run=(-wi 3 -w 1 -i 5 -r 1 -f 3)
prof=(-prof dev.tpcbridge.bench.SpinRoundTripProfiler -prof gc)
java -jar "$jar" 'SpscLogBufferThroughputBenchmark' "${run[@]}" "${prof[@]}" -rf json -rff "$out-spsc.json" | tee "$out-spsc.log"
java -jar "$jar" 'MpscLogBufferThroughputBenchmark' "${run[@]}" "${prof[@]}" -rf json -rff "$out-mpsc.json" | tee "$out-mpsc.log"
java -jar "$jar" 'SpscLogChannelTimeoutLatencyBenchmark' -wi 2 -w 1 -i 5 -r 1 -f 3 -prof gc \
  -rf json -rff "$out-timeout.json" | tee "$out-timeout.log"
python3 benchmarks/report.py "$out-spsc.json" "$out-mpsc.json" "$out-timeout.json" > "$out.md"
echo "wrote $out.md"
