#!/usr/bin/env bash
# Benchmarks/Foundation/startup.sh — process spawn → first 200 from /readiness, per service, with
# migrations already applied (MIGRATE_ON_START=false). Target: ≤ 150 ms (Python peer: 718–878 ms).
#
#   Benchmarks/Foundation/startup.sh [RUNS]      (default 10 runs per service)
#
# Builds the release binaries (APEX_BENCH_SKIP_BUILD=1 to reuse them), starts an embedded
# PostgreSQL (port APEX_BENCH_PG_PORT, default 55483), applies every migration once, then times
# each service RUNS times with readiness-timer (C: posix_spawn, then a GET /readiness on a fresh
# connection every 0.2 ms until the first 200). The first /readiness includes the probe's first
# database connection (TCP + SCRAM authentication + SELECT 1). Prints a Markdown table.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
RUNS=${1:-10}

build_release
start_database
migrate_all

say "timer overhead:"
"$TIMER" --spawn-cost 50 >&2

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
results=$WORK/startup.txt
breakdown=$WORK/startup-breakdown.txt
BREAKDOWN_RUNS=${APEX_BENCH_BREAKDOWN_RUNS:-3}
: >"$results"
: >"$breakdown"
for service in "${SERVICES[@]}"; do
  [[ $service == gateway ]] && start_upstreams
  wait_for_quiet
  for ((run = 1; run <= RUNS; run++)); do
    line=$(timed_start "$service" 0) || { say "$service run $run failed: $line (log: $WORK/$service.log)"; exit 1; }
    say "$service #$run: $line"
    printf '%s %s\n' "$service" "$line" >>"$results"
  done
  # Where the time goes: /liveness first (the server answers), then /readiness (its first
  # database connection and SELECT 1). Not part of the figures above.
  for ((run = 1; run <= BREAKDOWN_RUNS; run++)); do
    line=$(timed_start "$service" 0 "$DATABASE_URL" --live-path /liveness) || { say "$service breakdown failed: $line"; exit 1; }
    say "$service breakdown #$run: $line"
    printf '%s %s\n' "$service" "$line" >>"$breakdown"
  done
  if [[ $service == gateway ]]; then stop_upstreams; fi
done

# The poller's own cost per poll, against a service that is already ready (cached readiness).
mapfile -t env < <(service_env scheduler "$BASE_PORT")
env -i PATH="$PATH" "${env[@]}" "$BIN/apex-scheduler" >>"$WORK/scheduler.log" 2>&1 &
SUPPORT_PIDS+=($!)
until curl -fs -o /dev/null "http://127.0.0.1:$BASE_PORT/readiness"; do sleep 0.05; done
say "poll cost against a ready service:"
"$TIMER" --poll-cost 200 --port "$BASE_PORT" >&2
stop_upstreams

echo
echo "Load average before → after: $LOAD_BEFORE → $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Machine: $(machine_line); commit $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- Services Shared || echo '+local changes')"
echo
python3 - "$results" "$RUNS" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    service, *pairs = line.split()
    values = dict(pair.split("=", 1) for pair in pairs)
    rows.setdefault(service, []).append(values)
peer = (718, 878)
print("| service | runs | spawn → first /readiness 200: min / median / max ms | service CPU until ready (median ms) | other load (median cores) | target ≤ 150 ms | Python peer 718–878 ms ÷ median |")
print("|---|---|---|---|---|---|---|")
for service, runs in rows.items():
    ready = [float(r["ready_ms"]) for r in runs]
    median = statistics.median(ready)
    cpu = statistics.median(float(r.get("service_cpu_ms", "nan")) for r in runs)
    other = statistics.median(float(r.get("other_cores", "nan")) for r in runs)
    verdict = "met" if max(ready) <= 150 else ("met at the median" if median <= 150 else "missed")
    print(f"| {service} | {len(runs)} | {min(ready):.1f} / {median:.1f} / {max(ready):.1f} | {cpu:.0f} | {other:.2f} | {verdict} | "
          f"{peer[0] / median:.1f}–{peer[1] / median:.1f}× |")
PY
echo
python3 - "$breakdown" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    service, *pairs = line.split()
    rows.setdefault(service, []).append(dict(pair.split("=", 1) for pair in pairs))
print("| service (breakdown runs) | spawn → /liveness 200 (median ms) | then → /readiness 200 (median ms) |")
print("|---|---|---|")
for service, runs in rows.items():
    live = statistics.median(float(r["live_ms"]) for r in runs)
    ready = statistics.median(float(r["ready_ms"]) - float(r["live_ms"]) for r in runs)
    print(f"| {service} ({len(runs)}) | {live:.1f} | {ready:.1f} |")
PY
