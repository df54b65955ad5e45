import RPC

/// What `bench soak` runs: mixed load against one server for `duration` seconds.
public struct SoakSettings: Sendable {
    public var target: SocketAddress
    /// The server's process id, for its RSS and descriptors (nil: not measured).
    public var serverPID: Int32?
    /// Where the server publishes its malloc statistics (`bench serve --heap-file`; nil: not known).
    public var serverHeapFile: String?
    public var duration: Double
    /// Concurrent workers; they take the load kinds in turn (see `SoakLoad.Kind`).
    public var workers: Int
    /// Long-lived channels the unary, streaming, cancelling and deadline workers share.
    public var channels: Int
    /// How often the server's usage is sampled, seconds.
    public var sampleInterval: Double
    /// Calls per second, per shared channel, that the abandoning, cancelling and deadline workers
    /// end with RST_STREAM together. nghttp2's own RST_STREAM rate limit (1000 at once, then 33/s)
    /// is switched off in our server (`NGHTTP2Bridge`); what applies is the server's
    /// `maxEarlyResetsPerSecond` (default, kept by `bench serve`: 1000 at once, then 1000/s), which
    /// counts only streams reset before any response (an abandoned stream that already had
    /// messages does not count) and ends a connection that goes faster with GOAWAY
    /// ENHANCE_YOUR_CALM. Stay well below it, or the run measures that guard instead of
    /// long-lived connections.
    public var resetsPerSecond: Double

    public init(target: SocketAddress, serverPID: Int32?, serverHeapFile: String? = nil, duration: Double, workers: Int,
                channels: Int, sampleInterval: Double, resetsPerSecond: Double) {
        self.target = target
        self.serverPID = serverPID
        self.serverHeapFile = serverHeapFile
        self.duration = duration
        self.workers = workers
        self.channels = channels
        self.sampleInterval = sampleInterval
        self.resetsPerSecond = resetsPerSecond
    }

    public func validate() throws(SoakSettingsError) {
        guard duration >= 5, duration <= 24 * 3600 else { throw SoakSettingsError(description: "duration must be 5 s ... 24 h") }
        guard (6...1024).contains(workers) else { throw SoakSettingsError(description: "workers must be 6...1024 (one per load kind at least)") }
        guard (1...64).contains(channels) else { throw SoakSettingsError(description: "channels must be 1...64") }
        guard resetsPerSecond > 0, resetsPerSecond <= 100_000 else { throw SoakSettingsError(description: "the reset rate must be in (0, 100000]") }
        guard sampleInterval >= 0.5 else { throw SoakSettingsError(description: "the sample interval must be at least 0.5 s") }
    }
}

public struct SoakSettingsError: Error, CustomStringConvertible {
    public let description: String
}
