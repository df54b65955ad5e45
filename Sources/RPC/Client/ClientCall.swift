import Synchronization

/// The byte-level view of one client call, shared between the calling task and the loop:
/// response messages come through `responses`, request bytes go out through `send`.
final class ClientCall: Sendable {
    let descriptor: MethodDescriptor
    let responses: InboundMessageQueue
    let requestFlow: OutboundFlow
    /// Response headers' metadata (empty for Trailers-Only), or the error that came first.
    let headers = OneShot<Metadata>()
    /// Trailers' metadata, set when the call ends.
    let trailers = OneShot<Metadata>()
    let stream: LoopBound<ClientStream>
    let maxSendMessageSize: Int
    let maxReceiveMessageSize: Int
    /// Set when the server never processed the stream (refused, or never sent): safe to retry.
    let unprocessed = Atomic<Bool>(false)
    /// How request messages are compressed (sent as grpc-encoding).
    let compression: CompressionAlgorithm
    /// Counts messages for the channel's interceptors (nil without any).
    let messageCounter: ClientMessageCounter?

    init(descriptor: MethodDescriptor, responses: InboundMessageQueue, requestFlow: OutboundFlow,
         stream: LoopBound<ClientStream>, maxSendMessageSize: Int, maxReceiveMessageSize: Int, compression: CompressionAlgorithm,
         messageCounter: ClientMessageCounter?) {
        self.compression = compression
        self.messageCounter = messageCounter
        self.descriptor = descriptor
        self.responses = responses
        self.requestFlow = requestFlow
        self.stream = stream
        self.maxSendMessageSize = min(maxSendMessageSize, MessageFramer.maxLength)
        self.maxReceiveMessageSize = min(maxReceiveMessageSize, MessageFramer.maxLength)
    }

    /// The next response message, decompressed here on the caller's task (with the receive
    /// limit applied to the decompressed size); nil after the last one. A message that does
    /// not decompress ends the call.
    func nextResponse() async throws -> ReceivedMessage? {
        guard var message = try await responses.next() else { return nil }
        do {
            message.bytes = try message.decompressed(limit: maxReceiveMessageSize, side: .client)
        } catch {
            cancel(code: error.code, message: error.message)
            throw error
        }
        messageCounter?.noteReceived()
        return message
    }

    /// Queues one serialized request message; suspends under backpressure.
    func send(_ bytes: [UInt8], compress: Bool = true) async throws {
        try requestFlow.checkOpen()
        let framed = try Self.frame(bytes, compress: compress, compression: compression, limit: maxSendMessageSize)
        requestFlow.add(framed.count)
        guard stream.execute({ $0.enqueueRequest(framed) }) else {
            requestFlow.drained(framed.count)
            throw RPCError(code: .unavailable, message: "the channel was closed")
        }
        messageCounter?.noteSent()
        try await requestFlow.waitForCapacity()
    }

    /// Compresses (when asked and negotiated), checks the size limit and adds the gRPC prefix.
    static func frame(_ bytes: [UInt8], compress: Bool, compression: CompressionAlgorithm, limit: Int) throws -> FramedPayload {
        let framer = MessageFramer(compression: compress ? compression : .identity, maxMessageSize: limit)
        do {
            return try framer.framedPayload(bytes)
        } catch {
            throw error.status(sending: .client)
        }
    }

    /// Half-closes: no more request messages.
    func finishRequests() {
        stream.execute { $0.endRequests() }
    }

    /// Cancels the call (RST_STREAM CANCEL); the response side ends with CANCELLED. The
    /// responses end here at once, not only when the loop gets to it: had the loop already
    /// seen the call complete, a caller still reading would otherwise see a clean end.
    func cancel(code: StatusCode = .cancelled, message: String = "the call was cancelled by the client") {
        responses.cancel(RPCError(code: code, message: message))
        stream.execute { $0.cancel(code: code, message: message) }
    }

    /// Whether the attempt is final for retries: the server sent response headers (gRPC A6).
    /// A status without them (Trailers-Only, or none at all) leaves `headers` failed.
    var isCommitted: Bool {
        if case .success = headers.current { return true }
        return false
    }

    /// The final error after the responses ended, if the call failed.
    func waitForStatus() async throws {
        while try await nextResponse() != nil {}
    }
}
