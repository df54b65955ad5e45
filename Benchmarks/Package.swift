// swift-tools-version:6.1
import PackageDescription

// The `bench` tool lives in its own package so that the library never depends on the
// peers it is measured against (apple/swift-protobuf here; grpc-swift 2 later).
let package = Package(
    name: "Benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // Named explicitly: a path dependency is otherwise known by its folder name (main, a worktree, a CI clone).
        .package(name: "swift-wire-rpc", path: ".."),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
    ],
    targets: [
        // Protos/*.proto compiled by protoc-gen-wire (scripts/generate.sh; Benchmarks/regenerate.sh).
        .target(
            name: "BenchWireMessages",
            dependencies: [.product(name: "Wire", package: "swift-wire-rpc")]
        ),
        // Protos/*.proto compiled by swift-protobuf's protoc-gen-swift (regenerate.sh).
        .target(
            name: "BenchSwiftProtobufMessages",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        // grpc.testing.BenchmarkService messages compiled by protoc-gen-wire (scripts/generate.sh).
        .target(
            name: "BenchRPCMessages",
            dependencies: [.product(name: "Wire", package: "swift-wire-rpc")]
        ),
        // `bench serve`, `bench load`, `bench rpc`: the BenchmarkService on our Server, the load
        // generator on our Channel, the latency histogram, the loopback suite.
        .target(
            name: "RPCBenchSuite",
            dependencies: [
                "BenchSupport", "BenchRPCMessages", "CBenchAffinity", "CBenchHeap",
                .product(name: "RPC", package: "swift-wire-rpc"),
                .product(name: "Wire", package: "swift-wire-rpc"),
            ]
        ),
        // sched_setaffinity/sched_getaffinity for pinning (Swift's Glibc module lacks them).
        .target(name: "CBenchAffinity"),
        // mallinfo2/malloc_trim for `bench soak` and `bench serve` (Swift's Glibc module lacks <malloc.h>).
        .target(name: "CBenchHeap"),
        // Debian's libprotobuf 3.21 (apt libprotobuf-dev, installed by scripts/setup.sh).
        .systemLibrary(name: "CLibProtobuf", pkgConfig: "protobuf", providers: [.apt(["libprotobuf-dev"])]),
        // `bench wire`'s C++ column: Protos/*.proto compiled by protoc --cpp_out (regenerate.sh) with
        // the decode/encode loops and the seeded datasets, behind a C interface. -O2, no arena.
        // DWARF 4: Debian's valgrind 3.19 gives up on the DWARF 5 clang writes by default here.
        .target(
            name: "CppProtobufBench",
            dependencies: ["CLibProtobuf"],
            cxxSettings: [.headerSearchPath("generated"), .define("NDEBUG"), .unsafeFlags(["-O2", "-gdwarf-4"])]
        ),
        // Timing loop, text table and JSON writer shared by every suite.
        .target(name: "BenchSupport"),
        // `bench wire`: fixtures, both sides' loops, the memcpy baseline, the report.
        .target(
            name: "WireBenchSuite",
            dependencies: [
                "BenchSupport", "BenchWireMessages", "BenchSwiftProtobufMessages", "CppProtobufBench",
                .product(name: "Wire", package: "swift-wire-rpc"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        // The `bench` command: one subcommand per suite (Sources/bench/<Suite>/).
        .executableTarget(
            name: "bench",
            dependencies: [
                "BenchSupport", "WireBenchSuite", "RPCBenchSuite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // `bench plugin` (Sources/bench/Plugin): the root package's plugin benchmark.
                .product(name: "PluginHostBench", package: "swift-wire-rpc"),
            ]
        ),
        // bench serve/load's pieces against a real loopback server (not in CI: `swift test --package-path Benchmarks`).
        .testTarget(
            name: "RPCBenchSuiteTests",
            dependencies: ["RPCBenchSuite", "BenchRPCMessages", .product(name: "RPC", package: "swift-wire-rpc")]
        ),
        // bench wire's datasets and cross-check in the three runtimes (not in CI:
        // `swift test --package-path Benchmarks --filter WireBenchSuiteTests`).
        .testTarget(name: "WireBenchSuiteTests", dependencies: ["WireBenchSuite"]),
        // One suite loop with a synchronous main, for valgrind/callgrind (profile-wire.sh).
        .executableTarget(name: "wire-profile", dependencies: ["WireBenchSuite"]),
        // `bench serve` with a synchronous main, for valgrind (profile-rpc.sh).
        .executableTarget(
            name: "rpc-profile",
            dependencies: ["RPCBenchSuite", .product(name: "RPC", package: "swift-wire-rpc")]
        ),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)
