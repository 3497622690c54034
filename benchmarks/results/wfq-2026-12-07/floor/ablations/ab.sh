#!/bin/bash
# usage: ab.sh OUT ROUNDS TENANTS jar1 jar2 ...
out=$1; rounds=$2; tenants=$3; shift 3
for r in $(seq 1 $rounds); do for j in "$@"; do
  java -Djmh.ignoreLock=true -jar $j.jar WfqIntakeCostBenchmark -p impl=fair -p sizes=mixed -p tenants=$tenants -wi 3 -w 1 -i 5 -r 1 -f 1 2>&1 | grep -E "^WfqIntake" | sed "s/^/$j r$r /" >> $out
done; done
echo done >> $out
