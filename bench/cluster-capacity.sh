#!/usr/bin/env bash
# The largest cluster this machine holds (issue 22, item 5): three nodes on one Redis (or a Redis Cluster of
# three shards) with PER_NODE connections each, every client signed in and a member of a presence room of
# ROOM_SIZE (members spread over the three nodes), then fan-out to the rooms through node 1's HTTP API at each of
# RATES for DURATION seconds (`bench/run.sh rooms`). The clients run in as many generator processes as keep each
# under PER_PROCESS sockets (the open-file limit is per process). Records: set-up failures and the rosters' check,
# deliveries expected / received / lost and connections closed per rate (held: none), each node's RSS (empty,
# joined, after) and CPU per client joined and per delivery, Redis's CPU per delivery, INFO memory (empty,
# joined, after) and traffic per publish (and over 10 s idle: the part that is not the publishes); a sample of
# every node's RSS, open files and CPU and Redis's memory every SAMPLE_S seconds. Writes OUT (JSON, samples.tsv,
# logs, summary.md) and appends the summary, with the capacity model of docs/redis-cluster.md beside the
# measured figures, to MARKDOWN.
#
#   bench/cluster-capacity.sh                                  # 3 × 18,000 on one Redis: about 10 minutes
#   REDIS=cluster bench/cluster-capacity.sh                    # on a Redis Cluster of 3 shards (+3 replicas)
#   PER_NODE=300 ROOM_SIZE=50 RATES=20 DURATION=5 WARMUP=2 MARKDOWN=/tmp/c.md bench/cluster-capacity.sh   # a check
#
# Settings (env): PER_NODE (18000), ROOM_SIZE (100: Pusher's member cap and the model's channel of k = 100),
#   RATES (100,200 publishes/s, each to one room: ×ROOM_SIZE deliveries/s), DURATION (60 s per rate), WARMUP (10 s),
#   REDIS (one | cluster), PER_PROCESS (15000 clients per generator process at most), SAMPLE_S (5), BASE_PORT
#   (7200: nodes on +1..3, Redis on +79, the Redis Cluster on +80..85), OUT (bench/results/<time>-capacity),
#   MARKDOWN (BENCHMARKS.md), BUILD (1; 0 uses the jars as built). Needs redis-server and redis-cli.
# Every process (node, generator) takes the hard open-file limit as its soft one (ulimit -n; the JVM does the same
# by itself): it has to exceed PER_NODE and PER_PROCESS by a margin, or the script stops before starting anything.
set -euo pipefail
export SWITCHBOARD_METRICS_PORT=${SWITCHBOARD_METRICS_PORT:--1}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
PER_NODE=${PER_NODE:-18000}
ROOM_SIZE=${ROOM_SIZE:-100}
RATES=${RATES:-100,200}
DURATION=${DURATION:-60}
WARMUP=${WARMUP:-10}
REDIS=${REDIS:-one}
PER_PROCESS=${PER_PROCESS:-15000}
SAMPLE_S=${SAMPLE_S:-5}
BASE_PORT=${BASE_PORT:-7200}
OUT=${OUT:-bench/results/$(date -u +%Y%m%dT%H%M%SZ)-capacity}
MARKDOWN=${MARKDOWN:-BENCHMARKS.md}
BUILD=${BUILD:-1}
total=$((3 * PER_NODE))
processes=$(( (total + PER_PROCESS - 1) / PER_PROCESS ))
redis_port=$((BASE_PORT + 79))
shard_ports=($((BASE_PORT + 80)) $((BASE_PORT + 81)) $((BASE_PORT + 82)) $((BASE_PORT + 83)) $((BASE_PORT + 84)) \
  $((BASE_PORT + 85)))
ports=($((BASE_PORT + 1)) $((BASE_PORT + 2)) $((BASE_PORT + 3)))

ulimit -n "$(ulimit -Hn)"
files=$(ulimit -n)
# A node holds its clients' sockets plus Redis links, jars and epoll fds; a generator its share plus the JVM's.
share=$(( (total + processes - 1) / processes ))
for need in "$PER_NODE" "$share"; do
  if [ "$files" != unlimited ] && [ $(( need + 500 )) -gt "$files" ]; then
    echo "open-file limit $files is too small for $need sockets in one process (+500): PER_NODE $PER_NODE," \
      "clients per generator process $share" >&2; exit 2
  fi
done
read -r lo hi < /proc/sys/net/ipv4/ip_local_port_range
if [ "$PER_NODE" -gt $(( hi - lo )) ]; then # every client of a node comes from 127.0.0.1 to one port
  echo "ephemeral port range $lo-$hi holds fewer than PER_NODE=$PER_NODE connections to one node" >&2; exit 2
fi
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

if [ "$BUILD" = 1 ]; then
  echo "== building"
  mvn -B -q -pl switchboard-server,switchboard-bench -am package -DskipTests
fi

