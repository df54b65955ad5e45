#!/usr/bin/env bash
# Regenerates ALL committed generated code from .proto files: Swift with protoc-gen-wire, and
# the Python SDK's stubs (python/mattermost_plugin/_generated) with grpcio-tools.
# Each row of GENERATED is: "<output dir>|<proto include dir>|<wire_opt>|<proto files...>".
# Files with services also get `Name.rpc.swift` (service stubs, which need module RPC) unless the
# row says Services=false.
# Add a row for new generated code; scripts/checks/05-wire-bootstrap.sh fails if running
# this script changes anything that is committed.
set -euo pipefail
cd "$(dirname "$0")/.."

PROTOBUF_INCLUDE=/usr/include  # libprotoc-dev / libprotobuf-dev: google/protobuf/*.proto

GENERATED=(
  # protoc-gen-wire's own request/response types (the bootstrap).
  "Sources/WireGen/Generated|$PROTOBUF_INCLUDE|Visibility=Public,FileNaming=DropPath,Comments=false|google/protobuf/descriptor.proto google/protobuf/compiler/plugin.proto"
  # (Comments=false: Google's documentation prose stays in their .proto files, not in our tree.)
  # Well-known types, compiled into module Wire itself (so no `import Wire`).
  "Sources/Wire/WellKnownTypes|$PROTOBUF_INCLUDE|Visibility=Public,FileNaming=DropPath,ImportWire=false,Comments=false|google/protobuf/any.proto google/protobuf/timestamp.proto google/protobuf/duration.proto google/protobuf/struct.proto google/protobuf/wrappers.proto google/protobuf/empty.proto google/protobuf/field_mask.proto"
  # WireGenTests fixtures: every feature of the generator, round-tripped in tests.
  "Tests/WireGenTests/Generated|Protos/wiretest|Visibility=Internal,FileNaming=DropPath|proto3_features.proto proto2_features.proto names.proto wide.proto"
  # gRPC interop messages and TestService stubs, from Debian's grpc-proto (never copied into the repo;
  # Comments=false keeps its documentation prose out of our tree too).
  "Sources/InteropTesting/Generated|/usr/share/grpc-proto|Visibility=Public,FileNaming=DropPath,Comments=false|grpc/testing/empty.proto grpc/testing/messages.proto grpc/testing/test.proto"
  # PluginHost: the plugin hooks and plugin API messages and service stubs.
  "Sources/PluginHost/Generated|Protos|Visibility=Public,FileNaming=DropPath|mattermost/pluginapi/v1/common.proto mattermost/pluginapi/v1/hooks.proto mattermost/pluginapi/v1/api.proto"
  # Oracle cross-check schemas (scripts/checks/10-wire-oracle.sh, the wire-oracle tool) with every field kind,
  # also decoded by the fuzz-wire-decode fuzz target.
  "Tests/OracleMessages/Generated|Protos/test|Visibility=Public,FileNaming=DropPath|oracle3.proto oracle2.proto"
  # bench wire's messages (the Benchmarks package; swift-protobuf's side: Benchmarks/regenerate-swift-protobuf.sh).
  "Benchmarks/Sources/BenchWireMessages|Benchmarks/Protos|Visibility=Public,FileNaming=DropPath|bench.proto shapes.proto shapes_proto2.proto"
  # bench serve/load/rpc: grpc.testing.BenchmarkService messages (apt grpc-proto; the Benchmarks package;
  # messages only: BenchRPCMessages depends on Wire alone, RPCBenchSuite builds its method table itself).
  "Benchmarks/Sources/BenchRPCMessages|/usr/share/grpc-proto|Visibility=Public,FileNaming=DropPath,Services=false|grpc/testing/benchmark_service.proto grpc/testing/messages.proto"
  # RPC's ready-made grpc.health.v1.Health service (apt grpc-proto), compiled into module RPC.
  "Sources/RPC/Health/Generated|/usr/share/grpc-proto|Visibility=Public,FileNaming=DropPath,ImportRPC=false,Comments=false|grpc/health/v1/health.proto"
  # RPC's ready-made server reflection service (grpc.reflection.v1 and v1alpha), compiled into module RPC.
  # (PathToUnderscores: both files are called reflection.proto, and one module cannot hold two same-named files.)
  "Sources/RPC/Reflection/Generated|/usr/share/grpc-proto|Visibility=Public,FileNaming=PathToUnderscores,ImportRPC=false,Comments=false|grpc/reflection/v1/reflection.proto grpc/reflection/v1alpha/reflection.proto"
  # ServiceStubTests: generated service stubs end to end (one RPC of each kind, an unhosted service).
  "Tests/ServiceStubTests/Generated|Protos/stubtest|Visibility=Internal,FileNaming=DropPath|echo.proto"
)

echo "generate: building protoc-gen-wire"
swift build --product protoc-gen-wire >/dev/null
PLUGIN="$(swift build --product protoc-gen-wire --show-bin-path)/protoc-gen-wire"

for row in "${GENERATED[@]}"; do
  IFS='|' read -r out_dir include_dir options protos <<<"$row"
  echo "generate: $out_dir <- $protos"
  tmp="$(mktemp -d)"
  # shellcheck disable=SC2086
  protoc --plugin=protoc-gen-wire="$PLUGIN" -I "$include_dir" -I "$PROTOBUF_INCLUDE" --wire_out="$tmp" --wire_opt="$options" $protos
  # Sync the directory with the fresh output: a file is written only when its content changed (a
  # rewritten file with the same content would still make a concurrent build of its module start
  # over), and generated files no proto produces any more are deleted.
  mkdir -p "$out_dir"
  for generated in "$out_dir"/*.wire.swift "$out_dir"/*.rpc.swift; do
    if [[ -e "$generated" && ! -e "$tmp/$(basename "$generated")" ]]; then rm -f "$generated"; fi
  done
  for fresh in "$tmp"/*.swift; do
    target="$out_dir/$(basename "$fresh")"
    if ! cmp -s "$fresh" "$target"; then cp "$fresh" "$target"; fi
  done
  rm -rf "$tmp"
done
# The Python plugin SDK's protobuf and gRPC modules (grpcio-tools; see the script).
python3 scripts/generate-python-stubs.py
echo "generate: done"
