/// Writes request messages of a client-streaming or bidirectional call. `write` suspends while
/// the server's HTTP/2 window is full (backpressure) and throws once the call has ended.
/// The channel half-closes the request side when your `requests` closure returns.
public struct RequestWriter<Element: Sendable>: Sendable {
    /// The call, or for a retried call its attempts.
    let sink: any RequestSink
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
        try await sink.send(bytes, compress: compress)
    }

    public func write<S: Sequence<Element>>(contentsOf messages: S) async throws {
        for message in messages { try await write(message) }
    }
}
