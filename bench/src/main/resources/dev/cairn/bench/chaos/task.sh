#!/bin/sh
# A task of the chaos workload. It appends one line to the ledger ($CHAOS_LEDGER), outside Cairn's
# store, when it starts and one when it ends:
#   start  WORKFLOW TASK ATTEMPT PID RUN
#   finish WORKFLOW TASK ATTEMPT PID RUN OUTPUT   (it wrote OUTPUT and exits 0)
#   fail   WORKFLOW TASK ATTEMPT PID RUN          (it exits non-zero on purpose)
# RUN is the harness's number for the `cairn run` process the task belongs to ($CHAOS_RUN).
# Modes: list N | sum K | flaky K N | fail K | caught K | square K | cont FILE
mode=$1
k=$2
run=${CHAOS_RUN:-0}
ledger=${CHAOS_LEDGER:?CHAOS_LEDGER is not set}
echo "start $CAIRN_WORKFLOW $CAIRN_TASK $CAIRN_ATTEMPT $$ $run" >> "$ledger"
if [ -n "$CHAOS_SLEEP" ]; then sleep "$CHAOS_SLEEP"; fi
numbers() { tr -cs '0-9-' '\n' < "$CAIRN_INPUT" | awk 'NF'; }
failing() {
  echo "fail $CAIRN_WORKFLOW $CAIRN_TASK $CAIRN_ATTEMPT $$ $run" >> "$ledger"
  echo "$1" >&2
  exit "$2"
}
case "$mode" in
  list) awk -v n="$k" 'BEGIN { printf "["; for (i = 1; i <= n; i++) printf "%s%d", (i > 1 ? "," : ""), i; print "]" }' > "$CAIRN_OUTPUT" ;;
  sum) numbers | awk -v k="$k" '{ s += $1 } END { print s + k }' > "$CAIRN_OUTPUT" ;;
  flaky)
    if [ "$CAIRN_ATTEMPT" -lt "$3" ]; then failing "flaky: attempt $CAIRN_ATTEMPT fails on purpose" 1; fi
    numbers | awk -v k="$k" '{ s += $1 } END { print s + k }' > "$CAIRN_OUTPUT" ;;
  fail) failing "boom" 3 ;;
  caught) n=$(grep -o '"type"' "$CAIRN_INPUT" | wc -l); echo $((k + n)) > "$CAIRN_OUTPUT" ;;
  square) numbers | awk -v k="$k" 'NR == 1 { print $1 * $1 + k }' > "$CAIRN_OUTPUT" ;;
  cont) cat "$k" > "$CAIRN_OUTPUT" ;;
  *) failing "unknown mode $mode" 2 ;;
esac
out=$(tr -d ' \n' < "$CAIRN_OUTPUT" | cut -c1-200)
echo "finish $CAIRN_WORKFLOW $CAIRN_TASK $CAIRN_ATTEMPT $$ $run $out" >> "$ledger"
