#!/usr/bin/env bash
# Builds every app image and runs each one against the local services — what `.ci/run` does to
# prove the Dockerfile really works, on a machine with no Docker Hub.
#
#  1. uses the Docker engine at $DOCKER_HOST if one answers; otherwise starts a private dockerd
#     (no bridge network, no iptables rules, everything under a temp folder) and stops it at the
#     end. Containers run ONLY with --network host and are reached on 127.0.0.1;
#  2. makes the stand-in `node:20-bookworm-slim` base image when it is missing (base-image.sh);
#  3. builds the apps of deploy/apps.tsv whose package exists, and prints the image sizes;
#  4. runs each image with a read-only root filesystem, no capabilities, a fresh test database
#     and a free port: waits for the image's own HEALTHCHECK to say healthy, runs the RealWorld
#     flow through the rest-api container, and checks it exits with 0 within 10 s of SIGTERM;
#  5. removes its containers, test database and (when it started one) the engine.
# Skips with one line, exit 0, only when there is no Docker engine and none can be started.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
started=$(date +%s)
elapsed() { echo "$(($(date +%s) - started))s"; }
log() { printf '[images %s] %s\n' "$(elapsed)" "$*"; }

skip() {
  echo "SKIPPED docker images: $* (the Dockerfile is still built on GitHub by images.yml)"
  exit 0
}

DOCKER_BIN=/usr/bin/docker # Debian's client, the same version as its engine
[ -x "$DOCKER_BIN" ] || DOCKER_BIN=$(command -v docker || true)
[ -n "$DOCKER_BIN" ] || skip "no docker client (apt-get install docker.io)"

work=$(mktemp -d /tmp/roadmap-images.XXXXXX)
own_dockerd=
containers=()
test_db=

