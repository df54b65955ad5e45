#!/usr/bin/env bash
# The README's bench command: installs what is missing (scripts/setup.sh, among it Debian's
# libprotobuf-dev for `bench wire`'s C++ column), builds the Benchmarks package in release, then
# runs `bench` with the given arguments, e.g. `scripts/bench.sh wire`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
swift build -c release --package-path "$root/Benchmarks"
exec "$root/Benchmarks/.build/release/bench" "$@"
