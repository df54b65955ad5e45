import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import InteropTesting
import Logging
import RPC
import ServiceLifecycle

/// `interop-server --port P`: serves grpc.testing.TestService with the standard interop
/// semantics until SIGTERM or SIGINT, then shuts down gracefully.
@main
struct InteropServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interop-server",
        abstract: "Serves grpc.testing.TestService for gRPC interop tests.")

    @Option(help: "TCP port to listen on (0 picks a free one).")
    var port: Int

    @Option(help: "Address to bind: a numeric IPv4 or IPv6 address.")
    var host: String = "127.0.0.1"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0...65535") }
    }

    func run() async throws {
        var logger = Logger(label: "interop-server")
        logger.logLevel = .notice
        let address: SocketAddress = host.contains(":") ? .ipv6(host: host, port: port) : .ipv4(host: host, port: port)
        var configuration = Server.Configuration(address: address)
        // The interop cases move messages of up to ~300 KB; allow headroom.
        configuration.maxReceiveMessageSize = 8 << 20
        let server = Server(configuration: configuration, services: [InteropTestService()], logger: logger)
        let bound = try await server.start()
        // Scripts start us with --port 0 and read the port from this line, so flush it now
        // (stdout is block-buffered when redirected to a file).
        print("interop-server listening on \(bound)")
        fflush(nil)  // all streams; naming `stdout` is not concurrency-safe in Swift 6
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: server)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
