#!/usr/bin/env bash
# gRPC interop: runs the 18 standard interop cases (grpc.testing.TestService) across peers.
#   python client -> python server   (proves the Python peers themselves)
#   swift client  -> python server   (our Channel against grpcio)
#   python client -> swift server    (grpcio against our Server)
#   swift client  -> swift server
# Each server listens on a free 127.0.0.1 port; every wait is bounded; every process this
# script starts is stopped on exit. Exits non-zero if any case fails in any pairing.
set -euo pipefail
cd "$(dirname "$0")/../.."
trap 'echo "interop: command failed (line $LINENO): $BASH_COMMAND" >&2' ERR

PYTHON_PEERS=Tests/Interop/python
SERVER_START_TIMEOUT=30   # seconds for a server to accept connections
CLIENT_TIMEOUT=180        # seconds for one client run of all cases

work_dir=$(mktemp -d -t interop-check.XXXXXX)
server_pid=""

stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    # Give it a bounded grace period, then force.
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
cleanup() { stop_server; rm -rf "$work_dir"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# Servers bind port 0 (the kernel picks a free port, so no race with other processes) and
# print "interop-server listening on HOST:PORT"; this waits for that line, bounded, failing
# early if the server died, and prints the port.
wait_for_listening() {
  local log=$1 deadline=$((SECONDS + SERVER_START_TIMEOUT)) line
  while ((SECONDS < deadline)); do
    line=$(grep -m1 -o 'listening on .*:[0-9]*$' "$log" 2>/dev/null || true)
    if [ -n "$line" ]; then echo "${line##*:}"; return 0; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "interop: server exited before listening" >&2; return 1
    fi
    sleep 0.1
  done
  echo "interop: server did not report listening within ${SERVER_START_TIMEOUT}s" >&2
  return 1
}

# run_pairing NAME SERVER_KIND CLIENT_KIND: starts the server, runs all cases with the client.
failures=()
run_pairing() {
  local name=$1 server_kind=$2 client_kind=$3 port log="$work_dir/server-$1.log"
  case "$server_kind" in
    python) python3 "$PYTHON_PEERS/interop_server.py" --port 0 >"$log" 2>&1 & ;;
    swift) "$bin_dir/interop-server" --port 0 >"$log" 2>&1 & ;;
  esac
  server_pid=$!
  if ! port=$(wait_for_listening "$log"); then
    cat "$log" >&2; stop_server; failures+=("$name (server start)"); return
  fi
  echo "-- interop: $name (port $port)"
  local status=0
  case "$client_kind" in
    python) timeout -k 5 "$CLIENT_TIMEOUT" python3 "$PYTHON_PEERS/interop_client.py" \
              --server_host 127.0.0.1 --server_port "$port" --test_case all || status=$? ;;
    swift) timeout -k 5 "$CLIENT_TIMEOUT" "$bin_dir/interop-client" \
              --server_host 127.0.0.1 --server_port "$port" --test_case all || status=$? ;;
  esac
  stop_server
  if ((status != 0)); then
    echo "interop: $name failed (exit $status); server log:" >&2
    tail -n 50 "$log" >&2 || true
    failures+=("$name")
  fi
}

# Python stubs are generated from the system's grpc-proto files into the temp dir, once.
export INTEROP_STUBS_DIR="$work_dir/stubs"
timeout 120 python3 "$PYTHON_PEERS/interop_stubs.py" "$INTEROP_STUBS_DIR"

echo "-- interop: building interop-server and interop-client"
timeout 1800 swift build --product interop-server >/dev/null
timeout 1800 swift build --product interop-client >/dev/null
bin_dir=$(swift build --show-bin-path)

run_pairing python-client-vs-python-server python python
run_pairing swift-client-vs-python-server python swift
run_pairing python-client-vs-swift-server swift python
run_pairing swift-client-vs-swift-server swift swift

if ((${#failures[@]})); then
  echo "interop: FAILED: ${failures[*]}" >&2
  exit 1
fi
echo "interop: all pairings passed"
