// swift-tools-version:6.1
import PackageDescription

// A package that uses swift-wire-rpc the way the README's "Use it in your package" shows: the
// WireProtocPlugin build tool plugin compiles the .proto files in Sources/orders.
// scripts/checks/07-wire-in-your-package.sh builds and runs it from a temporary folder in
// which `swift-wire-rpc` links to this repository: a path dependency's package identity is
// its folder's name.
let package = Package(
    name: "wire-in-your-package",
    dependencies: [
        .package(path: "../swift-wire-rpc"),
    ],
    targets: [
        .executableTarget(
            name: "orders",
            dependencies: [
                .product(name: "Wire", package: "swift-wire-rpc"),
                .product(name: "RPC", package: "swift-wire-rpc"),
            ],
            plugins: [.plugin(name: "WireProtocPlugin", package: "swift-wire-rpc")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
