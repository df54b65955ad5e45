#!/usr/bin/env bash
# Regenerates the code `bench wire` measures from Protos/*.proto, for all three runtimes. The output
# is committed (CI never runs swift-protobuf's plugin, nor protoc for C++); run this when a .proto
# under Benchmarks/Protos changes:
#   - Wire: scripts/generate.sh at the root (its BenchWireMessages row) -> Sources/BenchWireMessages
#   - swift-protobuf: protoc-gen-swift 1.39.0, built in a scratch package outside the tree (1-10 min)
#     -> Sources/BenchSwiftProtobufMessages
#   - C++: protoc --cpp_out (Debian protobuf-compiler 3.21.12; must match libprotobuf-dev 3.21)
#     -> Sources/CppProtobufBench/generated
#   Benchmarks/regenerate.sh [wire|swift-protobuf|cpp ...]   (default: all three)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
protos=(bench.proto shapes.proto shapes_proto2.proto)
targets=("$@")
((${#targets[@]})) || targets=(wire swift-protobuf cpp)

regenerate_wire() {
  "$here/../scripts/generate.sh"
}

regenerate_swift_protobuf() {
  local scratch="${SCRATCH:-${TMPDIR:-/tmp}/bench-protoc-gen-swift}"
  mkdir -p "$scratch/Dummy"
  cat > "$scratch/Package.swift" <<'PKG'
// swift-tools-version:6.1
import PackageDescription
let package = Package(
  name: "pgs",
  dependencies: [.package(url: "https://github.com/apple/swift-protobuf.git", exact: "1.39.0")],
  targets: [.target(name: "Dummy", path: "Dummy")]
)
PKG
  echo "public let unused = 1" > "$scratch/Dummy/x.swift"
  (cd "$scratch" && swift build -c release --product protoc-gen-swift)
  local plugin
  plugin="$(cd "$scratch" && swift build -c release --show-bin-path)/protoc-gen-swift"
  local out="$here/Sources/BenchSwiftProtobufMessages"
  rm -f "$out"/*.pb.swift
  (cd "$here/Protos" && protoc -I. --plugin=protoc-gen-swift="$plugin" \
    --swift_out=Visibility=Public:"$out" "${protos[@]}")
  echo "regenerated $out"
}

regenerate_cpp() {
  local version
  version="$(protoc --version)"
  [[ "$version" == "libprotoc 3.21."* ]] || { echo "regenerate: need protoc 3.21 (libprotobuf-dev 3.21), found $version" >&2; exit 1; }
  local out="$here/Sources/CppProtobufBench/generated"
  mkdir -p "$out"
  rm -f "$out"/*.pb.cc "$out"/*.pb.h
  (cd "$here/Protos" && protoc -I. --cpp_out="$out" "${protos[@]}")
  echo "regenerated $out"
}

for target in "${targets[@]}"; do
  case "$target" in
    wire) regenerate_wire ;;
    swift-protobuf) regenerate_swift_protobuf ;;
    cpp) regenerate_cpp ;;
    *) echo "usage: $0 [wire|swift-protobuf|cpp ...]" >&2; exit 2 ;;
  esac
done
