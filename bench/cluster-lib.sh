# Shared by bench/cluster.sh and bench/cluster-capacity.sh (sourced): starting and stopping three Switchboard
# nodes on one redis-server or on a Redis Cluster of three shards (3 masters + 3 replicas), and finding their pids.
# The caller sets OUT (an absolute directory for logs), ports (the nodes'), redis_port and shard_ports, and runs
# from the repository's root.
# shellcheck shell=bash

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

