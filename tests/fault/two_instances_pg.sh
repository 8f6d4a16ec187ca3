#!/usr/bin/env bash
# Two `serve` instances on one PostgreSQL database, writers on both; one is killed with -9 at a
# random moment while the other's writers keep going, then restarted. Every acknowledged write
# of either instance must be in the database, and the audit chain must verify.
# Usage: two_instances_pg.sh [CYCLES] (default 2). Env: DATABASE_URL (a role that may create
# databases; default the CI role on 127.0.0.1; the run uses a fresh database, dropped after),
# XIAOAN_BIN, FAULT_WRITERS (writers per instance, default 4).
set -euo pipefail
FAULT_NAME=two_instances_pg
# shellcheck source=tests/fault/lib.sh
source "$(dirname "$0")/lib.sh"
cycles=${1:-2}
writers=${FAULT_WRITERS:-4}
started=$SECONDS
find_bin
pg_fresh "${DATABASE_URL:-postgres://xiaoan_ci:xiaoan_ci@127.0.0.1:5432/xiaoan_ci}"
setup_accounts
acks="$WORK/acks"
: >"$acks"
start_server 0
start_server 1
say "PostgreSQL $PG_DB, instances on ports ${PORTS[0]} and ${PORTS[1]}, $writers writers each"

for c in $(seq 1 "$cycles"); do
  # Kill the instances in turn; the other one's writers run through the kill and the restart.
  victim=$(((c - 1) % 2))
  other=$((1 - victim))
  py write "$(base "$other")" "$acks" "c$c-i$other" "${USERS[@]}" --threads "$writers" \
    --seconds 6 >"$WORK/other.out" 2>&1 &
  opid=$!
  py write "$(base "$victim")" "$acks" "c$c-i$victim" "${USERS[@]}" --threads "$writers" \
    --seconds 60 >"$WORK/victim.out" 2>&1 &
  vpid=$!
  pause_between 0.5 2.5
  kill9_server "$victim"
  wait "$vpid" || die "cycle $c: a writer on the killed instance: $(cat "$WORK/victim.out")"
  # The survivor must still be serving while its peer is down.
  [ "$(http_status "$(base "$other")/healthz")" = 200 ] || die "cycle $c: the survivor is down"
  start_server "$victim"
  # The restarted instance takes writes again while the survivor's writers are still going.
  py write "$(base "$victim")" "$acks" "c$c-i$victim-back" "${USERS[@]}" --threads "$writers" \
    --seconds 1.5 >"$WORK/back.out" 2>&1 || die "cycle $c: writers on the restarted instance: $(cat "$WORK/back.out")"
  wait "$opid" || die "cycle $c: a writer on the surviving instance: $(cat "$WORK/other.out")"
  grep -q '^acked=[1-9]' "$WORK/other.out" || die "cycle $c: the survivor acknowledged nothing"
  check_acks "$acks" >/dev/null
  check_audit
done

result=$(check_acks "$acks")
acked=${result#acked=}
acked=${acked%% *}
lost=${result##*lost=}
say "backend=PostgreSQL instances=2 cycles=$cycles writers=$((2 * writers)) acknowledged=$acked" \
  "lost=$lost audit_verify=ok seconds=$((SECONDS - started))"
[ "$lost" = 0 ] || die "lost $lost acknowledged writes"
