#!/bin/bash
# Counts the flow queue's work per request (entries linked, entries scanned by splits, splits) in exact and in rounded
# order, driving FairScheduler alone with the cost benchmark's sizes. A throwaway harness: it compiles an instrumented
# copy of the tree's RadixQueue (the counters added by the digits probe's instr.py, in
# ../../../wfq-2026-12-07/digits/probe/) ahead of bridge-java/target/classes.
# Usage, from this folder, after building bridge-java: bash run.sh > counts.txt
set -eu
classes=../../../../../bridge-java/target/classes
source=../../../../../bridge-java/src/main/java/dev/tpcbridge/wfq/RadixQueue.java
work=$(mktemp -d)
mkdir -p "$work/out"
python3 ../../../wfq-2026-12-07/digits/probe/instr.py "$source" "$work/RadixQueue.java"
javac -d "$work/out" -cp "$classes" "$work/RadixQueue.java" CountProbe.java
for order in exact rounded; do
    for setting in "10 mixed" "1000 mixed" "10000 mixed" "100000 mixed" "10000 equal"; do
        java -cp "$work/out:$classes" dev.tpcbridge.wfq.CountProbe $setting $order | tail -1 | sed "s/^/$order /"
    done
done
rm -rf "$work"
