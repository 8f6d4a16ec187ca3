#!/usr/bin/env bash
# Load benchmark: a release build serving the demo county plus N extra hazards (default 20000,
# a county's ledger over several years), measured with wrk on 127.0.0.1 for a bounded time.
# Prints one line per endpoint. Usage: bash bench/run.sh [extra_hazards] [seconds] [extra_schools]
# (a province: bash bench/run.sh 300000 10 25000). BENCH_STEPS=memory runs only the memory step
# (peak and idle RSS after a mix of exports, text searches and pages), BENCH_STEPS=search only
# the text searches, BENCH_STEPS=writes only
# the writes (16 clients creating hazards); BENCH_PRELOAD=libX.so
# serves with that library preloaded (another allocator, say). SQLite by default; with BENCH_PG set to a
# PostgreSQL URL of a role that may create databases (e.g. postgres://xiaoan:xiaoan@127.0.0.1/postgres)
# it runs against a fresh database `xiaoan_bench` there instead, dropped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
extra=${1:-20000}
secs=${2:-10}
schools=${3:-0}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/xiaoan-target}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release -q
bin="$CARGO_TARGET_DIR/release/xiaoan"
dir=$(mktemp -d)
port=18181
base="http://127.0.0.1:$port"
pid=
target="$dir/xiaoan.db"
if [ -n "${BENCH_PG:-}" ]; then
  psql -X -q -v ON_ERROR_STOP=1 "$BENCH_PG" -c "DROP DATABASE IF EXISTS xiaoan_bench" -c "CREATE DATABASE xiaoan_bench"
  target="${BENCH_PG%/*}/xiaoan_bench"
  export DATABASE_URL="$target"
fi
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
  if [ -n "${BENCH_PG:-}" ]; then psql -X -q "$BENCH_PG" -c "DROP DATABASE IF EXISTS xiaoan_bench" || true; fi
}
trap cleanup EXIT

"$bin" --data-dir "$dir" demo >/dev/null
python3 bench/seed.py "$target" "$extra" "$schools"
LD_PRELOAD="${BENCH_PRELOAD:-}" RUST_LOG=info "$bin" --data-dir "$dir" serve --bind "127.0.0.1:$port" >/dev/null 2>"$dir/serve.log" &
pid=$!
for _ in $(seq 1 50); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done
# serve's housekeeping keeps the county's settled report months (one replay of the trail) before
# anyone asks: wait for it, and report what it cost.
for _ in $(seq 1 600); do grep -q "housekeeping done" "$dir/serve.log" && break; sleep 0.2; done
kept_ms=$(sed 's/\x1b\[[0-9;]*m//g' "$dir/serve.log" | grep 'housekeeping done' | grep -o ' ms=[0-9]*' | head -1 | cut -d= -f2)

# A signed-in bureau user (OWASP Argon2 cost, as in production).
jar="$dir/cookies"
token=$(curl -s -c "$jar" "$base/login" | grep -o 'name="csrf_token" value="[^"]*"' | sed 's/.*value="//;s/"$//')
# The page carries the token masked afresh; the cookie holds it plain (the login bench's POSTs
# send both, as a browser does).
anon_csrf=$(awk '$6 == "xiaoan_csrf" {print $7}' "$jar")
curl -s -o /dev/null -b "$jar" -c "$jar" --data "csrf_token=$token&username=bureau&password=xiaoan-demo-2026" "$base/login"
session=$(awk '$6 == "xiaoan_session" {print $7}' "$jar")
[ -n "$session" ] || { echo "login failed" >&2; exit 1; }
cookie="Cookie: xiaoan_session=$session"
id=$(curl -s -H "$cookie" "$base/hazards?sort=oldest" | grep -o 'href="/hazards/[0-9]*"' | head -1 | grep -o '[0-9]*')

printf 'machine: %s, %s cores, %s RAM; %s; hazards: %s; schools: %s; wrk -t2 -c16 -d%ss\n' \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" "$(nproc)" \
  "$(free -h | awk '/Mem:/ {print $2}')" "$([ -n "${BENCH_PG:-}" ] && echo PostgreSQL || echo SQLite)" \
  "$((extra + 24))" "$((schools + 12))" "$secs"
# wrk stops its clients, not the server: let the requests still queued finish before the next
# measurement, or it would wait behind them (at province size a CSV export runs for seconds).
drain() {
  for _ in $(seq 1 300); do
    t=$(curl -s -o /dev/null -w '%{time_total}' -H "$cookie" "$base/hazards/$id")
    awk -v t="$t" 'BEGIN { exit !(t < 0.1) }' && return
    sleep 0.2
  done
}
measure() {
  drain
  local name=$1 path=$2
  local out
  out=$(wrk -t2 -c16 -d"${secs}s" --latency -H "$cookie" "$base$path")
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  printf '%-28s %10s req/s   p50 %8s   p99 %8s\n' "$name" "$rps" "$p50" "$p99"
}
steps=${BENCH_STEPS:-all}
if [ "$steps" = all ] || [ "$steps" = memory ]; then
  source bench/memory.sh
