# Shared by the scripts that run our client against the gRPC C++ peers (source it after
# `set -euo pipefail`): a temporary work folder removed on exit together with the server the
# script started (`server_pid`), and the C++ peers' binaries.

# Makes `work` (a fresh temporary folder named after $1) and removes it, and stops
# `server_pid` if set, when the script exits.
peers_work_folder() {
  work="$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")"
  server_pid=
  trap peers_cleanup EXIT
}

peers_cleanup() {
  if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}

# Sets `cpp` to the folder holding bench_server and bench_client: $PEERS_BUILD's when given (a
# copy of the peers already built), else a build of $1/cpp made in a copy under `work`, so the
# peers folder stays untouched.
peers_cpp_binaries() {
  if [[ -n ${PEERS_BUILD:-} ]]; then
    cpp="$PEERS_BUILD/cpp/.build"
    return
  fi
  cp -r "$1/cpp" "$work/cpp"
  rm -rf "$work/cpp/.build"
  echo "building the C++ peers..." >&2
  make -C "$work/cpp" -j2 >"$work/make.log" 2>&1 || { cat "$work/make.log" >&2; exit 1; }
  cpp="$work/cpp/.build"
}
