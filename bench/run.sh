#!/usr/bin/env bash
# Runs the load generator: bench/run.sh <fanout|users|idle|http|presence|storm> [options]  (bench/run.sh --help)
# BENCH_CPUS=1 pins it with taskset (the server then belongs on the other core: see compare.sh).
# BENCH_JAVA_OPTS overrides the JVM flags. Builds the jar on first use.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jar=$root/switchboard-bench/target/switchboard-bench.jar
if [ ! -f "$jar" ]; then
  (cd "$root" && mvn -B -q -pl switchboard-bench -am package -DskipTests)
fi
opts=${BENCH_JAVA_OPTS:--XX:+UseParallelGC -Xms256m -Xmx2g -Xss512k}
pin=()
if [ -n "${BENCH_CPUS:-}" ]; then pin=(taskset -c "$BENCH_CPUS"); fi
# shellcheck disable=SC2086
exec "${pin[@]}" java $opts -jar "$jar" "$@"
