import Wire

/// Serializes Wire messages with their generated encoder.
public struct WireSerializer<M: Wire.Message>: MessageSerializer {
    public init() {}
    public func serialize(_ message: M) throws -> [UInt8] { try message.serializedBytes() }
}

/// Parses Wire messages with their generated decoder. A large `bytes` field keeps the received
/// message's storage instead of a copy (`init(adoptingSerializedBytes:)`): the received
/// buffer is the call's own and is dropped after decoding anyway.
public struct WireDeserializer<M: Wire.Message>: MessageDeserializer {
    public init() {}
    public func deserialize(_ bytes: consuming [UInt8]) throws -> M { try M(adoptingSerializedBytes: bytes) }
}

// Typed conveniences for Wire messages: the same calls without serializer arguments.
// Generated `.rpc.swift` code uses these.

extension ServerMethod {
    /// A unary method over Wire messages.
    public static func unary<Request: Wire.Message, Response: Wire.Message>(
        _ descriptor: MethodDescriptor,
        handler: @escaping @Sendable (Request, ServerContext) async throws -> Response
    ) -> ServerMethod {
        unary(descriptor, deserializer: WireDeserializer<Request>(), serializer: WireSerializer<Response>(), handler: handler)
    }

    /// A client-streaming method over Wire messages.
    public static func clientStreaming<Request: Wire.Message, Response: Wire.Message>(
        _ descriptor: MethodDescriptor,
        handler: @escaping @Sendable (RequestStream<Request>, ServerContext) async throws -> Response
    ) -> ServerMethod {
        clientStreaming(descriptor, deserializer: WireDeserializer<Request>(), serializer: WireSerializer<Response>(), handler: handler)
    }

    /// A server-streaming method over Wire messages.
    public static func serverStreaming<Request: Wire.Message, Response: Wire.Message>(
        _ descriptor: MethodDescriptor,
        handler: @escaping @Sendable (Request, ResponseWriter<Response>, ServerContext) async throws -> Void
    ) -> ServerMethod {
        serverStreaming(descriptor, deserializer: WireDeserializer<Request>(), serializer: WireSerializer<Response>(), handler: handler)
    }

    /// A bidirectional-streaming method over Wire messages.
    public static func bidirectionalStreaming<Request: Wire.Message, Response: Wire.Message>(
        _ descriptor: MethodDescriptor,
        handler: @escaping @Sendable (RequestStream<Request>, ResponseWriter<Response>, ServerContext) async throws -> Void
    ) -> ServerMethod {
        bidirectionalStreaming(descriptor, deserializer: WireDeserializer<Request>(), serializer: WireSerializer<Response>(), handler: handler)
    }
}

extension Channel {
    /// A unary call with Wire messages.
    nonisolated(nonsending) public func unary<Request: Wire.Message, Response: Wire.Message>(
        _ descriptor: MethodDescriptor,
        request: Request,
        responseType: Response.Type = Response.self,
        metadata: Metadata = [:],
        options: CallOptions = CallOptions()
    ) async throws -> ClientResponse<Response> {
        try await unary(descriptor, request: request, metadata: metadata, options: options,
                        serializer: WireSerializer<Request>(), deserializer: WireDeserializer<Response>())
    }

    /// A client-streaming call with Wire messages.
    nonisolated(nonsending) public func clientStreaming<Request: Wire.Message, Response: Wire.Message>(
        _ descriptor: MethodDescriptor,
        requestType: Request.Type = Request.self,
        responseType: Response.Type = Response.self,
        metadata: Metadata = [:],
        options: CallOptions = CallOptions(),
        requests: @Sendable (RequestWriter<Request>) async throws -> Void
    ) async throws -> ClientResponse<Response> {
        try await clientStreaming(descriptor, metadata: metadata, options: options,
                                  serializer: WireSerializer<Request>(), deserializer: WireDeserializer<Response>(), requests: requests)
    }

    /// A server-streaming call with Wire messages.
    nonisolated(nonsending) public func serverStreaming<Request: Wire.Message, Response: Wire.Message, Result: Sendable>(
        _ descriptor: MethodDescriptor,
        request: Request,
        responseType: Response.Type = Response.self,
        metadata: Metadata = [:],
        options: CallOptions = CallOptions(),
        onResponse: (ResponseStream<Response>) async throws -> Result
    ) async throws -> Result {
        try await serverStreaming(descriptor, request: request, metadata: metadata, options: options,
                                  serializer: WireSerializer<Request>(), deserializer: WireDeserializer<Response>(), onResponse: onResponse)
    }

    /// A bidirectional call with Wire messages.
    nonisolated(nonsending) public func bidirectionalStreaming<Request: Wire.Message, Response: Wire.Message, Result: Sendable>(
        _ descriptor: MethodDescriptor,
        requestType: Request.Type = Request.self,
        responseType: Response.Type = Response.self,
        metadata: Metadata = [:],
        options: CallOptions = CallOptions(),
        requests: @escaping @Sendable (RequestWriter<Request>) async throws -> Void,
        onResponse: (ResponseStream<Response>) async throws -> Result
    ) async throws -> Result {
        try await bidirectionalStreaming(descriptor, metadata: metadata, options: options,
                                         serializer: WireSerializer<Request>(), deserializer: WireDeserializer<Response>(),
                                         requests: requests, onResponse: onResponse)
    }
}
