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
        .executable(name: "protoc-gen-wire", targets: ["protoc-gen-wire"]),
    ],
    dependencies: [],
    targets: [
        .systemLibrary(
            name: "CNGHTTP2",
            pkgConfig: "libnghttp2",
            providers: [.apt(["libnghttp2-dev"])]
        ),
        .target(name: "Wire"),
        .target(name: "WireGen", dependencies: ["Wire"]),
        .executableTarget(name: "protoc-gen-wire", dependencies: ["WireGen", "Wire"]),
        .testTarget(name: "CNGHTTP2Tests", dependencies: ["CNGHTTP2"]),
        .testTarget(name: "WireTests", dependencies: ["Wire"]),
        .testTarget(name: "WireGenTests", dependencies: ["WireGen", "Wire"]),
    ],
    swiftLanguageModes: [.v6]
)
