#!/bin/bash
# More alternating rounds of the one-submitter "room" load (work=50), which lands in a fast or a slow regime per fork.
# Usage: bash room-rounds.sh BEFORE.jar AFTER.jar FIRST LAST   (rounds FIRST..LAST, beside run.sh's files)
set -u
before=$1; after=$2
one() { # round threads work label jar impl lanes
    java -Djmh.ignoreLock=true -jar "$5" OffloadSubmitCostBenchmark -p impl="$6" -p lanes="$7" -p work="$3" -t "$2" \
        -f 1 -wi 3 -i 5 -prof gc -rf json -rff "$1-t$2-w$3-$4.json" > "$1-t$2-w$3-$4.log" 2>&1
}
for r in $(seq "$3" "$4"); do
    one $r 1 50 none "$after" None 1
    one $r 1 50 before "$before" OffloadPool 1
    one $r 1 50 after "$after" OffloadPool 1
    one $r 1 50 tpe "$after" ThreadPoolExecutor 1
done
