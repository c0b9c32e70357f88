#!/usr/bin/env bash
# Fan-out against the floor, round by round: each round runs FloorProbe (one small loopback write, at 9000 sockets)
# and then one fan-out run of the server to 10k subscribers, so that each fan-out figure has the floor of the same
# minutes beside it (the floor of this machine moves by ±7 % over an hour).
#
#   bench/floor-pairs.sh OUTDIR [rounds=4]
#
# Env: SB_JAR, BENCH_JAR, SCENARIO (default: 10k subscribers, 10 events/s, 10 s after a 10 s warm-up), as
# bench/variants.sh; FLAGS, JVM flags added to the server's (e.g. -Dswitchboard.flushBatch=1). Prints one line per
# round: floor, fan-out µs/delivery and their ratio.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: bench/floor-pairs.sh OUTDIR [rounds]}; rounds=${2:-4}
mkdir -p "$out"
BENCH_JAR=${BENCH_JAR:-$root/switchboard-bench/target/switchboard-bench.jar}
export SCENARIO=${SCENARIO:-fanout --connections 10000 --processes 1 --rates 10 --duration-s 10 --warmup-s 10 --threads 1}
export BENCH_JAR
for r in $(seq "$rounds"); do
  taskset -c 0,1 java -cp "$BENCH_JAR" dev.switchboard.bench.FloorProbe 100 9000 200000 3 > "$out/floor-$r.txt" 2>&1
  ROUNDS=1 "$root/bench/variants.sh" "$out/round-$r" "switchboard||${FLAGS:-}" > "$out/fanout-$r.log" 2>&1
  python3 - "$out" "$r" <<'PY'
import json, re, sys
out, r = sys.argv[1], sys.argv[2]
floor = float(re.search(r"floor_us_per_write=([0-9.]+)", open(f"{out}/floor-{r}.txt").read()).group(1))
steps = json.load(open(f"{out}/round-{r}/switchboard-1.json"))["steps"]
for s in steps:
    cpu = s["serverCpuMicrosPerDelivery"]
    print(f"round {r}: floor {floor:.2f} µs, fan-out {s['requestedRate']:g}/s {cpu:.2f} µs/delivery, "
          f"ratio {cpu / floor:.2f}, p99 {s['latencyP99Ms']:.0f} ms, lost {s['lost']}")
PY
done
