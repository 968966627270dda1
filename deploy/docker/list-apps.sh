#!/usr/bin/env bash
# The apps of deploy/apps.tsv whose package exists (packages/<package>/src/<entry>.ts), one per
# line: "name package entry port check needs". With --json: a JSON array of objects, the
# matrix of the image and CD workflows.
set -euo pipefail
cd "$(dirname "$0")/../.."
lines=()
while read -r name package entry port check needs; do
  case "$name" in '' | '#'*) continue ;; esac
  source_file="packages/$package/src/${entry#dist/}"
  [ -f "${source_file%.js}.ts" ] && lines+=("$name $package $entry $port $check $needs")
done <deploy/apps.tsv
if [ "${1:-}" = --json ]; then
  printf '%s\n' "${lines[@]}" | node -e '
    const keys = ["name", "package", "entry", "port", "check", "needs"];
    const rows = require("node:fs").readFileSync(0, "utf8").trim().split("\n").filter(Boolean);
    console.log(JSON.stringify(rows.map((r) => Object.fromEntries(r.split(" ").map((v, i) => [keys[i], v])))));'
else
  printf '%s\n' "${lines[@]}"
fi
