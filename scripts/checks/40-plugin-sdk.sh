#!/usr/bin/env bash
# The Python plugin SDK, two ways:
# 1. its own tests: real plugin processes started like the host starts them (protocol v2:
#    credentials on descriptor 3, hooks on a Unix socket behind the hooks secret) against a
#    real grpcio PluginAPI server, plus MockPluginAPI and the credentials format;
# 2. as a plugin author uses it: a fresh venv inside a plugin folder outside the repository,
#    `python3 -m pip install ./python` into it, the demo plugin's own unit tests (MockPluginAPI)
#    in that venv, then the real `plugin-host` running the plugin on that venv's interpreter,
#    with no path into this repository: activation, hooks, API calls and an exit status of 0.
# Every step is bounded by `timeout`; everything written goes to a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo="$(pwd)"

fail() { echo "40-plugin-sdk: $*" >&2; exit 1; }

echo "40-plugin-sdk: SDK tests"
timeout 300 python3 -W error::ResourceWarning -m unittest discover -s python/tests -v

work="$(mktemp -d "${TMPDIR:-/tmp}/plugin-sdk-check.XXXXXX")"
# pip builds the SDK in python/build and python/*.egg-info (git-ignored); a stale build/ could
# smuggle deleted modules into the next install, so neither outlives the check.
cleanup() { rm -rf "$work" "$repo/python/build" "$repo"/python/*.egg-info; }
trap cleanup EXIT
rm -rf python/build python/*.egg-info

plugin="$work/plugins/demo"
mkdir -p "$plugin"
cp examples/plugins/demo/plugin.json examples/plugins/demo/plugin.py examples/plugins/demo/test_plugin.py "$plugin/"

echo "40-plugin-sdk: fresh venv in $plugin/venv, pip install ./python"
timeout 120 python3 -m venv "$plugin/venv"
timeout 600 "$plugin/venv/bin/python3" -m pip install --quiet --disable-pip-version-check ./python
# The installed package must be self-contained: no grpc_tools, nothing read from the repository.
if "$plugin/venv/bin/python3" -c "import grpc_tools" 2>/dev/null; then
  fail "grpc_tools is installed in the plugin's venv; the SDK must not need it"
fi

echo "40-plugin-sdk: the demo plugin's unit tests in its venv"
(cd "$plugin" && env -u PYTHONPATH timeout 60 venv/bin/python3 -m unittest -v test_plugin)

echo "40-plugin-sdk: building plugin-host"
timeout 1800 swift build --product plugin-host >/dev/null
host="$(swift build --show-bin-path)/plugin-host"

echo "40-plugin-sdk: plugin-host --plugins $work/plugins"
status=0
(cd "$work" && env -u PYTHONPATH timeout 120 "$host" --plugins "$work/plugins" --store "$work/kv.sqlite" \
  >"$work/out.txt" 2>"$work/err.txt") || status=$?
if ((status != 0)); then
  cat "$work/out.txt" "$work/err.txt" >&2
  fail "plugin-host exited with status $status"
fi

expect() { grep -qF -- "$1" "$work/out.txt" "$work/err.txt" || { cat "$work/out.txt" "$work/err.txt" >&2; fail "missing: $1"; }; }
expect "$plugin/venv/bin/python3 (the plugin's venv)"   # the host chose the plugin's own venv
expect "com.example.demo: active"                        # handshake on the Unix socket, OnActivate
expect "demo plugin activated activations=1"             # PluginAPI calls with the API secret
expect "stored post-1: \"Hello from the Swift plugin host (via @alice)\""   # MessageWillBePosted round trip
expect "rejected by com.example.demo: posts containing 'spam' are not allowed"
expect "GET /stats -> 200"                               # ServeHTTP
expect "com.example.demo stopped: exited with status 0"  # the Shutdown request ends it cleanly
echo "40-plugin-sdk: ok"
