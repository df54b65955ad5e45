#!/usr/bin/env bash
# Profiles one `bench wire` loop with callgrind (instruction counts, so a busy machine does
# not skew it) and prints the top of the inclusive profile:
#   Benchmarks/profile-wire.sh CASE encode|decode [wire|swift-protobuf] [ITERATIONS]
# It runs `wire-profile` (a synchronous main: valgrind cannot follow `bench`'s async main).
# Only the loop is collected, so set-up (building the fixtures) is not in the numbers.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
case_name="${1:?case: small|post|bytes|string|ascii|repeated}"
op="${2:?op: encode|decode}"
side="${3:-wire}"
iterations="${4:-2000}"
out="${TMPDIR:-/tmp}/callgrind.$case_name.$op.$side"
swift build -c release --package-path "$here" --product wire-profile >/dev/null
timeout 600 valgrind --tool=callgrind --callgrind-out-file="$out" --collect-atstart=no \
  --toggle-collect='*SideO10encodeLoop*' --toggle-collect='*SideO10decodeLoop*' \
  "$here/.build/release/wire-profile" "$case_name" "$op" "$side" "$iterations"
callgrind_annotate --inclusive=yes "$out" 2>/dev/null | swift demangle --simplified | head -70
echo "full profile: $out (callgrind_annotate --inclusive=yes $out | swift demangle --simplified)"
