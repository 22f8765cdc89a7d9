#!/usr/bin/env bash
# Gateway benchmark: GET /api/v1/documents straight to a ServiceKit backend, through apex-gateway
# (RS256 Firebase token verified against a cached key, rate limiter, internal identity minted,
# HTTP/2 upstream), through nginx as a plain reverse proxy (HTTP/1.1 keep-alive upstream), and
# through a bare swift-nio-http2 relay (`bench-gateway relay` for h2 clients, `relay-http1` for
# HTTP/1.1 clients; both call the backend over h2c: the stack's floor).
# Each target is loaded with h2load (HTTP/2 h2c prior knowledge; 1 connection x 1 stream, then x 64 streams) and
# wrk (HTTP/1.1, 64 connections). Usage:
#   Benchmarks/Gateway/run.sh <postgres-url>      (e.g. from: scripts/pg start --dir /tmp/gwbench-pg --port 55480 --ephemeral)
# Env: DURATION (s, default 10), OUT (default /tmp/gwbench/run), BIN (default .build-release/release).
set -euo pipefail
DB_URL=${1:?postgres url}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BIN:-$ROOT/.build-release/release}
OUT=${OUT:-/tmp/gwbench/run}
DURATION=${DURATION:-10}
BACKEND_PORT=18481 GATEWAY_PORT=18480 NGINX_H2_PORT=18482 NGINX_H1_PORT=18483 RELAY_PORT=18484
PATH_Q=/api/v1/documents
rm -rf "$OUT"; mkdir -p "$OUT/nginx/tmp"
SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export INTERNAL_AUTH_SECRET=$SECRET
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

cpu() { # CPU seconds (user+system, all threads) of the given pids
  local total=0 pid
  for pid in "$@"; do total=$(awk -v t="$total" -v hz="$(getconf CLK_TCK)" '{print t + ($14+$15)/hz}' "/proc/$pid/stat"); done
  echo "$total"
}
wait_http() { # url [header]
  for _ in $(seq 1 100); do curl -s -o /dev/null --max-time 1 "$@" && return 0; sleep 0.2; done
  echo "not answering: $1" >&2; return 1
}
identity() { "$BIN/bench-gateway" identity --user bench-user --audience rag; }

DATABASE_URL=$DB_URL LOG_LEVEL=warning "$BIN/bench-gateway" backend --port $BACKEND_PORT 2>"$OUT/backend.log" &
BACKEND_PID=$!; PIDS+=($BACKEND_PID)
TOKEN=$("$BIN/bench-gateway" keys --out "$OUT/keys" --project bench --user bench-user)
env PORT=$GATEWAY_PORT HOST=127.0.0.1 DATABASE_URL="$DB_URL" FIREBASE_PROJECT_ID=bench AUTH_JWKS_FILE="$OUT/keys/jwks.json" \
  RAG_URL=http://127.0.0.1:$BACKEND_PORT MEMORY_URL=http://127.0.0.1:$BACKEND_PORT SCHEDULER_URL=http://127.0.0.1:$BACKEND_PORT \
  RATE_LIMIT_RPS=1000000 RATE_LIMIT_BURST=1000000 LOG_LEVEL=warning "$BIN/apex-gateway" 2>"$OUT/gateway.log" >&2 &
GATEWAY_PID=$!; PIDS+=($GATEWAY_PID)
wait_http http://127.0.0.1:$BACKEND_PORT/liveness
wait_http http://127.0.0.1:$GATEWAY_PORT/liveness

start_nginx() { # writes the config with a freshly minted identity (valid 60 s) and starts nginx
  cat >"$OUT/nginx/nginx.conf" <<CONF
worker_processes auto;
daemon off;
pid $OUT/nginx/nginx.pid;
error_log $OUT/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $OUT/nginx/tmp/body; proxy_temp_path $OUT/nginx/tmp/proxy;
  fastcgi_temp_path $OUT/nginx/tmp/fastcgi; uwsgi_temp_path $OUT/nginx/tmp/uwsgi; scgi_temp_path $OUT/nginx/tmp/scgi;
  upstream backend { server 127.0.0.1:$BACKEND_PORT; keepalive 64; }
  server {
    listen 127.0.0.1:$NGINX_H2_PORT http2;   # h2c, prior knowledge (h2load)
    listen 127.0.0.1:$NGINX_H1_PORT;         # HTTP/1.1 (wrk)
    http2_max_concurrent_streams 128;
    keepalive_requests 1000000;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Apex-Identity "$(identity)";
    }
  }
}
CONF
  nginx -p "$OUT/nginx" -c "$OUT/nginx/nginx.conf" &
  NGINX_PID=$!; PIDS+=($NGINX_PID)
  wait_http http://127.0.0.1:$NGINX_H1_PORT/liveness
}
stop_nginx() { kill "$NGINX_PID"; wait "$NGINX_PID" 2>/dev/null || true; }
start_relay() { # relay (h2c in) or relay-http1 (HTTP/1.1 in); carries a freshly minted identity (valid 60 s), as nginx does
  "$BIN/bench-gateway" "$1" --port $RELAY_PORT --upstream-port $BACKEND_PORT --identity "$(identity)" 2>"$OUT/$1.log" &
  RELAY_PID=$!; PIDS+=($RELAY_PID)
  if [ "$1" = relay ]; then wait_http --http2-prior-knowledge http://127.0.0.1:$RELAY_PORT$PATH_Q; else wait_http http://127.0.0.1:$RELAY_PORT$PATH_Q; fi
}
stop_relay() { kill "$RELAY_PID"; wait "$RELAY_PID" 2>/dev/null || true; }

