#!/usr/bin/env bash
# Issue 21: what one address asking for random app ids costs an apps database. Starts the server jar on a fresh
# PostgreSQL database of the machine's (127.0.0.1:5432, user postgres, trust auth), sends N
# GET /apps/<random uuid>/channels from 127.0.0.2 on one keep-alive connection (50 in flight), and reports the transactions the
# database committed meanwhile (pg_stat_database.xact_commit: one per statement in autocommit; a few are the
# node's own health checks). Not part of the test command; DatabaseLookupsContract asserts the bound.
#
#   bench/apps-lookup-flood.sh [JAR] [N]      # defaults: switchboard-server/target/switchboard.jar, 20000
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jar=${1:-$root/switchboard-server/target/switchboard.jar}
n=${2:-20000}
db=sb_flood_$(date +%s)_$$
psql() { command psql -h 127.0.0.1 -U postgres -Atq "$@"; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log=$(mktemp)
psql -c "CREATE DATABASE $db"
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; wait "${pid:-}" 2>/dev/null || true; psql -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"; rm -f "$log"; }
trap cleanup EXIT
java -jar "$jar" --port "$port" --host 127.0.0.1 --metrics-port -1 --no-dashboard \
  --apps-from "postgresql://postgres@127.0.0.1:5432/$db" --apps-migrate >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/up" >/dev/null && break; sleep 0.5; done
commits() { psql -c "SELECT xact_commit FROM pg_stat_database WHERE datname = '$db'"; }
# Backends report their counts when idle, at most every 10 s: wait for the figure to settle before and after.
settle() { local a b; a=$(commits); while sleep 11; b=$(commits); [ "$a" != "$b" ]; do a=$b; done; echo "$b"; }
before=$(settle)
python3 - "$port" "$n" <<'PY'
# A window of 50 requests in flight on one keep-alive connection: a busy client, not a pile the server must buffer.
import socket, sys, time, uuid
port, n = int(sys.argv[1]), int(sys.argv[2])
s = socket.socket(); s.bind(("127.0.0.2", 0)); s.connect(("127.0.0.1", port))
req = lambda: b"GET /apps/%s/channels?auth_key=x&auth_timestamp=1&auth_version=1.0 HTTP/1.1\r\nHost: x\r\n\r\n" % str(uuid.uuid4()).encode()
f = s.makefile("rb"); codes = {}; sent = 0; t0 = time.time()
while sent < min(50, n): s.sendall(req()); sent += 1
for _ in range(n):
    code = f.readline().split()[1].decode(); length = 0
    while (h := f.readline()) not in (b"\r\n", b""):
        if h.lower().startswith(b"content-length:"): length = int(h.split(b":")[1])
    f.read(length); codes[code] = codes.get(code, 0) + 1
    if sent < n: s.sendall(req()); sent += 1
print(f"{n} requests in {time.time() - t0:.1f} s, answers {codes}")
PY
after=$(settle)
echo "database transactions during the flood: $((after - before)) (jar $(basename "$jar"), N=$n)"
