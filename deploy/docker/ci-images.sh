#!/usr/bin/env bash
# Builds every app image and runs each one against the local services — what `.ci/run` does to
# prove the Dockerfile really works, on a machine with no Docker Hub.
#
#  1. uses the Docker engine at $DOCKER_HOST if one answers; otherwise starts a private dockerd
#     (no bridge network, no iptables rules, everything under a temp folder) and stops it at the
#     end. Containers run ONLY with --network host and are reached on 127.0.0.1;
#  2. makes the stand-in `node:20-bookworm-slim` base image when it is missing (base-image.sh);
#  3. builds the apps of deploy/apps.tsv whose package exists, and prints the image sizes;
#  4. runs all the images at once, each with a read-only root filesystem, no capabilities and a
#     port of its own, against a fresh test database, this run's own exchange, queues and Redis
#     channels: waits for each image's own HEALTHCHECK to say healthy; runs the RealWorld flow
#     and the Postman collection through the rest-api container; runs smoke-services.mjs
#     (graphql-api answers a query, notifications takes rest-api's tokens, the relay's /stats,
#     and a follow that crosses rest-api → outbox → relay → RabbitMQ → notifications); checks
#     each exits with 0 within 10 s of SIGTERM;
#  5. removes its containers, test databases, broker objects and (when it started one) the
#     engine. Ports: CI_IMAGES_PORT_BASE=N uses N, N+1, …; unset, free ones the kernel picks.
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
run_id=

