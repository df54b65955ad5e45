/// The request messages of a client-streaming or bidirectional call, as an `AsyncSequence`.
/// Iterate it once. Reading a message is what returns its bytes to the client's HTTP/2 send
/// window, so a handler that reads slowly slows the client down (backpressure).
///
/// Iteration throws `RPCError` when the stream fails (e.g. a message cannot be decoded,
/// or the client cancelled) and `CancellationError` when the handler task is cancelled.
public struct RequestStream<Element: Sendable>: AsyncSequence, Sendable {
    let call: ServerCall
    let decode: @Sendable ([UInt8]) throws -> Element

    init(call: ServerCall, decode: @escaping @Sendable ([UInt8]) throws -> Element) {
        self.call = call
        self.decode = decode
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let call: ServerCall
        let decode: @Sendable ([UInt8]) throws -> Element

        public mutating func next() async throws -> Element? {
            guard let bytes = try await call.nextRequest() else { return nil }
            do {
                return try decode(bytes)
            } catch let error as RPCError {
                throw error
            } catch {
                throw RPCError(code: .internalError, message: "could not decode request message: \(error)")
            }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(call: call, decode: decode)
    }
}
