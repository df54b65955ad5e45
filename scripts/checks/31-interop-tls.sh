#!/usr/bin/env bash
# gRPC interop over TLS: the 18 standard interop cases (grpc.testing.TestService) in the three
# pairings with grpcio, first with server-authenticated TLS, then with mutual TLS:
#   swift client  -> swift server
#   swift client  -> python server   (our Channel against grpcio's ssl_server_credentials)
#   python client -> swift server    (grpcio's ssl_channel_credentials against our Server)
# The clients connect to 127.0.0.1 and verify the server's certificate as "localhost"
# (--server_host_override). Certificates are made for this run by the openssl command
# (scripts/make-test-certificates.sh) and removed with the temp dir. Each server listens on a
# free port; every wait is bounded; every process this script starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
trap 'echo "interop-tls: command failed (line $LINENO): $BASH_COMMAND" >&2' ERR

PYTHON_PEERS=Tests/Interop/python
SERVER_START_TIMEOUT=30   # seconds for a server to accept connections
CLIENT_TIMEOUT=180        # seconds for one client run of all cases

work_dir=$(mktemp -d -t interop-tls-check.XXXXXX)
server_pid=""

stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
cleanup() { stop_server; rm -rf "$work_dir"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits (bounded) for the server's "listening on HOST:PORT" line and prints the port.
wait_for_listening() {
  local log=$1 deadline=$((SECONDS + SERVER_START_TIMEOUT)) line
  while ((SECONDS < deadline)); do
    line=$(grep -m1 -o 'listening on .*:[0-9]*$' "$log" 2>/dev/null || true)
    if [ -n "$line" ]; then echo "${line##*:}"; return 0; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "interop-tls: server exited before listening" >&2; return 1
    fi
    sleep 0.1
  done
  echo "interop-tls: server did not report listening within ${SERVER_START_TIMEOUT}s" >&2
  return 1
}

certs="$work_dir/certs"
scripts/make-test-certificates.sh "$certs"

# run_pairing NAME SERVER_KIND CLIENT_KIND MUTUAL(yes|no)
failures=()
run_pairing() {
  local name=$1 server_kind=$2 client_kind=$3 mutual=$4 port log="$work_dir/server-$1.log"
  local server_tls=(--use_tls=true --cert_file "$certs/server.pem" --key_file "$certs/server.key")
  local client_tls=(--use_tls=true --ca_file "$certs/ca.pem" --server_host_override localhost)
  if [ "$mutual" = yes ]; then
    server_tls+=(--client_ca_file "$certs/ca.pem")
    client_tls+=(--client_cert_file "$certs/client.pem" --client_key_file "$certs/client.key")
  fi
  case "$server_kind" in
    python) python3 "$PYTHON_PEERS/interop_server.py" --port 0 "${server_tls[@]}" >"$log" 2>&1 & ;;
    swift) "$bin_dir/interop-server" --port 0 "${server_tls[@]}" >"$log" 2>&1 & ;;
  esac
  server_pid=$!
  if ! port=$(wait_for_listening "$log"); then
    cat "$log" >&2; stop_server; failures+=("$name (server start)"); return
  fi
  echo "-- interop-tls: $name (port $port)"
  local status=0
  case "$client_kind" in
    python) timeout -k 5 "$CLIENT_TIMEOUT" python3 "$PYTHON_PEERS/interop_client.py" \
              --server_host 127.0.0.1 --server_port "$port" --test_case all "${client_tls[@]}" || status=$? ;;
    swift) timeout -k 5 "$CLIENT_TIMEOUT" "$bin_dir/interop-client" \
              --server_host 127.0.0.1 --server_port "$port" --test_case all "${client_tls[@]}" || status=$? ;;
  esac
  stop_server
  if ((status != 0)); then
    echo "interop-tls: $name failed (exit $status); server log:" >&2
    tail -n 50 "$log" >&2 || true
    failures+=("$name")
  fi
}

export INTEROP_STUBS_DIR="$work_dir/stubs"
timeout 120 python3 "$PYTHON_PEERS/interop_stubs.py" "$INTEROP_STUBS_DIR"

echo "-- interop-tls: building interop-server and interop-client"
timeout 1800 swift build --product interop-server >/dev/null
timeout 1800 swift build --product interop-client >/dev/null
bin_dir=$(swift build --show-bin-path)

for mutual in no yes; do
  suffix=tls; [ "$mutual" = yes ] && suffix=mtls
  run_pairing "swift-client-vs-swift-server-$suffix" swift swift "$mutual"
  run_pairing "swift-client-vs-python-server-$suffix" python swift "$mutual"
  run_pairing "python-client-vs-swift-server-$suffix" swift python "$mutual"
done

if ((${#failures[@]})); then
  echo "interop-tls: FAILED: ${failures[*]}" >&2
  exit 1
fi
echo "interop-tls: all pairings passed"
