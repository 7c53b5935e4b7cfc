#!/usr/bin/env bash
# Benchmarks of penalty cases (BENCHMARKS.md, issue 5): with 1,000,000 cases (the demo's ~200
# plus synthetic copies from `crates/fazhi/examples/gen_cases.rs`), the filtered case list and a
# case page under load (wrk, 32 connections, 20 s each), and the yearly statistics page.
# SQLite by default; with --postgres a fresh database `fazhi_bench` on 127.0.0.1:5432 (user
# postgres, trust auth). Release build. Needs wrk (apt-get install wrk), curl, and psql for
# --postgres.
# Usage: bench/cases.sh [--postgres] [--cases N] [--no-analyze] [--keep]
#   --no-analyze  do not ANALYZE after generating (fazhi never runs ANALYZE on SQLite; on
#                 PostgreSQL autovacuum would, and the script VACUUMs and ANALYZEs anyway)
#   --keep        leave the data directory (and the PostgreSQL database) for inspection.
set -euo pipefail
cd "$(dirname "$0")/.."
pg=""
cases=1000000
keep=""
gen_flags=()
while [ $# -gt 0 ]; do
  case "$1" in
    --postgres) pg=1 ;;
    --cases) cases=$2; shift ;;
    --keep) keep=1 ;;
    --no-analyze) gen_flags+=(--no-analyze) ;;
    *) echo "usage: bench/cases.sh [--postgres] [--cases N] [--no-analyze] [--keep]" >&2; exit 2 ;;
  esac
  shift
done

cargo build --release -p fazhi --bin fazhi --example gen_cases >/dev/null
bin=target/release/fazhi
gen=target/release/examples/gen_cases
data=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
pg_admin="postgres://postgres@127.0.0.1:5432/test"
pg_url="postgres://postgres@127.0.0.1:5432/fazhi_bench"
cleanup() {
  kill "${pid:-0}" 2>/dev/null || true
  wait "${pid:-0}" 2>/dev/null || true
  if [ -n "$keep" ]; then
    echo "kept: $data${pg:+ and database fazhi_bench}"
    return
  fi
  rm -rf "$data"
  if [ -n "$pg" ]; then psql -q "$pg_admin" -c 'DROP DATABASE IF EXISTS fazhi_bench' >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

if [ -n "$pg" ]; then
  psql -q "$pg_admin" -c 'DROP DATABASE IF EXISTS fazhi_bench' -c 'CREATE DATABASE fazhi_bench' >/dev/null
  export FAZHI_DATABASE_URL=$pg_url
  echo "engine: PostgreSQL ($(psql -tA "$pg_admin" -c 'SHOW server_version'))"
else
  unset FAZHI_DATABASE_URL
  echo "engine: SQLite"
fi

t0=$(date +%s%N)
"$bin" --data-dir "$data" demo >/dev/null 2>&1
echo "demo loaded in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
if [ -n "$pg" ]; then
  "$gen" --postgres "$pg_url" --cases "$cases" "${gen_flags[@]}" | tee "$data/gen.log"
  # A loaded database in service has been vacuumed by autovacuum (visibility map for
  # index-only scans); do it now rather than let autovacuum run during the measurements.
  t0=$(date +%s%N)
  psql -q "$pg_url" -c 'VACUUM (ANALYZE) penalty_cases, case_officers'
  echo "VACUUM (ANALYZE): $(( ($(date +%s%N) - t0) / 1000000 )) ms"
else
  "$gen" --data-dir "$data" --cases "$cases" "${gen_flags[@]}" | tee "$data/gen.log"
  echo "database file: $(du -m "$data/fazhi.db" | cut -f1) MB"
fi
first=$(awk '/^first synthetic id:/ {print $4}' "$data/gen.log")
oldest=$(sed -n 's/^oldest synthetic case: //p' "$data/gen.log")

"$bin" --data-dir "$data" serve --bind "127.0.0.1:$port" >"$data/serve.log" 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.05; done
base="http://127.0.0.1:$port"

sign_in() {
  local jar="$data/cookies-$1"
  local csrf
  csrf=$(curl -s -c "$jar" -b "$jar" "$base/app/login" | grep -o 'name="csrf" value="[^"]*"' | sed 's/.*value="//;s/"$//')
  curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "csrf=$csrf" \
    --data-urlencode "username=$1" --data-urlencode "password=Fazhi@2026demo" "$base/app/login"
  awk '$6 == "fz_session" {print $7}' "$jar"
}

load() { # user session path
  local code
  code=$(curl -s -o "$data/page.html" -w '%{http_code}' -H "Cookie: fz_session=$2" "$base$3")
  local rows
  rows=$(grep -o 'href="/app/cases/[0-9]*"' "$data/page.html" | wc -l || true)
  echo "wrk: $1 GET $3 (HTTP $code, $rows case links), 32 connections, 20 s"
  test "$code" = 200
  wrk -t2 -c32 -d20s --latency -H "Cookie: fz_session=$2" "$base$3" |
    grep -E 'Requests/sec|^ +(50|90|99)%|Non-2xx|Socket errors'
}

urlencode() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n' | sed 's/../%&/g' | tr 'a-f' 'A-F'; }

timed() { # label session path: seven requests one after another (after one not timed), seconds each
  local code times=""
  code=$(curl -s -o "$data/timed.html" -w '%{http_code}' -H "Cookie: fz_session=$2" "$base$3")
  test "$code" = 200
  for _ in 1 2 3 4 5 6 7; do
    times="$times $(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: fz_session=$2" "$base$3")"
  done
  echo "$1 (HTTP $code): seconds$times"
}

stats() { # user session
  local path="/app/cases/stats?from=2026-01-01&to=2026-12-31"
  timed "yearly statistics: $1 GET $path" "$2" "$path"
}

q=$(urlencode '郑州')
for user in leader js.officer1; do
  session=$(sign_in "$user")
  test -n "$session"
  # A demo case the user may see (archived: the longest page — documents, timeline).
  case_id=$(curl -s -H "Cookie: fz_session=$session" "$base/app/cases?stage=archived&before=$first" |
    grep -o 'href="/app/cases/[0-9]*"' | head -1 | grep -o '[0-9]*')
  load "$user" "$session" "/app/cases?stage=executing"
  load "$user" "$session" "/app/cases?q=$q"
  load "$user" "$session" "/app/cases/$case_id"
  stats "$user" "$session"
  # Not a target of the issue: a search by a case number (one match, the oldest case) reads
  # every case in scope, as the search is LIKE '%…%' on number and party.
  timed "search by case number: $user GET /app/cases?q=$oldest" "$session" "/app/cases?q=$(urlencode "$oldest")"
done
rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
echo "server RSS after the runs: $((rss_kb / 1024)) MB"
