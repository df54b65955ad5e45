#!/usr/bin/env bash
# Runs `bench load` (our Channel as the load generator) against several BenchmarkService
# servers, one at a time: server pinned to CPU 0, load to CPU 1, like the peers' bench.sh.
# Prints one key=value line per (server, workload) plus the server's CPU% over the run
# (utime+stime from /proc; 100 = one full core) and QPS per full server core.
#
# usage: compare-load.sh [--duration S] [--warmup S] NAME='COMMAND with {port}' ...
# workloads: $WORKLOADS (default "stream:1 stream:64 unary:1 unary:64"), 0-byte messages.
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)/.build/release/bench"
DURATION=5
WARMUP=1
PORT=${PORT:-50191}
WORKLOADS=${WORKLOADS:-"stream:1 stream:64 unary:1 unary:64"}
servers=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    *) servers+=("$1"); shift ;;
  esac
done
[[ ${#servers[@]} -gt 0 ]] || { echo "usage: $0 [--duration S] [--warmup S] NAME='CMD {port}' ..." >&2; exit 2; }
ticks=$(getconf CLK_TCK)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

for spec in "${servers[@]}"; do
  name=${spec%%=*}
  command=${spec#*=}
  command=${command//\{port\}/$PORT}
  # shellcheck disable=SC2086
  setsid taskset -c 0 $command >"/tmp/compare-load-$name.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do  # up to 30 s for the port
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    sleep 0.1
  done
  for workload in $WORKLOADS; do
    mode=${workload%%:*}
    concurrency=${workload#*:}
    before=$(cpu_ticks "$pid")
    start=$(date +%s.%N)
    line=$(timeout $((DURATION + WARMUP + 30)) taskset -c 1 "$BENCH" load --target "127.0.0.1:$PORT" --mode "$mode" \
      --concurrency "$concurrency" --duration "$DURATION" --warmup "$WARMUP" | grep '^client=' || echo "client=wire failed")
    end=$(date +%s.%N)
    after=$(cpu_ticks "$pid")
    cpu=$(awk -v a="$after" -v b="$before" -v t="$ticks" -v s="$start" -v e="$end" 'BEGIN { printf "%.0f", (a - b) / t / (e - s) * 100 }')
    qps=$(sed -n 's/.* qps=\([0-9.]*\).*/\1/p' <<<"$line")
    per_core=$(awk -v q="${qps:-0}" -v c="$cpu" 'BEGIN { if (c > 0) printf "%.0f", q * 100 / c; else print "-" }')
    echo "server=$name $line srv_cpu_pct=$cpu qps_per_core=$per_core"
  done
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 -- -"$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
done
