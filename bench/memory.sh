# Sourced by run.sh (uses its $pid, $base, $cookie, $dir, $secs and drain): the server's memory
# under a mix of whole-ledger exports, text searches and ledger pages at 16 clients for $secs,
# then idle. Prints its resident memory before, at its peak (VmHWM), and 10 s and 30 s after
# the mix has drained, read from /proc/$pid/status.
rss() { awk -v k="$1:" '$1 == k { printf "%.0f", $2 / 1024 }' "/proc/$pid/status"; }

# One run of a mix: the paths in turn, each connection taking the next. $1 names it; the
# rest are the paths.
mix() {
  local name=$1
  shift
  {
    printf 'local paths = {'
    printf '"%s", ' "$@"
    printf '}\nlocal i = 0\n'
    printf 'request = function()\n  i = i + 1\n'
    printf '  return wrk.format("GET", paths[(i %% #paths) + 1])\nend\n'
  } >"$dir/mix.lua"
  drain
  # Peak since now: writing 5 to clear_refs resets VmHWM (Linux).
  echo 5 >"/proc/$pid/clear_refs" 2>/dev/null || true
  local before out peak idle idle30
  before=$(rss VmRSS)
  out=$(wrk -t2 -c16 -d"${secs}s" --timeout 60s -s "$dir/mix.lua" -H "$cookie" "$base")
  peak=$(rss VmHWM)
  drain
  sleep 10
  idle=$(rss VmRSS)
  sleep 20
  idle30=$(rss VmRSS)
  printf '%-22s before %4s MB  peak %4s MB  idle after 10 s %4s MB, 30 s %4s MB  (%s requests, %s)\n' \
    "$name" "$before" "$peak" "$idle" "$idle30" \
    "$(awk '/requests in/ {print $1}' <<<"$out")" \
    "$(grep -E 'Socket errors|Non-2xx' <<<"$out" | xargs | sed 's/^$/no errors/')"
}

echo "memory${BENCH_PRELOAD:+ (preloaded: $BENCH_PRELOAD)}, RSS of the server:"
q1=$(printf '%s' '配电' | od -An -tx1 | tr ' ' '%' | tr -d '\n' | tr 'a-f' 'A-F')
q2=$(printf '%s' '楼梯' | od -An -tx1 | tr ' ' '%' | tr -d '\n' | tr 'a-f' 'A-F')
mix "csv + search + pages" /hazards.csv "/hazards?q=$q1" /hazards "/hazards?q=$q2&state=reported" \
  "/hazards?page=7" "/hazards?level=major&q=$q1"
mix "xlsx + csv + search" /hazards.xlsx /hazards.csv "/hazards?q=$q1" /hazards
