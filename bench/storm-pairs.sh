#!/usr/bin/env bash
# Two server builds under the same connect storms: both started side by side with bin/switchboard's JVM flags,
# WARM storms each to warm up (C2 still compiling), then ROUNDS rounds of one own-room storm on each, the order
# flipped every round so that a drift of the machine shows as spread, not bias. Prints the server CPU µs per client
# of every measured storm and the medians. Not pinned (as the issue-22 storm figures).
#
#   bench/storm-pairs.sh OUTDIR BEFORE.jar AFTER.jar     env: CLIENTS (10000), ROUNDS (6), WARM (3), ROOMS (0: own rooms)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: bench/storm-pairs.sh OUTDIR BEFORE.jar AFTER.jar}; a_jar=${2:?}; b_jar=${3:?}
CLIENTS=${CLIENTS:-10000}; ROUNDS=${ROUNDS:-6}; WARM=${WARM:-3}; ROOMS=${ROOMS:-0}
mkdir -p "$out"
mapfile -t launcher < <(SWITCHBOARD_PRINT_JVM=1 "$root/bin/switchboard")
export SWITCHBOARD_METRICS_PORT=-1 SWITCHBOARD_LOG_LEVEL=WARN
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
declare -A port pid
for v in before after; do
  jar=$a_jar; [ "$v" = after ] && jar=$b_jar
  port[$v]=$(free_port)
  SWITCHBOARD_PORT=${port[$v]} "${launcher[@]}" -jar "$jar" >"$out/server-$v.log" 2>&1 &
  pid[$v]=$!
  for _ in $(seq 150); do curl -sf "http://127.0.0.1:${port[$v]}/up" >/dev/null && break; sleep 0.2; done
done
trap 'kill ${pid[before]} ${pid[after]} 2>/dev/null || true' EXIT
storm() { # variant tag
  local rooms=(); [ "$ROOMS" -gt 0 ] && rooms=(--rooms "$ROOMS")
  "$root/bench/run.sh" storm --port "${port[$1]}" --server-pid "${pid[$1]}" --connections "$CLIENTS" \
    --warmup-clients 0 "${rooms[@]}" --markdown none --chart none --out "$out/$1-$2.json" >"$out/$1-$2.log" 2>&1
  # the join figure is the table's bold cell in the storm's row
  grep "^| storm of" "$out/$1-$2.log" | tail -1 | grep -o '\*\*[0-9.,]*\*\*' | tr -d '*,' || echo 0
}
for i in $(seq "$WARM"); do storm before "warm$i" >/dev/null; storm after "warm$i" >/dev/null; done
: >"$out/pairs.txt"
for r in $(seq "$ROUNDS"); do
  if (( r % 2 )); then b=$(storm before "r$r"); a=$(storm after "r$r"); else a=$(storm after "r$r"); b=$(storm before "r$r"); fi
  echo "round $r: before $b µs/client, after $a µs/client (load $(cut -d' ' -f1 /proc/loadavg))" | tee -a "$out/pairs.txt"
done
python3 - "$out/pairs.txt" <<'PY'
import re, statistics, sys
rows = [tuple(map(float, re.findall(r"([0-9.]+) µs", l))) for l in open(sys.argv[1])]
b = [r[0] for r in rows]; a = [r[1] for r in rows]
print(f"median before {statistics.median(b):.0f} µs/client ({min(b):.0f}-{max(b):.0f}), after {statistics.median(a):.0f} ({min(a):.0f}-{max(a):.0f}), "
      f"after/before {statistics.median(a)/statistics.median(b):.2f}; after lower in {sum(x<y for x,y in zip(a,b))} of {len(rows)} rounds")
PY
