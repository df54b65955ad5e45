#!/usr/bin/env bash
# Regenerates Sources/BenchSwiftProtobufMessages from Protos/bench with swift-protobuf's
# protoc-gen-swift 1.39, built in a scratch package outside the tree (about 1-10 min).
# The output is committed; run this only when Protos/bench changes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
scratch="${SCRATCH:-${TMPDIR:-/tmp}/bench-protoc-gen-swift}"
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
plugin="$(cd "$scratch" && swift build -c release --show-bin-path)/protoc-gen-swift"
out="$here/Sources/BenchSwiftProtobufMessages"
rm -f "$out"/*.pb.swift
(cd "$here/../Protos/bench" && protoc -I. --plugin=protoc-gen-swift="$plugin" \
  --swift_out=Visibility=Public:"$out" ./*.proto)
echo "regenerated $out"
