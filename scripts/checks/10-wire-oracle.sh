#!/usr/bin/env bash
# Cross-checks Wire's generated code against Python's protobuf runtime (the oracle), both
# directions, on seeded random messages plus hand-made non-canonical and malformed inputs.
# Everything it writes goes to a temporary folder that is removed on exit; every step is
# bounded by `timeout`.
set -euo pipefail
cd "$(dirname "$0")/../.."

work="$(mktemp -d "${TMPDIR:-/tmp}/wire-oracle.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "wire-oracle: building"
timeout 1200 swift build --product wire-oracle
tool="$(swift build --show-bin-path)/wire-oracle"

timeout 900 python3 Tests/WireOracle/python/oracle.py \
  --tool "$tool" --protos Protos/test --workdir "$work" \
  --seed "${WIRE_ORACLE_SEED:-20261125}" --count "${WIRE_ORACLE_COUNT:-3000}" --timeout 300
