/// The response messages of a server-streaming or bidirectional call. Iterating it throws
/// `RPCError` when the call ends with a non-OK status (its `metadata` holds the trailers).
public struct ResponseStream<Element: Sendable>: AsyncSequence, Sendable {
    let call: ClientCall
    let decode: @Sendable ([UInt8]) throws -> Element

    /// The response headers' metadata (waits for them).
    public func headers() async throws -> Metadata {
        try await call.headers.get()
    }

    /// The trailers' metadata (waits for the end of the call).
    public func trailers() async throws -> Metadata {
        try await call.trailers.get()
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let call: ClientCall
        let decode: @Sendable ([UInt8]) throws -> Element

        public mutating func next() async throws -> Element? {
            guard let received = try await call.nextResponse() else { return nil }
            return try ResponseStream.decode(received.bytes, call: call, decode: decode)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(call: call, decode: decode)
    }

    /// The same messages, each with whether it arrived compressed (its gRPC compressed flag),
    /// for callers that check what the server chose per message. Iterate either this or the
    /// stream itself, not both: they share one underlying queue.
    public var withCompressionFlags: FlaggedMessages { FlaggedMessages(call: call, decode: decode) }

    /// A response message and whether it arrived compressed.
    public struct FlaggedMessage: Sendable {
        public let message: Element
        public let compressed: Bool
    }

    public struct FlaggedMessages: AsyncSequence, Sendable {
        let call: ClientCall
        let decode: @Sendable ([UInt8]) throws -> Element

        public struct AsyncIterator: AsyncIteratorProtocol {
            let call: ClientCall
            let decode: @Sendable ([UInt8]) throws -> Element

            public mutating func next() async throws -> FlaggedMessage? {
                guard let received = try await call.nextResponse() else { return nil }
                return FlaggedMessage(message: try ResponseStream.decode(received.bytes, call: call, decode: decode),
                                      compressed: received.compressed)
            }
        }

        public func makeAsyncIterator() -> AsyncIterator {
            AsyncIterator(call: call, decode: decode)
        }
    }

    /// Decodes one message; a message that does not decode ends the call with INTERNAL.
    static func decode(_ bytes: [UInt8], call: ClientCall, decode: @Sendable ([UInt8]) throws -> Element) throws -> Element {
        do {
            return try decode(bytes)
        } catch {
            call.cancel(code: .internalError, message: "could not decode response message")
            throw RPCError(code: .internalError, message: "could not decode response message: \(error)")
        }
    }
}
