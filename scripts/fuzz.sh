#!/usr/bin/env bash
# Runs one libFuzzer target for SECONDS from its committed seed corpus:
#
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer options...]
#
# TARGET is wire-decode, server-connection or client-connection (Tests/Fuzz/README.md). The
# target is built with -sanitize=fuzzer,address into .build-fuzz/. Inputs the run finds go to a
# temporary folder (removed on exit) unless FUZZ_CORPUS_OUT names one to keep; the committed
# corpus is only read. A crash or a sanitizer report stops the run, writes the input to
# .build-fuzz/artifacts/TARGET/ and makes the script fail. The last line sums the run up:
# executions, exec/s and libFuzzer's coverage (cov: edges, ft: features).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 2 ]; then
  echo "usage: scripts/fuzz.sh wire-decode|server-connection|client-connection SECONDS [libFuzzer options...]" >&2
  exit 2
fi
target="$1"
seconds="$2"
shift 2
case "$target" in
  wire-decode|server-connection|client-connection) ;;
  *) echo "fuzz: unknown target '$target'" >&2; exit 2 ;;
esac

scratch=.build-fuzz
echo "fuzz: building fuzz-$target (-sanitize=fuzzer,address)"
swift build --product "fuzz-$target" --scratch-path "$scratch" \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING 2>&1 | grep -v "Cannot export local symbol" || true
binary="$(swift build --scratch-path "$scratch" --show-bin-path)/fuzz-$target"
[ -x "$binary" ] || { echo "fuzz: the build did not produce $binary" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/fuzz-$target.XXXXXX")"
trap 'rm -rf "$work"' EXIT
corpus_out="${FUZZ_CORPUS_OUT:-$work/corpus}"
artifacts="$scratch/artifacts/$target"
mkdir -p "$corpus_out" "$artifacts"

# -timeout: one input may take at most 30 s (the harnesses bound their own waits at ~12 s).
# -rss_limit_mb: memory a hostile input makes the process hold is a finding too.
export LSAN_OPTIONS="suppressions=$PWD/Tests/Fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
set +e
TMPDIR="$work" timeout $((seconds + 120)) "$binary" "$corpus_out" "Tests/Fuzz/Corpus/$target" \
  -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$artifacts/" "$@" >"$work/log" 2>&1
status=$?
set -e
grep -E "^#[0-9]+[[:space:]]+(INITED|DONE)|ERROR|Fatal error|SUMMARY|artifact|^stat::" "$work/log" || true
if [ $status -ne 0 ]; then
  tail -n 60 "$work/log" | grep -v "^#"
  echo "fuzz: $target FAILED (exit $status); the input is in $artifacts/"
  exit 1
fi
done_line="$(grep -E "^#[0-9]+[[:space:]]+DONE" "$work/log" | tail -n 1)"
echo "fuzz: $target passed ${seconds}s: ${done_line}"
