#!/usr/bin/env bash
# fan-out CPU per delivery per JVM variant: fanout-jvm.sh OUTDIR
set -u
cd ${WT:-/work/wt-soak}
out=$1; mkdir -p $out
JAR=switchboard-server/target/switchboard.jar
BASE="-XX:+UseSerialGC -Xms64m -Xmn32m -Xss512k -XX:-AlwaysPreTouch -XX:+ExitOnOutOfMemoryError -Dio.netty.tryReflectionSetAccessible=true --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/jdk.internal.misc=ALL-UNNAMED -XX:TrimNativeHeapInterval=1000"
J17=/usr/lib/jvm/java-17-openjdk-amd64/bin/java
J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
for variant in ${VARIANTS:-jdk17 jdk25-coh}; do
  case $variant in
    jdk17) J=$J17; F="$BASE";;
    jdk25) J=$J25; F="$BASE --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow";;
    nodirect) J=$J17; F="$BASE -Dswitchboard.noDirectWrite=true";;
    uring) J=$J17; F="$BASE"; export SWITCHBOARD_TRANSPORT=io_uring;;
    epoll) J=$J17; F="$BASE"; export SWITCHBOARD_TRANSPORT=epoll;;
    jdk25-coh) J=$J25; F="$BASE -XX:+UseCompactObjectHeaders --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow";;
  esac
  port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  SWITCHBOARD_PORT=$port taskset -c 0 $J $F -jar $JAR > $out/server-$variant.log 2>&1 &
  pid=$!
  for i in $(seq 100); do curl -sf http://127.0.0.1:$port/up >/dev/null && break; sleep 0.2; done
  BENCH_CPUS=1 bench/run.sh fanout --connections ${CONNS:-10000} --processes 1 --rates ${RATES:-2.5,5,10} --duration-s 5 --warmup-s 10 --threads 1 --port $port --server-pid $pid --label $variant --markdown none --chart none --out $out/fanout-$variant.json > $out/bench-$variant.log 2>&1
  kill $pid; wait $pid 2>/dev/null
  echo "== $variant load $(cut -d' ' -f1-3 /proc/loadavg)"; grep -B1 -A6 "^| rate\|^| requested" $out/bench-$variant.log | head -12
done
