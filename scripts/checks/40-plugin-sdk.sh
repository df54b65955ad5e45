#!/usr/bin/env bash
# The Python plugin SDK against real plugin processes and a real grpcio PluginAPI server:
# handshake, magic cookie, hooks, ServeHTTP with 1 MiB, the per-launch secret, and exits
# on the Shutdown request, stdin closing and SIGTERM. Every wait inside is bounded; the
# outer timeout bounds the whole check.
set -euo pipefail
cd "$(dirname "$0")/../.."
timeout 300 python3 -W error::ResourceWarning -m unittest discover -s python/tests -v
