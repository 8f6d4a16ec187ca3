#!/usr/bin/env bash
# Load benchmark: a release build over a database `xiaoan generate` fills (SCHOOLS schools,
# YEARS years of every module's records, through the app's own rules), measured with wrk on
# 127.0.0.1 for a bounded time. Prints one table: per endpoint req/s, p50, p99, errors, its
# share of /healthz in the same run, the server's CPU time per request, and the server's peak
# and steady resident memory.
#   Usage: bash bench/run.sh [schools=300] [seconds=5] [years=3]   (a province: 25000 5 2)
# BENCH_STEPS=table|memory|writes|search runs only that part (default all). BENCH_PG=a
# PostgreSQL URL of a role that may create databases (postgres://u:p@127.0.0.1/postgres) runs
# against a fresh database `xiaoan_bench` there, dropped afterwards. BENCH_KEEP=dir keeps the
# generated SQLite database in dir and reuses it next time (generation is the slow part).
set -euo pipefail
cd "$(dirname "$0")/.."
schools=${1:-300}
secs=${2:-5}
years=${3:-3}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/xiaoan-target}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release -q
bin="$CARGO_TARGET_DIR/release/xiaoan"
dir=$(mktemp -d)
data="${BENCH_KEEP:-$dir/data}"
port=18181
base="http://127.0.0.1:$port"
pid=
backend=SQLite
if [ -n "${BENCH_PG:-}" ]; then
  backend=PostgreSQL
  psql -X -q -v ON_ERROR_STOP=1 "$BENCH_PG" -c "DROP DATABASE IF EXISTS xiaoan_bench" -c "CREATE DATABASE xiaoan_bench"
  export DATABASE_URL="${BENCH_PG%/*}/xiaoan_bench"
fi
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
  if [ -n "${BENCH_PG:-}" ]; then psql -X -q "$BENCH_PG" -c "DROP DATABASE IF EXISTS xiaoan_bench" || true; fi
}
trap cleanup EXIT

if [ -n "${BENCH_PG:-}" ] || [ ! -f "$data/xiaoan.db" ]; then
  "$bin" --data-dir "$data" generate --schools "$schools" --years "$years" --seed 15 2>/dev/null | tail -1
  [ -z "${BENCH_PG:-}" ] || psql -X -q "$DATABASE_URL" -c "VACUUM ANALYZE"
fi
RUST_LOG=info "$bin" --data-dir "$data" serve --bind "127.0.0.1:$port" >/dev/null 2>"$dir/serve.log" &
pid=$!
for _ in $(seq 1 300); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done
# serve's housekeeping keeps the county's settled report months before anyone asks: wait.
for _ in $(seq 1 1800); do grep -q "housekeeping done" "$dir/serve.log" && break; sleep 0.2; done

password=xiaoan-generated
# A signed-in session of this user (Argon2 at the OWASP cost, as in production): its cookie.
login() {
  local jar="$dir/jar.$1" token
  token=$(curl -s -c "$jar" "$base/login" | grep -o 'name="csrf_token" value="[^"]*"' | sed 's/.*value="//;s/"$//')
  curl -s -o /dev/null -b "$jar" -c "$jar" --data "csrf_token=$token&username=$1&password=$password" "$base/login"
  local s
  s=$(awk '$6 == "xiaoan_session" {print $7}' "$jar")
  [ -n "$s" ] || { echo "login of $1 failed" >&2; exit 1; }
  echo "Cookie: xiaoan_session=$s"
}
cookie=$(login bureau)
viewer=$(login viewer)
officer=$(login o00000)
staff=$(login t00000)
id=$(curl -s -H "$cookie" "$base/hazards?sort=oldest" | grep -o 'href="/hazards/[0-9]*"' | head -1 | grep -o '[0-9]*')
hazards=$(curl -s -H "$cookie" "$base/hazards" | grep -o '共 [0-9]* 条' | head -1 | grep -o '[0-9]*')

printf 'machine: %s, %s cores, %s RAM; %s; %s schools, %s years, %s hazards; wrk -t2 -c16 -d%ss\n' \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" "$(nproc)" \
  "$(free -h | awk '/Mem:/ {print $2}')" "$backend" "$schools" "$years" "$hazards" "$secs"

