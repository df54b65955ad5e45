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

/// `interop-server --port P [--use_tls=true --cert_file F --key_file F [--client_ca_file F]]`:
/// serves grpc.testing.TestService with the standard interop semantics until SIGTERM or
/// SIGINT, then shuts down gracefully. The TLS flags are the standard interop server's;
/// `--client_ca_file` (ours) requires client certificates signed by that CA.
@main
struct InteropServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interop-server",
        abstract: "Serves grpc.testing.TestService for gRPC interop tests.")

    @Option(help: "TCP port to listen on (0 picks a free one).")
    var port: Int

    @Option(help: "Address to bind: a numeric IPv4 or IPv6 address.")
    var host: String = "127.0.0.1"

    @Option(name: .customLong("use_tls"), help: "Serve TLS (true/false).")
    var useTLS: Bool = false

    @Option(name: .customLong("cert_file"), help: "PEM certificate chain (with --use_tls=true).")
    var certFile: String?

    @Option(name: .customLong("key_file"), help: "PEM private key (with --use_tls=true).")
    var keyFile: String?

    @Option(name: .customLong("client_ca_file"), help: "Require client certificates signed by this PEM CA (mutual TLS).")
    var clientCAFile: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0...65535") }
        if useTLS && (certFile == nil || keyFile == nil) {
            throw ValidationError("--use_tls=true needs --cert_file and --key_file")
        }
        if !useTLS && (certFile != nil || keyFile != nil || clientCAFile != nil) {
            throw ValidationError("--cert_file, --key_file and --client_ca_file need --use_tls=true")
        }
    }

    func run() async throws {
        var logger = Logger(label: "interop-server")
        logger.logLevel = .notice
        let address: SocketAddress = host.contains(":") ? .ipv6(host: host, port: port) : .ipv4(host: host, port: port)
        var configuration = Server.Configuration(address: address)
        // The interop cases move messages of up to ~300 KB; allow headroom.
        configuration.maxReceiveMessageSize = 8 << 20
        if useTLS, let certFile, let keyFile {
            configuration.tls = ServerTLSConfiguration(certificateChainFile: certFile, privateKeyFile: keyFile,
                                                       clientCertificateTrustRoots: clientCAFile.map { .file($0) })
        }
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
