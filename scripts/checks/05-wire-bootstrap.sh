#!/usr/bin/env bash
# protoc-gen-wire is built on its own output: regenerating all committed generated code
# (including the plugin's descriptor types) must reproduce the committed files exactly.
set -euo pipefail
cd "$(dirname "$0")/../.."

timeout 900 scripts/generate.sh
if ! git diff --exit-code --stat -- . ; then
  echo "05-wire-bootstrap: regenerated code differs from what is committed; run scripts/generate.sh and commit" >&2
  exit 1
fi
untracked="$(git ls-files --others --exclude-standard -- '*.wire.swift' '*.rpc.swift')"
if [ -n "$untracked" ]; then
  echo "05-wire-bootstrap: generate.sh produced files that are not committed:" >&2
  echo "$untracked" >&2
  exit 1
fi
echo "05-wire-bootstrap: generated code is up to date"
