#!/usr/bin/env bash
# Side-by-side benchmark: Switchboard and soketi 1.6.1, same harness, same machine, one go.
#
#   bench/compare.sh                      # every scenario, 1k and 10k subscribers for fan-out
#   SCENARIOS="fanout http" SUBS="1000" DURATION=3 bench/compare.sh   # a shorter run
#
# Each scenario gets a freshly started server (so RSS baselines are clean), one server at a time.
# PIN=1 (default when the machine has 2+ CPUs): server on CPU 0, load generator on CPU 1 (taskset).
# Settings (env): SCENARIOS (fanout users idle http presence), SUBS (1000 10000; at most 19000: the
#   server's open-files limit is 20,000), TARGETS (deliveries/s per fan-out step: 10000 25000 50000
#   100000; rate = target / subscribers), USER_RATES (200,500,1000,2000), USERS (5000), IDLE (10000),
#   HTTP_C (16), PRESENCE_RATES (100,200,500,1000), DURATION (5 s per step), WARMUP (10 s: a fresh
#   JVM needs that long before its hot paths are compiled; node gets the same),
#   SB_PORT (6101), PEER_PORT (6102), OUT (bench/results/<timestamp>), MARKDOWN (BENCHMARKS.md),
#   SERVER_CPU_QUOTA (unset: a whole core; 0.5: half a core for either server, for peak fan-out, see limit_cpu),
#   storm: STORM (10000 clients, a presence room each), STORM_SHARED (5000 clients) in STORM_ROOMS (100 shared
#   rooms), STORM_WARMUP (1000: the cold figure on the fresh server, then the measured storm is warm).
# Switchboard: SB_CMD if set, else bin/switchboard when present, else java -jar
# switchboard-server/target/switchboard.jar, with SWITCHBOARD_PORT; extra JVM flags in SB_JAVA_OPTS. soketi: ../shared/peers/soketi/run.sh
# (PEER_USER_AUTH=true for the users and signed-in idle runs: soketi ignores pusher:signin otherwise).
set -euo pipefail
# Several servers (and soketi, whose metrics port is 9601 too) run here: no metrics listener.
export SWITCHBOARD_METRICS_PORT=${SWITCHBOARD_METRICS_PORT:--1}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
SCENARIOS=${SCENARIOS:-fanout users idle http presence storm}
SUBS=${SUBS:-1000 10000}
TARGETS=${TARGETS:-10000 25000 50000 100000}
USER_RATES=${USER_RATES:-200,500,1000,2000}
USERS=${USERS:-5000}
IDLE=${IDLE:-10000}
HTTP_C=${HTTP_C:-16}
PRESENCE_RATES=${PRESENCE_RATES:-100,200,500,1000}
STORM=${STORM:-10000}
STORM_SHARED=${STORM_SHARED:-5000}
STORM_ROOMS=${STORM_ROOMS:-100}
STORM_WARMUP=${STORM_WARMUP:-1000}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-10}
SB_PORT=${SB_PORT:-6101}
PEER_PORT=${PEER_PORT:-6102}
OUT=${OUT:-bench/results/$(date -u +%Y%m%dT%H%M%SZ)}
MARKDOWN=${MARKDOWN:-BENCHMARKS.md}
SOKETI=${SOKETI:-$root/../shared/peers/soketi/run.sh}
[ -x "$SOKETI" ] || SOKETI=/work/shared/peers/soketi/run.sh
if [ "$(nproc)" -ge 2 ]; then PIN=${PIN:-1}; else PIN=${PIN:-0}; fi
mkdir -p "$OUT"
summary=$OUT/summary.txt
: > "$summary"
charts=()

if [ "$PIN" = 1 ]; then SERVER_PIN=(taskset -c 0); export BENCH_CPUS=1; THREADS=1; else SERVER_PIN=(); THREADS=$(nproc); fi

echo "== building"
mvn -B -q -pl switchboard-server,switchboard-bench -am package -DskipTests