cleanup() {
  local status=$?
  set +e
  for c in "${containers[@]}"; do docker rm -f "$c" >/dev/null 2>&1; done
  if [ -n "$test_db" ]; then
    for db in "$test_db" "${test_db}_notifications"; do
      psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1
    done
  fi
  if [ -n "$run_id" ]; then
    # This run's exchange and the notifications consumer's queues (its own, its retry, its DLQ).
    RUN_ID=$run_id RABBITMQ_URL=${RABBITMQ_URL:-amqp://guest:guest@127.0.0.1:5672} node -e '
      const amqp = require(require.resolve("amqplib", { paths: ["packages/events"] }));
      const id = process.env.RUN_ID, q = `${id}.notifications`;
      amqp.connect(process.env.RABBITMQ_URL).then(async (c) => {
        const ch = await c.createChannel();
        for (const name of [q, `${q}.dlq`, `${q}.retry.1`]) await ch.deleteQueue(name);
        await ch.deleteExchange(`${id}.events`);
        await c.close();
      });' >/dev/null 2>&1
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

# All at once: BuildKit runs the stages they share (install, compile, tini) once, and the
# per-app `pnpm deploy` stages side by side.
build_one() {
  local name=$1 package=$2 entry=$3 port=$4 t0
  t0=$(date +%s)
  local args=(--build-arg "APP=$package" --build-arg "ENTRY=$entry")
  [ "$port" = - ] && args+=(--build-arg PORT=) || args+=(--build-arg "PORT=$port")
  # --network host: RUN steps reach the npm registry and Debian's mirror through the host.
  if docker build --network host --progress plain -f deploy/docker/Dockerfile "${args[@]}" \
    -t "roadmap/$name:ci" . >"$work/build-$name.log" 2>&1; then
    log "built roadmap/$name (packages/$package, $entry) in $(($(date +%s) - t0))s"
  else
    tail -40 "$work/build-$name.log"
    echo "FAILED: docker build roadmap/$name"
    return 1
  fi
}
log "building ${#apps[@]} image(s)"
build_pids=()
for app in "${apps[@]}"; do
  read -r name package entry port _ <<<"$app"
  build_one "$name" "$package" "$entry" "$port" &
  build_pids+=($!)
done
build_failed=0
for pid in "${build_pids[@]}"; do wait "$pid" || build_failed=1; done
[ $build_failed = 0 ] || exit 1
log "images built"
echo
docker image ls --format 'table {{.Repository}}:{{.Tag}}\t{{.Size}}' | grep -E 'REPOSITORY|roadmap/|node:20'
echo

# ---- 4. run -------------------------------------------------------------------------------
# Every app gets a port of its own: CI_IMAGES_PORT_BASE=N gives N, N+1, … in apps.tsv order;
# unset, the kernel picks free ones — nothing clashes with `pnpm start` or another test run.
free_port() {
  node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}
declare -A http_port
index=0
for app in "${apps[@]}"; do
  read -r name _ _ port _ <<<"$app"
  if [ "$port" = - ]; then http_port[$name]=
  elif [ -n "${CI_IMAGES_PORT_BASE:-}" ]; then http_port[$name]=$((CI_IMAGES_PORT_BASE + index))
  else http_port[$name]=$(free_port); fi
  index=$((index + 1))
done
url_of() { [ -n "${http_port[$1]:-}" ] && echo "http://127.0.0.1:${http_port[$1]}" || true; }

run_id="ci_images_$(date +%s)_$$"
test_db="test_images_$(date +%s)_$$"
psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE \"$test_db\"" >/dev/null
database_url="postgres://postgres@127.0.0.1:5432/$test_db"
# This run's own broker names (exchange, queues) and Redis channels: other runs and other test
# suites share the local RabbitMQ and Redis. Removed again by cleanup.
exchange="$run_id.events"
queue="$run_id.notifications"

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
  echo "EVENTS_EXCHANGE=$exchange"
  echo "EVENTS_RETRY_DELAYS_MS=1000"
  # notifications: its own database next to this run's Conduit one, created at its start-up;
  # tokens checked with the public keys the rest-api container serves.
  echo "NOTIFICATIONS_STORE=postgres"
  echo "NOTIFICATIONS_DATABASE_URL=${database_url}_notifications"
  echo "NOTIFICATIONS_QUEUE=$queue"
  echo "NOTIFICATIONS_CHANNEL_PREFIX=$run_id:"
  [ -z "${http_port[rest-api]:-}" ] \
    || echo "JWKS_URL=http://127.0.0.1:${http_port[rest-api]}/.well-known/jwks.json"
} >"$work/app.env"
# Multi-line PEM values cannot go through an env file; they are passed with -e instead.
jwt_private=$(cat "$work/jwt.key")
jwt_public=$(cat "$work/jwt.pub")

# The schema, applied the way compose's `migrate` service and the Kubernetes Job do it: the
# rest-api image running data-sql's compiled migration command.
docker run --rm --network host --env-file "$work/app.env" roadmap/rest-api:ci \
  node node_modules/@roadmap/data-sql/dist/cli/migrate.js up | tail -1
log "migrated $test_db"

# Start every app at once (they only ever talk through 127.0.0.1), then wait for each.
running=()
failed=()
for app in "${apps[@]}"; do
  read -r name _ _ _ _ needs <<<"$app"
  missing=
  for need in ${needs//,/ }; do
    [ "$need" = mongo ] && [ -z "${MONGO_URL:-}" ] && missing="MONGO_URL is not set"
  done
  if [ -n "$missing" ]; then
    echo "SKIPPED running roadmap/$name: $missing (image built)"
    continue
  fi
  container="roadmap-ci-$name-$$"
  containers+=("$container")
  # The same restrictions as the Kubernetes securityContext: read-only root, only /tmp
  # writable, no capabilities, no privilege escalation. --health-* only shortens the interval
  # of the image's own HEALTHCHECK command so the test need not wait 15 s for the first probe.
  docker run -d --name "$container" --network host --read-only --tmpfs /tmp:rw,size=64m \
    --cap-drop ALL --security-opt no-new-privileges \
    --health-interval 1s --health-start-period 30s \
    --env-file "$work/app.env" -e "JWT_PRIVATE_KEY=$jwt_private" -e "JWT_PUBLIC_KEY=$jwt_public" \
    -e "PORT=${http_port[$name]}" -e "HTTPS_PORT=$(free_port)" \
    "roadmap/$name:ci" >/dev/null
  running+=("$name")
done

healthy=()
for name in "${running[@]}"; do
  container="roadmap-ci-$name-$$"
  status=starting
  for _ in $(seq 1 120); do
    status=$(docker inspect -f '{{.State.Status}}/{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$container")
    case "$status" in running/healthy | exited/* | dead/*) break ;; esac
    sleep 0.5
  done
  if [ "$status" = running/healthy ]; then
    echo "roadmap/$name: healthy${http_port[$name]:+ on 127.0.0.1:${http_port[$name]}}"
    healthy+=("$name")
  else
    echo "FAILED: roadmap/$name is $status"
    failed+=("$name")
  fi
done
log "${#healthy[@]} of ${#running[@]} container(s) healthy"
is_healthy() { [[ " ${healthy[*]} " == *" $1 "* ]]; }

# The checks through the apps' own ports, as a client would call them.
if is_healthy rest-api; then
  rest=$(url_of rest-api)
  node deploy/docker/smoke-conduit.mjs "$rest" || failed+=(rest-api)
  # The whole Postman collection too: the same smoke test the CD workflow and Jenkins run.
  if (cd packages/rest-api && node_modules/.bin/newman run postman/conduit.postman_collection.json \
    -e postman/conduit.postman_environment.json --env-var "baseUrl=$rest/api" \
    --bail >"$work/newman.log" 2>&1); then
    echo "postman collection: $(tr -s ' │' ' ' <"$work/newman.log" | awk '/^ ?assertions /{print $2 " assertions, " $3 " failed"}')"
  else
    tail -40 "$work/newman.log"
    echo "FAILED: the Postman collection against roadmap/rest-api"
    failed+=(rest-api)
  fi
  # graphql-api, notifications (tokens from rest-api, JWKS), the relay, and the follow that
  # crosses rest-api → outbox → relay → RabbitMQ → notifications.
  services=()
  for name in graphql-api notifications relay; do is_healthy "$name" && services+=("$name"); done
  if [ ${#services[@]} -gt 0 ]; then
    if ! REST_URL=$rest GRAPHQL_URL=$(is_healthy graphql-api && url_of graphql-api) \
      NOTIFICATIONS_URL=$(is_healthy notifications && url_of notifications) \
      RELAY_URL=$(is_healthy relay && url_of relay) \
      node deploy/docker/smoke-services.mjs; then
      failed+=("${services[@]}")
    fi
  fi
fi
log "checks done"

# A clean stop: SIGTERM to PID 1 (tini), which passes it to node; graceful shutdown must end
# with exit code 0 well before Kubernetes' default 30 s grace period would SIGKILL it. All at
# once, each timed on its own.
stop_one() {
  local name=$1 container="roadmap-ci-$1-$$" t0 code ms
  t0=$(date +%s%N)
  "$DOCKER_BIN" kill --signal TERM "$container" >/dev/null 2>&1 || true
  if code=$(timeout 10 "$DOCKER_BIN" wait "$container"); then
    ms=$((($(date +%s%N) - t0) / 1000000))
    if [ "$code" = 0 ]; then echo "roadmap/$name: exited 0, ${ms} ms after SIGTERM"; return 0; fi
    echo "FAILED: roadmap/$name exited $code after SIGTERM"
  else
    echo "FAILED: roadmap/$name still running 10 s after SIGTERM"
  fi
  return 1
}
pids=()
for name in "${healthy[@]}"; do
  stop_one "$name" >"$work/stop-$name.log" 2>&1 &
  pids+=($!)
done
for i in "${!pids[@]}"; do
  wait "${pids[$i]}" || failed+=("${healthy[$i]}")
  cat "$work/stop-${healthy[$i]}.log"
done

mapfile -t failed < <(printf '%s\n' "${failed[@]}" | sort -u | sed '/^$/d')
for name in "${failed[@]}"; do
  docker logs --tail 30 "roadmap-ci-$name-$$" 2>&1 | sed "s/^/[$name] /"
done
log "built ${#apps[@]} image(s), ran ${#running[@]}, ${#failed[@]} failed a check"
[ ${#failed[@]} -eq 0 ] || { echo "FAILED images: ${failed[*]}"; exit 1; }
