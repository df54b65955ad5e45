/// Writes request messages of a client-streaming or bidirectional call. `write` suspends while
/// the server's HTTP/2 window is full (backpressure) and throws once the call has ended.
/// The channel half-closes the request side when your `requests` closure returns.
public struct RequestWriter<Element: Sendable>: Sendable {
    let call: ClientCall
    let encode: @Sendable (Element) throws -> [UInt8]

    /// Sends one message. `compress: false` sends it uncompressed even when the call's
    /// `CallOptions.compression` is set.
    public func write(_ message: Element, compress: Bool = true) async throws {
        let bytes: [UInt8]
        do {
            bytes = try encode(message)
        } catch let error as RPCError {
            throw error
        } catch {
            throw RPCError(code: .internalError, message: "could not encode request message: \(error)")
        }
        try await call.send(bytes, compress: compress)
    }

    public func write<S: Sequence<Element>>(contentsOf messages: S) async throws {
        for message in messages { try await write(message) }
    }
}

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
