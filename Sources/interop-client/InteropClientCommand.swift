import ArgumentParser
import InteropTesting
import RPC

/// `interop-client --server_host H --server_port P --test_case NAME|all`: runs standard
/// interop cases against a TestService server; exits 0 only when every selected case passes.
@main
struct InteropClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interop-client",
        abstract: "Runs gRPC interop test cases against a grpc.testing.TestService server.")

    @Option(name: .customLong("server_host"), help: "Server address (numeric IPv4/IPv6 or localhost).")
    var serverHost: String = "127.0.0.1"

    @Option(name: .customLong("server_port"), help: "Server TCP port.")
    var serverPort: Int

    @Option(name: .customLong("test_case"), help: "A case name, or 'all'. Cases: \(InteropCase.allCases.map(\.rawValue).joined(separator: ", "))")
    var testCase: String = "all"

    func validate() throws {
        guard (1...65535).contains(serverPort) else { throw ValidationError("--server_port must be in 1...65535") }
        guard testCase == "all" || InteropCase(rawValue: testCase) != nil else {
            throw ValidationError("unknown test case '\(testCase)'")
        }
    }

    func run() async throws {
        let cases = testCase == "all" ? InteropCase.allCases : [InteropCase(rawValue: testCase)!]
        let address: SocketAddress = serverHost.contains(":")
            ? .ipv6(host: serverHost, port: serverPort) : .ipv4(host: serverHost, port: serverPort)
        var configuration = Channel.Configuration(target: address)
        configuration.maxReceiveMessageSize = 8 << 20
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
