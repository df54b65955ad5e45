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

    /// Bytes the message occupied on the wire (its prefix and payload), which is what flow
    /// control counts for it.
    var wireSize: Int { bytes.count + MessageFramer.prefixSize }

    /// What holding the message costs, which is what the memory budget and the queues count
    /// for it: its wire size plus `queuedOverhead`. Wire bytes alone undercount small
    /// messages by an order of magnitude (a one-byte message is 6 bytes on the wire, and
    /// about 70 held: its queue slot and its array's header and allocation), so a peer
    /// sending tiny messages could hold ten times the budget.
    var memoryCost: Int { wireSize + Self.queuedOverhead }

    /// A queue slot (16 bytes) plus a payload array's header and malloc's rounding (48);
    /// an empty payload allocates nothing, but it is counted the same (a safe overestimate).
    static let queuedOverhead = 64

    /// Whether partly received messages are what keeps a spent budget spent, so that only
    /// dropping them lets the connection read again. `queuedMessages` is the number of whole
    /// messages queued on the connection: their `queuedOverhead` is left out of the question.
    /// Flow control counts wire bytes, so whole messages inside a send the budget allows
    /// could otherwise spend it by their overhead alone and make the next message, partly
    /// received at the end of a read, look like what holds it (and it would be dropped
    /// although taking the queued ones frees memory anyway).
    static func partialMessagesHoldBudget(used: Int, limit: Int, partialBytes: Int, queuedMessages: Int) -> Bool {
        used - queuedMessages * queuedOverhead > limit && used - partialBytes <= limit
    }

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
/// a body's storage is reserved only as its bytes arrive (a bounded multiple of them, and no
/// more than the memory budget's room, see `reservation`), so a peer that sends only prefixes
/// costs five bytes per stream. What the storage holds, reserved or filled, is `heldBytes`:
/// the owner charges that to the budget. Decompression is left to the reader
/// (`ReceivedMessage.decompressed`), which applies the limit to the decompressed size.
struct StreamDeframer {
    var compression: CompressionAlgorithm = .identity
    let maxMessageSize: Int
    private var prefix: [UInt8] = []
    private var body: [UInt8] = []
    /// Body bytes the storage of the message in progress is reserved for: at least
    /// `body.count`, at most `bodyLength` (the allocator may round the capacity up; what
    /// was asked for is what counts).
    private(set) var reservedBodyBytes = 0
    /// Whether storage may be reserved ahead of the bytes that arrive; off for the rest of a
    /// message once its reservation was given back (`releaseReservedAhead`), so a peer
    /// cannot make the server copy it back and forth under memory pressure.
    private var reservesAhead = true
    private var bodyLength = -1
    private var flag: UInt8 = 0

    init(maxMessageSize: Int) { self.maxMessageSize = maxMessageSize }

    /// Wire bytes that arrived for the message not yet complete (its prefix included).
    var bufferedCount: Int { bodyLength < 0 ? prefix.count : MessageFramer.prefixSize + body.count }

    /// Bytes held for the message not yet complete: its prefix and the storage reserved for
    /// its body, filled or not. What the memory budget must be charged for this stream.
    var heldBytes: Int { bodyLength < 0 ? prefix.count : MessageFramer.prefixSize + reservedBodyBytes }

