#!/usr/bin/env bash
# Where a cluster node's CPU goes in a reconnect storm (issue 22, item 5): three nodes on one redis-server, warmed
# with WARM own-room clients (a third on each node), then a JFR CPU-time recording (JDK 25's jdk.CPUTimeSample) of
# node 1 during a storm of STORM clients round robin over the three, and the same on one node alone for comparison;
# bench/profile-categories.py sorts the samples. Run alone on the machine.
#
#   bench/profile-cluster-storm.sh            env: WARM (30000), STORM (10000), BASE_PORT (7300), OUT, BUILD (1)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export SWITCHBOARD_METRICS_PORT=-1 SWITCHBOARD_LOG_LEVEL=WARN
WARM=${WARM:-30000}; STORM=${STORM:-10000}; BASE_PORT=${BASE_PORT:-7300}; BUILD=${BUILD:-1}
OUT=${OUT:-bench/results/$(date -u +%Y%m%dT%H%M%SZ)-profile-cluster-storm}
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
redis_port=$((BASE_PORT + 79)); ports=($((BASE_PORT + 1)) $((BASE_PORT + 2)) $((BASE_PORT + 3))); shard_ports=()
# shellcheck source=cluster-lib.sh
source bench/cluster-lib.sh
trap stop_all EXIT
[ "$BUILD" = 1 ] && mvn -B -q -pl switchboard-server,switchboard-bench -am package -DskipTests
java_bin=$(SWITCHBOARD_PRINT_JVM=1 bin/switchboard | head -1); jdk=$(dirname "$java_bin")
storm() { # label clients ports-csv pids-csv
  bench/run.sh storm --port "${ports[0]}" --ws-ports "$3" --server-pid "${4%%,*}" --node-pids "$4" \
    ${redis_pid:+--redis-pid "$redis_pid"} --connections "$2" --warmup-clients 0 --markdown none --chart none \
    --out "$OUT/$1.json" > "$OUT/$1.log" 2>&1
  grep -E '^[0-9]+ joined' "$OUT/$1.log" | tail -1
}
profile() { # label pid clients ports-csv pids-csv
  "$jdk/jcmd" "$2" JFR.start name=p settings=profile jdk.CPUTimeSample#enabled=true \
    jdk.CPUTimeSample#throttle=1ms > /dev/null
  storm "$1" "$3" "$4" "$5"
  "$jdk/jcmd" "$2" JFR.dump name=p filename="$OUT/$1.jfr" > /dev/null
  "$jdk/jfr" print --json --events jdk.CPUTimeSample --stack-depth 64 "$OUT/$1.jfr" > "$OUT/$1-samples.json"
  python3 bench/profile-categories.py "$OUT/$1-samples.json" | tee "$OUT/$1-categories.md"
}
echo "== one node: warm-up $((WARM / 3)), then a profiled storm of $STORM"
start_nodes 1 ""
storm one-warm $((WARM / 3)) "${ports[0]}" "${node_pids[0]}"
profile one-node "${node_pids[0]}" "$STORM" "${ports[0]}" "${node_pids[0]}"
stop_all
echo "== three nodes on one Redis: warm-up $WARM, then a profiled storm of $STORM (node 1 recorded)"
start_redis
start_nodes 3 "redis://127.0.0.1:$redis_port"
csv=$(IFS=,; echo "${ports[*]}"); pids=$(IFS=,; echo "${node_pids[*]}")
storm three-warm "$WARM" "$csv" "$pids"
profile three-nodes-node1 "${node_pids[0]}" "$STORM" "$csv" "$pids"
echo "results: $OUT"