# shellcheck source=bench/cluster-lib.sh
source "$root/bench/cluster-lib.sh"
sampler=""
finish() {
  if [ -n "$sampler" ]; then kill "$sampler" 2>/dev/null || true; fi
  stop_all
}
trap finish EXIT

if [ "$REDIS" = cluster ]; then
  echo "== Redis Cluster of three shards"
  start_redis_cluster
  url=$(cluster_urls); flag=--redis-cluster; rports=("${shard_ports[@]}")
else
  echo "== one Redis"
  start_redis
  url="redis://127.0.0.1:$redis_port"; flag=--redis; rports=("$redis_port")
fi
start_nodes 3 "$url" "$flag"
nodes=$(IFS=,; echo "${node_pids[*]}")
rcsv=$(IFS=,; echo "${rports[*]}")
echo "nodes $nodes, redis $redis_pid; $total clients in $processes generator processes, open files $files per process"

# Every SAMPLE_S s: each node's RSS (KiB), open files and CPU (ticks), and Redis's used_memory summed (bytes).
sample() {
  printf 'time'; for i in 1 2 3; do printf '\tnode%s_rss_kib\tnode%s_files\tnode%s_cpu_ticks' "$i" "$i" "$i"; done
  printf '\tredis_used_memory\n'
  while true; do
    printf '%s' "$(date +%s)"
    for p in "${node_pids[@]}"; do
      printf '\t%s\t%s\t%s' "$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo -1)" \
        "$(find "/proc/$p/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)" \
        "$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo -1)"
    done
    local mem=0
    for rp in "${rports[@]}"; do
      mem=$(( mem + $(redis-cli -p "$rp" info memory 2>/dev/null | tr -d '\r' | awk -F: '/^used_memory:/ {print $2}') ))
    done
    printf '\t%s\n' "$mem"
    sleep "$SAMPLE_S"
  done
}
sample > "$OUT/samples.tsv" &
sampler=$!

cmd="PER_NODE=$PER_NODE ROOM_SIZE=$ROOM_SIZE RATES=$RATES DURATION=$DURATION WARMUP=$WARMUP REDIS=$REDIS PER_PROCESS=$PER_PROCESS bench/cluster-capacity.sh"
echo "== $total clients, rooms of $ROOM_SIZE, fan-out at $RATES publishes/s for $DURATION s each"
bench/run.sh rooms --port "${ports[0]}" --ws-ports "$(IFS=,; echo "${ports[*]}")" --server-pid "${node_pids[0]}" \
  --node-pids "$nodes" --redis-pid "$redis_pid" --redis-ports "$rcsv" --connections "$total" \
  --room-size "$ROOM_SIZE" --processes "$processes" --rates "$RATES" --duration-s "$DURATION" --warmup-s "$WARMUP" \
  --drain-s 15 --baseline-s 10 --label "3 nodes, $REDIS redis" --out "$OUT/rooms.json" --markdown "$OUT/rooms.md" --command "$cmd" \
  2>&1 | tee "$OUT/bench.log" | grep -E '^(connecting|[0-9]+ ready|set-up|warm-up|step|  |warning)' || true
kill "$sampler" 2>/dev/null || true
sampler=""
for rp in "${rports[@]}"; do redis-cli -p "$rp" info > "$OUT/redis-$rp-info-end.txt" 2>&1 || true; done

python3 - "$OUT" "$cmd" "$REDIS" "$PER_NODE" <<'PY' | tee "$OUT/summary.md" >> "$MARKDOWN"
import csv, json, math, sys
out, cmd, redis, per_node = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
r = json.load(open(f"{out}/rooms.json"))
# a sample cut short (the script stopped while writing it) has empty fields: only whole rows count
rows = [x for x in csv.DictReader(open(f"{out}/samples.tsv"), delimiter="\t") if all(v not in (None, "") for v in x.values())]
mib = lambda b: b / 1048576
fmt = lambda v, d=0: "–" if v is None or v < 0 else f"{v:,.{d}f}"
c, steps, size, total = r["connect"], r["steps"], r["roomSize"], r["connect"]["wanted"]
redis_kind = "a Redis Cluster of 3 shards (+3 replicas)" if redis == "cluster" else "one Redis"
print(f"\n### Cluster capacity: 3 nodes × {per_node:,} connections on {redis_kind} ({r['date']})\n")
print(f"`{cmd}` → `{out}`; {r['processes']} generator processes; load average at start {r['machine']['loadAverageAtStart']}.\n")
print(f"- **set-up**: {c['ready']:,} of {total:,} signed in and joined, {c['failed']} failed, in {c['elapsedMicros'] / 1e6:.0f} s"
      f" (first failure: {c['firstFailure'] or 'none'}); rosters: members known {r['membersKnown']:,} of {r['membersExpected']:,}"
      f" ({r['rooms']} rooms of {size}); cluster CPU {fmt(r['clusterCpuMicrosPerJoin'])} µs per client joined")