    /// Splits `chunk` into messages, handing each complete one to `emit`. `room` says what the
    /// memory budget can still give (`MemoryBudget.room`) given what was charged for this
    /// deframer before the call (`heldBytes` then) and whatever `emit` charged since: storage
    /// reserved ahead of the bytes that arrived never takes more than that.
    mutating func process(_ chunk: UnsafeRawBufferPointer, room: () -> Int, _ emit: (ReceivedMessage) -> Void) throws(MessageDeframingError) {
        let heldBefore = heldBytes
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
                reservedBodyBytes = 0
                reservesAhead = true
                if chunk.count - index >= length {
                    // The whole message is in this chunk: one copy, no accumulation.
                    body = Array(chunk[index..<(index + length)])
                    index += length
                }
            }
            let take = min(bodyLength - body.count, chunk.count - index)
            if take > 0 {
                let needed = body.count + take
                if needed > reservedBodyBytes {
                    // The budget does not know yet what this call changed in `heldBytes`
                    // (a prefix, reservations; a completed message no longer held, which
                    // `emit` charged again as queued).
                    let (available, overflow) = room().subtractingReportingOverflow(heldBytes - heldBefore)
                    let reservation = Self.reservation(toHold: needed, reserved: reservedBodyBytes, announced: bodyLength,
                                                       room: overflow ? .max : available, ahead: reservesAhead)
                    reserve(reservation)
                }
                body.append(contentsOf: chunk[index..<(index + take)])
                index += take
            }
            guard body.count == bodyLength else { return }
            let payload = body
            body = []
            reservedBodyBytes = 0
            bodyLength = -1
            emit(ReceivedMessage(bytes: payload, compression: flag == 1 ? compression : .identity))
        }
    }

    /// How far ahead of the bytes that arrived the body's storage may be reserved.
    static let reserveAheadFactor = 16

    /// The body bytes to reserve storage for, to hold `count` of them when `reserved` are
    /// reserved already, for a message announced as `announced` bytes, with `room` bytes
    /// left in the memory budget.
    ///
    /// Growing by doubling would copy a 64 MiB message about once more and touch twice its
    /// size in fresh pages; reserving the whole announced length at once would let a peer
    /// that sends only prefixes reserve `maxMessageSize` per stream. Between the two: up to
    /// `reserveAheadFactor` times what arrived, never beyond the announced length, so a large
    /// body grows in two or three steps. And never more than the budget's room beyond what is
    /// reserved already: the reservation is charged, so many streams that each announce a
    /// large message and send a little cannot reserve past the budget.
    ///
    /// When the room is smaller than the bytes that arrived (or `ahead` is off), the storage
    /// grows by the least step: enough for them (they are in memory anyway; the budget, over
    /// its limit then, stops the reads after this one), and at least an eighth more than is
    /// reserved, never beyond the announced length. Without that eighth, a message arriving
    /// in tiny DATA frames (thousands fit in one socket read) would be copied whole once per
    /// frame; with it, at most about nine bytes are copied per byte received.
    static func reservation(toHold count: Int, reserved: Int, announced: Int, room: Int, ahead: Bool = true) -> Int {
        guard count > reserved else { return reserved }
        let least = max(count, min(announced, reserved + reserved / 8))
        guard ahead else { return least }
        let (aheadCount, aheadOverflow) = count.multipliedReportingOverflow(by: reserveAheadFactor)
        let wanted = aheadOverflow ? announced : min(announced, aheadCount)
        let (affordable, affordableOverflow) = reserved.addingReportingOverflow(max(0, room))
        return max(least, affordableOverflow ? wanted : min(wanted, affordable))
    }

    /// Makes the body's storage hold `capacity` bytes (more than it holds now).
    private mutating func reserve(_ capacity: Int) {
        reservedBodyBytes = capacity
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

    /// Gives back the storage reserved ahead of the bytes that arrived (the budget is spent
    /// and this is memory nobody uses yet); returns the bytes it no longer holds. Costs one
    /// copy of what arrived, once per message: the rest of it grows by the least step only.
    mutating func releaseReservedAhead() -> Int {
        guard bodyLength >= 0, reservesAhead, reservedBodyBytes > body.count else { return 0 }
        reservesAhead = false
        let released = reservedBodyBytes - body.count
        body = body.withUnsafeBytes { held in
            [UInt8](unsafeUninitializedCapacity: held.count) { buffer, initialized in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: held)
                initialized = held.count
            }
        }
        reservedBodyBytes = body.count
        return released
    }

    /// The big-endian message length of a prefix's last four bytes.
    private static func length(_ b1: UInt8, _ b2: UInt8, _ b3: UInt8, _ b4: UInt8) -> Int {
        Int(b1) << 24 | Int(b2) << 16 | Int(b3) << 8 | Int(b4)
    }

    /// Drops the partly received message (the stream is over).
    mutating func discardPartial() {
        prefix = []
        body = []
        reservedBodyBytes = 0
        reservesAhead = true
        bodyLength = -1
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
