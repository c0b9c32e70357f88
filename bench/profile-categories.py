#!/usr/bin/env python3
"""Where a server's CPU went, by category, from a JFR recording of CPU-time samples (JDK 25, jdk.CPUTimeSample).

    jcmd PID JFR.start name=p settings=profile jdk.CPUTimeSample#enabled=true jdk.CPUTimeSample#throttle=1ms
    ... load ...
    jcmd PID JFR.dump name=p filename=/tmp/p.jfr
    jfr print --json --events jdk.CPUTimeSample --stack-depth 64 /tmp/p.jfr > /tmp/p.json
    bench/profile-categories.py /tmp/p.json

Each sample is counted once, in the first category that matches (the order below): system calls by the frame on
top (they are native, so the top frame names them), the named Java costs by a frame anywhere on the stack. Also
prints the share of each thread group (event loops, the Redis client's threads, JIT, GC, the rest).
"""
import collections
import json
import sys

# (category, where to look: "top" or "any", substrings of the frame's "Class.method")
CATEGORIES = [
    ("send(2), writev(2)", "top", ["sendto", "writev", "sendmsg", "writeAddress", "sendAddress", "Native.write", "FileDescriptor.write"]),
    ("epoll (wait, ctl), eventfd", "top", ["epollWait", "epollCtl", "epollBusyWait", "eventFdWrite", "eventFdRead", "epoll_"]),
    ("close, recv, accept", "top", ["close0", "Native.close", "recvfrom", "readAddress", "FileDescriptor.read", "accept", "Socket.recv"]),
    ("other socket calls", "top", ["setsockopt", "getsockopt", "getsockname", "getSoLinger", "getSendBufferSize", "isIPv6", "localAddress", "remoteAddress"]),
    ("the Redis client (Lettuce: commands, replies, futures)", "any", ["io.lettuce."]),
    ("cluster state and broker (ours)", "any", ["dev.switchboard.server.cluster."]),
    ("JSON", "any", ["com.fasterxml.", "WireCodec"]),
    ("HMAC", "any", ["Signatures", "javax.crypto.Mac", "HmacCore", "SHA2"]),
    ("WebSocket handshake, HTTP parse", "any", ["websocketx.WebSocketServerHandshaker", "HttpObjectDecoder", "HttpServerCodec", "OneFlushHandshake", "WebSocketTarget"]),
    ("the engine's flows", "any", ["dev.switchboard.server.engine."]),
]


def frames(sample):
    st = sample.get("values", {}).get("stackTrace") or sample.get("stackTrace") or {}
    out = []
    for f in st.get("frames", []):
        m = f.get("method", {})
        t = m.get("type", {})
        out.append((t.get("name", "") or "") + "." + (m.get("name", "") or ""))
    return out


def thread_of(sample):
    v = sample.get("values", sample)
    t = v.get("eventThread") or v.get("sampledThread") or {}
    return t.get("javaName") or t.get("osName") or ""


def group(thread):
    if "CompilerThread" in thread or thread.startswith("C1 ") or thread.startswith("C2 "):
        return "JIT"
    if "GC" in thread or "G1" in thread or "VM Thread" in thread:
        return "GC and VM"
    if "lettuce" in thread.lower():
        return "Redis client threads"
    if "epoll" in thread.lower() or "eventloop" in thread.lower() or "nioEventLoop" in thread or "-loop" in thread:
        return "event loops"
    return "other threads (" + thread.split("-")[0] + ")"


def main(path):
    data = json.load(open(path))
    events = data.get("recording", {}).get("events", data if isinstance(data, list) else [])
    cats = collections.Counter()
    groups = collections.Counter()
    n = 0
    for e in events:
        fr = frames(e)
        n += 1
        groups[group(thread_of(e))] += 1
        g = group(thread_of(e))
        if g in ("JIT", "GC and VM"):
            cats[g] += 1
            continue
        name = "the rest (Netty's pipeline and allocator, JDK)"
        for cat, where, needles in CATEGORIES:
            look = fr[:1] if where == "top" else fr
            if any(any(s in f for s in needles) for f in look):
                name = cat
                break
        cats[name] += 1
    print(f"{n} samples")
    print("| thread group | share |\n|---|---|")
    for g, c in groups.most_common():
        print(f"| {g} | {100.0 * c / n:.1f} % |")
    print("\n| category | share |\n|---|---|")
    for c, k in cats.most_common():
        print(f"| {c} | {100.0 * k / n:.1f} % |")


if __name__ == "__main__":
    main(sys.argv[1])
