#!/usr/bin/env bash
# A server that cannot write must not say it is healthy: on a read-only data dir `serve` refuses
# to start with one error line and a non-zero exit; on a writable one it serves and /readyz is 200.
# Read-only by chmod (run as an unprivileged user when we are root, whom modes do not stop), and,
# as root, by a read-only bind mount and a read-only tmpfs. Env: XIAOAN_BIN.
set -euo pipefail
FAULT_NAME="readonly"
# shellcheck source=tests/fault/lib.sh
source "$(dirname "$0")/lib.sh"
started=$SECONDS
find_bin
setup_accounts

# Writable: it serves, and says it is ready.
start_server 0
ready=$(http_status "$(base 0)/readyz")
[ "$ready" = 200 ] || die "/readyz on a writable data dir: $ready, want 200"
kill -TERM "${PIDS[0]}"
wait "${PIDS[0]}" || die "serve did not stop cleanly on SIGTERM"
PIDS[0]=
say "writable data dir: serves, /readyz 200"

cases=0
# refuse NAME DIR [RUNNER...]: serve on DIR exits non-zero in time with exactly one error line.
refuse() {
  local name=$1 dir=$2 port rc=0
  shift 2
  port=$(py port)
  "$@" timeout 20 "$BIN" --data-dir "$dir" "${ARGON[@]}" serve --bind "127.0.0.1:$port" \
    >"$WORK/ro.out" 2>"$WORK/ro.err" || rc=$?
  [ "$rc" -ne 0 ] || die "$name: serve started on a read-only data dir"
  [ "$rc" -ne 124 ] || die "$name: serve neither started nor refused within 20 s"
  local lines
  lines=$(grep -c '^error:' "$WORK/ro.err" || true)
  [ "$lines" = 1 ] || die "$name: want one error line, got $lines: $(tail -3 "$WORK/ro.err")"
  ! grep -q 'listening on' "$WORK/ro.err" || die "$name: serve said it was listening"
  say "$name: refused (exit $rc): $(grep '^error:' "$WORK/ro.err")"
  cases=$((cases + 1))
}

# The kept database, and an empty dir: both read-only by mode.
chmod 0755 "$WORK"
mkdir -p "$WORK/bin"
cp "$BIN" "$WORK/bin/xiaoan"
BIN="$WORK/bin/xiaoan"
cp -a "$DATA" "$WORK/ro-kept"
mkdir -p "$WORK/ro-empty"
runner=()
if [ "$(id -u)" = 0 ]; then
  chown -R 65534:65534 "$WORK/ro-kept" "$WORK/ro-empty"
  runner=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
chmod -R a-w "$WORK/ro-kept" "$WORK/ro-empty"
refuse "chmod a-w, existing database" "$WORK/ro-kept" "${runner[@]}"
refuse "chmod a-w, empty data dir" "$WORK/ro-empty" "${runner[@]}"
# The data dir writable but the database file not.
cp -a "$DATA" "$WORK/ro-file"
[ "$(id -u)" = 0 ] && chown -R 65534:65534 "$WORK/ro-file"
chmod a-w "$WORK/ro-file/xiaoan.db"
refuse "chmod a-w on the database file" "$WORK/ro-file" "${runner[@]}"

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$WORK/ro-bind" "$WORK/ro-tmpfs"
  mount --bind "$DATA" "$WORK/ro-bind" && MOUNTS+=("$WORK/ro-bind")
  mount -o remount,bind,ro "$WORK/ro-bind" || die "cannot remount the bind mount read-only"
  refuse "read-only bind mount" "$WORK/ro-bind"
  mount -t tmpfs -o size=8m tmpfs "$WORK/ro-tmpfs" && MOUNTS+=("$WORK/ro-tmpfs")
  cp -a "$DATA/." "$WORK/ro-tmpfs/"
  mount -o remount,ro "$WORK/ro-tmpfs" || die "cannot remount the tmpfs read-only"
  refuse "read-only tmpfs" "$WORK/ro-tmpfs"
else
  say "not root: the read-only bind mount and tmpfs cases are skipped"
fi
say "readonly: refused=$cases writable_ready=200 seconds=$((SECONDS - started))"
