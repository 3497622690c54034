#!/usr/bin/env bash
# Runs the log buffer benchmarks with their peers, as committed under benchmarks/results/ (about 15 minutes on 2 vCPUs):
# SPSC and MPSC throughput for 32 B, 1 KiB and 64 KiB records beside Agrona's ring buffers and the lap-stamped
# design not taken, and the overshoot of a timed receive beside a bare parkNanos. One JMH invocation (one JMH lock
# for the whole run), then the JSON is split by benchmark for report.py.
# Usage: benchmarks/run-logbuf-benchmarks.sh [OUT_PREFIX]   (build first: ./mvnw -B -ntp -pl benchmarks -am package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-benchmarks/results/logbuf-$(date -u +%Y-%m-%d)}
jar=/tmp/tpcbridge-logbuf-benchmarks.jar
cp benchmarks/target/benchmarks.jar "$jar" # a rebuild during the run cannot change the jar under it
java -jar "$jar" 'SpscLogBufferThroughputBenchmark|MpscLogBufferThroughputBenchmark|SpscWakingLogBufferTimeoutLatencyBenchmark' \
  -wi 3 -w 1 -i 5 -r 1 -f 3 -prof dev.tpcbridge.bench.SpinRoundTripProfiler -prof gc \
  -rf json -rff "$out-all.json" | tee "$out.log"
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
results = json.load(open(out + "-all.json"))
for key, name in (("SpscLogBufferThroughputBenchmark", "spsc"), ("MpscLogBufferThroughputBenchmark", "mpsc"),
                  ("SpscWakingLogBufferTimeoutLatencyBenchmark", "timeout")):
    json.dump([r for r in results if key in r["benchmark"]], open(f"{out}-{name}.json", "w"), indent=1)
PY
rm "$out-all.json"
python3 benchmarks/report.py "$out-spsc.json" "$out-mpsc.json" "$out-timeout.json" > "$out.md"
echo "wrote $out.md"
