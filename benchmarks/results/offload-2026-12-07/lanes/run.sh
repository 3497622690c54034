#!/bin/bash
# Submit cost of the offload pool beside its peers, one and two submitting threads, alternating rounds, one JVM
# (fork) per implementation, setting and round. Usage: bash run.sh BEFORE.jar AFTER.jar ROUNDS
# BEFORE.jar has no lanes option (the pool as it was); AFTER.jar runs the pool with 1 and with 2 lanes and the peers.
set -u
before=$1; after=$2; rounds=$3
run() { # round threads label jar impl [lanes]
    local r=$1 t=$2 label=$3 jar=$4 impl=$5 lanes=${6:-}
    local extra=""; [ -n "$lanes" ] && extra="-p lanes=$lanes"
    java -Djmh.ignoreLock=true -jar "$jar" OffloadSubmitCostBenchmark -p impl="$impl" $extra -t "$t" -f 1 -wi 3 -i 5 \
        -prof gc -rf json -rff "$r-t$t-$label.json" > "$r-t$t-$label.log" 2>&1
}
for r in $(seq 1 "$rounds"); do
    run "$r" 1 before "$before" OffloadPool
    run "$r" 1 lanes1 "$after" OffloadPool 1
    run "$r" 1 tpe "$after" ThreadPoolExecutor
    run "$r" 1 channel "$after" KotlinChannel
    run "$r" 2 before "$before" OffloadPool
    run "$r" 2 lanes1 "$after" OffloadPool 1
    run "$r" 2 lanes2 "$after" OffloadPool 2
    run "$r" 2 tpe "$after" ThreadPoolExecutor
    run "$r" 2 channel "$after" KotlinChannel
done
