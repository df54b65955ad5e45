#!/usr/bin/env bash
# The README's main job: installs what is missing, builds the demo plugin host and runs it
# against examples/plugins. The key-value store persists in .build/demo/kv.sqlite, so a
# second run shows the plugin's state surviving restarts (its activation counter grows).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
echo "== building plugin-host"
swift build --product plugin-host
BIN="$(swift build --show-bin-path)/plugin-host"
mkdir -p .build/demo
echo "== running: plugin-host --plugins examples/plugins --store .build/demo/kv.sqlite"
exec timeout 120 "$BIN" --plugins examples/plugins --store .build/demo/kv.sqlite "$@"
