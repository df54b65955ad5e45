# Shared by the interop checks (scripts/checks/30-interop.sh, 31-interop-tls.sh), sourced from
# the repository root after `set -euo pipefail`. The caller sets INTEROP_LABEL (the prefix of
# every message) first. This file gives it: a temp dir `work_dir` removed on exit, one server
# at a time in `server_pid` (stopped on exit), `run_pairing`, `build_interop_peers` and
# `report_pairings`. Every wait is bounded.

PYTHON_PEERS=Tests/Interop/python
SERVER_START_TIMEOUT=30   # seconds for a server to accept connections
CLIENT_TIMEOUT=180        # seconds for one client run of all cases

work_dir=$(mktemp -d -t "$INTEROP_LABEL-check.XXXXXX")
server_pid=""
failures=()

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
# print "listening on HOST:PORT"; this waits for that line, bounded, failing early if the
# server died, and prints the port.
wait_for_listening() {
  local log=$1 deadline=$((SECONDS + SERVER_START_TIMEOUT)) line
  while ((SECONDS < deadline)); do
    line=$(grep -m1 -o 'listening on .*:[0-9]*$' "$log" 2>/dev/null || true)
    if [ -n "$line" ]; then echo "${line##*:}"; return 0; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "$INTEROP_LABEL: server exited before listening" >&2; return 1
    fi
    sleep 0.1
  done
  echo "$INTEROP_LABEL: server did not report listening within ${SERVER_START_TIMEOUT}s" >&2
  return 1
}

# Generates the Python stubs (from the system's grpc-proto files, into the temp dir) and
# builds our interop programs; sets bin_dir.
build_interop_peers() {
  export INTEROP_STUBS_DIR="$work_dir/stubs"
  timeout 120 python3 "$PYTHON_PEERS/interop_stubs.py" "$INTEROP_STUBS_DIR"
  echo "-- $INTEROP_LABEL: building interop-server and interop-client"
  timeout 1800 swift build --product interop-server >/dev/null
  timeout 1800 swift build --product interop-client >/dev/null
  bin_dir=$(swift build --show-bin-path)
}

# run_pairing NAME SERVER_KIND CLIENT_KIND (python|swift each): starts the server with the
# arguments in the array `server_args`, runs all cases with the client and `client_args`.
server_args=()
client_args=()
run_pairing() {
  local name=$1 server_kind=$2 client_kind=$3 port log="$work_dir/server-$1.log"
  case "$server_kind" in
    python) python3 "$PYTHON_PEERS/interop_server.py" --port 0 ${server_args[@]+"${server_args[@]}"} >"$log" 2>&1 & ;;
    swift) "$bin_dir/interop-server" --port 0 ${server_args[@]+"${server_args[@]}"} >"$log" 2>&1 & ;;
  esac
  server_pid=$!
  if ! port=$(wait_for_listening "$log"); then
    cat "$log" >&2; stop_server; failures+=("$name (server start)"); return
  fi
  echo "-- $INTEROP_LABEL: $name (port $port)"
  local status=0
  case "$client_kind" in
    python) timeout -k 5 "$CLIENT_TIMEOUT" python3 "$PYTHON_PEERS/interop_client.py" \
              --server_host 127.0.0.1 --server_port "$port" --test_case all ${client_args[@]+"${client_args[@]}"} || status=$? ;;
    swift) timeout -k 5 "$CLIENT_TIMEOUT" "$bin_dir/interop-client" \
              --server_host 127.0.0.1 --server_port "$port" --test_case all ${client_args[@]+"${client_args[@]}"} || status=$? ;;
  esac
  stop_server
  if ((status != 0)); then
    echo "$INTEROP_LABEL: $name failed (exit $status); server log:" >&2
    tail -n 50 "$log" >&2 || true
    failures+=("$name")
  fi
}

# Exits non-zero naming the pairings that failed.
report_pairings() {
  if ((${#failures[@]})); then
    echo "$INTEROP_LABEL: FAILED: ${failures[*]}" >&2
    exit 1
  fi
  echo "$INTEROP_LABEL: all pairings passed"
}
