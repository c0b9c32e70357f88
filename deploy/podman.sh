# Sourced by deploy/test.sh (and usable by hand): podman as it runs on a machine without a Docker engine or a
# registry, as root: runc, vfs storage of our own, the host network, every ulimit explicit (the container
# gets what this shell has, since it cannot be raised here). The base image debian:bookworm-slim is made
# locally with debootstrap (Debian's mirror, as apt has it) and imported under its registry name, so the
# Dockerfile builds unchanged with --pull=never. Its rootfs tarball is cached under $SHIP_CACHE.
#
#   . deploy/podman.sh; ship_podman_setup; sb_podman build --pull=never -t switchboard:test .

SHIP_CACHE="${SHIP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/switchboard-ship}"
BASE_IMAGE="docker.io/library/debian:bookworm-slim"

sb_podman() {
  CONTAINERS_CONF="${SHIP_CONTAINERS_CONF:-/dev/null}" podman --runtime /usr/sbin/runc --storage-driver vfs --root "$SHIP_CACHE/podman-storage" \
    --runroot "${TMPDIR:-/tmp}/switchboard-ship-podman-run" --cgroup-manager cgroupfs --events-backend none "$@"
}

# --ulimit flags for build and run: the limits of this shell, soft:hard (memlock: ulimit counts KiB, podman
# bytes). nproc is capped at 32768: runc is refused more here even under this shell's own 96367 (EPERM
# from setrlimit, found by bisection), and a JVM with a few dozen threads needs far less.
sb_ulimits() {
  local name opt unit soft hard
  for name in nofile:n:1 nproc:u:1 core:c:1 memlock:l:1024 sigpending:i:1 msgqueue:q:1; do
    IFS=: read -r name opt unit <<<"$name"
    soft="$(sb_limit "$(ulimit -S"$opt")" "$unit")"
    hard="$(sb_limit "$(ulimit -H"$opt")" "$unit")"
    # An unlimited hard limit (core) is given as the soft one: containers.conf cannot say -1 (EINVAL).
    if [[ "$hard" == -1 && "$soft" != -1 ]]; then hard="$soft"; fi
    if [[ "$name" == nproc ]]; then
      soft="$(sb_cap "$soft" 32768)"; hard="$(sb_cap "$hard" 32768)"
    fi
    printf -- '--ulimit %s=%s:%s ' "$name" "$soft" "$hard"
  done
}
sb_limit() { if [[ "$1" == unlimited ]]; then echo -1; else echo $(($1 * $2)); fi; }
sb_cap() { if [[ "$1" == -1 || "$1" -gt "$2" ]]; then echo "$2"; else echo "$1"; fi; }

# Debian packages podman, runc and debootstrap, installed when missing (as root, as CI runs).
sb_need_packages() {
  local missing=()
  command -v podman >/dev/null || missing+=(podman)
  [[ -x /usr/sbin/runc ]] || missing+=(runc)
  command -v debootstrap >/dev/null || [[ -x /usr/sbin/debootstrap ]] || missing+=(debootstrap)
  if ((${#missing[@]})); then
    if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
      echo "deploy tests: need ${missing[*]} (as root: apt-get install -y ${missing[*]})" >&2
      return 1
    fi
    echo "deploy tests: installing ${missing[*]}…" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# The mirror apt uses (deb822 sources or the classic list), else Debian's own.
sb_mirror() {
  local m
  m="$(sed -n 's/^URIs: *\(http[^ ]*debian\/\?\) *$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)"
  [[ -n "$m" ]] || m="$(sed -n 's/^deb \(\[[^]]*\] \)\?\(http[^ ]*\) bookworm .*/\2/p' /etc/apt/sources.list 2>/dev/null | head -1)"
  echo "${m:-http://deb.debian.org/debian}"
}

# debian:bookworm-slim in our storage: imported from the cached debootstrap tarball, made when missing.
sb_base_image() {
  if sb_podman image exists "$BASE_IMAGE"; then return 0; fi
  local tarball="$SHIP_CACHE/debian-bookworm-minbase.tar"
  mkdir -p "$SHIP_CACHE"
  if [[ ! -s "$tarball" ]]; then
    local rootfs
    rootfs="$(mktemp -d "${TMPDIR:-/tmp}/switchboard-ship-rootfs.XXXXXX")"
    echo "deploy tests: debootstrap --variant=minbase bookworm from $(sb_mirror) (cached in $tarball)…" >&2
    PATH="$PATH:/usr/sbin:/sbin" debootstrap --variant=minbase bookworm "$rootfs" "$(sb_mirror)" >/dev/null
    # The slim image's trims: no apt lists or caches.
    rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin
    # mktemp made the folder 0700, and it becomes the image's /: a non-root user could then reach nothing.
    chmod 755 "$rootfs"
    tar -C "$rootfs" -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
    rm -rf "$rootfs"
  fi
  sb_podman import "$tarball" "$BASE_IMAGE" >/dev/null
}

# containers.conf with the same limits, for what takes no --ulimit flag (podman kube play); sb_podman uses it.
sb_containers_conf() {
  local conf="${TMPDIR:-/tmp}/switchboard-ship-containers.conf"
  printf '[containers]\ndefault_ulimits = [ %s ]\n' \
    "$(sb_ulimits | sed 's/--ulimit \([^ ]*\) /"\1", /g; s/, $//')" > "$conf"
  echo "$conf"
}

ship_podman_setup() {
  sb_need_packages || return 1
  SHIP_CONTAINERS_CONF="$(sb_containers_conf)"
  export SHIP_CONTAINERS_CONF
  sb_base_image
}
