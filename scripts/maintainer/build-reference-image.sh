#!/usr/bin/env bash
# Builds a local container image of the embedded reference server
# (@langchain/langgraph-api with the fixture graphs) from files on this machine:
# no base image, no registry. The root filesystem is assembled here and handed
# to the engine with `docker import` (the equivalent of FROM scratch + COPY,
# without needing either the legacy builder or BuildKit):
#
#   /usr/local/bin/node      this machine's node binary
#   /lib..., /usr/lib...     the shared libraries it needs (ldd), at the same paths
#   /app                     this repo: package.json, harness/, scripts/, fixtures/, node_modules/
#   /fixtures                the fixture graphs (a copy; --mount-fixtures mounts over it)
#   /node_modules -> app/node_modules   so that graphs under /fixtures resolve their imports
#   /tmp (1777), /etc/passwd, /etc/group, /etc/nsswitch.conf
#
# The entry is scripts/maintainer/reference-image/launcher.ts: the same server as
# `npm run conformance` without a URL, listening on 0.0.0.0:8000, as user nobody.
#
# Usage: scripts/maintainer/build-reference-image.sh [IMAGE]   (default langgraph-conformance/reference:local)
# Needs: npm ci done, a reachable Docker engine (the docker CLI), GNU tar, ldd.
set -euo pipefail

image="${1:-langgraph-conformance/reference:local}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

fail() { echo "build-reference-image: $*" >&2; exit 2; }
[ -d "$repo/node_modules/@langchain/langgraph-api" ] || fail "run 'npm ci' first ($repo/node_modules is missing)"
command -v docker >/dev/null || fail "no docker CLI on PATH"
docker info >/dev/null 2>&1 || fail "no Docker engine answers (docker info failed)"
node_bin="$(readlink -f "$(command -v node)")" || fail "no node on PATH"

t0=$(date +%s)
stage="$(mktemp -d "${TMPDIR:-/tmp}/lgc-reference-image.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
root="$stage/rootfs"
mkdir -p "$root/usr/local/bin" "$root/etc" "$root/tmp" "$root/app"
chmod 1777 "$root/tmp"

# The node binary and every shared library ldd names (resolved to files, kept
# at the path the dynamic loader looks for them).
cp "$node_bin" "$root/usr/local/bin/node"
{ ldd "$node_bin" || true; } | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u |
  while read -r lib; do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done

# A minimal /etc: users for USER nobody, and name lookups from /etc/hosts
# (which the engine provides) then DNS.
printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/tmp:/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"

# The repo: what the launcher and the server load. Hard links where the stage
# is on the same filesystem (fast), copies otherwise.
for item in package.json tsconfig.json harness scripts fixtures node_modules; do
  [ -e "$repo/$item" ] || continue
  cp -al "$repo/$item" "$root/app/" 2>/dev/null || cp -a "$repo/$item" "$root/app/"
done
cp -a "$repo/fixtures" "$root/fixtures"
ln -s app/node_modules "$root/node_modules"

# One layer, owned by root, readable by all; the entry runs as nobody.
previous="$(docker image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)"
tar -C "$root" --numeric-owner --owner=0 --group=0 -cf - . |
  docker import \
    --change 'ENV PATH=/usr/local/bin HOME=/tmp LGC_FIXTURES_DIR=/fixtures PORT=8000' \
    --change 'WORKDIR /app' \
    --change 'USER 65534:65534' \
    --change 'EXPOSE 8000' \
    --change 'LABEL org.opencontainers.image.title=langgraph-conformance-reference' \
    --change 'ENTRYPOINT ["/usr/local/bin/node", "--import", "tsx", "/app/scripts/maintainer/reference-image/launcher.ts"]' \
    - "$image" >/dev/null

# The image this tag named before is left without a name: remove it, unless a
# container still uses it, so that rebuilding does not pile up copies.
current="$(docker image inspect --format '{{.Id}}' "$image")"
if [ -n "$previous" ] && [ "$previous" != "$current" ]; then
  docker image rm "$previous" >/dev/null 2>&1 || true
fi

size=$(docker image inspect --format '{{.Size}}' "$image")
echo "build-reference-image: built $image ($((size / 1024 / 1024)) MiB) in $(( $(date +%s) - t0 )) s"