server_pid=""
pid_on_port() { ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }

wait_port() { # port seconds
  for _ in $(seq 1 $(( $2 * 10 ))); do
    local p; p=$(pid_on_port "$1")
    if [ -n "$p" ]; then echo "$p"; return 0; fi
    sleep 0.1
  done
  return 1
}

start_server() { # label [user-auth]
  local label=$1 auth=${2:-false}
  if [ "$label" = switchboard ]; then
    if [ -n "${SB_CMD:-}" ]; then
      # shellcheck disable=SC2086
      JAVA_OPTS=${SB_JAVA_OPTS:-} SWITCHBOARD_PORT=$SB_PORT "${SERVER_PIN[@]}" $SB_CMD > "$OUT/switchboard.log" 2>&1 &
    elif [ -x bin/switchboard ]; then
      JAVA_OPTS=${SB_JAVA_OPTS:-} SWITCHBOARD_PORT=$SB_PORT "${SERVER_PIN[@]}" bin/switchboard > "$OUT/switchboard.log" 2>&1 &
    else
      # shellcheck disable=SC2086
      SWITCHBOARD_PORT=$SB_PORT "${SERVER_PIN[@]}" java ${SB_JAVA_OPTS:-} -jar switchboard-server/target/switchboard.jar > "$OUT/switchboard.log" 2>&1 &
    fi
    port=$SB_PORT
  else
    PEER_PORT=$PEER_PORT PEER_USER_AUTH=$auth PEER_USER_AUTH_TIMEOUT_MS=86400000 "${SERVER_PIN[@]}" "$SOKETI" > "$OUT/soketi.log" 2>&1 &
    port=$PEER_PORT
  fi
  launcher=$!
  server_pid=$(wait_port "$port" 180) || { echo "$label did not start; see $OUT/$label.log" >&2; kill "$launcher" 2>/dev/null; exit 1; }
  if [ "$PIN" = 1 ]; then taskset -a -cp 0 "$server_pid" > /dev/null; fi
  if [ -n "${SERVER_CPU_QUOTA:-}" ]; then limit_cpu "$server_pid"; fi
  sleep 1
}

# SERVER_CPU_QUOTA=0.5: the server gets at most that share of one core (CFS quota over a 10 ms period, so a
# throttled server stalls at most a few ms), so that the server, not the one-core load generator, is what
# saturates in a peak fan-out run. Needs the cgroup-v1 cpu controller (root).
limit_cpu() { # pid
  local cg=/sys/fs/cgroup/cpu/switchboard-bench
  mkdir -p "$cg" || { echo "SERVER_CPU_QUOTA needs a writable $cg" >&2; exit 1; }
  local quota; quota=$(python3 -c "print(int(float('$SERVER_CPU_QUOTA') * 10000))")
  # Quota off first: the kernel refuses a period that would leave the current quota above the parent's.
  echo -1 > "$cg/cpu.cfs_quota_us"
  echo 10000 > "$cg/cpu.cfs_period_us"
  echo "$quota" > "$cg/cpu.cfs_quota_us"
  echo "$1" > "$cg/cgroup.procs"
}

stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  wait 2>/dev/null || true
  server_pid=""
}
trap stop_server EXIT

bench() { # label out-json args...
  local label=$1 json=$2; shift 2
  local p; if [ "$label" = switchboard ]; then p=$SB_PORT; else p=$PEER_PORT; fi
  local cmd="bench/run.sh $* --port $p --label $label --out $json"
  [ "$PIN" = 1 ] && cmd="BENCH_CPUS=1 $cmd"
  bench/run.sh "$@" --port "$p" --server-pid "$server_pid" --label "$label" --threads "$THREADS" \
    --out "$json" --markdown "$MARKDOWN" --command "$cmd" 2>&1 | tee -a "$OUT/bench.log" | grep -E '^(step|connecting|storm|[0-9]+ ready|[0-9]+ joined|RSS|warning)' || true
}

