# Benchmarks/Foundation/quiet.sh — sourced: wait_for_quiet waits (up to APEX_BENCH_QUIET_WAIT
# seconds, default 0 = not at all) until the machine's other processes use less than
# APEX_BENCH_QUIET_CORES cores (default 0.3) over a 3 s sample. The benchmark machine is shared;
# a figure measured while someone else compiles is not the service's.
machine_busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat; }

wait_for_quiet() {
  local limit=${APEX_BENCH_QUIET_WAIT:-0} threshold=${APEX_BENCH_QUIET_CORES:-0.3} waited=0 before after cores
  local hz
  hz=$(getconf CLK_TCK)
  while :; do
    before=$(machine_busy_ticks)
    sleep 3
    after=$(machine_busy_ticks)
    cores=$(awk -v b="$before" -v a="$after" -v hz="$hz" 'BEGIN {printf "%.2f", (a - b) / hz / 3}')
    if awk -v c="$cores" -v t="$threshold" 'BEGIN {exit !(c < t)}'; then
      printf 'machine quiet: %s cores busy over 3 s\n' "$cores" >&2
      return 0
    fi
    if ((waited >= limit)); then
      printf 'machine busy: %s cores used by other processes over 3 s (not waiting any longer)\n' "$cores" >&2
      return 0
    fi
    waited=$((waited + 3))
  done
}
