#!/usr/bin/env bash
# Browser tests: Debian's chromium, driven by playwright-core, through the dashboard and the demo app, each
# test file against its own server and demo on free ports. Screenshots and logs go to browser/output/.
#
#   browser/run.sh                          # all
#   browser/run.sh test/demo.test.mjs       # one file (path relative to browser/)
#
# Env: CHROMIUM (default /usr/bin/chromium), SWITCHBOARD_JAR, DEMO_JAR, BROWSER_OUTPUT, BROWSER_TIMEOUT_MS.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$here"

command -v node >/dev/null || { echo "browser tests: node (>= 20) is required" >&2; exit 1; }
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "browser tests: installing Debian's chromium…" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
  [ -x "$chromium" ] || {
    echo "browser tests: $chromium is missing; install Debian's chromium (as root: apt-get install -y chromium)" >&2
    exit 1
  }
fi

stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

server_jar=${SWITCHBOARD_JAR:-$root/switchboard-server/target/switchboard.jar}
demo_jar=${DEMO_JAR:-$root/switchboard-demo/target/switchboard-demo.jar}
if [ ! -f "$server_jar" ] || [ ! -f "$demo_jar" ]; then
  echo "browser tests: building the server and demo jars…" >&2
  (cd "$root" && mvn -B -ntp -q -DskipTests -pl switchboard-server,switchboard-demo -am package)
fi

rm -rf output
mkdir -p output
if [ $# -gt 0 ]; then files=("$@"); else files=(test/*.test.mjs); fi
exec node --test --test-concurrency=1 "${files[@]}"
