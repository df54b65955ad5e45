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

    public init(timeout: Duration? = nil, maxReceiveMessageSize: Int? = nil, compression: CompressionAlgorithm = .identity) {
        self.timeout = timeout
        self.maxReceiveMessageSize = maxReceiveMessageSize
        self.compression = compression
    }
}

/// A single response with the metadata that came with it.
public struct ClientResponse<Message: Sendable>: Sendable {
    public let message: Message
    /// The response headers' custom metadata.
    public let headers: Metadata
    /// The trailers' custom metadata (without grpc-status / grpc-message).
    public let trailers: Metadata
}
