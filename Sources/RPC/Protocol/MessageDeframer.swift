/// Why incoming bytes could not be split into messages.
package enum MessageDeframingError: Error, Sendable, Hashable {
    /// A message's declared length (or its decompressed size) exceeds the receive limit;
    /// the gRPC status is RESOURCE_EXHAUSTED.
    case messageTooLarge(size: Int, limit: Int)
    /// The compressed flag is set but the call negotiated no `grpc-encoding`; status INTERNAL.
    case compressedWithoutEncoding
    /// The flag byte is neither 0 nor 1; status INTERNAL.
    case invalidFlag(UInt8)
    /// The stream ended in the middle of a message; status INTERNAL.
    case truncatedMessage(bufferedBytes: Int)
    /// A compressed message did not decompress.
    case decompression(CompressionError)
}

/// One message taken off the stream.
package struct DeframedMessage: Sendable, Hashable {
    /// The message bytes, already decompressed.
    package var bytes: [UInt8]
    /// Whether the sender set the compressed flag.
    package var compressed: Bool
}

/// Turns a byte stream of arbitrary chunks (HTTP/2 DATA frames) back into gRPC messages.
///
/// Feed bytes with `append`, then call `next()` until it returns nil; a message may span many
/// chunks and a chunk may hold many messages. The declared length is checked against the
/// limit before any buffer for the message is reserved, so a hostile prefix cannot make us
/// allocate. Call `finish()` at end of stream to detect a cut-off message.
package struct MessageDeframer: Sendable {
    /// The call's negotiated incoming `grpc-encoding`; `identity` when none.
    package var compression: CompressionAlgorithm
    /// Largest message (after decompression) accepted.
    package let maxMessageSize: Int

    private var buffer: [UInt8] = []
    /// Start of unconsumed bytes in `buffer`; consumed bytes are dropped lazily to avoid
    /// shifting the buffer on every message.
    private var readIndex = 0

    package init(maxMessageSize: Int = 4 * 1024 * 1024, compression: CompressionAlgorithm = .identity) {
        self.maxMessageSize = max(0, maxMessageSize)
        self.compression = compression
    }

    /// Bytes received but not yet returned as a message.
    package var bufferedByteCount: Int { buffer.count - readIndex }

    /// Adds a chunk of received bytes.
    package mutating func append(_ chunk: some Collection<UInt8>) {
        // Reclaim consumed space before growing, so the buffer holds at most one partial
        // message plus the new chunk.
        if readIndex > 0, readIndex >= buffer.count / 2 {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
        buffer.append(contentsOf: chunk)
    }

    /// The next complete message (decompressed), or nil when more bytes are needed. After an
    /// error the stream is unusable: the caller should fail the call.
    package mutating func next() throws(MessageDeframingError) -> [UInt8]? {
        try nextMessage()?.bytes
    }

    /// Like `next()`, but also tells whether the message travelled compressed (the interop
    /// rules for `expect_compressed` need the per-message flag).
    package mutating func nextMessage() throws(MessageDeframingError) -> DeframedMessage? {
        let available = buffer.count - readIndex
        guard available >= MessageFramer.prefixSize else { return nil }
        let flag = buffer[readIndex]
        let length = Int(buffer[readIndex + 1]) << 24 | Int(buffer[readIndex + 2]) << 16
            | Int(buffer[readIndex + 3]) << 8 | Int(buffer[readIndex + 4])
        guard flag <= 1 else { throw .invalidFlag(flag) }
        if flag == 1, compression == .identity { throw .compressedWithoutEncoding }
        // Checked on the prefix alone, before waiting for (and buffering) the payload. For a
        // compressed message the compressed size is bounded by the same limit, which is
        // generous: deflate never meaningfully expands data.
        guard length <= maxMessageSize else { throw .messageTooLarge(size: length, limit: maxMessageSize) }
        // Not all there yet; the buffer grows geometrically as DATA frames arrive. (No
        // up-front reserve: a peer could announce large messages on many streams at once.)
        guard available - MessageFramer.prefixSize >= length else { return nil }
        let start = readIndex + MessageFramer.prefixSize
        let message = DeframedMessage(bytes: try decode(buffer[start..<(start + length)], compressed: flag == 1),
                                      compressed: flag == 1)
        readIndex = start + length
        if readIndex == buffer.count {
            // Everything consumed: reset cheaply, keeping a modest buffer for the next message.
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 16)
            readIndex = 0
        }
        return message
    }

    /// Checks that the stream did not end inside a message.
    package func finish() throws(MessageDeframingError) {
        if bufferedByteCount > 0 { throw .truncatedMessage(bufferedBytes: bufferedByteCount) }
    }

    private func decode(_ payload: ArraySlice<UInt8>, compressed: Bool) throws(MessageDeframingError) -> [UInt8] {
        guard compressed else { return Array(payload) }
        do {
            return try MessageCompression.decompress(payload, using: compression, limit: maxMessageSize)
        } catch .outputLimitExceeded {
            throw .messageTooLarge(size: maxMessageSize + 1, limit: maxMessageSize)
        } catch {
            throw .decompression(error)
        }
    }
}
