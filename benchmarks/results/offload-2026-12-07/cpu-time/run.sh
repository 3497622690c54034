#!/bin/bash
# Offload submit cost with each submitter's CPU time beside its wall time: alternating rounds, one JVM per
# implementation, setting, load and round. Usage (from this folder): bash run.sh JAR ROUNDS
set -u
jar=$1; rounds=$2
one() { # round threads work label impl lanes
    java -Djmh.ignoreLock=true -jar "$jar" OffloadSubmitCostBenchmark -p impl="$5" -p lanes="$6" -p work="$3" \
        -t "$2" -f 1 -wi 3 -i 5 -rf json -rff "$1-t$2-w$3-$4.json" > "$1-t$2-w$3-$4.log" 2>&1
}
for r in $(seq 1 "$rounds"); do
    for w in 0 50; do
        for t in 1 2; do
            if [ "$w" != 0 ]; then one "$r" "$t" "$w" none None 1; fi
            one "$r" "$t" "$w" pool1 OffloadPool 1
            if [ "$t" = 2 ]; then one "$r" "$t" "$w" pool2 OffloadPool 2; fi
            one "$r" "$t" "$w" tpe ThreadPoolExecutor 1
        done
    done
done
