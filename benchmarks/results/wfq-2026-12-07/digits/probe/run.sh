#!/bin/bash
# Counts the flow queue's work per request (entries linked, entries scanned by splits, splits) with digits of 1, 2, 4
# and 8 bits, driving FairScheduler alone with the cost benchmark's calls (size and priority per tenant). A throwaway
# harness: it compiles an instrumented copy of the tree's RadixQueue (instr.py adds the counters) ahead of
# bridge-java/target/classes. Usage, from this folder, after building bridge-java: bash run.sh > counts.txt
set -eu
classes=../../../../../bridge-java/target/classes
source=../../../../../bridge-java/src/main/java/dev/tpcbridge/wfq/RadixQueue.java
work=$(mktemp -d)
# the counting driver, shared with the rounding probe (2026-12-08); "exact" orders by the tags, as in this run
probe=../../../wfq-2026-12-08/rounding/probe/CountProbe.java
for digit in 1 2 4 8; do
    mkdir -p "$work/d$digit/out"
    sed "s/private static final int DIGIT = [0-9]*;/private static final int DIGIT = $digit;/" "$source" > "$work/d$digit/plain.java"
    python3 instr.py "$work/d$digit/plain.java" "$work/d$digit/RadixQueue.java"
    javac -d "$work/d$digit/out" -cp "$classes" "$work/d$digit/RadixQueue.java" "$probe"
    for setting in "10 mixed" "1000 mixed" "10000 mixed" "100000 mixed" "10000 equal"; do
        java -cp "$work/d$digit/out:$classes" dev.tpcbridge.wfq.CountProbe $setting exact | tail -1 | sed "s/^/digit=$digit /"
    done
done
rm -rf "$work"
