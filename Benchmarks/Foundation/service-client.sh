#!/usr/bin/env bash
# Benchmarks/Foundation/service-client.sh — ServiceKit's HTTP/2 client → a ServiceKit server over
# one h2c connection, small JSON echo, 64 concurrent streams. Target: ≥ 20,000 req/s (2 cores).
#
#   Benchmarks/Foundation/service-client.sh [DURATION_S]     (default 10 s after 2 s warm-up)
#
# 1. in-process: server and client in one bench-service-client process;
# 2. out-of-process: `--serve PORT` and `--client PORT` as two processes, as in production, with
#    the CPU each burnt;
# 3. the same server driven by h2load (nghttp2-client; C, one connection, 64 streams), to
#    separate the client's cost from the server's;
# 4. HTTP/1.1 `wrk` on /liveness for context (the Python peer's ceiling was 3,600–3,900 req/s);
# 5. the out-of-process run again with the production access log (LOG_LEVEL=info, one JSON line
#    per request, to /dev/null);
# 6. h2load → a bare swift-nio-http2 echo server (`--serve-bare`: no Hummingbird, no ServiceKit,
#    answered in a channel handler): the floor of the HTTP/2 stack itself on this machine;
# 7. a bare swift-nio-http2 client (`--client-bare`: streams answered in channel handlers, no
#    ServiceKit) → the bare server: the floor for two Swift processes over one h2c connection;
# 8. that bare client → the ServiceKit server: the server's own cost with a Swift client.
# Needs: swift, h2load, wrk (apt-get install -y nghttp2-client wrk).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
SCRATCH=${APEX_BENCH_SCRATCH:-$ROOT/.build-release}
BENCH=$SCRATCH/release/bench-service-client
WORK=${APEX_BENCH_WORK:-/tmp/apex-bench-foundation}
PORT=${APEX_BENCH_PORT:-18490}
DURATION=${1:-10}
SERVER_PID=

say() { printf '%s\n' "$*" >&2; }
source "$ROOT/Benchmarks/Foundation/quiet.sh"
stop_server() {
  if [[ -n $SERVER_PID ]]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
  fi
}
trap stop_server EXIT

start_server() {
  "$BENCH" --serve "$PORT" "$@" >/dev/null 2>"$WORK/serve.log" &
  SERVER_PID=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$PORT/liveness"; do sleep 0.05; done
}
start_bare_server() {
  "$BENCH" --serve-bare "$PORT" >/dev/null 2>"$WORK/serve.log" &
  SERVER_PID=$!
  until curl -fs --http2-prior-knowledge -o /dev/null "http://127.0.0.1:$PORT/"; do sleep 0.05; done
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat; }
# h2load/wrk with the server's CPU over the run: prints the tool's summary, the server's cores
# busy and the rest of the machine's (the load tool itself plus everything else running).
with_server_cpu() {
  local before after start end machine_before machine_after
  before=$(cpu_ticks "$SERVER_PID")
  machine_before=$(machine_ticks)
  start=$(date +%s.%N)
  "$@"
  end=$(date +%s.%N)
  after=$(cpu_ticks "$SERVER_PID")
  machine_after=$(machine_ticks)
  python3 - "$start" "$end" "$before" "$after" "$machine_before" "$machine_after" <<'PY'
import os, sys
start, end, before, after, m0, m1 = map(float, sys.argv[1:])
hz, t = os.sysconf("SC_CLK_TCK"), end - start
server = (after - before) / hz / t
print(f"server cores busy: {server:.2f} of 2; load tool + other processes: {(m1 - m0) / hz / t - server:.2f} cores; over {t:.1f} s")
PY
}

if [[ ${APEX_BENCH_SKIP_BUILD:-0} != 1 ]]; then
  say "building bench-service-client (release)..."
  ("$ROOT/scripts/build-release" --scratch-path "$SCRATCH" --product bench-service-client 2>&1 | grep -E 'error:|Build of product|Build complete' >&2) || true
fi
[[ -x $BENCH ]] || { say "no $BENCH"; exit 1; }
mkdir -p "$WORK"
echo '{"message":"hello from the service client benchmark","sequence":1,"tags":["alpha","beta","gamma"]}' >"$WORK/echo.json"

echo "Machine: $(date -u +%Y-%m-%dT%H:%MZ); $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- Shared || echo '+local changes in Shared')"

wait_for_quiet
echo; echo "== 1. ServiceClient, in-process server"
"$BENCH" --duration "$DURATION"

wait_for_quiet
echo; echo "== 2. ServiceClient → server in another process"
start_server
"$BENCH" --client "$PORT" --server-pid "$SERVER_PID" --duration "$DURATION"

wait_for_quiet
echo; echo "== 3. h2load → the same server (1 connection, 64 streams, POST echo)"
with_server_cpu h2load -c1 -m64 -n200000 -d "$WORK/echo.json" -H 'content-type: application/json' \
  -H "x-apex-identity: $("$BENCH" --print-token)" "http://127.0.0.1:$PORT/api/v1/echo" |
  grep -E 'finished in|requests:|status codes|time for request|server cores'

wait_for_quiet
echo; echo "== 4. wrk (HTTP/1.1) → GET /liveness on the same server: 1 thread, 64 connections"
with_server_cpu wrk -t1 -c64 -d"${DURATION}s" --latency "http://127.0.0.1:$PORT/liveness" |
  grep -E 'Requests/sec|Latency|50%|99%|server cores'
stop_server

wait_for_quiet
echo; echo "== 5. as 2, with the production access log (LOG_LEVEL=info, JSON lines to /dev/null)"
start_server --log-level info
"$BENCH" --client "$PORT" --server-pid "$SERVER_PID" --duration "$DURATION"
stop_server

wait_for_quiet
echo; echo "== 6. h2load → bare swift-nio-http2 echo server (the stack's floor; 1 connection, 64 streams)"
start_bare_server
with_server_cpu h2load -c1 -m64 -n200000 -d "$WORK/echo.json" -H 'content-type: application/json' \
  "http://127.0.0.1:$PORT/api/v1/echo" | grep -E 'finished in|requests:|status codes|time for request|server cores'
stop_server

wait_for_quiet
echo; echo "== 7. bare swift-nio-http2 client → bare server (the floor for two Swift processes; 1 connection, 64 streams)"
start_bare_server
"$BENCH" --client-bare "$PORT" --server-pid "$SERVER_PID" --duration "$DURATION"
stop_server

wait_for_quiet
echo; echo "== 8. bare swift-nio-http2 client → the ServiceKit server (the server's cost with a Swift client)"
start_server
"$BENCH" --client-bare "$PORT" --server-pid "$SERVER_PID" --duration "$DURATION"
stop_server
