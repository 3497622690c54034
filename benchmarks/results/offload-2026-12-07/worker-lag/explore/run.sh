#!/bin/bash
# The exploration: one jar built from bb372de with throwaway.patch applied (-Dtpc.lag=N pauses after a short batch,
# -Dtpc.notail=true skips the tail read after a short batch), against itself with the switches off (base) and the
# executor; alternating, one JVM per variant, setting, load and round. Usage, from this folder: bash run.sh JAR
set -u
jar=${1:?usage: bash run.sh JAR}
one() { # round threads work label impl lanes props
    java -Djmh.ignoreLock=true -jar $jar OffloadSubmitCostBenchmark -p impl="$5" -p lanes="$6" -p work="$3" \
        -t "$2" -f 1 -wi 3 -i 5 -jvmArgsAppend "$7" -rf json -rff "$1-t$2-w$3-$4.json" > "$1-t$2-w$3-$4.log" 2>&1
}
for r in 1 2 3 4; do
  for w in 50 0; do
    for t in 1 2; do
      if [ "$w" != 0 ]; then one $r $t $w none None 1 "-Dx=0"; fi
      for l in 1 2; do
        if [ "$t" = 1 ] && [ "$l" = 2 ]; then continue; fi
        one $r $t $w base$l OffloadPool $l "-Dtpc.lag=0"
        one $r $t $w lag$l OffloadPool $l "-Dtpc.lag=32"
        one $r $t $w ntlag$l OffloadPool $l "-Dtpc.lag=32 -Dtpc.notail=true"
      done
      one $r $t $w tpe ThreadPoolExecutor 1 "-Dx=0"
    done
  done
done
