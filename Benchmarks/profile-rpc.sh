#!/usr/bin/env bash
# Instructions per unary call of a BenchmarkService server, counted by callgrind (deterministic,
# so a busy machine does not skew it), and the top of its profile:
#   Benchmarks/profile-rpc.sh [wire|SERVER_BINARY ARGS...]   (default: wire)
#   Benchmarks/profile-rpc.sh /tmp/peers/cpp/.build/bench_server --port {port} --api async --threads 1
# `wire` is our server (`rpc-profile`: `bench serve` with a synchronous main, which valgrind can
# follow). The server runs under callgrind; h2load sends WARMUP calls, the counters are zeroed,
# h2load sends CALLS unary calls (response_size RESPONSE_SIZE, 32 outstanding on one connection, the body
# bench.sh uses), the counters are dumped, and the total is divided by CALLS. Kernel time is not
# in it: compare syscalls per call separately (strace -c).
# Environment: CALLS (20000), WARMUP (2000), PORT (50299), OUT (profile file, default under $TMPDIR),
# RESPONSE_SIZE (0: bytes per response, below 16384), TLS (1: our server serves TLS with
# certificates made for the run, and h2load connects over TLS; `wire` only).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
calls="${CALLS:-20000}"
warmup="${WARMUP:-2000}"
port="${PORT:-50299}"
work="$(mktemp -d "${TMPDIR:-/tmp}/profile-rpc.XXXXXX")"
trap 'rm -rf "$work"' EXIT
out="${OUT:-${TMPDIR:-/tmp}/callgrind.rpc.$$}"

response_size="${RESPONSE_SIZE:-0}"
scheme=http
if [ $# -eq 0 ] || [ "$1" = wire ]; then
  swift build -c release --package-path "$here" --product rpc-profile >/dev/null
  # valgrind 3.19 cannot read the DWARF 5 Swift emits; the symbol table is enough.
  strip --strip-debug -o "$work/rpc-profile" "$here/.build/release/rpc-profile"
  server=("$work/rpc-profile" "$port" 1)
  if [ "${TLS:-0}" = 1 ]; then
    "$here/../scripts/make-test-certificates.sh" "$work/certs" >/dev/null
    server+=("$work/certs/server.pem" "$work/certs/server.key")
    scheme=https
  fi
else
  server=()
  for arg in "$@"; do server+=("${arg//\{port\}/$port}"); done
fi

# The request: a gRPC frame holding SimpleRequest{response_size} (field 2, a varint).
if [ "$response_size" -eq 0 ]; then
  printf '\x00\x00\x00\x00\x00' > "$work/unary.h2req"
elif [ "$response_size" -lt 128 ]; then
  printf "\\x00\\x00\\x00\\x00\\x02\\x10\\x$(printf %02x "$response_size")" > "$work/unary.h2req"
else
  printf "\\x00\\x00\\x00\\x00\\x03\\x10\\x$(printf %02x $((response_size % 128 + 128)))\\x$(printf %02x $((response_size / 128)))" > "$work/unary.h2req"
fi
valgrind --tool=callgrind --callgrind-out-file="$work/cg.%p" "${server[@]}" > "$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.1
done
load() {
  h2load -n "$1" -c 1 -m 32 -H 'content-type: application/grpc' -H 'te: trailers' -d "$work/unary.h2req" \
    "$scheme://127.0.0.1:$port/grpc.testing.BenchmarkService/UnaryCall" > "$work/h2load.log"
  grep -q "$1 succeeded, 0 failed" "$work/h2load.log" || { cat "$work/h2load.log"; kill "$pid"; exit 1; }
}
load "$warmup"
callgrind_control -z "$pid" >/dev/null
load "$calls"
callgrind_control -d "$pid" >/dev/null
kill "$pid"
wait "$pid" 2>/dev/null || true
dump="$(ls "$work"/cg.*.1)"
cp "$dump" "$out"
total="$(grep -E '^(summary|totals):' "$out" | head -1 | awk '{print $2}')"
echo "instructions: $total for $calls calls = $((total / calls)) per call"
callgrind_annotate --inclusive=no "$out" 2>/dev/null | swift demangle --simplified | sed -n '/^Ir/,$p' | head -45
echo "profile: $out (callgrind_annotate --inclusive=yes --tree=calling $out | swift demangle --simplified)"
