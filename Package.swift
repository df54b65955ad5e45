// swift-tools-version:6.1
import PackageDescription

// Dependency direction (DESIGN.md): Wire <- WireGen <- protoc-gen-wire;
// Wire + CNGHTTP2 + COpenSSL <- RPC <- PluginHost <- executables. Never the other way.
// RPC + swift-metrics + swift-distributed-tracing <- RPCObservability <- plugin-host (opt-in; RPC and PluginHost know
// nothing of it).
let package = Package(
    name: "swift-wire-rpc",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Wire", targets: ["Wire"]),
        .library(name: "WireGen", targets: ["WireGen"]),
        .library(name: "RPC", targets: ["RPC"]),
        .library(name: "PluginHost", targets: ["PluginHost"]),
        // Metrics and tracing interceptors for servers and channels (opt-in).
        .library(name: "RPCObservability", targets: ["RPCObservability"]),
        // The plugin benchmark, shared by `plugin-host bench` and the Benchmarks package's `bench plugin`.
        .library(name: "PluginHostBench", targets: ["PluginHostBench"]),
        .executable(name: "protoc-gen-wire", targets: ["protoc-gen-wire"]),
        // Build tool plugin: protoc + protoc-gen-wire over a target's .proto files (README: "Use it in your package").
        .plugin(name: "WireProtocPlugin", targets: ["WireProtocPlugin"]),
        .executable(name: "plugin-host", targets: ["plugin-host"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        // SHA-256 and Ed25519 for plugin bundles (PluginHost only).
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        // Per-plugin metrics (PluginHost records through swift-metrics; the demo exposes Prometheus text).
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // RPCObservability's tracing interceptors; the W3C parser only in tests (their tracer).
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/swift-otel/swift-w3c-trace-context.git", from: "1.0.0"),
        // The demo host's HTTP server (plugin-host only; the libraries stay free of it).
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    ],
    targets: [
        // System libraries (Debian: libnghttp2-dev, zlib1g-dev).
        .systemLibrary(name: "CNGHTTP2", pkgConfig: "libnghttp2", providers: [.apt(["libnghttp2-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // TLS (Debian: libssl-dev); the module's shim wraps the OpenSSL macros Swift cannot import.
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        // Linux headers Glibc does not export (epoll, eventfd); no library to link.
        .systemLibrary(name: "CRPCSystem"),

        // Protobuf runtime and code generator.
        .target(name: "Wire"),
        .target(name: "WireGen", dependencies: ["Wire"]),
        .executableTarget(name: "protoc-gen-wire", dependencies: ["WireGen", "Wire"]),
        .plugin(name: "WireProtocPlugin", capability: .buildTool(), dependencies: ["protoc-gen-wire"]),

        // gRPC over HTTP/2.
        .target(
            name: "RPC",
            dependencies: [
                "Wire", "CNGHTTP2", "CZlib", "CRPCSystem", "COpenSSL",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // Metrics (swift-metrics) and tracing (swift-distributed-tracing) interceptors.
        .target(
            name: "RPCObservability",
            dependencies: [
                "RPC", .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),

        // Out-of-process plugin host.
        .target(name: "CPluginHostShims"),
        .target(
            name: "PluginHost",
            dependencies: [
                "RPC", "Wire", "CPluginHostShims", "CZlib", .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),

        // The demo host application (plugin-host): a SQLite-backed PluginAPI implementation.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(
            name: "PluginHostDemo",
            dependencies: ["PluginHost", "CSQLite", .product(name: "Logging", package: "swift-log")]
        ),
        // Activate-to-ready and hook/API round trips with a real Python plugin, next to plain grpcio.
        .target(
            name: "PluginHostBench",
            dependencies: ["PluginHostDemo", "PluginHost", .product(name: "Logging", package: "swift-log")]
        ),
        .executableTarget(
            name: "plugin-host",
            dependencies: [
                "PluginHostDemo", "PluginHost", "PluginHostBench", "RPCObservability",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),

        // gRPC interop: grpc.testing messages (generated from Debian's grpc-proto), the
        // TestService and the standard client cases, shared by two thin executables.
        .target(name: "InteropTesting", dependencies: ["RPC", "Wire"]),
        .executableTarget(
            name: "interop-server",
            dependencies: ["InteropTesting", "RPC", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "Logging", package: "swift-log")]
        ),
        .executableTarget(
            name: "interop-client",
            dependencies: ["InteropTesting", "RPC", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        .testTarget(name: "InteropTests", dependencies: ["InteropTesting", "RPC", "Wire"], path: "Tests/Interop/Swift"),
        // The oracle schemas' generated messages (every field kind), shared by wire-oracle and the fuzzers.
        .target(name: "OracleMessages", dependencies: ["Wire"], path: "Tests/OracleMessages"),
        // Oracle cross-check tool driven by scripts/checks/10-wire-oracle.sh (python/ is its other half).
        .executableTarget(name: "wire-oracle", dependencies: ["Wire", "OracleMessages"], path: "Tests/WireOracle",
                          exclude: ["python"]),

        // libFuzzer targets (scripts/fuzz.sh builds them with -sanitize=fuzzer,address -DFUZZING, and their
        // main runs libFuzzer; a plain build makes each a replay tool that runs the inputs it is given once).
        // FuzzHarnesses holds what one input does, so FuzzCorpusTests replays the committed corpus too.
        .target(name: "FuzzHarnesses", dependencies: ["Wire", "OracleMessages", "RPC", "InteropTesting", "CLibFuzzer"],
                path: "Tests/Fuzz/Harnesses"),
        // LLVMFuzzerRunDriver's declaration (SwiftPM links every executable with its own main).
        .systemLibrary(name: "CLibFuzzer", path: "Tests/Fuzz/CLibFuzzer"),
        .executableTarget(name: "fuzz-wire-decode", dependencies: ["FuzzHarnesses"], path: "Tests/Fuzz/Targets/WireDecode"),
        .executableTarget(name: "fuzz-server-connection", dependencies: ["FuzzHarnesses"],
                          path: "Tests/Fuzz/Targets/ServerConnection"),
        .executableTarget(name: "fuzz-client-connection", dependencies: ["FuzzHarnesses"],
                          path: "Tests/Fuzz/Targets/ClientConnection"),
        .testTarget(name: "FuzzCorpusTests", dependencies: ["FuzzHarnesses", "Wire", "OracleMessages", "RPC"]),

        .testTarget(name: "CNGHTTP2Tests", dependencies: ["CNGHTTP2"]),
        .testTarget(name: "WireTests", dependencies: ["Wire"]),
        .testTarget(name: "WireGenTests", dependencies: ["WireGen", "Wire"]),
        // Generated service stubs end to end (Protos/stubtest) and the standard services.
        .testTarget(name: "ServiceStubTests", dependencies: ["RPC", "Wire"], exclude: ["python"]),
        .testTarget(name: "RPCTests", dependencies: ["RPC", "Wire", "CNGHTTP2", "CRPCSystem", "COpenSSL"]),
        // A W3C-propagating in-memory Tracer and a recording MetricsFactory, shared by the tests below.
        .target(
            name: "ObservabilityTestSupport",
            dependencies: [
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "W3CTraceContext", package: "swift-w3c-trace-context"),
            ],
            path: "Tests/ObservabilityTestSupport"
        ),
        .testTarget(
            name: "RPCObservabilityTests",
            dependencies: [
                "RPCObservability", "ObservabilityTestSupport", "RPC", "Wire",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            exclude: ["python"]
        ),
        .testTarget(
            name: "PluginHostTests",
            dependencies: [
                "PluginHost", "PluginHostDemo", "PluginHostBench", "RPC", "Wire", "RPCObservability", "ObservabilityTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
