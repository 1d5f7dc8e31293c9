#!/usr/bin/env bash
# Start a Docker engine for vrgym's Docker sandbox (idempotent; used by .ci/run and by developers).
#
# - If `docker info` already answers, do nothing.
# - If `dockerd` is missing, install Debian's docker.io (needs root: apt-get).
# - Start dockerd in the background WITHOUT the default bridge/iptables/NAT: the sandbox containers run
#   with network_mode=none, so the engine never needs to touch the host's network configuration.
# - Wait until the socket answers; give up after VRGYM_DOCKERD_TIMEOUT seconds (default 60) with the log.
#
# Log: $VRGYM_DOCKERD_LOG (default /var/log/vrgym-dockerd.log). Exit 0 when the engine answers, 1 otherwise.
set -uo pipefail

timeout_s="${VRGYM_DOCKERD_TIMEOUT:-60}"
log="${VRGYM_DOCKERD_LOG:-/var/log/vrgym-dockerd.log}"

if docker info >/dev/null 2>&1; then
    echo "dockerd.sh: a Docker engine already answers; nothing to do"
    exit 0
fi

if [ "$(id -u)" != "0" ]; then
    echo "dockerd.sh: no Docker engine answers and starting one needs root (run this script as root," \
         "or ask an administrator to start dockerd); Docker sandbox tests will be skipped" >&2
    exit 1
fi

if ! command -v dockerd >/dev/null 2>&1; then
    echo "dockerd.sh: dockerd not found; installing Debian's docker.io"
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get install -y -q --no-install-recommends docker.io >/dev/null \
           || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends docker.io >/dev/null; }; }; then
        echo "dockerd.sh: apt-get install docker.io failed (no package mirror reachable?)" >&2
        exit 1
    fi
fi
if ! command -v docker >/dev/null 2>&1; then
    echo "dockerd.sh: warning: no docker CLI; the vrgym sandbox only needs the engine (it uses the Python SDK)" >&2
fi

mkdir -p "$(dirname "$log")"
echo "dockerd.sh: starting dockerd (log: $log)"
# setsid + nohup: the engine outlives this script and the CI step's process group.
setsid nohup dockerd --bridge=none --iptables=false --ip-masq=false --ip-forward=false \
    >>"$log" 2>&1 </dev/null &

for _ in $(seq 1 "$((timeout_s * 4))"); do
    if docker info >/dev/null 2>&1 || python3 - <<'PY' 2>/dev/null
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(1)
s.connect("/var/run/docker.sock")
s.sendall(b"GET /_ping HTTP/1.0\r\n\r\n")
sys.exit(0 if b"OK" in s.recv(4096) else 1)
PY
    then
        echo "dockerd.sh: the Docker engine answers"
        exit 0
    fi
    sleep 0.25
done
echo "dockerd.sh: dockerd did not answer within ${timeout_s}s; last lines of $log:" >&2
tail -n 20 "$log" >&2
exit 1
