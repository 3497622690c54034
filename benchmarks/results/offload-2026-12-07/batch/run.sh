#!/bin/bash
# Offload submit cost, before/after this change beside the peers: alternating rounds, one JVM per implementation,
# setting, load and round. Usage: bash run.sh BEFORE.jar AFTER.jar ROUNDS
set -u
before=$1; after=$2; rounds=$3
one() { # round threads work label jar impl lanes
    java -Djmh.ignoreLock=true -jar "$5" OffloadSubmitCostBenchmark -p impl="$6" -p lanes="$7" -p work="$3" -t "$2" \
        -f 1 -wi 3 -i 5 -prof gc -rf json -rff "$1-t$2-w$3-$4.json" > "$1-t$2-w$3-$4.log" 2>&1
}
for r in $(seq 1 "$rounds"); do
    for w in 0 50; do
        if [ "$w" != 0 ]; then one $r 1 $w none "$after" None 1; fi
        one $r 1 $w before "$before" OffloadPool 1
        one $r 1 $w after "$after" OffloadPool 1
        one $r 1 $w tpe "$after" ThreadPoolExecutor 1
        one $r 1 $w channel "$after" KotlinChannel 1
        if [ "$w" != 0 ]; then one $r 2 $w none "$after" None 1; fi
        one $r 2 $w before1 "$before" OffloadPool 1
        one $r 2 $w after1 "$after" OffloadPool 1
        one $r 2 $w before2 "$before" OffloadPool 2
        one $r 2 $w after2 "$after" OffloadPool 2
        one $r 2 $w tpe "$after" ThreadPoolExecutor 1
        one $r 2 $w channel "$after" KotlinChannel 1
    done
done
