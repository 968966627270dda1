#!/usr/bin/env bash
# The smoke test after a rollout, through the one edge address (the Kubernetes Ingress, or the
# compose gateway on http://localhost:8000): the whole Postman collection against /api, then
# smoke-services.mjs with every app behind the same address — /graphql answers a query,
# /api/notifications takes rest-api's tokens, and a follow over REST turns up as a notification
# (rest-api → outbox → relay → RabbitMQ → notifications, all inside the cluster).
# Used by .github/workflows/cd.yml and the Jenkinsfile. Needs node; newman comes from the
# workspace when installed, else from npm (npx).
# Usage: smoke-ingress.sh [base URL]   (default http://localhost)
set -euo pipefail
cd "$(dirname "$0")/../.."
base=${1:-http://localhost}
base=${base%/}

newman=packages/rest-api/node_modules/.bin/newman
if [ -x "$newman" ]; then newman=("$PWD/$newman"); else newman=(npx --yes newman@6); fi
echo "==> the Postman collection against $base/api"
(cd packages/rest-api && "${newman[@]}" run postman/conduit.postman_collection.json \
  -e postman/conduit.postman_environment.json --env-var "baseUrl=$base/api" --bail)

echo "==> /graphql and /api/notifications through $base"
REST_URL=$base GRAPHQL_URL=$base NOTIFICATIONS_URL=$base node deploy/docker/smoke-services.mjs
echo "smoke test through $base: passed"
