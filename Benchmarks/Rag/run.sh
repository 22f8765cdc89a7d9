#!/usr/bin/env bash
# Benchmarks/Rag/run.sh — the rag benchmark of Benchmarks/Rag/README.md, step by step.
#
#   Benchmarks/Rag/run.sh [step...]      steps: ingest-empty load recall search explain odd ingest-loaded stop
#                                         (default: all of them, in that order)
#
# Needs release builds of apex-rag and bench-rag in .build-release (see README.md). Starts its
# own embedded PostgreSQL (durable) and a real apex-rag process; `stop` stops both. Settings
# may be overridden from the environment: PG_DIR, PG_PORT, RAG_PORT, RUNS, DURATION, CLIENTS,
# SEARCH_EF_SEARCH, SEARCH_EXACT_MAX_CHUNKS, DB_POOL_MAX, USERS (all|heavy|light), MODE.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
BIN=${BIN:-$ROOT/.build-release/release}
PG_DIR=${PG_DIR:-/tmp/ragbench-pg}
PG_PORT=${PG_PORT:-55470}
RAG_PORT=${RAG_PORT:-18470}
RUNS=${RUNS:-3}
DURATION=${DURATION:-30}
CLIENTS=${CLIENTS:-16}
USERS=${USERS:-all}
MODE=${MODE:-hybrid}
WORK=${WORK:-/tmp/ragbench}
mkdir -p "$WORK"

export INTERNAL_AUTH_SECRET=${INTERNAL_AUTH_SECRET:-bench-rag-internal-secret-0123456789abcdef}
export EMBEDDING_PROVIDER=hash
export SEARCH_EF_SEARCH=${SEARCH_EF_SEARCH:-100}
export SEARCH_EXACT_MAX_CHUNKS=${SEARCH_EXACT_MAX_CHUNKS:-20000}
export DB_POOL_MAX=${DB_POOL_MAX:-16}   # as many connections as pgbench's 16 clients
export LOG_LEVEL=${LOG_LEVEL:-warning}

PGBIN=$("$ROOT/scripts/pg" bindir)
DATABASE_URL=$("$ROOT/scripts/pg" start --dir "$PG_DIR" --port "$PG_PORT" | tail -n 1)
export DATABASE_URL
URL=http://127.0.0.1:$RAG_PORT

say() { printf '\n== %s (%s)\n' "$*" "$(date -u +%FT%TZ)"; }

service_pid() { [[ -f $WORK/apex-rag.pid ]] && kill -0 "$(cat "$WORK/apex-rag.pid")" 2>/dev/null && cat "$WORK/apex-rag.pid"; }

start_service() {
  service_pid >/dev/null && return 0
  PORT=$RAG_PORT HOST=127.0.0.1 "$BIN/apex-rag" >>"$WORK/apex-rag.log" 2>&1 &
  echo $! >"$WORK/apex-rag.pid"
  for _ in $(seq 1 300); do
    if curl -fsS "$URL/readiness" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "apex-rag did not become ready: see $WORK/apex-rag.log" >&2
  exit 1
}

stop_service() {
  local pid
  if pid=$(service_pid); then
    kill -TERM "$pid"
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$WORK/apex-rag.pid"
}

# CPU seconds (user + system) of the service process so far.
service_cpu() {
  local ticks
  ticks=$(awk '{print $14 + $15}' "/proc/$(service_pid)/stat")
  awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", t / hz }'
}

# CPU seconds used by the PostgreSQL cluster so far: the live children of the postmaster plus
# what its exited children used (cutime + cstime), so backends that disconnect still count.
pg_cpu() {
  local postmaster ticks
  postmaster=$(head -n 1 "$PG_DIR/postmaster.pid")
  ticks=$(
    {
      awk '{print $16 + $17}' "/proc/$postmaster/stat"
      for child in $(pgrep -P "$postmaster"); do awk '{print $14 + $15}' "/proc/$child/stat" 2>/dev/null || true; done
    } | awk '{ s += $1 } END { print s }'
  )
  awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", t / hz }'
}

