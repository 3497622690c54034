#!/usr/bin/env bash
# The pump's figures for issue 18: five full default runs (50 GB, 64 KiB, 1 core) of each control plane, the planes
# alternating round by round so that a noisy minute hits all three alike, then one run with samples for the chart.
# Run from the repository root after ./mvnw -q package -DskipTests; writes beside this script.
set -euo pipefail
out=$(dirname "$0")
jar=samples/target/tpcbridge-samples.jar
for round in 1 2 3 4 5; do
  for control in coroutines pipeline threads; do
    java -jar "$jar" pump --control "$control" --progress-ms 0 > "$out/$control-$round.log" 2>&1 || true
    grep '^RESULT' "$out/$control-$round.log"
  done
done
java -jar "$jar" pump --samples-csv "$out/samples.csv" --progress-ms 0 > "$out/chart-run.log" 2>&1 || true
java -jar "$jar" pump-chart "$out/samples.csv" "$out/pump-50GB.png"
