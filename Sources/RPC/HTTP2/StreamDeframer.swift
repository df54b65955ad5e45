import Wire

/// A received message as it travelled: its payload still compressed when its flag says so.
/// It is decompressed by whoever takes it off the queue (the handler's task, the caller),
/// never on the event loop ahead of time, so queued messages cost their wire size only.
struct ReceivedMessage: Sendable {
    var bytes: [UInt8]
    /// The algorithm `bytes` are compressed with; `.identity` when the flag was 0.
    var compression: CompressionAlgorithm

    /// Whether the message travelled compressed (`ServerContext.requestMessageWasCompressed`).
    var compressed: Bool { compression != .identity }

    /// Bytes the message occupied on the wire (its prefix and payload), which is what the
    /// memory budget and flow control count for it.
    var wireSize: Int { bytes.count + MessageFramer.prefixSize }

    /// The payload, decompressed with the output capped at `limit` (a bomb stops there).
    func decompressed(limit: Int, side: ReceiveSide) throws(RPCError) -> [UInt8] {
        guard compression != .identity else { return bytes }
        do {
            return try MessageCompression.decompress(bytes, using: compression, limit: limit)
        } catch .outputLimitExceeded {
            throw MessageDeframingError.messageTooLarge(size: limit + 1, limit: limit).status(side)
        } catch {
            throw MessageDeframingError.decompression(error).status(side)
        }
    }
}

/// Which end received a message, for errors that say whose limit was hit.
enum ReceiveSide: Sendable {
    case server, client
}

/// Splits one stream's DATA into gRPC messages, straight from the DATA chunk without an
/// intermediate buffer when a message fits in one chunk.
///
/// A prefix announcing more than `maxMessageSize` fails at once, before any body arrives;
/// a body's storage is reserved only as its bytes arrive (a bounded multiple of them, see
/// `reserveAhead`), so a peer that sends only prefixes costs five bytes per stream. Decompression is left to the
/// reader (`ReceivedMessage.decompressed`), which applies the limit to the decompressed size.
struct StreamDeframer {
    var compression: CompressionAlgorithm = .identity
    let maxMessageSize: Int
    private var prefix: [UInt8] = []
    private var body: [UInt8] = []
    private var bodyLength = -1
    private var flag: UInt8 = 0

    init(maxMessageSize: Int) { self.maxMessageSize = maxMessageSize }

    /// Wire bytes held for the message not yet complete (its prefix included).
    var bufferedCount: Int { bodyLength < 0 ? prefix.count : MessageFramer.prefixSize + body.count }

    mutating func process(_ chunk: UnsafeRawBufferPointer, _ emit: (ReceivedMessage) -> Void) throws(MessageDeframingError) {
        var index = 0
        // Bounded: every round consumes input or completes a (possibly empty) message.
        while index < chunk.count || bodyLength == 0 {
            if bodyLength < 0 {
                let length: Int
                if prefix.isEmpty && chunk.count - index >= MessageFramer.prefixSize {
                    // The whole prefix is in this chunk (the usual case): read it in place
                    // rather than through `prefix`, which would be an allocation per stream.
                    flag = chunk[index]
                    length = Self.length(chunk[index + 1], chunk[index + 2], chunk[index + 3], chunk[index + 4])
                    index += MessageFramer.prefixSize
                } else {
                    let take = min(MessageFramer.prefixSize - prefix.count, chunk.count - index)
                    prefix.append(contentsOf: chunk[index..<(index + take)])
                    index += take
                    guard prefix.count == MessageFramer.prefixSize else { return }
                    flag = prefix[0]
                    length = Self.length(prefix[1], prefix[2], prefix[3], prefix[4])
                    prefix.removeAll(keepingCapacity: true)
                }
                guard flag <= 1 else { throw .invalidFlag(flag) }
                if flag == 1 && compression == .identity { throw .compressedWithoutEncoding }
                guard length <= maxMessageSize else { throw .messageTooLarge(size: length, limit: maxMessageSize) }
                bodyLength = length
                body = []
                if chunk.count - index >= length {
                    // The whole message is in this chunk: one copy, no accumulation.
                    body = Array(chunk[index..<(index + length)])
                    index += length
                }
            }
            let take = min(bodyLength - body.count, chunk.count - index)
            if take > 0 {
                reserveAhead(toHold: body.count + take)
                body.append(contentsOf: chunk[index..<(index + take)])
                index += take
            }
            guard body.count == bodyLength else { return }
            let payload = body
            body = []
            bodyLength = -1
            emit(ReceivedMessage(bytes: payload, compression: flag == 1 ? compression : .identity))
        }
    }

