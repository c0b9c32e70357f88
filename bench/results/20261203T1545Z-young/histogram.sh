#!/bin/bash
# usage: run.sh JAR N OUTPREFIX [extra jvm flags]
jar=$1; n=$2; pre=$3; shift 3
cd /tmp/histo
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
SWITCHBOARD_METRICS_PORT=-1 SWITCHBOARD_LOG_LEVEL=WARN SWITCHBOARD_PORT=$port $J/java -XX:+UseSerialGC -Xms64m -Xmn32m -Xss512k -XX:+UseCompactObjectHeaders --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Dio.netty.tryReflectionSetAccessible=true --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/jdk.internal.misc=ALL-UNNAMED -XX:TrimNativeHeapInterval=1000 "$@" -jar $jar > $pre-server.log 2>&1 &
pid=$!
for i in $(seq 100); do curl -sf http://127.0.0.1:$port/up >/dev/null && break; sleep 0.2; done
$J/jcmd $pid GC.class_histogram > $pre-h0.txt
java -jar /tmp/jars/bench.jar idle --port $port --connections $n --subscribe true --duration-s 25 --server-pid $pid --markdown none --out $pre-idle.json > $pre-bench.log 2>&1 &
b=$!
for i in $(seq 200); do grep -q " ready," $pre-bench.log 2>/dev/null && break; sleep 0.5; done
sleep 2
$J/jcmd $pid GC.class_histogram > $pre-h1.txt
wait $b
tail -1 $pre-bench.log
kill $pid
python3 - $pre $n <<'PY'
import re,sys
pre,n=sys.argv[1],int(sys.argv[2])
def load(f):
    d={}
    for line in open(f):
        m=re.match(r'\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)',line)
        if m: d[m.group(3)]=(int(m.group(1)),int(m.group(2)))
    return d
a=load(pre+'-h0.txt'); b=load(pre+'-h1.txt')
tot=sum(by-a.get(k,(0,0))[1] for k,(c,by) in b.items())
print("histogram bytes per connection", tot/n)
PY
