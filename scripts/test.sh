#!/usr/bin/env bash
# The whole test suite: installs what is missing, runs every Swift test, then every
# cross-process check in scripts/checks/ (protobuf oracle, gRPC interop pairings,
# plugin end-to-end runs), in name order. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh

echo "== swift build (debug, all targets incl. tests)"
swift build --build-tests
echo "== swift test"
# A host secret the plugin-isolation tests check never reaches a plugin; set here, before
# any thread runs, because setenv during the tests races with processes being launched.
AWS_SECRET_ACCESS_KEY=host-only-aws-secret swift test --skip-build --parallel

for check in scripts/checks/*.sh; do
  [ -e "$check" ] || continue
  echo "== $check"
  bash "$check"
done
echo "all tests passed"