# wrk stops its clients, not the server: let the requests still queued finish before the next
# measurement, or it would wait behind them (at province size an export runs for seconds).
drain() {
  for _ in $(seq 1 300); do
    t=$(curl -s -o /dev/null -w '%{time_total}' "$base/healthz")
    awk -v t="$t" 'BEGIN { exit !(t < 0.05) }' && return
    sleep 0.2
  done
}
rss() { awk -v k="$1:" '$1 == k { printf "%.0f", $2 / 1024 }' "/proc/$pid/status"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
tick=$(getconf CLK_TCK)
healthz_rps=
printf '%-30s %9s %9s %9s %7s %8s %9s %6s %6s\n' endpoint "req/s" p50 p99 errors "%health" "cpu ms/r" peakMB steadyMB
# One row: $1 its name, $2 the path, $3 the session's cookie header (the bureau's by default).
measure() {
  local name=$1 path=$2 who=${3:-$cookie}
  drain
  echo 5 >"/proc/$pid/clear_refs" 2>/dev/null || true
  local c0 out c1 rps p50 p99 n errors share cpu peak steady
  c0=$(cpu_ticks)
  out=$(wrk -t2 -c16 -d"${secs}s" --timeout 30s --latency -H "$who" "$base$path")
  c1=$(cpu_ticks)
  peak=$(rss VmHWM)
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  errors=$(awk '/Non-2xx/ {e += $NF} /Socket errors/ {gsub(",", ""); e += $4 + $6 + $8 + $10} END {print e + 0}' <<<"$out")
  [ -n "$healthz_rps" ] || healthz_rps=$rps
  share=$(awk -v a="$rps" -v b="$healthz_rps" 'BEGIN { printf "%.1f", 100 * a / b }')
  cpu=$(awk -v d="$((c1 - c0))" -v t="$tick" -v n="$n" 'BEGIN { printf "%.2f", n ? 1000 * d / t / n : 0 }')
  drain
  steady=$(rss VmRSS)
  printf '%-30s %9s %9s %9s %7s %8s %9s %6s %6s\n' "$name" "$rps" "$p50" "$p99" "$errors" "$share" "$cpu" "$peak" "$steady"
}
steps=${BENCH_STEPS:-all}
this=$(TZ=Asia/Shanghai date +%Y-%m)
last=$(TZ=Asia/Shanghai date -d "$(TZ=Asia/Shanghai date +%Y-%m-01) -1 day" +%Y-%m)
q() { printf '%s' "$1" | od -An -tx1 | tr ' ' '%' | tr -d '\n' | tr 'a-f' 'A-F'; }
if [ "$steps" = all ] || [ "$steps" = table ] || [ "$steps" = search ]; then
  measure "healthz" "/healthz"
  measure "text search 灭火器" "/hazards?q=$(q 灭火器)"
  measure "text search 电线" "/hazards?q=$(q 电线)"
  measure "text search 3号楼" "/hazards?q=$(q 3号楼)"
fi
if [ "$steps" = all ] || [ "$steps" = table ]; then
  measure "ledger page 1 (bureau)" "/hazards"
  measure "ledger, a school's (officer)" "/hazards" "$officer"
  measure "ledger page 40 (bureau)" "/hazards?page=40"
  measure "overdue (deadline order)" "/hazards/overdue"
  measure "one hazard record" "/hazards/$id"
  measure "buildings list" "/buildings"
  measure "education list" "/education"
  measure "legal VPs list" "/legal-vps"
  measure "security table" "/security"
  measure "bullying list" "/bullying"
  measure "campaigns list" "/campaigns"
  measure "home (bureau)" "/"
  measure "home (viewer)" "/" "$viewer"
  measure "home (school officer)" "/" "$officer"
  measure "home (staff)" "/" "$staff"
  measure "report this month (HTML)" "/reports/monthly?month=$this"
  measure "report last month (HTML)" "/reports/monthly?month=$last"
  measure "report this month (XLSX)" "/reports/monthly.xlsx?month=$this"
  measure "report last month (XLSX)" "/reports/monthly.xlsx?month=$last"
  measure "report this month, a school" "/reports/monthly.json?month=$this&school=GS-00000"
  measure "export hazards.csv" "/hazards.csv"
  measure "export hazards.xlsx" "/hazards.xlsx"
  measure "export buildings.csv" "/buildings.csv"
  measure "export education.csv" "/education.csv"
  measure "export legal-vps.csv" "/legal-vps.csv"
fi
if [ "$steps" = all ] || [ "$steps" = memory ]; then
  source bench/memory.sh
fi
[ "$steps" = all ] || [ "$steps" = writes ] || exit 0

# Writes: hazards created by 16 clients at once (the bureau naming a school). SQLite's writers
# queue in the app's writer lane (src/db/lane.rs); XIAOAN_SQLITE_WRITER_LANE=0 in the
# environment serves without it, for the comparison. The page's token and the session's CSRF
# cookie go with each POST, as a browser sends them.
jar="$dir/jar.bureau"
curl -s -b "$jar" -c "$jar" -o "$dir/new.html" "$base/hazards/new"
post_token=$(grep -o 'name="csrf_token" value="[^"]*"' "$dir/new.html" | head -1 | sed 's/.*value="//;s/"$//')
post_csrf=$(awk '$6 == "xiaoan_csrf" {print $7}' "$jar")
session=$(awk '$6 == "xiaoan_session" {print $7}' "$jar")
day=$(date -u +%Y-%m-%d)
cat > "$dir/create.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "xiaoan_session=$session; xiaoan_csrf=$post_csrf"
wrk.body = "csrf_token=$post_token&school=GS-00000&source=campus&category=fire&level=general&title=bench&found_on=$day&how_found=daily&found_by=bench"
LUA
drain
out=$(wrk -t2 -c16 -d"${secs}s" --latency -s "$dir/create.lua" "$base/hazards")
lane=$([ "${XIAOAN_SQLITE_WRITER_LANE:-1}" = "0" ] && echo "lane off" || echo "lane on")
made=$(curl -s -H "$cookie" "$base/hazards?q=bench" | grep -o '共 [0-9]* 条' | head -1 | grep -o '[0-9]*')
printf '%-30s %9s %9s %9s   (%s; %s created; %s)\n' "create a hazard (16 writers)" \
  "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1 == "50%" {print $2}' <<<"$out")" \
  "$(awk '$1 == "99%" {print $2}' <<<"$out")" "$lane" "$made" \
  "$(grep -o 'Non-2xx or 3xx responses: [0-9]*' <<<"$out" || echo 'no errors')"
