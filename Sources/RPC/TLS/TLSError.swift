import COpenSSL

/// A TLS failure: configuration that does not load, or a handshake or record-layer error.
/// The message carries OpenSSL's own reasons (its error queue, drained).
public struct TLSError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }

    /// `context` followed by every reason in this thread's OpenSSL error queue, which is left empty
    /// (a stale entry would otherwise be blamed on the next, unrelated call).
    static func drainingQueue(_ context: String) -> TLSError {
        var reasons: [String] = []
        // Bounded: the queue holds at most ERR_NUM_ERRORS (16) entries.
        for _ in 0..<32 {
            let code = ERR_get_error()
            if code == 0 { break }
            var text = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &text, text.count)
            reasons.append(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return TLSError(reasons.isEmpty ? context : "\(context): \(reasons.joined(separator: "; "))")
    }

    /// Empties this thread's OpenSSL error queue.
    static func clearQueue() { ERR_clear_error() }
}
