#!/usr/bin/env bash
# Installs what the build, the tests and the demo need on a fresh Debian 12 machine
# (libcurl4: FoundationNetworking, the demo host's HTTP client).
# Idempotent: installs only what is missing, so a second run is quick and changes nothing.
set -euo pipefail

APT_PACKAGES=(libnghttp2-dev libssl-dev openssl protobuf-compiler libprotobuf-dev libprotoc-dev zlib1g-dev grpc-proto nghttp2-client nghttp2-proxy pkg-config libsqlite3-dev util-linux time libcurl4)
# grpcio-tools generates the SDK's committed Python stubs (scripts/generate-python-stubs.py) and
# stamps its version into them, so CI regenerates with exactly this one to detect drift;
# python/pyproject.toml's dependency floors follow from it.
PIP_PACKAGES=(grpcio protobuf "grpcio-tools==1.85.4")

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

# pip_installed NAME or NAME==VERSION: installed (at exactly that version, when one is given).
pip_installed() {
  local name=${1%%==*} wanted=${1#*==} version
  version="$(python3 -c 'import importlib.metadata, sys; print(importlib.metadata.version(sys.argv[1]))' "$name" 2>/dev/null)" || return 1
  [ "$wanted" = "$1" ] || [ "$version" = "$wanted" ]
}
missing_pip=()
for package in "${PIP_PACKAGES[@]}"; do
  pip_installed "$package" || missing_pip+=("$package")
done
if ((${#missing_pip[@]})); then
  echo "setup: installing pip packages: ${missing_pip[*]}"
  python3 -m pip install -q "${missing_pip[@]}"
fi

# The plugin SDK check (scripts/checks/40-plugin-sdk.sh) installs the SDK into a fresh venv:
# Debian's python3 needs python3-venv for `python3 -m venv` to bring pip along.
if ! python3 -c "import venv, ensurepip" >/dev/null 2>&1; then
  echo "setup: installing python3-venv"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
fi
