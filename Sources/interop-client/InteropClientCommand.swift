import ArgumentParser
import InteropTesting
import RPC

/// `interop-client --server_host H --server_port P --test_case NAME|all`: runs standard
/// interop cases against a TestService server; exits 0 only when every selected case passes.
/// Over TLS with `--use_tls=true [--ca_file F] [--server_host_override NAME]` (the standard
/// interop client's flags; without `--ca_file` the system's CAs are trusted), plus ours for a
/// client certificate: `--client_cert_file F --client_key_file F`.
@main
struct InteropClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interop-client",
        abstract: "Runs gRPC interop test cases against a grpc.testing.TestService server.")

    @Option(name: .customLong("server_host"), help: "Server address (numeric IPv4/IPv6 or localhost).")
    var serverHost: String = "127.0.0.1"

    @Option(name: .customLong("server_port"), help: "Server TCP port.")
    var serverPort: Int?

    @Option(name: .customLong("target"),
            help: "A gRPC target instead of --server_host/--server_port (dns:///host:port, ipv4:a:p,b:p, ipv6:..., unix:path).")
    var target: String?

    @Option(name: .customLong("lb_policy"), help: "Load-balancing policy over the target's addresses: pick_first or round_robin.")
    var lbPolicy: String = "pick_first"

    @Option(name: .customLong("test_case"), help: "A case name, or 'all'. Cases: \(InteropCase.allCases.map(\.rawValue).joined(separator: ", "))")
    var testCase: String = "all"

    @Option(name: .customLong("use_tls"), help: "Connect with TLS (true/false).")
    var useTLS: Bool = false

    @Option(name: .customLong("ca_file"), help: "PEM CA certificates to trust (default: the system's).")
    var caFile: String?

    @Option(name: .customLong("server_host_override"), help: "The name the server's certificate must carry (and SNI).")
    var serverHostOverride: String?

    @Option(name: .customLong("client_cert_file"), help: "PEM client certificate chain for mutual TLS.")
    var clientCertFile: String?

    @Option(name: .customLong("client_key_file"), help: "PEM client private key for mutual TLS.")
    var clientKeyFile: String?

    func validate() throws {
        if let target {
            guard serverPort == nil else { throw ValidationError("give either --target or --server_port") }
            do { _ = try ChannelTarget(parsing: target) } catch { throw ValidationError("\(error)") }
        } else {
            guard let serverPort, (1...65535).contains(serverPort) else { throw ValidationError("--server_port must be in 1...65535") }
        }
        guard ["pick_first", "round_robin"].contains(lbPolicy) else { throw ValidationError("--lb_policy must be pick_first or round_robin") }
        guard testCase == "all" || InteropCase(rawValue: testCase) != nil else {
            throw ValidationError("unknown test case '\(testCase)'")
        }
        if !useTLS && (caFile != nil || serverHostOverride != nil || clientCertFile != nil || clientKeyFile != nil) {
            throw ValidationError("--ca_file, --server_host_override and the client certificate flags need --use_tls=true")
        }
        if (clientCertFile == nil) != (clientKeyFile == nil) {
            throw ValidationError("--client_cert_file and --client_key_file go together")
        }
    }

    func run() async throws {
        let cases = testCase == "all" ? InteropCase.allCases : [InteropCase(rawValue: testCase)!]
        var configuration: Channel.Configuration
        if let target {
            configuration = try Channel.Configuration(target: target)
        } else {
            let port = serverPort ?? 0
            configuration = Channel.Configuration(target: serverHost.contains(":")
                ? .ipv6(host: serverHost, port: port) : .ipv4(host: serverHost, port: port))
        }
        configuration.loadBalancingPolicy = lbPolicy == "round_robin" ? .roundRobin : .pickFirst
        configuration.maxReceiveMessageSize = 8 << 20
        if useTLS {
            configuration.tls = ClientTLSConfiguration(
                trustRoots: caFile.map { .file($0) } ?? .systemDefault, serverNameOverride: serverHostOverride,
                certificateChainFile: clientCertFile, privateKeyFile: clientKeyFile)
        }
        let channel = try Channel(configuration: configuration)
        var failed: [String] = []
        for interopCase in cases {
            let started = ContinuousClock.now
            do {
                try await interopCase.run(on: channel)
                let elapsed = ContinuousClock.now - started
                let milliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
                print("PASS \(interopCase.rawValue) (\(milliseconds) ms)")
            } catch {
                print("FAIL \(interopCase.rawValue): \(error)")
                failed.append(interopCase.rawValue)
            }
        }
        await channel.close()
        if failed.isEmpty {
            print("all \(cases.count) cases passed")
        } else {
            print("\(failed.count) of \(cases.count) cases failed: \(failed.joined(separator: ", "))")
            throw ExitCode.failure
        }
    }
}
