/// Why an outgoing message could not be framed.
package enum MessageFramingError: Error, Sendable, Hashable {
    /// The (possibly compressed) message exceeds the send limit; the gRPC status is RESOURCE_EXHAUSTED.
    case messageTooLarge(size: Int, limit: Int)
    /// Compression failed.
    case compression(CompressionError)
}

/// Writes gRPC length-prefixed messages: a 1-byte compressed flag, a 4-byte big-endian length,
/// then the payload (gRPC PROTOCOL-HTTP2 "Length-Prefixed-Message").
package struct MessageFramer: Sendable {
    /// The size of the prefix in front of every message.
    package static let prefixSize = 5
    /// The largest length the 4-byte prefix can carry; every size limit is clamped to it.
    package static let maxLength = Int(UInt32.max)

    /// The algorithm negotiated for this call's outgoing messages (`identity` for none).
    package var compression: CompressionAlgorithm
    /// Largest payload (after compression) this side may send.
    package var maxMessageSize: Int
    /// Messages smaller than this are sent uncompressed even when compression is on, since
    /// compressing them costs more than it saves. The flag tells the peer per message.
    package var compressionThreshold: Int

    package init(compression: CompressionAlgorithm = .identity, maxMessageSize: Int = Int(UInt32.max), compressionThreshold: Int = 0) {
        self.compression = compression
        self.maxMessageSize = min(maxMessageSize, Int(UInt32.max))
        self.compressionThreshold = compressionThreshold
    }

    /// Appends one framed message to `buffer`, compressing it when this framer is set to.
    package func append(_ message: some Collection<UInt8>, to buffer: inout [UInt8]) throws(MessageFramingError) {
        if compression != .identity, message.count >= compressionThreshold {
            let compressed: [UInt8]
            do {
                compressed = try MessageCompression.compress(message, using: compression)
            } catch {
                throw .compression(error)
            }
            try Self.appendFrame(compressed, compressed: true, limit: maxMessageSize, to: &buffer)
        } else {
            try Self.appendFrame(message, compressed: false, limit: maxMessageSize, to: &buffer)
        }
    }

    /// Frames one message into a fresh buffer.
    package func frame(_ message: some Collection<UInt8>) throws(MessageFramingError) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(message.count + Self.prefixSize)
        try append(message, to: &buffer)
        return buffer
    }

    /// Appends the 5-byte prefix and `payload` as they are (the payload must already be
    /// compressed if `compressed` is true).
    package static func appendFrame(_ payload: some Collection<UInt8>, compressed: Bool, limit: Int = Int(UInt32.max), to buffer: inout [UInt8]) throws(MessageFramingError) {
        let size = payload.count
        let cap = min(limit, Int(UInt32.max))
        guard size <= cap else { throw .messageTooLarge(size: size, limit: cap) }
        appendPrefix(compressed: compressed, length: UInt32(size), to: &buffer)
        buffer.append(contentsOf: payload)
    }

    /// Appends only the 5-byte prefix, for callers that send the payload from its own buffer.
    package static func appendPrefix(compressed: Bool, length: UInt32, to buffer: inout [UInt8]) {
        buffer.append(compressed ? 1 : 0)
        buffer.append(UInt8(truncatingIfNeeded: length >> 24))
        buffer.append(UInt8(truncatingIfNeeded: length >> 16))
        buffer.append(UInt8(truncatingIfNeeded: length >> 8))
        buffer.append(UInt8(truncatingIfNeeded: length))
    }
}

extension MessageFramer {
    /// Frames one outgoing message the way both sides do: compress (when this framer is
    /// set to), then check the send limit against what goes on the wire, then add the
    /// prefix. Requests (`ClientCall`) and responses (`ServerCall`) both come through here.
    func framedPayload(_ message: [UInt8]) throws(MessageFramingError) -> FramedPayload {
        var payload = message
        let compressed = compression != .identity && message.count >= compressionThreshold
        if compressed {
            do {
                payload = try MessageCompression.compress(message, using: compression)
            } catch {
                throw .compression(error)
            }
        }
        guard payload.count <= maxMessageSize else { throw .messageTooLarge(size: payload.count, limit: maxMessageSize) }
        return FramedPayload(payload, compressed: compressed)
    }
}

extension MessageFramingError {
    /// The status for a message `side` could not send, saying whose limit it was.
    func status(sending side: HTTP2Side) -> RPCError {
        let (kind, owner, setting) = side == .server
            ? ("response", "server", "Server.Configuration.maxSendMessageSize")
            : ("request", "client", "Channel.Configuration.maxSendMessageSize")
        switch self {
        case .messageTooLarge(let size, let limit):
            return RPCError(code: .resourceExhausted,
                            message: "\(kind) message of \(size) bytes exceeds the \(owner)'s own send limit of \(limit) bytes (\(setting))")
        case .compression(let error):
            return RPCError(code: .internalError, message: "could not compress a \(kind) message: \(error)")
        }
    }
}