    /// How far ahead of the bytes that arrived the body's storage may be reserved.
    static let reserveAheadFactor = 16

    /// Makes room for `count` body bytes. Growing by doubling would copy a 64 MiB message
    /// about once more and touch twice its size in fresh pages; reserving the whole announced
    /// length at once would let a peer that sends only prefixes reserve `maxMessageSize` per
    /// stream. Between the two: up to `reserveAheadFactor` times what arrived (never beyond
    /// the announced length), so a large body grows in two or three steps, and the untouched
    /// storage ahead stays a bounded multiple of the bytes the memory budget charges.
    private mutating func reserveAhead(toHold count: Int) {
        guard count > body.capacity else { return }
        let (ahead, overflow) = count.multipliedReportingOverflow(by: Self.reserveAheadFactor)
        let capacity = min(bodyLength, overflow ? bodyLength : ahead)
        guard capacity >= LargeBuffers.hugePageAdviceThreshold else {
            body.reserveCapacity(capacity)
            return
        }
        // Large storage gets huge-page advice before anything is written to it (see
        // `LargeBuffers`): fresh 4 KiB pages cost more to fault in than the copy itself.
        body = body.withUnsafeBytes { held in
            [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
                let storage = UnsafeMutableRawBufferPointer(buffer)
                LargeBuffers.prepareForWriting(storage)
                storage.copyMemory(from: held)
                initialized = held.count
            }
        }
    }

    /// The big-endian message length of a prefix's last four bytes.
    private static func length(_ b1: UInt8, _ b2: UInt8, _ b3: UInt8, _ b4: UInt8) -> Int {
        Int(b1) << 24 | Int(b2) << 16 | Int(b3) << 8 | Int(b4)
    }

    /// Drops the partly received message (the stream is over); returns the bytes it held.
    mutating func discardPartial() -> Int {
        let held = bufferedCount
        prefix = []
        body = []
        bodyLength = -1
        return held
    }

    /// Checks the stream did not end inside a message.
    func finish() throws(MessageDeframingError) {
        if bufferedCount > 0 { throw .truncatedMessage(bufferedBytes: bufferedCount) }
    }
}

extension MessageDeframingError {
    /// The status a deframing failure ends the call with, saying whose limit was hit.
    func status(_ side: ReceiveSide) -> RPCError {
        switch self {
        case .messageTooLarge(let size, let limit):
            let whose = side == .server ? "the server's" : "the client's"
            let setting = side == .server ? "Server.Configuration" : "Channel.Configuration"
            return RPCError(code: .resourceExhausted,
                            message: "received message of \(size) bytes exceeds \(whose) own receive limit of \(limit) bytes (\(setting).maxReceiveMessageSize)")
        case .compressedWithoutEncoding:
            return RPCError(code: .internalError, message: "compressed message without a grpc-encoding")
        case .invalidFlag(let flag):
            return RPCError(code: .internalError, message: "invalid message flag \(flag)")
        case .truncatedMessage:
            return RPCError(code: .internalError, message: "the stream ended inside a message")
        case .decompression(let error):
            return RPCError(code: .internalError, message: "could not decompress a message: \(error)")
        }
    }
}
