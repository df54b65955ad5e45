/// Writes response messages of a server-streaming or bidirectional call.
///
/// `write(_:)` suspends while the client's HTTP/2 window is full and too much is already
/// queued (backpressure), and throws once the call is over (client cancelled, deadline passed).
public struct ResponseWriter<Element: Sendable>: Sendable {
    let call: ServerCall
    let encode: @Sendable (Element) throws -> [UInt8]

    init(call: ServerCall, encode: @escaping @Sendable (Element) throws -> [UInt8]) {
        self.call = call
        self.encode = encode
    }

    /// Sends one message (the response headers go out before the first one). `compress: false`
    /// sends this message uncompressed even when `ServerContext.responseCompression` is set.
    public nonisolated(nonsending) func write(_ message: Element, compress: Bool = true) async throws {
        let bytes: [UInt8]
        do {
            bytes = try encode(message)
        } catch let error as RPCError {
            throw error
        } catch {
            throw RPCError(code: .internalError, message: "could not encode response message: \(error)")
        }
        try await call.send(bytes, compress: compress)
    }

    /// Sends each message of `messages` in order.
    public func write<S: Sequence<Element>>(contentsOf messages: S) async throws {
        for message in messages { try await write(message) }
    }
}
