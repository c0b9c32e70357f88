#!/usr/bin/env bash
# Cross-node benchmark: the same fan-out and sendToUser load on one node (no Redis), on three nodes on
# one Redis, and on three nodes on a Redis Cluster of three shards (3 masters + 3 replicas, sharded pub/sub),
# with the publisher (HTTP API) on node 1 and the WebSocket clients spread round robin over the three nodes,
# so two thirds of every delivery crosses Redis. Reports each node's CPU per delivery, Redis's (all six
# servers of the Redis Cluster summed), and their sum (the cluster's price of a delivery) beside the one-node
# figure. The storm scenario (issue 22): the reconnect storm of `bench/run.sh storm` through one node and
# through the three (clients round robin, a shared room's members on every node), cold (the warm-up clients on
# fresh nodes) then warm; CPU per client of every node and Redis, summed, and a table of the setups against
# one node at the end.
#
#   bench/cluster.sh                       # fan-out and users, one node then three
#   SCENARIOS=fanout SUBS=600 FANOUT_RATES=20,50 DURATION=5 bench/cluster.sh
#   SCENARIOS=storm STORM=10000 bench/cluster.sh                  # own-room storm: one node, 3 on Redis, 3 on 3 shards
#   SCENARIOS=storm STORM=5000 STORM_ROOMS=100 bench/cluster.sh   # shared rooms
#
# Settings (env): SCENARIOS (fanout users), SUBS (900 subscribers on one channel), FANOUT_RATES (20,50
#   publishes/s), USERS (900 signed-in users), USER_RATES (500,1000 sendToUser/s), DURATION (5 s per step),
#   WARMUP (10 s), BASE_PORT (7100: nodes on BASE_PORT+1..3, Redis on BASE_PORT+79, the Redis Cluster on
#   BASE_PORT+80..85), SETUPS (one-node one-redis redis-cluster), OUT (bench/results/<timestamp>-cluster),
#   MARKDOWN (BENCHMARKS.md), STORM (10000 clients), STORM_ROOMS (0: a presence room each; R: R shared rooms),
#   STORM_WARMUP (1000: the cold figure, on fresh nodes), BUILD (1; 0 uses the jars as built). Needs
#   redis-server and redis-cli.
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
STORM=${STORM:-10000}
STORM_ROOMS=${STORM_ROOMS:-0}
STORM_WARMUP=${STORM_WARMUP:-1000}
BUILD=${BUILD:-1}
redis_port=$((BASE_PORT + 79))
shard_ports=($((BASE_PORT + 80)) $((BASE_PORT + 81)) $((BASE_PORT + 82)) $((BASE_PORT + 83)) $((BASE_PORT + 84)) \
  $((BASE_PORT + 85)))
ports=($((BASE_PORT + 1)) $((BASE_PORT + 2)) $((BASE_PORT + 3)))
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd) # redis-server opens its log after changing to --dir

if [ "$BUILD" = 1 ]; then
  echo "== building"
  mvn -B -q -pl switchboard-server,switchboard-bench -am package -DskipTests
fi

# shellcheck source=bench/cluster-lib.sh
source "$root/bench/cluster-lib.sh"
trap stop_all EXIT

bench() { # label json args...
  local label=$1 json=$2; shift 2
  bench/run.sh "$@" --label "$label" --out "$json" --markdown "$MARKDOWN" \
    --command "bench/cluster.sh ($label): bench/run.sh $*" 2>&1 | tee -a "$OUT/bench.log" \
    | grep -E '^(step|connecting|storm|[0-9]+ ready|[0-9]+ joined|warning)' || true
}

