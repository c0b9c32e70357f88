#!/usr/bin/env bash
# The reconnect storm of bench/cluster.sh on soketi 1.6.1 run as three processes on one redis-server (its Redis
# adapter, the way soketi scales out), beside one soketi alone: the peer's figure for issue 22's "one node and three".
# soketi is installed by ../shared/peers/soketi/run.sh (run it once first); this script writes its own configs, the
# same app as run.sh's plus "adapter.driver": "redis".
#
#   bench/peer-cluster-storm.sh      env: STORM (10000), STORM_ROOMS (0: own rooms), STORM_WARMUP (1000),
#                                         BASE_PORT (7500), PEER_DIR (/tmp/switchboard-peer-soketi), OUT
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
STORM=${STORM:-10000}; STORM_ROOMS=${STORM_ROOMS:-0}; STORM_WARMUP=${STORM_WARMUP:-1000}; BASE_PORT=${BASE_PORT:-7500}
D=${PEER_DIR:-/tmp/switchboard-peer-soketi}
OUT=${OUT:-bench/results/$(date -u +%Y%m%dT%H%M%SZ)-peer-cluster-storm}
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
[ -d "$D/node_modules/@soketi/soketi" ] || { echo "soketi is not installed in $D: run ../shared/peers/soketi/run.sh once" >&2; exit 1; }
redis_port=$((BASE_PORT + 79)); ports=($((BASE_PORT + 1)) $((BASE_PORT + 2)) $((BASE_PORT + 3)))
pids=(); rpid=""
stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; [ -n "$rpid" ] && kill "$rpid" 2>/dev/null || true; wait 2>/dev/null || true; pids=(); rpid=""; }
trap stop EXIT
pid_on_port() { ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }
wait_port() { for _ in $(seq 1 300); do local p; p=$(pid_on_port "$1"); [ -n "$p" ] && { echo "$p"; return 0; }; sleep 0.1; done; return 1; }
start_soketi() { # port adapter
  local cfg=$OUT/soketi-$1.json
  cat > "$cfg" <<JSON
{
  "host": "127.0.0.1", "port": $1, "debug": false,
  "metrics.enabled": false, "metrics.host": "127.0.0.1", "metrics.port": $(($1 + 3600)),
  "adapter.driver": "$2", "database.redis.host": "127.0.0.1", "database.redis.port": $redis_port,
  "userAuthenticationTimeout": 30000,
  "appManager.array.apps": [
    { "id": "app-id", "key": "app-key", "secret": "app-secret", "enableClientMessages": true,
      "enableUserAuthentication": true, "maxConnections": -1, "webhooks": [] }
  ]
}
JSON
  (cd "$D" && exec node -r ./uws-compat.js node_modules/@soketi/soketi/bin/server.js start --config="$cfg") \
    > "$OUT/soketi-$1.log" 2>&1 &
  wait_port "$1" > /dev/null || { echo "soketi on $1 did not start; see $OUT" >&2; exit 1; }
  # the listening process is node itself (the subshell exec'd it)
  pids+=("$(pid_on_port "$1")")
}
storm() { # label ws-ports pids [redis-pid]
  bench/run.sh storm --port "${ports[0]}" --ws-ports "$2" --server-pid "${3%%,*}" --node-pids "$3" \
    ${4:+--redis-pid "$4"} --connections "$STORM" --rooms "$STORM_ROOMS" --warmup-clients "$STORM_WARMUP" \
    --markdown none --chart none --out "$OUT/$1.json" > "$OUT/$1.log" 2>&1
  grep -E '^[0-9]+ joined' "$OUT/$1.log" | tail -2
}
echo "== soketi alone"
start_soketi "${ports[0]}" local
storm one-soketi "${ports[0]}" "${pids[0]}"
stop
echo "== three soketi on one Redis (adapter.driver redis)"
redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no --dir "$OUT" --logfile "$OUT/redis.log" &
rpid=$(wait_port "$redis_port") || { echo "redis-server did not start" >&2; exit 1; }
for p in "${ports[@]}"; do start_soketi "$p" redis; done
storm three-soketi "$(IFS=,; echo "${ports[*]}")" "$(IFS=,; echo "${pids[*]}")" "$rpid"
python3 - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
one = json.load(open(f"{out}/one-soketi.json")); three = json.load(open(f"{out}/three-soketi.json"))
def f(d, k): return d.get(k, {})
for phase in ("cold", "storm"):
    a, b = f(one, phase), f(three, phase)
    ca, cb = a.get("clusterCpuMicrosPerJoin", a.get("serverCpuMicrosPerJoin")), b.get("clusterCpuMicrosPerJoin")
    print(f"{phase}: soketi alone {ca} µs/client, three on one Redis {cb} µs/client (Redis {b.get('redisCpuMicrosPerJoin')}), "
          f"ratio {cb / ca:.2f}" if ca and cb else f"{phase}: {ca} / {cb}")
PY
echo "results: $OUT"
