import ArgumentParser
import BenchSupport
import Foundation
import RPC
import RPCBenchSuite

/// `bench rpc`: the self-contained loopback suite. By default the server is this executable's
/// `serve` in a child pinned to `--server-cpu`, and this process pins itself to `--client-cpu`.
struct RPCBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rpc",
        abstract: "Loopback RPC suite: unary, ping-pong streaming and large messages against our server."
    )

    @Option(help: "Seconds measured per load workload.") var duration: Double = 5
    @Option(help: "Warm-up seconds per load workload.") var warmup: Double = 1
    @Option(name: .customLong("large-mib"), help: "Large message size, MiB.") var largeMiB: Int = 64
    @Option(name: .customLong("large-iterations"), help: "Round trips per large-message workload.") var largeIterations: Int = 5
    @Option(name: .customLong("window-kib"),
            help: "HTTP/2 receive windows (stream and connection) of both sides for the large-message workloads, KiB (default: the library's).")
    var windowKiB: Int?
    @Option(help: "Comma-separated workloads (default all): \(LoopbackSuite.workloadNames.joined(separator: ","))")
    var workloads: String?
    @Option(help: "CPU the server child is pinned to (taskset).") var serverCPU: Int = 0
    @Option(help: "CPU this load process pins itself to.") var clientCPU: Int = 1
    @Flag(help: "Pin neither the server nor the load.") var noPin = false
    @Option(help: "Use this running server (HOST:PORT) instead of starting one.") var target: String?
    @Option(help: "Also write the results as JSON to this path.") var json: String?
    @Flag(help: "Run the workloads again against a TLS server (certificates made by openssl for the run) and compare.")
    var tls = false

    func validate() throws {
        guard duration > 0, duration <= 600, warmup >= 0, warmup <= 60 else { throw ValidationError("bad --duration/--warmup") }
        if let windowKiB, !(64...(2 << 20)).contains(windowKiB) { throw ValidationError("--window-kib must be in 64...2097152") }
        guard (1...1024).contains(largeMiB), (1...100).contains(largeIterations) else {
            throw ValidationError("--large-mib must be in 1...1024, --large-iterations in 1...100")
        }
    }

    func run() async throws {
        let only = workloads.map { Set($0.split(separator: ",").map(String.init)) }
        if let unknown = only?.subtracting(LoopbackSuite.workloadNames), !unknown.isEmpty {
            throw ValidationError("unknown workloads: \(unknown.sorted().joined(separator: ","))")
        }
        if tls && target != nil { throw ValidationError("--tls starts its own servers: it does not take --target") }
        let cpus = EventLoopGroup.coreCount
        // A single-CPU machine cannot separate them: nothing is pinned then.
        let pin = !noPin && cpus > 1
        let serverCPU = pin && (0..<cpus).contains(self.serverCPU) ? self.serverCPU : nil
        let clientCPU = pin && (0..<cpus).contains(self.clientCPU) ? self.clientCPU : nil
        if let clientCPU { try CPUAffinity.pinProcess(to: clientCPU) }
        let settings = LoopbackSuite.Settings(duration: duration, warmup: warmup, largeSize: largeMiB << 20,
                                              largeIterations: largeIterations, only: only,
                                              largeWindowSize: windowKiB.map { min(Int(Int32.max), $0 << 10) })
        let plaintext = try await runSuite(settings, serverArguments: [], serverCPU: serverCPU, clientCPU: clientCPU)
        print(LoopbackSuite.table(plaintext), terminator: "")
        fflush(nil)  // shown now, also when piped (the TLS half takes as long again)
        guard tls else {
            if let json { try JSONReport.write(plaintext, to: json) }
            return
        }
        // The same workloads against a TLS server, with certificates made for this run.
        let certificates = FileManager.default.temporaryDirectory.appendingPathComponent("bench-tls-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: certificates) }
        try Self.makeCertificates(in: certificates)
        var tlsSettings = settings
        tlsSettings.tls = ClientTLSConfiguration(trustRoots: .file(certificates + "/ca.pem"), serverNameOverride: "localhost")
        let secure = try await runSuite(tlsSettings,
                                        serverArguments: ["--tls-cert", certificates + "/server.pem", "--tls-key", certificates + "/server.key"],
                                        serverCPU: serverCPU, clientCPU: clientCPU)
        print("\nover TLS:")
        print(LoopbackSuite.table(secure), terminator: "")
        print("\nTLS against plaintext, same run (same server and load cores):")
        print(LoopbackSuite.comparisonTable(plaintext: plaintext, tls: secure), terminator: "")
        fflush(nil)
        if let json { try JSONReport.write(["plaintext": plaintext, "tls": secure], to: json) }
    }

    /// The suite against `--target`, or against a `bench serve` child started with `serverArguments`.
    private func runSuite(_ settings: LoopbackSuite.Settings, serverArguments: [String], serverCPU: Int?,
                          clientCPU: Int?) async throws -> LoopbackSuite.Report {
        var child: ServerProcess?
        let targetText: String
        var serverDescription: String
        if let target {
            targetText = target
            serverDescription = "external \(target)"
        } else {
            let windowArguments = windowKiB.map { ["--stream-window-kib", String($0), "--connection-window-kib", String($0)] } ?? []
            let server = try ServerProcess(executable: Self.selfExecutable(), cpu: serverCPU,
                                           extraArguments: windowArguments + serverArguments)
            child = server
            targetText = server.address
            serverDescription = "bench serve --loops 1 (child, cpu \(serverCPU.map(String.init) ?? "any")) at \(server.address)"
        }
        defer { child?.stop() }
        if settings.tls != nil { serverDescription += ", TLS" }
        guard let address = SocketAddress(parsing: targetText) else { throw ValidationError("bad target \(targetText)") }
        return try await LoopbackSuite.run(target: address, serverDescription: serverDescription + ", load on cpu \(clientCPU.map(String.init) ?? "any")", settings) {
            FileHandle.standardError.write(Data("bench rpc: \($0)\n".utf8))
        }
    }

    /// Runs the repository's scripts/make-test-certificates.sh (the `openssl` command).
    private static func makeCertificates(in directory: String) throws {
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/make-test-certificates.sh").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script, directory]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ValidationError("\(script) failed (status \(process.terminationStatus))") }
    }

    private static func selfExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
