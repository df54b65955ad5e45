#!/usr/bin/env bash
# Profiles one `bench wire` loop with callgrind (instruction counts, so a busy machine does
# not skew it) and prints the loop's total and the top of the inclusive profile:
#   Benchmarks/profile-wire.sh CASE encode|decode [wire|swift-protobuf|cpp] [PASSES]
# It runs `wire-profile` (a synchronous main: valgrind cannot follow `bench`'s async main).
# Only the loop is collected, so set-up (building the dataset, decoding it for the encode loop)
# is not in the numbers. Divide the total by PASSES x records for instructions per message.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
case_name="${1:?case: small|post|wide|tree|maps|ascii|string|packed|repeated|bytes|mixed}"
op="${2:?op: encode|decode}"
side="${3:-wire}"
passes="${4:-20}"
out="${TMPDIR:-/tmp}/callgrind.$case_name.$op.$side"
# A fixed `Hasher` seed: otherwise shapes with `String` keys move by up to ~1 % from run to run.
export SWIFT_DETERMINISTIC_HASHING=1
swift build -c release --package-path "$here" --product wire-profile >/dev/null
timeout 900 valgrind --tool=callgrind --callgrind-out-file="$out" --collect-atstart=no \
  --toggle-collect='*SideO10encodeLoop*' --toggle-collect='*SideO10decodeLoop*' \
  --toggle-collect='cpb_encode_passes' --toggle-collect='cpb_decode_passes' \
  "$here/.build/release/wire-profile" "$case_name" "$op" "$side" "$passes"
callgrind_annotate --inclusive=yes "$out" 2>/dev/null | swift demangle --simplified | head -70
echo "full profile: $out (callgrind_annotate --inclusive=yes $out | swift demangle --simplified)"
