#!/usr/bin/env bash
# Cross-node benchmark: the same fan-out and sendToUser load on one node (no Redis) and on three nodes on
# one Redis, with the publisher (HTTP API) on node 1 and the WebSocket clients spread round robin over the
# three nodes, so two thirds of every delivery crosses Redis. Reports each node's CPU per delivery, Redis's,
# and their sum (the cluster's price of a delivery) beside the one-node figure.
#
#   bench/cluster.sh                       # fan-out and users, one node then three
#   SCENARIOS=fanout SUBS=600 FANOUT_RATES=20,50 DURATION=5 bench/cluster.sh
#
# Settings (env): SCENARIOS (fanout users), SUBS (900 subscribers on one channel), FANOUT_RATES (20,50
#   publishes/s), USERS (900 signed-in users), USER_RATES (500,1000 sendToUser/s), DURATION (5 s per step),
#   WARMUP (10 s), BASE_PORT (7100: nodes on BASE_PORT+1..3, Redis on BASE_PORT+79), OUT
#   (bench/results/<timestamp>-cluster), MARKDOWN (BENCHMARKS.md). Needs redis-server.
# No pinning: three nodes, Redis and the generator share whatever CPUs there are, as on a small host.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
SCENARIOS=${SCENARIOS:-fanout users}
SUBS=${SUBS:-900}
FANOUT_RATES=${FANOUT_RATES:-20,50}
USERS=${USERS:-900}
USER_RATES=${USER_RATES:-500,1000}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-10}
BASE_PORT=${BASE_PORT:-7100}
OUT=${OUT:-bench/results/$(date -u +%Y%m%dT%H%M%SZ)-cluster}
MARKDOWN=${MARKDOWN:-BENCHMARKS.md}
redis_port=$((BASE_PORT + 79))
ports=($((BASE_PORT + 1)) $((BASE_PORT + 2)) $((BASE_PORT + 3)))
mkdir -p "$OUT"

echo "== building"
mvn -B -q -pl switchboard-server,switchboard-bench -am package -DskipTests

pid_on_port() { ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }
wait_port() { # port seconds -> pid
  for _ in $(seq 1 $(( $2 * 10 ))); do
    local p; p=$(pid_on_port "$1")
    if [ -n "$p" ]; then echo "$p"; return 0; fi
    sleep 0.1
  done
  return 1
}

node_pids=()
redis_pid=""
stop_all() {
  for p in "${node_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${node_pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
  [ -n "$redis_pid" ] && { kill "$redis_pid" 2>/dev/null || true; }
  wait 2>/dev/null || true
  node_pids=()
  redis_pid=""
}
trap stop_all EXIT

start_nodes() { # count redis-url-or-empty
  local count=$1 url=$2
  for i in $(seq 0 $((count - 1))); do
    local args=(--host 127.0.0.1 --port "${ports[$i]}")
    [ -n "$url" ] && args+=(--redis "$url")
    bin/switchboard "${args[@]}" > "$OUT/node$((i + 1))-$count.log" 2>&1 &
    local pid
    pid=$(wait_port "${ports[$i]}" 180) || { echo "node $((i + 1)) did not start; see $OUT" >&2; exit 1; }
    node_pids+=("$pid")
  done
  sleep 1
}

start_redis() {
  redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no --dir "$OUT" \
    --logfile "$OUT/redis.log" &
  redis_pid=$(wait_port "$redis_port" 30) || { echo "redis-server did not start" >&2; exit 1; }
}

bench() { # label json args...
  local label=$1 json=$2; shift 2
  bench/run.sh "$@" --label "$label" --out "$json" --markdown "$MARKDOWN" \
    --command "bench/cluster.sh ($label): bench/run.sh $*" 2>&1 | tee -a "$OUT/bench.log" \
    | grep -E '^(step|connecting|[0-9]+ ready|warning)' || true
}

run_scenario() { # name args...
  local name=$1; shift
  echo "== $name on one node (no Redis)"
  start_nodes 1 ""
  bench one-node "$OUT/$name-one-node.json" "$@" --port "${ports[0]}" --server-pid "${node_pids[0]}"
  stop_all
  echo "== $name on three nodes on one Redis (publisher on node 1, clients round robin)"
  start_redis
  start_nodes 3 "redis://127.0.0.1:$redis_port"
  local csv; csv=$(IFS=,; echo "${ports[*]}")
  local pids; pids=$(IFS=,; echo "${node_pids[*]}")
  bench three-nodes "$OUT/$name-three-nodes.json" "$@" --port "${ports[0]}" --ws-ports "$csv" \
    --server-pid "${node_pids[0]}" --node-pids "$pids" --redis-pid "$redis_pid"
  stop_all
}

for s in $SCENARIOS; do
  case $s in
    fanout) run_scenario fanout fanout --connections "$SUBS" --rates "$FANOUT_RATES" --duration-s "$DURATION" \
              --warmup-s "$WARMUP" --chart none ;;
    users) run_scenario users users --connections "$USERS" --rates "$USER_RATES" --duration-s "$DURATION" \
              --warmup-s "$WARMUP" ;;
    *) echo "unknown scenario $s" >&2; exit 2 ;;
  esac
done
echo "results: $OUT (sections appended to $MARKDOWN)"
