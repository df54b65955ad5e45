import BenchSupport
import RPC

/// `bench rpc`: a fixed set of workloads against one BenchmarkService server (normally our own
/// `bench serve` in a child pinned to another core), printed as one table.
public enum LoopbackSuite {
    public struct Settings: Sendable {
        public var duration: Double
        public var warmup: Double
        public var largeSize: Int
        public var largeIterations: Int
        /// Workload names to run (nil: all).
        public var only: Set<String>?
        /// The load side's HTTP/2 receive windows for the large-message workloads (nil: library default).
        public var largeWindowSize: Int?
        /// Connect with TLS (nil: plaintext).
        public var tls: ClientTLSConfiguration?

        public init(duration: Double, warmup: Double, largeSize: Int, largeIterations: Int, only: Set<String>?,
                    largeWindowSize: Int? = nil, tls: ClientTLSConfiguration? = nil) {
            self.tls = tls
            self.largeWindowSize = largeWindowSize
            self.duration = duration
            self.warmup = warmup
            self.largeSize = largeSize
            self.largeIterations = largeIterations
            self.only = only
        }
    }

    public struct Report: Sendable, Encodable {
        public var server: String
        public var load: [String: LoadResult] = [:]
        public var large: [String: LargeMessage.Result] = [:]
    }

    /// The load workloads: name, mode, concurrency, response size.
    static let loadWorkloads: [(String, LoadSettings.Mode, Int, Int)] = [
        ("unary1-0B", .unary, 1, 0),
        ("unary64-0B", .unary, 64, 0),
        ("unary64-1KiB", .unary, 64, 1024),
        ("stream1-0B", .stream, 1, 0),
        ("stream64-0B", .stream, 64, 0),
    ]

    public static var workloadNames: [String] { loadWorkloads.map(\.0) + ["large-up", "large-down", "large-echo"] }

    public static func run(target: SocketAddress, serverDescription: String, _ settings: Settings,
                           progress: (String) -> Void) async throws -> Report {
        var report = Report(server: serverDescription)
        for (name, mode, concurrency, responseSize) in loadWorkloads where settings.only?.contains(name) ?? true {
            progress("running \(name)")
            let load = LoadSettings(target: target, mode: mode, concurrency: concurrency, responseSize: responseSize,
                                    duration: settings.duration, warmup: settings.warmup, tls: settings.tls)
            report.load[name] = try await LoadGenerator.run(load)
        }
        let size = settings.largeSize
        let large: [(String, Int, Int)] = [("large-up", size, 0), ("large-down", 0, size), ("large-echo", size, size)]
        for (name, up, down) in large where settings.only?.contains(name) ?? true {
            progress("running \(name)")
            report.large[name] = try await LargeMessage.run(target: target, requestSize: up, responseSize: down,
                                                            iterations: settings.largeIterations,
                                                            windowSize: settings.largeWindowSize, tls: settings.tls)
        }
        return report
    }

    /// Issue 12's speed goals for TLS, checked by `comparisonTable`.
    static let tlsQPSShareGoal = 0.8
    static let tlsLargeGBPerSecondGoal = 1.0

    /// Each workload of `tls` against the same workload of `plaintext`, measured in the same run:
    /// QPS (load workloads) or best GB/s (large messages), TLS as a share of plaintext, and
    /// the goal where there is one (1 KiB unary QPS over TLS at least 80 % of plaintext; a
    /// 64 MiB message over TLS at least 1 GB/s). A workload with failed calls says so: its
    /// numbers do not count.
    public static func comparisonTable(plaintext: Report, tls: Report) -> String {
        var table = TextTable(["workload", "plaintext", "tls", "tls / plaintext", "goal", "met"])
        func verdict(_ met: Bool, failures: Int) -> String { failures > 0 ? "FAILED CALLS" : (met ? "yes" : "NO") }
        for (name, _, _, _) in loadWorkloads {
            guard let clear = plaintext.load[name], let secure = tls.load[name] else { continue }
            let share = clear.qps > 0 ? secure.qps / clear.qps : 0
            let failures = Int(clear.errors + clear.badSize + secure.errors + secure.badSize)
            let hasGoal = name == "unary64-1KiB"
            table.add([name + " qps", Format.si(clear.qps), Format.si(secure.qps), Format.fixed(100 * share, 1) + " %",
                       hasGoal ? ">= \(Int(tlsQPSShareGoal * 100)) %" : "",
                       hasGoal || failures > 0 ? verdict(share >= tlsQPSShareGoal, failures: failures) : ""])
        }
        for name in ["large-up", "large-down", "large-echo"] {
            guard let clear = plaintext.large[name], let secure = tls.large[name] else { continue }
            let failures = clear.errors + secure.errors
            table.add([name + " GB/s", Format.fixed(clear.bestGBPerSecond, 2), Format.fixed(secure.bestGBPerSecond, 2),
                       Format.fixed(100 * secure.bestGBPerSecond / clear.bestGBPerSecond, 1) + " %",
                       "tls >= \(Format.fixed(tlsLargeGBPerSecondGoal, 1)) GB/s",
                       verdict(secure.bestGBPerSecond >= tlsLargeGBPerSecondGoal, failures: failures)])
        }
        return table.render() + "\n"
    }

    /// The first error of every workload that had failures (empty when none had).
    public static func failures(_ report: Report) -> String {
        var lines: [String] = []
        for (name, _, _, _) in loadWorkloads {
            guard let result = report.load[name], result.errors + result.badSize > 0 else { continue }
            lines.append("  \(name): \(result.errors) failed, \(result.badSize) wrong size; first: \(result.firstError ?? "a wrong size")")
        }
        for name in ["large-up", "large-down", "large-echo"] {
            guard let result = report.large[name], result.errors > 0 else { continue }
            lines.append("  \(name): \(result.errors) of \(result.iterations) failed; first: \(result.firstError ?? "?")")
        }
        return lines.isEmpty ? "" : "FAILURES:\n" + lines.joined(separator: "\n") + "\n"
    }

    public static func table(_ report: Report) -> String {
        var table = TextTable(["workload", "qps", "p50 us", "p90 us", "p99 us", "p999 us", "errors"])
        for (name, _, _, _) in loadWorkloads {
            guard let result = report.load[name] else { continue }
            table.add([name, Format.si(result.qps), Format.digits(result.p50Microseconds), Format.digits(result.p90Microseconds),
                       Format.digits(result.p99Microseconds), Format.digits(result.p999Microseconds),
                       String(result.errors + result.badSize)])
        }
        var largeTable = TextTable(["large message", "up MiB", "down MiB", "best s", "median s", "best GB/s", "median GB/s", "errors"])
        for name in ["large-up", "large-down", "large-echo"] {
            guard let result = report.large[name] else { continue }
            largeTable.add([name, String(result.requestSize >> 20), String(result.responseSize >> 20),
                            Format.fixed(result.bestSeconds, 4), Format.fixed(result.medianSeconds, 4),
                            Format.fixed(result.bestGBPerSecond, 2), Format.fixed(result.medianGBPerSecond, 2),
                            String(result.errors)])
        }
        var text = "server: \(report.server)\n"
        if !report.load.isEmpty { text += table.render() + "\n" }
        if !report.large.isEmpty { text += "\n" + largeTable.render() + "\n" }
        text += failures(report)
        return text
    }
}
