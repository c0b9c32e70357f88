#!/usr/bin/env bash
# idle memory per JVM variant: usage idle-jvm.sh OUTDIR CONNS
set -u
cd /work/wt-soak
out=$1; n=$2; mkdir -p $out
JAR=switchboard-server/target/switchboard.jar
BASE="-XX:+UseSerialGC -Xms64m -Xmn32m -Xss512k -XX:-AlwaysPreTouch -XX:+ExitOnOutOfMemoryError -Dio.netty.tryReflectionSetAccessible=true --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/jdk.internal.misc=ALL-UNNAMED -XX:TrimNativeHeapInterval=1000"
J17=/usr/lib/jvm/java-17-openjdk-amd64/bin/java
J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
for variant in jdk17 jdk25 jdk25-coh; do
  case $variant in
    jdk17) J=$J17; F="$BASE";;
    jdk25) J=$J25; F="$BASE";;
    jdk25-coh) J=$J25; F="$BASE -XX:+UseCompactObjectHeaders";;
  esac
  for sub in false true; do
    port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
    SWITCHBOARD_PORT=$port SWITCHBOARD_METRICS_PORT=-1 taskset -c 0 $J $F -jar $JAR > $out/server-$variant-$sub.log 2>&1 &
    pid=$!
    for i in $(seq 100); do curl -sf http://127.0.0.1:$port/up >/dev/null && break; sleep 0.2; done
    BENCH_CPUS=1 bench/run.sh idle --connections $n --subscribe $sub --duration-s 5 --port $port --server-pid $pid --label $variant-sub$sub --markdown none --out $out/idle-$variant-$sub.json > $out/bench-$variant-$sub.log 2>&1
    kill $pid; wait $pid 2>/dev/null
    grep -i "KiB\|rss" $out/bench-$variant-$sub.log | tail -3
  done
done
