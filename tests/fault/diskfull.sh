#!/usr/bin/env bash
# Disk full while serving: the data dir is a small tmpfs, filled up under a running server.
# Users must get 507 (a clear "storage full" page, never the generic 500), /readyz 503, no
# temporary files left in uploads/ by failed uploads; after space is freed the app works again
# without a restart, and a restart sweeps temporary files a crash left behind. Root only (it
# mounts a tmpfs): otherwise it prints SKIPPED and exits 0. Env: XIAOAN_BIN, FAULT_TMPFS_MIB (8).
set -euo pipefail
FAULT_NAME=diskfull
if [ "$(id -u)" != 0 ]; then
  echo "[diskfull] SKIPPED: needs root to mount a tmpfs"
  exit 0
fi
# shellcheck source=tests/fault/lib.sh
source "$(dirname "$0")/lib.sh"
started=$SECONDS
find_bin
mount -t tmpfs -o "size=${FAULT_TMPFS_MIB:-8}m" tmpfs "$DATA" || die "cannot mount a tmpfs"
MOUNTS+=("$DATA")
setup_accounts
# /readyz wants 32 MiB free by default, more than this whole tmpfs: 1 MiB is the line here.
SERVE_ARGS=(--min-free-mb 1)
start_server 0
b=$(base 0)
[ "$(http_status "$b/readyz")" = 200 ] || die "/readyz before the disk is full: not 200"
IFS=$'\t' read -r cookie token < <(py login "$b" "officer:$PASSWORD") || true
[ -n "${token:-}" ] || die "cannot log in"
for i in 1 2 3 4 5; do py png "$WORK/p$i.png" 400 "$i"; done

# report [PNG]: POST /hazards (multipart with a photo when given); prints the status.
n=0
report() {
  n=$((n + 1))
  local args=(-H "Cookie: $cookie" -H "Origin: $b" -H "Accept-Language: en" -o "$WORK/last.html" -w '%{http_code}')
  local fields=(csrf_token="$token" source=campus category=fire title="diskfull #$n"
    level=general found_on="$(TZ=Asia/Shanghai date +%F)")
  if [ -n "${1:-}" ]; then
    local f form=()
    for f in "${fields[@]}"; do form+=(-F "$f"); done
    curl -s --max-time 30 "${args[@]}" "${form[@]}" -F "photo=@$1;type=image/png" "$b/hazards" || true
  else
    local f form=()
    for f in "${fields[@]}"; do form+=(--data-urlencode "$f"); done
    curl -s --max-time 30 "${args[@]}" "${form[@]}" "$b/hazards" || true
  fi
}

[ "$(report)" = 303 ] || die "a report before the disk is full was not 303"
[ "$(report "$WORK/p1.png")" = 303 ] || die "a report with a photo before the disk is full was not 303"

# Fill it: one big file, then whatever small blocks are left.
dd if=/dev/zero of="$DATA/filler" bs=1M status=none 2>/dev/null || true
dd if=/dev/zero of="$DATA/filler2" bs=4k status=none 2>/dev/null || true
say "filled: $(df -h --output=avail "$DATA" | tail -1 | xargs) left of ${FAULT_TMPFS_MIB:-8} MiB"

# Uploads fail for want of space, and leave no temporary file behind.
for i in 2 3 4; do
  s=$(report "$WORK/p$i.png")
  [ "$s" = 507 ] || die "a photo upload on a full disk: $s, want 507 ($(head -c 300 "$WORK/last.html"))"
  grep -q "storage is full" "$WORK/last.html" || die "a failed upload's 507 is not the storage-full page"
done
tmps=$(find "$DATA/uploads" -name '*.tmp*' 2>/dev/null | wc -l)
[ "$tmps" = 0 ] || die "$tmps temporary files left in uploads/ after failed uploads"
# Plain reports: the database still finds room in its pages for a while, then is full.
full_at=
for i in $(seq 1 500); do
  s=$(report)
  case $s in
    303) ;;
    507) full_at=$i; break ;;
    *) die "a report on a full disk: $s, want 303 or 507 ($(head -c 300 "$WORK/last.html"))" ;;
  esac
done
[ -n "$full_at" ] || die "500 reports on a full disk and none was refused with 507"
# The page says what happened (the English catalog's words), not "something went wrong".
if ! grep -qi '<html' "$WORK/last.html" || ! grep -q "storage is full" "$WORK/last.html"; then
  die "the 507 answer is not the storage-full page: $(head -c 300 "$WORK/last.html")"
fi
ready=$(http_status "$b/readyz")
[ "$ready" = 503 ] || die "/readyz on a full disk: $ready, want 503"
say "full: photo uploads 507 with no temp file left, reports 507 after $full_at, /readyz 503"

# Space again: the same server works, no restart.
rm -f "$DATA/filler" "$DATA/filler2"
ready=$(http_status "$b/readyz")
[ "$ready" = 200 ] || die "/readyz after freeing space: $ready, want 200"
s=$(report)
[ "$s" = 303 ] || die "a report after freeing space: $s, want 303"
s=$(report "$WORK/p5.png")
[ "$s" = 303 ] || die "a report with a photo after freeing space: $s, want 303"
say "space freed: /readyz 200, reports and photos 303 without a restart"

# A crash in the middle of an upload leaves its temporary file; the next start removes it.
kill9_server 0
mkdir -p "$DATA/uploads/ab"
stale="$DATA/uploads/ab/$(printf 'ab%062d' 0).tmp-stalecrash"
echo partial >"$stale"
start_server 0
[ ! -e "$stale" ] || die "a temporary file left by a crash is still in uploads/ after a restart"
check_audit
check_integrity
say "diskfull: photo_507=3 reports_before_full=$((full_at - 1)) readyz_full=503 tmp_left=0" \
  "recovered_without_restart=yes stale_tmp_swept=yes seconds=$((SECONDS - started))"
