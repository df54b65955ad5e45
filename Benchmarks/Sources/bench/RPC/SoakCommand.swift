import ArgumentParser
import BenchSupport
import Foundation
import RPC
import RPCBenchSuite

/// `bench soak`: minutes of mixed load against `bench serve` (a child it starts, or `--target`),
/// with the server's RSS and open descriptors at the start, middle and end, and whether its RSS
/// levelled off.
struct SoakCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak",
        abstract: "Mixed unary/streaming load with cancellations, deadlines and connection churn; server RSS and fds over time."
    )

    @Option(help: "HOST:PORT, [V6]:PORT or unix:PATH of a running server (default: start `bench serve` as a child).")
    var target: String?
    @Option(name: .customLong("server-pid"), help: "Process id of the --target server, for its RSS and descriptors.")
    var serverPID: Int32?
    @Option(name: .customLong("server-heap-file"),
            help: "Where the --target server publishes malloc's statistics (its `bench serve --heap-file`).")
    var serverHeapFile: String?
    @Option(name: .customLong("server-trim-interval"),
            help: "Have the child `bench serve` give malloc's free memory back every this many seconds (its --trim-interval).")
    var serverTrimInterval: Double?
    @Option(help: "Seconds of load.") var duration: Double = 120
    @Option(help: "Concurrent workers, spread over the load kinds in turn.") var workers: Int = 24
    @Option(help: "Long-lived channels shared by the workers (churn opens its own).") var channels: Int = 2
    @Option(name: .customLong("sample-interval"), help: "Seconds between samples of the server's usage.")
    var sampleInterval: Double = 5
    @Option(name: .customLong("reset-rate"),
            help: "Calls per second per channel ended by RST_STREAM (abandoned, cancelled, deadline); the server ends a connection whose streams are reset before any response faster than its maxEarlyResetsPerSecond (default 1000/s after a burst of 1000; nghttp2's own 33/s limit is switched off).")
    var resetRate: Double = 25
    @Option(help: "Also write the report as JSON to this path.") var json: String?

    func run() async throws {
        var server: ServerProcess?
        let address: SocketAddress
        var pid = serverPID
        var heapFile = serverHeapFile
        if let target {
            guard let parsed = SocketAddress(parsing: target) else { throw ValidationError("bad --target \(target)") }
            address = parsed
        } else {
            let childHeapFile = NSTemporaryDirectory() + "bench-soak-\(getpid())-heap"
            var arguments = ["--heap-file", childHeapFile]
            if let serverTrimInterval { arguments += ["--trim-interval", String(serverTrimInterval)] }
            let child = try ServerProcess(executable: CommandLine.arguments[0], cpu: nil, extraArguments: arguments)
            server = child
            heapFile = childHeapFile
            pid = child.pid
            guard let parsed = SocketAddress(parsing: child.address) else {
                child.stop()
                throw ValidationError("bench serve reported a bad address \(child.address)")
            }
            address = parsed
        }
        defer {
            server?.stop()
            if server != nil, let heapFile { unlink(heapFile) }
        }
        let settings = SoakSettings(target: address, serverPID: pid, serverHeapFile: heapFile, duration: duration, workers: workers,
                                    channels: channels, sampleInterval: sampleInterval, resetsPerSecond: resetRate)
        do {
            try settings.validate()
        } catch {
            throw ValidationError(error.description)
        }
        print("bench soak: \(Int(duration)) s against \(address), \(workers) workers on \(channels) channels")
        fflush(nil)
        let report = try await SoakLoad.run(settings)

        var operations = TextTable(["load", "operations", "ok", "expected failures", "unexpected"])
        for kind in report.kinds {
            operations.add([kind.kind.rawValue, String(kind.operations), String(kind.ok), String(kind.expectedFailures),
                            String(kind.unexpectedFailures)])
        }
        print(operations.render())
        // Live heap: malloc's allocated and unfreed bytes; malloc: what it took from the system.
        var usage = TextTable(["process", "", "at s", "RSS MiB", "live heap MiB", "malloc MiB", "open fds"])
        func mebibytes(_ kib: Int?) -> String { kib.map { String(format: "%.1f", Double($0) / 1024) } ?? "-" }
        for (process, label, sample) in report.milestones {
            usage.add([process, label, String(format: "%.0f", sample.atSeconds), mebibytes(sample.rssKiB),
                       mebibytes(sample.heap?.liveKiB), mebibytes(sample.heap?.systemKiB), String(sample.openDescriptors)])
        }
        print(usage.render())
        for kind in report.kinds where !kind.firstUnexpected.isEmpty {
            print("unexpected (\(kind.kind.rawValue)): \(kind.firstUnexpected.joined(separator: "; "))")
        }
        print(report.verdict)
        if let json { try JSONReport.write(report, to: json) }
        if !report.passed { throw ExitCode(1) }
    }
}
