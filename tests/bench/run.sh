#!/usr/bin/env bash
# The oksms benchmark: generates a corpus of realistic System Log events with
# the simulator's generator (fixed seed), then measures `oksms parse` (CSV,
# NDJSON, --group-by phone) on NDJSON and on a JSON array input, and the same
# CSV projection in jq, as MB/s, events/s and peak RSS. Each figure is the
# best of $RUNS runs. Prints a Markdown table (also saved to
# target/bench/results.md).
#
#   tests/bench/run.sh            # 1,000,000 events (about 2 GB per shape)
#   EVENTS=200000 tests/bench/run.sh
#
# Environment: EVENTS (default 1000000), JQ_EVENTS (events given to jq,
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
cargo build --release --locked >&2
BIN=target/release/oksms

corpus() { # corpus COUNT FORMAT -> path
  local path="$DIR/events-$1.$2"
  if [ ! -s "$path" ]; then
    echo "generating $1 events as $2 -> $path" >&2
    "$BIN" sim generate --count "$1" --seed 42 --format "$2" > "$path.tmp"
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
} | tee "$DIR/results.md"
