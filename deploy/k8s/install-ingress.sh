#!/usr/bin/env bash
# Installs ingress-nginx (its manifest for kind: the controller binds the node's ports 80/443,
# which deploy/k8s/kind-cluster.yaml forwards to the host) and waits until it is ready.
set -euo pipefail
version=${INGRESS_NGINX_VERSION:-controller-v1.12.1}
kubectl apply -f "https://raw.githubusercontent.com/kubernetes/ingress-nginx/$version/deploy/static/provider/kind/deploy.yaml"
kubectl -n ingress-nginx rollout status deployment/ingress-nginx-controller --timeout=180s
