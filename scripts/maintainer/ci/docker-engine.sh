# A Docker engine for CI (sourced by .ci/run): Debian's docker.io, started in
# the background, stopped when the sourcing script ends, however it ends.
#
#   source scripts/maintainer/ci/docker-engine.sh
#   docker_engine_up     # installs docker.io if needed, starts dockerd, sets an EXIT trap
#
# An engine that already answers (a developer's machine) is used as it is and
# left running. dockerd is tried with its defaults first; where the machine
# refuses what they need (iptables rules, overlay mounts), with less of it:
# published ports then go through docker-proxy, which is all the container
# target uses. Only the engine's own files are touched (/var/lib/docker).

DOCKER_ENGINE_PID=
DOCKER_ENGINE_LOG=

docker_engine_down() {
  [ -n "$DOCKER_ENGINE_PID" ] || return 0
  kill "$DOCKER_ENGINE_PID" 2>/dev/null || true
  local _
  for _ in $(seq 1 40); do
    kill -0 "$DOCKER_ENGINE_PID" 2>/dev/null || break
    sleep 0.5
  done
  kill -9 "$DOCKER_ENGINE_PID" 2>/dev/null || true
  wait "$DOCKER_ENGINE_PID" 2>/dev/null || true
  echo "docker-engine: dockerd stopped"
  DOCKER_ENGINE_PID=
}

docker_engine_up() {
  local t0=$SECONDS flags _
  if ! command -v dockerd >/dev/null 2>&1; then
    echo "docker-engine: installing Debian's docker.io"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io >/dev/null
    echo "docker-engine: docker.io installed in $((SECONDS - t0)) s"
  fi
  if docker info >/dev/null 2>&1; then
    echo "docker-engine: an engine already answers; using it (it stays up afterwards)"
    return 0
  fi
  DOCKER_ENGINE_LOG="$(mktemp "${TMPDIR:-/tmp}/dockerd.XXXXXX.log")"
  trap docker_engine_down EXIT
  for flags in "" "--iptables=false --ip6tables=false" "--iptables=false --ip6tables=false --storage-driver=vfs"; do
    # shellcheck disable=SC2086
    dockerd $flags >>"$DOCKER_ENGINE_LOG" 2>&1 &
    DOCKER_ENGINE_PID=$!
    for _ in $(seq 1 120); do
      if docker info >/dev/null 2>&1; then
        echo "docker-engine: dockerd ${flags:-(default flags)} answers, $((SECONDS - t0)) s in all (log: $DOCKER_ENGINE_LOG)"
        return 0
      fi
      kill -0 "$DOCKER_ENGINE_PID" 2>/dev/null || break
      sleep 0.5
    done
    echo "docker-engine: dockerd ${flags:-with its default flags} did not come up; the last lines of its log:"
    tail -n 15 "$DOCKER_ENGINE_LOG" | sed 's/^/  /'
    docker_engine_down
  done
  echo "docker-engine: no Docker engine could be started"
  return 1
}