run_scenario() { # name args...
  local name=$1; shift
  local csv; csv=$(IFS=,; echo "${ports[*]}")
  local nodes server
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
        nodes=$(IFS=,; echo "${node_pids[*]}"); server=${node_pids[0]}
        [ "$name" = storm ] && server=$nodes # the storm's "server" is every node (the publisher's node elsewhere)
        bench three-nodes "$OUT/$name-three-nodes.json" "$@" --port "${ports[0]}" --ws-ports "$csv" \
          --server-pid "$server" --node-pids "$nodes" --redis-pid "$redis_pid" ;;
      redis-cluster)
        echo "== $name on three nodes on a Redis Cluster of three shards (publisher on node 1, clients round robin)"
        start_redis_cluster
        start_nodes 3 "$(cluster_urls)" --redis-cluster
        nodes=$(IFS=,; echo "${node_pids[*]}"); server=${node_pids[0]}
        [ "$name" = storm ] && server=$nodes
        bench three-nodes-3-shards "$OUT/$name-three-nodes-3-shards.json" "$@" --port "${ports[0]}" \
          --ws-ports "$csv" --server-pid "$server" --node-pids "$nodes" --redis-pid "$redis_pid" ;;
      *) echo "unknown setup $setup" >&2; exit 2 ;;
    esac
    stop_all
  done
}

# The storm's setups side by side: cluster CPU per client (every node + Redis; one node: the node), cold and warm,
# and each against one node's: issue 22's target is three nodes at <= 1.5x one node's per client, warm.
storm_summary() {
  python3 - "$OUT" "$STORM" "$STORM_ROOMS" "$STORM_WARMUP" <<'PY' | tee -a "$MARKDOWN"
import json, os, sys
out, n, rooms, warm = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
setups = [("one node", "one-node"), ("3 nodes, one Redis", "three-nodes"), ("3 nodes, 3 shards", "three-nodes-3-shards")]
runs = [(name, json.load(open(f"{out}/storm-{tag}.json"))) for name, tag in setups if os.path.exists(f"{out}/storm-{tag}.json")]
fmt = lambda v: "–" if v is None or v < 0 else f"{v:,.0f}"
base = next((r for name, r in runs if name == "one node"), None)
kind = f" in {rooms} shared rooms" if rooms else ", a room each"
print(f"\n#### Cluster storm: {n} clients, sign-in + presence{kind}, after {warm} on fresh nodes ({out})\n")
print("| setup | cold µs/client | warm µs/client (cluster) | above idle | per node | Redis | warm / one node | close µs/client"
      " | joined | failed | members known / expected |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for name, r in runs:
    s, c = r["storm"], r.get("cold", {})
    ratio = s["clusterCpuMicrosPerJoin"] / base["storm"]["clusterCpuMicrosPerJoin"] if base else None
    nodes = " / ".join(fmt(x["cpuMicrosPerJoin"]) for x in s.get("nodes", []) if "cpuMicrosPerJoin" in x) or "–"
    print(f"| {name} | {fmt(c.get('clusterCpuMicrosPerJoin'))} | **{fmt(s['clusterCpuMicrosPerJoin'])}** |"
          f" {fmt(s['clusterCpuMicrosPerJoinAboveIdle'])} | {nodes} | {fmt(s['redisCpuMicrosPerJoin'])} |"
          f" {'–' if ratio is None else f'{ratio:.2f}×'} | {fmt(s['clusterCpuMicrosPerClose'])} | {s['joined']} |"
          f" {s['failed']} | {s['membersKnown']} / {s['membersExpected']} |")
PY
}

for s in $SCENARIOS; do
  case $s in
    fanout) run_scenario fanout fanout --connections "$SUBS" --rates "$FANOUT_RATES" --duration-s "$DURATION" \
              --warmup-s "$WARMUP" --chart none ;;
    users) run_scenario users users --connections "$USERS" --rates "$USER_RATES" --duration-s "$DURATION" \
              --warmup-s "$WARMUP" ;;
    storm) run_scenario storm storm --connections "$STORM" --rooms "$STORM_ROOMS" --warmup-clients "$STORM_WARMUP"
           storm_summary ;;
    *) echo "unknown scenario $s" >&2; exit 2 ;;
  esac
done
echo "results: $OUT (sections appended to $MARKDOWN)"
