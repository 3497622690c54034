#!/bin/bash
# Offload submit cost, before and after a change, beside the executor: alternating rounds, one JVM per implementation,
# setting, load and round; each submitter's CPU time is in the logs ([cpu] lines). Usage, from this folder:
# bash run.sh BEFORE.jar AFTER.jar ROUNDS, then python3 summarize.py . > summary.txt
set -u
before=$1; after=$2; rounds=$3
one() { # round threads work label jar impl lanes
    java -Djmh.ignoreLock=true -jar "$5" OffloadSubmitCostBenchmark -p impl="$6" -p lanes="$7" -p work="$3" -t "$2" \
        -f 1 -wi 3 -i 5 -rf json -rff "$1-t$2-w$3-$4.json" > "$1-t$2-w$3-$4.log" 2>&1
}
for r in $(seq 1 "$rounds"); do
    for w in 50 0; do
        for t in 1 2; do
            if [ "$w" != 0 ]; then one "$r" "$t" "$w" none "$after" None 1; fi
            one "$r" "$t" "$w" before1 "$before" OffloadPool 1
            one "$r" "$t" "$w" after1 "$after" OffloadPool 1
            if [ "$t" = 2 ]; then
                one "$r" "$t" "$w" before2 "$before" OffloadPool 2
                one "$r" "$t" "$w" after2 "$after" OffloadPool 2
            fi
            one "$r" "$t" "$w" tpe "$after" ThreadPoolExecutor 1
        done
    done
done
