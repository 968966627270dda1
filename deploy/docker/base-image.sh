#!/usr/bin/env bash
# Makes a local stand-in for the official `node:20-bookworm-slim` image, for machines that can
# reach Debian's mirror and the npm registry but not Docker Hub (this project's CI machine).
# On a laptop or GitHub, Docker pulls the real image and this script is never needed.
#
# What the stand-in holds, and why it is close enough for the Dockerfile to run unchanged:
#  - a Debian bookworm root filesystem (debootstrap --variant=minbase: what "slim" means);
#  - this machine's own Node 20 binary plus its npm and corepack, at the paths the official
#    image uses (/usr/local/bin, /usr/local/lib/node_modules);
#  - a `node` user and group with uid/gid 1000, as in the official image;
#  - only when this machine reaches the npm registry through a TLS-inspecting proxy (it sets
#    NODE_EXTRA_CA_CERTS): that CA bundle, so `npm`/`pnpm` inside the build trust it as the
#    host does. Public certificates only; the real image on GitHub has no such thing.
#
# Usage: base-image.sh <docker command…>   e.g. base-image.sh docker --host unix:///tmp/x.sock
# The root filesystem tarball is cached in $BASE_CACHE_DIR (default /var/cache/roadmap-base),
# keyed by the Node version, so the second run only imports it (seconds).
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 <docker command…>" >&2; exit 2; }
DOCKER=("$@")
TAG=${BASE_IMAGE_TAG:-node:20-bookworm-slim}
CACHE=${BASE_CACHE_DIR:-/var/cache/roadmap-base}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
NODE_BIN=$(readlink -f "$(command -v node)")
NODE_VERSION=$("$NODE_BIN" --version)
case "$NODE_VERSION" in v20.*) ;; *) echo "base-image: need Node 20, found $NODE_VERSION" >&2; exit 1 ;; esac
HOST_CA=${NODE_EXTRA_CA_CERTS:-}
[ -r "$HOST_CA" ] || HOST_CA=
CA_KEY=$([ -n "$HOST_CA" ] && sha256sum "$HOST_CA" | cut -c1-12 || echo none)
TARBALL="$CACHE/bookworm-minbase-node-$NODE_VERSION-ca-$CA_KEY.tar"

if "${DOCKER[@]}" image inspect "$TAG" >/dev/null 2>&1; then
  echo "base image: $TAG already present"
  exit 0
fi

if [ ! -s "$TARBALL" ]; then
  echo "base image: building the root filesystem (debootstrap from $MIRROR; cached afterwards)"
  mkdir -p "$CACHE"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  rootfs="$work/rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; exit 1; }

  # Node, npm and corepack where the official image has them.
  install -m 0755 "$NODE_BIN" "$rootfs/usr/local/bin/node"
  node_modules=$(dirname "$(dirname "$NODE_BIN")")/lib/node_modules
  mkdir -p "$rootfs/usr/local/lib/node_modules"
  for tool in npm corepack; do
    cp -a "$node_modules/$tool" "$rootfs/usr/local/lib/node_modules/$tool"
  done
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  ln -s ../lib/node_modules/corepack/dist/corepack.js "$rootfs/usr/local/bin/corepack"

  # The `node` user of the official image (uid/gid 1000, home /home/node).
  chroot "$rootfs" groupadd --gid 1000 node
  chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node

  if [ -n "$HOST_CA" ]; then
    install -m 0644 "$HOST_CA" "$rootfs/usr/local/share/host-extra-ca.pem"
  fi

  # Slim: no package lists or downloaded .debs (an image's own `apt-get update` fetches them).
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin \
    "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/*
  tar -C "$rootfs" --numeric-owner -cf "$TARBALL.partial.$$" .
  mv "$TARBALL.partial.$$" "$TARBALL"
fi

"${DOCKER[@]}" import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV NODE_VERSION=${NODE_VERSION#v}" \
  ${HOST_CA:+--change 'ENV NODE_EXTRA_CA_CERTS=/usr/local/share/host-extra-ca.pem'} \
  --change 'CMD ["node"]' \
  "$TARBALL" "$TAG" >/dev/null
echo "base image: imported $TAG from $TARBALL ($(du -h "$TARBALL" | cut -f1))"
