#!/usr/bin/env bash
# Our Channel against the gRPC C++ client (the peers' bench_client), as load generators for
# the same gRPC C++ async server (one completion-queue thread), in one run: the server pinned
# to CPU 0, each client in turn pinned to CPU 1. Ours is `bench load`'s LoadGenerator, run by
# `rpc-profile load` (the same code without bench's other suites, so it builds in minutes),
# with the calls on Swift's global pool (`bench load --tasks pool`, the default) and on the
# channel's event loop (`--tasks loop`). Prints QPS per workload and the ratios ours / C++ (per
# client core: every client gets exactly one core), with the load average, since other work
# on the machine moves both sides.
#
# usage: Benchmarks/compare-clients.sh [--duration S] [--warmup S] [--peers DIR]
#   --peers: the benchmark peers (default ../shared/peers next to the repository); copied to a temporary folder
#            and built there (make -C cpp; needs libgrpc++-dev protobuf-compiler-grpc).
# Environment: WORKLOADS (default "unary64-0B unary64-1KiB stream64-0B"),
#              CPP_APIS (C++ client APIs to run, default "callback async"), PORT (50193),
#              TASKS (our task placements to run, default "pool loop"),
#              PEERS_BUILD (reuse a built copy of the peers instead of building one).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
duration=10
warmup=2
peers="$(cd "$(dirname "$0")/../.." && pwd)/shared/peers"
port=${PORT:-50193}
workloads=${WORKLOADS:-"unary64-0B unary64-1KiB stream64-0B"}
cpp_apis=${CPP_APIS-"callback async"}
placements=${TASKS:-"pool loop"}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --peers) peers=$2; shift 2 ;;
    *) echo "usage: $0 [--duration S] [--warmup S] [--peers DIR]" >&2; exit 2 ;;
  esac
done
[[ $(nproc) -ge 2 ]] || { echo "needs 2 CPUs (server on 0, client on 1)" >&2; exit 2; }

source "$here/lib/cpp-peers.sh"
peers_work_folder compare-clients
# The C++ peers, built in a copy (the peers folder stays untouched).
peers_cpp_binaries "$peers"
echo "building rpc-profile (release)..." >&2
swift build -c release --package-path "$here" --product rpc-profile >"$work/swift-build.log" 2>&1 \
  || { tail -40 "$work/swift-build.log" >&2; exit 1; }
ours="$here/.build/release/rpc-profile"

taskset -c 0 "$cpp/bench_server" --port "$port" --api async --threads 1 >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do  # up to 30 s for the port
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done

# One client run (its command, then {mode} {concurrency} {resp} filled in): prints its qps, 0
# when it failed.
run_client() {
  local line
  line=$(timeout $((${duration%.*} + ${warmup%.*} + 60)) taskset -c 1 "$@" 2>"$work/client.err" | grep '^client=' || true)
  [[ -n $line ]] || { echo "client failed: $* $(tail -3 "$work/client.err")" >&2; echo 0; return; }
  echo "  $line" >&2
  sed -n 's/.* qps=\([0-9.]*\).*/\1/p' <<<"$line"
}

printf '%-14s' workload
for tasks in $placements; do printf ' %12s' "ours-$tasks"; done
for api in $cpp_apis; do
  printf ' %12s' "cpp-$api"
  for tasks in $placements; do printf ' %12s' "$tasks/$api"; done
done
printf '  %s\n' "load average (1 min, before each workload)"
for workload in $workloads; do
  case "$workload" in
    unary64-0B) mode=unary concurrency=64 resp=0 ;;
    unary64-1KiB) mode=unary concurrency=64 resp=1024 ;;
    stream64-0B) mode=stream concurrency=64 resp=0 ;;
    *) echo "unknown workload $workload" >&2; exit 2 ;;
  esac
  load=$(cut -d' ' -f1 /proc/loadavg)
  declare -A qps=()
  for tasks in $placements; do
    qps[$tasks]=$(run_client "$ours" load "127.0.0.1:$port" "$mode" "$concurrency" "$duration" "$resp" "$tasks" "$warmup")
  done
  row=$(printf '%-14s' "$workload")
  for tasks in $placements; do row+=$(printf ' %12.0f' "${qps[$tasks]}"); done
  for api in $cpp_apis; do
    theirs=$(run_client "$cpp/bench_client" --api "$api" --target "127.0.0.1:$port" --mode "$mode" \
      --concurrency "$concurrency" --resp-size "$resp" --duration "$duration" --warmup "$warmup")
    row+=$(printf ' %12.0f' "$theirs")
    for tasks in $placements; do
      row+=$(awk -v a="${qps[$tasks]}" -v b="$theirs" 'BEGIN { if (b > 0) printf " %12.2f", a / b; else printf " %12s", "-" }')
    done
  done
  printf '%s  %s\n' "$row" "$load"
  unset qps
done
