#!/usr/bin/env bash
# The oksms benchmark: generates a corpus of realistic System Log events with
# the simulator (`oksms-sim generate`, fixed seed; crates/oksms-sim), then
# measures `oksms parse` (CSV, NDJSON, --group-by phone) on NDJSON and on a
# JSON array input, and the same CSV projection in jq, as MB/s, events/s and
# peak RSS; `oksms fetch` against `oksms-sim serve`; `oksms watch --listen`
# fed by `oksms replay`. Each figure is the best of $RUNS runs. Prints a
# Markdown table (also saved to target/bench/results.md).
#
#   tests/bench/run.sh            # 1,000,000 events (about 2 GB per shape)
#   EVENTS=200000 tests/bench/run.sh
#
# Environment: EVENTS (default 1000000), MIX_EVENTS (the 1%-SMS corpus,
# default EVENTS), JQ_EVENTS (events given to jq,
# default 100000: jq's MB/s does not depend on the size, and it is slow),
# RUNS (default 3), BENCH_DIR (default target/bench).
set -euo pipefail
cd "$(dirname "$0")/../.."
EVENTS=${EVENTS:-1000000}
JQ_EVENTS=${JQ_EVENTS:-100000}
RUNS=${RUNS:-3}
DIR=${BENCH_DIR:-target/bench}
mkdir -p "$DIR"

if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time (for peak RSS)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >&2
fi
cargo build --release --locked -p oksms -p oksms-sim >&2
BIN=target/release/oksms
SIM=target/release/oksms-sim

corpus() { # corpus COUNT FORMAT -> path
  local path="$DIR/events-$1.$2"
  if [ ! -s "$path" ]; then
    echo "generating $1 events as $2 -> $path" >&2
    "$SIM" generate --count "$1" --seed 42 --format "$2" > "$path.tmp"
    mv "$path.tmp" "$path"
  fi
  echo "$path"
}

# best_of LABEL INPUT EVENTS CMD... : runs CMD (stdout discarded) $RUNS times,
# prints "LABEL|MB/s|events/s|peak RSS MB|seconds" for the fastest run.
best_of() {
  local label=$1 input=$2 events=$3; shift 3
  local bytes best="" best_rss=0
  bytes=$(stat -c %s "$input")
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$DIR/time.txt" "$@" > /dev/null 2> "$DIR/stderr.txt" || {
      local rc=$?
      # exit code 3 (alert fired) is not a failure for a benchmark
      [ "$rc" -eq 3 ] || { echo "failed ($rc): $*" >&2; cat "$DIR/stderr.txt" >&2; exit 1; }
    }
    read -r secs rss < <(tail -n 1 "$DIR/time.txt")
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; best_rss=$rss; fi
  done
  awk -v l="$label" -v b="$bytes" -v e="$events" -v s="$best" -v r="$best_rss" \
    'BEGIN{ if (s<=0) s=0.001; printf "%s|%.0f|%.0f|%.1f|%.2f\n", l, b/1e6/s, e/s, r/1024, s }'
}

ND=$(corpus "$EVENTS" ndjson)
AR=$(corpus "$EVENTS" json)
JQ_ND=$(corpus "$JQ_EVENTS" ndjson)
JQ_AR=$(corpus "$JQ_EVENTS" json)