cleanup() {
  local status=$?
  set +e
  for c in "${containers[@]}"; do docker rm -f "$c" >/dev/null 2>&1; done
  if [ -n "$test_db" ]; then
    psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS \"$test_db\" WITH (FORCE)" >/dev/null 2>&1
  fi
  if [ -n "$own_dockerd" ]; then
    kill -TERM "$own_dockerd" 2>/dev/null
    for _ in $(seq 1 40); do kill -0 "$own_dockerd" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$own_dockerd" 2>/dev/null
    # Overlay mounts are gone once the engine has stopped; anything left is unmounted first.
    grep -o " $work/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null
    log "stopped the private dockerd"
  fi
  # The engine's data (a GB of small files) is deleted in the background: nothing reads it
  # again, and the next CI step need not wait for the disk.
  if [ -n "$own_dockerd" ]; then (rm -rf "$work" &) else rm -rf "$work"; fi
  log "done (exit $status)"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

docker() { "$DOCKER_BIN" "$@"; }

# ---- 1. the engine ------------------------------------------------------------------------
if [ -n "${DOCKER_HOST:-}" ] && docker info >/dev/null 2>&1; then
  log "using the Docker engine at $DOCKER_HOST"
else
  command -v dockerd >/dev/null 2>&1 || skip "no dockerd (apt-get install docker.io failed or was not run)"
  [ "$(id -u)" = 0 ] || skip "starting dockerd needs root"
  cat >"$work/daemon.json" <<EOF
{
  "bridge": "none",
  "iptables": false,
  "ip6tables": false,
  "ip-forward": false,
  "ip-masq": false,
  "default-ulimits": {
    "nofile": { "Name": "nofile", "Soft": 4096, "Hard": 4096 },
    "nproc": { "Name": "nproc", "Soft": 4096, "Hard": 4096 }
  },
  "data-root": "$work/data",
  "exec-root": "$work/exec",
  "pidfile": "$work/dockerd.pid",
  "hosts": ["unix://$work/docker.sock"],
  "features": { "buildkit": true }
}
EOF
  dockerd --config-file "$work/daemon.json" >"$work/dockerd.log" 2>&1 &
  own_dockerd=$!
  export DOCKER_HOST="unix://$work/docker.sock"
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { tail -20 "$work/dockerd.log"; skip "dockerd did not start"; }
  log "started a private dockerd (pid $own_dockerd, $DOCKER_HOST)"
fi
export DOCKER_BUILDKIT=1

# ---- 2. the base image --------------------------------------------------------------------
if ! docker image inspect node:20-bookworm-slim >/dev/null 2>&1 \
  && ! docker pull -q node:20-bookworm-slim >/dev/null 2>&1; then
  bash deploy/docker/base-image.sh "$DOCKER_BIN"
fi
log "base image ready"

# ---- 3. build -----------------------------------------------------------------------------
mapfile -t apps < <(bash deploy/docker/list-apps.sh)
[ ${#apps[@]} -gt 0 ] || { echo "no app of deploy/apps.tsv exists"; exit 1; }

for app in "${apps[@]}"; do
  read -r name package entry port _ <<<"$app"
  log "building roadmap/$name (packages/$package, $entry)"
  args=(--build-arg "APP=$package" --build-arg "ENTRY=$entry")
  [ "$port" = - ] && args+=(--build-arg PORT=) || args+=(--build-arg "PORT=$port")
  # --network host: RUN steps reach the npm registry and Debian's mirror through the host.
  if ! docker build --network host --progress plain -f deploy/docker/Dockerfile "${args[@]}" \
    -t "roadmap/$name:ci" . >"$work/build-$name.log" 2>&1; then
    tail -40 "$work/build-$name.log"
    echo "FAILED: docker build roadmap/$name"
    exit 1
  fi
done
echo
docker image ls --format 'table {{.Repository}}:{{.Tag}}\t{{.Size}}' | grep -E 'REPOSITORY|roadmap/|node:20'
echo

# ---- 4. run -------------------------------------------------------------------------------
free_port() {
  node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}
test_db="test_images_$(date +%s)_$$"
psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE \"$test_db\"" >/dev/null
database_url="postgres://postgres@127.0.0.1:5432/$test_db"

# Production refuses to start without real secrets: make throwaway ones for this run. They go
# to the container through an env file in the temp folder, never into an image.
openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null \
  | openssl pkcs8 -topk8 -nocrypt -out "$work/jwt.key"
openssl ec -in "$work/jwt.key" -pubout -out "$work/jwt.pub" 2>/dev/null
{
  echo "DATABASE_URL=$database_url"
  echo "REDIS_URL=redis://127.0.0.1:6379/13"
  echo "RABBITMQ_URL=${RABBITMQ_URL:-amqp://guest:guest@127.0.0.1:5672}"
  [ -z "${MONGO_URL:-}" ] || echo "MONGO_URL=$MONGO_URL"
  echo "SESSION_SECRET=$(openssl rand -hex 32)"
  echo "LOG_LEVEL=warn"
} >"$work/app.env"
# Multi-line PEM values cannot go through an env file; they are passed with -e instead.
jwt_private=$(cat "$work/jwt.key")
jwt_public=$(cat "$work/jwt.pub")

# The schema, applied the way compose's `migrate` service and the Kubernetes Job do it: the
# rest-api image running data-sql's compiled migration command.
docker run --rm --network host --env-file "$work/app.env" roadmap/rest-api:ci \
  node node_modules/@roadmap/data-sql/dist/cli/migrate.js up | tail -1
log "migrated $test_db"

failed=()
for app in "${apps[@]}"; do
  read -r name _ _ port check needs <<<"$app"
  missing=
  for need in ${needs//,/ }; do
    [ "$need" = mongo ] && [ -z "${MONGO_URL:-}" ] && missing="MONGO_URL is not set"
  done
  if [ -n "$missing" ]; then
    echo "SKIPPED running roadmap/$name: $missing (image built)"
    continue
  fi
  http_port=$([ "$port" = - ] && echo "" || free_port)
  container="roadmap-ci-$name-$$"
  containers+=("$container")
  # The same restrictions as the Kubernetes securityContext: read-only root, only /tmp
  # writable, no capabilities, no privilege escalation. --health-* only shortens the interval
  # of the image's own HEALTHCHECK command so the test need not wait 15 s for the first probe.
  docker run -d --name "$container" --network host --read-only --tmpfs /tmp:rw,size=64m \
    --cap-drop ALL --security-opt no-new-privileges \
    --health-interval 1s --health-start-period 30s \
    --env-file "$work/app.env" -e "JWT_PRIVATE_KEY=$jwt_private" -e "JWT_PUBLIC_KEY=$jwt_public" \
    -e "PORT=$http_port" -e "HTTPS_PORT=$(free_port)" \
    "roadmap/$name:ci" >/dev/null
  status=starting
  for _ in $(seq 1 60); do
    status=$(docker inspect -f '{{.State.Status}}/{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$container")
    case "$status" in running/healthy | exited/* | dead/*) break ;; esac
    sleep 0.5
  done
  ok=true
  if [ "$status" != running/healthy ]; then
    echo "FAILED: roadmap/$name is $status"
    ok=false
  elif [ "$check" = conduit ]; then
    node deploy/docker/smoke-conduit.mjs "http://127.0.0.1:$http_port" || ok=false
    # The whole Postman collection too: the same smoke test the CD workflow and Jenkins run.
    if [ "$ok" = true ]; then
      if (cd packages/rest-api && node_modules/.bin/newman run postman/conduit.postman_collection.json \
        -e postman/conduit.postman_environment.json --env-var "baseUrl=http://127.0.0.1:$http_port/api" \
        --bail >"$work/newman.log" 2>&1); then
        echo "postman collection: $(tr -s ' │' ' ' <"$work/newman.log" | awk '/^ ?assertions /{print $2 " assertions, " $3 " failed"}')"
      else
        tail -40 "$work/newman.log"
        echo "FAILED: the Postman collection against roadmap/rest-api"
        ok=false
      fi
    fi
  else
    echo "roadmap/$name: healthy${http_port:+ on 127.0.0.1:$http_port}"
  fi
  # A clean stop: SIGTERM to PID 1 (tini), which passes it to node; graceful shutdown must end
  # with exit code 0 well before Kubernetes' default 30 s grace period would SIGKILL it.
  t0=$(date +%s%N)
  docker kill --signal TERM "$container" >/dev/null 2>&1 || true
  if code=$(timeout 10 "$DOCKER_BIN" wait "$container"); then
    ms=$((($(date +%s%N) - t0) / 1000000))
    if [ "$code" = 0 ]; then echo "roadmap/$name: exited 0, ${ms} ms after SIGTERM"
    else echo "FAILED: roadmap/$name exited $code after SIGTERM"; ok=false; fi
  else
    echo "FAILED: roadmap/$name still running 10 s after SIGTERM"
    ok=false
  fi
  if [ "$ok" != true ]; then
    failed+=("$name")
    docker logs --tail 30 "$container" 2>&1 | sed "s/^/[$name] /"
  fi
done

log "built ${#apps[@]} image(s), ${#failed[@]} failed a check"
[ ${#failed[@]} -eq 0 ] || { echo "FAILED images: ${failed[*]}"; exit 1; }