pair() { # name user-auth args...
  local name=$1 auth=$2; shift 2
  for label in switchboard soketi; do
    echo "== $name on $label"
    start_server "$label" "$auth"
    bench "$label" "$OUT/$name-$label.json" "$@"
    stop_server
  done
  java -jar switchboard-bench/target/switchboard-bench.jar compare "$OUT/$name-switchboard.json" "$OUT/$name-soketi.json" \
    | sed "1s/^[a-z]*:/[$name]/" | tee -a "$summary"
}

for s in $SCENARIOS; do
  case $s in
    fanout)
      for n in $SUBS; do
        rates=$(for t in $TARGETS; do awk -v t="$t" -v n="$n" 'BEGIN { r = t / n; printf "%s,", (r < 1 ? 1 : r) }'; done)
        procs=1; [ "$n" -gt 10000 ] && procs=2
        pair "fanout-$n" false fanout --connections "$n" --processes "$procs" --rates "${rates%,}" \
          --duration-s "$DURATION" --warmup-s "$WARMUP" --chart none
        java -jar switchboard-bench/target/switchboard-bench.jar chart "$OUT/fanout-$n.svg" \
          "$OUT/fanout-$n-switchboard.json" "$OUT/fanout-$n-soketi.json"
        # the latest chart also goes beside the Markdown file (BENCHMARKS-fanout-<n>.svg); this run's
        # section links its own copy, which later runs do not overwrite
        cp "$OUT/fanout-$n.svg" "$(dirname "$MARKDOWN")/BENCHMARKS-fanout-$n.svg"
        charts+=("$OUT/fanout-$n.svg")
      done ;;
    users)
      pair users true users --connections "$USERS" --rates "$USER_RATES" --duration-s "$DURATION" --warmup-s "$WARMUP" ;;
    idle)
      pair idle false idle --connections "$IDLE" --subscribe false --duration-s "$DURATION"
      pair idle-subscribed-signedin true idle --connections "$IDLE" --subscribe true --signin true --duration-s "$DURATION" ;;
    http)
      pair http false http --concurrency "$HTTP_C" --duration-s "$DURATION" --warmup-s "$WARMUP" ;;
    presence)
      pair presence false presence --connections 50 --observers 10 --rates "$PRESENCE_RATES" \
        --duration-s "$DURATION" --warmup-s "$WARMUP" ;;
    storm)
      # soketi handles pusher:signin only with user authentication on (PEER_USER_AUTH).
      pair storm-own true storm --connections "$STORM" --warmup-clients "$STORM_WARMUP"
      pair storm-shared true storm --connections "$STORM_SHARED" --rooms "$STORM_ROOMS" --warmup-clients "$STORM_WARMUP" ;;
    *) echo "unknown scenario $s" >&2; exit 2 ;;
  esac
done

echo
echo "== Switchboard vs soketi (ratio = Switchboard / soketi)"
cat "$summary"
{
  echo
  echo "### Ratios, Switchboard / soketi ($(date -u +%Y-%m-%dT%H:%M:%SZ), results in \`$OUT\`)"
  echo
  echo "Command: \`SCENARIOS=\"$SCENARIOS\" SUBS=\"$SUBS\" TARGETS=\"$TARGETS\" USERS=$USERS USER_RATES=$USER_RATES IDLE=$IDLE HTTP_C=$HTTP_C PRESENCE_RATES=$PRESENCE_RATES STORM=$STORM STORM_SHARED=$STORM_SHARED STORM_ROOMS=$STORM_ROOMS STORM_WARMUP=$STORM_WARMUP DURATION=$DURATION WARMUP=$WARMUP PIN=$PIN bench/compare.sh\`"
  echo
  echo '```'
  cat "$summary"
  echo '```'
  for c in "${charts[@]}"; do
    echo
    echo "![$(basename "${c%.svg}")]($c)"
  done
} >> "$MARKDOWN"
