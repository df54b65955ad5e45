#!/usr/bin/env bash
# Instructions per call on the CLIENT side, counted by callgrind: our Channel (`rpc-profile
# load`, the load generator with a synchronous main) and the gRPC C++ client (the peers'
# bench_client) against the same gRPC C++ async server, which runs natively on CPU 0.
# Each client runs twice under callgrind (SHORT and LONG seconds, no warm-up); the
# difference of the instruction totals over the difference of the calls completed is the
# cost per call without start-up and shut-down. Kernel time is not in it.
#
#   Benchmarks/profile-client.sh [unary|stream] [RESP_SIZE]      (default: unary 0)
# Environment: CONCURRENCY (64), SHORT (4), LONG (12) seconds, PORT (50297),
#   CPP_APIS ("callback async"; "" for none), TASKS (where our calls run: pool | loop),
#   PEERS_BUILD (a built copy of the peers; else one is built here from $PEERS, default ../shared/peers next to the repository),
#   PACKAGE (the Benchmarks package rpc-profile is built from; default this one),
#   OUT (where to keep our long run's profile).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mode="${1:-unary}"
resp="${2:-0}"
concurrency="${CONCURRENCY:-64}"
short="${SHORT:-4}"
long="${LONG:-12}"
port="${PORT:-50297}"
cpp_apis=${CPP_APIS-"callback async"}
tasks=${TASKS:-pool}
source "$here/lib/cpp-peers.sh"
peers_work_folder profile-client
peers_cpp_binaries "${PEERS:-$(cd "$here/../.." && pwd)/shared/peers}"
package="${PACKAGE:-$here}"
swift build -c release --package-path "$package" --product rpc-profile >/dev/null
# valgrind 3.19 cannot read the DWARF 5 Swift emits; the symbol table is enough.
strip --strip-debug -o "$work/rpc-profile" "$package/.build/release/rpc-profile"

taskset -c 0 "$cpp/bench_server" --port "$port" --api async --threads 1 >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done

# One run under callgrind: prints "INSTRUCTIONS CALLS".
measure() {
  local name=$1 seconds=$2; shift 2
  local out="$work/cg.$name.$seconds"
  taskset -c 1 valgrind --tool=callgrind --callgrind-out-file="$out" "$@" >"$work/run.log" 2>&1 \
    || { cat "$work/run.log" >&2; exit 1; }
  local calls total
  calls=$(sed -n 's/^client=.* calls=\([0-9]*\).*/\1/p' "$work/run.log")
  total=$(awk '/^summary:/ { s += $2 } END { print s }' "$out"*)
  [[ -n $calls && $calls -gt 0 ]] || { cat "$work/run.log" >&2; exit 1; }
  echo "$total $calls"
}

per_call() {
  local name=$1; shift
  local a b
  # shellcheck disable=SC2046
  a=$(measure "$name" "$short" $(sed "s/{seconds}/$short/" <<<"$*"))
  # shellcheck disable=SC2046
  b=$(measure "$name" "$long" $(sed "s/{seconds}/$long/" <<<"$*"))
  awk -v n="$name" -v a="$a" -v b="$b" 'BEGIN {
    split(a, x, " "); split(b, y, " ")
    printf "%-12s %14.0f instructions/call  (%d and %d calls)\n", n, (y[1] - x[1]) / (y[2] - x[2]), x[2], y[2] }'
}

echo "client instructions per call: mode=$mode concurrency=$concurrency resp_size=$resp"
per_call "wire-$tasks" "$work/rpc-profile" load "127.0.0.1:$port" "$mode" "$concurrency" "{seconds}" "$resp" "$tasks"
[[ -z ${OUT:-} ]] || cp "$work/cg.wire-$tasks.$long" "$OUT"
for api in $cpp_apis; do
  per_call "cpp-$api" "$cpp/bench_client" --api "$api" --target "127.0.0.1:$port" --mode "$mode" \
    --concurrency "$concurrency" --resp-size "$resp" --duration "{seconds}" --warmup 0
done