fi
if [ "$steps" = all ] || [ "$steps" = search ]; then
measure "healthz" "/healthz"
measure "text search 灭火器" "/hazards?q=%E7%81%AD%E7%81%AB%E5%99%A8"
measure "text search 电线" "/hazards?q=%E7%94%B5%E7%BA%BF"
measure "text search 3号楼" "/hazards?q=3%E5%8F%B7%E6%A5%BC"
measure "text search, a school's" "/hazards?school=CX-0101&q=%E7%81%AD%E7%81%AB%E5%99%A8"
fi
if [ "$steps" = all ]; then
printf '%-28s %10s s (11 settled months of the county, in the background)\n' \
  "housekeeping replay" "$(awk -v ms="${kept_ms:-0}" 'BEGIN { printf "%.2f", ms / 1000 }')"
measure "healthz" "/healthz"
measure "home (bureau counts)" "/"
measure "ledger page 1 (50 rows)" "/hazards"
measure "ledger filtered + text" "/hazards?level=major&q=%E9%85%8D%E7%94%B5"
measure "overdue (deadline order)" "/hazards/overdue"
measure "one hazard record" "/hazards/$id"
measure "CSV export (major only)" "/hazards.csv?level=major"
# The first read of a scope: the county's months are kept already, a school's are replayed now.
# The county's months (a report opens on the last ended month unless asked for another).
this=$(TZ=Asia/Shanghai date +%Y-%m)
last=$(TZ=Asia/Shanghai date -d "$(TZ=Asia/Shanghai date +%Y-%m-01) -1 day" +%Y-%m)
once() {
  drain
  printf '%-28s %10s s (one request, nothing kept yet)\n' "$1" \
    "$(curl -s -o /dev/null -w '%{time_total}' -H "$cookie" "$base$2")"
}
once "report first read (county)" "/reports/monthly.json?month=$this"
once "report first read (school)" "/reports/monthly.json?month=$this&school=CX-0101"
measure "report this month (county)" "/reports/monthly.json?month=$this"
measure "report last month (county)" "/reports/monthly.json?month=$last"
measure "report this month (school)" "/reports/monthly.json?month=$this&school=CX-0101"
measure "report last month (school)" "/reports/monthly.json?month=$last&school=CX-0101"

# Logins: each is one Argon2id verification (19 MiB, t=2) on the blocking pool.
cat > "$dir/login.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "xiaoan_csrf=$anon_csrf"
wrk.body = "csrf_token=$token&username=viewer&password=xiaoan-demo-2026"
LUA
out=$(wrk -t2 -c8 -d"${secs}s" --latency -s "$dir/login.lua" "$base/login")
printf '%-28s %10s req/s   p50 %8s   p99 %8s\n' "login (Argon2id)" \
  "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1 == "50%" {print $2}' <<<"$out")" \
  "$(awk '$1 == "99%" {print $2}' <<<"$out")"

fi
[ "$steps" = all ] || [ "$steps" = writes ] || exit 0

# Writes: hazards created by 16 clients at once (the bureau naming a school). SQLite's writers
# queue in the app's writer lane (src/db/lane.rs); XIAOAN_SQLITE_WRITER_LANE=0 in the
# environment serves without it, for the comparison. The page's token and the session's CSRF
# cookie go with each POST, as a browser sends them.
curl -s -b "$jar" -c "$jar" -o "$dir/new.html" "$base/hazards/new"
post_token=$(grep -o 'name="csrf_token" value="[^"]*"' "$dir/new.html" | head -1 | sed 's/.*value="//;s/"$//')
post_csrf=$(awk '$6 == "xiaoan_csrf" {print $7}' "$jar")
day=$(date -u +%Y-%m-%d)
cat > "$dir/create.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "xiaoan_session=$session; xiaoan_csrf=$post_csrf"
wrk.body = "csrf_token=$post_token&school=CX-0101&source=campus&category=fire&level=general&title=bench&found_on=$day&how_found=daily&found_by=bench"
LUA
out=$(wrk -t2 -c16 -d"${secs}s" --latency -s "$dir/create.lua" "$base/hazards")
lane=$([ "${XIAOAN_SQLITE_WRITER_LANE:-1}" = "0" ] && echo "lane off" || echo "lane on")
# What the writes made (a 303 to the login page would count as a success for wrk).
if [ -z "${BENCH_PG:-}" ]; then
  made=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM hazards WHERE title = ?", ("bench",)).fetchone()[0])' "$target")
  lane="$lane; $made created"
fi
printf '%-28s %10s req/s   p50 %8s   p99 %8s   (%s; %s)\n' "create a hazard (16 writers)" \
  "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1 == "50%" {print $2}' <<<"$out")" \
  "$(awk '$1 == "99%" {print $2}' <<<"$out")" "$lane" \
  "$(grep -o 'Non-2xx or 3xx responses: [0-9]*' <<<"$out" || echo 'no errors')"

