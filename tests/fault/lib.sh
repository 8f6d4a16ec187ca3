# shellcheck shell=bash disable=SC2034 # (variables the sourcing scripts use)
# Shared by the fault scripts (sourced): the binary, a scratch dir, servers on random ports,
# accounts made with the CLI, a fresh PostgreSQL database, and cleanup of all of it on exit.
# Logins are cheap on purpose (Argon2 64 KiB, 1 pass): the runs measure writes, not hashing.

fault_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$fault_dir/../.." && pwd)
ARGON=(--argon2-m-kib 64 --argon2-t 1)
PASSWORD=fault-run-pass-2026
# A school officer reports for the school; the bureau names it.
USERS=("officer:$PASSWORD" "county:$PASSWORD:F-001")

WORK=$(mktemp -d "${TMPDIR:-/tmp}/xiaoan-fault.XXXXXX")
DATA="$WORK/data"
mkdir -p "$DATA"
declare -a PIDS=() PORTS=()
PG_DB=
MOUNTS=()
# Extra `serve` options a script needs (diskfull lowers the free-space threshold).
SERVE_ARGS=()

py() { python3 "$fault_dir/fault.py" "$@"; }
say() { printf '[%s] %s\n' "${FAULT_NAME:-fault}" "$*"; }
die() {
  say "FAILED: $*" >&2
  exit 1
}

fault_cleanup() {
  local pid m
  for pid in "${PIDS[@]}"; do
    [ -n "$pid" ] || continue
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  for m in "${MOUNTS[@]}"; do umount -l "$m" 2>/dev/null || true; done
  if [ -n "$PG_DB" ]; then
    psql -X -q "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  chmod -R u+w "$WORK" 2>/dev/null || true
  rm -rf "$WORK"
}
trap fault_cleanup EXIT

# BIN: $XIAOAN_BIN, or the dev build of this checkout.
find_bin() {
  if [ -n "${XIAOAN_BIN:-}" ]; then
    BIN=$XIAOAN_BIN
  else
    (cd "$repo" && cargo build -q --bin xiaoan) || die "cargo build failed"
    local target=${CARGO_TARGET_DIR:-target}
    case $target in /*) ;; *) target="$repo/$target" ;; esac
    BIN="$target/debug/xiaoan"
  fi
  [ -x "$BIN" ] || die "no binary at $BIN"
}

x() { "$BIN" --data-dir "$DATA" "${ARGON[@]}" "$@"; }

# A fresh database on the PostgreSQL server of $1 (a role that may create databases), dropped
# on exit; DATABASE_URL points at it for the app and the CLI.
pg_fresh() {
  PG_ADMIN_URL=${1%%\?*}
  pg_isready -q -d "$PG_ADMIN_URL" || die "PostgreSQL at ${PG_ADMIN_URL##*@} is not ready"
  PG_DB="xiaoan_fault_$$_$RANDOM"
  psql -X -q -v ON_ERROR_STOP=1 "$PG_ADMIN_URL" -c "CREATE DATABASE $PG_DB" >/dev/null ||
    die "cannot create database $PG_DB"
  export DATABASE_URL="${PG_ADMIN_URL%/*}/$PG_DB"
}

is_pg() { case ${DATABASE_URL:-} in postgres://* | postgresql://*) return 0 ;; esac; return 1; }

setup_accounts() {
  x migrate >/dev/null || die "migrate failed"
  x school add --code F-001 --name 故障演练学校 --township 演练镇 >/dev/null || die "school add failed"
  printf '%s\n' "$PASSWORD" | x user add --username officer --role school_admin --school F-001 \
    >/dev/null || die "user add officer failed"
  printf '%s\n' "$PASSWORD" | x user add --username county --role bureau >/dev/null ||
    die "user add county failed"
}

http_status() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" || true; }

# start_server I: serve on PORTS[I] (a random free port the first time), log in $WORK/serve-I.log.
start_server() {
  local i=$1
  [ -n "${PORTS[$i]:-}" ] || PORTS[i]=$(py port)
  # Whatever answers there now is not the server about to start (a survivor of a botched kill).
  [ "$(http_status "http://127.0.0.1:${PORTS[$i]}/healthz")" = 000 ] ||
    die "something already answers on port ${PORTS[$i]}"
  # The binary itself in the background (not a function, whose $! would be a subshell that a
  # kill -9 would leave the server running behind).
  "$BIN" --data-dir "$DATA" "${ARGON[@]}" serve --bind "127.0.0.1:${PORTS[$i]}" \
    "${SERVE_ARGS[@]}" >>"$WORK/serve-$i.log" 2>&1 &
  PIDS[i]=$!
  local _
  for _ in $(seq 1 300); do
    [ "$(http_status "http://127.0.0.1:${PORTS[$i]}/healthz")" = 200 ] && return 0
    kill -0 "${PIDS[$i]}" 2>/dev/null || break
    sleep 0.1
  done
  tail -5 "$WORK/serve-$i.log" >&2
  die "server $i did not come up on port ${PORTS[$i]}"
}

kill9_server() {
  local i=$1
  kill -9 "${PIDS[$i]}" 2>/dev/null || true
  wait "${PIDS[$i]}" 2>/dev/null || true
  PIDS[i]=
}

base() { printf 'http://127.0.0.1:%s' "${PORTS[$1]}"; }

# Every acknowledged write in $1 is in the database, with its title.
check_acks() {
  local out
  if is_pg; then
    out=$(psql -X -qAt -F $'\t' "$DATABASE_URL" -c "SELECT id, title FROM hazards" | py check "$1") ||
      die "acknowledged writes lost: $out"
  else
    out=$(py rows-sqlite "$DATA/xiaoan.db" | py check "$1") || die "acknowledged writes lost: $out"
  fi
  printf '%s' "$out"
}

check_integrity() {
  is_pg && return 0
  py integrity "$DATA/xiaoan.db" >/dev/null || die "$(py integrity "$DATA/xiaoan.db")"
}

check_audit() {
  local out
  out=$(x audit verify 2>&1) || die "audit verify: $out"
}

# A random pause in [$1, $2) seconds.
pause_between() { sleep "$(awk -v a="$1" -v b="$2" -v r="$RANDOM" 'BEGIN { printf "%.2f", a + (b - a) * r / 32768 }')"; }
