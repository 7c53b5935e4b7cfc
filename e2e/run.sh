#!/usr/bin/env bash
# Runs the browser tests against a fresh instance with the demo data.
# Usage: e2e/run.sh [path-to-fazhi-binary]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(realpath "${1:-"$here/../target/debug/fazhi"}")
data=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
trap 'kill "${pid:-0}" 2>/dev/null || true; rm -rf "$data"' EXIT
export FAZHI_PROCEDURES_DIR="$here/../procedures"
# The browser tests post to the portal from one address faster than people do.
export FAZHI_PORTAL_SUBMISSIONS_PER_ADDRESS_PER_MINUTE=60 FAZHI_PORTAL_SUBMISSIONS_PER_ADDRESS_PER_HOUR=200
(cd "$here" && npm ci --no-audit --no-fund --silent)
"$bin" --data-dir "$data" demo >/dev/null 2>&1
"$bin" --data-dir "$data" serve --bind "127.0.0.1:$port" >"$data/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
  sleep 0.1
done
today=$(TZ=Asia/Shanghai date +%F)
export FAZHI_URL="http://127.0.0.1:$port" FAZHI_BIN="$bin" FAZHI_DATA="$data"
export EXPECT_DUE_20=$("$bin" --data-dir "$data" calendar due --from "$today" --days 20 --working 2>/dev/null | head -n1 | cut -f1)
export EXPECT_DUE_40=$("$bin" --data-dir "$data" calendar due --from "$today" --days 40 --working 2>/dev/null | head -n1 | cut -f1)
export EXPECT_DUE_7=$("$bin" --data-dir "$data" calendar due --from "$today" --days 7 --working 2>/dev/null | head -n1 | cut -f1)
export TODAY="$today"
export EXPECT_DUE_15=$("$bin" --data-dir "$data" calendar due --from "$today" --days 15 --working 2>/dev/null | head -n1 | cut -f1)
node "$here/smoke.mjs"
node "$here/disclosure.mjs"
node "$here/application.mjs"
node "$here/case.mjs"
node "$here/normative.mjs"
node "$here/decision.mjs"
node "$here/disputes.mjs"
node "$here/phone.mjs"
node "$here/totp.mjs"
