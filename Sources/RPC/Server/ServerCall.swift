import Synchronization

/// The byte-level view of one server call, shared by the typed handler adapters and
/// interceptors: request bytes in, response bytes out, and the call's context.
public final class ServerCall: Sendable {
    public let context: ServerContext
    let requests: InboundMessageQueue
    let flow: OutboundFlow
    let stream: LoopBound<ServerStream>
    let maxSendMessageSize: Int
    let maxReceiveMessageSize: Int
    /// The one response of a unary or client-streaming call, framed and charged to the
    /// memory budget, waiting to go to the loop together with the status (see `holdOnlyResponse`).
    private let heldResponse = Mutex<HeldResponse?>(nil)

    /// A response message ready for `ServerStream.enqueueResponse`.
    struct HeldResponse: Sendable {
        let framed: FramedPayload
        let headers: Metadata
        let encoding: CompressionAlgorithm
    }

    init(context: ServerContext, requests: InboundMessageQueue, flow: OutboundFlow, stream: LoopBound<ServerStream>,
         maxSendMessageSize: Int, maxReceiveMessageSize: Int) {
        self.context = context
        self.requests = requests
        self.flow = flow
        self.stream = stream
        // The length prefix has 32 bits: a larger limit could never be met, only truncated.
        self.maxSendMessageSize = min(maxSendMessageSize, MessageFramer.maxLength)
        self.maxReceiveMessageSize = min(maxReceiveMessageSize, MessageFramer.maxLength)
    }

    /// The request messages as raw bytes.
    public var requestBytes: RequestStream<[UInt8]> { RequestStream(call: self) { $0 } }

    /// The next request message's bytes (decompressed here, on the handler's task, with
    /// the receive limit applied to the decompressed size), nil after the last one.
    public nonisolated(nonsending) func nextRequest() async throws -> [UInt8]? {
        guard let message = try await requests.next() else { return nil }
        context.noteRequestMessage(compressed: message.compressed)
        return try message.decompressed(limit: maxReceiveMessageSize, side: .server)
    }

    /// Sends one serialized response message; suspends under backpressure. With
    /// `compress` (the default) it is compressed when `context.responseCompression` says so.
    public nonisolated(nonsending) func send(_ bytes: [UInt8], compress: Bool = true) async throws {
        let response = try frame(bytes, compress: compress)
        let framed = response.framed
        // At once when the handler runs on the loop (the status then follows it the same way,
        // see `ServerStream.launch`).
        if let onLoop = stream.valueIfOnLoop {
            onLoop.enqueueResponse(framed, headers: response.headers, encoding: response.encoding)
        } else if !stream.execute({ stream in stream.enqueueResponse(framed, headers: response.headers, encoding: response.encoding) }) {
            flow.drained(framed.count)
            throw RPCError(code: .unavailable, message: "the server stopped")
        }
        context.noteResponseMessage()
        try await flow.waitForCapacity()
    }

    /// Keeps the only response of a unary or client-streaming call until the handler ends,
    /// then it goes to the loop with the status in one hop (`send` and the status were two
    /// hops: a closure, a queue entry and a suspension point each). It is charged to the
    /// memory budget now, like a sent one; it does not wait for the client's window as `send`
    /// does: no further message follows that backpressure could hold back.
    func holdOnlyResponse(_ bytes: [UInt8]) throws {
        let response = try frame(bytes, compress: true)
        let previous = heldResponse.withLock { held in
            defer { held = response }
            return held
        }
        if let previous { flow.drained(previous.framed.count) } else { context.noteResponseMessage() }
    }

    /// The response `holdOnlyResponse` kept, if any; taken once, when the handler ended.
    func takeHeldResponse() -> HeldResponse? {
        heldResponse.withLock { held in
            defer { held = nil }
            return held
        }
    }

    /// Compresses (as negotiated), checks the send limit, frames, and charges the message.
    private func frame(_ bytes: [UInt8], compress: Bool) throws -> HeldResponse {
        try flow.checkOpen()
        let algorithm = context.latchResponseCompression()
        let framer = MessageFramer(compression: compress ? algorithm : .identity, maxMessageSize: maxSendMessageSize)
        let framed: FramedPayload
        do {
            framed = try framer.framedPayload(bytes)
        } catch {
            throw error.status(sending: .server)
        }
        flow.add(framed.count)
        return HeldResponse(framed: framed, headers: context.responseHeaders, encoding: algorithm)
    }
}

/// A message with its 5-byte gRPC prefix: one array for small messages (one segment to write),
/// prefix and payload kept apart for big ones (the payload is never copied).
struct FramedPayload: Sendable {
    let first: [UInt8]
    let second: [UInt8]?

    init(_ payload: [UInt8], compressed: Bool = false) {
        var prefix: [UInt8] = []
        if payload.count <= 4096 {
            prefix.reserveCapacity(payload.count + MessageFramer.prefixSize)
            MessageFramer.appendPrefix(compressed: compressed, length: UInt32(payload.count), to: &prefix)
            prefix.append(contentsOf: payload)
            first = prefix
            second = nil
        } else {
            // Callers check the size against a limit clamped to `MessageFramer.maxLength`.
            MessageFramer.appendPrefix(compressed: compressed, length: UInt32(payload.count), to: &prefix)
            first = prefix
            second = payload
        }
    }

    var count: Int { first.count + (second?.count ?? 0) }
}