# The default CSV columns in jq: the same projection `oksms parse -o csv` does.
JQ_PROGRAM='select(.eventType == "system.sms.send_phone_verification_message")
  | .debugContext.debugData as $d
  | (first(.target[]? | select(.type == "User")) // null) as $u
  | ((first(.target[]? | select(.type == "MobilePhone" or .type == "Phone")) // null)
     // (if $d.phoneNumber then {alternateId: $d.phoneNumber, displayName: $d.phoneNumber, type: "MobilePhone"} else null end)) as $p
  | [.published, .displayMessage, .uuid, .eventType, null, (.version | if . == null then null else tostring end),
     .actor.id, .actor.alternateId, .actor.displayName, .actor.type,
     $u.id, $u.alternateId, $u.displayName, $u.type,
     $p.id, $p.alternateId, $p.displayName, $p.type,
     null, null, .outcome.result, .outcome.reason, .client.ipAddress,
     ($d.countryCallingCode | if . == null then null else tostring end), $d.smsProvider, $d.transactionId]
  | @csv'

rows=()
rows+=("$(best_of "parse -o csv, NDJSON in" "$ND" "$EVENTS" "$BIN" parse "$ND" -o csv)")
rows+=("$(best_of "parse -o ndjson, NDJSON in" "$ND" "$EVENTS" "$BIN" parse "$ND" -o ndjson)")
if "$BIN" parse --help | grep -q -- --group-by; then
  rows+=("$(best_of "parse --group-by phone, NDJSON in" "$ND" "$EVENTS" "$BIN" parse "$ND" -o csv --group-by phone)")
fi
rows+=("$(best_of "parse -o csv, JSON array in" "$AR" "$EVENTS" "$BIN" parse "$AR" -o csv)")
rows+=("$(best_of "parse -o ndjson, JSON array in" "$AR" "$EVENTS" "$BIN" parse "$AR" -o ndjson)")
if "$BIN" parse --help | grep -q -- --group-by; then
  rows+=("$(best_of "parse --group-by phone, JSON array in" "$AR" "$EVENTS" "$BIN" parse "$AR" -o csv --group-by phone)")
fi
rows+=("$(OKSMS_THREADS=1 best_of "parse -o csv, NDJSON in, 1 thread" "$ND" "$EVENTS" env OKSMS_THREADS=1 "$BIN" parse "$ND" -o csv)")
jq_version=none
if command -v jq > /dev/null; then
  jq_version=$(jq --version)
  rows+=("$(best_of "$jq_version CSV projection, NDJSON in" "$JQ_ND" "$JQ_EVENTS" jq -r "$JQ_PROGRAM" "$JQ_ND")")
  rows+=("$(best_of "$jq_version CSV projection, JSON array in" "$JQ_AR" "$JQ_EVENTS" jq -r ".[] | $JQ_PROGRAM" "$JQ_AR")")
fi

# The realistic export: every event type, SMS sends 1% of it (as in a
# whole-org System Log archive). oksms side by side with grep -c of the event
# type, cat, zcat, jq (same projection, checked value for value) and DuckDB
# when installed, all in this run.
MIX_EVENTS=${MIX_EVENTS:-$EVENTS}
mixed() { # mixed COUNT FORMAT -> path
  local path="$DIR/mixed-$1.$2"
  if [ ! -s "$path" ]; then
    echo "generating $1 mixed events (1% SMS) as $2 -> $path" >&2
    "$SIM" generate --count "$1" --seed 42 --sms-percent 1 --format "$2" > "$path.tmp"
    mv "$path.tmp" "$path"
  fi
  echo "$path"
}
MND=$(mixed "$MIX_EVENTS" ndjson)
MAR=$(mixed "$MIX_EVENTS" json)
MGZ="$MND.gz"
[ -s "$MGZ" ] || gzip -1 -c "$MND" > "$MGZ"
SMS_TYPE=system.sms.send_phone_verification_message
mix=()
mix+=("$(best_of "oksms parse -o csv, mixed NDJSON" "$MND" "$MIX_EVENTS" "$BIN" parse "$MND" -o csv)")
# Through a pipe: GNU grep stops at the first match when its output is /dev/null.
mix+=("$(best_of "grep -c $SMS_TYPE, mixed NDJSON" "$MND" "$MIX_EVENTS" sh -c 'grep -c "$1" "$2" | cat' grep "$SMS_TYPE" "$MND")")
mix+=("$(best_of "cat > /dev/null, mixed NDJSON" "$MND" "$MIX_EVENTS" cat "$MND")")
mix+=("$(best_of "oksms parse -o csv, mixed JSON array" "$MAR" "$MIX_EVENTS" "$BIN" parse "$MAR" -o csv)")
mix+=("$(best_of "oksms parse -o csv, mixed NDJSON gzip" "$MGZ" "$MIX_EVENTS" "$BIN" parse "$MGZ" -o csv)")
mix+=("$(best_of "zcat > /dev/null, mixed NDJSON gzip" "$MGZ" "$MIX_EVENTS" zcat "$MGZ")")
mix+=("$(best_of "oksms parse --group-by phone, mixed NDJSON" "$MND" "$MIX_EVENTS" "$BIN" parse "$MND" -o csv --group-by phone)")
mix_check=""
if command -v jq > /dev/null; then
  MJQ=$(mixed "$JQ_EVENTS" ndjson)
  mix+=("$(best_of "$(jq --version) CSV projection, mixed NDJSON (${JQ_EVENTS} events)" "$MJQ" "$JQ_EVENTS" jq -r "$JQ_PROGRAM" "$MJQ")")
  jq -r "$JQ_PROGRAM" "$MJQ" > "$DIR/mixed-jq.csv"
  "$BIN" parse "$MJQ" -o csv --no-header > "$DIR/mixed-oksms.csv"
  mix_check=$(python3 - "$DIR/mixed-jq.csv" "$DIR/mixed-oksms.csv" <<'PY'
import csv, sys
a = [[c for c in r] for r in csv.reader(open(sys.argv[1]))]
b = [[c for c in r] for r in csv.reader(open(sys.argv[2]))]
print(f"jq and oksms agree value for value on {len(a)} records" if a == b else f"MISMATCH: jq {len(a)} records, oksms {len(b)}")
PY
)
fi
if command -v duckdb > /dev/null; then
  mix+=("$(best_of "duckdb read_ndjson projection, mixed NDJSON" "$MND" "$MIX_EVENTS" duckdb -c "COPY (SELECT published, displayMessage, uuid FROM read_ndjson('$MND', ignore_errors=true) WHERE eventType = '$SMS_TYPE') TO '/dev/null' (FORMAT csv)")")
fi

# fetch against the simulator: a fixed latency per response, 1000-event pages.
# The latency bound is one page per round trip (latency + the simulator's
# own time to answer, measured with curl on the same page).
FETCH_EVENTS=${FETCH_EVENTS:-50000}
LATENCY_MS=${LATENCY_MS:-20}
fetch_line=""
export OKSMS_BENCH_TOKEN="bench-$RANDOM$RANDOM"
"$SIM" serve --events "$FETCH_EVENTS" --latency-ms "$LATENCY_MS" --rate-limit 1000000 \
  --token-env OKSMS_BENCH_TOKEN 2> "$DIR/sim.err" &
SIM_PID=$!
trap 'kill $SIM_PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q 'http://127.0.0.1:' "$DIR/sim.err" 2>/dev/null && break; sleep 0.2; done
ORG=$(grep -o 'http://127.0.0.1:[0-9]*' "$DIR/sim.err" | head -n 1)
if [ -n "$ORG" ]; then
  pages=$(( (FETCH_EVENTS + 999) / 1000 ))
  since=$(date -u -d '7 days ago' +%Y-%m-%dT%H:%M:%SZ)
  rtt=$(for _ in 1 2 3 4 5; do curl -s -o /dev/null -w '%{time_starttransfer}\n' \
        -H "Authorization: SSWS $OKSMS_BENCH_TOKEN" "$ORG/api/v1/logs?limit=1000&since=$since"; done | sort -n | head -n 1)
  best=""
  for _ in $(seq "$RUNS"); do
    start=$(date +%s.%N)
    OKTA_CLIENT_ORGURL=$ORG OKTA_CLIENT_TOKEN=$OKSMS_BENCH_TOKEN "$BIN" fetch --since 7d --event-type all \
      --page-size 1000 -o csv > /dev/null 2> "$DIR/fetch.err"
    secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN{print e-s}')
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; fi
  done
  fetch_line=$(awk -v p="$pages" -v s="$best" -v r="$rtt" -v l="$LATENCY_MS" 'BEGIN{
    printf "fetch, %d pages of 1000 events, %d ms latency: %.1f pages/s; latency bound %.1f pages/s (1/%.1f ms round trip to first byte) = %.0f%% of the bound; %.1f pages/s would be 1/latency alone (%.0f%%).",
      p, l, p/s, 1/r, r*1000, 100*(p/s)*r, 1000/l, 100*(p/s)*l/1000 }')
fi
kill $SIM_PID 2>/dev/null || true

# watch --listen: single-event deliveries per second on loopback from
# `oksms replay --to ... --concurrency N`, with the capture fsynced before
# each 200 (group commit); the captured count must equal the sent count.
LISTEN_EVENTS=${LISTEN_EVENTS:-20000}
CONCURRENCY=${CONCURRENCY:-32}
listen_line=""
LST=$(corpus "$LISTEN_EVENTS" ndjson)
export OKSMS_BENCH_SECRET="secret-$RANDOM$RANDOM"
rm -f "$DIR/capture.ndjson"
"$BIN" watch --listen 127.0.0.1:0 --secret-env OKSMS_BENCH_SECRET --capture "$DIR/capture.ndjson" \
  -o ndjson > /dev/null 2> "$DIR/listen.err" &
LISTEN_PID=$!
trap 'kill $SIM_PID $LISTEN_PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q 'listening on' "$DIR/listen.err" 2>/dev/null && break; sleep 0.2; done
HOOK=$(grep -o 'http://127.0.0.1:[0-9]*/[^ ]*' "$DIR/listen.err" | head -n 1)
if [ -n "$HOOK" ]; then
  start=$(date +%s.%N)
  "$BIN" replay "$LST" --to "$HOOK" --secret-env OKSMS_BENCH_SECRET --concurrency "$CONCURRENCY" \
    2> "$DIR/replay.err" || true
  secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN{print e-s}')
  sent=$(grep -o 'sent [0-9]* deliveries' "$DIR/replay.err" | grep -o '[0-9]*' || echo 0)
  delivered=$(grep -o 'delivered [0-9]*' "$DIR/replay.err" | grep -o '[0-9]*' || echo 0)
  captured=$(wc -l < "$DIR/capture.ndjson")
  listen_line=$(awk -v n="$captured" -v s="$secs" -v sent="$sent" -v d="$delivered" -v c="$CONCURRENCY" 'BEGIN{
    printf "watch --listen with --capture (fsync before 200): %.0f deliveries/s (%d sent by replay --concurrency %d, %d delivered, %d captured, in %.2f s)%s.",
      n/s, sent, c, d, n, s, (n == sent ? "" : " MISMATCH") }')
fi
kill $LISTEN_PID 2>/dev/null || true

{
  echo "oksms $("$BIN" --version | cut -d' ' -f2), $EVENTS events ($(stat -c %s "$ND" | awk '{printf "%.0f MB", $1/1e6}') NDJSON), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), best of $RUNS runs"
  echo
  echo "| run | MB/s | events/s | peak RSS (MB) | seconds |"
  echo "|---|---:|---:|---:|---:|"
  for r in "${rows[@]}"; do echo "| ${r//|/ | } |"; done
  if [ "$jq_version" != none ]; then
    echo
    nd=$(printf '%s\n' "${rows[@]}" | grep -m1 '^parse -o csv, NDJSON in|' | cut -d'|' -f2)
    ar=$(printf '%s\n' "${rows[@]}" | grep -m1 '^parse -o csv, JSON array in|' | cut -d'|' -f2)
    jn=$(printf '%s\n' "${rows[@]}" | grep -m1 'projection, NDJSON in|' | cut -d'|' -f2)
    ja=$(printf '%s\n' "${rows[@]}" | grep -m1 'projection, JSON array in|' | cut -d'|' -f2)
    awk -v a="$nd" -v b="$jn" -v c="$ar" -v d="$ja" 'BEGIN{printf "Ratio to jq (CSV, MB/s): NDJSON %.1fx, JSON array %.1fx. JSON array vs NDJSON: %.0f%%.\n", a/b, c/d, 100*c/a}'
  fi
  echo
  echo "Mixed corpus: $MIX_EVENTS events, 1% SMS sends ($(stat -c %s "$MND" | awk '{printf "%.0f MB", $1/1e6}') NDJSON)"
  echo
  echo "| run | MB/s | events/s | peak RSS (MB) | seconds |"
  echo "|---|---:|---:|---:|---:|"
  for r in "${mix[@]}"; do echo "| ${r//|/ | } |"; done
  echo
  secs() { printf '%s\n' "${mix[@]}" | grep -m1 "^$1" | cut -d'|' -f5; }
  mbs() { printf '%s\n' "${mix[@]}" | grep -m1 "^$1" | cut -d'|' -f2; }
  awk -v o="$(secs 'oksms parse -o csv, mixed NDJSON|')" -v g="$(secs 'grep -c')" \
      -v a="$(secs 'oksms parse -o csv, mixed JSON array')" -v z="$(secs 'oksms parse -o csv, mixed NDJSON gzip')" \
      -v zc="$(secs 'zcat')" -v gp="$(secs 'oksms parse --group-by phone')" \
      -v om="$(mbs 'oksms parse -o csv, mixed NDJSON|')" -v jm="$(mbs 'jq')" 'BEGIN{
    printf "Ratios: oksms/grep -c %.2fx (target <= 1.5x); JSON array/NDJSON %.2fx (target <= 1.2x); gzip/zcat %.2fx (target <= 1.2x); group-by phone/CSV %.2fx (target <= 1.3x)", o/g, a/o, z/zc, gp/o;
    if (jm > 0) printf "; oksms vs jq (MB/s) %.0fx (target >= 60x)", om/jm;
    printf ".\n" }'
  if [ -n "$mix_check" ]; then echo "$mix_check."; fi
  if [ -n "$fetch_line" ]; then echo; echo "$fetch_line"; fi
  if [ -n "$listen_line" ]; then echo; echo "$listen_line"; fi
} | tee "$DIR/results.md"
