/// The byte-level view of one server call, shared by the typed handler adapters and
/// interceptors: request bytes in, response bytes out, and the call's context.
public final class ServerCall: Sendable {
    public let context: ServerContext
    let requests: InboundMessageQueue
    let flow: OutboundFlow
    let stream: LoopBound<ServerStream>
    let maxSendMessageSize: Int

    init(context: ServerContext, requests: InboundMessageQueue, flow: OutboundFlow, stream: LoopBound<ServerStream>, maxSendMessageSize: Int) {
        self.context = context
        self.requests = requests
        self.flow = flow
        self.stream = stream
        self.maxSendMessageSize = maxSendMessageSize
    }

    /// The request messages as raw bytes.
    public var requestBytes: RequestStream<[UInt8]> { RequestStream(queue: requests) { $0 } }

    /// Sends one serialized response message; suspends under backpressure.
    public func send(_ bytes: [UInt8]) async throws {
        guard bytes.count <= maxSendMessageSize else {
            throw RPCError(code: .resourceExhausted, message: "response message of \(bytes.count) bytes exceeds the limit of \(maxSendMessageSize)")
        }
        try flow.checkOpen()
        let framed = FramedPayload(bytes)
        flow.add(framed.count)
        let headers = context.responseHeaders
        stream.execute { stream in stream.enqueueResponse(framed, headers: headers) }
        try await flow.waitForCapacity()
    }
}

/// A message with its 5-byte gRPC prefix: one array for small messages (one segment to write),
/// prefix and payload kept apart for big ones (the payload is never copied).
struct FramedPayload: Sendable {
    let first: [UInt8]
    let second: [UInt8]?

    init(_ payload: [UInt8], compressed: Bool = false) {
        let prefix = InterimFramer.prefix(length: payload.count, compressed: compressed)
        if payload.count <= 4096 {
            first = prefix + payload
            second = nil
        } else {
            first = prefix
            second = payload
        }
    }

    var count: Int { first.count + (second?.count ?? 0) }
}
