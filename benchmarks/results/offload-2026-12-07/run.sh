#!/usr/bin/env bash
# The shard sample with snapshots, before and after the chunked copy-on-write snapshots, alternating run by run:
# ROUNDS rounds (default 3) of {before, after} x {10 ms, 100 ms}. BEFORE and AFTER are samples jars (default: the
# jars this script's first argument and second argument name). Each run prints its RESULT line; logs go beside this
# script. Usage: bash run.sh BEFORE.jar AFTER.jar [ROUNDS]
set -euo pipefail
before=$1 after=$2 rounds=${3:-3}
out=$(cd "$(dirname "$0")" && pwd)
for round in $(seq 1 "$rounds"); do
  for interval in 10 100; do
    for which in before after; do
      jar=$before; [ "$which" = after ] && jar=$after
      log="$out/shard-$which-${interval}ms-round$round.log"
      java -jar "$jar" shard --snapshot-every-ms "$interval" > "$log" 2>&1
      echo "$which ${interval}ms round $round: $(grep -o 'p99_us=[^ ]* .*p99_ratio=[^ ]*' "$log")"
    done
  done
done
