#!/usr/bin/env bash
# Deploys the dev overlay to the cluster kubectl points at (kind in CI) and waits until it
# serves: the namespace, a fresh JWT key pair as a Secret (never in the repository), a fresh
# migration Job (its pod template is immutable), the manifests, then the data services, the
# migration and every rollout. Used by .github/workflows/cd.yml and the Jenkinsfile.
set -euo pipefail
cd "$(dirname "$0")"
ns=conduit-dev
kubectl apply -f overlays/dev/namespace.yaml
if ! kubectl -n "$ns" get secret conduit-jwt >/dev/null 2>&1; then
  keys=$(mktemp -d)
  trap 'rm -rf "$keys"' EXIT
  openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out "$keys/jwt.key"
  openssl ec -in "$keys/jwt.key" -pubout -out "$keys/jwt.pub" 2>/dev/null
  kubectl -n "$ns" create secret generic conduit-jwt \
    --from-file=JWT_PRIVATE_KEY="$keys/jwt.key" --from-file=JWT_PUBLIC_KEY="$keys/jwt.pub"
fi
kubectl -n "$ns" delete job conduit-migrate --ignore-not-found
kubectl apply -k overlays/dev
for s in $(kubectl -n "$ns" get statefulsets -o name); do
  kubectl -n "$ns" rollout status "$s" --timeout=300s
done
kubectl -n "$ns" wait --for=condition=complete job/conduit-migrate --timeout=300s
for d in $(kubectl -n "$ns" get deployments -o name); do
  kubectl -n "$ns" rollout status "$d" --timeout=300s
done
kubectl -n "$ns" get deployments,statefulsets,ingress
