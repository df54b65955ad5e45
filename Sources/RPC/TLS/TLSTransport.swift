import Glibc

/// A `TLSEngine` driven by a non-blocking socket on the event loop: reads pull ciphertext from
/// the socket into the engine and return plaintext; writes encrypt the connection's output and
/// push the ciphertext out. The handshake runs inside both, as bytes come and go, so a
/// connection needs no separate handshake phase: until it completes, reads return no data
/// and writes hold the output back. Loop-confined.
final class TLSTransport {
    private let engine: TLSEngine
    /// Small pieces of output (frame headers, small payloads) gathered into one record: a
    /// record per piece would cost a record's overhead (bytes, AEAD setup, an `SSL_write`)
    /// for a few bytes of plaintext.
    private let recordStaging: UnsafeMutableRawBufferPointer

    /// What one connection's TLS holds besides OpenSSL's own record buffers: the inbound and
    /// outbound ciphertext buffers, and the record staging buffer.
    static let bufferBytes = 2 * TLSEngine.ciphertextBufferSize + TLSEngine.maxRecordPlaintext

    init(engine: TLSEngine) {
        self.engine = engine
        self.recordStaging = .allocate(byteCount: TLSEngine.maxRecordPlaintext, alignment: 16)
    }

    deinit { recordStaging.deallocate() }

    /// The last read returned with its buffer full, not because the engine needed more
    /// ciphertext.
    private var stoppedWithInputLeft = false

    var peerIdentity: TLSPeerIdentity? { engine.handshake.peer }
    /// Input is waiting that no socket event will announce: the last read stopped with its
    /// buffer full (a read that stopped for want of ciphertext leaves at most part of a
    /// record, which only more bytes from the socket complete), or the handshake left some.
    var hasBufferedInput: Bool { stoppedWithInputLeft || (!engine.handshake.isEstablished && engine.hasBufferedInput) }
    var hasPendingOutput: Bool { engine.pendingCiphertextCount > 0 }

    // MARK: Reading

    /// Fills `buffer` with plaintext until it is full or the socket has nothing more.
    func read(from socket: Socket, into buffer: UnsafeMutableRawBufferPointer) throws -> ReadOutcome {
        if !engine.handshake.isEstablished {
            switch try handshake(socket) {
            case .established: break
            case .waiting: return .wouldBlock
            }
        }
        var filled = 0
        var socketDrained = false
        stoppedWithInputLeft = false
        // Bounded: every round decrypts a record (up to 16 KiB) or reads the socket once.
        for _ in 0..<256 where filled < buffer.count {
            switch try engine.decrypt(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...])) {
            case .bytes(let count):
                filled += count
            case .closedByPeer:
                return filled > 0 ? .bytes(filled) : .endOfFile
            case .needsCiphertext:
                // A read that filled less than it was offered took all the socket had: another
                // would only say EAGAIN (a syscall per wake-up); epoll reports what comes next.
                if socketDrained { return filled > 0 ? .bytes(filled) : .wouldBlock }
                let (outcome, short) = try readCiphertext(socket)
                switch outcome {
                case .bytes:
                    socketDrained = short
                case .wouldBlock:
                    return filled > 0 ? .bytes(filled) : .wouldBlock
                case .endOfFile:
                    return filled > 0 ? .bytes(filled) : .endOfFile
                }
            }
        }
        // Stopped with `buffer` full (or at the bound): complete records, or the rest of one,
        // may be waiting inside the engine.
        stoppedWithInputLeft = true
        return filled > 0 ? .bytes(filled) : .wouldBlock
    }

    private enum HandshakeProgress { case established, waiting }

    /// Advances the handshake with what the socket has; its flights go out at once.
    private func handshake(_ socket: Socket) throws -> HandshakeProgress {
        // Bounded: a handshake is a handful of flights; each round consumes a socket read.
        for _ in 0..<32 {
            switch engine.advanceHandshake() {
            case .startApplicationData, .none:
                return .established
            case .fail(let error):
                // The alert OpenSSL queued tells the peer why (no_application_protocol, bad_certificate).
                _ = try? sendCiphertext(socket)
                throw error
            case .awaitPeer:
                _ = try sendCiphertext(socket)
                switch try readCiphertext(socket).outcome {
                case .bytes:
                    continue
                case .wouldBlock:
                    return .waiting
                case .endOfFile:
                    throw TLSError("the peer closed the connection during the TLS handshake")
                }
            }
        }
        return .waiting
    }

    /// One socket read straight into the engine's inbound buffer; `short` when it got less
    /// than the space it offered (the socket has nothing more now).
    private func readCiphertext(_ socket: Socket) throws(SocketError) -> (outcome: ReadOutcome, short: Bool) {
        var offered = 0
        let outcome = try engine.receiveCiphertext { (space) throws(SocketError) -> ReadOutcome in
            offered = space.count
            return try socket.read(into: space)
        }
        if case .bytes(let count) = outcome { return (outcome, count < offered) }
        return (outcome, false)
    }

    // MARK: Writing

    /// Encrypts `output` and writes the ciphertext, until everything is out or the socket is full.
    func write(_ output: inout OutputBuffer, to socket: Socket) throws -> ConnectionTransport.WriteProgress {
        if !engine.handshake.isEstablished {
            switch engine.advanceHandshake() {
            case .startApplicationData, .none:
                break
            case .fail(let error):
                _ = try? sendCiphertext(socket)
                throw error
            case .awaitPeer:
                return try sendCiphertext(socket) ? .awaitingHandshake : .blockedOnSocket
            }
        }
        guard try sendCiphertext(socket) else { return .blockedOnSocket }
        let allEncrypted = try output.write { (vectors) throws -> Int in try encryptRecords(vectors, socket: socket) }
        let allSent = try sendCiphertext(socket)
        return allEncrypted && allSent ? .complete : .blockedOnSocket
    }

    /// Encrypts `vectors` in records of up to `maxRecordPlaintext` bytes, sending ciphertext
    /// whenever the outbound buffer has no room for the next record; stops when the socket is
    /// full. A record comes straight from a vector that holds a whole one, otherwise from the
    /// staging buffer, filled from as many vectors as it takes. Returns the plaintext bytes
    /// taken.
    private func encryptRecords(_ vectors: UnsafeBufferPointer<iovec>, socket: Socket) throws -> Int {
        var cursor = VectorCursor(vectors)
        var taken = 0
        let total = vectors.reduce(0) { $0 + $1.iov_len }
        // Bounded: every record but the last is a full one.
        for _ in 0...(total / TLSEngine.maxRecordPlaintext + 1) where !cursor.isAtEnd {
            guard try makeRoomForRecord(socket) else { break }
            let record: UnsafeRawBufferPointer
            let direct = cursor.contiguous
            if direct.count >= TLSEngine.maxRecordPlaintext {
                record = UnsafeRawBufferPointer(rebasing: direct[..<TLSEngine.maxRecordPlaintext])
            } else {
                var gather = cursor
                record = UnsafeRawBufferPointer(rebasing: recordStaging[..<gather.copy(into: recordStaging)])
            }
            let count = try engine.encrypt(record)
            guard count > 0 else { break }
            cursor.advance(by: count)
            taken += count
        }
        return taken
    }

    /// Sends ciphertext until the outbound buffer has room for a record; false when the socket
    /// is full first.
    private func makeRoomForRecord(_ socket: Socket) throws(SocketError) -> Bool {
        if engine.hasRoomForRecord { return true }
        _ = try sendCiphertext(socket)
        return engine.hasRoomForRecord
    }

    /// Writes pending ciphertext; true when none is left.
    private func sendCiphertext(_ socket: Socket) throws(SocketError) -> Bool {
        try engine.sendCiphertext { (data) throws(SocketError) -> Int in try socket.write(data) }
    }

    /// Queues close_notify and tries to send it (the peer learns the close was intended).
    func sendCloseNotify(_ socket: Socket) {
        engine.queueCloseNotify()
        _ = try? sendCiphertext(socket)
    }
}

