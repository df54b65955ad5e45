#!/usr/bin/env bash
# Installs what the build, the tests and the demo need on a fresh Debian 12 machine.
# Idempotent: installs only what is missing, so a second run is quick and changes nothing.
set -euo pipefail

APT_PACKAGES=(libnghttp2-dev protobuf-compiler libprotobuf-dev libprotoc-dev zlib1g-dev grpc-proto nghttp2-client pkg-config libsqlite3-dev util-linux time)
PIP_PACKAGES=(grpcio grpcio-tools protobuf)

missing_apt=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing_apt+=("$package")
done
if ((${#missing_apt[@]})); then
  echo "setup: installing apt packages: ${missing_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing_apt[@]}" >/dev/null
fi

missing_pip=()
for package in "${PIP_PACKAGES[@]}"; do
  python3 -m pip show -q "$package" >/dev/null 2>&1 || missing_pip+=("$package")
done
if ((${#missing_pip[@]})); then
  echo "setup: installing pip packages: ${missing_pip[*]}"
  python3 -m pip install -q "${missing_pip[@]}"
fi

# Python stubs for the plugin SDK (git-ignored; regenerated only when the protos change).
(cd "$(dirname "$0")/../python" && python3 -c "from mattermost_plugin._codegen import ensure_stubs; ensure_stubs()")
