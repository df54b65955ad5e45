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
            guard let received = try await call.responses.next() else { return nil }
            do {
                return try decode(received.bytes)
            } catch {
                call.cancel(code: .internalError, message: "could not decode response message")
                throw RPCError(code: .internalError, message: "could not decode response message: \(error)")
            }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(call: call, decode: decode)
    }
}