# One measurement: name tool url pids-to-meter -- headers...
measure() {
  local name=$1 tool=$2 url=$3 pids=$4; shift 4
  local hdr=() h; for h in "$@"; do hdr+=(-H "$h"); done
  local proto=(); [ "$tool" != wrk ] && proto=(--http2-prior-knowledge)
  local streams=64; [ "$tool" = h2load-m1 ] && streams=1
  local status; status=$(curl -s "${proto[@]}" -o "$OUT/$name-$tool.sample" -w '%{http_code} %{http_version}' "${hdr[@]}" "$url")
  [ "${status%% *}" = 200 ] || { echo "$name: warm-up answered $status: $(cat "$OUT/$name-$tool.sample")" >&2; exit 1; }
  local before after
  if [ "$tool" != wrk ]; then
    h2load -c1 -m$streams -D 2 "${hdr[@]}" "$url" >/dev/null   # warm-up
    before=$(cpu $pids); backend_before=$(cpu "$BACKEND_PID")
    h2load -c1 -m$streams -D "$DURATION" --log-file="$OUT/$name-$tool.log" "${hdr[@]}" "$url" >"$OUT/$name-$tool.txt"
    after=$(cpu $pids); backend_after=$(cpu "$BACKEND_PID")
    local rps; rps=$(awk '/^finished in/ {print $4}' "$OUT/$name-$tool.txt")
    local ok; ok=$(awk '/^status codes:/ {print $3}' "$OUT/$name-$tool.txt")
    local total; total=$(wc -l <"$OUT/$name-$tool.log")
    read -r p50 p99 < <(awk '{print $3}' "$OUT/$name-$tool.log" | sort -n | awk '{v[NR]=$1} END {printf "%.2f %.2f\n", v[int(NR*0.50)]/1000, v[int(NR*0.99)]/1000}')
    printf '%-8s %-9s req/s %-10s p50 %6s ms  p99 %6s ms  2xx %s/%s  proxy CPU %.2f cores = %.0f us/req  backend %.0f us/req\n' "$name" "$tool" "$rps" "$p50" "$p99" "$ok" "$total" \
      "$(echo "($after - $before) / $DURATION" | bc -l)" "$(echo "($after - $before) * 1000000 / ($rps * $DURATION)" | bc -l)" \
      "$(echo "($backend_after - $backend_before) * 1000000 / ($rps * $DURATION)" | bc -l)" | tee -a "$OUT/summary.txt"
  else
    wrk -t2 -c64 -d2s "${hdr[@]}" "$url" >/dev/null
    before=$(cpu $pids); backend_before=$(cpu "$BACKEND_PID")
    wrk -t2 -c64 -d"${DURATION}s" --latency "${hdr[@]}" "$url" >"$OUT/$name-wrk.txt"
    after=$(cpu $pids); backend_after=$(cpu "$BACKEND_PID")
    local rps p50 p99 non2xx
    rps=$(awk '/^Requests\/sec/ {print $2}' "$OUT/$name-wrk.txt")
    p50=$(awk '$1=="50%" {print $2}' "$OUT/$name-wrk.txt"); p99=$(awk '$1=="99%" {print $2}' "$OUT/$name-wrk.txt")
    non2xx=$(awk '/Non-2xx/ {print $5}' "$OUT/$name-wrk.txt"); non2xx=${non2xx:-0}
    printf '%-8s wrk       req/s %-10s p50 %9s  p99 %9s  non-2xx %s  proxy CPU %.2f cores = %.0f us/req  backend %.0f us/req\n' "$name" "$rps" "$p50" "$p99" "$non2xx" \
      "$(echo "($after - $before) / $DURATION" | bc -l)" "$(echo "($after - $before) * 1000000 / ($rps * $DURATION)" | bc -l)" \
      "$(echo "($backend_after - $backend_before) * 1000000 / ($rps * $DURATION)" | bc -l)" | tee -a "$OUT/summary.txt"
  fi
}

echo "# $(date -u +%FT%TZ) load average: $(cut -d' ' -f1-3 /proc/loadavg) duration ${DURATION}s; 'proxy CPU' = CPU of the proxy process (backend for 'direct') / wall time; 'backend' = the backend's CPU per request" | tee "$OUT/summary.txt"
# h2load-m1: one request in flight (latency without queueing); h2load: 1 connection x 64 streams; wrk: 64 connections.
for tool in h2load-m1 h2load wrk; do
  measure direct $tool http://127.0.0.1:$BACKEND_PORT$PATH_Q "$BACKEND_PID" "X-Apex-Identity: $(identity)"
  measure gateway $tool http://127.0.0.1:$GATEWAY_PORT$PATH_Q "$GATEWAY_PID" "Authorization: Bearer $TOKEN"
  start_nginx
  if [ $tool != wrk ]; then port=$NGINX_H2_PORT; else port=$NGINX_H1_PORT; fi
  measure nginx $tool http://127.0.0.1:$port$PATH_Q "$(pgrep -P "$NGINX_PID" | tr '\n' ' ')"
  stop_nginx
  if [ $tool != wrk ]; then start_relay relay; else start_relay relay-http1; fi
  measure relay $tool http://127.0.0.1:$RELAY_PORT$PATH_Q "$RELAY_PID"
  stop_relay
done
echo "# end $(date -u +%FT%TZ) load average: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/summary.txt"
echo "backend CPU total $(cpu $BACKEND_PID) s, gateway CPU total $(cpu $GATEWAY_PID) s" | tee -a "$OUT/summary.txt"
