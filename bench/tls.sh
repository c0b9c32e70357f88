#!/usr/bin/env bash
# TLS cost: handshakes/s and server CPU per handshake (idle scenario, connections that only connect), and server
# CPU per delivery (fan-out), for plain ws, TLS on OpenSSL (netty-tcnative) and TLS on the JDK, RUNS times
# each, interleaved so that a change in the machine's load hits every mode alike. Prints min–max per figure.
#
#   bench/tls.sh                         # RUNS=3 CONNECTIONS=1000 SUBS=1000 RATES=10,50 DURATION=5
#   RUNS=5 SUBS=2000 bench/tls.sh
#
# A throwaway ECDSA P-256 certificate is made with openssl in a temporary folder. The clients (the bench's
# Netty clients, OpenSSL as well) do not check it: they measure the server. PIN=1 (default with 2+ CPUs): the
# server on CPU 0, the generator on CPU 1, as compare.sh does.
set -euo pipefail
# Several servers (and soketi, whose metrics port is 9601 too) run here: no metrics listener.
export SWITCHBOARD_METRICS_PORT=${SWITCHBOARD_METRICS_PORT:--1}
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
CONNECTIONS=${CONNECTIONS:-1000}
SUBS=${SUBS:-1000}
RATES=${RATES:-10,50}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-3}
MODES=${MODES:-"plain openssl jdk"}
PIN=${PIN:-$([ "$(nproc)" -ge 2 ] && echo 1 || echo 0)}
OUT=${OUT:-bench/results/tls-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"

if [ "$PIN" = 1 ]; then SERVER_PIN=(taskset -c 0); export BENCH_CPUS=1; THREADS=1; else SERVER_PIN=(); THREADS=$(nproc); fi

echo "== building"
mvn -B -q -pl switchboard-server,switchboard-bench -am package -DskipTests

echo "== certificate"
# Outside the results folder, and removed at the end: no private key is ever left to be committed.
CERTS=$(mktemp -d)
(cd "$CERTS" && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout key.pem \
  -out cert.pem -days 1 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2> /dev/null)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2> /dev/null || true
    for _ in $(seq 1 100); do kill -0 "$server_pid" 2> /dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2> /dev/null || true
    wait "$server_pid" 2> /dev/null || true
  fi
  server_pid=""
}
trap 'stop_server; rm -rf "$CERTS"' EXIT

start_server() { # mode
  port=$(free_port)
  tls_port=$(free_port)
  local tls=()
  if [ "$1" != plain ]; then
    tls=(--tls-cert "$CERTS/cert.pem" --tls-key "$CERTS/key.pem" --tls-port "$tls_port" --tls-provider "$1")
  fi
  # bin/switchboard execs java: $! is the server's pid.
  SWITCHBOARD_LOG_LEVEL=WARN "${SERVER_PIN[@]}" bin/switchboard --port "$port" "${tls[@]}" > "$OUT/server-$1.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 600); do
    curl -fs "http://127.0.0.1:$port/up" > /dev/null 2>&1 && return 0
    kill -0 "$server_pid" 2> /dev/null || { echo "server ($1) exited; see $OUT/server-$1.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "server ($1) did not start" >&2
  exit 1
}

run() { # mode run scenario args...
  local mode=$1 n=$2 scenario=$3; shift 3
  local ws=(); [ "$mode" != plain ] && ws=(--ws-ports "$tls_port" --wss)
  bench/run.sh "$scenario" --port "$port" "${ws[@]}" --server-pid "$server_pid" --label "$mode" --threads "$THREADS" \
    --out "$OUT/$scenario-$mode-$n.json" --markdown none --command "bench/tls.sh ($scenario, $mode)" "$@" \
    >> "$OUT/bench.log" 2>&1
}

for n in $(seq 1 "$RUNS"); do
  for mode in $MODES; do
    echo "== run $n: $mode"
    start_server "$mode"
    run "$mode" "$n" idle --connections "$CONNECTIONS" --subscribe false --duration-s 1
    stop_server
    start_server "$mode"
    run "$mode" "$n" fanout --connections "$SUBS" --rates "$RATES" --duration-s "$DURATION" --warmup-s "$WARMUP" --chart none
    stop_server
  done
done

python3 - "$OUT" "$MODES" << 'EOF'
import glob, json, sys
out, modes = sys.argv[1], sys.argv[2].split()
def rng(xs, fmt="{:,.0f}"):
    xs = [x for x in xs if x is not None and x >= 0]
    if not xs:
        return "–"
    lo, hi = min(xs), max(xs)
    return fmt.format(lo) if fmt.format(lo) == fmt.format(hi) else fmt.format(lo) + "–" + fmt.format(hi)
print("| mode | runs | handshakes/s (connect + TLS + upgrade) | server CPU µs/handshake | server RSS KiB/connection | "
      "server CPU µs/delivery by rate (publishes/s) | p50 latency ms by rate |")
print("|---|---|---|---|---|---|---|")
for m in modes:
    idle = [json.load(open(f)) for f in sorted(glob.glob(f"{out}/idle-{m}-*.json"))]
    fan = [json.load(open(f)) for f in sorted(glob.glob(f"{out}/fanout-{m}-*.json"))]
    per_rate, p50 = {}, {}
    for r in fan:
        for s in r.get("steps", []):
            rate = s.get("requestedRate")
            per_rate.setdefault(rate, []).append(s.get("serverCpuMicrosPerDelivery"))
            p50.setdefault(rate, []).append(s.get("latencyP50Ms"))
    cpu = "; ".join(f"{k:g}/s: {rng(v, '{:,.2f}')}" for k, v in sorted(per_rate.items()))
    lat = "; ".join(f"{k:g}/s: {rng(v, '{:,.1f}')}" for k, v in sorted(p50.items()))
    print(f"| {m} | {len(idle)} | {rng([r.get('connectionsPerSecond') for r in idle])} | "
          f"{rng([r.get('serverCpuMicrosPerConnect') for r in idle])} | "
          f"{rng([r.get('serverRssPerConnectionBytes', -1024) / 1024 for r in idle], '{:,.1f}')} | {cpu} | {lat} |")
EOF
echo "results: $OUT"
