/// Per-call settings.
public struct CallOptions: Sendable {
    /// The call fails with DEADLINE_EXCEEDED after this long; sent to the server as
    /// `grpc-timeout` so it can stop too.
    public var timeout: Duration?
    /// Largest response message accepted (larger ones fail the call with RESOURCE_EXHAUSTED);
    /// nil uses the channel's setting.
    public var maxReceiveMessageSize: Int?
    /// Compression of request messages (sent as `grpc-encoding`); identity by default.
    public var compression: CompressionAlgorithm
    /// Wait-for-ready: while the channel is in TRANSIENT_FAILURE the call waits (until its
    /// timeout) for a connection instead of failing at once with UNAVAILABLE (fail-fast, the default).
    public var waitForReady: Bool

    public init(timeout: Duration? = nil, maxReceiveMessageSize: Int? = nil, compression: CompressionAlgorithm = .identity,
                waitForReady: Bool = false) {
        self.timeout = timeout
        self.maxReceiveMessageSize = maxReceiveMessageSize
        self.compression = compression
        self.waitForReady = waitForReady
    }
}
