#!/usr/bin/env bash
# Measures server variants side by side on one scenario: each variant is a fresh server (its own JVM, flags and
# jar), pinned to CPU 0, with the load generator on CPU 1; ROUNDS rounds, every second one in reverse order, so
# a drift of the machine shows as a spread instead of a bias.
#
#   bench/variants.sh OUTDIR 'name|java|flags[|jar[|ENV=V ...]]' ['name|java|flags[|jar[|ENV=V ...]]' ...]
#   e.g. bench/variants.sh /tmp/v 'hold|java|-Dswitchboard.noEagerWrite=true' 'eager|java|'
#        bench/variants.sh /tmp/v 'main|||/tmp/main.jar' 'change||'   (two builds of the server, same flags)
#
# java may be a path or empty (bin/switchboard's choice: SWITCHBOARD_PRINT_JVM=1 bin/switchboard). Flags come
# after bin/switchboard's own (serial GC, -Xmn32m, ...), so a variant can override one. jar, when given, is that
# variant's server jar; ENV=V words after it are that variant's environment (an app setting, say
# SWITCHBOARD_APP_CHANNEL_RESUME_PREFIXES=bench-). Env: SB_JAR (the other variants' jar, default switchboard-server/target/switchboard.jar),
# BENCH_JAR (the generator), ROUNDS (2), SCENARIO (default: fan-out to 10k subscribers at 2.5, 5 and 10 events/s).
# Prints each run's table; JSON and logs in OUTDIR.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: bench/variants.sh OUTDIR 'name|java|flags' ...}; shift
[ $# -ge 1 ] || { echo "give at least one variant" >&2; exit 2; }
mkdir -p "$out"
SB_JAR=${SB_JAR:-$root/switchboard-server/target/switchboard.jar}
BENCH_JAR=${BENCH_JAR:-$root/switchboard-bench/target/switchboard-bench.jar}
ROUNDS=${ROUNDS:-2}
SCENARIO=${SCENARIO:-fanout --connections 10000 --processes 1 --rates 2.5,5,10 --duration-s 5 --warmup-s 10 --threads 1}
export SWITCHBOARD_METRICS_PORT=-1 SWITCHBOARD_LOG_LEVEL=${SWITCHBOARD_LOG_LEVEL:-WARN}
# bin/switchboard's JVM and flags, read once.
mapfile -t launcher < <(SWITCHBOARD_PRINT_JVM=1 "$root/bin/switchboard")
default_java=${launcher[0]}
default_flags="${launcher[*]:1}"
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

run() { # round spec
  local round=$1 spec=$2 name java flags jar envs port pid
  IFS='|' read -r name java flags jar envs <<<"$spec"
  java=${java:-$default_java}
  jar=${jar:-$SB_JAR}
  port=$(free_port)
  # shellcheck disable=SC2086
  env $envs SWITCHBOARD_PORT=$port taskset -c 0 "$java" $default_flags $flags -jar "$jar" >"$out/server-$name-$round.log" 2>&1 &
  pid=$!
  for _ in $(seq 150); do curl -sf "http://127.0.0.1:$port/up" >/dev/null && break; sleep 0.2; done
  # shellcheck disable=SC2086
  taskset -c 1 java -XX:+UseParallelGC -Xms256m -Xmx2g -Xss512k -jar "$BENCH_JAR" $SCENARIO --port "$port" \
    --server-pid "$pid" --label "$name" --markdown none --chart none --out "$out/$name-$round.json" \
    >"$out/bench-$name-$round.log" 2>&1 || echo "generator failed for $name (round $round): $out/bench-$name-$round.log" >&2
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "== $name, round $round (load $(cut -d' ' -f1-3 /proc/loadavg))"
  grep -A8 "^| rate\|^| requested" "$out/bench-$name-$round.log" | grep "^|" || tail -5 "$out/bench-$name-$round.log"
}

specs=("$@")
for round in $(seq "$ROUNDS"); do
  if (( round % 2 == 1 )); then order=("${specs[@]}"); else order=(); for ((i=${#specs[@]}-1; i>=0; i--)); do order+=("${specs[$i]}"); done; fi
  for spec in "${order[@]}"; do run "$round" "$spec"; done
done
