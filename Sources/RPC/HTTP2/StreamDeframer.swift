import Wire

/// A received message and whether it travelled compressed (the interop rules and
/// `ServerContext.requestMessageWasCompressed` need the flag, which `MessageDeframer` hides).
struct ReceivedMessage: Sendable {
    var bytes: [UInt8]
    var compressed: Bool
}

/// Splits one stream's DATA into gRPC messages, reporting each message's compressed flag.
/// Decompression, limits and errors are `grpcproto`'s (`MessageCompression`,
/// `MessageDeframingError`); only the prefix walk lives here, straight from the DATA chunk
/// without an intermediate buffer when a message fits in one chunk.
struct StreamDeframer {
    var compression: CompressionAlgorithm = .identity
    let maxMessageSize: Int
    private var prefix: [UInt8] = []
    private var body: [UInt8] = []
    private var bodyLength = -1
    private var flag: UInt8 = 0

    init(maxMessageSize: Int) { self.maxMessageSize = maxMessageSize }

    /// Bytes held for a message not yet complete.
    var bufferedCount: Int { prefix.count + body.count }

    mutating func process(_ chunk: UnsafeRawBufferPointer, _ emit: (ReceivedMessage) -> Void) throws(MessageDeframingError) {
        var index = 0
        // Bounded: every round consumes input or completes a (possibly empty) message.
        while index < chunk.count || bodyLength == 0 {
            if bodyLength < 0 {
                let take = min(MessageFramer.prefixSize - prefix.count, chunk.count - index)
                prefix.append(contentsOf: chunk[index..<(index + take)])
                index += take
                guard prefix.count == MessageFramer.prefixSize else { return }
                flag = prefix[0]
                let length = Int(prefix[1]) << 24 | Int(prefix[2]) << 16 | Int(prefix[3]) << 8 | Int(prefix[4])
                prefix.removeAll(keepingCapacity: true)
                guard flag <= 1 else { throw .invalidFlag(flag) }
                if flag == 1 && compression == .identity { throw .compressedWithoutEncoding }
                guard length <= maxMessageSize else { throw .messageTooLarge(size: length, limit: maxMessageSize) }
                bodyLength = length
                body = []
                if chunk.count - index >= length {
                    // The whole message is in this chunk: one copy, no accumulation.
                    body = Array(chunk[index..<(index + length)])
                    index += length
                } else {
                    body = Self.emptyBody(capacity: length)
                }
            }
            let take = min(bodyLength - body.count, chunk.count - index)
            if take > 0 {
                body.append(contentsOf: chunk[index..<(index + take)])
                index += take
            }
            guard body.count == bodyLength else { return }
            let payload = body
            body = []
            bodyLength = -1
            emit(ReceivedMessage(bytes: try decode(payload), compressed: flag == 1))
        }
    }

    /// Storage for a message arriving over many DATA frames: a large one gets huge-page advice
    /// before the frames are copied in (see `LargeBuffers`).
    private static func emptyBody(capacity: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            LargeBuffers.prepareForWriting(UnsafeMutableRawBufferPointer(buffer))
            initialized = 0
        }
    }

    /// Checks the stream did not end inside a message.
    func finish() throws(MessageDeframingError) {
        if bufferedCount > 0 || bodyLength > 0 { throw .truncatedMessage(bufferedBytes: bufferedCount) }
    }

    private func decode(_ payload: [UInt8]) throws(MessageDeframingError) -> [UInt8] {
        guard flag == 1 else { return payload }
        do {
            return try MessageCompression.decompress(payload, using: compression, limit: maxMessageSize)
        } catch .outputLimitExceeded {
            throw .messageTooLarge(size: maxMessageSize + 1, limit: maxMessageSize)
        } catch {
            throw .decompression(error)
        }
    }
}

extension MessageDeframingError {
    /// The status a deframing failure ends the call with.
    var status: RPCError {
        switch self {
        case .messageTooLarge(let size, let limit):
            RPCError(code: .resourceExhausted, message: "message of \(size) bytes exceeds the limit of \(limit)")
        case .compressedWithoutEncoding:
            RPCError(code: .internalError, message: "compressed message without a grpc-encoding")
        case .invalidFlag(let flag):
            RPCError(code: .internalError, message: "invalid message flag \(flag)")
        case .truncatedMessage:
            RPCError(code: .internalError, message: "the stream ended inside a message")
        case .decompression(let error):
            RPCError(code: .internalError, message: "could not decompress a message: \(error)")
        }
    }
}
