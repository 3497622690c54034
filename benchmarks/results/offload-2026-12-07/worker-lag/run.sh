#!/bin/bash
# Offload submit cost, before and after a change, beside the executor: alternating rounds, one JVM per implementation,
# setting, load and round; each submitter's CPU time is in the logs ([cpu] lines). Usage, from this folder:
# bash run.sh BEFORE.jar AFTER.jar ROUNDS, then python3 summarize.py . > summary.txt
# Optional: WORKS (loads, default "50 0"), LANES (lane counts with two submitters, default "1 2"), BEFORE_ARGS and
# AFTER_ARGS (JVM options of each side's forks, e.g. a throwaway build's switch; see ../evict-path and ../scrambled-slots).
set -u
before=$1; after=$2; rounds=$3
works=${WORKS:-50 0}; lanes=${LANES:-1 2}; before_args=${BEFORE_ARGS:-}; after_args=${AFTER_ARGS:-}
one() { # round threads work label jar impl lanes [jvm options]
    java -Djmh.ignoreLock=true -jar "$5" OffloadSubmitCostBenchmark -p impl="$6" -p lanes="$7" -p work="$3" -t "$2" \
        ${8:+-jvmArgsAppend "$8"} -f 1 -wi 3 -i 5 -rf json -rff "$1-t$2-w$3-$4.json" > "$1-t$2-w$3-$4.log" 2>&1
}
for r in $(seq 1 "$rounds"); do
    for w in $works; do
        for t in 1 2; do
            if [ "$w" != 0 ]; then one "$r" "$t" "$w" none "$after" None 1; fi
            for l in $lanes; do
                if [ "$t" = 1 ] && [ "$l" != 1 ]; then continue; fi
                one "$r" "$t" "$w" "before$l" "$before" OffloadPool "$l" "$before_args"
                one "$r" "$t" "$w" "after$l" "$after" OffloadPool "$l" "$after_args"
            done
            one "$r" "$t" "$w" tpe "$after" ThreadPoolExecutor 1
        done
    done
done
