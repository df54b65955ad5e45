import BenchSupport

/// The outcome of one load run, printed like the peers' clients print theirs.
public struct LoadResult: Sendable, Encodable {
    public var mode: String
    public var concurrency: Int
    public var connections: Int
    public var requestSize: Int
    public var responseSize: Int
    public var seconds: Double
    /// Calls (unary) or ping-pong round trips (stream) completed inside the measured window.
    public var calls: UInt64
    public var qps: Double
    public var p50Microseconds: Double
    public var p90Microseconds: Double
    public var p99Microseconds: Double
    public var p999Microseconds: Double
    /// Calls or streams that ended with a non-OK status or failed to start.
    public var errors: UInt64
    /// OK responses whose payload size was not the requested one.
    public var badSize: UInt64
    /// What the first failed call or stream ended with (nil when none failed).
    public var firstError: String?

    enum CodingKeys: String, CodingKey {
        case mode, concurrency, connections, calls, qps, errors
        case requestSize = "req_size", responseSize = "resp_size", seconds = "duration_s"
        case p50Microseconds = "p50_us", p90Microseconds = "p90_us", p99Microseconds = "p99_us", p999Microseconds = "p999_us"
        case badSize = "bad_size", firstError = "first_error"
    }

    init(settings: LoadSettings, seconds: Double, histogram: LatencyHistogram, errors: UInt64, badSize: UInt64,
         firstError: String? = nil) {
        mode = settings.mode.rawValue
        concurrency = settings.concurrency
        connections = settings.connections
        requestSize = settings.requestSize
        responseSize = settings.responseSize
        self.seconds = seconds
        calls = histogram.count
        qps = seconds > 0 ? Double(histogram.count) / seconds : 0
        p50Microseconds = Double(histogram.quantile(0.50)) / 1e3
        p90Microseconds = Double(histogram.quantile(0.90)) / 1e3
        p99Microseconds = Double(histogram.quantile(0.99)) / 1e3
        p999Microseconds = Double(histogram.quantile(0.999)) / 1e3
        self.errors = errors
        self.badSize = badSize
        self.firstError = firstError
    }

    /// The one-line key=value form the peer clients print (`client=cpp ...`), so the same
    /// scripts can parse every client's output.
    public var keyValueLine: String {
        "client=wire mode=\(mode) concurrency=\(concurrency) connections=\(connections) req_size=\(requestSize) "
            + "resp_size=\(responseSize) duration_s=\(fixed(seconds, 2)) calls=\(calls) qps=\(fixed(qps, 1)) "
            + "p50_us=\(fixed(p50Microseconds, 1)) p90_us=\(fixed(p90Microseconds, 1)) p99_us=\(fixed(p99Microseconds, 1)) "
            + "p999_us=\(fixed(p999Microseconds, 1)) errors=\(errors) bad_size=\(badSize)"
    }

    private func fixed(_ value: Double, _ decimals: Int) -> String {
        Format.fixed(value, decimals)
    }
}
