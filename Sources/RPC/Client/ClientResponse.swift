/// A single response with the metadata that came with it.
public struct ClientResponse<Message: Sendable>: Sendable {
    public let message: Message
    /// The response headers' custom metadata.
    public let headers: Metadata
    /// The trailers' custom metadata (without grpc-status / grpc-message).
    public let trailers: Metadata
    /// Whether the response message arrived compressed (its gRPC compressed flag was set).
    public var compressed: Bool = false
}
