#!/bin/bash
# usage: run.sh BEFORE.jar AFTER.jar ROUNDS [FIRST]: WfqIntakeCostBenchmark, impl=fair, sizes=mixed, at 10, 10,000 and 100,000
# tenants; one fork per jar, setting and round, the two jars alternating; JSON per run in this folder.
before=$1; after=$2; rounds=$3; first=${4:-1}
for r in $(seq "$first" $((first + rounds - 1))); do
  for side in before after; do
    jar=$before; [ "$side" = after ] && jar=$after
    java -Djmh.ignoreLock=true -jar "$jar" WfqIntakeCostBenchmark -p impl=fair -p sizes=mixed \
      -p tenants=10,10000,100000 -wi 3 -w 1 -i 5 -r 1 -f 1 -rf json -rff "$side-round$r.json" > "$side-round$r.log" 2>&1
  done
done
