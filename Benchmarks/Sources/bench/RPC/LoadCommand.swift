import ArgumentParser
import BenchSupport
import RPC
import RPCBenchSuite

/// `bench load`: drives any BenchmarkService server with our Channel (flags as the peers' clients).
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Drive a grpc.testing.BenchmarkService server: QPS and latency percentiles."
    )

    @Option(help: "HOST:PORT, [V6]:PORT or unix:PATH.") var target: String = "127.0.0.1:50051"
    @Option(help: "unary | stream (bidi ping-pong).") var mode: String = "unary"
    @Option(help: "Outstanding unary calls / ping-pong streams.") var concurrency: Int = 1
    @Option(help: "HTTP/2 connections the calls are spread over.") var connections: Int = 1
    @Option(name: .customLong("req-size"), help: "Request payload bytes.") var requestSize: Int = 0
    @Option(name: .customLong("resp-size"), help: "Response payload bytes.") var responseSize: Int = 0
    @Option(help: "Seconds measured.") var duration: Double = 10
    @Option(help: "Seconds of warm-up before measuring.") var warmup: Double = 2
    @Option(help: "Client event loop threads.") var loops: Int = 1
    @Option(help: "Where the calls' tasks run: pool (Swift's global pool) | loop (their channel's event loop).")
    var tasks: String = "pool"
    @Option(help: "Also write the result as JSON to this path.") var json: String?
    @Option(name: .customLong("tls-ca"), help: "Connect with TLS, trusting this PEM CA file.") var tlsCA: String?
    @Option(name: .customLong("tls-server-name"), help: "With --tls-ca: the name the server's certificate must carry.")
    var tlsServerName: String?

    func run() async throws {
        guard let address = SocketAddress(parsing: target) else { throw ValidationError("bad --target \(target)") }
        guard let loadMode = LoadSettings.Mode(rawValue: mode) else { throw ValidationError("--mode must be unary or stream") }
        guard let placement = LoadSettings.Tasks(rawValue: tasks) else { throw ValidationError("--tasks must be loop or pool") }
        let settings = LoadSettings(target: address, mode: loadMode, concurrency: concurrency, connections: connections,
                                    requestSize: requestSize, responseSize: responseSize, duration: duration,
                                    warmup: warmup, loops: loops,
                                    tls: tlsCA.map { ClientTLSConfiguration(trustRoots: .file($0), serverNameOverride: tlsServerName) },
                                    tasks: placement)
        do {
            try settings.validate()
        } catch {
            throw ValidationError(error.description)
        }
        let result = try await LoadGenerator.run(settings)
        var table = TextTable(["target", "mode", "conc", "qps", "p50 us", "p90 us", "p99 us", "p999 us", "errors", "bad size"])
        table.add([target, mode, String(concurrency), Format.si(result.qps), Format.digits(result.p50Microseconds),
                   Format.digits(result.p90Microseconds), Format.digits(result.p99Microseconds),
                   Format.digits(result.p999Microseconds), String(result.errors), String(result.badSize)])
        print(table.render())
        print(result.keyValueLine)
        if let json { try JSONReport.write(result, to: json) }
        if result.calls == 0 || result.errors > 0 { throw ExitCode(1) }
    }
}