for s in steps:
    print(f"- **{s['requestedRate']:g} publishes/s** ({s['achievedRate']:.1f} achieved, {s['deliveriesPerSecond']:,.0f} deliveries/s):"
          f" {s['deliveries']:,} of {s['expectedDeliveries']:,} delivered, **lost {s['lost']}**, duplicates {s['duplicates']},"
          f" connections closed {s['connectionsClosed']}, publish errors {s['rejected'] + s['ioErrors'] + s['notSent']},"
          f" p50 / p99 {s['latencyP50Ms']:.1f} / {s['latencyP99Ms']:.1f} ms")
print("\n| process | clients | RSS empty → joined → after MiB | KiB per connection | CPU µs per client joined | "
      + " | ".join(f"CPU µs/delivery at {s['requestedRate']:g}/s" for s in steps) + " | most open files |")
print("|---|---|---|---|---|" + "---|" * len(steps) + "---|")
kib = []
for i, n in enumerate(r["nodeFigures"]):
    clients = sum(1 for k in range(c["ready"]) if k % 3 == i) if c["failed"] == 0 else c["ready"] / 3
    per = (n["rssJoinedBytes"] - n["rssEmptyBytes"]) / 1024 / clients if clients else -1
    kib.append(per)
    files = max((int(x[f"node{i + 1}_files"]) for x in rows), default=-1)
    print(f"| node {i + 1} | {clients:,.0f} | {mib(n['rssEmptyBytes']):.0f} → {mib(n['rssJoinedBytes']):.0f} → {mib(n['rssAfterBytes']):.0f}"
          f" | {per:.1f} | {fmt(n['cpuMicrosPerJoin'])} | " + " | ".join(fmt(s['nodes'][i]['cpuMicrosPerDelivery'], 2) for s in steps)
          + f" | {files:,} |")
info = [r.get(k, {}) for k in ("redisInfoEmpty", "redisInfoJoined", "redisInfoAfter")]
used = " → ".join(f"{mib(x.get('used_memory', -1)):.1f}" for x in info)
held = (info[1].get("used_memory", 0) - info[0].get("used_memory", 0)) / max(1, c["ready"])
print(f"| Redis | – | INFO used_memory {used} (RSS {mib(r['redisRssEmptyBytes']):.0f} → {mib(r['redisRssAfterBytes']):.0f})"
      f" | {held / 1024:.2f} | {fmt(r['redisCpuMicrosPerJoin'])} | " + " | ".join(fmt(s['redisCpuMicrosPerDelivery'], 2) for s in steps) + " | – |")
print(f"| **cluster** | {c['ready']:,} | | | **{fmt(r['clusterCpuMicrosPerJoin'])}** | "
      + " | ".join(f"**{fmt(s['clusterCpuMicrosPerDelivery'], 2)}**" for s in steps) + " | |")
# The model of docs/redis-cluster.md ("A million connections: the model") against this run.
mean_kib = sum(kib) / len(kib) if kib else -1
per_gib = f"{1048576 / mean_kib / 1000:.0f}k" if mean_kib > 0 else "–"
for_1m = f"{math.ceil(1e6 * mean_kib / 1048576):.0f}" if mean_kib > 0 else "–"
rates = " / ".join(f"{s['requestedRate']:g}" for s in steps)
nodes_sum = [sum(n["cpuMicrosPerDelivery"] for n in s["nodes"]) for s in steps]
bpp = [s.get("redisBytesPerPublish", -1) for s in steps]
idle_bps = r.get("redisIdleBytesPerSecond", 0)
net = [(b * s["accepted"] - idle_bps * s["wallSeconds"]) / s["accepted"] if b > 0 else -1 for b, s in zip(bpp, steps)]
print("\n| the capacity model (docs/redis-cluster.md) | model | measured here |\n|---|---|---|")
print(f"| node RSS per connection, signed in and subscribed | 7.7 KiB (one node, 10k) | {mean_kib:.1f} KiB (mean of the nodes) |")
print(f"| connections per GiB of node RSS | 136k | {per_gib} |")
print(f"| nodes of 1 GiB for 1M connections, by memory | 8 | {for_1m} |")
print(f"| nodes' CPU per fan-out delivery, summed over the three | ~10 µs (7–11 one node; 11.7–15.6 three on one Redis, 15k) |"
      f" {' / '.join(f'{x:.2f}' for x in nodes_sum)} µs at {rates} publishes/s |")
print(f"| Redis client traffic per publish (replication left out), S = 3 nodes subscribed | (1 + S) × (frame + ~95 B) ≈ 980 B (a 149 B frame) |"
      f" {' / '.join(fmt(x) for x in bpp)} B; {' / '.join(fmt(x) for x in net)} B above Redis's idle traffic ({idle_bps:,.0f} B/s) |")
print(f"| Redis memory per connection held (users, rosters, node indexes) | not in the model | {held:.0f} B |")
PY
echo "results: $OUT (summary appended to $MARKDOWN)"
