# Benchmarks/Foundation/common.sh — sourced by startup.sh and idle-rss.sh: release binaries, the
# readiness timer, an embedded PostgreSQL with every schema migrated once, and each service's
# environment. Not meant to be run on its own.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
SCRATCH=${APEX_BENCH_SCRATCH:-$ROOT/.build-release}
# APEX_BENCH_BIN: measure binaries built elsewhere (e.g. statically linked images) instead.
BIN=${APEX_BENCH_BIN:-$SCRATCH/release}
WORK=${APEX_BENCH_WORK:-/tmp/apex-bench-foundation}
PG_DIR=$WORK/pg
PG_PORT=${APEX_BENCH_PG_PORT:-55483}
# The service under test listens on BASE_PORT; the gateway's three upstreams on the next three.
BASE_PORT=${APEX_BENCH_PORT:-18400}
SECRET=bench-foundation-internal-secret-0123456789abcdef
SERVICES=(rag memory scheduler gateway)
TIMER=$WORK/readiness-timer
SUPPORT_PIDS=()
DATABASE_URL=

say() { printf '%s\n' "$*" >&2; }
source "$ROOT/Benchmarks/Foundation/quiet.sh"

build_release() {
  if [[ ${APEX_BENCH_SKIP_BUILD:-0} == 1 || -n ${APEX_BENCH_BIN:-} ]]; then
    say "using the binaries in $BIN as they are"
  else
    local service
    for service in "${SERVICES[@]}"; do
      say "building apex-$service (release, $SCRATCH)..."
      ("$ROOT/scripts/build-release" --scratch-path "$SCRATCH" --product "apex-$service" 2>&1 |
        grep -E 'error:|Compiling apex|Build of product|Build complete' >&2) || true
      [[ -x $BIN/apex-$service ]] || { say "apex-$service did not build"; exit 1; }
    done
  fi
  mkdir -p "$WORK"
  cc -O2 -o "$TIMER" "$ROOT/Benchmarks/Foundation/readiness-timer.c"
}

start_database() {
  mkdir -p "$WORK"
  DATABASE_URL=$("$ROOT/scripts/pg" start --dir "$PG_DIR" --port "$PG_PORT" --ephemeral | tail -n 1)
  trap cleanup EXIT
  say "PostgreSQL: $DATABASE_URL"
}

cleanup() {
  local pid
  for pid in "${SUPPORT_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${SUPPORT_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  SUPPORT_PIDS=()
  "$ROOT/scripts/pg" stop --dir "$PG_DIR" >/dev/null 2>&1 || true
}

# A second database in the same cluster, for runs whose schema records another embedding model.
# Prints its URL.
create_database() {
  local name=$1
  "$ROOT/scripts/pg" psql --dir "$PG_DIR" -- -q -v ON_ERROR_STOP=1 \
    -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name OWNER apex" >/dev/null
  "$ROOT/scripts/pg" psql --dir "$PG_DIR" --db "$name" -- -q -v ON_ERROR_STOP=1 -c "CREATE EXTENSION IF NOT EXISTS vector" >/dev/null
  printf '%s\n' "${DATABASE_URL/\/apexflow\?//$name?}"
}

# The environment a service runs with here: as production, except no migration on start, a fixed
# internal secret, the hash embedder unless EMBEDDER says otherwise, and for the gateway the three
# upstreams on the ports after BASE_PORT (development auth: no Firebase key set is fetched).
service_env() {
  local service=$1 port=$2 url=${3:-$DATABASE_URL}
  local -a env=(
    "PORT=$port" "HOST=127.0.0.1" "DATABASE_URL=$url" "MIGRATE_ON_START=false"
    "INTERNAL_AUTH_SECRET=$SECRET" "LOG_LEVEL=${APEX_BENCH_LOG_LEVEL:-info}"
  )
  case $service in
    rag | memory)
      env+=("EMBEDDING_PROVIDER=${EMBEDDER:-hash}")
      [[ ${EMBEDDER:-hash} == local ]] && env+=("LOCAL_MODEL_DIR=$LOCAL_MODEL_DIR")
      ;;
    gateway)
      env+=("AUTH_DISABLED=1" "RAG_URL=http://127.0.0.1:$((BASE_PORT + 1))"
        "MEMORY_URL=http://127.0.0.1:$((BASE_PORT + 2))" "SCHEDULER_URL=http://127.0.0.1:$((BASE_PORT + 3))")
      ;;
  esac
  printf '%s\n' "${env[@]}"
}

# `apex-<name> migrate` for every service, once, against URL (default: the main database).
migrate_all() {
  local url=${1:-$DATABASE_URL} service
  for service in "${SERVICES[@]}"; do
    mapfile -t env < <(service_env "$service" 0 "$url")
    env -i PATH="$PATH" "${env[@]}" "$BIN/apex-$service" migrate >>"$WORK/migrate.log" 2>&1 ||
      { say "apex-$service migrate failed: see $WORK/migrate.log"; tail -n 5 "$WORK/migrate.log" >&2; exit 1; }
  done
  say "migrations applied once (log: $WORK/migrate.log)"
}

# rag, memory and scheduler on BASE_PORT+1..3, ready, so the gateway's readiness can pass.
start_upstreams() {
  local index=1 service
  for service in rag memory scheduler; do
    mapfile -t env < <(service_env "$service" $((BASE_PORT + index)))
    env -i PATH="$PATH" "${env[@]}" "$BIN/apex-$service" >>"$WORK/upstreams.log" 2>&1 &
    SUPPORT_PIDS+=($!)
    local tries=0
    until curl -fs -o /dev/null "http://127.0.0.1:$((BASE_PORT + index))/readiness"; do
      ((++tries < 200)) || { say "upstream $service did not become ready: $WORK/upstreams.log"; exit 1; }
      sleep 0.05
    done
    index=$((index + 1))
  done
}

stop_upstreams() {
  local pid
  for pid in "${SUPPORT_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${SUPPORT_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  SUPPORT_PIDS=()
}

# One timed start of SERVICE: prints the timer's line (key=value pairs). Extra arguments go to
# the timer (e.g. --live-path /liveness).
timed_start() {
  local service=$1 idle_ms=$2 url=${3:-$DATABASE_URL}
  shift 3 || shift $#
  mapfile -t env < <(service_env "$service" "$BASE_PORT" "$url")
  env -i PATH="$PATH" "${env[@]}" "$TIMER" --port "$BASE_PORT" --idle-ms "$idle_ms" \
    --log "$WORK/$service.log" "$@" -- "$BIN/apex-$service"
}

machine_line() {
  printf '%s; %s cores; %s; %s\n' "$(date -u +%Y-%m-%dT%H:%MZ)" "$(nproc)" \
    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')" \
    "$(free -g | awk '/Mem:/ {print $2 " GiB RAM"}')"
}
