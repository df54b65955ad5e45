#!/usr/bin/env bash
# gRPC interop over TLS: the 18 standard interop cases (grpc.testing.TestService) in the three
# pairings with grpcio, first with server-authenticated TLS, then with mutual TLS:
#   swift client  -> swift server
#   swift client  -> python server   (our Channel against grpcio's ssl_server_credentials)
#   python client -> swift server    (grpcio's ssl_channel_credentials against our Server)
# The clients connect to 127.0.0.1 and verify the server's certificate as "localhost"
# (--server_host_override). Certificates are made for this run by the openssl command
# (scripts/make-test-certificates.sh) and removed with the temp dir. Each server listens on a
# free port; every wait is bounded; every process this script starts is stopped on exit
# (scripts/lib/interop.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
trap 'echo "interop-tls: command failed (line $LINENO): $BASH_COMMAND" >&2' ERR
INTEROP_LABEL=interop-tls
source scripts/lib/interop.sh

certs="$work_dir/certs"
scripts/make-test-certificates.sh "$certs"

build_interop_peers

for mutual in no yes; do
  server_args=(--use_tls=true --cert_file "$certs/server.pem" --key_file "$certs/server.key")
  client_args=(--use_tls=true --ca_file "$certs/ca.pem" --server_host_override localhost)
  suffix=tls
  if [ "$mutual" = yes ]; then
    server_args+=(--client_ca_file "$certs/ca.pem")
    client_args+=(--client_cert_file "$certs/client.pem" --client_key_file "$certs/client.key")
    suffix=mtls
  fi
  run_pairing "swift-client-vs-swift-server-$suffix" swift swift
  run_pairing "swift-client-vs-python-server-$suffix" python swift
  run_pairing "python-client-vs-swift-server-$suffix" swift python
done

report_pairings