extension TLSTransport {
    /// A client session for a channel's next connection, verifying the configured name (or the
    /// target's host).
    convenience init(client context: TLSContext, configuration: Channel.Configuration) throws(TLSError) {
        let name: String
        if let override = configuration.tls?.serverNameOverride {
            name = override
        } else {
            switch configuration.target {
            case .ipv4(let host, _), .ipv6(let host, _): name = host
            case .unix: name = "localhost"
            }
        }
        self.init(engine: try TLSEngine(context: context, verifiedName: name))
    }
}

/// A read position in a list of vectors.
private struct VectorCursor {
    private let vectors: UnsafeBufferPointer<iovec>
    private var index = 0
    private var offset = 0

    init(_ vectors: UnsafeBufferPointer<iovec>) {
        self.vectors = vectors
        skipEmpty()
    }

    var isAtEnd: Bool { index == vectors.count }

    /// The rest of the current vector.
    var contiguous: UnsafeRawBufferPointer {
        guard !isAtEnd else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let vector = vectors[index]
        return UnsafeRawBufferPointer(start: vector.iov_base.map { UnsafeRawPointer($0) + offset }, count: vector.iov_len - offset)
    }

    mutating func advance(by count: Int) {
        var remaining = count
        // Bounded: each round moves past a vector or ends inside one.
        while remaining > 0, !isAtEnd {
            let step = min(remaining, vectors[index].iov_len - offset)
            offset += step
            remaining -= step
            skipEmpty()
        }
    }

    /// Copies from here into `buffer` until it is full or the vectors end, moving past what it
    /// copied; returns the count.
    mutating func copy(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var filled = 0
        // Bounded: each round moves past a vector or fills the buffer.
        while filled < buffer.count, !isAtEnd {
            let piece = contiguous
            let count = min(piece.count, buffer.count - filled)
            UnsafeMutableRawBufferPointer(rebasing: buffer[filled..<(filled + count)])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: piece[..<count]))
            filled += count
            advance(by: count)
        }
        return filled
    }

    private mutating func skipEmpty() {
        while !isAtEnd, offset == vectors[index].iov_len {
            index += 1
            offset = 0
        }
    }
}
