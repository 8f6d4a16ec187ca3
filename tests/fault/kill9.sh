#!/usr/bin/env bash
# kill -9 loop: concurrent writers report hazards, the server is killed at a random moment and
# restarted; after each cycle every write it acknowledged (303 to the new hazard) is in the
# database, the audit chain verifies and (SQLite) PRAGMA integrity_check is ok.
# Usage: kill9.sh [CYCLES] (default 10). Env: XIAOAN_BIN (a prebuilt binary), DATABASE_URL
# (postgres://… of a role that may create databases: the run uses a fresh database there),
# FAULT_WRITERS (concurrent writers, default 4), FAULT_MAX_UP (longest seconds before a kill, 2.5).
set -euo pipefail
FAULT_NAME=kill9
# shellcheck source=tests/fault/lib.sh
source "$(dirname "$0")/lib.sh"
cycles=${1:-10}
writers=${FAULT_WRITERS:-4}
max_up=${FAULT_MAX_UP:-2.5}
started=$SECONDS

find_bin
if is_pg; then pg_fresh "$DATABASE_URL"; fi
backend=$(is_pg && echo PostgreSQL || echo SQLite)
setup_accounts
acks="$WORK/acks"
: >"$acks"
start_server 0
say "$backend, $cycles cycles, $writers writers, port ${PORTS[0]}"

for c in $(seq 1 "$cycles"); do
  # The writers stop by themselves when the server goes (or after a minute at most).
  py write "$(base 0)" "$acks" "c$c" "${USERS[@]}" --threads "$writers" --seconds 60 \
    >"$WORK/writers.out" 2>&1 &
  wpid=$!
  pause_between 0.2 "$max_up"
  kill9_server 0
  wait "$wpid" || die "cycle $c: a writer saw an unexpected answer: $(cat "$WORK/writers.out")"
  start_server 0
  check_acks "$acks" >/dev/null
  check_integrity
  check_audit
  if [ $((c % 10)) -eq 0 ] || [ "$c" -eq "$cycles" ]; then
    say "cycle $c/$cycles: $(check_acks "$acks")"
  fi
done

result=$(check_acks "$acks")
acked=${result#acked=}
acked=${acked%% *}
lost=${result##*lost=}
integrity=n/a
is_pg || integrity=$(py integrity "$DATA/xiaoan.db" | cut -d' ' -f2)
say "backend=$backend cycles=$cycles writers=$writers acknowledged=$acked lost=$lost" \
  "integrity_check=$integrity audit_verify=ok seconds=$((SECONDS - started))"
[ "$lost" = 0 ] || die "lost $lost acknowledged writes"