psql_app() { PGPASSWORD=apex "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U apex apexflow "$@"; }

step_ingest() {
  local label=$1
  start_service
  say "ingest through POST /api/v1/documents ($label)"
  "$BIN/bench-rag" ingest --url "$URL" --chunks "${INGEST_CHUNKS:-20000}" --clients "${INGEST_CLIENTS:-8}" --prefix "ingest-$label"
}

step_load() {
  start_service # migrations and the embedding column
  say "load the corpus (direct, the store's bulk-insert SQL)"
  "$BIN/bench-rag" stats
  "$BIN/bench-rag" load --reset
  # A fresh process: no tenant sizes cached from before the load.
  stop_service
  start_service
}

step_recall() {
  start_service
  say "recall@10 of the vector side against exact search (200 queries per user)"
  "$BIN/bench-rag" recall --url "$URL" --queries "${RECALL_QUERIES:-200}" --ef "${RECALL_EF:-40,100,200,400,800}"
}

step_search() {
  start_service
  say "hybrid search: wrk -> apex-rag vs pgbench (same SQL), $CLIENTS clients, ${DURATION}s, $RUNS runs, users=$USERS mode=$MODE ef_search=$SEARCH_EF_SEARCH pool=$DB_POOL_MAX"
  # Warm-up: caches, connection pool, tenant sizes.
  "$BIN/bench-rag" wrk-script --out "$WORK/search.lua" --users "$USERS" --mode "$MODE" >/dev/null
  wrk -t2 -c"$CLIENTS" -d5s --timeout 5s -s "$WORK/search.lua" "$URL" >/dev/null
  for run in $(seq 1 "$RUNS"); do
    "$BIN/bench-rag" wrk-script --out "$WORK/search.lua" --users "$USERS" --mode "$MODE"
    local before after pg_before pg_after requests
    before=$(service_cpu)
    pg_before=$(pg_cpu)
    wrk -t2 -c"$CLIENTS" -d"${DURATION}s" --timeout 5s -s "$WORK/search.lua" "$URL" | tee "$WORK/wrk-$run.txt" | grep -E '^RESULT|Non-2xx|Socket errors' | sed "s/^/wrk run $run: /"
    after=$(service_cpu)
    pg_after=$(pg_cpu)
    requests=$(sed -n 's/^RESULT requests=\([0-9]*\).*/\1/p' "$WORK/wrk-$run.txt")
    awk -v b="$before" -v a="$after" -v pb="$pg_before" -v pa="$pg_after" -v n="$requests" -v r="$run" -v l="$(cut -d' ' -f1 /proc/loadavg)" \
      'BEGIN { if (n > 0) printf "wrk run %s: CPU per search: apex-rag %.2f ms, PostgreSQL %.2f ms (load average %s)\n", r, (a - b) * 1000 / n, (pa - pb) * 1000 / n, l }'
    pg_before=$(pg_cpu)
    "$BIN/bench-rag" pgbench --pg-bindir "$PGBIN" --clients "$CLIENTS" --duration "$DURATION" --warmup 0 --users "$USERS" --mode "$MODE" \
      | grep -E 'RESULT|failed|scripts' | sed "s/^/pgbench run $run: /" | tee "$WORK/pgbench-$run.txt"
    pg_after=$(pg_cpu)
    requests=$(sed -n 's/.* n=\([0-9]*\) .*/\1/p' "$WORK/pgbench-$run.txt")
    awk -v pb="$pg_before" -v pa="$pg_after" -v n="$requests" -v r="$run" -v l="$(cut -d' ' -f1 /proc/loadavg)" \
      'BEGIN { if (n > 0) printf "pgbench run %s: CPU per transaction: PostgreSQL %.2f ms (load average %s)\n", r, (pa - pb) * 1000 / n, l }'
  done
}

step_explain() {
  say "EXPLAIN (ANALYZE, BUFFERS) of the service's statement, heavy and light user"
  local user
  for user in bench-user-00 bench-user-01; do
    if [[ -n ${EXPLAIN_QUERY:-} ]]; then
      "$BIN/bench-rag" sql --user "$user" --query "$EXPLAIN_QUERY" --explain | psql_app
    else
      "$BIN/bench-rag" sql --user "$user" --explain | psql_app
    fi
  done
}

step_odd() {
  start_service
  say "odd and pathological queries through the service"
  "$BIN/bench-rag" odd-queries --url "$URL" --repeat 10
}

step_stop() {
  stop_service
  "$ROOT/scripts/pg" stop --dir "$PG_DIR"
}

steps=("$@")
if [[ ${#steps[@]} -eq 0 ]]; then steps=(ingest-empty load recall search explain odd ingest-loaded stop); fi
say "bench-rag on $(nproc) cores, $(git -C "$ROOT" rev-parse --short HEAD) (+ working tree), database $DATABASE_URL"
for step in "${steps[@]}"; do
  case $step in
    ingest-empty)
      start_service
      psql_app -c "TRUNCATE rag.document_chunks, rag.documents" >/dev/null
      step_ingest empty ;;
    ingest-loaded) step_ingest loaded ;;
    load) step_load ;;
    recall) step_recall ;;
    search) step_search ;;
    explain) step_explain ;;
    odd) step_odd ;;
    stop) step_stop ;;
    service-stop) stop_service ;;
    *) echo "unknown step $step" >&2; exit 2 ;;
  esac
done
