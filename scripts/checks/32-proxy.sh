#!/usr/bin/env bash
# gRPC through a standard HTTP/2 reverse proxy: three Swift interop-servers behind nghttpx
# (Debian nghttp2-proxy) as one round-robin backend group. Runs the interop cases through the
# proxy with our interop-client and with grpcio's, checks that the proxy spread the calls over
# the backends, then kills one backend and checks that calls keep succeeding.
# Every wait is bounded; every process this script starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
trap 'echo "proxy: command failed (line $LINENO): $BASH_COMMAND" >&2' ERR

PYTHON_PEERS=Tests/Interop/python
START_TIMEOUT=30      # seconds for a server or the proxy to accept connections
CLIENT_TIMEOUT=180    # seconds for one client run of all cases
CALLS_AFTER_KILL=20   # calls that must all succeed with one backend gone

command -v nghttpx >/dev/null || { echo "proxy: nghttpx not found (scripts/setup.sh installs nghttp2-proxy)" >&2; exit 1; }

work_dir=$(mktemp -d -t proxy-check.XXXXXX)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work_dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_for_listening LOG PID: the port a server reports ("listening on HOST:PORT"), bounded.
wait_for_listening() {
  local log=$1 pid=$2 deadline=$((SECONDS + START_TIMEOUT)) line
  while ((SECONDS < deadline)); do
    line=$(grep -m1 -o 'listening on .*:[0-9]*$' "$log" 2>/dev/null || true)
    if [ -n "$line" ]; then echo "${line##*:}"; return 0; fi
    kill -0 "$pid" 2>/dev/null || { echo "proxy: server exited before listening" >&2; cat "$log" >&2; return 1; }
    sleep 0.1
  done
  echo "proxy: server did not report listening within ${START_TIMEOUT}s" >&2
  return 1
}

echo "-- proxy: building interop-server and interop-client"
timeout 1800 swift build --product interop-server >/dev/null
timeout 1800 swift build --product interop-client >/dev/null
bin_dir=$(swift build --show-bin-path)
export INTEROP_STUBS_DIR="$work_dir/stubs"
timeout 120 python3 "$PYTHON_PEERS/interop_stubs.py" "$INTEROP_STUBS_DIR"

backend_args=()
backend_pids=()
backend_addresses=()
for index in 1 2 3; do
  "$bin_dir/interop-server" --port 0 >"$work_dir/backend-$index.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  backend_pids+=("$pid")
  port=$(wait_for_listening "$work_dir/backend-$index.log" "$pid")
  # One load-balancing group (same catch-all pattern), cleartext HTTP/2 to each backend;
  # fall/rise make nghttpx take a dead backend out of the group after one failed connect.
  backend_args+=("--backend=127.0.0.1,$port;;proto=h2;fall=1;rise=1")
  backend_addresses+=("127.0.0.1:$port")
done

# The kernel picks a free port for the proxy's frontend (nghttpx cannot report one it chose).
proxy_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
nghttpx --conf=/dev/null --frontend="127.0.0.1,$proxy_port;no-tls" "${backend_args[@]}" --workers=1 \
  --backend-max-backoff=1s --errorlog-file="$work_dir/nghttpx-error.log" \
  --accesslog-file="$work_dir/access.log" --accesslog-format='$status $backend_host:$backend_port $path' &
proxy_pid=$!
pids+=("$proxy_pid")
deadline=$((SECONDS + START_TIMEOUT))
until python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()' "$proxy_port" 2>/dev/null; do
  kill -0 "$proxy_pid" 2>/dev/null || { echo "proxy: nghttpx exited" >&2; cat "$work_dir/nghttpx-error.log" >&2; exit 1; }
  ((SECONDS < deadline)) || { echo "proxy: nghttpx did not accept within ${START_TIMEOUT}s" >&2; exit 1; }
  sleep 0.1
done
echo "-- proxy: nghttpx on 127.0.0.1:$proxy_port in front of ${#backend_args[@]} backends"

failures=()
echo "-- proxy: swift client through the proxy"
timeout -k 5 "$CLIENT_TIMEOUT" "$bin_dir/interop-client" --server_host 127.0.0.1 --server_port "$proxy_port" --test_case all \
  || failures+=("swift client")
echo "-- proxy: python client through the proxy"
timeout -k 5 "$CLIENT_TIMEOUT" python3 "$PYTHON_PEERS/interop_client.py" --server_host 127.0.0.1 --server_port "$proxy_port" --test_case all \
  || failures+=("python client")

served=$(awk '{print $2}' "$work_dir/access.log" | sort -u | grep -c ':' || true)
echo "-- proxy: $served distinct backends served the calls"
((served == 3)) || failures+=("round-robin spread ($served of 3 backends)")

echo "-- proxy: killing one backend"
kill -KILL "${backend_pids[1]}"
{ wait "${backend_pids[1]}"; } 2>/dev/null || true  # (the braces keep bash's "Killed" notice out of the log)
succeeded=0
for call in $(seq 1 "$CALLS_AFTER_KILL"); do
  if timeout -k 5 30 "$bin_dir/interop-client" --server_host 127.0.0.1 --server_port "$proxy_port" --test_case large_unary >/dev/null; then
    succeeded=$((succeeded + 1))
  else
    echo "proxy: call $call failed with one backend gone" >&2
  fi
done
echo "-- proxy: $succeeded of $CALLS_AFTER_KILL calls succeeded with one backend gone"
((succeeded == CALLS_AFTER_KILL)) || failures+=("calls after a backend was killed")

# Without the proxy: our round_robin channel over the same three addresses, one of them dead.
target="ipv4:$(IFS=,; echo "${backend_addresses[*]}")"
echo "-- proxy: swift client, round_robin over $target (one backend dead)"
timeout -k 5 "$CLIENT_TIMEOUT" "$bin_dir/interop-client" --target "$target" --lb_policy round_robin --test_case all \
  || failures+=("swift round_robin client with one backend dead")

if ((${#failures[@]})); then
  echo "proxy: FAILED: ${failures[*]}" >&2
  tail -n 30 "$work_dir/nghttpx-error.log" >&2 || true
  exit 1
fi
echo "proxy: all checks passed"
