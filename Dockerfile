# Switchboard's container image: debian:bookworm-slim, the jlink'd Java 25 runtime and the server jar of
# scripts/release (target/release/switchboard/), run as a non-root user.
#
#   scripts/release && podman build -t switchboard .          # or docker build
#   podman run --rm -p 6001:6001 -p 9601:9601 switchboard     # app app-id / app-key / app-secret
#   podman run --rm --network host -e SWITCHBOARD_REDIS_URL=redis://10.0.0.5:6379 switchboard
#
# Settings come from SWITCHBOARD_* variables (docs/configuration.md), or soketi's SOKETI_* ones
# (docs/migrating-from-soketi.md), or a config file: -v ./switchboard.json:/etc/switchboard.json
# -e SWITCHBOARD_CONFIG=/etc/switchboard.json.
FROM docker.io/library/debian:bookworm-slim

RUN groupadd --system --gid 10001 switchboard \
 && useradd --system --uid 10001 --gid switchboard --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin switchboard

# Owned by root and read-only to the server: nothing in it is meant to change at run time.
COPY target/release/switchboard/ /opt/switchboard/

USER 10001:10001
WORKDIR /opt/switchboard
# 6001: WebSockets and the HTTP API; 9601: GET /metrics (Prometheus).
EXPOSE 6001 9601
# SIGTERM drains: /up answers 503 and sockets close with 4200 over shutdown_drain_seconds (5 s), then
# in-flight requests get shutdown_grace_seconds (10 s); give the stop more than both (docker stop -t 30).
STOPSIGNAL SIGTERM
# /up over plain HTTP on the client port (bin/healthcheck uses bash alone; the image has no curl).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD ["/opt/switchboard/bin/healthcheck"]
ENTRYPOINT ["/opt/switchboard/bin/switchboard"]
