#!/usr/bin/env bash
# Builds roadmap/<app>:<tag> for every app of deploy/apps.tsv whose package exists, with the
# Docker on PATH (the CD workflow and the Jenkinsfile; .ci/run uses ci-images.sh, which also
# runs them). Usage: build-images.sh [tag]   (default: ci)
set -euo pipefail
cd "$(dirname "$0")/../.."
tag=${1:-ci}
bash deploy/docker/list-apps.sh | while read -r name package entry port _; do
  [ "$port" = - ] && port=
  echo "==> roadmap/$name:$tag (packages/$package)"
  docker build -f deploy/docker/Dockerfile --build-arg "APP=$package" --build-arg "ENTRY=$entry" \
    --build-arg "PORT=$port" -t "roadmap/$name:$tag" .
done
