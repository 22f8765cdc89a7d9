#!/usr/bin/env bash
# Benchmarks/Foundation/idle-rss.sh — resident memory of each service 5 s after it became ready,
# idle (VmRSS from /proc/<pid>/status; also anonymous vs file-backed, peak and PSS).
# Target: ≤ 40 MB (Python peer: 69 MiB).
#
#   Benchmarks/Foundation/idle-rss.sh [RUNS]     (default 3 runs per service)
#
# Same set-up as startup.sh (release binaries, embedded PostgreSQL, migrations applied once,
# MIGRATE_ON_START=false, EMBEDDING_PROVIDER=hash). When scripts/model-dir finds the
# all-MiniLM-L6-v2 files (APEX_BENCH_LOCAL=0 skips this), rag and memory are measured again with
# EMBEDDING_PROVIDER=local against a second database whose schema records that model.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
RUNS=${1:-3}
IDLE_MS=${APEX_BENCH_IDLE_MS:-5000}

build_release
start_database
migrate_all

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
results=$WORK/idle-rss.txt
: >"$results"
measure() {
  local label=$1 service=$2 url=${3:-$DATABASE_URL} run line
  wait_for_quiet
  for ((run = 1; run <= RUNS; run++)); do
    line=$(timed_start "$service" "$IDLE_MS" "$url") || { say "$label run $run failed: $line (log: $WORK/$service.log)"; exit 1; }
    say "$label #$run: $line"
    printf '%s %s\n' "$label" "$line" >>"$results"
  done
}

for service in "${SERVICES[@]}"; do
  [[ $service == gateway ]] && start_upstreams
  measure "$service" "$service"
  if [[ $service == gateway ]]; then stop_upstreams; fi
done

if [[ ${APEX_BENCH_LOCAL:-1} == 1 ]] && LOCAL_MODEL_DIR=$("$ROOT/scripts/model-dir" 2>/dev/null); then
  export LOCAL_MODEL_DIR
  local_url=$(create_database apexflow_local)
  EMBEDDER=local migrate_all "$local_url"
  for service in rag memory; do EMBEDDER=local measure "$service(local)" "$service" "$local_url"; done
else
  say "EMBEDDING_PROVIDER=local skipped (no model files from scripts/model-dir)"
fi

echo
echo "Load average before → after: $LOAD_BEFORE → $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Machine: $(machine_line); commit $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- Services Shared || echo '+local changes')"
echo
python3 - "$results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    label, *pairs = line.split()
    rows.setdefault(label, []).append(dict(pair.split("=", 1) for pair in pairs))
mib = lambda runs, key: statistics.median(int(r[key]) for r in runs) / 1024
print("| service | runs | VmRSS idle (median MiB; MB) | anon / file-backed MiB | PSS MiB | peak (VmHWM) MiB | threads | target ≤ 40 MB | vs Python peer (69 MiB) |")
print("|---|---|---|---|---|---|---|---|---|")
for label, runs in rows.items():
    rss = mib(runs, "rss_kib")
    mb = rss * 1.048576
    print(f"| {label} | {len(runs)} | {rss:.1f} MiB ({mb:.1f} MB) | {mib(runs, 'rss_anon_kib'):.1f} / {mib(runs, 'rss_file_kib'):.1f} | "
          f"{mib(runs, 'pss_kib'):.1f} | {mib(runs, 'hwm_kib'):.1f} | {runs[0]['threads']} | {'met' if mb <= 40 else 'missed'} | {rss / 69:.2f}× the peer |")
PY
