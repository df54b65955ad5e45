/// One routable method: its descriptor and a handler over raw bytes. Build these with the
/// typed factories (`unary`, `clientStreaming`, `serverStreaming`, `bidirectionalStreaming`);
/// generated service code does exactly that.
public struct ServerMethod: Sendable {
    public let descriptor: MethodDescriptor
    public let kind: RPCKind
    /// Runs the call: reads requests from and writes responses to `call`. Returning ends the
    /// call with OK; throwing `RPCError` ends it with that status; any other error with UNKNOWN.
    public let handler: @Sendable (ServerCall) async throws -> Void

    public init(descriptor: MethodDescriptor, kind: RPCKind, handler: @escaping @Sendable (ServerCall) async throws -> Void) {
        self.descriptor = descriptor
        self.kind = kind
        self.handler = handler
    }

    /// A unary method: one request in, one response out.
    public static func unary<Request: Sendable, Response: Sendable>(
        _ descriptor: MethodDescriptor,
        deserializer: some MessageDeserializer<Request>,
        serializer: some MessageSerializer<Response>,
        handler: @escaping @Sendable (Request, ServerContext) async throws -> Response
    ) -> ServerMethod {
        ServerMethod(descriptor: descriptor, kind: .unary) { call in
            let request = try await singleRequest(call, deserializer)
            let response = try await handler(request, call.context)
            try call.holdOnlyResponse(try encode(response, serializer))
        }
    }

    /// A client-streaming method: a stream of requests in, one response out.
    public static func clientStreaming<Request: Sendable, Response: Sendable>(
        _ descriptor: MethodDescriptor,
        deserializer: some MessageDeserializer<Request>,
        serializer: some MessageSerializer<Response>,
        handler: @escaping @Sendable (RequestStream<Request>, ServerContext) async throws -> Response
    ) -> ServerMethod {
        ServerMethod(descriptor: descriptor, kind: .clientStreaming) { call in
            let requests = RequestStream(call: call) { try deserializer.deserialize($0) }
            let response = try await handler(requests, call.context)
            try call.holdOnlyResponse(try encode(response, serializer))
        }
    }

    /// A server-streaming method: one request in, responses written through a `ResponseWriter`.
    public static func serverStreaming<Request: Sendable, Response: Sendable>(
        _ descriptor: MethodDescriptor,
        deserializer: some MessageDeserializer<Request>,
        serializer: some MessageSerializer<Response>,
        handler: @escaping @Sendable (Request, ResponseWriter<Response>, ServerContext) async throws -> Void
    ) -> ServerMethod {
        ServerMethod(descriptor: descriptor, kind: .serverStreaming) { call in
            let request = try await singleRequest(call, deserializer)
            let writer = ResponseWriter(call: call) { try serializer.serialize($0) }
            try await handler(request, writer, call.context)
        }
    }

    /// A bidirectional-streaming method: a stream of requests in, responses through a writer,
    /// interleaved however the handler likes.
    public static func bidirectionalStreaming<Request: Sendable, Response: Sendable>(
        _ descriptor: MethodDescriptor,
        deserializer: some MessageDeserializer<Request>,
        serializer: some MessageSerializer<Response>,
        handler: @escaping @Sendable (RequestStream<Request>, ResponseWriter<Response>, ServerContext) async throws -> Void
    ) -> ServerMethod {
        ServerMethod(descriptor: descriptor, kind: .bidirectionalStreaming) { call in
            let requests = RequestStream(call: call) { try deserializer.deserialize($0) }
            let writer = ResponseWriter(call: call) { try serializer.serialize($0) }
            try await handler(requests, writer, call.context)
        }
    }

    /// Reads exactly one request message (unary and server-streaming calls).
    private nonisolated(nonsending) static func singleRequest<Request>(_ call: ServerCall, _ deserializer: some MessageDeserializer<Request>) async throws -> Request {
        guard let bytes = try await call.nextRequest() else {
            throw RPCError(code: .internalError, message: "the client sent no request message")
        }
        guard try await call.requests.next() == nil else {
            throw RPCError(code: .internalError, message: "the client sent more than one request message")
        }
        do {
            return try deserializer.deserialize(consume bytes)
        } catch {
            throw RPCError(code: .internalError, message: "could not decode request message: \(error)")
        }
    }

    private static func encode<Response>(_ response: Response, _ serializer: some MessageSerializer<Response>) throws -> [UInt8] {
        do {
            return try serializer.serialize(response)
        } catch {
            throw RPCError(code: .internalError, message: "could not encode response message: \(error)")
        }
    }
}

/// A service the server can host: the table of its methods. Generated service code conforms
/// user implementations to this.
public protocol RPCService: Sendable {
    var methods: [ServerMethod] { get }
}

/// Cross-cutting server behaviour (auth, logging, metrics) around every call. Call `next` to
/// run the handler (or throw `RPCError` instead to reject the call).
public protocol ServerInterceptor: Sendable {
    func intercept(_ call: ServerCall, next: @Sendable (ServerCall) async throws -> Void) async throws
}
