#!/usr/bin/env bash
# Runs the conformance suite: the real pusher-js 8.6.0 and pusher 5.3.4 against a Switchboard server that
# each test file starts on its own free port.
#
#   conformance/run.sh                      # whole suite
#   conformance/run.sh test/users-signin.test.mjs  # some files (paths relative to conformance/)
#
# Env: SWITCHBOARD_JAR (default switchboard-server/target/switchboard.jar), SKIP_BUILD=1 (never build; fail
# if the jar is missing), CONFORMANCE_TIMEOUT_MS (per-wait deadline, default 5000),
# CONFORMANCE_SERVER_LOG=inherit (server output on the console), CONFORMANCE_PUSHER_LOG=1 (pusher-js logs),
# JAVA_AUTH_CLASSPATH (classpath of conformance/java-auth/AuthServer.java; default: computed with mvn).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$here"

command -v node >/dev/null || { echo "node (>= 20) is required" >&2; exit 1; }
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || { echo "node >= 20 required, found $(node --version)" >&2; exit 1; }
command -v java >/dev/null || { echo "java is required to run the server" >&2; exit 1; }

# Install exactly what the lock file says, when node_modules is missing or older than the lock file.
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  npm ci --no-audit --no-fund
fi

jar=${SWITCHBOARD_JAR:-$root/switchboard-server/target/switchboard.jar}
if [ ! -f "$jar" ]; then
  if [ "${SKIP_BUILD:-0}" = 1 ]; then
    echo "server jar not found: $jar (build it with: mvn -B -q -DskipTests package, at $root)" >&2
    exit 1
  fi
  echo "building the server jar (mvn -B -q -DskipTests package)…" >&2
  (cd "$root" && mvn -B -q -DskipTests package)
  [ -f "$jar" ] || { echo "build finished but $jar is missing" >&2; exit 1; }
fi
export SWITCHBOARD_JAR="$jar"

if [ $# -gt 0 ]; then
  files=("$@")
else
  files=(test/*.test.mjs)
fi
# One file at a time: each starts its own JVM; the machine has 2 cores.
exec node --test --test-concurrency=1 "${files[@]}"
