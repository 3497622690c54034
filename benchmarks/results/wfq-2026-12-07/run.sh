#!/bin/bash
# WfqIntakeCostBenchmark, before (HEAD of 2026-12-07 morning, binary heap) and after (radix heap etc.), alternating.
# usage: run.sh BEFORE.jar AFTER.jar ROUNDS   (from this folder; results land here)
set -e
before=$1; after=$2; rounds=${3:-3}
common="-wi 3 -w 1 -i 5 -r 1 -f 1 -jvmArgsAppend -Djmh.ignoreLock=true"
for r in $(seq "$rounds"); do
  java -Djmh.ignoreLock=true -jar "$after" WfqIntakeCostBenchmark -p sizes=mixed $common -prof gc \
    -rf json -rff "after-round$r.json" > "after-round$r.log" 2>&1
  java -Djmh.ignoreLock=true -jar "$before" WfqIntakeCostBenchmark -p impl=fair $common \
    -rf json -rff "before-round$r.json" > "before-round$r.log" 2>&1
done
java -Djmh.ignoreLock=true -jar "$after" WfqIntakeCostBenchmark -p sizes=equal -p tenants=10000 \
  -wi 3 -w 1 -i 5 -r 1 -f 3 -rf json -rff equal-10000.json > equal-10000.log 2>&1
