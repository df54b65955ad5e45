#!/usr/bin/env bash
# Makes the throwaway certificates the TLS tests use, with the `openssl` command, into DIR:
#   ca.pem / ca.key                  the test CA
#   server.pem / server.key          signed by the CA; SAN localhost, 127.0.0.1, ::1 (CN=server)
#   server2.pem / server2.key        the same names, CN=server-reloaded (certificate reload tests)
#   client.pem / client.key          signed by the CA; SAN DNS client.test, URI spiffe://test/client (CN=client)
#   wrongname.pem / wrongname.key    signed by the CA; SAN wrong.example only
#   other-ca.pem, untrusted.pem / untrusted.key   a second CA nobody trusts, and a server cert from it
# Keys are P-256 (fast to make), readable by the owner only; certificates last two days.
set -euo pipefail
dir=${1:?usage: make-test-certificates.sh DIR}
mkdir -p "$dir"
cd "$dir"
umask 077

new_ca() { # NAME CN
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -keyout "$1.key" -out "$1.pem" -subj "/CN=$2" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}

new_leaf() { # NAME CN SAN CA USAGE
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$1.key" -out "$1.csr" -subj "/O=swift-wire-rpc tests/CN=$2" 2>/dev/null
  printf 'subjectAltName=%s\nextendedKeyUsage=%s\nbasicConstraints=CA:FALSE\n' "$3" "$5" >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$4.pem" -CAkey "$4.key" -set_serial "0x$(openssl rand -hex 8)" \
    -days 2 -extfile "$1.ext" -out "$1.pem" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}

new_ca ca "swift-wire-rpc test CA"
new_ca other-ca "untrusted test CA"
new_leaf server server "DNS:localhost,IP:127.0.0.1,IP:::1" ca serverAuth
new_leaf server2 server-reloaded "DNS:localhost,IP:127.0.0.1,IP:::1" ca serverAuth
new_leaf client client "DNS:client.test,URI:spiffe://test/client" ca clientAuth
new_leaf wrongname wrongname "DNS:wrong.example" ca serverAuth
new_leaf untrusted untrusted "DNS:localhost,IP:127.0.0.1,IP:::1" other-ca serverAuth
chmod 0644 ./*.pem
