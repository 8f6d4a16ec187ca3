#!/usr/bin/env bash
# The fault runs, one after another; each prints its figures, and this prints them again at the
# end with the time each took. Exits non-zero if any failed (the others still run).
#   short (CI): 10 kill -9 cycles on SQLite, read-only, disk full, 2 kill cycles of two instances
#   full: 120 kill -9 cycles (8 writers) on SQLite and 30 on PostgreSQL, read-only, disk full,
#         20 kill cycles of two instances with 32 writers each (64 at once)
# Env: FAULT_PG_URL (a PostgreSQL role that may create databases; default the CI role on
# 127.0.0.1), XIAOAN_BIN (else the dev build of this checkout is built once here).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mode=${1:-short}
pg=${FAULT_PG_URL:-postgres://xiaoan_ci:xiaoan_ci@127.0.0.1:5432/xiaoan_ci}
case $mode in
  short | full) ;;
  *) echo "usage: $0 [short|full]" >&2; exit 2 ;;
esac

if [ -z "${XIAOAN_BIN:-}" ]; then
  (cd "$here/../.." && cargo build -q --bin xiaoan) || exit 1
  target=${CARGO_TARGET_DIR:-target}
  case $target in /*) ;; *) target="$here/../../$target" ;; esac
  export XIAOAN_BIN="$target/debug/xiaoan"
fi

summary=()
failed=0
run() {
  local name=$1 start=$SECONDS rc=0
  shift
  printf '\n== fault: %s\n' "$name"
  "$@" 2>&1 | tee "/tmp/xiaoan-fault-$$.log" || rc=$?
  local last
  last=$(grep -v '^\s*$' "/tmp/xiaoan-fault-$$.log" | tail -1)
  rm -f "/tmp/xiaoan-fault-$$.log"
  [ "$rc" -eq 0 ] || failed=$((failed + 1))
  summary+=("$(printf '%-5s %-22s %4ss  %s' "$([ "$rc" -eq 0 ] && echo ok || echo FAIL)" "$name" \
    $((SECONDS - start)) "$last")")
}

sqlite() { env -u DATABASE_URL "$@"; }
if [ "$mode" = short ]; then
  run "kill9 SQLite" sqlite bash "$here/kill9.sh" 10
  run "readonly" sqlite bash "$here/readonly.sh"
  run "diskfull" sqlite bash "$here/diskfull.sh"
  run "two instances PG" env DATABASE_URL="$pg" bash "$here/two_instances_pg.sh" 2
else
  run "kill9 SQLite" sqlite env FAULT_WRITERS=8 FAULT_MAX_UP=6 bash "$here/kill9.sh" 120
  run "kill9 PostgreSQL" env DATABASE_URL="$pg" FAULT_WRITERS=8 FAULT_MAX_UP=6 \
    bash "$here/kill9.sh" 30
  run "readonly" sqlite bash "$here/readonly.sh"
  run "diskfull" sqlite bash "$here/diskfull.sh"
  run "two instances PG" env DATABASE_URL="$pg" FAULT_WRITERS=32 \
    bash "$here/two_instances_pg.sh" 20
fi

printf '\n== fault runs (%s)\n' "$mode"
printf '%s\n' "${summary[@]}"
total=${#summary[@]}
# The plain closing line CI readers count.
echo "fault: $((total - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
