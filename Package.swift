// swift-tools-version:6.1
import PackageDescription

// Dependency direction (DESIGN.md): Wire <- WireGen <- protoc-gen-wire;
// Wire + CNGHTTP2 <- RPC <- PluginHost <- executables. Never the other way.
let package = Package(
    name: "swift-wire-rpc",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Wire", targets: ["Wire"]),
        .library(name: "WireGen", targets: ["WireGen"]),
        .library(name: "RPC", targets: ["RPC"]),
        .library(name: "PluginHost", targets: ["PluginHost"]),
        .executable(name: "protoc-gen-wire", targets: ["protoc-gen-wire"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
    ],
    targets: [
        // System libraries (Debian: libnghttp2-dev, zlib1g-dev).
        .systemLibrary(name: "CNGHTTP2", pkgConfig: "libnghttp2", providers: [.apt(["libnghttp2-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // Protobuf runtime and code generator.
        .target(name: "Wire"),
        .target(name: "WireGen", dependencies: ["Wire"]),
        .executableTarget(name: "protoc-gen-wire", dependencies: ["WireGen", "Wire"]),

        // gRPC over HTTP/2.
        .target(
            name: "RPC",
            dependencies: [
                "Wire", "CNGHTTP2", "CZlib",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // Out-of-process plugin host.
        .target(
            name: "PluginHost",
            dependencies: ["RPC", "Wire", .product(name: "Logging", package: "swift-log")]
        ),

        // Oracle cross-check tool driven by scripts/checks/10-wire-oracle.sh (python/ is its other half).
        .executableTarget(name: "wire-oracle", dependencies: ["Wire"], path: "Tests/WireOracle", exclude: ["python"]),

        .testTarget(name: "CNGHTTP2Tests", dependencies: ["CNGHTTP2"]),
        .testTarget(name: "WireTests", dependencies: ["Wire"]),
        .testTarget(name: "WireGenTests", dependencies: ["WireGen", "Wire"]),
        .testTarget(name: "RPCTests", dependencies: ["RPC", "Wire"]),
        .testTarget(name: "PluginHostTests", dependencies: ["PluginHost", "RPC", "Wire"]),
    ],
    swiftLanguageModes: [.v6]
)
