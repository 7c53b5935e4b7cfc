#!/usr/bin/env bash
# Benchmarks of the foundation (BENCHMARKS.md): the signed-in 我的工作 page at 32 connections,
# idle RSS, and start-up time to ready with an existing database. SQLite, release build.
# Needs wrk (apt-get install wrk). Usage: bench/foundation.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p fazhi >/dev/null
bin=target/release/fazhi
data=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
trap 'kill "${pid:-0}" 2>/dev/null || true; rm -rf "$data"' EXIT
"$bin" --data-dir "$data" demo >/dev/null 2>&1

start_ns=$(date +%s%N)
"$bin" --data-dir "$data" serve --bind "127.0.0.1:$port" >"$data/serve.log" 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.005; done
ready_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
sleep 2
rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
echo "start-up to ready (existing database): ${ready_ms} ms"
echo "idle RSS: $((rss_kb / 1024)) MB"

jar="$data/cookies"
csrf=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$port/app/login" | grep -o 'name="csrf" value="[^"]*"' | sed 's/.*value="//;s/"$//')
curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "csrf=$csrf" \
  --data-urlencode "username=js.officer1" --data-urlencode "password=Fazhi@2026demo" \
  "http://127.0.0.1:$port/app/login"
session=$(awk '$6 == "fz_session" {print $7}' "$jar")
test -n "$session"
# Give the officer some history so the page has rows to render.
for _ in $(seq 1 20); do curl -s -b "$jar" -o /dev/null "http://127.0.0.1:$port/app/work"; done
echo "wrk: GET /app/work signed in as js.officer1, 32 connections, 20 s"
wrk -t2 -c32 -d20s --latency -H "Cookie: fz_session=$session" "http://127.0.0.1:$port/app/work"
rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
echo "RSS after load: $((rss_kb / 1024)) MB"
