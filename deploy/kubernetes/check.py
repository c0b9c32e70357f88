#!/usr/bin/env python3
"""Checks a rendering of deploy/kubernetes (kubectl kustomize output on stdin) for what issue 24 asks of it,
and with --podman-out writes its Switchboard Deployment adapted to `podman kube play` on one machine.

  kubectl kustomize deploy/kubernetes/overlays/trial | deploy/kubernetes/check.py --overlay trial
  ... | check.py --overlay trial --podman-out pod.yaml --image localhost/switchboard:test \
        --redis redis://127.0.0.1:6380 --port 7001 --metrics-port 7002

Shutdown budget: the pod's terminationGracePeriodSeconds must exceed its preStop sleep plus the node's
shutdown_drain_seconds plus shutdown_grace_seconds (defaults 5 and 10, read from the server's --help text
by deploy/test.sh and passed as --drain / --grace)."""
import argparse
import sys

import yaml


def fail(msg):
    sys.exit(f"kubernetes: {msg}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--overlay", required=True)
    ap.add_argument("--drain", type=int, default=5)
    ap.add_argument("--grace", type=int, default=10)
    ap.add_argument("--podman-out")
    ap.add_argument("--image")
    ap.add_argument("--redis")
    ap.add_argument("--port", type=int)
    ap.add_argument("--metrics-port", type=int)
    a = ap.parse_args()

    docs = [d for d in yaml.safe_load_all(sys.stdin) if d]
    by_kind = {}
    for d in docs:
        by_kind.setdefault(d["kind"], []).append(d)
    deps = [d for d in by_kind.get("Deployment", []) if d["metadata"]["name"] == "switchboard"]
    if len(deps) != 1:
        fail("one Deployment named switchboard expected")
    dep = deps[0]
    pod = dep["spec"]["template"]["spec"]
    c = pod["containers"][0]
    env = {e["name"]: e for e in c.get("env", [])}

    if "SWITCHBOARD_REDIS_URL" not in env:
        fail("the nodes need SWITCHBOARD_REDIS_URL (--redis)")
    ports = {p["name"]: p["containerPort"] for p in c["ports"]}
    if ports != {"ws": 6001, "metrics": 9601}:
        fail(f"ports ws 6001 and metrics 9601 expected, got {ports}")
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        http = c.get(probe, {}).get("httpGet", {})
        if http.get("path") != "/up" or http.get("port") != "ws":
            fail(f"{probe} must GET /up on port ws")
    pre = c.get("lifecycle", {}).get("preStop", {}).get("exec", {}).get("command", [])
    if pre[:1] != ["sleep"]:
        fail("preStop must sleep while the endpoints drop the pod")
    budget = int(pre[1]) + int(env.get("SWITCHBOARD_SHUTDOWN_DRAIN_SECONDS", {}).get("value", a.drain)) + a.grace
    if pod.get("terminationGracePeriodSeconds", 30) <= budget:
        fail(f"terminationGracePeriodSeconds must exceed preStop + drain + grace = {budget} s")
    if not c.get("resources", {}).get("requests"):
        fail("resource requests missing")
    if pod.get("securityContext", {}).get("runAsNonRoot") is not True:
        fail("pods must run as non-root")
    if not by_kind.get("PodDisruptionBudget") or not by_kind.get("ServiceMonitor"):
        fail("PodDisruptionBudget and ServiceMonitor expected")
    svc = [s for s in by_kind.get("Service", []) if s["metadata"]["name"] == "switchboard"]
    if not svc or {p["name"] for p in svc[0]["spec"]["ports"]} != {"ws", "metrics"}:
        fail("Service switchboard with ports ws and metrics expected")
    mon = by_kind["ServiceMonitor"][0]["spec"]["endpoints"][0]
    if mon.get("port") != "metrics" or mon.get("path") != "/metrics":
        fail("the ServiceMonitor must scrape port metrics at /metrics")
    if a.overlay == "trial":
        if not any(d["metadata"]["name"] == "switchboard-redis" for d in by_kind.get("Deployment", [])):
            fail("the trial overlay brings its own Redis")
        secrets = [s for s in by_kind.get("Secret", []) if s["metadata"]["name"] == "switchboard-redis"]
        if not secrets:
            fail("the trial overlay makes the Secret switchboard-redis")
    print(f"kubernetes: {a.overlay}: {len(docs)} objects checked", file=sys.stderr)

    if a.podman_out:
        # One machine, no cluster DNS nor registry: the local image, Redis by URL, the host's network on free
        # ports (podman refuses port mappings there, so the probes name the port by number), one replica.
        c["image"] = a.image
        c["env"] = [e for e in c["env"] if e["name"] != "SWITCHBOARD_REDIS_URL"] + [
            {"name": "SWITCHBOARD_REDIS_URL", "value": a.redis},
            {"name": "SWITCHBOARD_PORT", "value": str(a.port)},
            {"name": "SWITCHBOARD_METRICS_PORT", "value": str(a.metrics_port)},
        ]
        del c["ports"]
        for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
            c[probe]["httpGet"]["port"] = a.port
        pod["hostNetwork"] = True
        dep["spec"]["replicas"] = 1
        with open(a.podman_out, "w") as f:
            yaml.safe_dump(dep, f)


if __name__ == "__main__":
    main()
