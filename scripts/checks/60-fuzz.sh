#!/usr/bin/env bash
# Runs each libFuzzer target briefly (FUZZ_SECONDS, default 20 s) from its committed seed
# corpus, built with -sanitize=fuzzer,address (scripts/fuzz.sh). Fails on any crash, sanitizer
# report or leak. The sanitizer build of the package takes about 4 minutes on 2 cores the first
# time (.build-fuzz/ is kept between runs); then each target only links.
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds="${FUZZ_SECONDS:-20}"
for target in wire-decode server-connection client-connection; do
  echo "== fuzz $target for ${seconds}s"
  timeout 1800 scripts/fuzz.sh "$target" "$seconds"
done
