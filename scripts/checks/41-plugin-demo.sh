#!/usr/bin/env bash
# Runs the demo plugin host twice against examples/plugins with a fresh SQLite store and
# checks what it must show (the second run with --rpc-metrics): hooks that modify and reject posts and edits, refuse a login and
# change or reject uploads, the plugin's API calls,
# a reply post created through the API, state that persists across runs, and an ordered
# shutdown that leaves no plugin process behind. Every run is bounded by a timeout.
set -euo pipefail
cd "$(dirname "$0")/../.."

swift build --product plugin-host >/dev/null
BIN="$(swift build --show-bin-path)/plugin-host"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

fail() { echo "41-plugin-demo: $*" >&2; exit 1; }
expect() { grep -qF -- "$2" "$1" || fail "missing in $(basename "$1"): $2"; }

# The second run also records gRPC metrics of both directions (RPCObservability, opt-in).
for run in 1 2; do
  extra=()
  [ "$run" = 2 ] && extra=(--rpc-metrics --metrics-file "$WORK/metrics.txt")
  timeout 120 "$BIN" --plugins examples/plugins --store "$WORK/kv.sqlite" "${extra[@]}" >"$WORK/out$run.txt" 2>"$WORK/err$run.txt" \
    || { cat "$WORK/out$run.txt" "$WORK/err$run.txt" >&2; fail "run $run exited with $?"; }
done

OUT="$WORK/out1.txt"
expect "$OUT" "com.example.demo: active"
expect "$OUT" "stored post-1: \"Hello from the Swift plugin host (via @alice)\""
expect "$OUT" "rejected by com.example.demo: posts containing 'spam' are not allowed"
expect "$OUT" "API CreatePost(\"pong from random\")"
expect "$OUT" "GET /stats -> 200"
# The same route over the host's own HTTP port, through a real HTTP client.
grep -qE "HTTP GET http://127\.0\.0\.1:[0-9]+/plugins/com\.example\.demo/stats -> 200 " "$OUT" \
  || fail "missing in out1.txt: the HTTP GET of /plugins/com.example.demo/stats answered 200"
# Newer hooks, with the manifest's settings_schema defaults in the plugin's configuration.
expect "$OUT" "edited post-1: \"Hello again from the Swift plugin host (edited)\""
expect "$OUT" "edit rejected by com.example.demo: posts containing 'spam' are not allowed"
expect "$OUT" "login of mallory refused by com.example.demo: mallory is blocked by the demo plugin"
expect "$OUT" "upload of notes.txt stored: 25 -> 23 bytes"
expect "$OUT" "upload of setup.exe rejected by com.example.demo: executables are not allowed"
expect "$OUT" "OnDeactivate done"
expect "$OUT" "API server stopped"
expect "$OUT" "com.example.demo stopped: exited with status 0"
expect "$WORK/err1.txt" "demo plugin activated activations=1"
# The SQLite store persisted the counter, and compare-and-set advanced it.
expect "$WORK/err2.txt" "demo plugin activated activations=2"

# Hook calls counted by the client interceptor, the plugin's API calls by the server one.
grep -qE '^grpc_client_handled_total\{.*grpc_method="OnActivate"' "$WORK/metrics.txt" \
  || fail "no grpc_client_handled_total for OnActivate in the --rpc-metrics run"
grep -qE '^grpc_server_handled_total\{.*grpc_method="CreatePost"' "$WORK/metrics.txt" \
  || fail "no grpc_server_handled_total for CreatePost in the --rpc-metrics run"

# "API server stopped" comes after the process was reaped.
reaped=$(grep -n "reaped: exited" "$OUT" | head -1 | cut -d: -f1)
stopped=$(grep -n "API server stopped" "$OUT" | head -1 | cut -d: -f1)
[ -n "$reaped" ] && [ -n "$stopped" ] && [ "$reaped" -lt "$stopped" ] || fail "API server stopped before the plugin was reaped"

if pgrep -f "examples/plugins/demo/plugin.py" >/dev/null; then
  fail "a demo plugin process is still running"
fi
echo "41-plugin-demo: ok"
