#!/usr/bin/env bash
# gRPC interop: runs the 18 standard interop cases (grpc.testing.TestService) across peers.
#   python client -> python server   (proves the Python peers themselves)
#   swift client  -> python server   (our Channel against grpcio)
#   python client -> swift server    (grpcio against our Server)
#   swift client  -> swift server
# Each server listens on a free 127.0.0.1 port; every wait is bounded; every process this
# script starts is stopped on exit (scripts/lib/interop.sh). Exits non-zero if any case
# fails in any pairing.
set -euo pipefail
cd "$(dirname "$0")/../.."
trap 'echo "interop: command failed (line $LINENO): $BASH_COMMAND" >&2' ERR
INTEROP_LABEL=interop
source scripts/lib/interop.sh

build_interop_peers

run_pairing python-client-vs-python-server python python
run_pairing swift-client-vs-python-server python swift
run_pairing python-client-vs-swift-server swift python
run_pairing swift-client-vs-swift-server swift swift

report_pairings
