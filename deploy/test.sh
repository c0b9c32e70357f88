#!/usr/bin/env bash
# The tests of the ways to run Switchboard (issue 24), run by scripts/test after the Node suite:
#   1. deploy/grafana: every metric the dashboard and alert rules use is served (a lone node, a cluster member);
#   2. deploy/kubernetes: base and trial overlay rendered by kubectl kustomize and checked (check.py);
#   3. the release archive (scripts/release): unpacked in a temp folder, run with no java nor mvn on PATH
#      against pusher-js and the pusher SDK; its systemd unit through systemd-analyze verify;
#   4. the container image: the Dockerfile built with podman (runc, vfs, host network; the debian:bookworm-slim
#      base made with debootstrap and cached), a node in it and a cluster with a node outside it;
#   5. the trial overlay's pod spec run by podman kube play with that image.
# podman, runc and debootstrap are installed with apt-get when missing (as root). Cache: $SHIP_CACHE
# (default ~/.cache/switchboard-ship: the base rootfs tarball and podman's storage); target/release keeps
# the jlink'd runtime. A first run on a fresh machine takes a few minutes more (debootstrap, jlink).
#
#   deploy/test.sh                 # all
#   deploy/test.sh grafana kube    # some stages: grafana kube archive image kubeplay
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"
# shellcheck source=deploy/podman.sh
. deploy/podman.sh

stages=("$@")
((${#stages[@]})) || stages=(grafana kube archive image kubeplay)
want() { [[ " ${stages[*]} " == *" $1 "* ]]; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/switchboard-ship-test.XXXXXX")"
IMAGE="localhost/switchboard:test"
cleanup() {
  local c
  if command -v podman >/dev/null; then
    for c in $(sb_podman ps -a --format '{{.Names}}' 2>/dev/null | grep '^ship-test-' || true); do
      sb_podman rm -f "$c" >/dev/null 2>&1 || true
    done
    # The kube play pod, should its test have died before its own kube down (the storage is ours alone).
    sb_podman pod rm -f switchboard-pod-0 >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

JAR="$ROOT/switchboard-server/target/switchboard.jar"
if [[ ! -f "$JAR" ]]; then
  echo "deploy tests: building the server jar…" >&2
  mvn -B -ntp -q -DskipTests -pl switchboard-server -am package
fi
stamp=conformance/node_modules/.package-lock.json
if [[ ! -f "$stamp" || conformance/package-lock.json -nt "$stamp" ]]; then
  (cd conformance && npm ci --no-audit --no-fund --loglevel=error)
fi
node_test() { (cd conformance && node --test --test-concurrency=1 "$@"); }

# A setting's default, from the generated docs/configuration.md (MainTest keeps it in step with the code).
default_of() { sed -n "s/^| \`$1\` |.*| integer | \([0-9]*\) |.*/\1/p" docs/configuration.md; }

if want grafana; then
  echo "== deploy: grafana" >&2
  node_test deploy/metrics.test.mjs
fi

if want kube; then
  echo "== deploy: kubernetes (kubectl kustomize)" >&2
  command -v kubectl >/dev/null || { echo "deploy tests: kubectl is required" >&2; exit 1; }
  python3 -c 'import yaml' 2>/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-yaml >/dev/null; }
  for overlay in base overlays/trial; do
    kubectl kustomize "deploy/kubernetes/$overlay" | python3 deploy/kubernetes/check.py --overlay "${overlay##*/}" \
      --drain "$(default_of shutdown_drain_seconds)" --grace "$(default_of shutdown_grace_seconds)"
  done
fi

if want archive; then
  echo "== deploy: release archive" >&2
  SKIP_BUILD=1 scripts/release >"$WORK/release.out"
  archive="$(tail -1 "$WORK/release.out")"
  mkdir -p "$WORK/unpacked"
  tar -C "$WORK/unpacked" -xzf "$archive"
  dir="$(echo "$WORK"/unpacked/switchboard-*-linux-x86_64)"
  [[ -x "$dir/bin/switchboard" && -x "$dir/runtime/bin/java" && -f "$dir/lib/switchboard.jar" && -f "$dir/README.md" ]] \
    || { echo "deploy tests: the archive lacks bin/, runtime/, lib/ or README.md" >&2; exit 1; }
  # The unit as installed, pointed at this unpacked copy; verify checks its syntax and that ExecStart exists.
  if command -v systemd-analyze >/dev/null; then
    sed "s|/opt/switchboard|$dir|g" "$dir/systemd/switchboard.service" > "$WORK/switchboard.service"
    systemd-analyze verify "$WORK/switchboard.service"
    stop="$(sed -n 's/^TimeoutStopSec=//p' "$WORK/switchboard.service")"
    need=$(($(default_of shutdown_drain_seconds) + $(default_of shutdown_grace_seconds)))
    ((stop > need)) || { echo "deploy tests: TimeoutStopSec=$stop must exceed drain + grace ($need s)" >&2; exit 1; }
  else
    echo "deploy tests: systemd-analyze not found, unit not verified" >&2
  fi
  # A PATH with bash and the launcher's few tools only: no java, no mvn.
  mkdir -p "$WORK/bare"
  for tool in bash env readlink dirname; do ln -s "$(command -v "$tool")" "$WORK/bare/$tool"; done
  SHIP_ARCHIVE_DIR="$dir" SHIP_BARE_PATH="$WORK/bare" node_test deploy/archive.test.mjs
fi

if want image || want kubeplay; then
  ship_podman_setup
  if [[ ! -d target/release/switchboard ]]; then SKIP_BUILD=1 scripts/release >/dev/null; fi
  echo "== deploy: container image (podman build)" >&2
  # shellcheck disable=SC2046  # the flags are meant to be split
  sb_podman build --pull=never --format docker --network host $(sb_ulimits) -t "$IMAGE" . >"$WORK/build.log" 2>&1 \
    || { cat "$WORK/build.log" >&2; exit 1; }
  sb_podman image prune -f >/dev/null 2>&1 || true
  podman_cmd="env CONTAINERS_CONF=$SHIP_CONTAINERS_CONF podman --runtime /usr/sbin/runc --storage-driver vfs --root $SHIP_CACHE/podman-storage --runroot ${TMPDIR:-/tmp}/switchboard-ship-podman-run --cgroup-manager cgroupfs --events-backend none"
fi

if want image; then
  inspect="$(sb_podman image inspect "$IMAGE" --format '{{.Config.User}}|{{range $p, $_ := .Config.ExposedPorts}}{{$p}} {{end}}|{{.Config.StopSignal}}|{{.Config.Healthcheck.Test}}')"
  [[ "$inspect" == "10001:10001|6001/tcp 9601/tcp |SIGTERM|[CMD /opt/switchboard/bin/healthcheck]" ]] \
    || { echo "deploy tests: image config is '$inspect'" >&2; exit 1; }
  SHIP_PODMAN="$podman_cmd" SHIP_PODMAN_RUN="$podman_cmd run --network host $(sb_ulimits)" SHIP_IMAGE="$IMAGE" \
    node_test deploy/image.test.mjs
fi

if want kubeplay; then
  echo "== deploy: podman kube play (trial overlay)" >&2
  kubectl kustomize deploy/kubernetes/overlays/trial > "$WORK/trial.yaml"
  SHIP_PODMAN="$podman_cmd" SHIP_KUBE_RENDER="$WORK/trial.yaml" SHIP_IMAGE="$IMAGE" SHIP_WORK="$WORK" \
    node_test deploy/kube.test.mjs
fi
echo "deploy tests: passed (${stages[*]})" >&2
