#!/bin/bash
# usage: prof.sh JAR NAME [jvm flags]
jar=$1; name=$2; shift 2
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin
cd /tmp/prof
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
SWITCHBOARD_METRICS_PORT=-1 SWITCHBOARD_LOG_LEVEL=WARN SWITCHBOARD_PORT=$port taskset -c 0 $J/java -XX:+UseSerialGC -Xms64m -Xmn32m -Xss512k -XX:+UseCompactObjectHeaders --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Dio.netty.tryReflectionSetAccessible=true --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/jdk.internal.misc=ALL-UNNAMED -XX:TrimNativeHeapInterval=1000 -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit "$@" -jar $jar > $name-server.log 2>&1 &
pid=$!
for i in $(seq 100); do curl -sf http://127.0.0.1:$port/up >/dev/null && break; sleep 0.2; done
taskset -c 1 java -XX:+UseParallelGC -Xms256m -Xmx2g -Xss512k -jar /tmp/jars/bench.jar fanout --connections 10000 --processes 1 --rates 10 --duration-s 30 --warmup-s 10 --threads 1 --port $port --server-pid $pid --markdown none --chart none --out $name.json > $name-bench.log 2>&1 &
b=$!
for i in $(seq 300); do grep -q "warm" $name-bench.log 2>/dev/null && break; sleep 0.5; done
sleep 22
perf record -e cpu-clock -F 2000 -p $pid -o $name.data -- sleep 12 2>/dev/null
$J/jcmd $pid Compiler.perfmap >/dev/null
wait $b
kill $pid; wait $pid 2>/dev/null
grep "^| 10" $name-bench.log
perf report -i $name.data --no-children --sort dso,sym --stdio 2>/dev/null | grep -v "^#" | grep -v "^$" | head -60 > $name-top.txt
