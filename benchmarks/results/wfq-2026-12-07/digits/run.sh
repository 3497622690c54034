#!/bin/bash
# The fair intake's cost per request (WfqIntakeCostBenchmark, impl=fair), before and after a change: alternating
# rounds, one JVM per jar, setting and round. Usage, from this folder: bash run.sh BEFORE.jar AFTER.jar ROUNDS, then
# python3 summarize.py . > summary.txt
set -u
before=$1; after=$2; rounds=$3
one() { # round sizes tenants label jar
    java -Djmh.ignoreLock=true -jar "$5" WfqIntakeCostBenchmark -p impl=fair -p sizes="$2" -p tenants="$3" \
        -wi 3 -w 1 -i 5 -r 1 -f 1 -rf json -rff "$1-$2-$3-$4.json" > "$1-$2-$3-$4.log" 2>&1
}
for r in $(seq 1 "$rounds"); do
    for setting in mixed:10 mixed:1000 mixed:10000 mixed:100000 equal:10000; do
        one "$r" "${setting%%:*}" "${setting##*:}" before "$before"
        one "$r" "${setting%%:*}" "${setting##*:}" after "$after"
    done
done
