#!/usr/bin/env bash
# Cross-node benchmark: the same fan-out and sendToUser load on one node (no Redis), on three nodes on
# one Redis, and on three nodes on a Redis Cluster of three shards (3 masters + 3 replicas, sharded pub/sub),
# with the publisher (HTTP API) on node 1 and the WebSocket clients spread round robin over the three nodes,
# so two thirds of every delivery crosses Redis. Reports each node's CPU per delivery, Redis's (all six
# servers of the Redis Cluster summed), and their sum (the cluster's price of a delivery) beside the one-node
# figure.
#
#   bench/cluster.sh                       # fan-out and users, one node then three
#   SCENARIOS=fanout SUBS=600 FANOUT_RATES=20,50 DURATION=5 bench/cluster.sh
#
# Settings (env): SCENARIOS (fanout users), SUBS (900 subscribers on one channel), FANOUT_RATES (20,50
#   publishes/s), USERS (900 signed-in users), USER_RATES (500,1000 sendToUser/s), DURATION (5 s per step),
#   WARMUP (10 s), BASE_PORT (7100: nodes on BASE_PORT+1..3, Redis on BASE_PORT+79, the Redis Cluster on
#   BASE_PORT+80..85), SETUPS (one-node one-redis redis-cluster), OUT (bench/results/<timestamp>-cluster),
#   MARKDOWN (BENCHMARKS.md). Needs redis-server and redis-cli.
# No pinning: three nodes, Redis and the generator share whatever CPUs there are, as on a small host.
set -euo pipefail
# Several servers (and soketi, whose metrics port is 9601 too) run here: no metrics listener.
export SWITCHBOARD_METRICS_PORT=${SWITCHBOARD_METRICS_PORT:--1}
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
SETUPS=${SETUPS:-one-node one-redis redis-cluster}
redis_port=$((BASE_PORT + 79))
shard_ports=($((BASE_PORT + 80)) $((BASE_PORT + 81)) $((BASE_PORT + 82)) $((BASE_PORT + 83)) $((BASE_PORT + 84)) \
  $((BASE_PORT + 85)))
ports=($((BASE_PORT + 1)) $((BASE_PORT + 2)) $((BASE_PORT + 3)))
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd) # redis-server opens its log after changing to --dir

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
  if [ -n "$redis_pid" ]; then
    IFS=, read -ra rp <<< "$redis_pid"
    for p in "${rp[@]}"; do kill "$p" 2>/dev/null || true; done
  fi
  wait 2>/dev/null || true
  node_pids=()
  redis_pid=""
}
trap stop_all EXIT

start_nodes() { # count redis-url-or-empty [flag]
  local count=$1 url=$2 flag=${3:---redis}
  for i in $(seq 0 $((count - 1))); do
    local args=(--host 127.0.0.1 --port "${ports[$i]}")
    [ -n "$url" ] && args+=("$flag" "$url")
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

# Six servers in cluster mode, joined into three masters with a replica each; redis_pid lists all six.
start_redis_cluster() {
  local pids=() seeds=()
  for p in "${shard_ports[@]}"; do
    rm -rf "$OUT/redis-$p" && mkdir -p "$OUT/redis-$p" # a nodes.conf left by the previous scenario would refuse the create
    redis-server --bind 127.0.0.1 --port "$p" --save "" --appendonly no --dir "$OUT/redis-$p" \
      --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000 \
      --logfile "$OUT/redis-$p/redis.log" &
    local pid; pid=$(wait_port "$p" 30) || { echo "redis-server $p did not start" >&2; exit 1; }
    pids+=("$pid")
    seeds+=("127.0.0.1:$p")
  done
  redis_pid=$(IFS=,; echo "${pids[*]}")
  redis-cli --cluster create "${seeds[@]}" --cluster-replicas 1 --cluster-yes > "$OUT/redis-cluster-create.log"
  for _ in $(seq 1 300); do
    local ok=0
    for p in "${shard_ports[@]}"; do
      redis-cli -p "$p" cluster info 2>/dev/null | grep -q 'cluster_state:ok' && ok=$((ok + 1))
    done
    [ "$ok" = 6 ] && return 0
    sleep 0.1
  done
  echo "redis cluster did not reach cluster_state:ok" >&2; exit 1
}

cluster_urls() { local u=(); for p in "${shard_ports[@]}"; do u+=("redis://127.0.0.1:$p"); done; (IFS=,; echo "${u[*]}"); }

bench() { # label json args...
  local label=$1 json=$2; shift 2
  bench/run.sh "$@" --label "$label" --out "$json" --markdown "$MARKDOWN" \
    --command "bench/cluster.sh ($label): bench/run.sh $*" 2>&1 | tee -a "$OUT/bench.log" \
    | grep -E '^(step|connecting|[0-9]+ ready|warning)' || true
}

run_scenario() { # name args...
  local name=$1; shift
  local csv; csv=$(IFS=,; echo "${ports[*]}")
  for setup in $SETUPS; do
    case $setup in
      one-node)
        echo "== $name on one node (no Redis)"
        start_nodes 1 ""
        bench one-node "$OUT/$name-one-node.json" "$@" --port "${ports[0]}" --server-pid "${node_pids[0]}" ;;
      one-redis)
        echo "== $name on three nodes on one Redis (publisher on node 1, clients round robin)"
        start_redis
        start_nodes 3 "redis://127.0.0.1:$redis_port"
        bench three-nodes "$OUT/$name-three-nodes.json" "$@" --port "${ports[0]}" --ws-ports "$csv" \
          --server-pid "${node_pids[0]}" --node-pids "$(IFS=,; echo "${node_pids[*]}")" --redis-pid "$redis_pid" ;;
      redis-cluster)
        echo "== $name on three nodes on a Redis Cluster of three shards (publisher on node 1, clients round robin)"
        start_redis_cluster
        start_nodes 3 "$(cluster_urls)" --redis-cluster
        bench three-nodes-3-shards "$OUT/$name-three-nodes-3-shards.json" "$@" --port "${ports[0]}" \
          --ws-ports "$csv" --server-pid "${node_pids[0]}" --node-pids "$(IFS=,; echo "${node_pids[*]}")" \
          --redis-pid "$redis_pid" ;;
      *) echo "unknown setup $setup" >&2; exit 2 ;;
    esac
    stop_all
  done
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
